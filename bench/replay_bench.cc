// Replay throughput: writes a long model walk as a trace v1 (every event an
// op with its result, a timestamp and the full observation after it), then,
// in one run on one core, times
//   1. nlohmann's DOM parse of every line alone (for reference),
//   2. simdjson On-Demand alone: every key and value of every line visited,
//      nothing decoded (a general fast parser, for reference; where the
//      build found simdjson),
//   2b. the fast path's scanner alone: every key and value of every line
//      read, nothing decoded (the parser replay uses, alone),
//   3. the trace reader with nlohmann only (the reference decoder),
//   4. the trace reader (the fast path: parse and decode every event, what
//      replay reads with),
//   5. haspec replay's engine on the same file (read, decode, check),
// and prints events per second (per CPU second of this thread, so that
// other work on the machine does not count, and per wall second), the
// ratios of replay to the reader and to each parser alone, and the peak resident
// memory. With --import it times an importer instead: a realistic log
// repeated to the given number of lines. docs/performance.md records the
// output.
//
//   replay_bench [MACHINE] [EVENTS] [FILE]     (defaults: jsa 1000000 /tmp/...)
//   replay_bench --import MACHINE FORMAT LOG LINES [FILE]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/importers.h"
#include "engine/replay.h"
#include "engine/rng.h"
#include "engine/trace.h"
#include "model/core/op_codec.h"
#include "model/registry.h"

#ifdef HASPEC_BENCH_SIMDJSON
#include <simdjson.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// CPU and wall time of one phase.
struct Timer {
  double cpu0 = CpuSeconds();
  Clock::time_point wall0 = Clock::now();
  double cpu = 0, wall = 0;
  void Stop() {
    cpu = CpuSeconds() - cpu0;
    wall = Seconds(wall0);
  }
  std::string Rate(std::size_t n, const char* unit) const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%7.3f s CPU (%7.3f s wall): %6.3f M %s/s CPU (%6.3f wall)", cpu,
                  wall, static_cast<double>(n) / cpu / 1e6, unit,
                  static_cast<double>(n) / wall / 1e6);
    return buf;
  }
};

// Runs `phase` `repeats` times and keeps the timing of the fastest (least
// CPU): on a virtual machine shared with others the slower turns measure
// the neighbours (HASPEC_REPLAY_BENCH_REPEATS, default 1).
template <class F>
Timer Fastest(int repeats, F&& phase) {
  Timer best;
  best.cpu = std::numeric_limits<double>::infinity();
  for (int i = 0; i < repeats; ++i) {
    Timer t;
    phase();
    t.Stop();
    if (t.cpu < best.cpu) best = t;
  }
  return best;
}

#ifdef HASPEC_BENCH_SIMDJSON
// Visits every key and value of a JSON value with simdjson On-Demand.
std::size_t Visit(simdjson::ondemand::value v) {
  namespace od = simdjson::ondemand;
  od::json_type type;
  if (v.type().get(type)) return 0;
  std::size_t n = 1;
  switch (type) {
    case od::json_type::object:
      for (auto field : v.get_object()) {
        std::string_view key;
        od::value child;
        if (field.unescaped_key().get(key) || field.value().get(child)) return n;
        n += key.size() + Visit(child);
      }
      break;
    case od::json_type::array:
      for (auto item : v.get_array()) {
        od::value child;
        if (item.get(child)) return n;
        n += Visit(child);
      }
      break;
    case od::json_type::string: {
      std::string_view s;
      if (!v.get_string().get(s)) n += s.size();
      break;
    }
    case od::json_type::number: {
      std::int64_t i;
      if (!v.get_int64().get(i)) n += static_cast<std::size_t>(i & 1);
      break;
    }
    case od::json_type::boolean: {
      bool b;
      if (!v.get_bool().get(b)) n += b;
      break;
    }
    case od::json_type::null:
      break;
  }
  return n;
}
#endif

