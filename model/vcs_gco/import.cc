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
using vcs_system::ClosesEmbeddedOutput;
using vcs_system::EngineLogTime;
using vcs_system::OpensEmbeddedOutput;
using vcs_system::ParseStateChange;
using vcs_system::SplitEngineLogLine;

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
      : lines_(in), ctx_(ctx), nodes_(config.nodes) {
    observer_ = ctx.RequireObserver(nodes_, "", "wrote this log", "cluster", kMaxClusters);
    if (const std::string* z = ctx.Option("tz")) {
      if (!IsZone(*z)) {
        throw ParseError("--option tz", "expected \"Z\" or \"+HH:MM\" / \"-HH:MM\", got \"" +
                                            Printable(*z) + "\"");
      }
      zone_ = *z;
    }
  }

  bool Next(Event& out) override {
    std::string_view line;
    while (lines_.Next(line)) {
      if (in_output_) {
        ++skipped_;
        if (ClosesEmbeddedOutput(line)) in_output_ = false;
        continue;
      }
      const auto l = SplitEngineLogLine(line);
      if (!log_seen_) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
          ++skipped_;
          continue;
        }
        if (!l && !OpensEmbeddedOutput(line) && !ClosesEmbeddedOutput(line)) {
          throw ParseError(lines_.Where(),
                           "not a VCS engine log: expected lines such as \"2024/05/01 10:00:00 "
                           "VCS NOTICE V-16-1-50513 ...\", got \"" +
                               Printable(line) + "\"");
        }
        log_seen_ = true;
      }
      if (OpensEmbeddedOutput(line)) {
        in_output_ = true;
        ++skipped_;
        continue;
      }
      const auto change = l ? ParseStateChange(l->message, "Remote cluster") : std::nullopt;
      if (!change) {
        ++skipped_;
        continue;
      }
      const std::string where = lines_.Where();
      const auto t = EngineLogTime(l->date, l->time, zone_);
      if (!t) {
        throw ParseError(where, "bad time \"" + std::string(l->date) + " " + std::string(l->time) +
                                    "\" (a field is out of range)");
      }
      const int remote = ctx_.Node(nodes_, change->name, where, "cluster");
      if (remote >= kMaxClusters) {
        throw ParseError(where, "cluster " + nodes_.Name(remote) + " is beyond the model's " +
                                    std::to_string(kMaxClusters) + " clusters");
      }
      if (remote == observer_) {
        throw ParseError(where, "cluster " + nodes_.Name(remote) +
                                    " wrote this log: it is not a remote cluster here");
      }
      State(change->from, where);  // checked: an unknown name is drift even here
      out.t = *t;
      out.line = lines_.number();
      out.obs = Observation{};
      out.obs.clusters[observer_].remote[remote] = State(change->to, where);
      return true;
    }
    return false;
  }
  long lines_read() const override { return lines_.number(); }
  long lines_skipped() const override { return skipped_; }

 private:
  LogLineReader lines_;
  const ImportContext& ctx_;
  const Nodes& nodes_;
  int observer_ = 0;
  std::string zone_;
  bool in_output_ = false, log_seen_ = false;
  long skipped_ = 0;
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
