// JSON codecs for the JSA machine: states, observations and configurations.
// Ops are derived from their declarations (model/core/op_codec.h).
#include <cctype>
#include <string>

#include "model/core/json_util.h"
#include "model/jsa/jsa.h"

namespace haspec::jsa {
namespace {

using nlohmann::json;
using namespace json_util;

// A host named as the configuration names it.
std::uint8_t HostValue(const json& f, const Nodes& n, const std::string& path) {
  if (!f.is_string()) throw ParseError(path, "expected a host name, got " + TypeName(f));
  const auto name = f.get<std::string>();
  if (auto i = n.Find(name)) return static_cast<std::uint8_t>(*i);
  throw ParseError(path, "unknown host \"" + name + "\" (expected " + n.Choices() + ")");
}

json HostToJson(const Host& x, int h, const Nodes& n) {
  return {{"host", n.Name(h)},      {"role", HostName(h)}, {"status", kStatusNames.Name(x.status)},
          {"services", x.services}, {"vip", x.vip},        {"repaired", x.repaired}};
}

// Letters, digits, '.', '-' and '_': a host name as ha.conf and the status
// log carry it.
bool HostNameOk(const std::string& h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::optional<bool> OptBool(const json& j, std::string_view key, std::string_view where) {
  const json* f = OptionalField(j, key, where);
  if (!f) return std::nullopt;
  if (!f->is_boolean()) {
    throw ParseError(Path(where, key), "expected true or false, got " + TypeName(*f));
  }
  return f->get<bool>();
}

json HostObservationToJson(const HostObservation& o) {
  json j = json::object();
  if (o.status) j["status"] = kStatusNames.Name(*o.status);
  if (o.vip) j["vip"] = *o.vip;
  if (o.services) j["services"] = *o.services;
  return j;
}

HostObservation HostObservationFromJson(const json& j, const std::string& where) {
  RequireObject(j, where);
  RejectUnknownKeys(j, where, {"status", "vip", "services"});
  HostObservation o;
  if (const json* f = OptionalField(j, "status", where)) {
    o.status = EnumValue(kStatusNames, *f, Path(where, "status"));
  }
  o.vip = OptBool(j, "vip", where);
  o.services = OptBool(j, "services", where);
  return o;
}

}  // namespace

json Jsa::StateToJson(const State& s, const Nodes& n) {
  json hosts = json::array();
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) hosts.push_back(HostToJson(s.hosts[h], h, n));
  return {{"machine", Jsa::kName},
          {"paired", s.paired},
          {"disk_replication", s.disk_replication},
          {"licensed", s.licensed},
          {"secondary_release", kReleaseNames.Name(s.secondary_release)},
          {"holder", n.Name(s.holder)},
          {"hosts", hosts}};
}

State Jsa::StateFromJson(const json& j, const Nodes& n) {
  RequireObject(j, "");
  State s;
  s.paired = BoolField(j, "paired", "", false);
  s.disk_replication = BoolField(j, "disk_replication", "", false);
  s.licensed = BoolField(j, "licensed", "", true);
  s.secondary_release = EnumField(kReleaseNames, j, "secondary_release", "", Release::kSame);
  if (const json* f = OptionalField(j, "holder", "")) s.holder = HostValue(*f, n, "holder");
  const json& hosts = Field(j, "hosts", "");
  if (!hosts.is_array()) throw ParseError("hosts", "expected an array, got " + TypeName(hosts));
  std::array<bool, kHosts> seen{};
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::string w = "hosts[" + std::to_string(i) + "]";
    const json& e = hosts[i];
    const auto h = static_cast<std::uint8_t>(EnumField(kRoleNames, e, "role", w));
    if (seen[h]) {
      throw ParseError(w + ".role", "the " + std::string(HostName(h)) + " is listed twice");
    }
    if (h == kSecondary && !s.paired) {
      throw ParseError(w + ".role", "a secondary is listed but \"paired\" is false");
    }
    if (const json* name = OptionalField(e, "host", w)) {
      if (HostValue(*name, n, w + ".host") != h) {
        throw ParseError(w + ".host", "host \"" + name->get<std::string>() + "\" is not the " +
                                          std::string(HostName(h)) + " (" + n.Name(h) + ")");
      }
    }
    seen[h] = true;
    Host& x = s.hosts[h];
    x.status = EnumField(kStatusNames, e, "status", w);
    x.services = BoolField(e, "services", w, false);
    x.vip = BoolField(e, "vip", w, false);
    x.repaired = BoolField(e, "repaired", w, false);
  }
  if (!seen[kPrimary]) throw ParseError("hosts", "the primary is missing");
  if (s.paired && !seen[kSecondary]) {
    throw ParseError("hosts", "\"paired\" is true but the secondary is missing");
  }
  return s;
}

