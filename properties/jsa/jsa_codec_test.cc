// JSON codecs and the status-line format of the JSA machine: round trips on
// reachable states, and errors that say where and what.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "model/jsa/status_log.h"
#include "properties/jsa/jsa_properties.h"

namespace haspec::jsa {
namespace {

using nlohmann::json;

const Nodes kNames = Jsa::DefaultConfig().nodes;

RC_GTEST_PROP(JsaCodec, StatesOpsAndObservationsRoundTrip, ()) {
  const auto t = *testing::GenTraceFrom<Jsa>(*rc::gen::arbitrary<bool>() ? Jsa::Initial()
                                                                         : props::Pair<Jsa>(true));
  // The product's own host names, as a configuration gives them.
  const Nodes names({"qradar-pri", "qradar-sec"});
  for (const State& s : t.states) {
    for (const Nodes* n : {&kNames, &names}) {
      RC_ASSERT(Jsa::StateFromJson(json::parse(Jsa::StateToJson(s, *n).dump()), *n) == s);
      const Observation o = Jsa::Observe(s);
      RC_ASSERT(Jsa::ObservationFromJson(Jsa::ObservationToJson(o, *n), *n) == o);
    }
  }
  std::vector<Op> ops;
  Jsa::CandidateOps(t.last, ops);
  ops.push_back(RepairHost{kSecondary, true});
  for (const Op& op : ops) {
    const Op back = OpFromJson<Op>(json::parse(OpToJson(op, names).dump()), names);
    RC_ASSERT(back == op);
    RC_ASSERT(Jsa::Show(back, names) == Jsa::Show(op, names));
  }
}

using testing::ErrorOf;

TEST(JsaCodec, BadJsonNamesTheFieldAndTheProblem) {
  struct Row {
    const char* json;
    const char* want;
  };
  const Row ops[] = {
      {R"({"op":"fly"})", "op: unknown op \"fly\" (expected one of create_pair"},
      {R"({"op":"host_fails"})", "host: missing field (node name)"},
      {R"({"op":"host_fails","host":"tertiary"})",
       "host: unknown node \"tertiary\" (expected primary or secondary)"},
      {R"({"op":"host_fails","host":2})", "host: expected a node name, got number"},
      {R"({"op":"set_offline","host":"primary","force":true})",
       "force: unknown field of op set_offline (its fields: host)"},
      {R"({"op":"host_fails","host":"primary","cause":"flood"})",
       "cause: unknown value \"flood\" (expected power, heartbeat, raid, nfs_read_only or "
       "not_capable)"},
      {R"({"op":"connectivity_test","sweep_ok":"no"})",
       "sweep_ok: expected true or false, got string"},
  };
  for (const Row& r : ops) {
    auto decode = [&] { OpFromJson<Op>(json::parse(r.json), kNames); };
    EXPECT_EQ(ErrorOf(decode).rfind(r.want, 0), 0u) << r.json << " -> " << ErrorOf(decode);
  }
  const Row states[] = {
      {R"({"hosts":[]})", "hosts: the primary is missing"},
      {R"({"paired":true,"hosts":[{"role":"primary","status":"Active","version":1}]})",
       "hosts: \"paired\" is true but the secondary is missing"},
      {R"({"hosts":[{"role":"primary","status":"Dormant","version":1}]})",
       "hosts[0].status: unknown value \"Dormant\" (expected ACTIVE, STANDBY"},
      {R"({"secondary_release":"sideways","hosts":[{"role":"primary","status":"Active"}]})",
       "secondary_release: unknown value \"sideways\" (expected same, behind or ahead)"},
      {R"({"hosts":[{"role":"primary","host":"secondary","status":"Active"}]})",
       "hosts[0].host: host \"secondary\" is not the primary (primary)"},
      {R"({"hosts":[{"role":"primary","status":"Active","version":1},{"role":"secondary","status":"Standby","version":1}]})",
       "hosts[1].role: a secondary is listed but \"paired\" is false"},
      {R"({"paired":true,"hosts":[{"role":"primary","status":"Active","version":1},{"role":"primary","status":"Standby","version":1}]})",
       "hosts[1].role: the primary is listed twice"},
  };
  for (const Row& r : states) {
    auto decode = [&] { Jsa::StateFromJson(json::parse(r.json), kNames); };
    EXPECT_EQ(ErrorOf(decode).rfind(r.want, 0), 0u) << r.json << " -> " << ErrorOf(decode);
  }
  const Row observations[] = {
      {R"({"hosts":{"tertiary":{"status":"ACTIVE"}}})",
       "hosts.tertiary: unknown host \"tertiary\" (expected primary or secondary)"},
      {R"({"hosts":{"primary":"absent"}})", "hosts.primary: the primary host is never absent"},
      {R"({"hosts":{"secondary":"gone"}})",
       "hosts.secondary: expected an object (status, vip, services) or \"absent\", got string"},
      {R"({"hosts":{"primary":{"status":"Dormant"}}})",
       "hosts.primary.status: unknown value \"Dormant\" (expected ACTIVE"},
      {R"({"hosts":{"primary":{"colour":"red"}}})",
       "hosts.primary.colour: unknown field (expected status, vip, services)"},
      {R"({"active":"tertiary"})", "active: unknown host \"tertiary\""},
      {R"({"licensed":"yes"})", "licensed: expected true or false, got string"},
      {R"({"weather":"fine"})", "weather: unknown field (expected hosts, active"},
  };
  for (const Row& r : observations) {
    auto decode = [&] { Jsa::ObservationFromJson(json::parse(r.json), kNames); };
    EXPECT_EQ(ErrorOf(decode).rfind(r.want, 0), 0u) << r.json << " -> " << ErrorOf(decode);
  }
}

// The [RECON] example of dossier 4.4, read as the assumed format.
TEST(JsaStatusLog, ReadsTheDossierExample) {
  const std::string text =
      "2024-05-01T10:00:00Z host=qradar-pri role=primary status=Active\n"
      "2024-05-01T10:05:12Z host=qradar-pri role=primary status=Failed\n"
      "2024-05-01T10:05:12Z host=qradar-sec role=secondary status=Active\n";
  const auto lines = ParseStatusLog(text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2].line, 3);
  EXPECT_EQ(lines[2].host, "qradar-sec");
  const auto obs = ObservationsFromLog(lines);
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(Jsa::Show(obs[0].observation), "[primary Active]");
  EXPECT_EQ(Jsa::Show(obs[1].observation), "[primary Failed; secondary Active]");
  EXPECT_EQ(obs[1].timestamp, "2024-05-01T10:05:12Z");
  EXPECT_EQ(FormatStatusLog(lines), text);
}

TEST(JsaStatusLog, AcceptsLabelsNamesQuotesCommentsAndAnyFieldOrder) {
  const std::string text =
      "# exported from System and License Management\n"
      "\n"
      "2024-05-01T10:00:00.5Z role=primary host=qradar-pri status=\"Needs License\"\n"
      "  2024-05-01T10:00:01Z status=NEEDS_UPGRADE host=qradar-sec role=Secondary\r\n"
      "2024-05-01T10:00:02Z host=qradar-pri role=primary status=Setting Offline  \n";
  const auto lines = ParseStatusLog(text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[0].status, Status::kNeedsLicense);
  EXPECT_EQ(lines[1].status, Status::kNeedsUpgrade);
  EXPECT_EQ(lines[2].status, Status::kSettingOffline);
  const auto obs = ObservationsFromLog(lines);
  ASSERT_EQ(obs.size(), 3u);
  EXPECT_EQ(Jsa::Show(obs[0].observation), "[primary Needs License]");
  // Each line group shows only the hosts it names: nothing is carried forward.
  EXPECT_EQ(Jsa::Show(obs[1].observation), "[secondary Needs Upgrade]");
  EXPECT_EQ(Jsa::Show(obs[2].observation), "[primary Setting Offline]");
}

// A line about the secondary alone is a partial observation: the secondary
// exists, the primary is not seen.
TEST(JsaStatusLog, SecondaryAloneIsAPartialObservation) {
  const auto obs = ObservationsFromLog(
      ParseStatusLog("# header\n"
                     "2024-05-01T10:00:00Z host=s role=secondary status=Standby\n"
                     "2024-05-01T10:00:01Z host=p role=primary status=Active\n"));
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(Jsa::Show(obs[0].observation), "[secondary Standby]");
  EXPECT_EQ(obs[0].observation.secondary, true);
  EXPECT_FALSE(obs[0].observation.hosts[kPrimary].status.has_value());
  EXPECT_EQ(Jsa::Show(obs[1].observation), "[primary Active]");
  EXPECT_FALSE(obs[1].observation.secondary.has_value());
  // A primary in the same second as the secondary joins its observation.
  const auto same = ObservationsFromLog(
      ParseStatusLog("2024-05-01T10:00:00Z host=s role=secondary status=Standby\n"
                     "2024-05-01T10:00:00Z host=p role=primary status=Active\n"));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(Jsa::Show(same[0].observation), "[primary Active; secondary Standby]");
}

// With a configuration, each line's host must be the configured host of its
// role.
TEST(JsaStatusLog, ChecksHostNamesAgainstTheConfiguration) {
  const Nodes names({"qradar-pri", "qradar-sec"});
  EXPECT_EQ(
      ParseStatusLog("2024-05-01T10:00:00Z host=qradar-sec role=secondary status=Standby\n", &names)
          .size(),
      1u);
  EXPECT_EQ(ErrorOf([&] {
              ParseStatusLog("2024-05-01T10:00:00Z host=qradar-pri role=secondary status=Standby",
                             &names);
            }),
            "line 1: host \"qradar-pri\" is not the configured secondary \"qradar-sec\"");
}

TEST(JsaStatusLog, ErrorsNameTheLineAndTheProblem) {
  const std::string ok = "2024-05-01T10:00:00Z host=a role=primary status=Active\n";
  struct Row {
    std::string text;
    std::string want;
  };
  const Row rows[] = {
      {"yesterday host=a role=primary status=Active",
       "line 1: bad timestamp \"yesterday\" (expected UTC ISO 8601 such as 2024-05-01T10:00:00Z)"},
      {"2024-05-01T10:00:00 host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-13-01T10:00:00Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-05-00T10:00:00Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-05-32T10:00:00Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-05-01T24:00:00Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-05-01T10:60:00Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {"2024-05-01T10:00:61Z host=a role=primary status=Active", "line 1: bad timestamp"},
      {ok + "2024-05-01T10:00:01Z host=a role=primary", "line 2: missing status="},
      {ok + "2024-05-01T10:00:01Z role=primary status=Active", "line 2: missing host="},
      {"2024-05-01T10:00:00Z host=a status=Active", "line 1: missing role="},
      {"2024-05-01T10:00:00Z host=a role=tertiary status=Active",
       "line 1: unknown role \"tertiary\" (expected primary or secondary)"},
      {"2024-05-01T10:00:00Z host=a role=primary status=Dormant",
       "line 1: unknown status \"Dormant\" (expected Active, Standby, Failed, Synchronizing, "
       "Online, "
       "Offline, Restoring, Needs License, Setting Offline, Setting Online, Needs Upgrade or "
       "Upgrading)"},
      {"2024-05-01T10:00:00Z host=a role=primary status=Active extra=1",
       "line 1: unknown field \"extra\" (expected host, role or status)"},
      {"2024-05-01T10:00:00Z host=a role=primary status=Needs Licence",
       "line 1: unknown status \"Needs Licence\""},
      {"2024-05-01T10:00:00Z host=a role=primary color=red status=Active",
       "line 1: unknown field \"color\" (expected host, role or status)"},
      {"2024-05-01T10:00:00Z host=a host=b role=primary status=Active",
       "line 1: host= given twice"},
      {"2024-05-01T10:00:00Z host=a role=primary status=\"Needs License",
       "line 1: status= has an unterminated quote"},
      {"2024-05-01T10:00:00Z host=a role=primary garbage status=Active",
       "line 1: expected key=value, got \"garbage\""},
      {"2024-05-01T10:00:00Z host=a/b role=primary status=Active", "line 1: bad host name \"a/b\""},
      {ok + "2024-05-01T09:59:59Z host=a role=primary status=Failed",
       "line 2: timestamp 2024-05-01T09:59:59Z is earlier than line 1's"},
      {ok + "2024-05-01T10:00:01Z host=a role=secondary status=Standby",
       "line 2: host \"a\" is the primary since line 1, not the secondary"},
      {ok + "2024-05-01T10:00:01Z host=b role=primary status=Failed",
       "line 2: the primary is \"a\" (line 1), not \"b\""},
  };
  for (const Row& r : rows) {
    const std::string got = ErrorOf([&] { ParseStatusLog(r.text); });
    EXPECT_EQ(got.rfind(r.want, 0), 0u) << "input: " << r.text << "\n got: " << got;
  }
}

TEST(JsaStatusLog, ParseErrorCarriesWhereAndProblemApart) {
  try {
    ParseStatusLog("\n\n2024-05-01T10:00:00Z host=a role=primary status=Dormant\n");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.where(), "line 3");
    EXPECT_EQ(e.problem().rfind("unknown status \"Dormant\"", 0), 0u) << e.problem();
  }
}

TEST(JsaStatusLog, SameRoleTwiceInOneSecondKeepsBothObservations) {
  const auto lines = ParseStatusLog(
      "2024-05-01T10:00:00Z host=p role=primary status=Active\n"
      "2024-05-01T10:00:00Z host=p role=primary status=Setting Offline\n"
      "2024-05-01T10:00:00Z host=s role=secondary status=Active\n");
  const auto obs = ObservationsFromLog(lines);
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(Jsa::Show(obs[0].observation), "[primary Active]");
  EXPECT_EQ(obs[0].line, 1);
  EXPECT_EQ(Jsa::Show(obs[1].observation), "[primary Setting Offline; secondary Active]");
}

}  // namespace
}  // namespace haspec::jsa
