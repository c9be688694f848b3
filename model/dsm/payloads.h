// The DSM REST payloads haspec reads, and the partial observations they give.
//
//   GET /appliance/provider-ha-nodes  -> JSON array of {id, state, role, ...}
//   GET /appliance/status             -> {"postgres": "ACTIVE", "apms": ...}
//
//   Config c = ...;                                   // node names = the UUIDs
//   auto members = ParseProviderHaNodes(nlohmann::json::parse(text));
//   Observation a = ObserveProviderHaNodes(members, c.nodes);
//   ApplianceStatus st = ParseApplianceStatusText(text2);   // tolerates the
//   Observation b = ObserveApplianceStatus(st, 1);            // doc's slips
//   Fit f = Dsm::Consistent(state, Merge(a, b));
//
// An observation holds only what the payload showed: a key the payload lacks
// is "not seen", never a value carried over from elsewhere. Parsers throw
// ParseError naming the field ("[2].state") and the problem.
#ifndef HASPEC_MODEL_DSM_PAYLOADS_H_
#define HASPEC_MODEL_DSM_PAYLOADS_H_

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/core/names.h"
#include "model/core/nodes.h"
#include "model/dsm/dsm.h"

namespace haspec::dsm {

// One element of /appliance/provider-ha-nodes. `state` and `role` are empty
// when the element lacks them. Unknown extra fields (hostname, version, ...)
// are kept so a round trip loses nothing.
struct ProviderHaNode {
  std::string id;  // a UUID in the product
  std::optional<Status> state;
  std::optional<Role> role;
  std::string extra_json;  // other fields, as a compact JSON object ("" if none)
  friend bool operator==(const ProviderHaNode&, const ProviderHaNode&) = default;
};

std::vector<ProviderHaNode> ParseProviderHaNodes(const nlohmann::json& j);
nlohmann::json ProviderHaNodesToJson(const std::vector<ProviderHaNode>& nodes);

// The list is the whole membership: each configured node is listed or not;
// roles and statuses as shown. Ids are looked up in `nodes` (the
// configuration's names); an unknown id is a ParseError. Versions, shown as
// absolute release names, are not turned into `behind`.
Observation ObserveProviderHaNodes(const std::vector<ProviderHaNode>& list, const Nodes& nodes);

// /appliance/status of one node: the state of each service it reported;
// services the payload does not name are empty.
struct ApplianceStatus {
  std::array<std::optional<ServiceState>, kShownServices> services{};
  friend bool operator==(const ApplianceStatus&, const ApplianceStatus&) = default;
};

ApplianceStatus ParseApplianceStatus(const nlohmann::json& j);
// From the raw text, tolerating the documentation's sample slips: a missing
// comma between two members, a trailing comma.
ApplianceStatus ParseApplianceStatusText(std::string_view text);
nlohmann::json ApplianceStatusToJson(const ApplianceStatus& s);

// The observation of node `slot` answering with `st`: it answered, and the
// services it named; nothing else is seen.
Observation ObserveApplianceStatus(const ApplianceStatus& st, int slot);

}  // namespace haspec::dsm

#endif  // HASPEC_MODEL_DSM_PAYLOADS_H_
