// JSON codecs for the VCS system-state machine: states, observations and
// configurations. Systems are named by the configuration's Nodes; states use
// the product's SysState spellings. Ops are derived (model/core/op_codec.h).
#include <nlohmann/json.hpp>
#include <string>

#include "model/core/json_util.h"
#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {
namespace {

using nlohmann::json;
using namespace json_util;

int SystemValue(const json& f, const Nodes& nodes, const std::string& path) {
  if (!f.is_string()) {
    throw ParseError(path, "expected a system name, got " + TypeName(f));
  }
  auto name = f.get<std::string>();
  if (auto i = nodes.Find(name)) return *i;
  throw ParseError(path, "unknown system \"" + name + "\" (expected " + nodes.Choices() + ")");
}

json SetToJson(SystemSet mask, const Nodes& nodes) {
  json a = json::array();
  for (int i = 0; i < kMaxSystems; ++i) {
    if (mask & (1u << i)) a.push_back(nodes.Name(i));
  }
  return a;
}

SystemSet SetValue(const json& f, const Nodes& nodes, const std::string& path) {
  if (!f.is_array())
    throw ParseError(path, "expected an array of system names, got " + TypeName(f));
  SystemSet mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    const int id = SystemValue(f[i], nodes, p);
    if (mask & (1u << id)) throw ParseError(p, nodes.Name(id) + " is listed twice");
    mask = static_cast<SystemSet>(mask | (1u << id));
  }
  return mask;
}

// Configuration labels are small numbers; "none" is written as null.
constexpr std::int64_t kMaxLabel = 4 * kMaxSystems;

json LabelToJson(std::uint8_t v) { return v == kNoConfig ? json(nullptr) : json(v); }

std::uint8_t LabelField(const json& j, std::string_view key, std::string_view where,
                        std::uint8_t dflt) {
  const json* f = OptionalField(j, key, where);
  if (!f) return dflt;
  if (f->is_null()) return kNoConfig;
  return static_cast<std::uint8_t>(IntValue(*f, 0, kMaxLabel, Path(where, key)));
}

}  // namespace

json VcsSystem::StateToJson(const State& s, const Nodes& nodes) {
  json systems = json::array();
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    json seen = json::object();
    for (int j = 0; j < s.n; ++j) {
      const View v = x.ViewOf(j);
      if (v != View::kNotSeen) seen[nodes.Name(j)] = v == View::kFaulted ? "FAULTED" : "EXITED";
    }
    json e = {{"system", nodes.Name(i)},
              {"state", kSysStateNames.Name(x.state)},
              {"main_cf", kMainCfNames.Name(x.main_cf)},
              {"disk_cfg", x.disk_cfg},
              {"current", x.current},
              {"groups_online", x.groups_online},
              {"run_cfg", LabelToJson(x.run_cfg)},
              {"seen", seen}};
    if (x.state == SysState::kRemoteBuild) {
      e["source"] = nodes.Name(x.source);
      e["snapshot_cfg"] = LabelToJson(x.snapshot_cfg);
      e["build_cfg"] = LabelToJson(x.build_cfg);
    }
    systems.push_back(std::move(e));
  }
  return {{"machine", VcsSystem::kName},
          {"entries", SetToJson(s.entries, nodes)},
          {"systems", systems}};
}

