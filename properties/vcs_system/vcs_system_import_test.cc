// vcs-system's importers (model/vcs_system/import.cc) on the bundled
// realistic logs (traces/vcs_system/logs/) and on bad input. Each check on
// the realistic log is shown to catch a planted fault: a reader that matches
// the state-change text anywhere in a line (prose, embedded command output),
// one that keys on the UMI, and one that carries earlier values forward.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "model/vcs_system/vcs_system.h"
#include "properties/core/import_harness.h"

namespace haspec::vcs_system {
namespace {

using haspec::testing::ConfigFromSource;
using haspec::testing::ImportError;
using haspec::testing::ImportText;
using haspec::testing::kErrorsCarryNames;
using haspec::testing::ReadSource;
using Event = ImportedEvent<Observation>;

const char kLog[] = "traces/vcs_system/logs/node1/engine_A.log";

Config LogConfig() { return ConfigFromSource<VcsSystem>("traces/vcs_system/logs/config.json"); }

// One seen fact per event, as "line observer>subject=STATE" or
// "line observer:silent"; more than one fact in an event is listed with '+'.
std::string Facts(const Event& e, const Nodes& n) {
  std::string out = std::to_string(e.line) + " ";
  std::string facts;
  for (int o = 0; o < kMaxSystems; ++o) {
    if (e.obs.answered[o] && !*e.obs.answered[o]) facts += "+" + n.Name(o) + ":silent";
    if (e.obs.answered[o] && *e.obs.answered[o]) facts += "+" + n.Name(o) + ":answers";
    if (e.obs.listed[o]) facts += "+" + n.Name(o) + ":listed";
    for (int j = 0; j < kMaxSystems; ++j) {
      if (e.obs.state[o][j]) {
        facts += "+" + n.Name(o) + ">" + n.Name(j) + "=" +
                 std::string(kSysStateNames.Name(*e.obs.state[o][j]));
      }
      if (e.obs.groups_online[o][j]) facts += "+groups";
    }
  }
  return out + facts.substr(facts.empty() ? 0 : 1);
}

std::vector<std::string> AllFacts(const std::vector<Event>& events, const Nodes& n) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(Facts(e, n));
  return out;
}

// What node1's log shows, line by line (the traps, lines 7, 15, 17, 19, 26
// and 33, show nothing).
const std::vector<std::string> kExpected = {
    "6 node1>node1=INITING",
    "8 node1>node1=CURRENT_DISCOVER_WAIT",
    "9 node1>node1=LOCAL_BUILD",
    "12 node1>node1=RUNNING",
    "16 node1>node2=CURRENT_DISCOVER_WAIT",  // INFO, not NOTICE
    "18 node1>node2=REMOTE_BUILD",           // another UMI: keyed on the text
    "20 node1>node2=RUNNING",
    "30 node1>node2=LEAVING",
    "31 node1>node2=EXITED",
    "35 node1>node1=LEAVING",
    "36 node1:silent",  // HAD logs its own exit, then answers no more
};

// Empty when `events` are what node1's log shows; else the first difference.
std::string Check(const std::vector<Event>& events, const Nodes& n) {
  const std::vector<std::string> got = AllFacts(events, n);
  for (std::size_t i = 0; i < std::max(got.size(), kExpected.size()); ++i) {
    const std::string g = i < got.size() ? got[i] : "(none)";
    const std::string w = i < kExpected.size() ? kExpected[i] : "(none)";
    if (g != w) return "event " + std::to_string(i) + ": got \"" + g + "\", want \"" + w + "\"";
  }
  return "";
}

TEST(VcsSystemImport, EngineLogGivesEachStateChangeLineOnlyAsItsOwnPartialObservation) {
  const Config c = LogConfig();
  haspec::testing::ImportRun run;
  const auto events = ImportText<VcsSystem>("engine-log", ReadSource(kLog), c, {}, kLog, &run);
  EXPECT_EQ(Check(events, c.nodes), "");
  EXPECT_EQ(events.front().t, "2024-05-01T09:59:58");  // local time: the log shows no zone
  EXPECT_EQ(run.lines_read, 37);
  EXPECT_EQ(run.lines_skipped, 37 - static_cast<long>(kExpected.size()));
  const auto utc = ImportText<VcsSystem>("engine-log", ReadSource(kLog), c, {{"tz", "Z"}}, kLog);
  EXPECT_EQ(utc.back().t, "2024-05-01T10:12:02Z");
}

// Planted fault: the dossier's regex searched anywhere in every line, as a
// hasty reader would, with no skipping of embedded output and the UMI
// ignored. It picks up the prose and embedded lines, which Check catches.
TEST(VcsSystemImport, PlantedFaultMatchingProseOrEmbeddedOutputIsCaught) {
  const Config c = LogConfig();
  const std::regex shape(R"(System (\S+) \(Node '(\d+)'\) changed state from (\S+) to (\S+))");
  std::vector<Event> naive;
  std::istringstream in(ReadSource(kLog));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, shape)) continue;
    Event e;
    e.line = n;
    e.obs.state[0][*c.nodes.Find(m[1].str())] = *kSysStateNames.Parse(m[4].str());
    naive.push_back(e);
  }
  const std::string diff = Check(naive, c.nodes);
  EXPECT_NE(diff, "");
  EXPECT_NE(diff.find("19 node1>node2=REMOTE_BUILD"), std::string::npos) << diff;  // the prose line
  // Keyed on the UMI instead: line 18 (another UMI) is lost.
  std::vector<Event> by_umi;
  for (const Event& e : naive) {
    if (e.line != 18) by_umi.push_back(e);
  }
  EXPECT_NE(Check(by_umi, c.nodes), "");
}

