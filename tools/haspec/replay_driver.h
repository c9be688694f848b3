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
// skew > 0, an event that fails is tried once more after the next event of
// another file when their timestamps are at most `skew` apart (their order
// across two clocks is not known).
#ifndef HASPEC_TOOLS_HASPEC_REPLAY_DRIVER_H_
#define HASPEC_TOOLS_HASPEC_REPLAY_DRIVER_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/exit_codes.h"
#include "engine/replay.h"
#include "engine/trace.h"
#include "tools/haspec/common.h"
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
  double skew = 0;  // seconds
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

// A file's reader and its next item.
template <CodecMachine M>
struct Source {
  std::unique_ptr<TraceReader<M>> reader;
  std::size_t index = 0;
  TraceItem<M> item;
  bool has = false;
  std::int64_t key = std::numeric_limits<std::int64_t>::min();  // of the item
  std::int64_t last_t = std::numeric_limits<std::int64_t>::min();

  void Advance() {
    has = reader->Next(item);
    if (!has) return;
    if (!item.bad && item.event.t) last_t = *item.event.t;
    key = last_t;
  }
};

}  // namespace replay_internal

// Replays one cluster (its files merged) and prints to `os`.
template <CodecMachine M>
ClusterResult ReplayCluster(const ReplayArgs& a, const std::vector<std::string>& files,
                            std::ostream& os) {
  using namespace replay_internal;
  ClusterResult res;
  res.name = Join(files, ",");
  std::vector<Source<M>> sources;
  bool bad_input = false, failed = false, stop = false;
  ReaderOptions ropt;
  ropt.max_line_bytes = a.max_line_bytes;
  for (const auto& path : files) {
    FileSummary fs;
    fs.path = path;
    res.files.push_back(fs);
    try {
      Source<M> s;
      s.reader = std::make_unique<TraceReader<M>>(path, ropt);
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
      s.reader->Start(config->nodes);
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
  while (!stop) {
    Source<M>* s = pick();
    if (!s) break;
    FileSummary& fs = res.files[s->index];
    const std::string where = s->reader->path() + ":" + std::to_string(s->item.line);
    if (s->item.bad) {
      report(replayer.BadLine(s->item.event, where, s->item.problem), fs);
      s->Advance();
      continue;
    }
    ++fs.events;
    ++res.events;
    (s->item.event.ops.empty() ? fs.snapshots : fs.ops)++;
    // Two clocks: keep a copy to try the other order if this event fails.
    std::optional<Replayer<M>> saved;
    Source<M>* other = nullptr;
    if (skew > 0 && s->item.event.t) {
      for (auto& o : sources) {
        if (&o == s || !o.has || o.item.bad || !o.item.event.t) continue;
        if (*o.item.event.t - *s->item.event.t <= skew && (!other || o.key < other->key)) {
          other = &o;
        }
      }
      if (other) saved.emplace(replayer);
    }
    auto f = replayer.Feed(s->item.event, where);
    if (f && other && (f->kind == FindingKind::kViolation || f->kind == FindingKind::kDeparture)) {
      Replayer<M> trial = std::move(*saved);
      const std::string other_where =
          other->reader->path() + ":" + std::to_string(other->item.line);
      auto g = trial.Feed(other->item.event, other_where);
      auto h = g ? g : trial.Feed(s->item.event, where);
      if (!g && !h) {
        // Both explained in the other order: take it.
        os << "note: " << other_where << " taken before " << where
           << " (within --skew of each other)\n";
        replayer = std::move(trial);
        FileSummary& ofs = res.files[other->index];
        ++ofs.events;
        ++res.events;
        (other->item.event.ops.empty() ? ofs.snapshots : ofs.ops)++;
        other->Advance();
        f.reset();
      }
    }
    if (f) report(*f, fs);
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
