// DSM codecs: ops (derived from their declarations), states, observations and
// configurations round-trip through JSON and fail with messages that name the
// field; the REST payload parsers give partial observations.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "model/dsm/payloads.h"
#include "properties/core/harness.h"
#include "properties/dsm/dsm_properties.h"

namespace haspec::dsm {
namespace {

using nlohmann::json;
using testing::ErrorOf;

RC_GTEST_PROP(DsmCodec, StatesOpsAndObservationsRoundTrip, ()) {
  const Nodes nodes = props::FullConfig().nodes;
  auto t = *testing::GenTraceFrom<Dsm>(props::Empty<Dsm>());
  RC_ASSERT(Dsm::StateFromJson(Dsm::StateToJson(t.last, nodes), nodes) == t.last);
  for (const Op& op : t.ops) RC_ASSERT(OpFromJson<Op>(OpToJson(op, nodes), nodes) == op);
  Observation o = Dsm::Observe(t.last);
  RC_ASSERT(Dsm::ObservationFromJson(Dsm::ObservationToJson(o, nodes), nodes) == o);
}

TEST(DsmCodec, EveryOpOfTheDefaultConfigurationRoundTrips) {
  const Nodes nodes = Dsm::DefaultConfig().nodes;
  std::size_t n = 0;
  ForEachOp<Op>(nodes, [&](const Op& op) {
    ++n;
    EXPECT_TRUE(OpFromJson<Op>(OpToJson(op, nodes), nodes) == op) << OpToJson(op, nodes).dump();
  });
  EXPECT_EQ(n, CountOps<Op>(nodes));
  EXPECT_GT(n, 200u);
}

TEST(DsmCodec, OpsKeepTheirOldDefaults) {
  const Nodes nodes = Dsm::DefaultConfig().nodes;
  auto op = [&](const char* text) { return OpFromJson<Op>(json::parse(text), nodes); };
  EXPECT_TRUE((op(R"({"op": "deploy_vm", "node": "n0"})") == Op{DeployVm{0, false}}));
  EXPECT_TRUE((op(R"({"op": "finish_ha_config"})") == Op{FinishHaConfig{0}}));
  EXPECT_TRUE((op(R"({"op": "delete_standby", "node": "n2"})") ==
               Op{DeleteStandby{2, Channel::kApiOnPrimary, 0}}));
  EXPECT_TRUE(
      (op(R"({"op": "stage_update", "node": "n1"})") == Op{StageUpdate{1, Via::kNodeAddress}}));
  EXPECT_TRUE((op(R"({"op": "request", "node": "n1"})") == Op{Request{1, false}}));
  EXPECT_TRUE((op(R"({"op": "service_down", "node": "n1", "service": "vpostgresql"})") ==
               Op{ServiceDown{1, Service::kPostgres}}));
  EXPECT_EQ(KindOf(Op{FinishHaConfig{}}), OpKind::kCompletion);
  EXPECT_EQ(KindOf(Op{ServiceDown{}}), OpKind::kEvent);
  EXPECT_EQ(KindOf(Op{AddStandby{}}), OpKind::kCommand);
}

TEST(DsmCodec, OpErrorsNameTheField) {
  const Nodes nodes = Dsm::DefaultConfig().nodes;
  auto err = [&](const char* text) {
    return ErrorOf([&] { OpFromJson<Op>(json::parse(text), nodes); });
  };
  EXPECT_EQ(err(R"({"op": "add_standby", "node": "n9"})"),
            "node: unknown node \"n9\" (expected n0, n1 or n2)");
  EXPECT_EQ(err(R"({"op": "service_down", "node": "n0", "service": 200})"),
            "service: expected a string, got number");
  EXPECT_NE(err(R"({"op": "service_down", "node": "n0", "service": "kafka"})")
                .find("service: unknown value \"kafka\""),
            std::string::npos);
  EXPECT_EQ(err(R"({"op": "promote", "node": "n1"})"), "run_on: missing field (node name)");
  EXPECT_EQ(err(R"({"op": "finish_ha_config", "failed": ["n7"]})"),
            "failed[0]: unknown node \"n7\" (expected n0, n1 or n2)");
  EXPECT_NE(err(R"({"op": "node_up", "node": "n0", "force": true})").find("force: unknown field"),
            std::string::npos);
  EXPECT_NE(err(R"({"op": "reboot"})").find("op: unknown op \"reboot\""), std::string::npos);
}

TEST(DsmCodec, StateErrorsNameTheField) {
  const Nodes nodes = Dsm::DefaultConfig().nodes;
  EXPECT_EQ(ErrorOf([&] {
              Dsm::StateFromJson(json::parse(R"({"agents_behind": 0, "nodes": [{"node": "n0",
                  "life": "member", "role": "PRIMARY", "behind": 7}]})"),
                                 nodes);
            }),
            "nodes[0].behind: out of range: 7 (expected 0..2)");
  EXPECT_EQ(ErrorOf([&] {
              Dsm::StateFromJson(json::parse(R"({"agents_behind": 0, "nodes": [{"node": "n0",
                  "life": "member"}, {"node": "n0", "life": "fresh"}]})"),
                                 nodes);
            }),
            "nodes[1].node: n0 is listed twice");
}

