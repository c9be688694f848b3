// Trace format v1 (docs/trace-format.md): the streaming reader behind
// `haspec replay` and `haspec shrink`.
//
// JSON Lines; '#' comment lines and blank lines are skipped. An optional
// header (the first line that is not a comment) names the format version
// and the machine, and may give a configuration, a node-name map, a source
// and a profile. Every other line is an event: an op (a field given as null
// is unknown: every value of its domain), its result when known, a partial
// observation, a timestamp "t", the "src" of the original log line, an
// "expect". Version 0 traces (docs/op-traces.md, no header) read the same.
//
//   TraceReader<Dsm> r("cluster.jsonl", {});          // throws InputError
//   r.Start(config.nodes);                            // after r.header()
//   TraceItem<Dsm> item;
//   while (r.Next(item)) {
//     if (item.bad) report(item.problem); else feed(item.event);
//   }
//
// The reader holds one line at a time, so memory does not grow with the
// trace. A line longer than ReaderOptions::max_line_bytes is refused
// without being held whole (it is skipped to its end in fixed chunks).
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_TRACE_H_
#define HASPEC_ENGINE_TRACE_H_

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/op_trace.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"

namespace haspec {

struct ReaderOptions {
  // Longest line read (bytes, without its newline). A longer one is bad
  // input; the reader skips it without holding it.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  // Most op alternatives one line's unknown (null) fields may stand for.
  std::size_t max_alternatives = 4096;
};

// ---- Lines ----------------------------------------------------------------

// Reads a file line by line through a fixed buffer.
class TraceLineReader {
 public:
  TraceLineReader(std::FILE* f, std::size_t max_line) : f_(f), max_(max_line), buf_(1 << 16) {}

  struct Line {
    int number = 0;
    bool too_long = false;      // longer than the limit; text is empty
    bool unterminated = false;  // the file ends without a newline after it
  };

  // The next line (without "\n" or "\r\n") into `text`; false at the end.
  bool Next(std::string& text, Line& line) {
    text.clear();
    line = {};
    bool any = false;
    std::size_t length = 0;
    for (;;) {
      if (pos_ == end_) {
        if (eof_ || !Fill()) {
          if (!any) return false;
          line.unterminated = true;
          break;
        }
      }
      any = true;
      const char* start = buf_.data() + pos_;
      const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
      length += n;
      if (length > max_) {
        line.too_long = true;
        text.clear();
      } else {
        text.append(start, n);
      }
      pos_ += n + (nl ? 1 : 0);
      if (nl) break;
    }
    line.number = ++number_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return true;
  }

  bool error() const { return error_; }

 private:
  bool Fill() {
    pos_ = 0;
    end_ = std::fread(buf_.data(), 1, buf_.size(), f_);
    if (end_ == 0) {
      eof_ = true;
      error_ = std::ferror(f_) != 0;
      return false;
    }
    return true;
  }

