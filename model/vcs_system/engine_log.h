// The line shape of the VCS engine log (/var/VRTSvcs/log/engine_A.log),
// dossier 1.5 [REAL]: "Timestamp (Year/MM/DD) | Mnemonic | Severity | UMI |
// Message Text":
//
//   2003/02/10 16:08:09 VCS INFO V-16-1-10077 received new cluster membership.
//
// The log also holds command output framed by "+----...----+" and
// "+====...====+" lines, which readers skip. Importers key on the message
// text, never on the UMI alone (the UMI of a state change is [RECON]).
// vcs-gco's importer reads the same file, so it shares this header.
//
//   if (auto l = SplitEngineLogLine(line)) {
//     if (auto c = ParseStateChange(l->message, "System")) ...   // c->name, c->to
//   }
#ifndef HASPEC_MODEL_VCS_SYSTEM_ENGINE_LOG_H_
#define HASPEC_MODEL_VCS_SYSTEM_ENGINE_LOG_H_

#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "model/core/import.h"

namespace haspec::vcs_system {

struct EngineLogLine {
  std::string_view date;      // "2024/05/01"
  std::string_view time;      // "10:00:00"
  std::string_view severity;  // "NOTICE"
  std::string_view umi;       // "V-16-1-10322"
  std::string_view message;   // the rest, without leading blanks
};

// nullopt unless `line` has the shape above: a date and a time of the right
// form, "VCS", a severity word in capitals, a UMI "V-<digits>-<digits>-<digits>".
std::optional<EngineLogLine> SplitEngineLogLine(std::string_view line);

// "2024/05/01", "10:00:00" -> "2024-05-01T10:00:00" followed by `zone` ("",
// "Z" or "+01:00"); nullopt when a field is out of range.
std::optional<std::string> EngineLogTime(std::string_view date, std::string_view time,
                                         std::string_view zone);

// The framing of embedded command output: "+---...---+" opens it,
// "+===...===+" closes it, whole line or as a message.
bool OpensEmbeddedOutput(std::string_view text);
bool ClosesEmbeddedOutput(std::string_view text);

// "<subject> NAME [(Node 'N')] changed state from A to B", the whole
// message (a final '.' allowed). `subject` is "System" (with the node id,
// required) or "Remote cluster" (without; NAME may be in single quotes).
struct StateChange {
  std::string_view name, from, to;
};
std::optional<StateChange> ParseStateChange(std::string_view message, std::string_view subject);

// The state changes of one engine log, in order: each line whose message
// ParseStateChange(message, subject) reads, with its time. Blank lines before
// the log, embedded command output and every other line are skipped (and
// counted); input whose first line that is not blank is no engine-log line
// is refused. Both VCS importers read the log through it: vcs-system for
// "System" changes, vcs-gco for "Remote cluster" ones.
class EngineLogChanges {
 public:
  // `umi` only shows in the error for input that is not an engine log.
  EngineLogChanges(std::istream& in, std::string_view subject, std::string_view umi)
      : lines_(in), subject_(subject), umi_(umi) {}

  struct Change {
    StateChange change;  // views into the line: valid until the next call
    std::string t;       // EngineLogTime(date, time, zone)
    std::string where;   // "line N"
    int line = 0;
  };
  // False at the end of the log; throws ParseError naming the line.
  bool Next(Change& out, std::string_view zone);
  long lines_read() const { return lines_.number(); }
  long lines_skipped() const { return skipped_; }

 private:
  LogLineReader lines_;
  std::string_view subject_, umi_;
  bool in_output_ = false, log_seen_ = false;
  long skipped_ = 0;
};

// The importer option "tz" (a zone appended to the log's local times), or ""
// when not given; throws ParseError for a value that is no zone.
std::string EngineLogZoneOption(const ImportContext& ctx);

}  // namespace haspec::vcs_system

#endif  // HASPEC_MODEL_VCS_SYSTEM_ENGINE_LOG_H_
