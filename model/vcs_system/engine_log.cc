#include "model/vcs_system/engine_log.h"

#include <cctype>

#include "model/core/parse_error.h"

namespace haspec::vcs_system {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The next blank-separated word of `s` from `pos`, moving `pos` past it.
std::string_view Word(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && IsBlank(s[pos])) ++pos;
  const std::size_t start = pos;
  while (pos < s.size() && !IsBlank(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// `pattern`: '9' a digit, anything else itself.
bool Shaped(std::string_view s, std::string_view pattern) {
  if (s.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (pattern[i] == '9' ? !IsDigit(s[i]) : s[i] != pattern[i]) return false;
  }
  return true;
}

bool Umi(std::string_view s) {
  if (s.size() < 2 || s[0] != 'V' || s[1] != '-') return false;
  int groups = 0;
  std::size_t i = 2;
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start || i - start > 9) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != '-') return false;
    ++i;
    if (i == s.size()) return false;
  }
  return groups == 3;
}

bool Capitals(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool Framing(std::string_view text, char fill) {
  text = Trim(text);
  if (text.size() < 5 || text.front() != '+' || text.back() != '+') return false;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] != fill) return false;
  }
  return true;
}

bool FramingLine(std::string_view text, char fill) {
  if (Framing(text, fill)) return true;
  auto l = SplitEngineLogLine(text);
  return l && Framing(l->message, fill);
}

// Consumes `word` (then blanks) at the front of `s`.
bool Eat(std::string_view& s, std::string_view word) {
  if (s.substr(0, word.size()) != word) return false;
  s.remove_prefix(word.size());
  return true;
}

// A name or state word: no blanks, not empty.
std::string_view Token(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && !IsBlank(s[n])) ++n;
  std::string_view t = s.substr(0, n);
  s.remove_prefix(n);
  return t;
}

}  // namespace

std::optional<EngineLogLine> SplitEngineLogLine(std::string_view line) {
  EngineLogLine l;
  std::size_t pos = 0;
  l.date = Word(line, pos);
  l.time = Word(line, pos);
  if (!Shaped(l.date, "9999/99/99") || !Shaped(l.time, "99:99:99")) return std::nullopt;
  if (Word(line, pos) != "VCS") return std::nullopt;
  l.severity = Word(line, pos);
  if (!Capitals(l.severity)) return std::nullopt;
  l.umi = Word(line, pos);
  if (!Umi(l.umi)) return std::nullopt;
  while (pos < line.size() && IsBlank(line[pos])) ++pos;
  l.message = line.substr(pos);
  return l;
}

std::optional<std::string> EngineLogTime(std::string_view date, std::string_view time,
                                         std::string_view zone) {
  if (!Shaped(date, "9999/99/99") || !Shaped(time, "99:99:99")) return std::nullopt;
  const int month = Num(date.substr(5, 2)), day = Num(date.substr(8, 2));
  const int hour = Num(time.substr(0, 2)), minute = Num(time.substr(3, 2)),
            second = Num(time.substr(6, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(19 + zone.size());
  out.append(date.substr(0, 4)).append("-").append(date.substr(5, 2)).append("-");
  out.append(date.substr(8, 2)).append("T").append(time).append(zone);
  return out;
}

bool OpensEmbeddedOutput(std::string_view text) { return FramingLine(text, '-'); }
bool ClosesEmbeddedOutput(std::string_view text) { return FramingLine(text, '='); }

std::optional<StateChange> ParseStateChange(std::string_view m, std::string_view subject) {
  while (!m.empty() && IsBlank(m.back())) m.remove_suffix(1);
  if (!m.empty() && m.back() == '.') m.remove_suffix(1);
  StateChange c;
  if (!Eat(m, subject) || !Eat(m, " ")) return std::nullopt;
  c.name = Token(m);
  if (c.name.empty()) return std::nullopt;
  if (subject == "System") {
    // " (Node '<digits>')"
    if (!Eat(m, " (Node '")) return std::nullopt;
    std::size_t n = 0;
    while (n < m.size() && n < 9 && IsDigit(m[n])) ++n;
    if (n == 0) return std::nullopt;
    m.remove_prefix(n);
    if (!Eat(m, "')")) return std::nullopt;
  } else if (c.name.size() >= 2 && c.name.front() == '\'' && c.name.back() == '\'') {
    c.name = c.name.substr(1, c.name.size() - 2);
    if (c.name.empty()) return std::nullopt;
  }
  if (!Eat(m, " changed state from ")) return std::nullopt;
  c.from = Token(m);
  if (c.from.empty() || !Eat(m, " to ")) return std::nullopt;
  c.to = Token(m);
  if (c.to.empty() || !m.empty()) return std::nullopt;
  return c;
}

bool EngineLogChanges::Next(Change& out, std::string_view zone) {
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
                         "VCS NOTICE " +
                             std::string(umi_) + " ...\", got \"" + Printable(line) + "\"");
      }
      log_seen_ = true;
    }
    if (OpensEmbeddedOutput(line)) {
      in_output_ = true;
      ++skipped_;
      continue;
    }
    const auto change = l ? ParseStateChange(l->message, subject_) : std::nullopt;
    if (!change) {
      ++skipped_;
      continue;
    }
    out.where = lines_.Where();
    auto t = EngineLogTime(l->date, l->time, zone);
    if (!t) {
      throw ParseError(out.where, "bad time \"" + std::string(l->date) + " " +
                                      std::string(l->time) + "\" (a field is out of range)");
    }
    out.change = *change;
    out.t = std::move(*t);
    out.line = lines_.number();
    return true;
  }
  return false;
}

std::string EngineLogZoneOption(const ImportContext& ctx) {
  const std::string* z = ctx.Option("tz");
  if (!z) return "";
  if (!IsZone(*z)) {
    throw ParseError("--option tz",
                     "expected \"Z\" or \"+HH:MM\" / \"-HH:MM\", got \"" + Printable(*z) + "\"");
  }
  return *z;
}

}  // namespace haspec::vcs_system
