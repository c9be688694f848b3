// JSON codecs for the global cluster machine: states, observations and
// configurations (ops are derived: model/core/op_codec.h). Clusters are
// named as the configuration names them; state names are printed in the
// CLI's upper case and read in any case.
#include <set>
#include <string>

#include "model/core/json_util.h"
#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco {
namespace {

using nlohmann::json;
using namespace json_util;

int ClusterValue(const json& f, const Nodes& n, const std::string& path) {
  if (!f.is_string()) {
    throw ParseError(path, "expected a cluster name, got " + TypeName(f));
  }
  auto s = f.get<std::string>();
  if (auto c = n.Find(s)) return *c;
  throw ParseError(path, "unknown cluster \"" + s + "\" (expected " + n.Choices() + ")");
}

// ["Icmp", "IcmpS"] as a mask; at least one, no repeats.
std::uint8_t HeartbeatList(const json& f, const std::string& path) {
  if (!f.is_array()) {
    throw ParseError(path,
                     "expected a list of heartbeat names such as [\"Icmp\"], got " + TypeName(f));
  }
  if (f.empty()) throw ParseError(path, "at least one heartbeat is needed (for example Icmp)");
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    auto h = static_cast<int>(EnumValue(kHeartbeatNames, f[i], p));
    if (mask >> h & 1)
      throw ParseError(
          p, std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h))) + " is listed twice");
    mask = static_cast<std::uint8_t>(mask | 1u << h);
  }
  return mask;
}

json HeartbeatListToJson(std::uint8_t mask) {
  json a = json::array();
  for (int h = 0; h < kMaxHeartbeats; ++h) {
    if (mask >> h & 1) a.push_back(kHeartbeatNames.Name(static_cast<Heartbeat>(h)));
  }
  return a;
}

// {"Icmp": "HBALIVE", ...} over the configured heartbeats. `seen` (for
// observations) receives only the heartbeats present; for states, a
// heartbeat left out is HBUNKNOWN.
template <class Set>
void HeartbeatsField(const json& j, std::string_view where, std::uint8_t mask, Set set) {
  const json* f = OptionalField(j, "heartbeats", where);
  if (!f) return;
  const std::string path = Path(where, "heartbeats");
  if (!f->is_object()) {
    throw ParseError(path,
                     "expected an object such as {\"Icmp\": \"HBALIVE\"}, got " + TypeName(*f));
  }
  for (auto it = f->begin(); it != f->end(); ++it) {
    auto h = kHeartbeatNames.Parse(it.key());
    if (!h) {
      throw ParseError(Path(path, it.key()),
                       "unknown heartbeat (expected " + kHeartbeatNames.Choices() + ")");
    }
    const int hi = static_cast<int>(*h);
    if (!(mask >> hi & 1)) {
      throw ParseError(Path(path, it.key()), "heartbeat not configured (configured: " +
                                                 HeartbeatListToJson(mask).dump() + ")");
    }
    set(hi, EnumValue(kHbStateNames, it.value(), Path(path, it.key())));
  }
}

// Reads an array of per-cluster objects keyed by "cluster"; calls
// each(cluster, element, where) once per cluster and rejects repeats and
// the cluster `skip` (a cluster holds no view of itself).
template <class F>
void ForEachClusterEntry(const json& arr, const Nodes& n, const std::string& path, int skip,
                         F each) {
  if (!arr.is_array()) throw ParseError(path, "expected an array, got " + TypeName(arr));
  std::set<int> seen;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string w = path + "[" + std::to_string(i) + "]";
    RequireObject(arr[i], w);
    int c = ClusterValue(Field(arr[i], "cluster", w), n, w + ".cluster");
    if (c == skip) {
      throw ParseError(w + ".cluster", n.Name(c) + " cannot hold a view of itself");
    }
    if (!seen.insert(c).second) throw ParseError(w + ".cluster", n.Name(c) + " is listed twice");
    each(c, arr[i], w);
  }
}

// ["clus0", ...] as a mask of clusters (at least one).
std::uint8_t ClusterList(const json& f, const Nodes& n, const std::string& path) {
  if (!f.is_array()) {
    throw ParseError(path, "expected a list of cluster names, got " + TypeName(f));
  }
  if (f.empty()) throw ParseError(path, "at least one observer is needed");
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    int c = ClusterValue(f[i], n, p);
    if (mask >> c & 1) throw ParseError(p, n.Name(c) + " is listed twice");
    mask = static_cast<std::uint8_t>(mask | 1u << c);
  }
  return mask;
}

