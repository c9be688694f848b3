// JSON codecs for the DSM machine: states, observations, configurations and
// the REST payloads. Field names follow the product where it has one; op
// codecs are derived from the op declarations (model/core/op_codec.h).
#include <algorithm>
#include <set>
#include <string>

#include "model/core/json_util.h"
#include "model/dsm/dsm.h"
#include "model/dsm/payloads.h"

namespace haspec::dsm {
namespace {

using nlohmann::json;
using namespace json_util;

int NodeValue(const json& f, const Nodes& nodes, const std::string& path) {
  if (!f.is_string()) throw ParseError(path, "expected a node name, got " + TypeName(f));
  auto name = f.get<std::string>();
  if (auto i = nodes.Find(name)) return *i;
  throw ParseError(path, "unknown node \"" + name + "\" (expected " + nodes.Choices() + ")");
}

json ServicesToJson(std::uint8_t mask) {
  json a = json::array();
  for (int i = 0; i < kServiceCount; ++i) {
    if (mask >> i & 1) a.push_back(kServiceNames.Name(static_cast<Service>(i)));
  }
  return a;
}

std::uint8_t ServicesValue(const json& f, const std::string& path) {
  if (!f.is_array()) {
    throw ParseError(path, "expected an array of service names, got " + TypeName(f));
  }
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    Service s = EnumValue(kServiceNames, f[i], path + "[" + std::to_string(i) + "]");
    mask |= Bit(s);
  }
  return mask;
}

std::uint8_t ServicesField(const json& j, std::string_view key, std::string_view where,
                           std::uint8_t dflt) {
  const json* f = OptionalField(j, key, where);
  return f ? ServicesValue(*f, Path(where, key)) : dflt;
}

// A fault set: service names and fault kinds, in one list.
json FaultsToJson(Faults f) {
  json a = ServicesToJson(static_cast<std::uint8_t>(f & 0xff));
  for (const auto& e : kFaultKindNames.entries) {
    if (f >> static_cast<int>(e.value) & 1) a.push_back(e.name);
  }
  return a;
}

Faults FaultsValue(const json& f, const std::string& path) {
  if (f.is_string() && f.get<std::string>() == "all") return kAllFaults;
  if (!f.is_array()) {
    throw ParseError(
        path, "expected \"all\" or an array of service names and fault kinds, got " + TypeName(f));
  }
  Faults mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string w = path + "[" + std::to_string(i) + "]";
    if (!f[i].is_string()) throw ParseError(w, "expected a string, got " + TypeName(f[i]));
    const std::string name = f[i].get<std::string>();
    if (auto sv = kServiceNames.Parse(name)) {
      mask |= Bit(*sv);
    } else if (auto k = kFaultKindNames.Parse(name)) {
      mask |= static_cast<Faults>(1u << static_cast<int>(*k));
    } else {
      throw ParseError(w, "unknown fault \"" + name + "\" (expected a service (" +
                              kServiceNames.Choices() + ") or " + kFaultKindNames.Choices() + ")");
    }
  }
  return mask;
}

}  // namespace

// ---- State -----------------------------------------------------------------

json Dsm::StateToJson(const State& s, const Nodes& names) {
  json nodes = json::array();
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kEmpty) continue;
    std::string name =
        static_cast<std::size_t>(i) < names.size() ? names.Name(i) : "n" + std::to_string(i);
    nodes.push_back({{"node", name},
                     {"life", kLifeNames.Name(n.life)},
                     {"role", kRoleNames.Name(n.role)},
                     {"behind", n.behind},
                     {"services_down", ServicesToJson(n.services_down)},
                     {"reachable", n.reachable},
                     {"password_expired", n.password_expired},
                     {"ha_config", n.ha_config},
                     {"out_of_sync", n.out_of_sync},
                     {"staged", n.staged},
                     {"updating", n.updating}});
  }
  return {{"machine", Dsm::kName},
          {"agents_behind", s.agents_behind},
          {"faults", FaultsToJson(s.faults)},
          {"nodes", nodes}};
}

