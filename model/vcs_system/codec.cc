// JSON codecs for the VCS system-state machine: states, ops and observations.
// Systems are named "sys0".."sys3" (a bare node id is accepted on input);
// states use the product's SysState spellings.
#include <string>

#include "model/core/json_util.h"
#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {
namespace {

using nlohmann::json;
using namespace json_util;

std::uint8_t SystemValue(const json& f, const std::string& path) {
  if (f.is_number_integer()) return static_cast<std::uint8_t>(IntValue(f, 0, kSystems - 1, path));
  if (f.is_string()) {
    auto s = f.get<std::string>();
    if (auto id = SystemId(s)) return static_cast<std::uint8_t>(*id);
    throw ParseError(path, "unknown system \"" + s + "\" (expected sys0.." +
                               SystemName(kSystems - 1) + ")");
  }
  throw ParseError(path, "expected a system name such as \"sys1\", got " + TypeName(f));
}

std::uint8_t SystemField(const json& j, std::string_view key, std::string_view where) {
  return SystemValue(Field(j, key, where), Path(where, key));
}

std::uint8_t GenField(const json& j, std::string_view key, std::string_view where) {
  const json* f = OptionalField(j, key, where);
  return f ? static_cast<std::uint8_t>(IntValue(*f, 0, 255, Path(where, key))) : 0;
}

json MaskToJson(std::uint8_t mask) {
  json a = json::array();
  for (int i = 0; i < kSystems; ++i) {
    if (mask & (1u << i)) a.push_back(SystemName(i));
  }
  return a;
}

std::uint8_t MaskValue(const json& f, const std::string& path) {
  if (!f.is_array()) throw ParseError(path, "expected an array of system names, got " + TypeName(f));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    mask |= static_cast<std::uint8_t>(1u << SystemValue(f[i], path + "[" + std::to_string(i) + "]"));
  }
  return mask;
}

struct OpEncoder {
  json operator()(const Hastart& o) const {
    return {{"sys", SystemName(o.sys)}, {"mode", kStartModeNames.Name(o.mode)}};
  }
  json operator()(const Join& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const Discover& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const LocalBuildDone& o) const {
    return {{"sys", SystemName(o.sys)}, {"hacf_error", o.hacf_error}};
  }
  json operator()(const RemoteBuildDone& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const ConfigChange& o) const { return {{"on", SystemName(o.on)}}; }
  json operator()(const HasysForce& o) const { return {{"target", SystemName(o.target)}}; }
  json operator()(const HasysDelete& o) const {
    return {{"on", SystemName(o.on)}, {"target", SystemName(o.target)}};
  }
  json operator()(const HasysAdd& o) const {
    return {{"on", SystemName(o.on)}, {"target", SystemName(o.target)}};
  }
  json operator()(const Hastop& o) const { return {{"sys", SystemName(o.sys)}, {"force", o.force}}; }
  json operator()(const AgentsStopped& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const EngineExited& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const Crash& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const GroupOnline& o) const { return {{"sys", SystemName(o.sys)}}; }
  json operator()(const EditMainCf& o) const {
    return {{"sys", SystemName(o.sys)}, {"main_cf", kMainCfNames.Name(o.main_cf)}};
  }
};

Op DecodeOp(std::string_view name, const json& j, std::string_view w) {
  auto sys = [&] { return SystemField(j, "sys", w); };
  auto on = [&] { return SystemField(j, "on", w); };
  auto target = [&] { return SystemField(j, "target", w); };
  if (name == Hastart::kName) {
    return Hastart{sys(), EnumField(kStartModeNames, j, "mode", w, StartMode::kPlain)};
  }
  if (name == Join::kName) return Join{sys()};
  if (name == Discover::kName) return Discover{sys()};
  if (name == LocalBuildDone::kName) return LocalBuildDone{sys(), BoolField(j, "hacf_error", w, false)};
  if (name == RemoteBuildDone::kName) return RemoteBuildDone{sys()};
  if (name == ConfigChange::kName) return ConfigChange{on()};
  if (name == HasysForce::kName) return HasysForce{target()};
  if (name == HasysDelete::kName) {
    std::uint8_t o = on();
    return HasysDelete{o, target()};
  }
  if (name == HasysAdd::kName) {
    std::uint8_t o = on();
    return HasysAdd{o, target()};
  }
  if (name == Hastop::kName) return Hastop{sys(), BoolField(j, "force", w, false)};
  if (name == AgentsStopped::kName) return AgentsStopped{sys()};
  if (name == EngineExited::kName) return EngineExited{sys()};
  if (name == Crash::kName) return Crash{sys()};
  if (name == GroupOnline::kName) return GroupOnline{sys()};
  if (name == EditMainCf::kName) return EditMainCf{sys(), EnumField(kMainCfNames, j, "main_cf", w)};
  throw UnknownOp<Op>(name, w);
}

}  // namespace

json VcsSystem::OpToJson(const Op& op) {
  return EncodeOp<OpEncoder>(op);
}

Op VcsSystem::OpFromJson(const json& j) { return DecodeOp(StringField(j, "op", ""), j, ""); }

