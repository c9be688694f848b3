// dsm's importer (model/dsm/import.cc) on the bundled capture
// (traces/dsm/logs/provider-ha.capture: UUID node ids, the vendor sample's
// missing comma, a request for another path) and on bad input, with planted
// faults (a strict JSON reader, values carried forward) shown caught.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/dsm/dsm.h"
#include "properties/core/import_harness.h"

namespace haspec::dsm {
namespace {

using haspec::testing::ConfigFromSource;
using haspec::testing::ImportError;
using haspec::testing::ImportText;
using haspec::testing::ReadSource;
using Event = ImportedEvent<Observation>;

const char kCapture[] = "traces/dsm/logs/provider-ha.capture";

Config CaptureConfig() { return ConfigFromSource<Dsm>("traces/dsm/logs/config.json"); }

// "line #slot:fact", facts joined with '+' (slots, not the long UUIDs).
std::string Facts(const Event& e) {
  std::string f;
  for (int i = 0; i < kMaxSlots; ++i) {
    const NodeObs& n = e.obs.nodes[i];
    const std::string s = "+#" + std::to_string(i);
    if (n.listed) f += s + (*n.listed ? ":listed" : ":unlisted");
    if (n.role) f += s + ":" + std::string(kRoleNames.Name(*n.role));
    if (n.status) f += s + ":" + std::string(kStatusNames.Name(*n.status));
    if (n.answers) f += s + ":answers";
    for (int k = 0; k < kShownServices; ++k) {
      if (n.services[k] && *n.services[k] != ServiceState::kActive) {
        f += s + ":" + std::string(kServiceNames.Name(static_cast<Service>(k))) + "=" +
             std::string(kServiceStateNames.Name(*n.services[k]));
      }
    }
    int seen = 0;
    for (const auto& v : n.services) seen += v.has_value();
    if (seen) f += s + ":" + std::to_string(seen) + "services";
  }
  return std::to_string(e.line) + " " + f.substr(f.empty() ? 0 : 1);
}

const std::vector<std::string> kExpected = {
    "6 #0:listed+#0:PRIMARY+#0:ACTIVE_MODE+#1:listed+#1:SECONDARY+#1:ACTIVE_MODE+#2:listed+"
    "#2:SECONDARY+#2:ACTIVE_MODE",
    "10 #0:answers+#0:7services",  // the vendor sample, missing comma and all
    "16 #1:answers+#1:rabbitMQ=FAILED+#1:7services",
    "19 #0:listed+#0:PRIMARY+#0:ACTIVE_MODE+#1:listed+#1:SECONDARY+#1:CRITICAL+#2:listed+"
    "#2:SECONDARY+#2:ACTIVE_MODE",
    // #1 shows no state: not seen, not its earlier CRITICAL; #2 is not a member.
    "23 #0:listed+#0:PRIMARY+#0:ACTIVE_MODE+#1:listed+#1:SECONDARY+#2:unlisted",
};

std::string Check(const std::vector<Event>& events) {
  for (std::size_t i = 0; i < std::max(events.size(), kExpected.size()); ++i) {
    const std::string g = i < events.size() ? Facts(events[i]) : "(none)";
    const std::string w = i < kExpected.size() ? kExpected[i] : "(none)";
    if (g != w) return "event " + std::to_string(i) + ": got \"" + g + "\", want \"" + w + "\"";
  }
  return "";
}

TEST(DsmImport, CaptureGivesEachPayloadAsItsOwnPartialObservation) {
  const Config c = CaptureConfig();
  const auto events = ImportText<Dsm>("rest-capture", ReadSource(kCapture), c);
  EXPECT_EQ(Check(events), "");
  EXPECT_EQ(events[1].t, "2024-05-01T10:00:01Z");
}

TEST(DsmImport, PlantedFaultsAreCaught) {
  const Config c = CaptureConfig();
  // A strict JSON reader fails on the vendor's sample.
  const std::string sample = ReadSource(kCapture);
  const std::size_t at = sample.find("{ \"postgres\"");
  EXPECT_FALSE(nlohmann::json::accept(sample.substr(at, sample.find('}', at) - at + 1)));
  // Carrying forward #1's status into the last snapshot.
  auto events = ImportText<Dsm>("rest-capture", sample, c);
  events.back().obs.nodes[1].status = events[events.size() - 2].obs.nodes[1].status;
  EXPECT_NE(Check(events), "");
}

TEST(DsmImport, BadInputNamesTheLineAndTheProblem) {
  const Config c = CaptureConfig();
  const std::string uuid0 = c.nodes.Name(0);
  auto expect = [&](const std::string& text, const std::string& want) {
    auto err = ImportError<Dsm>("rest-capture", text, c);
    ASSERT_TRUE(err) << "no error for: " << text;
    EXPECT_EQ(err->substr(0, want.size()), want) << *err;
  };
  expect("{\"postgres\": \"ACTIVE\"}\n", "line 1: payload without a request line");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/status\n{}\n",
         "line 1: /appliance/status needs the node");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/status 00000000-0000\n{}\n",
         "line 1: unknown node id \"00000000-0000\"");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/provider-ha-nodes\n",
         "line 1: no payload after the request line");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/provider-ha-nodes\n[\n  {\"id\": \"x\",\n  ]\n",
         "line 4: /appliance/provider-ha-nodes is not valid JSON");
  // A number beyond a double (fuzz_import_dsm: nlohmann's out_of_range escaped).
  expect("@ 2024-05-01T10:00:00Z GET /appliance/provider-ha-nodes\n1e800\n",
         "line 2: /appliance/provider-ha-nodes is not valid JSON: number overflow");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/provider-ha-nodes\n[{\"id\": \"" + uuid0 +
             "\", \"state\": \"SLEEPING\"}]\n",
         "line 2: [0].state");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/status " + uuid0 +
             "\n{\n \"postgres\": \"ACTIVE\",\n \"apms\": 1 }\n",
         "line 4: expected a quoted string");
  expect("@ 2024-05-01T10:00:00Z POST /appliance/status\n{}\n", "line 1: expected \"@ <time> GET");
  // A key that reads like the hand reader's "offset N" position is a key
  // (fuzz_import_dsm found an uncaught std::stoul here).
  expect("@ 2024-05-01T10:00:00Z GET /appliance/status " + uuid0 +
             "\n{ \"offset postgres\": \"ACTIVE\" }\n",
         "line 2: offset postgres: unknown service");
  expect("@ 2024-05-01T10:00:00Z GET /appliance/status " + uuid0 +
             "\n{\n\n \"offset 9\": \"ACTIVE\" }\n",
         "line 2: offset 9: unknown service");
}

TEST(DsmImport, GarbageEndsInEventsOrAParseError) {
  const Config c = CaptureConfig();
  std::vector<std::string> pieces;
  std::istringstream in(ReadSource(kCapture));
  for (std::string l; std::getline(in, l);) pieces.push_back(l);
  haspec::testing::ImportGarbage<Dsm>("rest-capture", c, pieces, {});
}

}  // namespace
}  // namespace haspec::dsm
