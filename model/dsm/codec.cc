// JSON codecs for the DSM machine: states, ops, observations and the REST
// payloads. Field names follow the product where it has one.
#include <string>

#include "model/core/json_util.h"
#include "model/dsm/dsm.h"
#include "model/dsm/payloads.h"

namespace haspec::dsm {
namespace {

using nlohmann::json;
using namespace json_util;

// A node reference: "n3" (canonical) or the bare slot number 3.
std::uint8_t SlotValue(const json& f, const std::string& path) {
  if (f.is_number_integer()) return static_cast<std::uint8_t>(IntValue(f, 0, kSlots - 1, path));
  if (f.is_string()) {
    auto s = f.get<std::string>();
    if (s.size() == 2 && s[0] == 'n' && s[1] >= '0' && s[1] < '0' + kSlots) {
      return static_cast<std::uint8_t>(s[1] - '0');
    }
    throw ParseError(path, "unknown node \"" + s + "\" (expected n0.." + NodeName(kSlots - 1) + ")");
  }
  throw ParseError(path, "expected a node name such as \"n1\", got " + TypeName(f));
}

std::uint8_t SlotField(const json& j, std::string_view key, std::string_view where) {
  return SlotValue(Field(j, key, where), Path(where, key));
}

json MaskToJson(std::uint8_t mask) {
  json a = json::array();
  for (int i = 0; i < kSlots; ++i) {
    if (mask & (1u << i)) a.push_back(NodeName(i));
  }
  return a;
}

std::uint8_t MaskField(const json& j, std::string_view key, std::string_view where) {
  const json* f = OptionalField(j, key, where);
  if (!f) return 0;
  std::string path = Path(where, key);
  if (!f->is_array()) throw ParseError(path, "expected an array of node names, got " + TypeName(*f));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f->size(); ++i) {
    mask |= static_cast<std::uint8_t>(1u << SlotValue((*f)[i], path + "[" + std::to_string(i) + "]"));
  }
  return mask;
}

json ServicesToJson(std::uint8_t mask) {
  json a = json::array();
  for (int i = 0; i < static_cast<int>(kServiceNames.size()); ++i) {
    if (mask & (1u << i)) a.push_back(kServiceNames.Name(static_cast<Service>(i)));
  }
  return a;
}

std::uint8_t ServicesField(const json& j, std::string_view key, std::string_view where) {
  const json* f = OptionalField(j, key, where);
  if (!f) return 0;
  std::string path = Path(where, key);
  if (!f->is_array()) throw ParseError(path, "expected an array of service names, got " + TypeName(*f));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f->size(); ++i) {
    Service s = EnumValue(kServiceNames, (*f)[i], path + "[" + std::to_string(i) + "]");
    mask |= static_cast<std::uint8_t>(1u << static_cast<int>(s));
  }
  return mask;
}

struct OpEncoder {
  json operator()(const DeployVm& o) const {
    return {{"node", NodeName(o.node)}, {"previous_ova", o.previous_ova}};
  }
  json operator()(const ConfigureHa& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const AddStandby& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const FinishHaConfig& o) const { return {{"failed", MaskToJson(o.failed)}}; }
  json operator()(const DeleteStandby& o) const {
    return {{"node", NodeName(o.node)}, {"channel", kChannelNames.Name(o.channel)},
            {"failed", MaskToJson(o.failed)}};
  }
  json operator()(const Promote& o) const {
    return {{"node", NodeName(o.node)}, {"run_on", NodeName(o.run_on)},
            {"failed", MaskToJson(o.failed)}};
  }
  json operator()(const ReturnToStandalone& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const RestoreFromBackup& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const ServiceDown& o) const {
    return {{"node", NodeName(o.node)}, {"service", kServiceNames.Name(o.service)}};
  }
  json operator()(const ServiceUp& o) const {
    return {{"node", NodeName(o.node)}, {"service", kServiceNames.Name(o.service)}};
  }
  json operator()(const NodeDown& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const NodeUp& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const PasswordExpires& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const ChangePassword& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const FallBehind& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const ReleaseUpdate&) const { return json::object(); }
  json operator()(const StageUpdate& o) const {
    return {{"node", NodeName(o.node)}, {"via", kViaNames.Name(o.via)}};
  }
  json operator()(const ApplyUpdate& o) const {
    return {{"node", NodeName(o.node)}, {"via", kViaNames.Name(o.via)}};
  }
  json operator()(const CompleteUpdate& o) const { return {{"node", NodeName(o.node)}}; }
  json operator()(const UpdateAgents&) const { return json::object(); }
  json operator()(const Request& o) const {
    return {{"node", NodeName(o.node)}, {"write", o.write}};
  }
};

