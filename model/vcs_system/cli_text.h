// The text VCS prints about system states, read and written the way
// operators see it (dossier 1.5):
//
//   $ hasys -state                          $ hastatus -sum
//   #System          Attribute      Value   -- SYSTEM STATE
//   sys0             SysState       RUNNING -- System               State                Frozen
//   sys1             SysState       FAULTED
//                                           A  sys0                 RUNNING              0
//   $ hasys -state sys0                     A  sys1                 FAULTED              0
//   RUNNING
//
// Usage:
//
//   std::vector<SystemRow> rows = ParseHasysState(text);   // throws ParseError
//   Observation obs;
//   SetRows(obs, /*observer=*/0, rows);                    // names must be sys0..sys3
//   std::string again = FormatHastatusSummary(RowsFor(obs, 0));
//
// Parse errors name the line ("line 4") and say what was expected there.
#ifndef HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_
#define HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {

// One system row. `frozen` comes from hastatus -sum's Frozen column; hasys
// -state has none and leaves it false.
struct SystemRow {
  std::string system;
  SysState state = SysState::kUnknown;
  bool frozen = false;
  friend bool operator==(const SystemRow&, const SystemRow&) = default;
};

// `hasys -state` with no argument: a "#System Attribute Value" header, then
// one "<system> SysState <state>" row per system. Blank lines are ignored.
std::vector<SystemRow> ParseHasysState(std::string_view text);
std::string FormatHasysState(std::span<const SystemRow> rows);

// The "-- SYSTEM STATE" section of `hastatus -sum` (other sections are
// skipped): its column header, then "A <system> <state> <frozen>" rows.
std::vector<SystemRow> ParseHastatusSummary(std::string_view text);
// Only the SYSTEM STATE section; groups are not modelled.
std::string FormatHastatusSummary(std::span<const SystemRow> rows);

// `hasys -state <system>`: the bare state value on one line.
SysState ParseBareSysState(std::string_view text);

// The rows `observer` prints, in system order (empty if its engine is down).
std::vector<SystemRow> RowsFor(const Observation& obs, int observer);
// Replaces observer `observer`'s table with `rows`. Throws ParseError for a
// system name other than sys0..sys3, a repeated system, or no rows at all.
void SetRows(Observation& obs, int observer, std::span<const SystemRow> rows);

}  // namespace haspec::vcs_system

#endif  // HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_
