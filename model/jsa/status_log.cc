#include "model/jsa/status_log.h"

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "model/core/import.h"
#include "model/core/parse_error.h"

namespace haspec::jsa {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string StatusChoices() {
  std::string out;
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (i) out += (i + 1 == kStatusNames.size()) ? " or " : ", ";
    out += kStatusNames.entries[i].label;
  }
  return out;
}

bool HostNameOk(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      return false;
  }
  return true;
}

bool Digits(std::string_view s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// Two digits at `from` read as a number in [lo, hi]; the caller checked they
// are digits.
bool InRange(std::string_view s, std::size_t from, int lo, int hi) {
  const int v = (s[from] - '0') * 10 + (s[from + 1] - '0');
  return v >= lo && v <= hi;
}

// "YYYY-MM-DDTHH:MM:SS[.fff]Z" -> the fixed part and the fraction padded to
// nine digits, which compare in time order; nullopt if malformed or a field
// is out of range (month 13, hour 24, ...).
std::optional<std::pair<std::string, std::string>> TimeKey(std::string_view t) {
  if (t.size() < 20 || !Digits(t, 0, 4) || t[4] != '-' || !Digits(t, 5, 2) || t[7] != '-' ||
      !Digits(t, 8, 2) || t[10] != 'T' || !Digits(t, 11, 2) || t[13] != ':' || !Digits(t, 14, 2) ||
      t[16] != ':' || !Digits(t, 17, 2) || t.back() != 'Z') {
    return std::nullopt;
  }
  // Second 60 is a leap second.
  if (!InRange(t, 5, 1, 12) || !InRange(t, 8, 1, 31) || !InRange(t, 11, 0, 23) ||
      !InRange(t, 14, 0, 59) || !InRange(t, 17, 0, 60)) {
    return std::nullopt;
  }
  std::string_view frac = t.substr(19, t.size() - 20);
  if (!frac.empty()) {
    if (frac[0] != '.' || frac.size() < 2 || frac.size() > 10 ||
        !Digits(frac, 1, frac.size() - 1)) {
      return std::nullopt;
    }
    frac.remove_prefix(1);
  }
  std::string padded(frac);
  padded.resize(9, '0');
  return std::make_pair(std::string(t.substr(0, 19)), padded);
}

struct LineParser {
  std::string_view text;
  std::size_t pos = 0;
  std::string where;

  [[noreturn]] void Fail(const std::string& problem) const { throw ParseError(where, problem); }

  void SkipSpaces() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  std::string_view Token() {
    std::size_t start = pos;
    while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') ++pos;
    return text.substr(start, pos - start);
  }
  // A value: quoted, or up to the next blank; a `multi_word` value runs on
  // over further words up to the next key=value field ("Needs License").
  std::string Value(std::string_view key, bool multi_word) {
    if (pos < text.size() && text[pos] == '"') {
      std::size_t close = text.find('"', pos + 1);
      if (close == std::string_view::npos) Fail(std::string(key) + "= has an unterminated quote");
      std::string v(text.substr(pos + 1, close - pos - 1));
      pos = close + 1;
      if (pos < text.size() && text[pos] != ' ' && text[pos] != '\t') {
        Fail("expected a blank after the closing quote of " + std::string(key) + "=");
      }
      return v;
    }
    std::string v(Token());
    while (multi_word) {
      std::size_t word = pos;
      while (word < text.size() && (text[word] == ' ' || text[word] == '\t')) ++word;
      std::size_t end = text.find_first_of(" \t", word);
      std::string_view next = text.substr(word, end == std::string_view::npos ? end : end - word);
      if (next.empty() || next.find('=') != std::string_view::npos) break;
      v += " ";
      v += next;
      pos = word + next.size();
    }
    return v;
  }
};

}  // namespace

