// haspec-fuzz-seeds: writes corpus/<target>/seeds/ for every fuzz target
// from the bundled scenarios (traces/<machine>/valid/) and the documented
// payloads and listings, so the seeds follow the decoder and the formats
// (fuzz/make_seeds.sh runs it).
//
//   haspec-fuzz-seeds REPO_ROOT            # rewrites REPO_ROOT/corpus/*/seeds
//
// Replay seeds (the trace reader of haspec replay) are every bundled trace,
// valid and invalid, the scenarios with the model's observations, and each
// realistic log as haspec import writes it.
//
// Op-sequence and differential seeds are each scenario's ops encoded with
// EncodeOps (engine/fuzz_targets.h), the inverse of the fuzz decoder; the
// program checks that decoding gives the scenario back. Parser seeds are
// the documents' samples and what the model shows along each scenario,
// written by haspec's own writers.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/fuzz_targets.h"
#include "engine/importers.h"
#include "engine/op_trace.h"
#include "model/dsm/payloads.h"
#include "model/jsa/status_log.h"
#include "model/registry.h"
#include "model/vcs_gco/listings.h"
#include "model/vcs_system/cli_text.h"
#include "sut/dsm/reference.h"
#include "sut/jsa/reference.h"
#include "sut/protocol/server.h"
#include "sut/vcs_gco/reference.h"
#include "sut/vcs_system/reference.h"

