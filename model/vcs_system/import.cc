// vcs-system's importers (VcsSystem::Importers): the engine log's system
// state changes, and hasys -state / hastatus -sum snapshots. Formats and
// examples: docs/replay.md, "Importers".
#include "model/core/import.h"

#include <memory>

#include "model/core/parse_error.h"
#include "model/vcs_system/cli_text.h"
#include "model/vcs_system/engine_log.h"
#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {
namespace {

using Event = ImportedEvent<Observation>;

constexpr ImportOptionInfo kLogOptions[] = {
    {"observer",
     "the system whose engine wrote the log (default: a directory of the file's path named "
     "after a system, as in logs/sys0/engine_A.log)"},
    {"tz",
     "the zone of the log's local times, appended to each \"t\" (\"Z\", \"+01:00\"); without "
     "it \"t\" is a local time with no zone, as the log shows it"},
};
constexpr ImportOptionInfo kSnapshotOptions[] = {
    {"observer",
     "the system the command ran on, for output not introduced by \"==> NAME <==\" (default: "
     "a directory of the file's path named after a system)"},
};

SysState State(std::string_view name, const std::string& where) {
  if (auto s = kSysStateNames.Parse(name)) return *s;
  ThrowUnknownName(where,
                   "unknown system state \"" + Printable(name) + "\" (the documents list " +
                       kSysStateNames.Choices() + "): vocabulary drift, or not a VCS engine log",
                   std::string(name));
}

// System state changes of the engine log written by one system's HAD.
class EngineLogSource final : public EventSource<Observation> {
 public:
  EngineLogSource(std::istream& in, const ImportContext& ctx, const Config& config)
      : log_(in, "System", "V-16-1-10322"),
        ctx_(ctx),
        nodes_(config.nodes),
        observer_(ctx.RequireObserver(nodes_, "", "wrote this log", "system", kMaxSystems)),
        zone_(EngineLogZoneOption(ctx)) {}

  bool Next(Event& out) override {
    EngineLogChanges::Change c;
    if (!log_.Next(c, zone_)) return false;
    const int subject = ctx_.Node(nodes_, c.change.name, c.where, "system");
    if (subject >= kMaxSystems) {
      throw ParseError(c.where, "system " + nodes_.Name(subject) + " is beyond the model's " +
                                    std::to_string(kMaxSystems) + " systems");
    }
    State(c.change.from, c.where);  // checked: an unknown name is drift even here
    const SysState to = State(c.change.to, c.where);
    out.t = std::move(c.t);
    out.line = c.line;
    out.obs = Observation{};
    // HAD logs its own last change (LEAVING to EXITED) as it stops: from
    // then on its engine does not answer, which is how the model shows it.
    if (subject == observer_ && !EngineUp(to)) {
      out.obs.answered[observer_] = false;
    } else {
      out.obs.state[observer_][subject] = to;
    }
    return true;
  }
  long lines_read() const override { return log_.lines_read(); }
  long lines_skipped() const override { return log_.lines_skipped(); }

 private:
  EngineLogChanges log_;
  const ImportContext& ctx_;
  const Nodes& nodes_;
  int observer_;
  std::string zone_;
};

// hasys -state or hastatus -sum outputs, one event per snapshot.
class ListingSource final : public EventSource<Observation> {
 public:
  using Parse = std::vector<SystemRow> (*)(std::string_view);
  ListingSource(std::istream& in, const ImportContext& ctx, const Config& config, Parse parse)
      : reader_(in), ctx_(ctx), nodes_(config.nodes), parse_(parse) {}

  bool Next(Event& out) override {
    Snapshot snap;
    while (reader_.Next(snap)) {
      Observation obs;
      SystemSet observers = 0;
      for (SnapshotBlock& b : snap.blocks) {
        if (b.text.find_first_not_of(" \t\n") == std::string::npos) continue;
        const std::string at = "line " + std::to_string(b.first_line);
        const int o =
            b.source.empty()
                ? ctx_.RequireObserver(nodes_, at, "this output comes from", "system", kMaxSystems)
                : ctx_.Node(nodes_, b.source, "line " + std::to_string(b.first_line - 1), "system");
        if (o >= kMaxSystems || (observers & (1u << o))) {
          throw ParseError(at, "a second output from " + nodes_.Name(o) + " in one snapshot");
        }
        observers = static_cast<SystemSet>(observers | (1u << o));
        try {
          std::vector<SystemRow> rows = parse_(b.text);
          for (SystemRow& r : rows)
            r.system = nodes_.Name(ctx_.Node(nodes_, r.system, "", "system"));
          AddListing(obs, nodes_, o, rows);
        } catch (const ParseError& e) {
          throw ParseError(ShiftWhere(e.where(), b.first_line), e.problem());
        }
      }
      if (observers == 0) continue;
      out.t = snap.t;
      out.line = snap.line;
      out.obs = obs;
      return true;
    }
    return false;
  }
  long lines_read() const override { return reader_.lines_read(); }
  long lines_skipped() const override { return reader_.lines_skipped(); }

 private:
  SnapshotReader reader_;
  const ImportContext& ctx_;
  const Nodes& nodes_;
  Parse parse_;
};

std::unique_ptr<EventSource<Observation>> OpenEngineLog(std::istream& in, const ImportContext& ctx,
                                                        const Config& c) {
  return std::make_unique<EngineLogSource>(in, ctx, c);
}
std::unique_ptr<EventSource<Observation>> OpenHasys(std::istream& in, const ImportContext& ctx,
                                                    const Config& c) {
  return std::make_unique<ListingSource>(in, ctx, c, &ParseHasysState);
}
std::unique_ptr<EventSource<Observation>> OpenHastatus(std::istream& in, const ImportContext& ctx,
                                                       const Config& c) {
  return std::make_unique<ListingSource>(in, ctx, c, &ParseHastatusSummary);
}

}  // namespace

std::span<const Importer<Config, Observation>> VcsSystem::Importers() {
  static const Importer<Config, Observation> kImporters[] = {
      {"engine-log",
       "engine_A.log: each \"System NAME (Node 'N') changed state from A to B\" line is what "
       "the log's system shows of NAME; every other line is skipped",
       kLogOptions, &OpenEngineLog},
      {"hasys-state",
       "hasys -state outputs, one per \"@ TIME\" snapshot, optionally split by \"==> SYSTEM <==\"",
       kSnapshotOptions, &OpenHasys},
      {"hastatus-sum",
       "hastatus -sum outputs (their SYSTEM STATE section), one per \"@ TIME\" snapshot, "
       "optionally split by \"==> SYSTEM <==\"",
       kSnapshotOptions, &OpenHastatus},
  };
  return kImporters;
}

}  // namespace haspec::vcs_system