State Dsm::StateFromJson(const json& j, const Nodes& names) {
  RequireObject(j, "");
  RejectUnknownKeys(j, "", {"machine", "agents_behind", "faults", "nodes"});
  if (names.size() > static_cast<std::size_t>(kMaxSlots)) {
    throw ParseError("", "the configuration names " + std::to_string(names.size()) +
                             " nodes (at most " + std::to_string(kMaxSlots) + ")");
  }
  State s;
  s.slots = static_cast<std::uint8_t>(names.size());
  s.agents_behind = static_cast<std::uint8_t>(IntField(j, "agents_behind", 0, kMaxBehind, ""));
  const json* faults = OptionalField(j, "faults", "");
  s.faults = faults ? FaultsValue(*faults, "faults") : kAllFaults;
  const json& nodes = Field(j, "nodes", "");
  if (!nodes.is_array()) throw ParseError("nodes", "expected an array, got " + TypeName(nodes));
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::string w = "nodes[" + std::to_string(i) + "]";
    const json& e = nodes[i];
    RequireObject(e, w);
    RejectUnknownKeys(e, w,
                      {"node", "life", "role", "behind", "services_down", "reachable",
                       "password_expired", "ha_config", "out_of_sync", "staged", "updating"});
    int slot = NodeValue(Field(e, "node", w), names, w + ".node");
    if (s.nodes[slot].life != Life::kEmpty) {
      throw ParseError(w + ".node", names.Name(slot) + " is listed twice");
    }
    Node& n = s.nodes[slot];
    n.life = EnumField(kLifeNames, e, "life", w);
    if (n.life == Life::kEmpty) throw ParseError(w + ".life", "an empty slot is not listed");
    n.role = EnumField(kRoleNames, e, "role", w, Role::kStandalone);
    const json* b = OptionalField(e, "behind", w);
    n.behind = b ? static_cast<std::uint8_t>(IntValue(*b, 0, kMaxBehind, w + ".behind")) : 0;
    n.services_down = ServicesField(e, "services_down", w, 0);
    n.reachable = BoolField(e, "reachable", w, true);
    n.password_expired = BoolField(e, "password_expired", w, false);
    n.ha_config = BoolField(e, "ha_config", w, false);
    n.out_of_sync = BoolField(e, "out_of_sync", w, false);
    n.staged = BoolField(e, "staged", w, false);
    n.updating = BoolField(e, "updating", w, false);
  }
  return s;
}

// ---- Observation ---------------------------------------------------------------
// {"nodes": {"n0": {"listed": true, "role": "PRIMARY", "status": "ACTIVE_MODE",
//   "behind": 0, "answers": true, "services": {"apms": "ACTIVE", ...}}, ...}}
// A key that is missing was not seen.

json Dsm::ObservationToJson(const Observation& o, const Nodes& names) {
  json nodes = json::object();
  for (int i = 0; i < kMaxSlots; ++i) {
    const NodeObs& v = o.nodes[i];
    json e = json::object();
    if (v.listed) e["listed"] = *v.listed;
    if (v.role) e["role"] = kRoleNames.Name(*v.role);
    if (v.status) e["status"] = kStatusNames.Name(*v.status);
    if (v.behind) e["behind"] = *v.behind;
    if (v.answers) e["answers"] = *v.answers;
    json svc = json::object();
    for (int sv = 0; sv < kShownServices; ++sv) {
      if (v.services[sv]) {
        svc[std::string(kServiceNames.Name(static_cast<Service>(sv)))] =
            kServiceStateNames.Name(*v.services[sv]);
      }
    }
    if (!svc.empty()) e["services"] = svc;
    if (e.empty()) continue;
    std::string name =
        static_cast<std::size_t>(i) < names.size() ? names.Name(i) : "n" + std::to_string(i);
    nodes[name] = e;
  }
  return {{"nodes", nodes}};
}

Observation Dsm::ObservationFromJson(const json& j, const Nodes& names) {
  RequireObject(j, "");
  RejectUnknownKeys(j, "", {"nodes"});
  Observation o;
  const json* nodes = OptionalField(j, "nodes", "");
  if (!nodes) return o;
  if (!nodes->is_object()) {
    throw ParseError("nodes", "expected an object keyed by node name, got " + TypeName(*nodes));
  }
  for (auto it = nodes->begin(); it != nodes->end(); ++it) {
    const std::string w = "nodes." + it.key();
    int slot = NodeValue(json(it.key()), names, w);
    if (slot >= kMaxSlots) throw ParseError(w, "beyond the model's slots");
    const json& e = it.value();
    RequireObject(e, w);
    RejectUnknownKeys(e, w, {"listed", "role", "status", "behind", "answers", "services"});
    NodeObs& v = o.nodes[slot];
    if (OptionalField(e, "listed", w)) v.listed = BoolField(e, "listed", w, false);
    if (OptionalField(e, "role", w)) v.role = EnumField(kRoleNames, e, "role", w);
    if (OptionalField(e, "status", w)) v.status = EnumField(kStatusNames, e, "status", w);
    if (OptionalField(e, "behind", w)) {
      v.behind = static_cast<std::uint8_t>(IntField(e, "behind", 0, kMaxBehind, w));
    }
    if (OptionalField(e, "answers", w)) v.answers = BoolField(e, "answers", w, false);
    if (const json* svc = OptionalField(e, "services", w)) {
      try {
        v.services = ParseApplianceStatus(*svc).services;
      } catch (const ParseError& err) {
        throw err.Moved(w + ".services" + (err.where().empty() ? "" : "." + err.where()));
      }
    }
  }
  return o;
}

