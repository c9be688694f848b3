// One cluster's replay, shared by `haspec replay` and `haspec shrink`: the
// files of a cluster merged by timestamp (a k-way merge that streams), each
// event fed to a Replayer (engine/replay.h), findings printed as they come
// and a summary per file.
//
// Merge order: an event's key is its "t", or, without one, the key of the
// last timed event before it in its file (the file's start: before
// everything), so untimed events keep their place in their file. The next
// event is the smallest key among the files' next events; ties go to the
// file given first. Within a file, order is always the file's own. With
// skew > 0, an event that fails is tried again in every order of the events
// of other files within `skew` of it (their order across two clocks is not
// known; see kSkewBack).
#ifndef HASPEC_TOOLS_HASPEC_REPLAY_DRIVER_H_
#define HASPEC_TOOLS_HASPEC_REPLAY_DRIVER_H_

#include <charconv>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/coverage.h"
#include "engine/exit_codes.h"
#include "engine/replay.h"
#include "engine/trace.h"
#include "tools/haspec/common.h"
#include "tools/haspec/replay_inputs.h"
#include "tools/haspec/replay_report.h"
#include "tools/haspec/trace_config.h"

namespace haspec::cli {

struct ReplayArgs {
  std::string machine, config;
  bool keep_going = false, documented_only = false, quiet = false, check_directives = false;
  int hidden = 2;
  std::string hidden_commands = "auto";  // auto, yes, no
  bool from_any_state = false;
  std::size_t max_states = 10'000;
  std::size_t max_line_bytes = std::size_t{1} << 20;
  double skew = 0;        // seconds
  bool coverage = false;  // record rule coverage (--min-rule-coverage)
  ImportContext import;   // --option and --node-map, for files read by an importer
  std::string report;     // --report FILE.md|FILE.html (tools/haspec/replay_report.h)
};

struct FileSummary {
  std::string path;
  std::size_t events = 0, ops = 0, snapshots = 0, violations = 0, departures = 0, drift = 0,
              bad = 0;
};

struct ClusterResult {
  std::string name;  // the files, comma separated
  int exit_code = 0;
  std::string first_failure;  // the first failing finding's headline, "" if none
  std::vector<FileSummary> files;
  std::size_t events = 0;
  Coverage coverage;                    // filled when ReplayArgs::coverage
  std::optional<ReportFailure> report;  // the first failure, for --report
};

namespace replay_internal {

inline std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

template <CodecMachine M>
std::string Headline(const ReplayFinding<M>& f) {
  std::string h = f.where + ": ";
  switch (f.kind) {
    case FindingKind::kViolation:
    case FindingKind::kDeparture: {
      std::vector<std::string> rules;
      for (const auto& b : f.breaches) {
        const Rule& r = RuleOf<M>(b.rule);
        rules.push_back((b.severity == Severity::kViolation ? "violation of " : "departure from ") +
                        std::string(ToString(r.kind)) + " " + std::string(r.id));
      }
      h += rules.empty() ? std::string(ToString(f.kind)) : Join(rules, ", ");
      break;
    }
    case FindingKind::kDrift:
      h += "vocabulary drift: " + f.problem;
      break;
    case FindingKind::kBadInput:
      h += f.problem;
      break;
  }
  return h;
}

template <CodecMachine M>
void Print(std::ostream& os, const ReplayFinding<M>& f, bool fails) {
  const char* tag = f.kind == FindingKind::kDrift ? "DRIFT: " : fails ? "ERROR: " : "WARNING: ";
  os << tag << Headline(f) << "\n";
  if (!f.src.empty()) os << "  from the log line " << f.src << "\n";
  if (!f.text.empty()) os << "  event: " << f.text << "\n";
  for (const auto& b : f.breaches) {
    const Rule& r = RuleOf<M>(b.rule);
    os << "  rule " << r.id << " [" << ToString(r.kind) << ", "
       << (IsDocumented(r) ? "documented" : "assumption") << "]: " << b.detail << "\n"
       << "    " << r.statement << "\n";
  }
  if (!f.allowed.empty()) {
    os << "  the model allows here (" << (f.phase.empty() ? "event" : f.phase)
       << (f.hidden_tried > 0
               ? ", after up to " + std::to_string(f.hidden_tried) + " hidden step(s)"
               : std::string())
       << "):\n";
    for (const auto& a : f.allowed) os << "    " << a << "\n";
  }
  if (f.truncated) {
    os << "  note: the set of consistent states hit its bound (--max-states) before this "
          "event; a larger bound may explain it\n";
  }
  if (!f.context.empty()) {
    os << "  preceding events:\n";
    for (const auto& c : f.context) os << "    " << c << "\n";
  }
}

// A file's reader, its next item and the items read ahead of it (for
// --skew).
template <CodecMachine M>
struct Source {
  std::unique_ptr<InputReader<M>> reader;
  std::size_t index = 0;
  TraceItem<M> item;
  bool has = false;
  std::int64_t key = std::numeric_limits<std::int64_t>::min();  // of the item
  std::int64_t last_t = std::numeric_limits<std::int64_t>::min();
  std::deque<std::pair<TraceItem<M>, std::int64_t>> ahead;  // read, after `item`