// Decodes the op named `name` from `j`; every alternative is listed once.
Op DecodeOp(std::string_view name, const json& j, std::string_view w) {
  auto node = [&] { return SlotField(j, "node", w); };
  if (name == DeployVm::kName) return DeployVm{node(), BoolField(j, "previous_ova", w, false)};
  if (name == ConfigureHa::kName) return ConfigureHa{node()};
  if (name == AddStandby::kName) return AddStandby{node()};
  if (name == FinishHaConfig::kName) return FinishHaConfig{MaskField(j, "failed", w)};
  if (name == DeleteStandby::kName) {
    return DeleteStandby{node(), EnumField(kChannelNames, j, "channel", w, Channel::kApiOnPrimary),
                         MaskField(j, "failed", w)};
  }
  if (name == Promote::kName) {
    std::uint8_t n = node();
    const json* r = OptionalField(j, "run_on", w);
    return Promote{n, r ? SlotValue(*r, Path(w, "run_on")) : n, MaskField(j, "failed", w)};
  }
  if (name == ReturnToStandalone::kName) return ReturnToStandalone{node()};
  if (name == RestoreFromBackup::kName) return RestoreFromBackup{node()};
  if (name == ServiceDown::kName) return ServiceDown{node(), EnumField(kServiceNames, j, "service", w)};
  if (name == ServiceUp::kName) return ServiceUp{node(), EnumField(kServiceNames, j, "service", w)};
  if (name == NodeDown::kName) return NodeDown{node()};
  if (name == NodeUp::kName) return NodeUp{node()};
  if (name == PasswordExpires::kName) return PasswordExpires{node()};
  if (name == ChangePassword::kName) return ChangePassword{node()};
  if (name == FallBehind::kName) return FallBehind{node()};
  if (name == ReleaseUpdate::kName) return ReleaseUpdate{};
  if (name == StageUpdate::kName) return StageUpdate{node(), EnumField(kViaNames, j, "via", w, Via::kNodeAddress)};
  if (name == ApplyUpdate::kName) return ApplyUpdate{node(), EnumField(kViaNames, j, "via", w, Via::kNodeAddress)};
  if (name == CompleteUpdate::kName) return CompleteUpdate{node()};
  if (name == UpdateAgents::kName) return UpdateAgents{};
  if (name == Request::kName) return Request{node(), BoolField(j, "write", w, false)};
  throw UnknownOp<Op>(name, w);
}

}  // namespace

json Dsm::OpToJson(const Op& op) {
  return EncodeOp<OpEncoder>(op);
}

Op Dsm::OpFromJson(const json& j) {
  return DecodeOp(StringField(j, "op", ""), j, "");
}

json Dsm::StateToJson(const State& s) {
  json nodes = json::array();
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kEmpty) continue;
    nodes.push_back({{"node", NodeName(i)},
                     {"life", kLifeNames.Name(n.life)},
                     {"role", kRoleNames.Name(n.role)},
                     {"version", n.version},
                     {"services_down", ServicesToJson(n.services_down)},
                     {"reachable", n.reachable},
                     {"password_expired", n.password_expired},
                     {"ha_config", n.ha_config},
                     {"out_of_sync", n.out_of_sync},
                     {"staged", n.staged},
                     {"updating", n.updating}});
  }
  return {{"machine", Dsm::kName},
          {"latest", s.latest},
          {"agent_version", s.agent_version},
          {"nodes", nodes}};
}

State Dsm::StateFromJson(const json& j) {
  State s;
  s.latest = static_cast<std::uint8_t>(IntField(j, "latest", 1, kMaxVersion, ""));
  s.agent_version = static_cast<std::uint8_t>(IntField(j, "agent_version", 0, kMaxVersion, ""));
  const json& nodes = Field(j, "nodes", "");
  if (!nodes.is_array()) throw ParseError("nodes", "expected an array, got " + TypeName(nodes));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::string w = "nodes[" + std::to_string(i) + "]";
    const json& e = nodes[i];
    std::uint8_t slot = SlotField(e, "node", w);
    if (s.nodes[slot].life != Life::kEmpty) {
      throw ParseError(w + ".node", NodeName(slot) + " is listed twice");
    }
    Node& n = s.nodes[slot];
    n.life = EnumField(kLifeNames, e, "life", w);
    if (n.life == Life::kEmpty) throw ParseError(w + ".life", "an empty slot is not listed");
    n.role = EnumField(kRoleNames, e, "role", w, Role::kStandalone);
    n.version = static_cast<std::uint8_t>(IntField(e, "version", 0, kMaxVersion, w));
    n.services_down = ServicesField(e, "services_down", w);
    n.reachable = BoolField(e, "reachable", w, true);
    n.password_expired = BoolField(e, "password_expired", w, false);
    n.ha_config = BoolField(e, "ha_config", w, false);
    n.out_of_sync = BoolField(e, "out_of_sync", w, false);
    n.staged = BoolField(e, "staged", w, false);
    n.updating = BoolField(e, "updating", w, false);
  }
  return s;
}

