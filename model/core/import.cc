#include "model/core/import.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "model/core/parse_error.h"

namespace haspec {

int ImportContext::Node(const Nodes& nodes, std::string_view name, const std::string& where,
                        std::string_view what) const {
  std::string_view renamed = name;
  if (auto it = node_map.find(name); it != node_map.end()) renamed = it->second;
  if (auto i = nodes.Find(renamed)) return *i;
  std::string problem = "unknown " + std::string(what) + " \"" + Printable(name) + "\"";
  if (renamed != name) problem += " (renamed to \"" + std::string(renamed) + "\")";
  throw ParseError(
      where, problem + " (expected " + nodes.Choices() + "; --node-map LOG=CONFIG renames a node)");
}

std::optional<int> ImportContext::Observer(const Nodes& nodes) const {
  if (const std::string* o = Option("observer")) return Node(nodes, *o, "observer", "node");
  // Directories only, innermost first: a fleet's logs are usually gathered
  // as <host>/engine_A.log.
  std::string_view path = file;
  std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  path = path.substr(0, slash);
  while (!path.empty()) {
    slash = path.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? path : path.substr(slash + 1);
    std::string_view renamed = dir;
    if (auto it = node_map.find(dir); it != node_map.end()) renamed = it->second;
    if (auto i = nodes.Find(renamed)) return *i;
    if (slash == std::string_view::npos) break;
    path = path.substr(0, slash);
  }
  return std::nullopt;
}

int ImportContext::RequireObserver(const Nodes& nodes, const std::string& where,
                                   std::string_view what, std::string_view noun, int max) const {
  std::optional<int> o;
  try {
    o = Observer(nodes);
  } catch (const ParseError& e) {
    throw ParseError("--option " + e.where(), e.problem());
  }
  const std::string n(noun);
  if (!o) {
    throw ParseError(where, "cannot tell which " + n + " " + std::string(what) +
                                ": give --option observer=NAME or keep the file in a directory "
                                "named after the " +
                                n + " (" + nodes.Choices() + ")");
  }
  if (*o >= max) {
    throw ParseError(where, n + " " + nodes.Name(*o) + " is beyond the model's " +
                                std::to_string(max) + " " + n + "s");
  }
  return *o;
}

bool LogLineReader::Next(std::string_view& line) {
  buf_.clear();
  if (pos_ == end_ && (eof_ || !in_.good())) return false;
  bool any = false;
  for (;;) {
    if (pos_ == end_) {
      if (!chunk_) chunk_.reset(new char[kChunk]);
      const std::streamsize n =
          eof_ ? 0 : in_.rdbuf()->sgetn(chunk_.get(), static_cast<std::streamsize>(kChunk));
      if (n <= 0) {
        eof_ = true;
        in_.setstate(std::ios::eofbit);
        if (!any) return false;
        break;
      }
      pos_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    any = true;
    const char* start = chunk_.get() + pos_;
    const std::size_t avail = end_ - pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', avail));
    const std::size_t len = newline ? static_cast<std::size_t>(newline - start) : avail;
    // The first bad character decides, as when reading one at a time: a NUL,
    // or the first character past max_line_ (a NUL there counts as a NUL).
    const auto* nul = static_cast<const char*>(std::memchr(start, '\0', len));
    const std::size_t room = max_line_ - std::min(max_line_, buf_.size());
    if (nul && static_cast<std::size_t>(nul - start) <= room) {
      pos_ += static_cast<std::size_t>(nul - start) + 1;
      ++number_;
      throw ParseError(Where(), "NUL byte at column " +
                                    std::to_string(buf_.size() + (nul - start) + 1) +
                                    ": not a text log");
    }
    if (len > room) {
      pos_ += room + 1;
      ++number_;
      throw ParseError(Where(),
                       "line longer than " + std::to_string(max_line_) + " bytes: not a text log");
    }
    buf_.append(start, len);
    pos_ += len;
    if (newline) {
      ++pos_;
      break;
    }
  }
  ++number_;
  if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
  line = buf_;
  return true;
}

namespace {

bool BlankLine(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// "==> NAME <==" -> NAME.
bool BlockHeaderLine(std::string_view line, std::string_view& name) {
  if (line.substr(0, 4) != "==> " || line.size() < 9 || line.substr(line.size() - 4) != " <==") {
    return false;
  }
  name = line.substr(4, line.size() - 8);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return !name.empty() && name.find_first_of(" \t") == std::string_view::npos;
}

}  // namespace

bool SnapshotReader::Next(Snapshot& out) {
  for (;;) {
    if (done_ && !pending_) return false;
    Snapshot s;
    bool has_header = false, content = false;
    if (pending_) {
      s = std::move(*pending_);
      pending_.reset();
      has_header = true;
    }
    std::size_t bytes = 0;
    std::string_view line;
    while (!done_) {
      if (!lines_.Next(line)) {
        done_ = true;
        break;
      }
      const int n = lines_.number();
      if (line.substr(0, 2) == "@ " || line == "@") {
        Snapshot h;
        h.line = n;
        std::size_t pos = 1;
        while (pos < line.size() && line[pos] == ' ') ++pos;
        std::size_t end = line.find(' ', pos);
        if (end == std::string_view::npos) end = line.size();
        h.t = std::string(line.substr(pos, end - pos));
        if (!IsIso8601(h.t)) {
          throw ParseError(lines_.Where(), "bad snapshot time \"" + Printable(h.t) +
                                               "\" (expected \"@ <ISO 8601 time> ...\", such as "
                                               "\"@ 2024-05-01T10:00:00Z\")");
        }
        while (end < line.size() && line[end] == ' ') ++end;
        h.label = std::string(line.substr(end));
        if (!has_header && !content) {
          s = std::move(h);
          has_header = true;
          continue;
        }
        pending_ = std::move(h);
        break;
      }
      if (line.substr(0, 2) == "$ " || line.substr(0, 2) == "# " || line == "#") {
        ++skipped_;
        continue;
      }
      std::string_view name;
      if (BlockHeaderLine(line, name)) {
        s.blocks.push_back({std::string(name), n + 1, ""});
        if (s.line == 0) s.line = n;
        continue;
      }
      if (s.blocks.empty()) {
        if (BlankLine(line)) continue;
        s.blocks.push_back({"", n, ""});
        if (s.line == 0) s.line = n;
      }
      bytes += line.size() + 1;
      if (bytes > max_bytes_) {
        throw ParseError(lines_.Where(), "snapshot longer than " + std::to_string(max_bytes_) +
                                             " bytes (from line " + std::to_string(s.line) + ")");
      }
      s.blocks.back().text.append(line).push_back('\n');
      if (!BlankLine(line)) content = true;
    }
    if (has_header || content) {
      out = std::move(s);
      return true;
    }
  }
}

std::string ShiftWhere(const std::string& where, int first_line) {
  if (where.rfind("line ", 0) == 0) {
    const std::string digits = where.substr(5);
    if (!digits.empty() && digits.size() < 10 &&
        digits.find_first_not_of("0123456789") == std::string::npos) {
      return "line " + std::to_string(std::stol(digits) + first_line - 1);
    }
  }
  const std::string at = "line " + std::to_string(first_line);
  return where.empty() ? at : at + ": " + where;
}

namespace {

bool Digits(std::string_view s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Two(std::string_view s, std::size_t from) { return (s[from] - '0') * 10 + (s[from + 1] - '0'); }

}  // namespace

bool IsZone(std::string_view z) {
  if (z == "Z") return true;
  return z.size() == 6 && (z[0] == '+' || z[0] == '-') && Digits(z, 1, 2) && z[3] == ':' &&
         Digits(z, 4, 2) && Two(z, 1) <= 23 && Two(z, 4) <= 59;
}

bool IsIso8601(std::string_view t) {
  if (t.size() < 19 || !Digits(t, 0, 4) || t[4] != '-' || !Digits(t, 5, 2) || t[7] != '-' ||
      !Digits(t, 8, 2) || t[10] != 'T' || !Digits(t, 11, 2) || t[13] != ':' || !Digits(t, 14, 2) ||
      t[16] != ':' || !Digits(t, 17, 2)) {
    return false;
  }
  // Second 60 is a leap second.
  if (Two(t, 5) < 1 || Two(t, 5) > 12 || Two(t, 8) < 1 || Two(t, 8) > 31 || Two(t, 11) > 23 ||
      Two(t, 14) > 59 || Two(t, 17) > 60) {
    return false;
  }
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    std::size_t start = ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == start || i - start > 9) return false;
  }
  return i == t.size() || IsZone(t.substr(i));
}

std::string Printable(std::string_view s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace haspec