namespace haspec::fuzz {
namespace {

namespace fs = std::filesystem;

// The seeds of one target, by file name (kept sorted and stable, so a
// regeneration changes only what changed).
using Seeds = std::map<std::string, std::string>;

std::string Dir(std::string_view machine) {
  std::string d(machine);
  std::replace(d.begin(), d.end(), '-', '_');
  return d;
}

// A seed whose first byte picks what the target reads the rest as.
std::string Tagged(char tag, const std::string& text) { return std::string(1, tag) + text; }

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` cut to its whole lines within the replay targets' max_len (2 KB,
// fuzz/replay_<machine>.options), so that libFuzzer does not cut a seed
// mid-line; the first line whole if even that is longer.
std::string WholeLines(std::string text) {
  constexpr std::size_t kMax = 2048;
  if (text.size() <= kMax) return text;
  std::size_t end = text.rfind('\n', kMax - 1);
  if (end == std::string::npos) end = text.find('\n');
  if (end != std::string::npos) text.resize(end + 1);
  return text;
}

// One scenario: its name, text, ops, and the states it passes through.
template <Machine M>
struct Scenario {
  std::string name;
  std::string text;
  std::vector<typename M::Op> ops;
  std::vector<typename M::State> states;  // Initial, then after each accepted op
};

template <CodecMachine M>
std::vector<Scenario<M>> Scenarios(const fs::path& root, const typename M::Config& config) {
  std::vector<Scenario<M>> out;
  const fs::path dir = root / "traces" / Dir(M::kName) / "valid";
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".jsonl") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Scenario<M> sc;
    sc.name = f.stem().string();
    sc.text = ReadText(f);
    sc.ops = ReadOpTrace<M>(f.string(), config.nodes).ops;
    typename M::State s = M::Initial(config);
    sc.states.push_back(s);
    for (const auto& op : sc.ops) {
      auto o = M::Step(s, op);
      if (o.accepted) {
        s = std::move(o.next);
        sc.states.push_back(s);
      }
    }
    out.push_back(std::move(sc));
  }
  return out;
}

// A few states of a scenario, spread over it (parser seeds need variety,
// not every state).
template <class T>
std::vector<T> Spread(const std::vector<T>& all, std::size_t n) {
  if (all.size() <= n) return all;
  std::vector<T> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(all[i * (all.size() - 1) / (n - 1)]);
  return out;
}

// The realistic logs under traces/<machine>/logs/, renamed from their own
// configuration's node names to the default configuration's (the importer
// target runs with DefaultConfig()), once per importer (the first byte).
//
// `events` gets each log as `haspec import` writes it (the trace lines of
// its events, cut to whole lines within 2 KB, the replay_<machine> targets'
// max_len), for the importers that read it.
template <CodecMachine M>
void ImportSeeds(const fs::path& root, Seeds& seeds, Seeds& events) {
  const fs::path dir = root / "traces" / Dir(M::kName) / "logs";
  if (!fs::is_directory(dir)) return;
  const auto defaults = M::DefaultConfig();
  std::vector<std::pair<std::string, std::string>> renames;
  if (fs::exists(dir / "config.json")) {
    const auto own = M::ConfigFromJson(nlohmann::json::parse(ReadText(dir / "config.json")));
    for (int k = 0; k < static_cast<int>(std::min(own.nodes.size(), defaults.nodes.size())); ++k) {
      renames.emplace_back(own.nodes.Name(k), defaults.nodes.Name(k));
    }
    // Longer names first, so "node1" never rewrites part of "node10".
    std::sort(renames.begin(), renames.end(),
              [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
  const std::size_t importers = M::Importers().size();
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename() == "config.json") continue;
    std::string text = ReadText(e.path());
    for (const auto& [from, to] : renames) {
      for (std::size_t at = text.find(from); at != std::string::npos;
           at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
    }
    std::string name = fs::relative(e.path(), dir).string();
    std::replace(name.begin(), name.end(), '/', '-');
    for (std::size_t i = 0; i < importers; ++i) {
      const auto& imp = M::Importers()[i];
      seeds[std::string(imp.name) + "-" + name] = Tagged(static_cast<char>(i), text);
      std::istringstream in(text);
      std::ostringstream out;
      try {
        ImportContext ctx;
        ctx.file = "logs/" + defaults.nodes.Name(0) + "/" + name;
        auto source = imp.open(in, ctx, defaults);
        if (WriteEvents<M>(*source, ctx.file, defaults.nodes, out) == 0) continue;
      } catch (const ParseError&) {
        continue;  // not this importer's kind of input
      }
      events["import-" + std::string(imp.name) + "-" + name + ".jsonl"] = WholeLines(out.str());
    }
  }
}

template <CodecMachine M>
void MachineSeeds(const fs::path& root, std::map<std::string, Seeds>& corpus) {
  const auto config = M::DefaultConfig();
  const std::string d = Dir(M::kName);
  Seeds& ops = corpus["ops_" + d];
  Seeds& diff = corpus["diff_" + d];
  Seeds& codec = corpus["codec_" + d];
  Seeds& trace = corpus["trace_" + d];
  Seeds& replay = corpus["replay_" + d];
  // Every bundled trace as it is (headers, observations, results, bad
  // lines), for the reader haspec replay uses.
  for (const char* kind : {"valid", "invalid"}) {
    const fs::path dir = root / "traces" / d / kind;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".jsonl") {
        replay[std::string(kind) + "-" + e.path().filename().string()] =
            WholeLines(ReadText(e.path()));
      }
    }
  }
  codec["config-default"] = Tagged(2, M::ConfigToJson(config).dump());
  for (const auto& sc : Scenarios<M>(root, config)) {
    const auto bytes = EncodeOps(sc.ops, config.nodes);
    ByteReader in(bytes.data(), bytes.size());
    if (DecodeOps<typename M::Op>(in, config.nodes, sc.ops.size() + 1) != sc.ops) {
      throw std::runtime_error(sc.name + ": the encoded ops do not decode to the scenario");
    }
    const std::string b(bytes.begin(), bytes.end());
    ops[sc.name] = b;
    diff[sc.name] = b;
    trace[sc.name + ".jsonl"] = sc.text;
    // The scenario with the model's answers and observations written in.
    std::string with_obs;
    typename M::State s = M::Initial(config);
    for (const auto& op : sc.ops) {
      auto o = M::Step(s, op);
      nlohmann::json j = OpToJson(op, config.nodes);
      j["expect"] = o.accepted ? "accepted" : std::string(RuleOf<M>(o.rule).id);
      if (o.accepted) s = std::move(o.next);
      j["obs"] = M::ObservationToJson(M::Observe(s), config.nodes);
      with_obs += j.dump() + "\n";
    }
    trace[sc.name + "-obs.jsonl"] = with_obs;
    replay[sc.name + "-obs.jsonl"] = WholeLines(with_obs);
    int k = 0;
    for (const auto& st : Spread(sc.states, 4)) {
      const std::string n = sc.name + "-" + std::to_string(k++);
      codec["obs-" + n] = Tagged(0, M::ObservationToJson(M::Observe(st), config.nodes).dump());
      codec["state-" + n] = Tagged(1, M::StateToJson(st, config.nodes).dump());
    }
  }
  if constexpr (requires { M::Importers(); }) ImportSeeds<M>(root, corpus["import_" + d], replay);
  const fs::path gate_config = root / "sut" / d / "gate-config.json";
  if (fs::exists(gate_config)) codec["config-gate"] = Tagged(2, ReadText(gate_config));
}

// Reply lines as the reference implementation M's server writes them
// (sut/protocol/server.cc), through the bundled scenarios: its hello, each
// ready, and a few results per scenario (the first byte: 0 hello, 1 ready,
// 2 result, as fuzz target protocol_reply reads them).
template <CodecMachine M>
void ProtocolSeeds(const fs::path& root, sut::Implementation& impl, Seeds& seeds) {
  const auto config = M::DefaultConfig();
  const nlohmann::json cj = M::ConfigToJson(config);
  for (const auto& sc : Scenarios<M>(root, config)) {
    std::string requests =
        nlohmann::json{{"type", "hello"}, {"protocol", 1}, {"machine", M::kName}, {"config", cj}}
            .dump() +
        "\n" + nlohmann::json{{"type", "reset"}, {"config", cj}}.dump() + "\n";
    long seq = 0;
    for (const auto& op : sc.ops) {
      requests += nlohmann::json{{"type", "op"}, {"seq", ++seq}, {"op", OpToJson(op, config.nodes)}}
                      .dump() +
                  "\n";
    }
    std::istringstream in(requests + "{\"type\":\"bye\"}\n");
    std::ostringstream out;
    if (sut::Serve(impl, in, out) != 0) {
      throw std::runtime_error(sc.name + ": the " + std::string(M::kName) +
                               " reference server refused the scenario: " + out.str());
    }
    std::vector<std::string> lines;
    std::istringstream replies(out.str());
    for (std::string l; std::getline(replies, l);) lines.push_back(l);
    if (lines.size() < 2) continue;
    const std::string n = Dir(M::kName) + "-" + sc.name;
    seeds["hello-" + Dir(M::kName)] = Tagged(0, lines[0]);
    seeds["ready-" + n] = Tagged(1, lines[1]);
    const std::vector<std::string> results(lines.begin() + 2, lines.end());
    int k = 0;
    for (const auto& r : Spread(results, 3)) {
      seeds["result-" + n + "-" + std::to_string(k++)] = Tagged(2, r);
    }
  }
}

// The documents' samples and the model's own views along each scenario.
void ParserSeeds(const fs::path& root, std::map<std::string, Seeds>& corpus) {
  {
    Seeds& s = corpus["dsm_payloads"];
    // Seed 000's sample of /appliance/status, missing comma included.
    s["appliance-status-doc-sample"] =
        "\x01{ \"postgres\": \"ACTIVE\", \"rabbitMQ\": \"ACTIVE\", \"provider\": \"ACTIVE\",\n"
        "  \"monitoring\": \"ACTIVE\", \"apms\": \"ACTIVE\", \"updateManager\": \"ACTIVE\" "
        "\"rclone\": \"ACTIVE\" }";
    s["appliance-status-down"] = "\x01{\"apms\": \"FAILED\", \"rabbitMQ\": \"INACTIVE\",}";
    s["provider-ha-nodes"] =
        Tagged(0,
               "[{\"id\": \"n0\", \"state\": \"ACTIVE_MODE\", \"role\": \"PRIMARY\", \"hostname\": "
               "\"dsm-1\"}, {\"id\": \"n2\", \"state\": \"HA_CONFIG_IN_PROGRESS\", \"role\": "
               "\"SECONDARY\"}]");
  }
  {
    Seeds& s = corpus["jsa_status_log"];
    s["header-example"] =
        "2024-05-01T10:00:00Z host=qradar-pri role=primary status=Active\n"
        "2024-05-01T10:05:12Z host=qradar-pri role=primary status=Failed\n"
        "2024-05-01T10:05:12Z host=qradar-sec role=secondary status=Active\n"
        "2024-05-01T10:09:40Z host=qradar-sec role=secondary status=\"Needs License\"\n";
    const auto config = jsa::Jsa::DefaultConfig();
    const std::array<std::string, jsa::kHosts> names = {config.nodes.Name(0), config.nodes.Name(1)};
    for (const auto& sc : Scenarios<jsa::Jsa>(root, config)) {
      std::vector<jsa::StatusLine> lines;
      int minute = 0;
      for (const auto& st : sc.states) {
        char ts[32];
        std::snprintf(ts, sizeof ts, "2024-05-01T%02d:%02d:00Z", 10 + minute / 60, minute % 60);
        ++minute;
        jsa::AppendObservation(lines, ts, jsa::Jsa::Observe(st), names);
      }
      s[sc.name] = jsa::FormatStatusLog(lines);
    }
  }
  {
    namespace vs = vcs_system;
    Seeds& s = corpus["vcs_system_cli_text"];
    s["hasys-state-example"] =
        Tagged(0,
               "#System          Attribute      Value\nsys0             SysState       RUNNING\n"
               "sys1             SysState       FAULTED\n");
    s["bare-state-example"] = "\x02RUNNING\n";
    s["hagrp-state-example"] =
        "\x03#Group   Attribute   System      Value\nvxfen    State       sys0        |ONLINE|\n";
    const auto config = vs::VcsSystem::DefaultConfig();
    for (const auto& sc : Scenarios<vs::VcsSystem>(root, config)) {
      int k = 0;
      for (const auto& st : Spread(sc.states, 4)) {
        const auto rows = vs::RowsFor(vs::VcsSystem::Observe(st), config.nodes, 0);
        if (rows.empty()) continue;
        const std::string n = sc.name + "-" + std::to_string(k++);
        s["hasys-" + n] = Tagged(0, vs::FormatHasysState(rows));
        s["hastatus-" + n] = Tagged(1, vs::FormatHastatusSummary(rows));
      }
    }
  }
  {
    namespace vg = vcs_gco;
    Seeds& s = corpus["vcs_gco_listings"];
    const auto config = vg::VcsGco::DefaultConfig();
    for (const auto& sc : Scenarios<vg::VcsGco>(root, config)) {
      int k = 0;
      for (const auto& st : Spread(sc.states, 4)) {
        s[sc.name + "-" + std::to_string(k++)] =
            vg::PrintObservationText(vg::VcsGco::Observe(st), config.nodes);
      }
    }
  }
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: haspec-fuzz-seeds REPO_ROOT\n";
    return 2;
  }
  const fs::path root = argv[1];
  if (!fs::is_directory(root / "traces")) {
    std::cerr << "haspec-fuzz-seeds: " << root.string() << " has no traces/ folder\n";
    return 2;
  }
  std::map<std::string, Seeds> corpus;
  ForEachMachine([&]<Machine M>() { MachineSeeds<M>(root, corpus); });
  ParserSeeds(root, corpus);
  {
    Seeds& s = corpus["protocol_reply"];
    sut::dsm_ref::DsmReference dsm;
    sut::vcs_system::Cluster vcs_system;
    sut::vcs_gco::GlobalCluster vcs_gco;
    sut::jsa::HaCluster jsa;
    ProtocolSeeds<dsm::Dsm>(root, dsm, s);
    ProtocolSeeds<vcs_system::VcsSystem>(root, vcs_system, s);
    ProtocolSeeds<vcs_gco::VcsGco>(root, vcs_gco, s);
    ProtocolSeeds<jsa::Jsa>(root, jsa, s);
    // The examples of docs/sut-protocol.md, and replies the client refuses.
    s["doc-hello"] =
        Tagged(0, R"({"type": "hello", "protocol": 1, "machine": "dsm", )"
                  R"("implementation": "my-dsm 0.3", "env_choices": ["promote.failed"], )"
                  R"("reset": true})");
    s["doc-result-refused"] = Tagged(
        2, R"({"type": "result", "seq": 7, "accepted": false, "reason": "DSM-PRE-CLUSTER-FULL", )"
           R"("observation": {"nodes": {"n0": {"role": "PRIMARY"}}}})");
    s["error"] = Tagged(2, R"({"type": "error", "message": "unknown op \"frobnicate\""})");
    s["wrong-seq"] = Tagged(2, R"({"type":"result","seq":8,"accepted":true})");
    // Lines the fast reading must leave to a whole parse (sut/protocol/reply.h):
    // the observation twice (the last counts), a key spelt with an escape.
    s["result-observation-twice"] = Tagged(
        2,
        R"({"type":"result","seq":7,"accepted":true,"observation":{"a":1},"observation":{"b":2}})");
    s["result-escaped-key"] = Tagged(
        2,
        R"({"type":"result","seq":7,"accepted":true,"observation":{"a":1},"observ\u0061tion":null})");
  }
  std::size_t files = 0;
  for (const auto& [target, seeds] : corpus) {
    const fs::path dir = root / "corpus" / target / "seeds";
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& [name, bytes] : seeds) {
      std::ofstream(dir / name, std::ios::binary) << bytes;
      ++files;
    }
    std::cout << target << ": " << seeds.size() << " seed(s)\n";
  }
  std::cout << "wrote " << files << " seed file(s) under " << (root / "corpus").string() << "\n";
  return 0;
}

}  // namespace
}  // namespace haspec::fuzz

int main(int argc, char** argv) {
  try {
    return haspec::fuzz::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "haspec-fuzz-seeds: " << e.what() << "\n";
    return 1;
  }
}