// ---- Configuration ------------------------------------------------------------
// {"nodes": ["<uuid>", ...] | "slots": 3,
//  "faults": ["apms", "rabbitMQ", "vm_down", "password", "catch_up"] | "all",
//  "start": "empty" | "standalone" | "cluster", "members": 3}

json Dsm::ConfigToJson(const Config& c) {
  json j = {{"nodes", c.nodes.names()},
            {"faults", c.faults == kAllFaults ? json("all") : FaultsToJson(c.faults)},
            {"start", kStartNames.Name(c.start)}};
  if (c.start == Start::kCluster) j["members"] = c.members;
  return j;
}

Config Dsm::ConfigFromJson(const json& j) {
  RequireObject(j, "");
  RejectUnknownKeys(j, "", {"nodes", "slots", "faults", "start", "members"});
  Config c;
  const json* names = OptionalField(j, "nodes", "");
  const json* slots = OptionalField(j, "slots", "");
  if (names && slots) throw ParseError("slots", "give either nodes (names) or slots, not both");
  if (slots) {
    c.nodes = Nodes::Numbered(static_cast<std::size_t>(IntValue(*slots, 1, kMaxSlots, "slots")));
  } else if (names) {
    if (!names->is_array()) {
      throw ParseError("nodes", "expected an array of node names, got " + TypeName(*names));
    }
    if (names->empty() || names->size() > static_cast<std::size_t>(kMaxSlots)) {
      throw ParseError("nodes", "expected 1 to " + std::to_string(kMaxSlots) + " node names, got " +
                                    std::to_string(names->size()));
    }
    std::vector<std::string> v;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < names->size(); ++i) {
      const std::string w = "nodes[" + std::to_string(i) + "]";
      const json& n = (*names)[i];
      if (!n.is_string()) throw ParseError(w, "expected a node name, got " + TypeName(n));
      std::string s = n.get<std::string>();
      if (s.empty()) throw ParseError(w, "empty node name");
      if (!seen.insert(s).second) throw ParseError(w, "duplicate node name \"" + s + "\"");
      v.push_back(std::move(s));
    }
    c.nodes = Nodes(std::move(v));
  }
  if (const json* f = OptionalField(j, "faults", "")) {
    c.faults = FaultsValue(*f, "faults");
  }
  c.start = EnumField(kStartNames, j, "start", "", Start::kEmpty);
  const int max_members = std::min<int>(kMaxMembers, static_cast<int>(c.nodes.size()));
  if (const json* m = OptionalField(j, "members", "")) {
    if (c.start != Start::kCluster) {
      throw ParseError("members", "only meaningful with \"start\": \"cluster\"");
    }
    c.members = static_cast<int>(IntValue(*m, 1, max_members, "members"));
  } else if (c.start == Start::kCluster) {
    c.members = std::min(3, max_members);
  }
  return c;
}

// ---- REST payloads ------------------------------------------------------------

std::vector<ProviderHaNode> ParseProviderHaNodes(const json& j) {
  if (!j.is_array()) {
    throw ParseError("", "/appliance/provider-ha-nodes must be a JSON array, got " + TypeName(j));
  }
  std::vector<ProviderHaNode> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string w = "[" + std::to_string(i) + "]";
    const json& e = j[i];
    RequireObject(e, w);
    ProviderHaNode n;
    n.id = StringField(e, "id", w);
    if (n.id.empty()) throw ParseError(w + ".id", "empty node id");
    if (OptionalField(e, "state", w)) n.state = EnumField(kStatusNames, e, "state", w);
    if (OptionalField(e, "role", w)) n.role = EnumField(kRoleNames, e, "role", w);
    json extra = json::object();
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (it.key() != "id" && it.key() != "state" && it.key() != "role") {
        extra[it.key()] = it.value();
      }
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
    if (n.state) e["state"] = kStatusNames.Name(*n.state);
    if (n.role) e["role"] = kRoleNames.Name(*n.role);
    a.push_back(std::move(e));
  }
  return a;
}

