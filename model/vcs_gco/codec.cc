// JSON codecs for the global cluster machine: states, ops and observations.
// Names on output are the CLI's upper case; input accepts any case.
#include <string>

#include "model/core/json_util.h"
#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco {
namespace {

using nlohmann::json;
using namespace json_util;

// A cluster reference: "clus1" (canonical, any case) or the bare number 1.
std::uint8_t ClusterValue(const json& f, const std::string& path) {
  if (f.is_number_integer()) return static_cast<std::uint8_t>(IntValue(f, 0, kClusters - 1, path));
  if (f.is_string()) {
    auto s = f.get<std::string>();
    int c = ParseClusterName(s);
    if (c >= 0) return static_cast<std::uint8_t>(c);
    throw ParseError(path, "unknown cluster \"" + s + "\" (expected clus0.." +
                               ClusterName(kClusters - 1) + ")");
  }
  throw ParseError(path, "expected a cluster name such as \"clus1\", got " + TypeName(f));
}

std::uint8_t ClusterField(const json& j, std::string_view key, std::string_view where) {
  return ClusterValue(Field(j, key, where), Path(where, key));
}

// A heartbeat reference: "Icmp" (any case) or its number.
std::uint8_t HeartbeatField(const json& j, std::string_view key, std::string_view where) {
  const json& f = Field(j, key, where);
  std::string path = Path(where, key);
  if (f.is_number_integer()) return static_cast<std::uint8_t>(IntValue(f, 0, kHeartbeats - 1, path));
  return static_cast<std::uint8_t>(EnumValue(kHeartbeatNames, f, path));
}

json MaskToJson(std::uint8_t mask) {
  json a = json::array();
  for (int c = 0; c < kClusters; ++c) {
    if (mask & (1u << c)) a.push_back(ClusterName(c));
  }
  return a;
}

std::uint8_t MaskField(const json& j, std::string_view key, std::string_view where) {
  const json* f = OptionalField(j, key, where);
  if (!f) return 0;
  std::string path = Path(where, key);
  if (!f->is_array()) throw ParseError(path, "expected an array of cluster names, got " + TypeName(*f));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < f->size(); ++i) {
    mask |= static_cast<std::uint8_t>(1u << ClusterValue((*f)[i], path + "[" + std::to_string(i) + "]"));
  }
  return mask;
}

json HeartbeatsToJson(const std::array<HbState, kHeartbeats>& hb) {
  json o = json::object();
  for (int h = 0; h < kHeartbeats; ++h) {
    o[std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h)))] = kHbStateNames.Name(hb[h]);
  }
  return o;
}

// {"Icmp": "HBALIVE", ...}; heartbeats left out are HBUNKNOWN.
std::array<HbState, kHeartbeats> HeartbeatsField(const json& j, std::string_view where) {
  std::array<HbState, kHeartbeats> hb{};
  const json* f = OptionalField(j, "heartbeats", where);
  if (!f) return hb;
  std::string path = Path(where, "heartbeats");
  if (!f->is_object()) {
    throw ParseError(path, "expected an object such as {\"Icmp\": \"HBALIVE\"}, got " + TypeName(*f));
  }
  for (auto it = f->begin(); it != f->end(); ++it) {
    auto h = kHeartbeatNames.Parse(it.key());
    if (!h) {
      throw ParseError(Path(path, it.key()),
                       "unknown heartbeat (expected " + kHeartbeatNames.Choices() + ")");
    }
    hb[static_cast<int>(*h)] = EnumValue(kHbStateNames, it.value(), Path(path, it.key()));
  }
  return hb;
}