State VcsSystem::StateFromJson(const json& j, const Nodes& nodes) {
  RejectUnknownKeys(j, "", {"machine", "entries", "systems"});
  if (nodes.size() == 0 || nodes.size() > static_cast<std::size_t>(kMaxSystems)) {
    throw ParseError("", "the configuration names " + std::to_string(nodes.size()) +
                             " systems (expected 1.." + std::to_string(kMaxSystems) + ")");
  }
  State s;
  s.n = static_cast<std::uint8_t>(nodes.size());
  s.entries = static_cast<SystemSet>((1u << s.n) - 1);
  if (const json* m = OptionalField(j, "machine", "")) {
    if (!m->is_string() || m->get<std::string>() != VcsSystem::kName) {
      throw ParseError("machine",
                       "expected \"" + std::string(VcsSystem::kName) + "\", got " + m->dump());
    }
  }
  if (const json* e = OptionalField(j, "entries", "")) s.entries = SetValue(*e, nodes, "entries");
  const json& systems = Field(j, "systems", "");
  if (!systems.is_array()) {
    throw ParseError("systems", "expected an array, got " + TypeName(systems));
  }
  SystemSet listed = 0;
  for (std::size_t k = 0; k < systems.size(); ++k) {
    const std::string w = "systems[" + std::to_string(k) + "]";
    const json& e = systems[k];
    // source, snapshot_cfg and build_cfg are known in every state though read only in
    // REMOTE_BUILD (below): a hand-edited state that leaves them behind is not misspelt.
    RejectUnknownKeys(e, w,
                      {"system", "state", "main_cf", "disk_cfg", "current", "groups_online",
                       "run_cfg", "seen", "source", "snapshot_cfg", "build_cfg"});
    const int i = SystemValue(Field(e, "system", w), nodes, Path(w, "system"));
    if (listed & (1u << i)) throw ParseError(Path(w, "system"), nodes.Name(i) + " is listed twice");
    listed = static_cast<SystemSet>(listed | (1u << i));
    Sys& x = s.sys[i];
    x.state = EnumField(kSysStateNames, e, "state", w);
    x.main_cf = EnumField(kMainCfNames, e, "main_cf", w, MainCf::kValid);
    x.disk_cfg = LabelField(e, "disk_cfg", w, 0);
    if (x.disk_cfg == kNoConfig) {
      throw ParseError(Path(w, "disk_cfg"), "main.cf always holds a configuration label");
    }
    x.current = BoolField(e, "current", w, false);
    x.groups_online = BoolField(e, "groups_online", w, false);
    x.run_cfg = LabelField(e, "run_cfg", w, kNoConfig);
    if (x.state == SysState::kRemoteBuild) {
      x.source =
          static_cast<std::uint8_t>(SystemValue(Field(e, "source", w), nodes, Path(w, "source")));
      x.snapshot_cfg = LabelField(e, "snapshot_cfg", w, kNoConfig);
      x.build_cfg = LabelField(e, "build_cfg", w, x.snapshot_cfg);
    }
    if (const json* seen = OptionalField(e, "seen", w)) {
      const std::string sw = Path(w, "seen");
      if (!seen->is_object()) {
        throw ParseError(sw, "expected an object of system: state, got " + TypeName(*seen));
      }
      for (auto it = seen->begin(); it != seen->end(); ++it) {
        const int other = SystemValue(json(it.key()), nodes, sw);
        const SysState v = EnumValue(kSysStateNames, it.value(), Path(sw, it.key()));
        if (v != SysState::kExited && v != SysState::kFaulted) {
          throw ParseError(Path(sw, it.key()),
                           "a gone system is seen as EXITED or FAULTED (omit it when not seen), "
                           "not " +
                               std::string(kSysStateNames.Name(v)));
        }
        x.SetView(other, v == SysState::kFaulted ? View::kFaulted : View::kExited);
      }
    }
  }
  return s;
}

json VcsSystem::ObservationToJson(const Observation& o, const Nodes& nodes) {
  json observers = json::array();
  for (int i = 0; i < kMaxSystems; ++i) {
    json e = json::object();
    if (o.answered[i]) e["answered"] = *o.answered[i];
    if (o.listed[i]) e["listed"] = SetToJson(*o.listed[i], nodes);
    json states = json::object(), groups = json::object();
    for (int j = 0; j < kMaxSystems; ++j) {
      if (o.state[i][j]) states[nodes.Name(j)] = kSysStateNames.Name(*o.state[i][j]);
      if (o.groups_online[i][j]) groups[nodes.Name(j)] = *o.groups_online[i][j];
    }
    if (!states.empty()) e["states"] = states;
    if (!groups.empty()) e["groups_online"] = groups;
    if (e.empty()) continue;
    e["observer"] = nodes.Name(i);
    observers.push_back(std::move(e));
  }
  return {{"observers", observers}};
}