json ClusterListToJson(std::uint8_t mask, const Nodes& n) {
  json a = json::array();
  for (int c = 0; c < kMaxClusters; ++c) {
    if (mask >> c & 1) a.push_back(n.Name(c));
  }
  return a;
}

void CheckSize(const Nodes& n, const std::string& path) {
  if (n.size() < 2 || n.size() > static_cast<std::size_t>(kMaxClusters)) {
    throw ParseError(path, "a global cluster here has 2.." + std::to_string(kMaxClusters) +
                               " clusters, got " + std::to_string(n.size()));
  }
}

}  // namespace

json VcsGco::StateToJson(const State& s, const Nodes& n) {
  json clusters = json::array();
  for (int c = 0; c < s.size; ++c) {
    const Cluster& cl = s.clusters[c];
    json views = json::array();
    for (int r = 0; r < s.size; ++r) {
      if (r == c || !s.Observes(c)) continue;
      const View& v = cl.views[r];
      json hb = json::object();
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (s.HasHeartbeat(h)) {
          hb[std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h)))] =
              kHbStateNames.Name(v.hb[h]);
        }
      }
      views.push_back({{"cluster", n.Name(r)},
                       {"state", kClusterStateNames.Name(v.state)},
                       {"connected", v.connected},
                       {"heartbeats", hb}});
    }
    json e = {{"cluster", n.Name(c)}, {"state", kLocalNames.Name(cl.local)}};
    if (s.Observes(c)) e["views"] = views;
    clusters.push_back(e);
  }
  return {{"machine", VcsGco::kName},
          {"heartbeats", HeartbeatListToJson(s.hb_mask)},
          {"observers", ClusterListToJson(s.observers, n)},
          {"clusters", clusters}};
}

State VcsGco::StateFromJson(const json& j, const Nodes& n) {
  RejectUnknownKeys(j, "", {"machine", "heartbeats", "observers", "clusters"});
  CheckSize(n, "clusters");
  State s;
  s.size = static_cast<std::uint8_t>(n.size());
  if (const json* hb = OptionalField(j, "heartbeats", "")) {
    s.hb_mask = HeartbeatList(*hb, "heartbeats");
  }
  if (const json* ob = OptionalField(j, "observers", "")) {
    s.observers = ClusterList(*ob, n, "observers");
  }
  std::set<int> listed;
  ForEachClusterEntry(
      Field(j, "clusters", ""), n, "clusters", -1, [&](int c, const json& e, const std::string& w) {
        RejectUnknownKeys(e, w, {"cluster", "state", "views"});
        listed.insert(c);
        Cluster& cl = s.clusters[c];
        cl.local = EnumField(kLocalNames, e, "state", w, Local::kRunning);
        const json* views = OptionalField(e, "views", w);
        if (!views) return;
        if (!s.Observes(c)) {
          throw ParseError(w + ".views", n.Name(c) +
                                             " is not an observer: its views are "
                                             "not modelled");
        }
        ForEachClusterEntry(
            *views, n, w + ".views", c, [&](int r, const json& v, const std::string& vw) {
              RejectUnknownKeys(v, vw, {"cluster", "state", "connected", "heartbeats"});
              View& view = cl.views[r];
              view.state = EnumField(kClusterStateNames, v, "state", vw);
              view.connected = BoolField(v, "connected", vw, false);
              HeartbeatsField(v, vw, s.hb_mask, [&](int h, HbState st) { view.hb[h] = st; });
            });
      });
  for (int c = 0; c < s.size; ++c) {
    if (!listed.count(c)) throw ParseError("clusters", n.Name(c) + " is missing");
  }
  return s;
}