json Dsm::ObservationToJson(const Observation& o) {
  std::vector<ProviderHaNode> nodes;
  for (const NodeView& v : o.nodes) nodes.push_back({NodeName(v.node), v.status, v.role, ""});
  return ProviderHaNodesToJson(nodes);
}

Observation Dsm::ObservationFromJson(const json& j) {
  Observation o;
  std::vector<ProviderHaNode> nodes = ParseProviderHaNodes(j);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::uint8_t slot = SlotValue(json(nodes[i].id), "[" + std::to_string(i) + "].id");
    o.nodes.push_back({slot, nodes[i].role, nodes[i].state});
  }
  return o;
}

std::vector<ProviderHaNode> ParseProviderHaNodes(const json& j) {
  if (!j.is_array()) {
    throw ParseError("", "/appliance/provider-ha-nodes must be a JSON array, got " + TypeName(j));
  }
  std::vector<ProviderHaNode> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string w = "[" + std::to_string(i) + "]";
    const json& e = j[i];
    ProviderHaNode n;
    n.id = StringField(e, "id", w);
    if (n.id.empty()) throw ParseError(w + ".id", "empty node id");
    n.state = EnumField(kStatusNames, e, "state", w);
    n.role = EnumField(kRoleNames, e, "role", w);
    json extra = json::object();
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (it.key() != "id" && it.key() != "state" && it.key() != "role") extra[it.key()] = it.value();
    }
    if (!extra.empty()) n.extra_json = extra.dump();
    for (const ProviderHaNode& prev : out) {
      if (prev.id == n.id) throw ParseError(w + ".id", "node id \"" + n.id + "\" appears twice");
    }
    out.push_back(std::move(n));
  }
  return out;
}

json ProviderHaNodesToJson(const std::vector<ProviderHaNode>& nodes) {
  json a = json::array();
  for (const ProviderHaNode& n : nodes) {
    json e = n.extra_json.empty() ? json::object() : json::parse(n.extra_json);
    e["id"] = n.id;
    e["state"] = kStatusNames.Name(n.state);
    e["role"] = kRoleNames.Name(n.role);
    a.push_back(std::move(e));
  }
  return a;
}

std::uint8_t ApplianceStatus::DownMask() const {
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i] && *services[i] != ServiceState::kActive) mask |= static_cast<std::uint8_t>(1u << i);
  }
  return mask;
}

Status ApplianceStatus::ImpliedStatus() const {
  Node n;
  n.life = Life::kMember;
  n.services_down = DownMask();
  return DeriveStatus(n);
}

ApplianceStatus ParseApplianceStatus(const json& j) {
  if (!j.is_object()) {
    throw ParseError("", "/appliance/status must be a JSON object of service states, got " + TypeName(j));
  }
  ApplianceStatus s;
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto svc = kServiceNames.Parse(it.key());
    if (!svc) {
      throw ParseError(it.key(), "unknown service (expected " + kServiceNames.Choices() + ")");
    }
    s.services[static_cast<int>(*svc)] = EnumValue(kServiceStateNames, it.value(), it.key());
  }
  for (Service core : {Service::kApms, Service::kPostgres}) {
    if (!s.services[static_cast<int>(core)]) {
      throw ParseError(std::string(kServiceNames.Name(core)),
                       "missing: apms and postgres decide Lost Connectivity");
    }
  }
  return s;
}

json ApplianceStatusToJson(const ApplianceStatus& s) {
  json j = json::object();
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    if (s.services[i]) {
      j[std::string(kServiceNames.Name(static_cast<Service>(i)))] = kServiceStateNames.Name(*s.services[i]);
    }
  }
  return j;
}

static_assert(CodecMachine<Dsm>);

}  // namespace haspec::dsm