Observation VcsSystem::ObservationFromJson(const json& j, const Nodes& nodes) {
  RejectUnknownKeys(j, "", {"observers"});
  Observation o;
  const json* observers = OptionalField(j, "observers", "");
  if (!observers) return o;
  if (!observers->is_array()) {
    throw ParseError("observers", "expected an array, got " + TypeName(*observers));
  }
  SystemSet seen_observers = 0;
  for (std::size_t k = 0; k < observers->size(); ++k) {
    const std::string w = "observers[" + std::to_string(k) + "]";
    const json& e = (*observers)[k];
    RejectUnknownKeys(e, w, {"observer", "answered", "listed", "states", "groups_online"});
    const int i = SystemValue(Field(e, "observer", w), nodes, Path(w, "observer"));
    if (seen_observers & (1u << i)) {
      throw ParseError(Path(w, "observer"), nodes.Name(i) + " is listed twice");
    }
    seen_observers = static_cast<SystemSet>(seen_observers | (1u << i));
    if (const json* a = OptionalField(e, "answered", w)) {
      if (!a->is_boolean()) {
        throw ParseError(Path(w, "answered"), "expected true or false, got " + TypeName(*a));
      }
      o.answered[i] = a->get<bool>();
    }
    if (const json* l = OptionalField(e, "listed", w)) {
      o.listed[i] = SetValue(*l, nodes, Path(w, "listed"));
    }
    if (const json* st = OptionalField(e, "states", w)) {
      const std::string sw = Path(w, "states");
      if (!st->is_object()) throw ParseError(sw, "expected an object of system: state");
      for (auto it = st->begin(); it != st->end(); ++it) {
        const int sys = SystemValue(json(it.key()), nodes, Path(sw, it.key()));
        o.state[i][sys] = EnumValue(kSysStateNames, it.value(), Path(sw, it.key()));
        if (o.listed[i] && !(*o.listed[i] & (1u << sys))) {
          throw ParseError(Path(sw, it.key()), "a state for a system the listing leaves out");
        }
      }
    }
    if (const json* g = OptionalField(e, "groups_online", w)) {
      const std::string gw = Path(w, "groups_online");
      if (!g->is_object()) throw ParseError(gw, "expected an object of system: true or false");
      for (auto it = g->begin(); it != g->end(); ++it) {
        const int sys = SystemValue(json(it.key()), nodes, Path(gw, it.key()));
        if (!it.value().is_boolean()) {
          throw ParseError(Path(gw, it.key()),
                           "expected true or false, got " + TypeName(it.value()));
        }
        o.groups_online[i][sys] = it.value().get<bool>();
      }
    }
  }
  return o;
}

json VcsSystem::ConfigToJson(const Config& c) {
  return {{"systems", c.nodes.names()},
          {"no_entry", SetToJson(c.no_entry, c.nodes)},
          {"stale", SetToJson(c.stale, c.nodes)},
          {"invalid", SetToJson(c.invalid, c.nodes)}};
}

Config VcsSystem::ConfigFromJson(const json& j) {
  RejectUnknownKeys(j, "", {"systems", "no_entry", "stale", "invalid", "machine"});
  Config c;
  if (const json* sys = OptionalField(j, "systems", "")) {
    if (!sys->is_array()) throw ParseError("systems", "expected an array of system names");
    if (sys->empty() || sys->size() > static_cast<std::size_t>(kMaxSystems)) {
      throw ParseError("systems", std::to_string(sys->size()) + " systems (expected 1.." +
                                      std::to_string(kMaxSystems) + ")");
    }
    std::vector<std::string> names;
    for (std::size_t k = 0; k < sys->size(); ++k) {
      const std::string p = "systems[" + std::to_string(k) + "]";
      const json& n = (*sys)[k];
      if (!n.is_string() || n.get<std::string>().empty()) {
        throw ParseError(p, "expected a non-empty system name, got " + n.dump());
      }
      const std::string name = n.get<std::string>();
      for (const std::string& other : names) {
        if (other == name) throw ParseError(p, "duplicate system name \"" + name + "\"");
      }
      names.push_back(name);
    }
    c.nodes = Nodes(std::move(names));
  }
  if (const json* f = OptionalField(j, "no_entry", ""))
    c.no_entry = SetValue(*f, c.nodes, "no_entry");
  if (const json* f = OptionalField(j, "stale", "")) c.stale = SetValue(*f, c.nodes, "stale");
  if (const json* f = OptionalField(j, "invalid", "")) c.invalid = SetValue(*f, c.nodes, "invalid");
  if (c.stale & c.invalid) {
    throw ParseError("invalid",
                     "a main.cf is either stale or invalid, not both (" +
                         SetToJson(static_cast<SystemSet>(c.stale & c.invalid), c.nodes).dump() +
                         ")");
  }
  return c;
}

static_assert(CodecMachine<VcsSystem>);

}  // namespace haspec::vcs_system