std::optional<StatusLine> StatusLineReader::Read(std::string_view raw, int number) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  LineParser p{raw, 0, "line " + std::to_string(number)};
  p.SkipSpaces();
  if (p.pos == raw.size() || raw[p.pos] == '#') return std::nullopt;
  StatusLine l;
  l.line = number;
  l.timestamp = std::string(p.Token());
  auto key = TimeKey(l.timestamp);
  if (!key) {
    p.Fail("bad timestamp " + Quoted(l.timestamp) +
           " (expected UTC ISO 8601 such as 2024-05-01T10:00:00Z)");
  }
  bool have_host = false, have_role = false, have_status = false;
  for (p.SkipSpaces(); p.pos < raw.size(); p.SkipSpaces()) {
    std::size_t eq = raw.find('=', p.pos);
    std::size_t blank = raw.find_first_of(" \t", p.pos);
    if (eq == std::string_view::npos || (blank != std::string_view::npos && blank < eq)) {
      p.Fail("expected key=value, got " + Quoted(raw.substr(p.pos, blank - p.pos)));
    }
    std::string_view k = raw.substr(p.pos, eq - p.pos);
    p.pos = eq + 1;
    if (k == "host") {
      if (have_host) p.Fail("host= given twice");
      l.host = p.Value(k, false);
      if (!HostNameOk(l.host)) {
        p.Fail("bad host name " + Quoted(l.host) + " (expected letters, digits, '.', '-' or '_')");
      }
      have_host = true;
    } else if (k == "role") {
      if (have_role) p.Fail("role= given twice");
      std::string v = p.Value(k, false);
      auto r = kRoleNames.Parse(v);
      if (!r) p.Fail("unknown role " + Quoted(v) + " (expected primary or secondary)");
      l.role = *r;
      have_role = true;
    } else if (k == "status") {
      if (have_status) p.Fail("status= given twice");
      std::string v = p.Value(k, true);
      auto st = kStatusNames.Parse(v);
      if (!st) {
        ThrowUnknownName(p.where,
                         "unknown status " + Quoted(v) + " (expected " + StatusChoices() + ")", v);
      }
      l.status = *st;
      have_status = true;
    } else {
      p.Fail("unknown field " + Quoted(k) + " (expected host, role or status)");
    }
  }
  if (!have_host) p.Fail("missing host=");
  if (!have_role) p.Fail("missing role=");
  if (!have_status) p.Fail("missing status=");
  if (have_time_ && key->first + key->second < last_time_) {
    p.Fail("timestamp " + l.timestamp + " is earlier than line " + std::to_string(last_time_line_) +
           "'s");
  }
  have_time_ = true;
  last_time_ = key->first + key->second;
  last_time_line_ = number;
  const int r = static_cast<int>(l.role);
  if (nodes_ && l.host != nodes_->Name(r)) {
    p.Fail("host " + Quoted(l.host) + " is not the configured " + std::string(HostName(r)) + " " +
           Quoted(nodes_->Name(r)));
  }
  for (int other = 0; other < kHosts; ++other) {
    if (other != r && host_of_role_[other] == l.host) {
      p.Fail("host " + Quoted(l.host) + " is the " + std::string(HostName(other)) + " since line " +
             std::to_string(role_line_[other]) + ", not the " + std::string(HostName(r)));
    }
  }
  if (host_of_role_[r].empty()) {
    host_of_role_[r] = l.host;
    role_line_[r] = number;
  } else if (host_of_role_[r] != l.host) {
    p.Fail("the " + std::string(HostName(r)) + " is " + Quoted(host_of_role_[r]) + " (line " +
           std::to_string(role_line_[r]) + "), not " + Quoted(l.host));
  }
  return l;
}

std::vector<StatusLine> ParseStatusLog(std::string_view text, const Nodes* nodes) {
  std::vector<StatusLine> out;
  StatusLineReader reader(nodes);
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (auto l = reader.Read(raw, number)) out.push_back(std::move(*l));
    if (end == text.size()) break;
  }
  return out;
}

std::string FormatStatusLog(std::span<const StatusLine> lines) {
  std::string out;
  for (const StatusLine& l : lines) {
    std::string_view label = kStatusNames.Label(l.status);
    out += l.timestamp + " host=" + l.host + " role=" + std::string(kRoleNames.Name(l.role)) +
           " status=";
    if (label.find(' ') != std::string_view::npos) {
      out += Quoted(label);
    } else {
      out += label;
    }
    out += "\n";
  }
  return out;
}

std::vector<TimedObservation> ObservationsFromLog(std::span<const StatusLine> lines) {
  std::vector<TimedObservation> out;
  Observation current;
  auto flush = [&](const StatusLine& last) {
    out.push_back({last.timestamp, last.line, current});
    current = Observation{};
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const StatusLine& l = lines[i];
    const int r = static_cast<int>(l.role);
    if (current.hosts[r].status) flush(lines[i - 1]);  // the same role twice in one group
    current.hosts[r].status = l.status;
    if (r == kSecondary) current.secondary = true;
    if (i + 1 == lines.size() || lines[i + 1].timestamp != l.timestamp) flush(l);
  }
  return out;
}

void AppendObservation(std::vector<StatusLine>& out, std::string_view timestamp,
                       const Observation& obs, const std::array<std::string, kHosts>& names) {
  for (int h = 0; h < kHosts; ++h) {
    if (!obs.hosts[h].status) continue;
    StatusLine l;
    l.timestamp = std::string(timestamp);
    l.host = names[h];
    l.role = static_cast<Role>(h);
    l.status = *obs.hosts[h].status;
    out.push_back(std::move(l));
  }
}

}  // namespace haspec::jsa
