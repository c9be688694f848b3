// DSM codecs: states, ops and observations round-trip through JSON; the REST
// payloads parse, print back, and fail with messages that name the field.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "model/core/parse_error.h"
#include "model/dsm/payloads.h"
#include "properties/core/harness.h"

namespace haspec::dsm {
namespace {

using nlohmann::json;

RC_GTEST_PROP(DsmCodec, StatesOpsAndObservationsRoundTrip, ()) {
  auto t = *testing::GenTrace<Dsm>();
  RC_ASSERT(Dsm::StateFromJson(Dsm::StateToJson(t.last)) == t.last);
  for (const Op& op : t.ops) {
    RC_ASSERT(Dsm::OpToJson(Dsm::OpFromJson(Dsm::OpToJson(op))) == Dsm::OpToJson(op));
  }
  Observation o = Dsm::Observe(t.last);
  RC_ASSERT(Dsm::ObservationFromJson(Dsm::ObservationToJson(o)) == o);
}

using testing::ErrorOf;

TEST(DsmPayloads, ProviderHaNodesKeepsUnknownFields) {
  json j = json::parse(R"([{"id": "e6e517e5-fca0-4778-96bd-52cb374fb87d", "state": "ACTIVE_MODE",
                            "role": "SECONDARY", "hostname": "dsm-2"}])");
  auto nodes = ParseProviderHaNodes(j);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].state, Status::kActiveMode);
  EXPECT_EQ(nodes[0].role, Role::kSecondary);
  EXPECT_EQ(ProviderHaNodesToJson(nodes), j);
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
  EXPECT_EQ(ErrorOf([] { ParseProviderHaNodes(json::parse(R"([{"id": "a", "state": "CRITICAL"}])")); }),
            "[0].role: missing field");
  EXPECT_EQ(ErrorOf([] {
              ParseProviderHaNodes(json::parse(
                  R"([{"id": "a", "state": "CRITICAL", "role": "PRIMARY"},
                      {"id": "a", "state": "CRITICAL", "role": "SECONDARY"}])"));
            }),
            "[1].id: node id \"a\" appears twice");
}

TEST(DsmPayloads, ApplianceStatusImpliesTheSeedStatus) {
  auto all_up = json::parse(R"({"postgres": "ACTIVE", "rabbitMQ": "ACTIVE", "provider": "ACTIVE",
      "monitoring": "ACTIVE", "apms": "ACTIVE", "updateManager": "ACTIVE", "rclone": "ACTIVE"})");
  EXPECT_EQ(ParseApplianceStatus(all_up).ImpliedStatus(), Status::kActiveMode);
  auto rabbit = all_up;
  rabbit["rabbitMQ"] = "FAILED";
  EXPECT_EQ(ParseApplianceStatus(rabbit).ImpliedStatus(), Status::kCritical);
  auto apms = rabbit;
  apms["apms"] = "INACTIVE";
  EXPECT_EQ(ParseApplianceStatus(apms).ImpliedStatus(), Status::kLostConnectivity);
  EXPECT_EQ(ApplianceStatusToJson(ParseApplianceStatus(apms)), apms);
}

TEST(DsmPayloads, ApplianceStatusErrorsNameTheField) {
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatus(json::parse(R"({"apms": "ACTIVE", "postgres": "UP"})")); }),
            "postgres: unknown value \"UP\" (expected ACTIVE, INACTIVE or FAILED)");
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatus(json::parse(R"({"apms": "ACTIVE"})")); }),
            "postgres: missing: apms and postgres decide Lost Connectivity");
  EXPECT_EQ(ErrorOf([] { ParseApplianceStatus(json::parse(R"({"apms": "ACTIVE", "postgres": "ACTIVE", "kafka": "ACTIVE"})")); }),
            "kafka: unknown service (expected apms, postgres, provider, updateManager, rabbitMQ, "
            "monitoring, rclone or coredns)");
}

TEST(DsmCodec, OpErrorsNameTheField) {
  EXPECT_EQ(ErrorOf([] { Dsm::OpFromJson(json::parse(R"({"op": "add_standby", "node": "n9"})")); }),
            "node: unknown node \"n9\" (expected n0..n4)");
  EXPECT_EQ(ErrorOf([] { Dsm::OpFromJson(json::parse(R"({"op": "add_standby", "node": 77777777777777777777777})")); }),
            "node: expected a node name such as \"n1\", got number");
  EXPECT_NE(ErrorOf([] { Dsm::OpFromJson(json::parse(R"({"op": "reboot"})")); }).find("op: unknown op \"reboot\""),
            std::string::npos);
  EXPECT_EQ(ErrorOf([] { Dsm::StateFromJson(json::parse(R"({"latest": 1, "agent_version": 1, "nodes": [{"node": "n0", "life": "member", "role": "PRIMARY", "version": 300}]})")); }),
            "nodes[0].version: out of range: 300 (expected 0..200)");
}

}  // namespace
}  // namespace haspec::dsm
