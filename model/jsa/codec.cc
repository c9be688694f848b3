// JSON codecs for the JSA machine: states, ops and observations.
#include <string>

#include "model/core/json_util.h"
#include "model/jsa/jsa.h"

namespace haspec::jsa {
namespace {

using nlohmann::json;
using namespace json_util;

// A host reference: "primary" / "secondary" (any case), or 0 / 1.
std::uint8_t HostValue(const json& f, const std::string& path) {
  if (f.is_number_integer()) return static_cast<std::uint8_t>(IntValue(f, 0, kHosts - 1, path));
  return static_cast<std::uint8_t>(EnumValue(kRoleNames, f, path));
}

std::uint8_t HostField(const json& j, std::string_view key, std::string_view where) {
  return HostValue(Field(j, key, where), Path(where, key));
}

struct OpEncoder {
  json operator()(const CreatePair& o) const { return {{"disk_replication", o.disk_replication}}; }
  json operator()(const SetOffline& o) const { return {{"host", HostName(o.host)}}; }
  json operator()(const SetOnline& o) const { return {{"host", HostName(o.host)}}; }
  json operator()(const RepairHost& o) const {
    return {{"host", HostName(o.host)}, {"replace", o.replace}};
  }
  json operator()(const RestoreHost& o) const { return {{"host", HostName(o.host)}}; }
  json operator()(const SwitchPrimaryToActive&) const { return json::object(); }
  json operator()(const ApplyLicense&) const { return json::object(); }
  json operator()(const PatchPrimary&) const { return json::object(); }
  json operator()(const StartUpgrade&) const { return json::object(); }
  json operator()(const HostFails& o) const {
    return {{"host", HostName(o.host)}, {"cause", kCauseNames.Name(o.cause)}};
  }
  json operator()(const ConnectivityTest& o) const {
    return {{"sweep_ok", o.sweep_ok}, {"standby_ok", o.standby_ok}, {"reping_ok", o.reping_ok}};
  }
  json operator()(const ProcessExits& o) const { return {{"host", HostName(o.host)}}; }
  json operator()(const DiskFull& o) const { return {{"host", HostName(o.host)}}; }
  json operator()(const LicenseLost&) const { return json::object(); }
  json operator()(const Complete& o) const { return {{"host", HostName(o.host)}}; }
};

Op DecodeOp(std::string_view name, const json& j, std::string_view w) {
  auto host = [&] { return HostField(j, "host", w); };
  if (name == CreatePair::kName) return CreatePair{BoolField(j, "disk_replication", w, true)};
  if (name == SetOffline::kName) return SetOffline{host()};
  if (name == SetOnline::kName) return SetOnline{host()};
  if (name == RepairHost::kName) return RepairHost{host(), BoolField(j, "replace", w, false)};
  if (name == RestoreHost::kName) return RestoreHost{host()};
  if (name == SwitchPrimaryToActive::kName) return SwitchPrimaryToActive{};
  if (name == ApplyLicense::kName) return ApplyLicense{};
  if (name == PatchPrimary::kName) return PatchPrimary{};
  if (name == StartUpgrade::kName) return StartUpgrade{};
  if (name == HostFails::kName) {
    return HostFails{host(), EnumField(kCauseNames, j, "cause", w, Cause::kPower)};
  }
  if (name == ConnectivityTest::kName) {
    return ConnectivityTest{BoolField(j, "sweep_ok", w, true), BoolField(j, "standby_ok", w, true),
                            BoolField(j, "reping_ok", w, true)};
  }
  if (name == ProcessExits::kName) return ProcessExits{host()};
  if (name == DiskFull::kName) return DiskFull{host()};
  if (name == LicenseLost::kName) return LicenseLost{};
  if (name == Complete::kName) return Complete{host()};
  throw UnknownOp<Op>(name, w);
}

json HostToJson(const Host& x, int h) {
  return {{"role", HostName(h)},      {"status", kStatusNames.Name(x.status)},
          {"services", x.services},   {"vip", x.vip},
          {"version", x.version},     {"repaired", x.repaired}};
}

}  // namespace

json Jsa::OpToJson(const Op& op) {
  return EncodeOp<OpEncoder>(op);
}

Op Jsa::OpFromJson(const json& j) { return DecodeOp(StringField(j, "op", ""), j, ""); }

json Jsa::StateToJson(const State& s) {
  json hosts = json::array();
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) hosts.push_back(HostToJson(s.hosts[h], h));
  return {{"machine", Jsa::kName},
          {"paired", s.paired},
          {"disk_replication", s.disk_replication},
          {"licensed", s.licensed},
          {"failed_over", s.failed_over},
          {"hosts", hosts}};
}

State Jsa::StateFromJson(const json& j) {
  State s;
  s.paired = BoolField(j, "paired", "", false);
  s.disk_replication = BoolField(j, "disk_replication", "", false);
  s.licensed = BoolField(j, "licensed", "", true);
  s.failed_over = BoolField(j, "failed_over", "", false);
  const json& hosts = Field(j, "hosts", "");
  if (!hosts.is_array()) throw ParseError("hosts", "expected an array, got " + TypeName(hosts));
  std::array<bool, kHosts> seen{};
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::string w = "hosts[" + std::to_string(i) + "]";
    const json& e = hosts[i];
    std::uint8_t h = HostField(e, "role", w);
    if (seen[h]) throw ParseError(w + ".role", "the " + std::string(HostName(h)) + " is listed twice");
    if (h == kSecondary && !s.paired) {
      throw ParseError(w + ".role", "a secondary is listed but \"paired\" is false");
    }
    seen[h] = true;
    Host& x = s.hosts[h];
    x.status = EnumField(kStatusNames, e, "status", w);
    x.services = BoolField(e, "services", w, false);
    x.vip = BoolField(e, "vip", w, false);
    x.repaired = BoolField(e, "repaired", w, false);
    x.version = static_cast<std::uint8_t>(IntField(e, "version", 1, kMaxVersion, w));
  }
  if (!seen[kPrimary]) throw ParseError("hosts", "the primary is missing");
  if (s.paired && !seen[kSecondary]) {
    throw ParseError("hosts", "\"paired\" is true but the secondary is missing");
  }
  return s;
}

json Jsa::ObservationToJson(const Observation& o) {
  json j = json::object();
  for (int h = 0; h < kHosts; ++h) {
    if (o.hosts[h]) j[std::string(HostName(h))] = kStatusNames.Name(*o.hosts[h]);
  }
  return j;
}

Observation Jsa::ObservationFromJson(const json& j) {
  RequireObject(j, "");
  Observation o;
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto role = kRoleNames.Parse(it.key());
    if (!role) {
      throw ParseError(it.key(), "unknown host role (expected " + kRoleNames.Choices() + ")");
    }
    auto& slot = o.hosts[static_cast<int>(*role)];
    if (slot) throw ParseError(it.key(), "the " + std::string(kRoleNames.Name(*role)) + " is listed twice");
    slot = EnumValue(kStatusNames, it.value(), it.key());
  }
  if (!o.hosts[kPrimary]) throw ParseError("primary", "missing: every observation shows the primary");
  return o;
}

static_assert(CodecMachine<Jsa>);

}  // namespace haspec::jsa
