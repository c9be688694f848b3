// Importers: a product's own logs and status snapshots read as partial
// observations, one event per thing the source showed, for `haspec import`
// and `haspec replay --format`. A machine lists its importers in a static
// member (model/<machine>/import.h):
//
//   static std::span<const Importer<Config, Observation>> Importers();
//
// and engine/importers.h finds them by name and writes trace v1 events.
// Everything here is plain model code: no JSON, no engine.
//
//   ImportContext ctx{"logs/sys0/engine_A.log", {{"tz", "Z"}}, {}};
//   auto source = importer.open(stream, ctx, config);
//   ImportedEvent<Observation> e;
//   while (source->Next(e)) Use(e.t, e.line, e.obs);   // throws ParseError("line N", ...)
//
// Rules every importer keeps: it reads one line (or one snapshot) at a time,
// memory independent of the input's length; a line it does not recognise is
// skipped and counted; an event holds only what its own line or snapshot
// showed (never a value carried over from an earlier one); a bad line is a
// ParseError whose where() is "line N".
#ifndef HASPEC_MODEL_CORE_IMPORT_H_
#define HASPEC_MODEL_CORE_IMPORT_H_

#include <cstddef>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/core/nodes.h"
#include "model/core/parse_error.h"

namespace haspec {

// An option an importer accepts on the command line (`--option NAME=VALUE`).
struct ImportOptionInfo {
  std::string_view name;
  std::string_view help;
};

// What an importer is told besides its input.
struct ImportContext {
  std::string file;  // the input's name as given: for path-derived defaults
  // Importer options, already checked against the importer's list.
  std::map<std::string, std::string, std::less<>> options;
  // Node names as the source spells them -> names in the configuration.
  std::map<std::string, std::string, std::less<>> node_map;

  const std::string* Option(std::string_view name) const {
    auto it = options.find(name);
    return it == options.end() ? nullptr : &it->second;
  }
  // The configuration index of the node the source calls `name` (renamed by
  // node_map first). Throws ParseError(where, "unknown <what> ...").
  int Node(const Nodes& nodes, std::string_view name, const std::string& where,
           std::string_view what) const;
  // The node whose output this file is: the `observer` option if given, else
  // a directory of the file's path named after a configured node
  // ("logs/sys0/engine_A.log"), else nullopt. A bad `observer` value throws.
  std::optional<int> Observer(const Nodes& nodes) const;
  // Observer(), required: the node (a `noun`, "system" or "cluster", of
  // which the model holds at most `max`) whose output this is. Throws
  // ParseError at `where` when none can be told ("cannot tell which system
  // <what>") or it is beyond `max`; a bad `observer` option is an error at
  // "--option observer".
  int RequireObserver(const Nodes& nodes, const std::string& where, std::string_view what,
                      std::string_view noun, int max) const;
};

template <class Observation>
struct ImportedEvent {
  std::string t;  // ISO 8601 ("2024-05-01T10:00:00Z"); "" when the source shows no time
  int line = 0;   // the source line the event came from (1-based)
  Observation obs;
};

// Pull-style, so several sources can be merged by time without buffering.
template <class Observation>
class EventSource {
 public:
  virtual ~EventSource() = default;
  // The next event; false at the end. Throws ParseError("line N", problem).
  virtual bool Next(ImportedEvent<Observation>& out) = 0;
  // Lines read so far, and those of them skipped as not recognised.
  virtual long lines_read() const = 0;
  virtual long lines_skipped() const = 0;
};

template <class Config, class Observation>
struct Importer {
  std::string_view name;  // the --format value, e.g. "engine-log"
  std::string_view description;
  std::span<const ImportOptionInfo> options;
  std::unique_ptr<EventSource<Observation>> (*open)(std::istream& in, const ImportContext& ctx,
                                                    const Config& config);
};

// Lines of a text input, one at a time, with bounded memory: a line longer
// than `max_line` bytes, or holding a NUL byte, is a ParseError ("not a text
// log"), never a huge allocation. A final line without '\n' is read as is;
// a trailing '\r' is dropped.
class LogLineReader {
 public:
  static constexpr std::size_t kDefaultMaxLine = std::size_t{1} << 20;
  explicit LogLineReader(std::istream& in, std::size_t max_line = kDefaultMaxLine)
      : in_(in), max_line_(max_line) {}
  // False at the end of the input. The view is valid until the next call.
  // Reads the stream in chunks (it owns the stream from construction on):
  // a character at a time, with its three tests, cost most of an import.
  bool Next(std::string_view& line);
  int number() const { return number_; }
  std::string Where() const { return "line " + std::to_string(number_); }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 14;
  std::istream& in_;
  std::size_t max_line_;
  std::string buf_;
  std::unique_ptr<char[]> chunk_;  // read ahead from in_: [pos_, end_) not yet consumed
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  int number_ = 0;
};

// Timestamped snapshots of command output or API payloads, as a shell loop
// writes them (docs/replay.md, "Importers"):
//
//   @ 2024-05-01T10:00:00Z            <- a snapshot: its time, then a label
//   ==> sys0 <==                      <- optional: the output of the command on sys0
//   #System   Attribute   Value
//   ...
//
// A snapshot runs to the next "@ " line. Lines before the first "@ " line
// form a snapshot without a time. "==> NAME <==" lines (as `tail` prints
// for several files) split a snapshot into blocks, each from one node;
// without them a snapshot is one block with an empty source. Lines starting
// with "$ " (a shell prompt and its command) or "# " (a comment; "#System"
// and other column headers have no blank after '#') are skipped. A snapshot's text
// is bounded (`max_bytes`): past it, a ParseError.
struct SnapshotBlock {
  std::string source;  // NAME of "==> NAME <==", "" if none
  int first_line = 0;  // line of the block's first text line
  std::string text;
};
struct Snapshot {
  std::string t;      // "" when none
  std::string label;  // what follows the time on the "@ " line
  int line = 0;       // the "@ " line (or the first line of a snapshot without one)
  std::vector<SnapshotBlock> blocks;
};
class SnapshotReader {
 public:
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{16} << 20;
  explicit SnapshotReader(std::istream& in, std::size_t max_bytes = kDefaultMaxBytes)
      : lines_(in), max_bytes_(max_bytes) {}
  // The next snapshot with at least one non-blank line (or with a "@ " line);
  // false at the end. Throws ParseError("line N", ...): a bad time, an
  // oversized snapshot, a line the LogLineReader refuses.
  bool Next(Snapshot& out);
  long lines_read() const { return lines_.number(); }
  long lines_skipped() const { return skipped_; }

