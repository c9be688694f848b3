// vcs-gco's importers (VcsGco::Importers): remote-cluster state changes in
// the engine log, and haclus -state / hastatus -sum / hahb -state snapshots
// (model/vcs_gco/listings.h). Formats and examples: docs/replay.md,
// "Importers".
//
// No public engine_A.log or wac_A.log line for a remote-cluster state change
// is known (dossier 2.3), so the line this reads is an ASSUMPTION, shaped
// like the system state change the dossier gives (1.5):
//   2024/05/01 10:00:00 VCS NOTICE V-16-1-50513 Remote cluster clus1 changed state from RUNNING to
//   LOST_HB
#include "model/core/import.h"

#include <memory>

#include "model/core/parse_error.h"
#include "model/vcs_gco/listings.h"
#include "model/vcs_gco/vcs_gco.h"
#include "model/vcs_system/engine_log.h"

namespace haspec::vcs_gco {
namespace {

using Event = ImportedEvent<Observation>;

constexpr ImportOptionInfo kLogOptions[] = {
    {"observer",
     "the cluster whose engine wrote the log (default: a directory of the file's path named "
     "after a cluster, as in logs/clus0/engine_A.log)"},
    {"tz",
     "the zone of the log's local times, appended to each \"t\" (\"Z\", \"+01:00\"); without "
     "it \"t\" is a local time with no zone, as the log shows it"},
};
constexpr ImportOptionInfo kSnapshotOptions[] = {
    {"observer",
     "the cluster the commands ran on, for output not introduced by \"==> CLUSTER <==\" "
     "(default: a directory of the file's path named after a cluster)"},
};

ClusterState State(std::string_view name, const std::string& where) {
  if (auto s = kClusterStateNames.Parse(name)) return *s;
  ThrowUnknownName(where,
                   "unknown remote cluster state \"" + Printable(name) + "\" (the documents list " +
                       kClusterStateNames.Choices() + "): vocabulary drift, or not a VCS log",
                   std::string(name));
}

// Remote-cluster state changes of the engine log written in one cluster.
class EngineLogSource final : public EventSource<Observation> {
 public:
  EngineLogSource(std::istream& in, const ImportContext& ctx, const Config& config)
      : log_(in, "Remote cluster", "V-16-1-50513"),
        ctx_(ctx),
        nodes_(config.nodes),
        observer_(ctx.RequireObserver(nodes_, "", "wrote this log", "cluster", kMaxClusters)),
        zone_(vcs_system::EngineLogZoneOption(ctx)) {}

  bool Next(Event& out) override {
    vcs_system::EngineLogChanges::Change c;
    if (!log_.Next(c, zone_)) return false;
    const int remote = ctx_.Node(nodes_, c.change.name, c.where, "cluster");
    if (remote >= kMaxClusters) {
      throw ParseError(c.where, "cluster " + nodes_.Name(remote) + " is beyond the model's " +
                                    std::to_string(kMaxClusters) + " clusters");
    }
    if (remote == observer_) {
      throw ParseError(c.where, "cluster " + nodes_.Name(remote) +
                                    " wrote this log: it is not a remote cluster here");
    }
    State(c.change.from, c.where);  // checked: an unknown name is drift even here
    out.t = std::move(c.t);
    out.line = c.line;
    out.obs = Observation{};
    out.obs.clusters[observer_].remote[remote] = State(c.change.to, c.where);
    return true;
  }
  long lines_read() const override { return log_.lines_read(); }
  long lines_skipped() const override { return log_.lines_skipped(); }

 private:
  vcs_system::EngineLogChanges log_;
  const ImportContext& ctx_;
  const Nodes& nodes_;
  int observer_;
  std::string zone_;
};

// Listings (haclus -state, hastatus -sum, hahb -state), one event per
// snapshot.
class ListingSource final : public EventSource<Observation> {
 public:
  ListingSource(std::istream& in, const ImportContext& ctx, const Config& config)
      : reader_(in), ctx_(ctx), nodes_(config.nodes) {}

  bool Next(Event& out) override {
    Snapshot snap;
    while (reader_.Next(snap)) {
      Observation obs;
      unsigned clusters = 0;
      for (SnapshotBlock& b : snap.blocks) {
        if (b.text.find_first_not_of(" \t\n") == std::string::npos) continue;
        const std::string at = "line " + std::to_string(b.first_line);
        const int c = b.source.empty()
                          ? ctx_.RequireObserver(nodes_, at, "this output comes from", "cluster",
                                                 kMaxClusters)
                          : ctx_.Node(nodes_, b.source, "line " + std::to_string(b.first_line - 1),
                                      "cluster");
        if (c >= kMaxClusters || (clusters & (1u << c))) {
          throw ParseError(at, "a second output from " + nodes_.Name(c) + " in one snapshot");
        }
        clusters |= 1u << c;
        obs.clusters[c] = ParseClusterReport(b.text, nodes_, c, b.first_line);
      }
      if (clusters == 0) continue;
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
};

std::unique_ptr<EventSource<Observation>> OpenEngineLog(std::istream& in, const ImportContext& ctx,
                                                        const Config& c) {
  return std::make_unique<EngineLogSource>(in, ctx, c);
}
std::unique_ptr<EventSource<Observation>> OpenListing(std::istream& in, const ImportContext& ctx,
                                                      const Config& c) {
  return std::make_unique<ListingSource>(in, ctx, c);
}

}  // namespace

std::span<const Importer<Config, Observation>> VcsGco::Importers() {
  static const Importer<Config, Observation> kImporters[] = {
      {"engine-log",
       "engine_A.log: each \"Remote cluster NAME changed state from A to B\" line (an assumed "
       "shape: no public sample exists) is what the log's cluster shows of NAME; every other "
       "line is skipped",
       kLogOptions, &OpenEngineLog},
      {"haclus-state",
       "haclus -state, hastatus -sum (WAN HEARTBEAT and REMOTE CLUSTER STATE sections) and "
       "hahb -state outputs, one per \"@ TIME\" snapshot, optionally split by \"==> CLUSTER <==\"",
       kSnapshotOptions, &OpenListing},
  };
  return kImporters;
}

}  // namespace haspec::vcs_gco
