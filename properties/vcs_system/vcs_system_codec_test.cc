// JSON codecs and the operator-facing text (hasys -state, hastatus -sum):
// round trips on random reachable states, the dossier's real samples, and
// errors that name the line or field and the problem.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "model/vcs_system/cli_text.h"
#include "properties/core/json_paths.h"
#include "properties/vcs_system/vcs_system_properties.h"

namespace haspec::vcs_system {
namespace {

using nlohmann::json;

const Nodes& PropsNodes() {
  static const Nodes nodes = props::PropsConfig().nodes;
  return nodes;
}

RC_GTEST_PROP(VcsSystemCodec, StateJsonRoundTrips, ()) {
  State s = props::GenState<VcsSystem>();
  json j = VcsSystem::StateToJson(s, PropsNodes());
  State back = VcsSystem::StateFromJson(json::parse(j.dump()), PropsNodes());
  if (!(back == s))
    RC_FAIL("round trip changed " + VcsSystem::Show(s) + " into " + VcsSystem::Show(back));
  RC_ASSERT(VcsSystem::Hash(back) == VcsSystem::Hash(s));
}

RC_GTEST_PROP(VcsSystemCodec, OpJsonRoundTrips, ()) {
  State s = props::GenState<VcsSystem>();
  std::vector<Op> ops;
  VcsSystem::CandidateOps(s, ops);
  for (const Op& op : ops) {
    Op back = OpFromJson<Op>(json::parse(OpToJson(op, PropsNodes()).dump()), PropsNodes());
    if (!(back == op))
      RC_FAIL("op round trip: " + VcsSystem::Show(op) + " became " + VcsSystem::Show(back));
  }
}

RC_GTEST_PROP(VcsSystemCodec, ObservationJsonRoundTrips, ()) {
  Observation o = VcsSystem::Observe(props::GenState<VcsSystem>());
  Observation back = VcsSystem::ObservationFromJson(
      json::parse(VcsSystem::ObservationToJson(o, PropsNodes()).dump()), PropsNodes());
  if (!(back == o)) {
    RC_FAIL("observation round trip: " + VcsSystem::Show(o, PropsNodes()) + " became " +
            VcsSystem::Show(back, PropsNodes()));
  }
}

using testing::ObjectPaths;

// A misspelt key in any object of a real observation (a fixed-key object or
// a map keyed by system) ends the parse at that key's path: the gate stops
// instead of reading the fact as "not seen".
RC_GTEST_PROP(VcsSystemCodec, AnUnknownKeyAnywhereInAnObservationIsRejectedAtItsPath, ()) {
  const json good =
      VcsSystem::ObservationToJson(VcsSystem::Observe(props::GenState<VcsSystem>()), PropsNodes());
  std::vector<std::pair<std::string, json::json_pointer>> objects;
  ObjectPaths(good, "", json::json_pointer(), objects);
  for (const auto& [path, at] : objects) {
    json bad = good;
    bad[at]["satus"] = "RUNNING";
    const std::string want = path.empty() ? "satus" : path + ".satus";
    try {
      VcsSystem::ObservationFromJson(bad, PropsNodes());
      RC_FAIL("accepted an unknown key at " + want + ": " + bad.dump());
    } catch (const ParseError& e) {
      RC_ASSERT(e.where() == want);
      RC_ASSERT(e.problem().rfind("unknown ", 0) == 0);
    }
  }
}

// Printing what each engine shows and parsing it back gives the same
// listing, in both formats, and fills that observer only.
RC_GTEST_PROP(VcsSystemCodec, HasysStateAndHastatusTextRoundTrip, ()) {
  Observation o = VcsSystem::Observe(props::GenState<VcsSystem>());
  for (int i = 0; i < props::kSystems; ++i) {
    if (!o.listed[i]) continue;
    std::vector<SystemRow> rows = RowsFor(o, PropsNodes(), i);
    std::string hasys = FormatHasysState(rows);
    std::string hastatus = FormatHastatusSummary(rows);
    RC_ASSERT(ParseHasysState(hasys) == rows);
    RC_ASSERT(ParseHastatusSummary(hastatus) == rows);
    Observation back;
    AddListing(back, PropsNodes(), i, ParseHastatusSummary(hastatus));
    RC_ASSERT(back.listed[i] == o.listed[i]);
    RC_ASSERT(back.state[i] == o.state[i]);
    for (int other = 0; other < kMaxSystems; ++other) {
      if (other != i) RC_ASSERT(!back.answered[other] && !back.listed[other]);
    }
    RC_ASSERT(ParseBareSysState(std::string(kSysStateNames.Name(*o.state[i][i])) + "\n") ==
              *o.state[i][i]);
  }
}

// The real samples of dossier 1.5 (host names as published).
TEST(VcsSystemText, ParsesTheDossierHastatusSample) {
  const std::string sample =
      "-- SYSTEM STATE\n"
      "-- System               State                Frozen\n"
      "\n"
      "A  xha239194            RUNNING              0\n"
      "A  xha239195            RUNNING              0\n"
      "\n"
      "-- GROUP STATE\n"
      "-- Group           System               Probed     AutoDisabled    State\n"
      "\n"
      "B  vxfen           xha239194            Y          N               ONLINE\n"
      "B  vxfen           xha239195            Y          N               ONLINE\n";
  auto rows = ParseHastatusSummary(sample);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (SystemRow{"xha239194", SysState::kRunning, false}));
  EXPECT_EQ(rows[1], (SystemRow{"xha239195", SysState::kRunning, false}));
  // Names outside the configuration cannot be mapped onto the model's systems.
  Observation o;
  try {
    AddListing(o, VcsSystem::DefaultConfig().nodes, 0, rows);
    FAIL() << "expected a ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown system \"xha239194\""), std::string::npos)
        << e.what();
  }
  // With the product's names in the configuration it is a partial
  // observation of xha239194 alone: xha239195's engine is not seen, not down.
  Nodes named({"xha239194", "xha239195"});
  AddListing(o, named, 0, rows);
  EXPECT_EQ(o.answered[0], true);
  EXPECT_EQ(o.listed[0], SystemSet{3});
  EXPECT_FALSE(o.answered[1].has_value());
  EXPECT_FALSE(o.listed[1].has_value());
  Config c;
  c.nodes = named;
  State s = VcsSystem::Initial(c);
  for (std::uint8_t i : {0, 1}) s = VcsSystem::Step(s, Hastart{i}).next;
  for (std::uint8_t i : {0, 1}) s = VcsSystem::Step(s, Join{i}).next;
  s = VcsSystem::Step(s, Discover{0}).next;
  s = VcsSystem::Step(s, LocalBuildDone{0}).next;
  s = VcsSystem::Step(s, Discover{1}).next;
  s = VcsSystem::Step(s, RemoteBuildDone{1}).next;
  EXPECT_EQ(VcsSystem::Consistent(s, o), Fit::kMatch);
}

