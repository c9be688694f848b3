// Replay throughput: writes a long model walk as a trace v1 (every event an
// op with its result, a timestamp and the full observation after it), then,
// in one run on one core, times
//   1. the nlohmann DOM parse of every line alone (for reference),
//   2. the trace reader alone (parse and decode every event: what replay
//      reads with),
//   3. haspec replay's engine on the same file (read, decode, check),
// and prints events per second and the ratio replay / reader, with the
// peak resident memory. docs/performance.md records its output.
//
//   replay_bench [MACHINE] [EVENTS] [FILE]     (defaults: jsa 1000000 /tmp/...)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/replay.h"
#include "engine/rng.h"
#include "engine/trace.h"
#include "model/core/op_codec.h"
#include "model/registry.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

long PeakKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// A walk of the model: mostly accepted ops (drawn again up to four times
// when refused), each written with the answer and what the product shows;
// every 200th event a snapshot alone. Every event fits: the figures are
// those of a conforming trace (no failure, no hidden-step search).
template <haspec::CodecMachine M>
void Generate(const std::string& path, std::size_t events) {
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
    j["obs"] = M::ObservationToJson(M::Observe(o.next), config.nodes);
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
  auto t0 = Clock::now();
  Generate<M>(path, events);
  std::cout << "generated " << events << " events of " << M::kName << " in " << Seconds(t0)
            << " s: " << path << "\n";
  auto config = M::DefaultConfig();
  // 1. nlohmann DOM alone.
  {
    auto t = Clock::now();
    std::ifstream in(path);
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) n += nlohmann::json::parse(line).size();
    const double s = Seconds(t);
    std::cout << "nlohmann DOM parse:   " << s << " s, " << events / s / 1e6
              << " M lines/s (checksum " << n << ")\n";
  }
  // 2. The trace reader alone.
  double read_s = 0;
  {
    auto t = Clock::now();
    haspec::TraceReader<M> r(path, {});
    r.Start(config.nodes);
    haspec::TraceItem<M> item;
    std::size_t n = 0, bad = 0;
    while (r.Next(item)) n += !item.bad, bad += item.bad;
    read_s = Seconds(t);
    std::cout << "reader (parse+decode): " << read_s << " s, " << n / read_s / 1e6
              << " M events/s (" << bad << " bad)\n";
  }
  // 3. Replay.
  {
    auto t = Clock::now();
    haspec::TraceReader<M> r(path, {});
    r.Start(config.nodes);
    haspec::Replayer<M> replay(config, {});
    haspec::TraceItem<M> item;
    std::size_t n = 0, failures = 0;
    while (r.Next(item)) {
      ++n;
      if (replay.Feed(item.event, "x")) ++failures;
    }
    const double s = Seconds(t);
    std::cout << "replay:               " << s << " s, " << n / s / 1e6 << " M events/s ("
              << failures << " failures, hidden steps before " << replay.hidden_used()
              << " events, largest set " << replay.max_set_size() << ")\n"
              << "ratio replay / reader: " << s / read_s << "\n";
  }
  std::cout << "peak resident memory: " << PeakKb() / 1024 << " MiB\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string machine = argc > 1 ? argv[1] : "jsa";
  const std::size_t events = argc > 2 ? std::stoul(argv[2]) : 1'000'000;
  const std::string path = argc > 3 ? argv[3] : "/tmp/haspec-replay-bench.jsonl";
  int rc = 2;
  if (!haspec::VisitMachine(machine, [&]<haspec::Machine M>() { rc = Bench<M>(events, path); })) {
    std::cerr << "unknown machine " << machine << "\n";
  }
  return rc;
}