// {"hosts": {"<primary name>": {"status": ..., "vip": ..., "services": ...},
//            "<secondary name>": {...} or "absent"},
//  "active": "<host name>" or "none", "licensed": ..., "disk_replication": ...,
//  "secondary_release": "same" | "behind" | "ahead"}; unseen facts are left out.
json Jsa::ObservationToJson(const Observation& o, const Nodes& n) {
  json j = json::object();
  json hosts = json::object();
  for (int h = 0; h < kHosts; ++h) {
    const HostObservation& ho = o.hosts[h];
    if (h == kSecondary && o.secondary && !*o.secondary) {
      hosts[n.Name(h)] = "absent";
      continue;
    }
    if (!ho.status && !ho.vip && !ho.services && !(h == kSecondary && o.secondary)) continue;
    hosts[n.Name(h)] = HostObservationToJson(ho);
  }
  if (!hosts.empty()) j["hosts"] = hosts;
  if (o.active) j["active"] = *o.active < 0 ? std::string("none") : n.Name(*o.active);
  if (o.licensed) j["licensed"] = *o.licensed;
  if (o.disk_replication) j["disk_replication"] = *o.disk_replication;
  if (o.secondary_release) j["secondary_release"] = kReleaseNames.Name(*o.secondary_release);
  return j;
}

Observation Jsa::ObservationFromJson(const json& j, const Nodes& n) {
  RequireObject(j, "");
  RejectUnknownKeys(j, "",
                    {"hosts", "active", "licensed", "disk_replication", "secondary_release"});
  Observation o;
  if (const json* hosts = OptionalField(j, "hosts", "")) {
    RequireObject(*hosts, "hosts");
    for (auto it = hosts->begin(); it != hosts->end(); ++it) {
      const std::string w = Path("hosts", it.key());
      auto h = n.Find(it.key());
      if (!h) {
        throw ParseError(w, "unknown host \"" + it.key() + "\" (expected " + n.Choices() + ")");
      }
      if (it.value().is_string() && it.value().get<std::string>() == "absent") {
        if (*h == kPrimary) throw ParseError(w, "the primary host is never absent");
        o.secondary = false;
        continue;
      }
      if (!it.value().is_object()) {
        throw ParseError(w, "expected an object (status, vip, services) or \"absent\", got " +
                                TypeName(it.value()));
      }
      o.hosts[*h] = HostObservationFromJson(it.value(), w);
      if (*h == kSecondary) o.secondary = true;
    }
  }
  if (const json* f = OptionalField(j, "active", "")) {
    if (f->is_string() && f->get<std::string>() == "none") {
      o.active = -1;
    } else {
      o.active = HostValue(*f, n, "active");
    }
  }
  o.licensed = OptBool(j, "licensed", "");
  o.disk_replication = OptBool(j, "disk_replication", "");
  if (const json* f = OptionalField(j, "secondary_release", "")) {
    o.secondary_release = EnumValue(kReleaseNames, *f, "secondary_release");
  }
  return o;
}

// {"hosts": {"primary": "<name>", "secondary": "<name>"},
//  "pair": "none" | "synchronizing" | "synchronized", "disk_replication": bool}
json Jsa::ConfigToJson(const Config& c) {
  json j = {
      {"hosts", {{"primary", c.nodes.Name(kPrimary)}, {"secondary", c.nodes.Name(kSecondary)}}},
      {"pair", kInitialPairNames.Name(c.pair)}};
  if (c.pair != InitialPair::kNone) j["disk_replication"] = c.disk_replication;
  return j;
}

Config Jsa::ConfigFromJson(const json& j) {
  RequireObject(j, "");
  RejectUnknownKeys(j, "", {"hosts", "pair", "disk_replication"});
  Config c;
  std::array<std::string, kHosts> names = {c.nodes.Name(kPrimary), c.nodes.Name(kSecondary)};
  if (const json* hosts = OptionalField(j, "hosts", "")) {
    RequireObject(*hosts, "hosts");
    RejectUnknownKeys(*hosts, "hosts", {"primary", "secondary"});
    for (int h = 0; h < kHosts; ++h) {
      const std::string key(HostName(h));
      if (!hosts->contains(key)) continue;
      names[h] = StringField(*hosts, key, "hosts");
      if (!HostNameOk(names[h])) {
        throw ParseError("hosts." + key, "bad host name \"" + names[h] +
                                             "\" (expected letters, digits, '.', '-' or '_')");
      }
    }
  }
  if (names[kPrimary] == names[kSecondary]) {
    throw ParseError("hosts.secondary", "the secondary has the primary's name \"" +
                                            names[kPrimary] + "\" (host names must differ)");
  }
  c.nodes = Nodes({names[kPrimary], names[kSecondary]});
  c.pair = EnumField(kInitialPairNames, j, "pair", "", InitialPair::kNone);
  const json* repl = OptionalField(j, "disk_replication", "");
  if (c.pair == InitialPair::kNone) {
    if (repl) {
      throw ParseError("disk_replication",
                       "only with an existing pair (pair \"synchronizing\" or \"synchronized\"); "
                       "create_pair chooses it otherwise");
    }
    return c;
  }
  c.disk_replication = BoolField(j, "disk_replication", "", c.pair == InitialPair::kSynchronizing);
  if (c.pair == InitialPair::kSynchronizing && !c.disk_replication) {
    throw ParseError("disk_replication",
                     "pair \"synchronizing\" needs disk replication (seed 003: Synchronizing is "
                     "displayed only when disk replication is enabled)");
  }
  return c;
}

static_assert(CodecMachine<Jsa>);

}  // namespace haspec::jsa
