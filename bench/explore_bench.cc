// States per second of the exhaustive explorer (engine/explore.h) and of
// its naive twin (engine/saturate.h: std::unordered_set, no reduction) on
// the same configurations in one run, and how time and memory grow with the
// cluster size. Prints a table; the ratios are the figures that matter (the
// machine's load moves both sides alike). Run on one core:
//
//   taskset -c 0 build/default/bench/explore_bench
//
// HASPEC_EXPLORE_BENCH_REPEATS=N sets the turns (default 3);
// HASPEC_EXPLORE_BENCH_ONLY=MACHINE runs that machine's comparison alone.
//
// Each row explores to saturation along the model's own answers. "explorer"
// checks every invariant and step rule and records coverage. The twin runs
// twice: "checking" does the same job naively (every invariant and step
// rule on every accepted edge, the statuses each landing shows: how the
// explorer tests use it as an oracle), "search only" saturates without any
// check, a lower bound on what a naive search costs.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/explore.h"
#include "engine/saturate.h"
#include "model/registry.h"

namespace haspec {
namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The fastest of several runs of f (at least `repeats`, and until 0.3 s
// went into them, so that a configuration explored in a millisecond is
// timed over many).
template <class F>
double Fastest(int repeats, F f) {
  double best = 1e30, total = 0;
  for (int i = 0; i < repeats || total < 0.3; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const double t = Seconds(t0);
    best = std::min(best, t);
    total += t;
  }
  return best;
}

template <Machine M>
void Compare(const char* what, const typename M::Config& config, int repeats) {
  ExploreOptions plain;
  plain.symmetry = false;
  ExploreReport<M> e;
  SaturateReport c, t;
  // The three sides in turn, each turn timed, the fastest kept.
  double te = 1e30, tc = 1e30, ts = 1e30;
  for (int i = 0; i < repeats; ++i) {
    te = std::min(te, Fastest(1, [&] { e = Explore<M>(config, plain); }));
    tc = std::min(tc, Fastest(1, [&] {
                    c = Saturate<M>(config, {.max_states = 50'000'000, .check = true});
                  }));
    ts = std::min(ts, Fastest(1, [&] { t = Saturate<M>(config, {.max_states = 50'000'000}); }));
  }
  const double er = static_cast<double>(e.states) / te, cr = static_cast<double>(c.states) / tc,
               tr = static_cast<double>(t.states) / ts;
  std::printf(
      "%-10s %-34s %10llu states %7.3f s explorer %9.0f states/s | twin checking %7.3f s %9.0f "
      "states/s, ratio %.2fx | search only %7.3f s %9.0f states/s, ratio %.2fx\n",
      std::string(M::kName).c_str(), what, static_cast<unsigned long long>(e.states), te, er, tc,
      cr, er / cr, ts, tr, er / tr);
  // The explorer as `haspec explore` runs it (symmetric nodes stored once,
  // where the machine declares them): the time to answer for the whole
  // configuration against the twin's, which visits every renaming.
  ExploreReport<M> r;
  const double tr2 = Fastest(repeats, [&] { r = Explore<M>(config, {}); });
  if (r.symmetry) {
    std::printf(
        "%-10s %-34s %10llu states %7.3f s with symmetry: %.2fx less time than the twin "
        "checking, %.2fx than the search only\n",
        "", "", static_cast<unsigned long long>(r.states), tr2, tc / tr2, ts / tr2);
  }
}

template <Machine M>
void Grow(const char* what, const typename M::Config& config, int repeats) {
  ExploreReport<M> r;
  const double t = Fastest(repeats, [&] { r = Explore<M>(config, {}); });
  r.seconds = t;
  std::printf(
      "%-10s %-34s %10llu states %12llu transitions depth %3llu %7.2f s %9.0f states/s "
      "%8.1f MB%s\n",
      std::string(M::kName).c_str(), what, static_cast<unsigned long long>(r.states),
      static_cast<unsigned long long>(r.transitions), static_cast<unsigned long long>(r.depth),
      r.seconds, static_cast<double>(r.states) / r.seconds, static_cast<double>(r.bytes) / 1e6,
      r.symmetry ? " (symmetry)" : "");
}

}  // namespace
}  // namespace haspec

int main() {
  using namespace haspec;
  int repeats = 3;
  if (const char* r = std::getenv("HASPEC_EXPLORE_BENCH_REPEATS"))
    repeats = std::max(1, std::atoi(r));
  std::printf("== explorer vs naive twin, same configuration, no reduction (fastest of %d) ==\n",
              repeats);
  // HASPEC_EXPLORE_BENCH_ONLY=MACHINE: that machine's comparison alone (for
  // a profiler).
  const char* only_env = std::getenv("HASPEC_EXPLORE_BENCH_ONLY");
  const std::string only = only_env != nullptr ? only_env : "";
  auto wanted = [&](std::string_view m) { return only.empty() || only == m; };
  if (wanted("jsa")) Compare<jsa::Jsa>("one pair", jsa::Jsa::DefaultConfig(), repeats);
  if (wanted("vcs-gco")) {
    Compare<vcs_gco::VcsGco>("3 clusters, views of clus0", vcs_gco::VcsGco::DefaultConfig(),
                             repeats);
  }
  if (wanted("vcs-system")) {
    Compare<vcs_system::VcsSystem>("2 systems", vcs_system::VcsSystem::DefaultConfig(), repeats);
  }
  if (wanted("dsm"))
    Compare<dsm::Dsm>("3 slots, default faults", dsm::Dsm::DefaultConfig(), repeats);
  if (!only.empty()) return 0;
  std::printf("== growth with cluster size (explorer, symmetry where declared) ==\n");
  for (int n = 1; n <= 4; ++n) {
    auto c = dsm::Dsm::DefaultConfig();
    c.nodes = Nodes::Numbered(static_cast<std::size_t>(n));
    Grow<dsm::Dsm>((std::to_string(n) + " slots, default faults").c_str(), c, repeats);
  }
  for (int n = 2; n <= 4; ++n) {
    auto c = vcs_gco::VcsGco::DefaultConfig();
    c.nodes = Nodes::Numbered(static_cast<std::size_t>(n), "clus");
    Grow<vcs_gco::VcsGco>((std::to_string(n) + " clusters, views of clus0").c_str(), c, repeats);
  }
  for (int n = 1; n <= 2; ++n) {
    auto c = vcs_system::VcsSystem::DefaultConfig();
    c.nodes = Nodes::Numbered(static_cast<std::size_t>(n), "sys");
    Grow<vcs_system::VcsSystem>((std::to_string(n) + " systems").c_str(), c, repeats);
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("peak resident memory of the run: %.1f MB\n", static_cast<double>(u.ru_maxrss) / 1e3);
}
