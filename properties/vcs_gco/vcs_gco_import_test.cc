// vcs-gco's importers (model/vcs_gco/import.cc) on the bundled realistic
// logs (traces/vcs_gco/logs/) and on bad input, with planted faults (prose
// matched, embedded output read, values carried forward) shown caught.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "model/vcs_gco/vcs_gco.h"
#include "properties/core/import_harness.h"

namespace haspec::vcs_gco {
namespace {

using haspec::testing::ConfigFromSource;
using haspec::testing::ImportError;
using haspec::testing::ImportText;
using haspec::testing::kErrorsCarryNames;
using haspec::testing::ReadSource;
using Event = ImportedEvent<Observation>;

const char kLog[] = "traces/vcs_gco/logs/clus_east/engine_A.log";

Config LogConfig() { return ConfigFromSource<VcsGco>("traces/vcs_gco/logs/config.json"); }

// "line observer>remote=STATE", facts joined with '+'.
std::string Facts(const Event& e, const Nodes& n) {
  std::string facts;
  for (int c = 0; c < kMaxClusters; ++c) {
    const ClusterReport& r = e.obs.clusters[c];
    if (r.reporting) facts += "+" + n.Name(c) + (*r.reporting ? ":reporting" : ":silent");
    if (r.local) facts += "+" + n.Name(c) + ":" + std::string(kLocalNames.Name(*r.local));
    for (int d = 0; d < kMaxClusters; ++d) {
      if (r.remote[d]) {
        facts += "+" + n.Name(c) + ">" + n.Name(d) + "=" +
                 std::string(kClusterStateNames.Name(*r.remote[d]));
      }
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (r.hb[d][h]) {
          facts += "+" + n.Name(c) + ">" + n.Name(d) +
                   ":hb=" + std::string(kHbStateNames.Name(*r.hb[d][h]));
        }
      }
    }
  }
  return std::to_string(e.line) + " " + facts.substr(facts.empty() ? 0 : 1);
}

// Lines 7 and 19 mention a state change in prose; lines 12-17 are embedded
// command output (line 16 is a state-change line inside it).
const std::vector<std::string> kExpected = {
    "5 clus_east>clus_west=BUILD",    "6 clus_east>clus_west=RUNNING",
    "9 clus_east>clus_west=LOST_HB",  "10 clus_east>clus_west=INQUIRY",
    "18 clus_east>clus_west=UNKNOWN",  // written "unknown", as seed 002 does
};

// What the second snapshot shows: no local state, no carried RUNNING.
const char kSecondSnapshot[] =
    "18 clus_east:reporting+clus_east>clus_west=UNKNOWN+clus_east>clus_west:hb=HBDEAD";

std::string Check(const std::vector<Event>& events, const Nodes& n) {
  for (std::size_t i = 0; i < std::max(events.size(), kExpected.size()); ++i) {
    const std::string g = i < events.size() ? Facts(events[i], n) : "(none)";
    const std::string w = i < kExpected.size() ? kExpected[i] : "(none)";
    if (g != w) return "event " + std::to_string(i) + ": got \"" + g + "\", want \"" + w + "\"";
  }
  return "";
}

TEST(VcsGcoImport, EngineLogGivesEachRemoteClusterStateChangeOnly) {
  const Config c = LogConfig();
  const auto events = ImportText<VcsGco>("engine-log", ReadSource(kLog), c, {}, kLog);
  EXPECT_EQ(Check(events, c.nodes), "");
  EXPECT_EQ(events[0].t, "2024-05-01T10:00:06");
}

TEST(VcsGcoImport, PlantedFaultsAreCaught) {
  const Config c = LogConfig();
  // Matching anywhere in the line, embedded output not skipped.
  const std::regex shape(R"(cluster '?(\w+)'? changed state from (\S+) to (\S+))");
  std::vector<Event> naive;
  std::istringstream in(ReadSource(kLog));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, shape)) continue;
    auto st = kClusterStateNames.Parse(m[3].str());
    if (!st) continue;
    Event e;
    e.line = n;
    e.obs.clusters[0].remote[*c.nodes.Find(m[1].str())] = *st;
    naive.push_back(e);
  }
  EXPECT_NE(Check(naive, c.nodes), "");
  // Carrying forward: the second snapshot keeps the first one's facts it
  // does not show itself (the local state), which the snapshot check catches.
  auto snaps =
      ImportText<VcsGco>("haclus-state", ReadSource("traces/vcs_gco/logs/haclus-state.txt"), c);
  ASSERT_EQ(snaps.size(), 2u);
  snaps[1].obs.clusters[0].local = snaps[0].obs.clusters[0].local;
  EXPECT_NE(Facts(snaps[1], c.nodes), kSecondSnapshot);
}

TEST(VcsGcoImport, SnapshotsGiveListingsAtTheirTimes) {
  const Config c = LogConfig();
  const auto e =
      ImportText<VcsGco>("haclus-state", ReadSource("traces/vcs_gco/logs/haclus-state.txt"), c);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].t, "2024-05-01T10:05:00Z");
  EXPECT_EQ(Facts(e[0], c.nodes),
            "2 clus_east:reporting+clus_east:RUNNING+clus_east>clus_west=RUNNING+"
            "clus_east>clus_west:hb=HBALIVE");
  EXPECT_EQ(Facts(e[1], c.nodes), kSecondSnapshot);
}

TEST(VcsGcoImport, BadInputNamesTheLineAndTheProblem) {
  const Config c = LogConfig();
  const std::map<std::string, std::string, std::less<>> o = {{"observer", "clus_east"}};
  const std::string ok = "2024/05/01 10:00:00 VCS INFO V-16-1-10077 received new membership.\n";
  auto err = ImportError<VcsGco>("engine-log", "[1, 2, 3]\n", c, o);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 29), "line 1: not a VCS engine log:");
  err = ImportError<VcsGco>("engine-log",
                            ok + "2024/05/01 10:00:00 VCS NOTICE V-1-2-3 Remote cluster clus_east "
                                 "changed state from INIT to BUILD\n",
                            c, o);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("line 2: cluster clus_east wrote this log"), std::string::npos) << *err;
  try {
    ImportText<VcsGco>("engine-log",
                       ok + "2024/05/01 10:00:00 VCS NOTICE V-1-2-3 Remote cluster clus_west "
                            "changed state from RUNNING to DRAINING\n",
                       c, o);
    ADD_FAILURE() << "an unknown state passed";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), "line 2");
    EXPECT_EQ(UnknownNameOf(e), kErrorsCarryNames ? "DRAINING" : "");
  }
  err = ImportError<VcsGco>("haclus-state",
                            "@ 2024-05-01T10:05:00Z\n==> clus_east <==\n#Cluster Attribute Value\n"
                            "clus_west ClusState SLEEPING\n",
                            c);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 7), "line 4:") << *err;
}

TEST(VcsGcoImport, GarbageEndsInEventsOrAParseError) {
  const Config c = LogConfig();
  std::vector<std::string> pieces;
  std::istringstream in(ReadSource(kLog) + ReadSource("traces/vcs_gco/logs/haclus-state.txt"));
  for (std::string l; std::getline(in, l);) pieces.push_back(l);
  haspec::testing::ImportGarbage<VcsGco>("engine-log", c, pieces, {{"observer", "clus_east"}});
  haspec::testing::ImportGarbage<VcsGco>("haclus-state", c, pieces, {{"observer", "clus_east"}});
}

}  // namespace
}  // namespace haspec::vcs_gco