// Reads an array of per-cluster objects keyed by "cluster"; calls
// each(cluster, element, where) once per cluster and rejects repeats.
template <class F>
void ForEachClusterEntry(const json& arr, const std::string& path, int skip, F each) {
  if (!arr.is_array()) throw ParseError(path, "expected an array, got " + TypeName(arr));
  std::array<bool, kClusters> seen{};
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string w = path + "[" + std::to_string(i) + "]";
    std::uint8_t c = ClusterField(arr[i], "cluster", w);
    if (c == skip) {
      throw ParseError(w + ".cluster", ClusterName(c) + " cannot hold a view of itself");
    }
    if (seen[c]) throw ParseError(w + ".cluster", ClusterName(c) + " is listed twice");
    seen[c] = true;
    each(c, arr[i], w);
  }
}

struct OpEncoder {
  static json Pair(std::uint8_t o, std::uint8_t r) {
    return {{"observer", ClusterName(o)}, {"remote", ClusterName(r)}};
  }
  static json HbOp(std::uint8_t o, std::uint8_t r, std::uint8_t h) {
    json j = Pair(o, r);
    if (h < kHeartbeats) {
      j["heartbeat"] = kHeartbeatNames.Name(static_cast<Heartbeat>(h));
    } else {
      j["heartbeat"] = h;
    }
    return j;
  }
  json operator()(const HeartbeatAlive& o) const { return HbOp(o.observer, o.remote, o.heartbeat); }
  json operator()(const HeartbeatDead& o) const { return HbOp(o.observer, o.remote, o.heartbeat); }
  json operator()(const Connect& o) const { return Pair(o.observer, o.remote); }
  json operator()(const SnapshotDone& o) const { return Pair(o.observer, o.remote); }
  json operator()(const ConnectionLost& o) const { return Pair(o.observer, o.remote); }
  json operator()(const Inquire& o) const { return Pair(o.observer, o.remote); }
  json operator()(const InquiryAnswers& o) const {
    json j = Pair(o.observer, o.remote);
    j["not_down"] = MaskToJson(o.not_down);
    return j;
  }
  json operator()(const StopCluster& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
  json operator()(const ClusterExited& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
  json operator()(const ClusterCrash& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
  json operator()(const StartCluster& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
  json operator()(const ConnectorFailover& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
  json operator()(const ConnectorOnline& o) const { return {{"cluster", ClusterName(o.cluster)}}; }
};

// Decodes the op named `name` from `j`; every alternative is listed once.
Op DecodeOp(std::string_view name, const json& j, std::string_view w) {
  auto obs = [&] { return ClusterField(j, "observer", w); };
  auto rem = [&] { return ClusterField(j, "remote", w); };
  auto cl = [&] { return ClusterField(j, "cluster", w); };
  auto hb = [&] { return HeartbeatField(j, "heartbeat", w); };
  if (name == HeartbeatAlive::kName) return HeartbeatAlive{obs(), rem(), hb()};
  if (name == HeartbeatDead::kName) return HeartbeatDead{obs(), rem(), hb()};
  if (name == Connect::kName) return Connect{obs(), rem()};
  if (name == SnapshotDone::kName) return SnapshotDone{obs(), rem()};
  if (name == ConnectionLost::kName) return ConnectionLost{obs(), rem()};
  if (name == Inquire::kName) return Inquire{obs(), rem()};
  if (name == InquiryAnswers::kName) return InquiryAnswers{obs(), rem(), MaskField(j, "not_down", w)};
  if (name == StopCluster::kName) return StopCluster{cl()};
  if (name == ClusterExited::kName) return ClusterExited{cl()};
  if (name == ClusterCrash::kName) return ClusterCrash{cl()};
  if (name == StartCluster::kName) return StartCluster{cl()};
  if (name == ConnectorFailover::kName) return ConnectorFailover{cl()};
  if (name == ConnectorOnline::kName) return ConnectorOnline{cl()};
  throw UnknownOp<Op>(name, w);
}

}  // namespace

json VcsGco::OpToJson(const Op& op) {
  return EncodeOp<OpEncoder>(op);
}

Op VcsGco::OpFromJson(const json& j) { return DecodeOp(StringField(j, "op", ""), j, ""); }

json VcsGco::StateToJson(const State& s) {
  json clusters = json::array();
  for (int c = 0; c < kClusters; ++c) {
    const Cluster& cl = s.clusters[c];
    json views = json::array();
    for (int r = 0; r < kClusters; ++r) {
      if (r == c) continue;
      const View& v = cl.views[r];
      views.push_back({{"cluster", ClusterName(r)},
                       {"state", kClusterStateNames.Name(v.state)},
                       {"connected", v.connected},
                       {"heartbeats", HeartbeatsToJson(v.hb)}});
    }
    clusters.push_back({{"cluster", ClusterName(c)},
                        {"state", kLocalNames.Name(cl.local)},
                        {"views", views}});
  }
  return {{"machine", VcsGco::kName}, {"clusters", clusters}};
}

State VcsGco::StateFromJson(const json& j) {
  State s;
  std::array<bool, kClusters> listed{};
  ForEachClusterEntry(Field(j, "clusters", ""), "clusters", -1,
                      [&](int c, const json& e, const std::string& w) {
                        listed[c] = true;
                        Cluster& cl = s.clusters[c];
                        cl.local = EnumField(kLocalNames, e, "state", w, Local::kRunning);
                        const json* views = OptionalField(e, "views", w);
                        if (!views) return;
                        ForEachClusterEntry(*views, w + ".views", c,
                                            [&](int r, const json& v, const std::string& vw) {
                                              View& view = cl.views[r];
                                              view.state = EnumField(kClusterStateNames, v, "state", vw);
                                              view.connected = BoolField(v, "connected", vw, false);
                                              view.hb = HeartbeatsField(v, vw);
                                            });
                      });
  for (int c = 0; c < kClusters; ++c) {
    if (!listed[c]) throw ParseError("clusters", ClusterName(c) + " is missing");
  }
  return s;
}

json VcsGco::ObservationToJson(const Observation& o) {
  json clusters = json::array();
  for (int c = 0; c < kClusters; ++c) {
    const ClusterReport& rep = o.clusters[c];
    if (!rep.reporting) {
      clusters.push_back({{"cluster", ClusterName(c)}, {"reporting", false}});
      continue;
    }
    json remote = json::array();
    for (int r = 0; r < kClusters; ++r) {
      if (r == c) continue;
      remote.push_back({{"cluster", ClusterName(r)},
                        {"state", kClusterStateNames.Name(rep.remote[r])},
                        {"heartbeats", HeartbeatsToJson(rep.hb[r])}});
    }
    clusters.push_back({{"cluster", ClusterName(c)},
                        {"reporting", true},
                        {"state", kLocalNames.Name(rep.local)},
                        {"remote", remote}});
  }
  return {{"clusters", clusters}};
}

Observation VcsGco::ObservationFromJson(const json& j) {
  Observation o;
  std::array<bool, kClusters> listed{};
  ForEachClusterEntry(Field(j, "clusters", ""), "clusters", -1,
                      [&](int c, const json& e, const std::string& w) {
                        listed[c] = true;
                        ClusterReport& rep = o.clusters[c];
                        rep.reporting = BoolField(e, "reporting", w, true);
                        if (!rep.reporting) return;
                        rep.local = EnumField(kLocalNames, e, "state", w);
                        std::array<bool, kClusters> seen{};
                        ForEachClusterEntry(Field(e, "remote", w), w + ".remote", c,
                                            [&](int r, const json& v, const std::string& vw) {
                                              seen[r] = true;
                                              rep.remote[r] = EnumField(kClusterStateNames, v, "state", vw);
                                              rep.hb[r] = HeartbeatsField(v, vw);
                                            });
                        for (int r = 0; r < kClusters; ++r) {
                          if (r != c && !seen[r]) {
                            throw ParseError(w + ".remote", "no entry for " + ClusterName(r));
                          }
                        }
                      });
  for (int c = 0; c < kClusters; ++c) {
    if (!listed[c]) throw ParseError("clusters", ClusterName(c) + " is missing");
  }
  return o;
}

static_assert(CodecMachine<VcsGco>);

}  // namespace haspec::vcs_gco