  std::FILE* f_;
  std::size_t max_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, error_ = false;
  int number_ = 0;
};

// The byte offset of the first invalid UTF-8 sequence in `s`, or npos.
inline std::size_t InvalidUtf8At(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = cp << 6 | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// ---- Timestamps -------------------------------------------------------------

// Microseconds since 1970-01-01T00:00:00Z of an ISO 8601 date-time:
// YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM] (a space may stand for
// the T; no zone reads as UTC). nullopt when malformed.
inline std::optional<std::int64_t> ParseTimestamp(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&](int count, int& out) {
    out = 0;
    for (int k = 0; k < count; ++k, ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  auto lit = [&](char c) { return i < s.size() && s[i++] == c; };
  int y, mo, d, h, mi, sec;
  if (!digits(4, y) || !lit('-') || !digits(2, mo) || !lit('-') || !digits(2, d)) {
    return std::nullopt;
  }
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return std::nullopt;
  ++i;
  if (!digits(2, h) || !lit(':') || !digits(2, mi) || !lit(':') || !digits(2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::int64_t micros = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    int n = 0;
    std::int64_t scale = 100000;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (n < 6) micros += (s[i] - '0') * scale;
      scale /= 10;
      ++n;
      ++i;
    }
    if (n == 0) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh, om;
      if (!digits(2, oh)) return std::nullopt;
      if (i < s.size() && s[i] == ':') ++i;
      if (!digits(2, om) || oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  if (i != s.size()) return std::nullopt;
  // Days from the civil date (proleptic Gregorian calendar).
  const int yy = mo <= 2 ? y - 1 : y;
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset;
  return secs * 1'000'000 + micros;
}

// ---- Events -----------------------------------------------------------------

template <Machine M>
struct TraceEvent {
  int line = 0;
  std::string src;                // "FILE:LINE" of the original log line, if given
  std::optional<std::int64_t> t;  // microseconds since the epoch (UTC)
  std::string t_text;
  // The op; several when fields were given as null (unknown): one per
  // value combination. Empty for a snapshot (an observation alone).
  std::vector<typename M::Op> ops;
  bool unknown_fields = false;
  std::optional<bool> accepted;  // the "result", when known
  std::optional<typename M::RuleId> reason;
  std::string expect;  // "" when the line states none
  std::optional<typename M::Observation> obs;
  // Unknown status names found in "obs" (vocabulary drift), each
  // "path: NAME"; they were removed, so obs holds the rest.
  std::vector<std::string> drift;
  std::string text;  // the line as read (cut to kTextCut bytes), for reports
  static constexpr std::size_t kTextCut = 400;
};

namespace trace_internal {

// Removes the value at a codec error path ("nodes.n1.status",
// "hosts[0].status") from `j`; false when the path does not resolve.
inline bool ErasePath(nlohmann::json& j, std::string_view path) {
  nlohmann::json* cur = &j;
  std::string key;
  nlohmann::json* parent = nullptr;
  std::string last;
  std::optional<std::size_t> last_index;
  std::size_t i = 0;
  while (i <= path.size()) {
    if (i == path.size() || path[i] == '.' || path[i] == '[') {
      if (!key.empty()) {
        if (!cur->is_object() || !cur->contains(key)) return false;
        parent = cur;
        last = key;
        last_index.reset();
        cur = &(*cur)[key];
        key.clear();
      }
      if (i < path.size() && path[i] == '[') {
        const auto close = path.find(']', i);
        if (close == std::string_view::npos) return false;
        const auto idx = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
        if (!cur->is_array() || idx >= cur->size()) return false;
        parent = cur;
        last_index = idx;
        cur = &(*cur)[idx];
        i = close + 1;
        continue;
      }
      ++i;
      continue;
    }
    key += path[i++];
  }
  if (!parent) return false;
  if (last_index) {
    parent->erase(*last_index);
  } else {
    parent->erase(last);
  }
  return true;
}

// The op a line describes, expanded over its null (unknown) fields.
template <class Op>
std::vector<Op> OpsFromJson(nlohmann::json& j, const Nodes& nodes, std::size_t max_alternatives,
                            bool& unknown_fields) {
  std::vector<Op> out;
  const auto name_it = j.find("op");
  if (name_it == j.end() || !name_it->is_string()) {
    out.push_back(OpFromJson<Op>(j, nodes));  // throws the codec's own error
    return out;
  }
  const std::string name = name_it->template get<std::string>();
  bool any_null = false;
  for (const auto& v : j) any_null = any_null || v.is_null();
  if (!any_null) {
    out.push_back(OpFromJson<Op>(j, nodes));
    return out;
  }
  bool found = false;
  ForEachOpType<Op>([&]<class T>(std::size_t) {
    if (found || name != T::kName) return;
    found = true;
    std::vector<std::string_view> unknown;
    ForEachField<T>([&](const auto& f) {
      auto it = j.find(std::string(f.name));
      if (it == j.end() || !it->is_null()) return;
      if (f.domain.Count(nodes) == 0) throw ParseError(std::string(f.name), "empty domain");
      unknown.push_back(f.name);
      *it = op_codec_internal::ValueToJson(f.domain, f.domain.At(0, nodes), nodes);
    });
    out.push_back(OpFromJson<Op>(j, nodes));
    ForEachField<T>([&](const auto& f) {
      if (std::find(unknown.begin(), unknown.end(), f.name) == unknown.end()) return;
      std::vector<Op> next;
      for (const Op& a : out) {
        for (std::size_t i = 0; i < f.domain.Count(nodes); ++i) {
          T t = std::get<T>(a);
          f.Set(t, f.domain.At(i, nodes));
          next.push_back(Op{t});
          if (next.size() > max_alternatives) {
            throw ParseError(std::string(f.name), "the unknown (null) fields stand for more than " +
                                                      std::to_string(max_alternatives) + " ops");
          }
        }
      }
      out = std::move(next);
    });
    unknown_fields = !unknown.empty();
  });
  if (!found) out.push_back(OpFromJson<Op>(j, nodes));  // unknown op: the codec's error
  return out;
}

inline constexpr std::string_view kSnapshotKeys[] = {"obs",    "t",    "src", "comment", "note",
                                                     "source", "line", "ts",  "event"};

}  // namespace trace_internal

// Decodes one event line (already parsed). Throws ParseError naming the
// field; unknown status names in "obs" are not errors but listed in
// ev.drift (and removed).
template <CodecMachine M>
void EventFromJson(nlohmann::json& j, const Nodes& nodes, const ReaderOptions& opt,
                   TraceEvent<M>& ev) {
  using RuleId = typename M::RuleId;
  if (!j.is_object()) {
    throw ParseError("", "expected a JSON object (an event), got " + std::string(j.type_name()));
  }
  if (IsHeaderLine(j)) {
    throw ParseError("haspec_trace", "a header may only be the first line that is not a comment");
  }
  if (auto it = j.find("t"); it != j.end()) {
    if (!it->is_string()) {
      throw ParseError(
          "t", "expected an ISO 8601 timestamp string, got " + std::string(it->type_name()));
    }
    ev.t_text = it->template get<std::string>();
    ev.t = ParseTimestamp(ev.t_text);
    if (!ev.t) {
      throw ParseError(
          "t", "not an ISO 8601 timestamp (e.g. 2025-01-12T10:01:02Z): \"" + ev.t_text + "\"");
    }
  }
  if (auto it = j.find("src"); it != j.end()) {
    if (!it->is_string()) {
      throw ParseError("src",
                       "expected a string \"FILE:LINE\", got " + std::string(it->type_name()));
    }
    ev.src = it->template get<std::string>();
  }
  const bool has_op = j.contains("op");
  if (auto it = j.find("obs"); it != j.end()) {
    // Unknown status names: report as drift, drop them, read the rest.
    for (int tries = 0;; ++tries) {
      try {
        ev.obs = op_trace_internal::ObservationOfLine<M>(*it, nodes);
        break;
      } catch (const ParseError& e) {
        if (e.unknown_status().empty() || tries > 64) throw;
        const std::string path = e.where().substr(e.where().find('.') + 1);
        if (e.where().rfind("obs.", 0) != 0 || !trace_internal::ErasePath(*it, path)) throw;
        ev.drift.push_back(e.where() + ": \"" + e.unknown_status() + "\"");
      }
    }
  } else if (!has_op) {
    throw ParseError("", "neither an op nor an observation (\"op\" or \"obs\")");
  }
  if (!has_op) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::find(std::begin(trace_internal::kSnapshotKeys),
                    std::end(trace_internal::kSnapshotKeys),
                    it.key()) == std::end(trace_internal::kSnapshotKeys)) {
        throw ParseError(it.key(),
                         it.key() == "expect" || it.key() == "result" || it.key() == "reason"
                             ? "an observation alone (no op) has no answer"
                             : "unknown field of a snapshot (expected obs, t, src)");
      }
    }
    return;
  }
  if (auto it = j.find("result"); it != j.end()) {
    const std::string r = it->is_string() ? it->template get<std::string>() : "";
    if (r == "accepted") {
      ev.accepted = true;
    } else if (r == "rejected") {
      ev.accepted = false;
    } else if (r != "unknown") {
      throw ParseError("result", "expected accepted, rejected or unknown, got " + it->dump());
    }
  }
  if (auto it = j.find("reason"); it != j.end()) {
    if (ev.accepted != std::optional<bool>(false)) {
      throw ParseError("reason", "only a rejected result has a reason");
    }
    const auto* rule =
        it->is_string() ? FindRule(M::Rules(), it->template get<std::string>()) : nullptr;
    if (!rule) {
      throw ParseError("reason", it->dump() + " is no rule ID of " + std::string(M::kName));
    }
    ev.reason = static_cast<RuleId>(rule - M::Rules().data());
  }
  if (auto it = j.find("expect"); it != j.end()) {
    if (!it->is_string()) {
      throw ParseError("expect", "expected a string, got " + std::string(it->type_name()));
    }
    ev.expect = it->template get<std::string>();
    if (ev.expect != "accepted" && ev.expect != "rejected" && !FindRule(M::Rules(), ev.expect)) {
      throw ParseError("expect", "\"" + ev.expect + "\" is neither accepted, rejected nor a " +
                                     "rule ID of " + std::string(M::kName));
    }
  }
  ev.ops = trace_internal::OpsFromJson<typename M::Op>(j, nodes, opt.max_alternatives,
                                                       ev.unknown_fields);
}

// One item of a trace: an event, or a bad line (with the problem).
template <Machine M>
struct TraceItem {
  TraceEvent<M> event;
  bool bad = false;
  int line = 0;
  std::string problem;  // "field: what is wrong" for a bad line
};

// A directive comment of a bundled trace: "# expect-violation: RULE-ID",
// "# expect-departure: RULE-ID", "# expect-drift", "# expect-bad-input".
struct TraceDirective {
  int line = 0;
  std::string kind;   // "violation", "departure", "drift", "bad-input"
  std::string value;  // the rule ID, if any
};

// Streams one trace file. Construction opens it and reads up to the first
// line that is not a comment (the header, if any); Start(nodes) gives the
// configuration's node names (after the caller chose the configuration,
// which the header may carry); Next() yields the items.
template <CodecMachine M>
class TraceReader {
 public:
  // Throws InputError when the file cannot be read at all (missing, a
  // directory, empty, not a trace).
  TraceReader(std::string path, const ReaderOptions& opt) : path_(std::move(path)), opt_(opt) {
    std::error_code ec;
    if (std::filesystem::is_directory(path_, ec)) {
      throw InputError(path_, 0, "is a directory, not a trace file");
    }
    file_.reset(std::fopen(path_.c_str(), "rb"));
    if (!file_) throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
    lines_ = std::make_unique<TraceLineReader>(file_.get(), opt_.max_line_bytes);
    // The first line that is not a comment: the header or the first event.
    while (lines_->Next(text_, info_)) {
      if (IsSkipped(text_, info_)) continue;
      pending_ = true;
      if (info_.too_long) break;
      nlohmann::json j;
      if (InvalidUtf8At(text_) == std::string_view::npos) {
        j = nlohmann::json::parse(text_, nullptr, false);
      }
      if (j.is_discarded() || !j.is_object()) {
        throw InputError(path_, info_.number,
                         "not a haspec trace: the first line that is not a comment is not a "
                         "JSON object (a raw log needs an importer: haspec import)");
      }
      if (IsHeaderLine(j)) {
        try {
          header_ = HeaderFromJson(j);
        } catch (const ParseError& e) {
          throw InputError(path_, info_.number, "header: " + std::string(e.what()));
        }
        header_.line = info_.number;
        if (header_.machine != M::kName) {
          throw InputError(path_, info_.number,
                           "header: the trace is for machine \"" + header_.machine + "\", not " +
                               std::string(M::kName));
        }
        pending_ = false;
      }
      break;
    }
    if (lines_->error()) throw InputError(path_, info_.number, "read error");
    if (!pending_ && header_.version == 0) {
      throw InputError(path_, 0, "empty: no header and no event");
    }
  }

  const std::string& path() const { return path_; }
  const TraceHeader& header() const { return header_; }
  const std::vector<TraceDirective>& directives() const { return directives_; }

  // The node names of the configuration in use (the header's node_map is
  // applied here). Throws InputError for a bad node_map.
  void Start(const Nodes& config_nodes) {
    try {
      nodes_ = MappedNodes(config_nodes, header_);
    } catch (const ParseError& e) {
      throw InputError(path_, header_.line, "header: " + std::string(e.what()));
    }
  }

  // The next event or bad line; false at the end of the file.
  bool Next(TraceItem<M>& item) {
    for (;;) {
      if (!pending_) {
        if (!lines_->Next(text_, info_)) {
          if (lines_->error()) {
            item = {};
            item.bad = true;
            item.line = info_.number;
            item.problem = "read error";
            return !std::exchange(read_error_reported_, true);
          }
          return false;
        }
        if (IsSkipped(text_, info_)) continue;
      }
      pending_ = false;
      item.bad = false;
      item.line = info_.number;
      item.problem.clear();
      item.event = TraceEvent<M>{};
      item.event.line = info_.number;
      if (info_.too_long) {
        return Bad(item, "line longer than " + std::to_string(opt_.max_line_bytes) +
                             " bytes (the reader's limit); skipped without reading it whole");
      }
      if (auto at = InvalidUtf8At(text_); at != std::string_view::npos) {
        return Bad(item, "invalid UTF-8 at byte " + std::to_string(at + 1));
      }
      nlohmann::json j = nlohmann::json::parse(text_, nullptr, false);
      if (j.is_discarded()) {
        std::string why;
        try {
          (void)nlohmann::json::parse(text_);
        } catch (const nlohmann::json::parse_error& e) {
          why = e.what();
        }
        return Bad(item, info_.unterminated
                             ? "truncated last line (no newline at the end of the file and not "
                               "valid JSON): " +
                                   why
                             : "not valid JSON: " + why);
      }
      try {
        EventFromJson<M>(j, nodes_, opt_, item.event);
      } catch (const ParseError& e) {
        return Bad(item, e.what());
      } catch (const nlohmann::json::exception& e) {
        return Bad(item, e.what());
      }
      item.event.text = text_.size() > TraceEvent<M>::kTextCut
                            ? text_.substr(0, TraceEvent<M>::kTextCut) + "..."
                            : text_;
      return true;
    }
  }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  bool IsSkipped(const std::string& text, const TraceLineReader::Line& info) {
    if (info.too_long) return false;
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return true;
    if (text[first] != '#') return false;
    // "# expect-violation: RULE" and friends.
    std::string_view rest = std::string_view(text).substr(first + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.rfind("expect-", 0) == 0) {
      TraceDirective d;
      d.line = info.number;
      rest.remove_prefix(7);
      const auto colon = rest.find(':');
      d.kind = std::string(rest.substr(0, colon));
      while (!d.kind.empty() && d.kind.back() == ' ') d.kind.pop_back();
      if (colon != std::string_view::npos) {
        std::string_view v = rest.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        d.value = std::string(v);
      }
      directives_.push_back(std::move(d));
    }
    return true;
  }

  bool Bad(TraceItem<M>& item, std::string problem) {
    item.bad = true;
    item.problem = std::move(problem);
    item.event.text = text_.size() > TraceEvent<M>::kTextCut
                          ? text_.substr(0, TraceEvent<M>::kTextCut) + "..."
                          : text_;
    return true;
  }

  std::string path_;
  ReaderOptions opt_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::unique_ptr<TraceLineReader> lines_;
  std::string text_;
  TraceLineReader::Line info_;
  bool pending_ = false;  // text_ holds the first event line, not yet returned
  bool read_error_reported_ = false;
  TraceHeader header_;
  Nodes nodes_;
  std::vector<TraceDirective> directives_;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_TRACE_H_
