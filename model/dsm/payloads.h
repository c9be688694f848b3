// The DSM REST payloads haspec reads and writes.
//
//   GET /appliance/provider-ha-nodes  -> JSON array of {id, state, role, ...}
//   GET /appliance/status             -> {"postgres": "ACTIVE", "apms": ...}
//
//   auto nodes = ParseProviderHaNodes(nlohmann::json::parse(text));
//   auto health = ParseApplianceStatus(nlohmann::json::parse(text));
//
// Both throw ParseError naming the field ("[2].state") and the problem.
#ifndef HASPEC_MODEL_DSM_PAYLOADS_H_
#define HASPEC_MODEL_DSM_PAYLOADS_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/core/names.h"
#include "model/dsm/dsm.h"

namespace haspec::dsm {

// One element of /appliance/provider-ha-nodes. Unknown extra fields are kept
// so a round trip loses nothing.
struct ProviderHaNode {
  std::string id;  // a UUID in the product, "n0".."n4" in haspec's traces
  Status state = Status::kActiveMode;
  Role role = Role::kStandalone;
  std::string extra_json;  // other fields, as a compact JSON object ("" if none)
  friend bool operator==(const ProviderHaNode&, const ProviderHaNode&) = default;
};

std::vector<ProviderHaNode> ParseProviderHaNodes(const nlohmann::json& j);
nlohmann::json ProviderHaNodesToJson(const std::vector<ProviderHaNode>& nodes);

// Values of /appliance/status (dossier 3.5).
enum class ServiceState : std::uint8_t { kActive, kInactive, kFailed };
inline constexpr NameTable<ServiceState, 3> kServiceStateNames{{{
    {ServiceState::kActive, "ACTIVE", "Active"},
    {ServiceState::kInactive, "INACTIVE", "Inactive"},
    {ServiceState::kFailed, "FAILED", "Failed"},
}}};

// /appliance/status: the state of each reported service; services the
// payload does not name are std::nullopt (coredns never appears).
struct ApplianceStatus {
  std::array<std::optional<ServiceState>, kServiceNames.size()> services{};
  friend bool operator==(const ApplianceStatus&, const ApplianceStatus&) = default;

  // Bit i set = Service(i) is reported and not ACTIVE.
  std::uint8_t DownMask() const;
  // The node status these services imply on a healthy, idle node
  // (DSM-STATUS-LOST-CONNECTIVITY / -CRITICAL / -ACTIVE).
  Status ImpliedStatus() const;
};

ApplianceStatus ParseApplianceStatus(const nlohmann::json& j);
nlohmann::json ApplianceStatusToJson(const ApplianceStatus& s);

}  // namespace haspec::dsm

#endif  // HASPEC_MODEL_DSM_PAYLOADS_H_