TEST(VcsSystemText, ParsesTheDossierHasysStateSample) {
  auto rows = ParseHasysState(
      "#System          Attribute      Value\n"
      "dave             SysState       RUNNING\n"
      "stuart           SysState       FAULTED\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (SystemRow{"stuart", SysState::kFaulted, false}));
  EXPECT_EQ(ParseBareSysState("REMOTE_BUILD\n"), SysState::kRemoteBuild);
}

TEST(VcsSystemText, ParsesTheDossierHagrpStateSample) {
  auto rows = ParseHagrpState(
      "#Group    Attribute   System      Value\n"
      "vxfen     State       sys0        |ONLINE|\n"
      "app       State       sys0        |OFFLINE|\n"
      "vxfen     State       sys1        |OFFLINE|STATE UNKNOWN|\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2], (GroupRow{"vxfen", "sys1", "OFFLINE|STATE UNKNOWN"}));
  Observation o;
  AddGroupStates(o, VcsSystem::DefaultConfig().nodes, 1, rows);
  EXPECT_EQ(o.groups_online[1][0], true);           // one group ONLINE
  EXPECT_FALSE(o.groups_online[1][1].has_value());  // a state the model cannot map: not seen
  EXPECT_FALSE(o.listed[1].has_value());            // hagrp -state lists no systems
  EXPECT_EQ(ParseHagrpState(FormatHagrpState(rows)), rows);
}

TEST(VcsSystemText, PrintsTheProductLayout) {
  std::vector<SystemRow> rows = {{"sys0", SysState::kRunning, false},
                                 {"sys1", SysState::kFaulted, false}};
  EXPECT_EQ(FormatHasysState(rows),
            "#System          Attribute      Value\n"
            "sys0             SysState       RUNNING\n"
            "sys1             SysState       FAULTED\n");
  EXPECT_EQ(FormatHastatusSummary(rows),
            "-- SYSTEM STATE\n"
            "-- System               State                Frozen\n"
            "\n"
            "A  sys0                 RUNNING              0\n"
            "A  sys1                 FAULTED              0\n");
}

struct BadText {
  const char* name;
  enum { kHasys, kHastatus, kBare } format;
  const char* text;
  const char* where;
  const char* problem;  // a substring of the message
};

void PrintTo(const BadText& b, std::ostream* os) { *os << b.name; }

class VcsSystemBadText : public ::testing::TestWithParam<BadText> {};

TEST_P(VcsSystemBadText, IsRejectedWithLineAndProblem) {
  const BadText& b = GetParam();
  try {
    if (b.format == BadText::kHasys) ParseHasysState(b.text);
    if (b.format == BadText::kHastatus) ParseHastatusSummary(b.text);
    if (b.format == BadText::kBare) ParseBareSysState(b.text);
    FAIL() << "accepted: " << b.text;
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), b.where) << e.what();
    EXPECT_NE(e.problem().find(b.problem), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VcsSystemBadText,
    ::testing::Values(
        BadText{"HasysNoHeader", BadText::kHasys, "sys0 SysState RUNNING\n", "line 1",
                "expected the header"},
        BadText{"HasysEmpty", BadText::kHasys, "\n\n", "line 1", "empty output"},
        BadText{"HasysUnknownState", BadText::kHasys,
                "#System Attribute Value\nsys0 SysState RUNNING\nsys1 SysState RUNNIN\n", "line 3",
                "unknown system state \"RUNNIN\" (expected INITING"},
        BadText{"HasysOtherAttribute", BadText::kHasys, "#System Attribute Value\nsys0 Frozen 0\n",
                "line 2", "expected the attribute SysState, got \"Frozen\""},
        BadText{"HasysMissingColumn", BadText::kHasys, "#System Attribute Value\n\nsys0 RUNNING\n",
                "line 3", "got 2 column(s)"},
        BadText{"HasysTwice", BadText::kHasys,
                "#System Attribute Value\nsys0 SysState RUNNING\nsys0 SysState EXITED\n", "line 3",
                "appears twice"},
        BadText{"HastatusNoSection", BadText::kHastatus, "-- GROUP STATE\nB g sys0 Y N ONLINE\n",
                "", "no \"-- SYSTEM STATE\" section"},
        BadText{"HastatusBadHeader", BadText::kHastatus, "-- SYSTEM STATE\n-- System State\n",
                "line 2", "expected the column header"},
        BadText{"HastatusTruncated", BadText::kHastatus, "-- SYSTEM STATE\n", "", "ends before"},
        BadText{"HastatusNotARow", BadText::kHastatus,
                "-- SYSTEM STATE\n-- System State Frozen\n\nB  sys0 RUNNING 0\n", "line 4",
                "starting with \"A\""},
        BadText{"HastatusFrozen", BadText::kHastatus,
                "-- SYSTEM STATE\n-- System State Frozen\nA  sys0 RUNNING yes\n", "line 3",
                "Frozen must be 0 or 1, got \"yes\""},
        BadText{"HastatusUnknownState", BadText::kHastatus,
                "-- SYSTEM STATE\n-- System State Frozen\nA  sys0 ONLINE 0\n", "line 3",
                "unknown system state \"ONLINE\""},
        BadText{"BareTwoLines", BadText::kBare, "RUNNING\nEXITED\n", "line 2",
                "expected one state value"},
        BadText{"BareEmpty", BadText::kBare, "", "line 1", "empty output"},
        BadText{"BareUnknown", BadText::kBare, "\nSTARTING\n", "line 2",
                "unknown system state \"STARTING\""}),
    [](const auto& p) { return std::string(p.param.name); });

struct BadJson {
  const char* name;
  enum { kState, kOp, kObservation, kConfig } what;
  const char* text;
  const char* where;
  const char* problem;
};

void PrintTo(const BadJson& b, std::ostream* os) { *os << b.name; }

class VcsSystemBadJson : public ::testing::TestWithParam<BadJson> {};

TEST_P(VcsSystemBadJson, IsRejectedWithFieldAndProblem) {
  const BadJson& b = GetParam();
  json j = json::parse(b.text);
  const Nodes nodes = props::PropsConfig().nodes;
  try {
    if (b.what == BadJson::kState) VcsSystem::StateFromJson(j, nodes);
    if (b.what == BadJson::kOp) OpFromJson<Op>(j, nodes);
    if (b.what == BadJson::kObservation) VcsSystem::ObservationFromJson(j, nodes);
    if (b.what == BadJson::kConfig) VcsSystem::ConfigFromJson(j);
    FAIL() << "accepted: " << b.text;
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), b.where) << e.what();
    EXPECT_NE(e.problem().find(b.problem), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VcsSystemBadJson,
    ::testing::Values(
        BadJson{"StateNoSystems", BadJson::kState, R"({"machine":"vcs-system"})", "systems",
                "missing field"},
        BadJson{"StateOtherMachine", BadJson::kState, R"({"machine":"dsm","systems":[]})",
                "machine", "expected \"vcs-system\""},
        BadJson{"StateBadState", BadJson::kState, R"({"systems":[{"system":"sys0","state":"UP"}]})",
                "systems[0].state", "unknown value \"UP\""},
        BadJson{"StateBadSystem", BadJson::kState,
                R"({"systems":[{"system":"sys7","state":"RUNNING"}]})", "systems[0].system",
                "unknown system \"sys7\""},
        BadJson{
            "StateTwice", BadJson::kState,
            R"({"systems":[{"system":"sys0","state":"RUNNING"},{"system":"sys0","state":"RUNNING"}]})",
            "systems[1].system", "listed twice"},
        BadJson{
            "StateHugeLabel", BadJson::kState,
            R"({"systems":[{"system":"sys0","state":"RUNNING","run_cfg":77777777777777777777777}]})",
            "systems[0].run_cfg", "expected an integer"},
        BadJson{"StateLabelOutOfRange", BadJson::kState,
                R"({"systems":[{"system":"sys0","state":"RUNNING","run_cfg":200}]})",
                "systems[0].run_cfg", "0..64"},
        BadJson{"StateSeenRunning", BadJson::kState,
                R"({"systems":[{"system":"sys0","state":"RUNNING","seen":{"sys1":"RUNNING"}}]})",
                "systems[0].seen.sys1", "a gone system is seen as EXITED or FAULTED"},
        BadJson{"StateRemoteBuildWithoutSource", BadJson::kState,
                R"({"systems":[{"system":"sys1","state":"REMOTE_BUILD"}]})", "systems[0].source",
                "missing field"},
        BadJson{"OpUnknown", BadJson::kOp, R"({"op":"hastrat","sys":"sys0"})", "op",
                "unknown op \"hastrat\" (expected one of hastart, join"},
        BadJson{"OpBadMode", BadJson::kOp, R"({"op":"hastart","sys":"sys0","mode":"-onenode"})",
                "mode", "unknown value \"-onenode\""},
        BadJson{"OpNoTarget", BadJson::kOp, R"({"op":"hasys_delete","on":"sys0"})", "target",
                "missing field"},
        BadJson{"OpUnknownSystem", BadJson::kOp, R"({"op":"crash","sys":"sys9"})", "sys",
                "unknown node \"sys9\""},
        BadJson{"OpNodeNumber", BadJson::kOp, R"({"op":"crash","sys":200})", "sys",
                "expected a node name"},
        BadJson{"OpUnknownField", BadJson::kOp, R"({"op":"crash","sys":"sys0","force":true})",
                "force", "unknown field of op crash"},
        BadJson{"ObservationBadState", BadJson::kObservation,
                R"({"observers":[{"observer":"sys0","states":{"sys0":"up"}}]})",
                "observers[0].states.sys0", "unknown value \"up\""},
        BadJson{
            "ObservationStateOutsideListing", BadJson::kObservation,
            R"({"observers":[{"observer":"sys0","listed":["sys0"],"states":{"sys1":"RUNNING"}}]})",
            "observers[0].states.sys1", "the listing leaves out"},
        BadJson{"ObservationUnknownKey", BadJson::kObservation,
                R"({"observers":[{"observer":"sys0","table":[]}]})", "observers[0].table",
                "unknown field (expected observer, answered, listed, states, groups_online)"},
        BadJson{"ObservationUnknownTopKey", BadJson::kObservation,
                R"({"observers":[],"observer":"sys0"})", "observer",
                "unknown field (expected observers)"},
        BadJson{"ObservationUnknownSystemInStates", BadJson::kObservation,
                R"({"observers":[{"observer":"sys0","states":{"sys9":"RUNNING"}}]})",
                "observers[0].states.sys9", "unknown system \"sys9\""},
        BadJson{"ObservationUnknownSystemInGroups", BadJson::kObservation,
                R"({"observers":[{"observer":"sys0","groups_online":{"Sys1":true}}]})",
                "observers[0].groups_online.Sys1", "unknown system \"Sys1\""},
        BadJson{"StateUnknownTopKey", BadJson::kState,
                R"({"systems":[{"system":"sys0","state":"RUNNING"}],"entry":["sys0"]})", "entry",
                "unknown field (expected machine, entries, systems)"},
        BadJson{"StateUnknownSystemKey", BadJson::kState,
                R"({"systems":[{"system":"sys0","state":"RUNNING","groups":true}]})",
                "systems[0].groups",
                "unknown field (expected system, state, main_cf, disk_cfg, current, "
                "groups_online, run_cfg, seen, source, snapshot_cfg, build_cfg)"},
        BadJson{
            "ConfigTooMany", BadJson::kConfig,
            R"({"systems":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]})",
            "systems", "17 systems (expected 1..16)"},
        BadJson{"ConfigEmpty", BadJson::kConfig, R"({"systems":[]})", "systems", "0 systems"},
        BadJson{"ConfigDuplicate", BadJson::kConfig, R"({"systems":["a","b","a"]})", "systems[2]",
                "duplicate system name \"a\""},
        BadJson{"ConfigUnknownStale", BadJson::kConfig, R"({"systems":["a","b"],"stale":["c"]})",
                "stale[0]", "unknown system \"c\""},
        BadJson{"ConfigStaleAndInvalid", BadJson::kConfig,
                R"({"systems":["a","b"],"stale":["a"],"invalid":["a"]})", "invalid",
                "either stale or invalid"},
        BadJson{"ConfigUnknownKey", BadJson::kConfig, R"({"nodes":["a"]})", "nodes",
                "unknown field (expected systems, no_entry, stale, invalid, machine)"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(VcsSystemCodec, StateJsonNamesTheProductStates) {
  State s = props::RunningCluster<VcsSystem>(1);
  json j = VcsSystem::StateToJson(s, PropsNodes());
  EXPECT_EQ(j["machine"], "vcs-system");
  EXPECT_EQ(j["systems"][0]["state"], "RUNNING");
  EXPECT_EQ(j["entries"], json::parse(R"(["sys0","sys1","sys2","sys3"])"));
  EXPECT_EQ(OpToJson(Op{Hastart{2, StartMode::kStale}}, PropsNodes()),
            json::parse(R"({"op":"hastart","sys":"sys2","mode":"stale"})"));
}

}  // namespace
}  // namespace haspec::vcs_system