  void Advance() {
    if (!ahead.empty()) {
      item = std::move(ahead.front().first);
      key = ahead.front().second;
      ahead.pop_front();
      has = true;
      return;
    }
    has = Read(item, key);
  }
  // The k-th item after the current one (k >= 1) and its key, read ahead
  // as needed; nullptr past the end.
  std::pair<TraceItem<M>, std::int64_t>* Ahead(std::size_t k) {
    while (ahead.size() < k) {
      std::pair<TraceItem<M>, std::int64_t> p;
      if (!Read(p.first, p.second)) return nullptr;
      ahead.push_back(std::move(p));
    }
    return &ahead[k - 1];
  }

 private:
  bool Read(TraceItem<M>& it, std::int64_t& k) {
    if (!reader->Next(it)) return false;
    if (!it.bad && it.event.t) last_t = *it.event.t;
    k = last_t;
    return true;
  }
};

// --skew: the clocks of two files may differ by up to the skew, so events
// of different files whose times lie within it may have happened in any
// order. When an event fails, the window around it is tried in every order
// that keeps each file's own order: the events applied just before it
// (at most kSkewBack, each at most `skew` earlier) and the pending events
// of the other files (at most kSkewAhead, each at most `skew` later). The
// first order in which every event of the window fits is taken; the search
// feeds at most kSkewBudget events.
inline constexpr std::size_t kSkewBack = 4, kSkewAhead = 4, kSkewBudget = 4096;

// An event applied, with the replayer as it was before it (for --skew).
template <CodecMachine M>
struct Applied {
  Replayer<M> before;
  TraceEvent<M> event;
  std::string where;
  std::size_t file = 0;
  std::int64_t key = 0;
};

// An event of a --skew window.
template <CodecMachine M>
struct WindowEvent {
  const TraceEvent<M>* event = nullptr;
  std::string where;
  std::size_t file = 0;
};

// Depth-first over the orders of `seqs` (one sequence per file, each kept
// in order); true with `order` and `out` when every event fits.
template <CodecMachine M>
bool FitOrder(const Replayer<M>& at, std::vector<std::vector<WindowEvent<M>>>& seqs,
              std::vector<std::size_t>& pos, std::size_t left, std::size_t& budget,
              std::vector<const WindowEvent<M>*>& order, std::optional<Replayer<M>>& out) {
  if (left == 0) {
    out.emplace(at);
    return true;
  }
  for (std::size_t f = 0; f < seqs.size(); ++f) {
    if (pos[f] == seqs[f].size()) continue;
    if (budget == 0) return false;
    --budget;
    const WindowEvent<M>& w = seqs[f][pos[f]];
    Replayer<M> next = at;
    auto g = next.Feed(*w.event, w.where);
    if (g && (g->kind == FindingKind::kViolation || g->kind == FindingKind::kDeparture)) continue;
    ++pos[f];
    order.push_back(&w);
    if (FitOrder(next, seqs, pos, left - 1, budget, order, out)) return true;
    order.pop_back();
    --pos[f];
  }
  return false;
}

}  // namespace replay_internal

// Replays one cluster (its files merged) and prints to `os`.
template <CodecMachine M>
ClusterResult ReplayCluster(const ReplayArgs& a, const std::vector<InputFile>& files,
                            std::ostream& os) {
  using namespace replay_internal;
  ClusterResult res;
  for (const auto& f : files) res.name += (res.name.empty() ? "" : ",") + f.path;
  std::vector<Source<M>> sources;
  bool bad_input = false, failed = false, stop = false;
  ReaderOptions ropt;
  ropt.max_line_bytes = a.max_line_bytes;
  for (const auto& file : files) {
    FileSummary fs;
    fs.path = file.path;
    res.files.push_back(fs);
    try {
      Source<M> s;
      s.reader = OpenInput<M>(file, ropt, a.import);
      s.index = res.files.size() - 1;
      sources.push_back(std::move(s));
    } catch (const InputError& e) {
      os << "ERROR: " << e.what() << "\n";
      ++res.files.back().bad;
      bad_input = true;
      if (!a.keep_going) stop = true;
    }
  }
  // The configuration: --config, else the first header that carries one
  // (every other header must carry the same, or none).
  const TraceHeader* with_config = nullptr;
  std::string config_from;
  bool documented_only = a.documented_only;
  for (const auto& s : sources) {
    const TraceHeader& h = s.reader->header();
    documented_only = documented_only || h.profile == "documented-only";
    if (!h.config) continue;
    if (!with_config) {
      with_config = &h;
      config_from = s.reader->path();
    } else if (a.config.empty() && *h.config != *with_config->config) {
      os << "ERROR: " << s.reader->path() << ":" << h.line
         << ": header: config differs from the one in " << config_from
         << " (files of one cluster share a configuration; give --config)\n";
      res.exit_code = Code(ExitCode::kBadInput);
      return res;
    }
  }
  auto config = LoadConfigFor<M>(a.config, with_config ? *with_config : TraceHeader{}, config_from);
  if (!config) {
    res.exit_code = Code(ExitCode::kBadInput);
    return res;
  }
  const Profile profile = ProfileOf(documented_only);
  std::vector<TraceDirective> directives;
  for (auto& s : sources) {
    try {
      s.reader->Start(*config);
    } catch (const InputError& e) {
      os << "ERROR: " << e.what() << "\n";
      res.exit_code = Code(ExitCode::kBadInput);
      return res;
    }
    s.Advance();
    for (const auto& d : s.reader->directives()) directives.push_back(d);
  }
  ReplayOptions opt;
  opt.profile = profile;
  opt.hidden = a.hidden;
  opt.hidden_commands = a.hidden_commands == "yes"  ? ReplayOptions::Commands::kYes
                        : a.hidden_commands == "no" ? ReplayOptions::Commands::kNo
                                                    : ReplayOptions::Commands::kAuto;
  opt.max_states = a.max_states;
  opt.from_any_state = a.from_any_state;
  if (!a.report.empty()) opt.context = kReportContext;  // the report's sequence diagram
  Replayer<M> replayer(*config, opt);
  std::optional<ReplayFinding<M>> first;  // the first failing finding
  const auto skew = static_cast<std::int64_t>(a.skew * 1e6);

  auto pick = [&]() -> Source<M>* {
    Source<M>* best = nullptr;
    for (auto& s : sources) {
      if (s.has && (!best || s.key < best->key)) best = &s;
    }
    return best;
  };
  auto report = [&](const ReplayFinding<M>& f, FileSummary& fs) {
    bool fails = true;
    switch (f.kind) {
      case FindingKind::kViolation:
        ++fs.violations;
        failed = true;
        break;
      case FindingKind::kDeparture:
        ++fs.departures;
        fails = profile == Profile::kFull;
        failed = failed || fails;
        break;
      case FindingKind::kDrift:
        ++fs.drift;
        bad_input = true;
        break;
      case FindingKind::kBadInput:
        ++fs.bad;
        bad_input = true;
        break;
    }
    if (!a.quiet || fails) Print(os, f, fails);
    if (fails && !first) first = f;
    if (fails && !a.keep_going) stop = true;
  };
  // --min-rule-coverage: what the logged events exercised, on one state of
  // the set (the first), as the gate records a run: an op's deciding rule
  // and refusals from the state before it, then the premises and
  // advisories of the state after it. Hidden steps are not recorded.
  res.coverage = NewCoverage<M>();
  std::optional<CoverageRecorder<M>> rec;
  if (a.coverage) rec.emplace(res.coverage);
  auto record = [&](const std::optional<typename M::State>& m0, const TraceEvent<M>& ev) {
    if (m0) {
      const auto o = M::Step(*m0, ev.ops.front());
      Scratch<typename M::RuleId> refusals;
      M::Refusals(*m0, ev.ops.front(), *refusals);
      rec->OnStep(*m0, o, &*refusals);
      if (o.accepted) rec->OnTransition(*m0, ev.ops.front(), o.next);
    }
    if (!replayer.set().empty()) rec->OnState(replayer.set().members().front().state);
  };
  std::deque<Applied<M>> history;  // --skew: the last events applied, in order
  // --skew: the window around the failing event of `s` tried in every order
  // (see kSkewBack); on success the replayer holds the result, the events of
  // other files taken are consumed, and a note says the order.
  auto reorder = [&](const Replayer<M>& before_e, Source<M>& s, const std::string& where) {
    const std::int64_t t = *s.item.event.t;
    std::size_t back = 0;
    while (back < history.size() && back < kSkewBack &&
           history[history.size() - 1 - back].key >= t - skew) {
      ++back;
    }
    std::vector<std::vector<WindowEvent<M>>> seqs(sources.size());
    std::size_t count = 0;
    for (std::size_t i = history.size() - back; i < history.size(); ++i) {
      seqs[history[i].file].push_back({&history[i].event, history[i].where, history[i].file});
      ++count;
    }
    seqs[s.index].push_back({&s.item.event, where, s.index});
    ++count;
    std::vector<std::pair<Source<M>*, std::size_t>> taken;  // other files' events in the window
    std::size_t ahead = 0;
    for (auto& o : sources) {
      if (&o == &s || !o.has) continue;
      std::size_t k = 0;
      for (; ahead < kSkewAhead; ++k) {
        auto* p = k == 0 ? nullptr : o.Ahead(k);
        const TraceItem<M>* it = k == 0 ? &o.item : p ? &p->first : nullptr;
        const std::int64_t key = k == 0 ? o.key : p ? p->second : 0;
        if (!it || it->bad || !it->event.drift.empty() || key > t + skew) break;
        seqs[o.index].push_back(
            {&it->event, o.reader->path() + ":" + std::to_string(it->line), o.index});
        ++ahead;
      }
      if (k > 0) taken.push_back({&o, k});
    }
    count += ahead;
    if (count < 2) return false;
    const Replayer<M>& base = back > 0 ? history[history.size() - back].before : before_e;
    std::vector<std::size_t> pos(seqs.size(), 0);
    std::size_t budget = kSkewBudget;
    std::vector<const WindowEvent<M>*> order;
    std::optional<Replayer<M>> result;
    if (!FitOrder(base, seqs, pos, count, budget, order, result)) return false;
    os << "note: taken in the order";
    for (const auto* w : order) os << " " << w->where;
    os << " (events of different files within --skew of each other)\n";
    replayer = std::move(*result);
    for (auto& [o, k] : taken) {
      for (std::size_t i = 0; i < k; ++i) {
        FileSummary& ofs = res.files[o->index];
        ++ofs.events;
        ++res.events;
        (o->item.event.ops.empty() ? ofs.snapshots : ofs.ops)++;
        o->Advance();
      }
    }
    return true;
  };
  std::string where;  // FILE:LINE of the event, rebuilt in one buffer
  while (!stop) {
    Source<M>* s = pick();
    if (!s) break;
    FileSummary& fs = res.files[s->index];
    where.assign(s->reader->path());
    if (s->item.line > 0) {
      char digits[24];
      where += ':';
      where.append(digits, std::to_chars(digits, digits + sizeof digits, s->item.line).ptr);
    }
    if (s->item.bad) {
      report(replayer.BadLine(s->item.event, where, s->item.problem), fs);
      s->Advance();
      continue;
    }
    ++fs.events;
    ++res.events;
    (s->item.event.ops.empty() ? fs.snapshots : fs.ops)++;
    // Two clocks: keep the replayer before the event, to try other orders
    // within the skew window if it fails.
    std::optional<Replayer<M>> before;
    if (skew > 0 && s->item.event.t) before.emplace(replayer);
    std::optional<typename M::State> m0;  // coverage: a state the op applies to
    if (rec && !s->item.event.ops.empty() && !replayer.set().empty()) {
      m0 = replayer.set().members().front().state;
    }
    auto f = replayer.Feed(s->item.event, where);
    if (rec && !f) record(m0, s->item.event);
    bool reordered = false;
    if (f && before && (f->kind == FindingKind::kViolation || f->kind == FindingKind::kDeparture)) {
      reordered = reorder(*before, *s, where);
      if (reordered) f.reset();
    }
    if (f) report(*f, fs);
    if (skew > 0) {
      if (f || reordered || !before || !s->item.event.drift.empty()) {
        history.clear();
      } else {
        history.push_back({std::move(*before), s->item.event, where, s->index, s->key});
        if (history.size() > kSkewBack) history.pop_front();
      }
    }
    s->Advance();
  }
  if (res.events == 0 && !bad_input) {
    os << "WARNING: no events in " << res.name << ": nothing was checked\n";
  }
  // Summaries.
  for (const auto& fs : res.files) {
    const bool fails = fs.violations > 0 || (fs.departures > 0 && profile == Profile::kFull);
    os << "SUMMARY " << fs.path << ": " << fs.events << " event(s) (" << fs.ops << " op(s), "
       << fs.snapshots << " snapshot(s)); " << fs.violations << " violation(s), " << fs.departures
       << " departure(s)" << (profile == Profile::kDocumentedOnly ? " (warnings)" : "") << ", "
       << fs.drift << " vocabulary drift, " << fs.bad << " bad line(s): "
       << (fails          ? "DOES NOT CONFORM"
           : fs.drift > 0 ? "VOCABULARY DRIFT"
           : fs.bad > 0   ? "UNREADABLE INPUT"
                          : "conforms")
       << "\n";
  }
  if (failed) {
    res.exit_code = Code(ExitCode::kViolation);
  } else if (bad_input) {
    res.exit_code = Code(ExitCode::kBadInput);
  }
  if (first) res.first_failure = Headline(*first);
  if (first && !a.report.empty()) res.report = ReplayReportFailure<M>(*first, res.name);
  os << "SUMMARY: " << files.size() << " file(s), " << res.events << " event(s); hidden steps "
     << "assumed before " << replayer.hidden_used() << " event(s) (up to " << a.hidden
     << " each); at most " << replayer.max_set_size() << " consistent state(s)"
     << (replayer.truncated() ? " (bound --max-states hit: states were dropped)" : "")
     << (stop && first ? "; stopped at the first failure (--keep-going goes on)" : "") << ": "
     << (res.exit_code == 0   ? "conforms"
         : res.exit_code == 1 ? "does not conform"
                              : "input not fully readable")
     << " (exit " << res.exit_code << ")\n";
  if (a.check_directives && directives.empty()) {
    os << "UNEXPECTED: " << res.name << " states no '# expect-...' directive\n";
    res.exit_code = Code(ExitCode::kViolation);
  } else if (a.check_directives) {
    // A bundled invalid trace states the first failure it must give.
    const TraceDirective& d = directives.front();
    bool ok = false;
    if (first) {
      const std::string kind = first->kind == FindingKind::kDrift       ? "drift"
                               : first->kind == FindingKind::kBadInput  ? "bad-input"
                               : first->kind == FindingKind::kDeparture ? "departure"
                                                                        : "violation";
      if (kind == d.kind) {
        ok = d.value.empty();
        for (const auto& b : first->breaches) ok = ok || RuleOf<M>(b.rule).id == d.value;
      }
    }
    os << (ok ? "EXPECTED: " : "UNEXPECTED: ") << "the trace states (line " << d.line << ") expect-"
       << d.kind << (d.value.empty() ? "" : ": " + d.value)
       << "; first failure: " << (first ? Headline(*first) : std::string("none")) << "\n";
    res.exit_code = ok ? 0 : Code(ExitCode::kViolation);
  }
  return res;
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_REPLAY_DRIVER_H_
