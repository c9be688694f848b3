// The line format haspec reads JSA host statuses from. JSA publishes no API
// or log line for HA statuses (dossier 4.4), so this format is an ASSUMPTION
// built from the UI table ([RECON] example, dossier 4.4): one line per
// status shown, oldest first.
//
//   2024-05-01T10:00:00Z host=qradar-pri role=primary status=Active
//   2024-05-01T10:05:12Z host=qradar-pri role=primary status=Failed
//   2024-05-01T10:05:12Z host=qradar-sec role=secondary status=Active
//   2024-05-01T10:09:40Z host=qradar-sec role=secondary status="Needs License"
//
// * The first field is a UTC ISO 8601 time (optional fraction, then Z).
// * Then host= (letters, digits, '.', '-', '_'), role= (primary or
//   secondary) and status= in any order. The status is a UI label
//   ("Needs License") or haspec name (NEEDS_LICENSE), quoted or not; an
//   unquoted label runs over words up to the next key=value field.
// * A host keeps its role, and a role its host, for the whole log; times
//   never go backwards. Blank lines and lines starting with '#' are skipped.
//
//   std::vector<StatusLine> lines = ParseStatusLog(text);   // throws ParseError
//   std::vector<TimedObservation> obs = ObservationsFromLog(lines);
//
// ParseError::where() is "line N" and the problem names the field and value.
#ifndef HASPEC_MODEL_JSA_STATUS_LOG_H_
#define HASPEC_MODEL_JSA_STATUS_LOG_H_

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/jsa/jsa.h"

namespace haspec::jsa {

struct StatusLine {
  int line = 0;           // 1-based line number in the input (0 if built in code)
  std::string timestamp;  // as written, e.g. "2024-05-01T10:00:00Z"
  std::string host;       // the appliance's name, e.g. "qradar-pri"
  Role role = Role::kPrimary;
  Status status = Status::kActive;
  friend bool operator==(const StatusLine& a, const StatusLine& b) {
    return a.timestamp == b.timestamp && a.host == b.host && a.role == b.role &&
           a.status == b.status;  // `line` is where, not what
  }
};

// Reads a log one line at a time (for importers that stream), with the
// whole-log checks of ParseStatusLog (a host keeps its role, times never go
// backwards) kept in bounded state. With `nodes`, as ParseStatusLog.
class StatusLineReader {
 public:
  explicit StatusLineReader(const Nodes* nodes = nullptr) : nodes_(nodes) {}
  // The entry of line `number`, or nullopt for a blank or '#' line. Throws
  // ParseError("line N", problem); an unknown status also names the status
  // (ParseError::unknown_status).
  std::optional<StatusLine> Read(std::string_view line, int number);

 private:
  const Nodes* nodes_;
  std::array<std::string, kHosts> host_of_role_;
  std::array<int, kHosts> role_line_{};
  bool have_time_ = false;
  std::string last_time_;  // fixed part then fraction padded to nine digits
  int last_time_line_ = 0;
};

// Parses a whole log. Throws ParseError("line N", problem). With `nodes`
// (a configuration's host names, primary first), each line's host must be
// the configured host of its role.
std::vector<StatusLine> ParseStatusLog(std::string_view text, const Nodes* nodes = nullptr);

// One line per entry, in the format above (status labels, quoted when they
// hold a space). ParseStatusLog(FormatStatusLog(x)) == x.
std::string FormatStatusLog(std::span<const StatusLine> lines);

// One partial observation per group of lines with one time stamp: the
// statuses those lines show, and nothing else. A host the group does not
// name is "not seen" (never the status an earlier line gave it: the reader
// carries nothing forward), and a line about the secondary shows that the
// secondary exists. A role repeated within a group starts a new
// observation, so no status is lost.
struct TimedObservation {
  std::string timestamp;
  int line = 0;  // line of the group's last entry
  Observation observation;
};
std::vector<TimedObservation> ObservationsFromLog(std::span<const StatusLine> lines);

// Lines for `obs` at `timestamp`: one per host whose status is seen, named
// by `names` (only statuses: the format has no field for the other facts).
void AppendObservation(std::vector<StatusLine>& out, std::string_view timestamp,
                       const Observation& obs, const std::array<std::string, kHosts>& names);

}  // namespace haspec::jsa

#endif  // HASPEC_MODEL_JSA_STATUS_LOG_H_