json VcsGco::ObservationToJson(const Observation& o, const Nodes& n) {
  json clusters = json::array();
  for (int c = 0; c < kMaxClusters; ++c) {
    const ClusterReport& rep = o.clusters[c];
    if (rep == ClusterReport{}) continue;
    json e = {{"cluster", n.Name(c)}};
    if (rep.reporting) e["reporting"] = *rep.reporting;
    if (rep.local) e["state"] = kLocalNames.Name(*rep.local);
    json remote = json::array();
    for (int r = 0; r < kMaxClusters; ++r) {
      json v = json::object();
      if (rep.remote[r]) v["state"] = kClusterStateNames.Name(*rep.remote[r]);
      json hb = json::object();
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (rep.hb[r][h]) {
          hb[std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h)))] =
              kHbStateNames.Name(*rep.hb[r][h]);
        }
      }
      if (!hb.empty()) v["heartbeats"] = hb;
      if (v.empty()) continue;
      v["cluster"] = n.Name(r);
      remote.push_back(v);
    }
    if (!remote.empty()) e["remote"] = remote;
    clusters.push_back(e);
  }
  return {{"clusters", clusters}};
}

Observation VcsGco::ObservationFromJson(const json& j, const Nodes& n) {
  RejectUnknownKeys(j, "", {"clusters"});
  Observation o;
  const json* clusters = OptionalField(j, "clusters", "");
  if (!clusters) return o;  // nothing seen
  if (n.size() > static_cast<std::size_t>(kMaxClusters)) CheckSize(n, "clusters");
  ForEachClusterEntry(
      *clusters, n, "clusters", -1, [&](int c, const json& e, const std::string& w) {
        RejectUnknownKeys(e, w, {"cluster", "reporting", "state", "remote"});
        ClusterReport& rep = o.clusters[c];
        if (const json* f = OptionalField(e, "reporting", w)) {
          if (!f->is_boolean()) {
            throw ParseError(Path(w, "reporting"), "expected true or false, got " + TypeName(*f));
          }
          rep.reporting = f->get<bool>();
        }
        if (OptionalField(e, "state", w)) rep.local = EnumField(kLocalNames, e, "state", w);
        const json* remote = OptionalField(e, "remote", w);
        if (!remote) return;
        ForEachClusterEntry(*remote, n, w + ".remote", c,
                            [&](int r, const json& v, const std::string& vw) {
                              RejectUnknownKeys(v, vw, {"cluster", "state", "heartbeats"});
                              if (OptionalField(v, "state", vw)) {
                                rep.remote[r] = EnumField(kClusterStateNames, v, "state", vw);
                              }
                              HeartbeatsField(v, vw, (1u << kMaxHeartbeats) - 1,
                                              [&](int h, HbState st) { rep.hb[r][h] = st; });
                            });
      });
  return o;
}

json VcsGco::ConfigToJson(const Config& c) {
  return {{"clusters", c.nodes.names()},
          {"heartbeats", HeartbeatListToJson(c.heartbeats)},
          {"observers", ClusterListToJson(c.observers, c.nodes)},
          {"start", kStartNames.Name(c.start)}};
}

VcsGco::Config VcsGco::ConfigFromJson(const json& j) {
  RejectUnknownKeys(j, "", {"clusters", "heartbeats", "observers", "start"}, "configuration key");
  Config c;
  if (const json* f = OptionalField(j, "clusters", "")) {
    if (!f->is_array()) {
      throw ParseError("clusters", "expected a list of cluster names, got " + TypeName(*f));
    }
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < f->size(); ++i) {
      const std::string p = "clusters[" + std::to_string(i) + "]";
      const json& e = (*f)[i];
      if (!e.is_string()) throw ParseError(p, "expected a cluster name, got " + TypeName(e));
      std::string name = e.get<std::string>();
      if (name.empty()) throw ParseError(p, "empty cluster name");
      for (char ch : name) {
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ':') {
          throw ParseError(p, "cluster name \"" + name +
                                  "\" contains a blank or ':' (the listings could not name it)");
        }
      }
      if (!seen.insert(name).second) throw ParseError(p, "duplicate cluster name \"" + name + "\"");
      names.push_back(std::move(name));
    }
    c.nodes = Nodes(std::move(names));
    CheckSize(c.nodes, "clusters");
  }
  if (const json* f = OptionalField(j, "heartbeats", ""))
    c.heartbeats = HeartbeatList(*f, "heartbeats");
  if (const json* f = OptionalField(j, "observers", "")) {
    if (f->is_string() && f->get<std::string>() == "all") {
      c.observers = static_cast<std::uint8_t>((1u << c.nodes.size()) - 1);
    } else {
      c.observers = ClusterList(*f, c.nodes, "observers");
    }
  }
  c.start = EnumField(kStartNames, j, "start", "", c.start);
  return c;
}

static_assert(CodecMachine<VcsGco>);

}  // namespace haspec::vcs_gco
