// jsa's importer (Jsa::Importers): status lines of model/jsa/status_log.h
// inside a larger log. A line is a status line when its first word looks
// like an ISO 8601 time and it has a host=, role= or status= field; such a
// line must then be well formed. Every other line is skipped. Lines with one
// time stamp make one event (ObservationsFromLog's grouping), streamed with
// one line of look-ahead. Formats and examples: docs/replay.md, "Importers".
#include "model/core/import.h"

#include <memory>

#include "model/core/parse_error.h"
#include "model/jsa/jsa.h"
#include "model/jsa/status_log.h"

namespace haspec::jsa {
namespace {

using Event = ImportedEvent<Observation>;

bool LooksLikeStatusLine(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos || i + 5 > line.size()) return false;
  for (std::size_t k = i; k < i + 4; ++k) {
    if (line[k] < '0' || line[k] > '9') return false;
  }
  if (line[i + 4] != '-') return false;
  for (std::string_view key : {" host=", " role=", " status=", "\thost=", "\trole=", "\tstatus="}) {
    if (line.find(key) != std::string_view::npos) return true;
  }
  return false;
}

class StatusSource final : public EventSource<Observation> {
 public:
  StatusSource(std::istream& in, const ImportContext& ctx, const Config& config)
      : lines_(in), ctx_(ctx), names_(config.nodes), reader_(nullptr) {}

  bool Next(Event& out) override {
    Observation obs;
    std::string t;
    int last = 0;
    for (;;) {
      if (!pending_) pending_ = Read();
      if (!pending_) break;
      const int r = static_cast<int>(pending_->role);
      // A new time, or a host seen twice at one time, starts the next event.
      if (last && (pending_->timestamp != t || obs.hosts[r].status)) break;
      t = pending_->timestamp;
      last = pending_->line;
      obs.hosts[r].status = pending_->status;
      if (r == kSecondary) obs.secondary = true;
      pending_.reset();
    }
    if (!last) return false;
    out.t = t;
    out.line = last;
    out.obs = obs;
    return true;
  }
  long lines_read() const override { return lines_.number(); }
  long lines_skipped() const override { return skipped_; }

 private:
  std::optional<StatusLine> Read() {
    std::string_view line;
    while (lines_.Next(line)) {
      if (!LooksLikeStatusLine(line)) {
        ++skipped_;
        continue;
      }
      std::optional<StatusLine> l = reader_.Read(line, lines_.number());
      if (!l) continue;
      if (auto it = ctx_.node_map.find(l->host); it != ctx_.node_map.end()) l->host = it->second;
      // The configuration names the hosts; a host it does not name is an error.
      const int r = static_cast<int>(l->role);
      if (static_cast<std::size_t>(r) < names_.size() && l->host != names_.Name(r)) {
        throw ParseError(lines_.Where(), "host \"" + l->host + "\" is not the configured " +
                                             std::string(HostName(r)) + " \"" + names_.Name(r) +
                                             "\" (--node-map LOG=CONFIG renames a host)");
      }
      return l;
    }
    return std::nullopt;
  }

  LogLineReader lines_;
  const ImportContext& ctx_;
  const Nodes& names_;
  StatusLineReader reader_;
  std::optional<StatusLine> pending_;
  long skipped_ = 0;
};

std::unique_ptr<EventSource<Observation>> OpenStatus(std::istream& in, const ImportContext& ctx,
                                                     const Config& c) {
  return std::make_unique<StatusSource>(in, ctx, c);
}

}  // namespace

std::span<const Importer<Config, Observation>> Jsa::Importers() {
  static const Importer<Config, Observation> kImporters[] = {
      {"status-log",
       "status lines \"TIME host=H role=R status=S\" (model/jsa/status_log.h) inside any log; "
       "lines with one time make one event, other lines are skipped",
       {},
       &OpenStatus},
  };
  return kImporters;
}

}  // namespace haspec::jsa