// Calls `f` with every line of `path`, read as the trace reader reads
// lines (TraceLineReader).
template <class F>
void EachLine(const std::string& path, F&& f) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  haspec::TraceLineReader lines(file, std::size_t{1} << 20);
  haspec::TraceLineReader::Line info;
  std::string text;
  while (lines.Next(text, info)) f(text);
  std::fclose(file);
}

long PeakKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A count from the command line or the environment; a bad one ends the
// bench with a message naming it, not with an uncaught exception.
std::size_t CountOrExit(const char* text, const char* what) {
  std::size_t n = 0;
  const char* end = text + std::char_traits<char>::length(text);
  const auto [p, ec] = std::from_chars(text, end, n);
  if (ec != std::errc() || p != end || n == 0) {
    std::cerr << "replay_bench: " << what << " must be a whole number above 0, not '" << text
              << "'\n";
    std::exit(2);
  }
  return n;
}

// A walk of the model: mostly accepted ops (drawn again up to four times
// when refused), each written with the answer and what the product shows;
// every 200th event a snapshot alone. Every event fits: the figures are
// those of a conforming trace (no failure, no hidden-step search).
//
// HASPEC_REPLAY_BENCH_OBS_EVERY=K writes the observation on every K-th op
// event only (default 1: on every one). A production log shows an op's
// answer far more often than a whole status payload; K=10 gives lines of
// about the weight the reference figures were measured on
// (docs/performance.md, "Replay throughput").
template <haspec::CodecMachine M>
void Generate(const std::string& path, std::size_t events) {
  std::size_t obs_every = 1;
  if (const char* k = std::getenv("HASPEC_REPLAY_BENCH_OBS_EVERY")) {
    obs_every = CountOrExit(k, "HASPEC_REPLAY_BENCH_OBS_EVERY");
  }
  auto config = M::DefaultConfig();
  std::ofstream out(path);
  out << nlohmann::json{{"haspec_trace", 1}, {"machine", M::kName}, {"source", "replay_bench"}}
             .dump()
      << "\n";
  haspec::Rng rng(1);
  auto s = M::Initial(config);
  std::vector<typename M::Op> ops;
  std::int64_t secs = 1'700'000'000;
  for (std::size_t i = 0; i < events; ++i) {
    typename M::Op op;
    haspec::OutcomeOf<M> o;
    for (int draw = 0; draw < 4; ++draw) {
      ops.clear();
      M::CandidateOps(s, ops);
      op = ops[rng.Below(ops.size())];
      o = M::Step(s, op);
      if (o.accepted) break;
    }
    nlohmann::json j = haspec::OpToJson(op, config.nodes);
    const std::time_t t = secs + static_cast<std::int64_t>(i);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    j["t"] = buf;
    j["result"] = o.accepted ? "accepted" : "rejected";
    if (i % obs_every == 0) j["obs"] = M::ObservationToJson(M::Observe(o.next), config.nodes);
    if (i % 200 == 199) {
      // Now and then a snapshot alone, as a status poll between log lines
      // (the op drawn is not applied: nothing unlogged happens).
      j = {{"t", buf}, {"obs", M::ObservationToJson(M::Observe(s), config.nodes)}};
      out << j.dump() << "\n";
      continue;
    }
    out << j.dump() << "\n";
    s = o.next;
  }
}