 private:
  LogLineReader lines_;
  std::size_t max_bytes_;
  long skipped_ = 0;
  bool done_ = false;
  std::optional<Snapshot> pending_;  // a "@ " line read ahead
};

// "line N: " rewritten for a block that starts at `first_line` of a file: a
// parser that numbers the lines of its own text from 1 reports line
// N + first_line - 1. Other wheres are kept and prefixed with the block's
// first line.
std::string ShiftWhere(const std::string& where, int first_line);

// ISO 8601 checks for timestamps importers copy from their source: a date
// and time "YYYY-MM-DDTHH:MM:SS", an optional fraction, an optional zone
// ("Z" or "+HH:MM"/"-HH:MM"), fields in range.
bool IsIso8601(std::string_view t);
// A zone designator as accepted above ("Z", "+01:00").
bool IsZone(std::string_view z);

// A status name the machine's vocabulary does not hold: a ParseError that
// also carries the name (ParseError::unknown_status, which replay reports as
// vocabulary drift) where ParseError has room for it.
template <class E = ParseError>
[[noreturn]] void ThrowUnknownName(std::string where, const std::string& problem,
                                   std::string name) {
  if constexpr (std::is_constructible_v<E, std::string, std::string, std::string>) {
    throw E(std::move(where), problem, std::move(name));
  } else {
    throw E(std::move(where), problem);
  }
}
// The unknown status name an error carries ("" if none, or no room for it).
template <class E = ParseError>
std::string UnknownNameOf(const E& e) {
  if constexpr (requires { e.unknown_status(); }) {
    return e.unknown_status();
  } else {
    return "";
  }
}

// `s` with control bytes and bytes >= 0x80 shown as \xNN and cut to `max`
// bytes, for quoting source text in error messages.
std::string Printable(std::string_view s, std::size_t max = 80);

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_IMPORT_H_