TEST(DsmCodec, ObservationsOmitWhatWasNotSeen) {
  const Nodes nodes = Dsm::DefaultConfig().nodes;
  Observation o;
  o.nodes[1].listed = false;
  o.nodes[2].services[static_cast<int>(Service::kApms)] = ServiceState::kInactive;
  json j = Dsm::ObservationToJson(o, nodes);
  EXPECT_EQ(j, json::parse(R"({"nodes": {"n1": {"listed": false},
                                          "n2": {"services": {"apms": "INACTIVE"}}}})"));
  EXPECT_TRUE(Dsm::ObservationFromJson(j, nodes) == o);
  EXPECT_TRUE(Dsm::ObservationFromJson(json::parse("{}"), nodes) == Observation{});
  EXPECT_EQ(ErrorOf([&] {
              Dsm::ObservationFromJson(
                  json::parse(R"({"nodes": {"n1": {"services": {"apms": "UP"}}}})"), nodes);
            }),
            "nodes.n1.services.apms: unknown value \"UP\" (expected ACTIVE, INACTIVE or FAILED)");
  EXPECT_EQ(ErrorOf([&] {
              Dsm::ObservationFromJson(json::parse(R"({"nodes": {"n1": {"state": "CRITICAL"}}})"),
                                       nodes);
            }),
            "nodes.n1.state: unknown field (expected listed, role, status, behind, answers, "
            "services)");
}

TEST(DsmConfig, RoundTripAndErrors) {
  Config c;
  c.nodes = Nodes({"e6e517e5-fca0-4778-96bd-52cb374fb87d", "0b7d6f5e-1111-4c1e-9d5e-2f6f5e8a9b01",
                   "7fd97971-f6b8-4f04-b931-231a55dc3a48", "spare"});
  c.faults = Bit(Service::kApms) | kFaultPassword;
  c.start = Start::kCluster;
  c.members = 3;
  json j = Dsm::ConfigToJson(c);
  EXPECT_EQ(j["faults"], json::parse(R"(["apms", "password"])"));
  Config back = Dsm::ConfigFromJson(j);
  EXPECT_TRUE(back.nodes == c.nodes);
  EXPECT_EQ(back.faults, c.faults);
  EXPECT_EQ(back.start, c.start);
  EXPECT_EQ(back.members, 3);
  EXPECT_TRUE(Dsm::Initial(back) == Dsm::Initial(c));
  EXPECT_EQ(Dsm::ConfigFromJson(json::parse(R"({"slots": 4, "faults": "all"})")).faults,
            kAllFaults);
  EXPECT_EQ(ErrorOf([] { Dsm::ConfigFromJson(json::parse(R"({"slots": 9})")); }),
            "slots: out of range: 9 (expected 1..6)");
  EXPECT_EQ(ErrorOf([] { Dsm::ConfigFromJson(json::parse(R"({"nodes": ["a", "b", "a"]})")); }),
            "nodes[2]: duplicate node name \"a\"");
  EXPECT_EQ(ErrorOf([] {
              Dsm::ConfigFromJson(json::parse(R"({"slots": 3, "start": "cluster", "members": 4})"));
            }),
            "members: out of range: 4 (expected 1..3)");
  EXPECT_NE(ErrorOf([] {
              Dsm::ConfigFromJson(json::parse(R"({"faults": ["dns"]})"));
            }).find("faults[0]: unknown fault \"dns\""),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] { Dsm::ConfigFromJson(json::parse(R"({"members": 2})")); }),
            "members: only meaningful with \"start\": \"cluster\"");
}

// ---- REST payloads -----------------------------------------------------------

const Nodes kUuids({"e6e517e5-fca0-4778-96bd-52cb374fb87d", "0b7d6f5e-1111-4c1e-9d5e-2f6f5e8a9b01",
                    "7fd97971-f6b8-4f04-b931-231a55dc3a48"});

TEST(DsmPayloads, ProviderHaNodesByUuidGiveAPartialObservation) {
  json j = json::parse(R"([{"id": "e6e517e5-fca0-4778-96bd-52cb374fb87d", "state": "ACTIVE_MODE",
                            "role": "PRIMARY", "hostname": "dsm-1"},
                           {"id": "7fd97971-f6b8-4f04-b931-231a55dc3a48", "role": "SECONDARY"}])");
  auto list = ParseProviderHaNodes(j);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(ProviderHaNodesToJson(list), j);  // extra fields kept
  Observation o = ObserveProviderHaNodes(list, kUuids);
  EXPECT_EQ(o.nodes[0].listed, std::optional<bool>(true));
  EXPECT_EQ(o.nodes[0].status, std::optional<Status>(Status::kActiveMode));
  EXPECT_EQ(o.nodes[1].listed, std::optional<bool>(false));  // absent: not a member
  EXPECT_EQ(o.nodes[2].role, std::optional<Role>(Role::kSecondary));
  EXPECT_FALSE(o.nodes[2].status.has_value());  // not shown: not seen, never carried over
  EXPECT_FALSE(o.nodes[0].answers.has_value());
  EXPECT_FALSE(o.nodes[0].behind.has_value());
  // It fits a 2-member cluster on slots 0 and 2.
  Config c;
  c.nodes = kUuids;
  State s = Dsm::Initial(c);
  s = Dsm::Step(s, DeployVm{0}).next;
  s = Dsm::Step(s, ConfigureHa{0}).next;
  s = Dsm::Step(s, DeployVm{2}).next;
  s = Dsm::Step(s, AddStandby{2}).next;
  s = Dsm::Step(s, FinishHaConfig{0}).next;
  EXPECT_EQ(Dsm::Consistent(s, o), Fit::kMatch);
  EXPECT_EQ(ErrorOf([&] {
              ObserveProviderHaNodes(ParseProviderHaNodes(json::parse(R"([{"id": "n0"}])")),
                                     kUuids);
            }).substr(0, 29),
            "[0].id: unknown node id \"n0\" ");
}