template <haspec::CodecMachine M>
int Bench(std::size_t events, const std::string& path) {
  // HASPEC_REPLAY_BENCH_ONLY=replay: only phase 5, on FILE as it is (for
  // a profiler); HASPEC_REPLAY_BENCH_ONLY=fast (formerly "simdjson"): no
  // nlohmann phases (the 10x runs, where they would take most of the time
  // and show nothing new).
  const char* only = std::getenv("HASPEC_REPLAY_BENCH_ONLY");
  const bool replay_only = only && std::string(only) == "replay";
  const bool no_nlohmann =
      replay_only || (only && (std::string(only) == "fast" || std::string(only) == "simdjson"));
  auto t0 = Clock::now();
  if (!replay_only) Generate<M>(path, events);
  std::cout << "generated " << events << " events of " << M::kName << " in " << Seconds(t0)
            << " s: " << path << " (" << std::filesystem::file_size(path) / (1 << 20) << " MiB, "
            << std::filesystem::file_size(path) / std::max<std::size_t>(events, 1)
            << " bytes per line)\n";
  auto config = M::DefaultConfig();
  int repeats = 1;
  if (const char* k = std::getenv("HASPEC_REPLAY_BENCH_REPEATS")) {
    repeats = static_cast<int>(CountOrExit(k, "HASPEC_REPLAY_BENCH_REPEATS"));
  }
  double parse_cpu = 0, scan_cpu = 0, read_cpu = 0;
  // 1. nlohmann DOM alone.
  if (!no_nlohmann) {
    Timer t;
    std::ifstream in(path);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) n += nlohmann::json::parse(line).size();
    t.Stop();
    std::cout << "nlohmann DOM parse alone:      " << t.Rate(events, "lines") << " (checksum " << n
              << ")\n";
  }
#ifdef HASPEC_BENCH_SIMDJSON
  // 2. simdjson On-Demand alone, reading lines as the reader does.
  if (!replay_only) {
    std::size_t n = 0;
    const Timer t = Fastest(repeats, [&] {
      simdjson::ondemand::parser parser;
      n = 0;
      EachLine(path, [&](std::string& text) {
        text.reserve(text.size() + simdjson::SIMDJSON_PADDING);
        simdjson::ondemand::document doc;
        simdjson::ondemand::value root;
        if (parser.iterate(text.data(), text.size(), text.capacity()).get(doc)) return;
        for (auto field : doc.get_object()) {
          std::string_view key;
          if (field.unescaped_key().get(key) || field.value().get(root)) break;
          n += key.size() + Visit(root);
        }
      });
    });
    parse_cpu = t.cpu;
    std::cout << "simdjson On-Demand alone:      " << t.Rate(events, "lines") << " (checksum " << n
              << ")\n";
  }
#endif
  // 2b. The fast path's scanner alone: the parser replay uses, every key and
  // value of every line read, nothing decoded.
  if (!replay_only) {
    std::size_t n = 0;
    const Timer t = Fastest(repeats, [&] {
      haspec::FastEventDecoder<M> fast;
      n = 0;
      EachLine(path, [&](std::string& text) { n += fast.Parse(text); });
    });
    scan_cpu = t.cpu;
    std::cout << "fast path's scanner alone:     " << t.Rate(events, "lines") << " (checksum " << n
              << ")\n";
  }
  // 3. and 4. The trace reader: nlohmann only, then with the fast path.
  for (const bool fast : {false, true}) {
    if (replay_only || (!fast && no_nlohmann)) continue;
    std::size_t n = 0, bad = 0, fast_lines = 0, hits = 0, misses = 0;
    const Timer t = Fastest(fast ? repeats : 1, [&] {
      haspec::ReaderOptions opt;
      opt.fast = fast;
      haspec::TraceReader<M> r(path, opt);
      r.Start(config.nodes);
      haspec::TraceItem<M> item;
      n = bad = 0;
      while (r.Next(item)) n += !item.bad, bad += item.bad;
      fast_lines = r.fast_lines();
      hits = r.observation_cache().hits();
      misses = r.observation_cache().misses();
    });
    if (fast) {
      read_cpu = t.cpu;
      std::cout << "reader (fast path + decode):   " << t.Rate(n, "events") << " (" << bad
                << " bad; " << fast_lines << " lines fast; observation cache " << hits << " hits, "
                << misses << " misses)\n";
    } else {
      std::cout << "reader (nlohmann + decode):    " << t.Rate(n, "events") << " (" << bad
                << " bad)\n";
    }
  }
  // 5. Replay.
  {
    std::size_t n = 0, failures = 0, hidden = 0, largest = 0;
    const Timer t = Fastest(repeats, [&] {
      haspec::TraceReader<M> r(path, {});
      r.Start(config.nodes);
      haspec::Replayer<M> replay(config, {});
      haspec::TraceItem<M> item;
      n = failures = 0;
      while (r.Next(item)) {
        ++n;
        if (replay.Feed(item.event, "x")) ++failures;
      }
      hidden = replay.hidden_used();
      largest = replay.max_set_size();
    });
    std::cout << "replay (read, decode, check):  " << t.Rate(n, "events") << " (" << failures
              << " failures, hidden steps before " << hidden << " events, largest set " << largest
              << ")\n"
              << "ratio replay / reader:         " << t.cpu / read_cpu << " (CPU)\n"
              << "ratio replay / scanner alone:  " << t.cpu / scan_cpu << " (CPU)\n";
    if (parse_cpu > 0) {
      std::cout << "ratio replay / simdjson alone: " << t.cpu / parse_cpu << " (CPU)\n";
    }
  }
  std::cout << "peak resident memory: " << PeakKb() / 1024 << " MiB\n";
  return 0;
}

