// The round-trip checks of the machine-specific readers (model/<machine>/):
// what each target of fuzz/ calls for a product's own text (status logs,
// CLI listings, REST payloads). Each returns quietly on input the reader
// refuses with ParseError, and reports a finding (engine/fuzz_targets.h)
// when what it read does not write and read back to the same value.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_FUZZ_PARSERS_H_
#define HASPEC_FUZZ_PARSERS_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/fuzz_common.h"
#include "model/dsm/payloads.h"
#include "model/jsa/status_log.h"
#include "model/vcs_gco/listings.h"
#include "model/vcs_system/cli_text.h"

namespace haspec::fuzz {

inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A JSA status log (model/jsa/status_log.h), read free and against the
// default configuration's host names; the observations it gives.
inline int JsaStatusLog(const std::uint8_t* data, std::size_t size) {
  static const jsa::Config config = jsa::Jsa::DefaultConfig();
  const std::string_view text = Text(data, size);
  auto lines = Refusable([&] { return jsa::ParseStatusLog(text); });
  if (!lines) return 0;
  const std::string out = jsa::FormatStatusLog(*lines);
  auto again = MustParse("jsa status log", out, [&] { return jsa::ParseStatusLog(out); });
  MustEqual("jsa status log", *lines, again,
            [](const std::vector<jsa::StatusLine>& x) { return "\n" + jsa::FormatStatusLog(x); });
  jsa::ObservationsFromLog(*lines);
  Refusable([&] { return jsa::ParseStatusLog(text, &config.nodes); });
  return 0;
}

// The VCS system listings (model/vcs_system/cli_text.h); the first byte
// picks hasys -state, hastatus -sum, hasys -state <system> or hagrp -state.
inline int VcsSystemCliText(const std::uint8_t* data, std::size_t size) {
  namespace vs = vcs_system;
  if (size < 1) return 0;
  static const vs::Config config = vs::VcsSystem::DefaultConfig();
  const std::string_view text = Text(data + 1, size - 1);
  auto listing = [&](auto parse, auto format, const char* what) {
    auto rows = Refusable([&] { return parse(text); });
    if (!rows) return;
    const std::string out = format(*rows);
    auto again = MustParse(what, out, [&] { return parse(out); });
    MustEqual(what, *rows, again,
              [&](const std::vector<vs::SystemRow>& x) { return "\n" + format(x); });
    // What the listing shows: a partial observation, which writes back to
    // the same rows.
    vs::Observation obs;
    if (!Refusable([&] { return vs::AddListing(obs, config.nodes, 0, *rows), true; })) return;
    auto shown = vs::RowsFor(obs, config.nodes, 0);
    auto reread = Refusable([&] {
      vs::Observation o2;
      vs::AddListing(o2, config.nodes, 0, shown);
      return o2;
    });
    if (!reread) Fail(std::string(what) + ": rows an observation shows are refused\n");
    MustEqual(what, obs, *reread,
              [&](const vs::Observation& x) { return vs::VcsSystem::Show(x, config.nodes); });
  };
  switch (data[0] % 4) {
    case 0:
      listing([](std::string_view t) { return vs::ParseHasysState(t); },
              [](const std::vector<vs::SystemRow>& r) { return vs::FormatHasysState(r); },
              "hasys -state");
      break;
    case 1:
      listing([](std::string_view t) { return vs::ParseHastatusSummary(t); },
              [](const std::vector<vs::SystemRow>& r) { return vs::FormatHastatusSummary(r); },
              "hastatus -sum");
      break;
    case 2: {
      auto st = Refusable([&] { return vs::ParseBareSysState(text); });
      if (!st) return 0;
      vs::Observation obs;
      Refusable([&] { return vs::AddBareState(obs, config.nodes, 0, "sys1", *st), true; });
      break;
    }
    default: {
      auto rows = Refusable([&] { return vs::ParseHagrpState(text); });
      if (!rows) return 0;
      const std::string out = vs::FormatHagrpState(*rows);
      auto again = MustParse("hagrp -state", out, [&] { return vs::ParseHagrpState(out); });
      MustEqual("hagrp -state", *rows, again,
                [](const std::vector<vs::GroupRow>& x) { return "\n" + vs::FormatHagrpState(x); });
      vs::Observation obs;
      Refusable([&] { return vs::AddGroupStates(obs, config.nodes, 0, *rows), true; });
      break;
    }
  }
  return 0;
}

// The VCS global cluster listings (model/vcs_gco/listings.h), with the
// default configuration's cluster and heartbeat names.
inline int VcsGcoListings(const std::uint8_t* data, std::size_t size) {
  namespace vg = vcs_gco;
  static const vg::Config config = vg::VcsGco::DefaultConfig();
  const std::string_view text = Text(data, size);
  auto obs = Refusable([&] { return vg::ParseObservationText(text, config.nodes); });
  if (!obs) return 0;
  const std::string out = vg::PrintObservationText(*obs, config.nodes);
  auto again = MustParse("vcs-gco listings", out,
                         [&] { return vg::ParseObservationText(out, config.nodes); });
  MustEqual("vcs-gco listings", *obs, again, [&](const vg::Observation& x) {
    return "\n" + vg::PrintObservationText(x, config.nodes);
  });
  return 0;
}

// The DSM REST payloads (model/dsm/payloads.h); the first byte picks
// /appliance/provider-ha-nodes (JSON) or /appliance/status (raw text, with
// the documentation's slips tolerated).
inline int DsmPayloads(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const dsm::Config config = dsm::Dsm::DefaultConfig();
  const std::string_view text = Text(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto j = ParseJson(text);
    if (!j) return 0;
    auto list = Refusable([&] { return dsm::ParseProviderHaNodes(*j); });
    if (!list) return 0;
    const std::string out = dsm::ProviderHaNodesToJson(*list).dump();
    auto again = MustParse("provider-ha-nodes", out,
                           [&] { return dsm::ParseProviderHaNodes(nlohmann::json::parse(out)); });
    MustEqual("provider-ha-nodes", *list, again, [](const std::vector<dsm::ProviderHaNode>& x) {
      return dsm::ProviderHaNodesToJson(x).dump();
    });
    Refusable([&] { return dsm::ObserveProviderHaNodes(*list, config.nodes); });
  } else {
    auto st = Refusable([&] { return dsm::ParseApplianceStatusText(text); });
    if (!st) return 0;
    const std::string out = dsm::ApplianceStatusToJson(*st).dump();
    auto again = MustParse("appliance status", out,
                           [&] { return dsm::ParseApplianceStatus(nlohmann::json::parse(out)); });
    MustEqual("appliance status", *st, again,
              [](const dsm::ApplianceStatus& x) { return dsm::ApplianceStatusToJson(x).dump(); });
    dsm::ObserveApplianceStatus(*st, 1);
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_FUZZ_PARSERS_H_