json VcsSystem::StateToJson(const State& s) {
  json systems = json::array();
  for (int i = 0; i < kSystems; ++i) {
    const Sys& x = s.sys[i];
    json seen = json::object();
    for (int j = 0; j < kSystems; ++j) {
      if (x.seen[j] != SysState::kUnknown) seen[SystemName(j)] = kSysStateNames.Name(x.seen[j]);
    }
    json e = {{"system", SystemName(i)},
              {"state", kSysStateNames.Name(x.state)},
              {"prev", kSysStateNames.Name(x.prev)},
              {"main_cf", kMainCfNames.Name(x.main_cf)},
              {"disk_gen", x.disk_gen},
              {"current", x.current},
              {"groups_online", x.groups_online},
              {"run_gen", x.run_gen},
              {"seen", seen}};
    if (x.state == SysState::kRemoteBuild) {
      e["source"] = SystemName(x.source);
      e["snapshot_gen"] = x.snapshot_gen;
      e["queued"] = x.queued;
    }
    systems.push_back(std::move(e));
  }
  return {{"machine", VcsSystem::kName}, {"entries", MaskToJson(s.entries)}, {"systems", systems}};
}

State VcsSystem::StateFromJson(const json& j) {
  State s;
  if (const json* m = OptionalField(j, "machine", "")) {
    if (!m->is_string() || m->get<std::string>() != VcsSystem::kName) {
      throw ParseError("machine", "expected \"" + std::string(VcsSystem::kName) + "\", got " + m->dump());
    }
  }
  if (const json* e = OptionalField(j, "entries", "")) s.entries = MaskValue(*e, "entries");
  const json& systems = Field(j, "systems", "");
  if (!systems.is_array()) throw ParseError("systems", "expected an array, got " + TypeName(systems));
  std::uint8_t listed = 0;
  for (std::size_t k = 0; k < systems.size(); ++k) {
    std::string w = "systems[" + std::to_string(k) + "]";
    const json& e = systems[k];
    std::uint8_t i = SystemField(e, "system", w);
    if (listed & (1u << i)) throw ParseError(w + ".system", SystemName(i) + " is listed twice");
    listed |= static_cast<std::uint8_t>(1u << i);
    Sys& x = s.sys[i];
    x.state = EnumField(kSysStateNames, e, "state", w);
    x.prev = EnumField(kSysStateNames, e, "prev", w, SysState::kExited);
    x.main_cf = EnumField(kMainCfNames, e, "main_cf", w, MainCf::kValid);
    x.disk_gen = GenField(e, "disk_gen", w);
    x.current = BoolField(e, "current", w, false);
    x.groups_online = BoolField(e, "groups_online", w, false);
    x.run_gen = GenField(e, "run_gen", w);
    if (x.state == SysState::kRemoteBuild) {
      x.source = SystemField(e, "source", w);
      x.snapshot_gen = GenField(e, "snapshot_gen", w);
      x.queued = GenField(e, "queued", w);
    }
    if (const json* seen = OptionalField(e, "seen", w)) {
      std::string sw = w + ".seen";
      if (!seen->is_object()) throw ParseError(sw, "expected an object of system: state, got " + TypeName(*seen));
      for (auto it = seen->begin(); it != seen->end(); ++it) {
        std::uint8_t other = SystemValue(json(it.key()), sw);
        SysState v = EnumValue(kSysStateNames, it.value(), Path(sw, it.key()));
        if (v != SysState::kUnknown && v != SysState::kExited && v != SysState::kFaulted) {
          throw ParseError(Path(sw, it.key()), "a gone system is seen as EXITED, FAULTED or UNKNOWN, not " +
                                                   std::string(kSysStateNames.Name(v)));
        }
        x.seen[other] = v;
      }
    }
  }
  return s;
}

json VcsSystem::ObservationToJson(const Observation& o) {
  json observers = json::array();
  for (int i = 0; i < kSystems; ++i) {
    if (!o.listed[i]) continue;
    json rows = json::array();
    for (int j = 0; j < kSystems; ++j) {
      if (o.listed[i] & (1u << j)) {
        rows.push_back({{"system", SystemName(j)}, {"state", kSysStateNames.Name(o.table[i][j])}});
      }
    }
    observers.push_back({{"observer", SystemName(i)}, {"systems", rows}});
  }
  return {{"observers", observers}};
}

Observation VcsSystem::ObservationFromJson(const json& j) {
  Observation o;
  const json& observers = Field(j, "observers", "");
  if (!observers.is_array()) throw ParseError("observers", "expected an array, got " + TypeName(observers));
  for (std::size_t k = 0; k < observers.size(); ++k) {
    std::string w = "observers[" + std::to_string(k) + "]";
    const json& e = observers[k];
    std::uint8_t i = SystemField(e, "observer", w);
    if (o.listed[i]) throw ParseError(w + ".observer", SystemName(i) + " is listed twice");
    const json& rows = Field(e, "systems", w);
    if (!rows.is_array()) throw ParseError(w + ".systems", "expected an array, got " + TypeName(rows));
    if (rows.empty()) throw ParseError(w + ".systems", "an answering engine lists at least itself");
    for (std::size_t r = 0; r < rows.size(); ++r) {
      std::string rw = w + ".systems[" + std::to_string(r) + "]";
      std::uint8_t sys = SystemField(rows[r], "system", rw);
      if (o.listed[i] & (1u << sys)) throw ParseError(rw + ".system", SystemName(sys) + " is listed twice");
      o.listed[i] |= static_cast<std::uint8_t>(1u << sys);
      o.table[i][sys] = EnumField(kSysStateNames, rows[r], "state", rw);
    }
  }
  return o;
}

static_assert(CodecMachine<VcsSystem>);

}  // namespace haspec::vcs_system
