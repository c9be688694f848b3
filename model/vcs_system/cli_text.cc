#include "model/vcs_system/cli_text.h"

#include <cstdio>

#include "model/core/parse_error.h"

namespace haspec::vcs_system {
namespace {

struct Line {
  int number;  // 1-based
  std::string_view text;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> out;
  int n = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back({++n, line});
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    std::size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string Where(const Line& l) { return "line " + std::to_string(l.number); }

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

SysState StateValue(std::string_view s, const std::string& where) {
  if (auto v = kSysStateNames.Parse(s)) return *v;
  throw ParseError(
      where, "unknown system state " + Quoted(s) + " (expected " + kSysStateNames.Choices() + ")");
}

void CheckNew(const std::vector<SystemRow>& rows, std::string_view name, const std::string& where) {
  for (const SystemRow& r : rows) {
    if (r.system == name) throw ParseError(where, "system " + Quoted(name) + " appears twice");
  }
}

std::string Pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

}  // namespace

std::vector<SystemRow> ParseHasysState(std::string_view text) {
  std::vector<SystemRow> rows;
  bool header = false;
  for (const Line& l : SplitLines(text)) {
    auto f = Fields(l.text);
    if (f.empty()) continue;
    if (!header) {
      if (f.size() != 3 || f[0] != "#System" || f[1] != "Attribute" || f[2] != "Value") {
        throw ParseError(Where(l),
                         "expected the header \"#System Attribute Value\", got " + Quoted(l.text));
      }
      header = true;
      continue;
    }
    if (f.size() != 3) {
      throw ParseError(Where(l), "expected \"<system> SysState <state>\" (3 columns), got " +
                                     std::to_string(f.size()) + " column(s): " + Quoted(l.text));
    }
    if (f[1] != "SysState") {
      throw ParseError(Where(l), "expected the attribute SysState, got " + Quoted(f[1]));
    }
    CheckNew(rows, f[0], Where(l));
    rows.push_back({std::string(f[0]), StateValue(f[2], Where(l)), false});
  }
  if (!header)
    throw ParseError("line 1", "empty output: expected the header \"#System Attribute Value\"");
  return rows;
}

std::string FormatHasysState(std::span<const SystemRow> rows) {
  std::string out = Pad("#System", 16) + " " + Pad("Attribute", 14) + " Value\n";
  for (const SystemRow& r : rows) {
    out += Pad(r.system, 16) + " " + Pad("SysState", 14) + " " +
           std::string(kSysStateNames.Name(r.state)) + "\n";
  }
  return out;
}

std::vector<SystemRow> ParseHastatusSummary(std::string_view text) {
  std::vector<SystemRow> rows;
  enum { kBefore, kHeader, kRows, kAfter } where = kBefore;
  for (const Line& l : SplitLines(text)) {
    auto f = Fields(l.text);
    if (f.empty()) continue;
    const bool section = f[0] == "--";
    switch (where) {
      case kBefore:
        if (section && f.size() == 3 && f[1] == "SYSTEM" && f[2] == "STATE") where = kHeader;
        break;
      case kHeader:
        if (!section || f.size() != 4 || f[1] != "System" || f[2] != "State" || f[3] != "Frozen") {
          throw ParseError(Where(l), "expected the column header \"-- System State Frozen\", got " +
                                         Quoted(l.text));
        }
        where = kRows;
        break;
      case kRows:
        if (section) {
          where = kAfter;
          break;
        }
        if (f[0] != "A") {
          throw ParseError(Where(l),
                           "expected a system row starting with \"A\", got " + Quoted(l.text));
        }
        if (f.size() != 4) {
          throw ParseError(Where(l), "expected \"A <system> <state> <frozen>\" (4 columns), got " +
                                         std::to_string(f.size()) +
                                         " column(s): " + Quoted(l.text));
        }
        if (f[3] != "0" && f[3] != "1") {
          throw ParseError(Where(l), "Frozen must be 0 or 1, got " + Quoted(f[3]));
        }
        CheckNew(rows, f[1], Where(l));
        rows.push_back({std::string(f[1]), StateValue(f[2], Where(l)), f[3] == "1"});
        break;
      case kAfter:
        break;
    }
  }
  if (where == kBefore)
    throw ParseError("", "no \"-- SYSTEM STATE\" section in the hastatus -sum output");
  if (where == kHeader) {
    throw ParseError(
        "", "the \"-- SYSTEM STATE\" section ends before its \"-- System State Frozen\" header");
  }
  return rows;
}

std::string FormatHastatusSummary(std::span<const SystemRow> rows) {
  std::string out =
      "-- SYSTEM STATE\n-- " + Pad("System", 20) + " " + Pad("State", 20) + " Frozen\n\n";
  for (const SystemRow& r : rows) {
    out += "A  " + Pad(r.system, 20) + " " + Pad(kSysStateNames.Name(r.state), 20) + " " +
           (r.frozen ? "1" : "0") + "\n";
  }
  return out;
}

SysState ParseBareSysState(std::string_view text) {
  std::vector<std::string_view> words;
  int line = 0;
  for (const Line& l : SplitLines(text)) {
    auto f = Fields(l.text);
    if (f.empty()) continue;
    if (!words.empty() || f.size() != 1) {
      throw ParseError(Where(l), "expected one state value for one system, got " + Quoted(l.text));
    }
    words = f;
    line = l.number;
  }
  if (words.empty())
    throw ParseError("line 1", "empty output: expected a system state such as RUNNING");
  return StateValue(words[0], "line " + std::to_string(line));
}

std::vector<GroupRow> ParseHagrpState(std::string_view text) {
  std::vector<GroupRow> rows;
  bool header = false;
  for (const Line& l : SplitLines(text)) {
    auto f = Fields(l.text);
    if (f.empty()) continue;
    if (!header) {
      if (f.size() != 4 || f[0] != "#Group" || f[1] != "Attribute" || f[2] != "System" ||
          f[3] != "Value") {
        throw ParseError(Where(l), "expected the header \"#Group Attribute System Value\", got " +
                                       Quoted(l.text));
      }
      header = true;
      continue;
    }
    if (f.size() < 4) {
      throw ParseError(Where(l), "expected \"<group> State <system> |<value>|\", got " +
                                     std::to_string(f.size()) + " column(s): " + Quoted(l.text));
    }
    if (f[1] != "State")
      throw ParseError(Where(l), "expected the attribute State, got " + Quoted(f[1]));
    // The value may hold spaces ("|OFFLINE|STATE UNKNOWN|"): the rest of the line.
    std::string_view rest = l.text.substr(static_cast<std::size_t>(f[3].data() - l.text.data()));
    while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
    if (rest.size() < 2 || rest.front() != '|' || rest.back() != '|') {
      throw ParseError(Where(l), "expected the value between pipes, got " + Quoted(rest));
    }
    rest = rest.substr(1, rest.size() - 2);
    rows.push_back({std::string(f[0]), std::string(f[2]), std::string(rest)});
  }
  if (!header) {
    throw ParseError("line 1",
                     "empty output: expected the header \"#Group Attribute System Value\"");
  }
  return rows;
}

std::string FormatHagrpState(std::span<const GroupRow> rows) {
  std::string out =
      Pad("#Group", 16) + " " + Pad("Attribute", 14) + " " + Pad("System", 20) + " Value\n";
  for (const GroupRow& r : rows) {
    out += Pad(r.group, 16) + " " + Pad("State", 14) + " " + Pad(r.system, 20) + " |" + r.value +
           "|\n";
  }
  return out;
}

namespace {

int SystemIndex(const Nodes& nodes, int observer, std::string_view name) {
  if (auto i = nodes.Find(name)) return *i;
  throw ParseError(nodes.Name(observer),
                   "unknown system " + Quoted(name) + " (expected " + nodes.Choices() + ")");
}

void CheckObserver(const Nodes& nodes, int observer) {
  if (observer < 0 || observer >= static_cast<int>(nodes.size()) || observer >= kMaxSystems) {
    throw ParseError("observer", "system #" + std::to_string(observer) +
                                     " is not in the configuration (" + nodes.Choices() + ")");
  }
}

}  // namespace

void AddListing(Observation& obs, const Nodes& nodes, int observer,
                std::span<const SystemRow> rows) {
  CheckObserver(nodes, observer);
  if (rows.empty()) {
    throw ParseError(nodes.Name(observer),
                     "no system rows: a running engine lists at least itself");
  }
  SystemSet listed = 0;
  std::array<std::optional<SysState>, kMaxSystems> states{};
  for (const SystemRow& r : rows) {
    const int id = SystemIndex(nodes, observer, r.system);
    if (listed & (1u << id)) {
      throw ParseError(nodes.Name(observer), "system " + Quoted(r.system) + " appears twice");
    }
    listed = static_cast<SystemSet>(listed | (1u << id));
    states[id] = r.state;
  }
  obs.answered[observer] = true;
  obs.listed[observer] = listed;
  obs.state[observer] = states;
}

void AddBareState(Observation& obs, const Nodes& nodes, int observer, std::string_view system,
                  SysState state) {
  CheckObserver(nodes, observer);
  const int id = SystemIndex(nodes, observer, system);
  obs.answered[observer] = true;
  obs.state[observer][id] = state;
}

void AddGroupStates(Observation& obs, const Nodes& nodes, int observer,
                    std::span<const GroupRow> rows) {
  CheckObserver(nodes, observer);
  std::array<int, kMaxSystems> online{}, offline{}, other{};
  for (const GroupRow& r : rows) {
    const int id = SystemIndex(nodes, observer, r.system);
    if (r.value == "ONLINE") {
      ++online[id];
    } else if (r.value == "OFFLINE") {
      ++offline[id];
    } else {
      ++other[id];
    }
  }
  obs.answered[observer] = true;
  for (int j = 0; j < kMaxSystems; ++j) {
    if (online[j] > 0) {
      obs.groups_online[observer][j] = true;
    } else if (offline[j] > 0 && other[j] == 0) {
      obs.groups_online[observer][j] = false;
    }
  }
}

void AddNoEngine(Observation& obs, int observer) {
  if (observer < 0 || observer >= kMaxSystems) {
    throw ParseError("observer", "system #" + std::to_string(observer) + " is out of range");
  }
  obs.answered[observer] = false;
}

std::vector<SystemRow> RowsFor(const Observation& obs, const Nodes& nodes, int observer) {
  std::vector<SystemRow> rows;
  if (!obs.listed[observer]) return rows;
  for (int j = 0; j < kMaxSystems; ++j) {
    if ((*obs.listed[observer] & (1u << j)) && obs.state[observer][j]) {
      rows.push_back({nodes.Name(j), *obs.state[observer][j], false});
    }
  }
  return rows;
}

}  // namespace haspec::vcs_system