// An importer on `log` repeated to `lines` lines: lines read per second.
template <haspec::CodecMachine M>
int BenchImport(const std::string& format, const std::string& log, std::size_t lines,
                const std::string& path) {
  const auto* imp = haspec::FindImporter<M>(format);
  if (!imp) {
    std::cerr << "no importer " << format << " for " << M::kName << "\n";
    return 2;
  }
  std::vector<std::string> text;
  {
    std::ifstream in(log);
    for (std::string l; std::getline(in, l);) text.push_back(l);
  }
  if (text.empty()) {
    std::cerr << "empty log " << log << "\n";
    return 2;
  }
  {
    std::ofstream out(path);
    for (std::size_t i = 0; i < lines; ++i) out << text[i % text.size()] << "\n";
  }
  std::cout << "generated " << lines << " lines of " << log << " repeated: " << path << " ("
            << std::filesystem::file_size(path) / (1 << 20) << " MiB)\n";
  auto config = M::DefaultConfig();
  const std::filesystem::path dir = std::filesystem::path(log).parent_path();
  for (const auto* name : {"config.json", "../config.json"}) {
    if (std::filesystem::exists(dir / name)) {
      std::ifstream in(dir / name);
      config = M::ConfigFromJson(nlohmann::json::parse(in));
      break;
    }
  }
  haspec::ImportContext ctx;
  ctx.file = log;  // the observer is told by the log's directory, as haspec import does
  Timer t;
  std::ifstream in(path);
  auto source = imp->open(in, ctx, config);
  haspec::ImportedEventOf<M> e;
  std::size_t events = 0;
  while (source->Next(e)) ++events;
  t.Stop();
  std::cout << M::kName << " " << format << " importer: " << t.Rate(source->lines_read(), "lines")
            << " (" << events << " events, " << source->lines_skipped() << " lines skipped)\n"
            << "peak resident memory: " << PeakKb() / 1024 << " MiB\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--import") {
    if (argc < 6) {
      std::cerr << "usage: replay_bench --import MACHINE FORMAT LOG LINES [FILE]\n";
      return 2;
    }
    const std::string out = argc > 6 ? argv[6] : "/tmp/haspec-import-bench.log";
    int rc = 2;
    if (!haspec::VisitMachine(argv[2], [&]<haspec::Machine M>() {
          rc = BenchImport<M>(argv[3], argv[4], CountOrExit(argv[5], "LINES"), out);
        })) {
      std::cerr << "unknown machine " << argv[2] << "\n";
    }
    return rc;
  }
  const std::string machine = argc > 1 ? argv[1] : "jsa";
  const std::size_t events = argc > 2 ? CountOrExit(argv[2], "EVENTS") : 1'000'000;
  const std::string path = argc > 3 ? argv[3] : "/tmp/haspec-replay-bench.jsonl";
  int rc = 2;
  if (!haspec::VisitMachine(machine, [&]<haspec::Machine M>() { rc = Bench<M>(events, path); })) {
    std::cerr << "unknown machine " << machine << "\n";
  }
  return rc;
}