// Planted fault: each event carries the facts of the events before it.
TEST(VcsSystemImport, PlantedFaultCarryingValuesForwardIsCaught) {
  const Config c = LogConfig();
  auto events = ImportText<VcsSystem>("engine-log", ReadSource(kLog), c, {}, kLog);
  for (std::size_t i = 1; i < events.size(); ++i) {
    for (int o = 0; o < kMaxSystems; ++o) {
      if (!events[i].obs.answered[o]) events[i].obs.answered[o] = events[i - 1].obs.answered[o];
      for (int j = 0; j < kMaxSystems; ++j) {
        if (!events[i].obs.state[o][j]) events[i].obs.state[o][j] = events[i - 1].obs.state[o][j];
      }
    }
  }
  EXPECT_EQ(Check(events, c.nodes),
            "event 4: got \"16 node1>node1=RUNNING+node1>node2=CURRENT_DISCOVER_WAIT\", want "
            "\"16 node1>node2=CURRENT_DISCOVER_WAIT\"");
}

TEST(VcsSystemImport, ObserverComesFromTheOptionOrTheDirectory) {
  const Config c = LogConfig();
  const std::string line =
      "2024/05/01 10:00:00 VCS NOTICE V-16-1-10322 System node2 (Node '1') changed state from "
      "REMOTE_BUILD to RUNNING\n";
  auto e = ImportText<VcsSystem>("engine-log", line, c, {{"observer", "node2"}});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(Facts(e[0], c.nodes), "1 node2>node2=RUNNING");
  e = ImportText<VcsSystem>("engine-log", line, c, {}, "/var/logs/node2/log/engine_A.log");
  EXPECT_EQ(Facts(e[0], c.nodes), "1 node2>node2=RUNNING");
  auto err = ImportError<VcsSystem>("engine-log", line, c, {}, "engine_A.log");
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("cannot tell which system wrote this log"), std::string::npos) << *err;
  err = ImportError<VcsSystem>("engine-log", line, c, {{"observer", "node9"}});
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("unknown node \"node9\""), std::string::npos) << *err;
}