TEST(DsmPayloads, ProviderHaNodesErrorsNameTheField) {
  EXPECT_EQ(ErrorOf([] { ParseProviderHaNodes(json::parse(R"({"id": "x"})")); }),
            "/appliance/provider-ha-nodes must be a JSON array, got object");
  EXPECT_EQ(ErrorOf([] {
              ParseProviderHaNodes(json::parse(
                  R"([{"id": "a", "state": "ACTIVE_MODE", "role": "PRIMARY"},
                      {"id": "b", "state": "SLEEPING", "role": "SECONDARY"}])"));
            }),
            "[1].state: unknown value \"SLEEPING\" (expected UNKNOWN, LOST_CONNECTIVITY, "
            "HA_CONFIG_IN_PROGRESS, MAINTENANCE_MODE, OUT_OF_SYNC, CRITICAL or ACTIVE_MODE)");
  EXPECT_EQ(ErrorOf([] {
              ParseProviderHaNodes(json::parse(
                  R"([{"id": "a", "state": "CRITICAL", "role": "PRIMARY"},
                      {"id": "a", "state": "CRITICAL", "role": "SECONDARY"}])"));
            }),
            "[1].id: node id \"a\" appears twice");
}

// The vendor sample (dossier 3.5) lacks a comma before "rclone".
TEST(DsmPayloads, ApplianceStatusToleratesTheDocumentSample) {
  const char* sample = R"({ "postgres": "ACTIVE", "rabbitMQ": "ACTIVE", "provider": "ACTIVE",
      "monitoring": "ACTIVE", "apms": "ACTIVE", "updateManager": "ACTIVE" "rclone": "ACTIVE" })";
  ApplianceStatus st = ParseApplianceStatusText(sample);
  for (const auto& s : st.services)
    EXPECT_EQ(s, std::optional<ServiceState>(ServiceState::kActive));
  Observation o = ObserveApplianceStatus(st, 1);
  EXPECT_EQ(o.nodes[1].answers, std::optional<bool>(true));
  EXPECT_FALSE(o.nodes[1].listed.has_value());
  EXPECT_FALSE(o.nodes[0].answers.has_value());
  // Keys the payload lacks are not seen.
  ApplianceStatus part = ParseApplianceStatusText(R"({"apms": "FAILED", "rabbitMQ": "INACTIVE",})");
  EXPECT_EQ(part.services[static_cast<int>(Service::kApms)],
            std::optional<ServiceState>(ServiceState::kFailed));
  EXPECT_FALSE(part.services[static_cast<int>(Service::kPostgres)].has_value());
  EXPECT_EQ(ApplianceStatusToJson(part),
            json::parse(R"({"apms": "FAILED", "rabbitMQ": "INACTIVE"})"));
  // apms down and rabbitMQ down on a member fits only a member with both down.
  State s = props::HealthyCluster<Dsm>(1);
  Observation seen = ObserveApplianceStatus(part, 1);
  EXPECT_EQ(Dsm::Consistent(s, seen), Fit::kMismatch);
  s = Dsm::Step(s, ServiceDown{1, Service::kApms}).next;
  s = Dsm::Step(s, ServiceDown{1, Service::kRabbitmq}).next;
  EXPECT_EQ(Dsm::Consistent(s, seen), Fit::kMatch);
}

TEST(DsmPayloads, ApplianceStatusErrorsNameTheField) {
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatusText(R"({"apms": "ACTIVE", "postgres": "UP"})"); }),
            "postgres: unknown value \"UP\" (expected ACTIVE, INACTIVE or FAILED)");
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatusText(R"({"apms": "ACTIVE", "kafka": "ACTIVE"})"); }),
            "kafka: unknown service (expected apms, postgres, provider, updateManager, rabbitMQ, "
            "monitoring, rclone)");
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatusText(R"({"apms": "ACTIVE")"); }),
            "offset 17: unterminated object (missing '}')");
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatusText(R"({"apms": 1})"); }),
            "offset 9: expected a quoted string");
}

}  // namespace
}  // namespace haspec::dsm
