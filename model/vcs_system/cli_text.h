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
//   $ hagrp -state
//   #Group   Attribute   System      Value
//   vxfen    State       sys0        |ONLINE|
//
// Usage: parse the text into rows, then turn the rows into a *partial*
// observation of the one system the command ran on. Nothing else is filled:
// other engines stay "not seen" (not "down"), and no value of an earlier
// output is carried forward.
//
//   std::vector<SystemRow> rows = ParseHasysState(text);   // throws ParseError
//   Observation obs;
//   AddListing(obs, nodes, /*observer=*/0, rows);          // names from the Config
//   AddGroupStates(obs, nodes, 0, ParseHagrpState(hagrp_text));
//   std::string again = FormatHastatusSummary(RowsFor(obs, nodes, 0));
//
// Parse errors name the line ("line 4") and say what was expected there.
#ifndef HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_
#define HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/core/nodes.h"
#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {

// One system row. `frozen` comes from hastatus -sum's Frozen column; hasys
// -state has none and leaves it false. The model does not keep Frozen: it is
// parsed and printed, never put in an observation.
struct SystemRow {
  std::string system;
  SysState state = SysState::kUnknown;
  bool frozen = false;
  friend bool operator==(const SystemRow&, const SystemRow&) = default;
};

// One `hagrp -state` row: the value without its pipes ("ONLINE",
// "OFFLINE|STATE UNKNOWN").
struct GroupRow {
  std::string group;
  std::string system;
  std::string value;
  friend bool operator==(const GroupRow&, const GroupRow&) = default;
};

// `hasys -state` with no argument: a "#System Attribute Value" header, then
// one "<system> SysState <state>" row per system. Blank lines are ignored.
std::vector<SystemRow> ParseHasysState(std::string_view text);
std::string FormatHasysState(std::span<const SystemRow> rows);

// The "-- SYSTEM STATE" section of `hastatus -sum` (other sections are
// skipped): its column header, then "A <system> <state> <frozen>" rows.
std::vector<SystemRow> ParseHastatusSummary(std::string_view text);
std::string FormatHastatusSummary(std::span<const SystemRow> rows);

// `hasys -state <system>`: the bare state value on one line.
SysState ParseBareSysState(std::string_view text);

// `hagrp -state`: a "#Group Attribute System Value" header, then
// "<group> State <system> |<value>|" rows.
std::vector<GroupRow> ParseHagrpState(std::string_view text);
std::string FormatHagrpState(std::span<const GroupRow> rows);

// What one full listing (hasys -state, or hastatus -sum's system section)
// typed on `observer` shows: its engine answered, the systems it lists, and
// each one's state. Throws ParseError for a name outside `nodes` or a
// repeated system. Touches no other observer.
void AddListing(Observation& obs, const Nodes& nodes, int observer,
                std::span<const SystemRow> rows);
// `hasys -state <system>` typed on `observer`: one state; the listing stays
// not seen.
void AddBareState(Observation& obs, const Nodes& nodes, int observer, std::string_view system,
                  SysState state);
// `hagrp -state` typed on `observer`: per system, ONLINE when any group row
// says ONLINE, OFFLINE when every row says OFFLINE; any other mix (FAULTED,
// PARTIAL, ...) and systems without rows stay not seen.
void AddGroupStates(Observation& obs, const Nodes& nodes, int observer,
                    std::span<const GroupRow> rows);
// An ha command on `observer` failed with "Cannot connect to VCS engine".
void AddNoEngine(Observation& obs, int observer);

// The rows `observer`'s listing shows, in system order (empty unless its
// listing was seen).
std::vector<SystemRow> RowsFor(const Observation& obs, const Nodes& nodes, int observer);

}  // namespace haspec::vcs_system

#endif  // HASPEC_MODEL_VCS_SYSTEM_CLI_TEXT_H_