Observation ObserveProviderHaNodes(const std::vector<ProviderHaNode>& list, const Nodes& nodes) {
  Observation o;
  const std::size_t slots = std::min<std::size_t>(nodes.size(), kMaxSlots);
  for (std::size_t i = 0; i < slots; ++i) o.nodes[i].listed = false;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const ProviderHaNode& n = list[k];
    auto slot = nodes.Find(n.id);
    if (!slot || *slot >= kMaxSlots) {
      throw ParseError("[" + std::to_string(k) + "].id",
                       "unknown node id \"" + n.id + "\" (expected " + nodes.Choices() + ")");
    }
    NodeObs& v = o.nodes[*slot];
    v.listed = true;
    v.role = n.role;
    v.status = n.state;
  }
  return o;
}

ApplianceStatus ParseApplianceStatus(const json& j) {
  if (!j.is_object()) {
    throw ParseError(
        "", "/appliance/status must be a JSON object of service states, got " + TypeName(j));
  }
  ApplianceStatus s;
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto svc = kServiceNames.Parse(it.key());
    if (!svc || static_cast<int>(*svc) >= kShownServices) {
      std::string keys;
      for (int i = 0; i < kShownServices; ++i) {
        keys +=
            (keys.empty() ? "" : ", ") + std::string(kServiceNames.Name(static_cast<Service>(i)));
      }
      throw ParseError(it.key(), "unknown service (expected " + keys + ")");
    }
    s.services[static_cast<int>(*svc)] = EnumValue(kServiceStateNames, it.value(), it.key());
  }
  return s;
}

// A flat object of string members, read by hand so that the documentation's
// sample (dossier 3.5: no comma before "rclone") parses: commas between
// members are optional and a trailing one is allowed. Anything else
// (nesting, numbers, an unterminated string) is an error.
ApplianceStatus ParseApplianceStatusText(std::string_view text) {
  std::size_t i = 0;
  auto skip = [&] {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) {
      ++i;
    }
  };
  auto string = [&]() -> std::string {
    skip();
    if (i >= text.size() || text[i] != '"') {
      throw ParseError::AtOffset(i, "expected a quoted string");
    }
    std::string out;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') throw ParseError::AtOffset(i, "escapes are not expected here");
      out += text[i];
    }
    if (i >= text.size()) throw ParseError::AtOffset(i, "unterminated string");
    ++i;
    return out;
  };
  skip();
  if (i >= text.size() || text[i] != '{') {
    throw ParseError::AtOffset(i, "/appliance/status must be a JSON object of service states");
  }
  ++i;
  json j = json::object();
  for (;;) {
    skip();
    if (i >= text.size()) throw ParseError::AtOffset(i, "unterminated object (missing '}')");
    if (text[i] == '}') {
      ++i;
      break;
    }
    std::string key = string();
    skip();
    if (i >= text.size() || text[i] != ':')
      throw ParseError::AtOffset(i, "expected ':' after \"" + key + "\"");
    ++i;
    std::string value = string();
    if (j.contains(key)) throw ParseError(key, "appears twice");
    j[key] = value;
    skip();
    if (i < text.size() && text[i] == ',') ++i;
  }
  skip();
  if (i != text.size()) throw ParseError::AtOffset(i, "unexpected text after the object");
  return ParseApplianceStatus(j);
}

json ApplianceStatusToJson(const ApplianceStatus& s) {
  json j = json::object();
  for (int i = 0; i < kShownServices; ++i) {
    if (s.services[i]) {
      j[std::string(kServiceNames.Name(static_cast<Service>(i)))] =
          kServiceStateNames.Name(*s.services[i]);
    }
  }
  return j;
}

Observation ObserveApplianceStatus(const ApplianceStatus& st, int slot) {
  Observation o;
  if (slot < 0 || slot >= kMaxSlots) return o;
  o.nodes[slot].answers = true;
  o.nodes[slot].services = st.services;
  return o;
}

static_assert(CodecMachine<Dsm>);

}  // namespace haspec::dsm