TEST(VcsSystemImport, BadEngineLogInputNamesTheLineAndTheProblem) {
  const Config c = LogConfig();
  const std::map<std::string, std::string, std::less<>> o = {{"observer", "node1"}};
  const std::string ok = "2024/05/01 10:00:00 VCS INFO V-16-1-10077 received new membership.\n";
  auto expect = [&](const std::string& text, const std::string& want) {
    auto err = ImportError<VcsSystem>("engine-log", text, c, o);
    ASSERT_TRUE(err) << "no error for: " << text;
    EXPECT_EQ(err->substr(0, want.size()), want) << *err;
  };
  expect("{\"haspec_trace\": 1}\n", "line 1: not a VCS engine log");
  expect(
      "\n\n\x7f"
      "ELF\x02\x01\n",
      "line 3: not a VCS engine log");
  expect(ok + std::string("abc\0def\n", 8), "line 2: NUL byte at column 4");
  expect(ok + std::string(LogLineReader::kDefaultMaxLine + 10, 'x'), "line 2: line longer than");
  expect(ok + "2024/13/01 10:00:00 VCS NOTICE V-16-1-10322 System node1 (Node '0') changed "
              "state from INITING to RUNNING\n",
         "line 2: bad time \"2024/13/01 10:00:00\"");
  expect(ok + "2024/05/01 10:00:00 VCS NOTICE V-16-1-10322 System node7 (Node '0') changed "
              "state from INITING to RUNNING\n",
         "line 2: unknown system \"node7\"");
  try {
    ImportText<VcsSystem>("engine-log",
                          ok + "2024/05/01 10:00:00 VCS NOTICE V-16-1-10322 System node2 (Node "
                               "'1') changed state from RUNNING to DEGRADED\n",
                          c, o);
    ADD_FAILURE() << "an unknown state passed";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), "line 2");
    EXPECT_EQ(UnknownNameOf(e),
              kErrorsCarryNames ? "DEGRADED" : "");  // replay reports it as vocabulary drift
  }
  auto err = ImportError<VcsSystem>("engine-log", ok, c, {{"observer", "node1"}, {"tz", "CET"}});
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("--option tz"), std::string::npos) << *err;
  // Empty input and a log without state changes give no events, and no error.
  EXPECT_TRUE(ImportText<VcsSystem>("engine-log", "", c, o).empty());
  EXPECT_TRUE(ImportText<VcsSystem>("engine-log", ok + ok, c, o).empty());
  // An embedded output never closed swallows the rest, which is skipped.
  EXPECT_TRUE(ImportText<VcsSystem>("engine-log", ok + "+-----+\n" + ok, c, o).empty());
}

TEST(VcsSystemImport, SnapshotsGiveListingsAtTheirTimes) {
  const Config c = LogConfig();
  auto e =
      ImportText<VcsSystem>("hasys-state", ReadSource("traces/vcs_system/logs/hasys-state.txt"), c);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].t, "2024-05-01T10:01:00Z");
  EXPECT_EQ(Facts(e[0], c.nodes), "2 node1:answers+node1:listed+node1>node1=RUNNING");
  EXPECT_EQ(Facts(e[1], c.nodes),
            "7 node1:answers+node1:listed+node1>node1=RUNNING+node1>node2=RUNNING+node2:answers+"
            "node2:listed+node2>node1=RUNNING+node2>node2=RUNNING");
  // Not carried forward: node2's output of 10:03 is not in the 10:09 event.
  EXPECT_EQ(Facts(e[2], c.nodes),
            "17 node1:answers+node1:listed+node1>node1=RUNNING+node1>node2=EXITED");
  e = ImportText<VcsSystem>("hastatus-sum",
                            ReadSource("traces/vcs_system/logs/node1/hastatus-sum.txt"), c, {},
                            "traces/vcs_system/logs/node1/hastatus-sum.txt");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(Facts(e[1], c.nodes),
            "16 node1:answers+node1:listed+node1>node1=RUNNING+node1>node2=EXITED");
}

TEST(VcsSystemImport, BadSnapshotsNameTheFileLine) {
  const Config c = LogConfig();
  const std::string head = "@ 2024-05-01T10:01:00Z\n==> node1 <==\n#System Attribute Value\n";
  auto err = ImportError<VcsSystem>(
      "hasys-state", head + "node1 SysState RUNNING\n" + "node2 SysState SLEEPING\n", c);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 34), "line 5: unknown system state \"SLEE") << *err;
  err = ImportError<VcsSystem>("hasys-state", "@ yesterday\n", c);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 27), "line 1: bad snapshot time \"") << *err;
  err = ImportError<VcsSystem>("hasys-state", head + "node3 SysState RUNNING\n", c);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 32), "line 3: unknown system \"node3\" (") << *err;
  err = ImportError<VcsSystem>("hastatus-sum", "@ 2024-05-01T10:01:00Z\n==> node1 <==\nhello\n", c);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->substr(0, 24), "line 3: no \"-- SYSTEM ST") << *err;
}

TEST(VcsSystemImport, GarbageEndsInEventsOrAParseError) {
  const Config c = LogConfig();
  std::vector<std::string> pieces;
  std::istringstream in(ReadSource(kLog) + ReadSource("traces/vcs_system/logs/hasys-state.txt"));
  for (std::string l; std::getline(in, l);) pieces.push_back(l);
  haspec::testing::ImportGarbage<VcsSystem>("engine-log", c, pieces, {{"observer", "node1"}});
  haspec::testing::ImportGarbage<VcsSystem>("hasys-state", c, pieces, {{"observer", "node1"}});
  haspec::testing::ImportGarbage<VcsSystem>("hastatus-sum", c, pieces, {{"observer", "node1"}});
}

}  // namespace
}  // namespace haspec::vcs_system
