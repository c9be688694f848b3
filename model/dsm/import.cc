// dsm's importer (Dsm::Importers): timestamped captures of the REST payloads
// of model/dsm/payloads.h, as a shell loop around curl writes them:
//
//   @ 2024-05-01T10:00:00Z GET /appliance/provider-ha-nodes
//   [{"id": "e6e517e5-...", "state": "ACTIVE_MODE", "role": "PRIMARY"}, ...]
//   @ 2024-05-01T10:00:05Z GET /appliance/status e6e517e5-...
//   {"postgres": "ACTIVE", ..., "updateManager": "ACTIVE" "rclone": "ACTIVE"}
//
// Each request line starts a snapshot; its body runs to the next "@ " line.
// /appliance/status names the node that answered. Requests for other paths
// are skipped. Formats and examples: docs/replay.md, "Importers".
#include "model/core/import.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "model/core/parse_error.h"
#include "model/dsm/dsm.h"
#include "model/dsm/payloads.h"

namespace haspec::dsm {
namespace {

using Event = ImportedEvent<Observation>;

constexpr ImportOptionInfo kNoOptions[] = {{"", ""}};

// The body line holding byte `offset` of `text` (which starts at `first`).
int LineOf(std::string_view text, std::size_t offset, int first) {
  // An error at the very end (a body cut short) is on its last line.
  if (!text.empty()) offset = std::min(offset, text.size() - 1);
  int line = first;
  for (std::size_t i = 0; i < offset; ++i) line += text[i] == '\n';
  return line;
}

std::string Where(int line) { return "line " + std::to_string(line); }

std::string WordAt(std::string_view& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  std::size_t n = s.find(' ');
  if (n == std::string_view::npos) n = s.size();
  std::string w(s.substr(0, n));
  s.remove_prefix(n);
  return w;
}

class CaptureSource final : public EventSource<Observation> {
 public:
  CaptureSource(std::istream& in, const ImportContext& ctx, const Config& config)
      : reader_(in), ctx_(ctx), nodes_(config.nodes) {}

  bool Next(Event& out) override {
    Snapshot snap;
    while (reader_.Next(snap)) {
      const std::string at = Where(snap.line);
      if (snap.t.empty()) {
        throw ParseError(at,
                         "payload without a request line: expected \"@ <time> GET <path> "
                         "[<node id>]\" before it");
      }
      std::string_view label = snap.label;
      const std::string method = WordAt(label), path = WordAt(label), node = WordAt(label);
      if (!WordAt(label).empty() || method != "GET") {
        throw ParseError(at, "expected \"@ <time> GET <path> [<node id>]\", got \"@ " + snap.t +
                                 " " + Printable(snap.label) + "\"");
      }
      if (path != "/appliance/provider-ha-nodes" && path != "/appliance/status") {
        ++skipped_snapshots_;
        continue;
      }
      if (snap.blocks.size() != 1 || !snap.blocks[0].source.empty()) {
        throw ParseError(at, snap.blocks.empty()
                                 ? "no payload after the request line"
                                 : "one payload per request line (\"==> <==\" lines are not "
                                   "used in DSM captures)");
      }
      const SnapshotBlock& body = snap.blocks[0];
      out.t = snap.t;
      out.line = snap.line;
      out.obs = path == "/appliance/status" ? Status(body, node, at) : Members(body);
      return true;
    }
    return false;
  }
  long lines_read() const override { return reader_.lines_read(); }
  long lines_skipped() const override { return reader_.lines_skipped(); }

 private:
  Observation Members(const SnapshotBlock& body) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(body.text);
    } catch (const nlohmann::json::parse_error& e) {
      throw ParseError(Where(LineOf(body.text, e.byte == 0 ? 0 : e.byte - 1, body.first_line)),
                       "/appliance/provider-ha-nodes is not valid JSON: " +
                           std::string(e.what()).substr(std::string(e.what()).find(']') + 2));
    } catch (const nlohmann::json::exception& e) {  // out_of_range: a number beyond a double
      throw ParseError(Where(body.first_line),
                       "/appliance/provider-ha-nodes is not valid JSON: " +
                           std::string(e.what()).substr(std::string(e.what()).find(']') + 2));
    }
    try {
      std::vector<ProviderHaNode> list = ParseProviderHaNodes(j);
      for (std::size_t k = 0; k < list.size(); ++k) {
        list[k].id =
            nodes_.Name(ctx_.Node(nodes_, list[k].id, "[" + std::to_string(k) + "].id", "node id"));
      }
      return ObserveProviderHaNodes(list, nodes_);
    } catch (const ParseError& e) {
      ThrowUnknownName(Where(body.first_line) + ": " + e.where(), e.problem(), UnknownNameOf(e));
    }
  }

  Observation Status(const SnapshotBlock& body, const std::string& node, const std::string& at) {
    if (node.empty()) {
      throw ParseError(at,
                       "/appliance/status needs the node that answered: \"@ <time> GET "
                       "/appliance/status <node id>\"");
    }
    const int slot = ctx_.Node(nodes_, node, at, "node id");
    if (slot >= kMaxSlots) {
      throw ParseError(at, "node " + nodes_.Name(slot) + " is beyond the model's " +
                               std::to_string(kMaxSlots) + " slots");
    }
    try {
      return ObserveApplianceStatus(ParseApplianceStatusText(body.text), slot);
    } catch (const ParseError& e) {
      if (e.offset()) {
        ThrowUnknownName(Where(LineOf(body.text, *e.offset(), body.first_line)), e.problem(),
                         UnknownNameOf(e));
      }
      ThrowUnknownName(Where(body.first_line) + (e.where().empty() ? "" : ": " + e.where()),
                       e.problem(), UnknownNameOf(e));
    }
  }

  SnapshotReader reader_;
  const ImportContext& ctx_;
  const Nodes& nodes_;
  long skipped_snapshots_ = 0;
};

std::unique_ptr<EventSource<Observation>> OpenCapture(std::istream& in, const ImportContext& ctx,
                                                      const Config& c) {
  return std::make_unique<CaptureSource>(in, ctx, c);
}

}  // namespace

std::span<const Importer<Config, Observation>> Dsm::Importers() {
  static const Importer<Config, Observation> kImporters[] = {
      {"rest-capture",
       "timestamped GET /appliance/provider-ha-nodes and /appliance/status payloads, each "
       "after a \"@ TIME GET PATH [NODE-ID]\" line (the vendor sample's missing comma is "
       "tolerated); other paths are skipped",
       std::span<const ImportOptionInfo>(kNoOptions, 0), &OpenCapture},
  };
  return kImporters;
}

}  // namespace haspec::dsm
