// Trace format v1 events (docs/trace-format.md): what one line of a trace
// says, and its decoder over nlohmann's DOM, the reference every faster
// decoder (engine/trace_fast.h) must agree with: the same events from the
// same lines, and on any line it does not take, this one's error.
//
//   nlohmann::json j = nlohmann::json::parse(line);
//   TraceEvent<Dsm> ev;
//   EventFromJson<Dsm>(j, nodes, {}, ev);   // throws ParseError naming the field
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_TRACE_EVENT_H_
#define HASPEC_ENGINE_TRACE_EVENT_H_

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/op_trace.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"

namespace haspec {

// The fast path's observation cache holds this many texts unless told (a
// walk of the DSM model shows about 1,400 different observations in a
// million events; at most 4 KiB each, so the cache stays within 16 MiB).
inline constexpr std::size_t kObservationCacheSlots = 4096;

struct ReaderOptions {
  // Longest line read (bytes, without its newline). A longer one is bad
  // input; the reader skips it without holding it.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  // Most op alternatives one line's unknown (null) fields may stand for.
  std::size_t max_alternatives = 4096;
  // Decode the usual lines with the fast path (engine/trace_fast.h);
  // false: every line through nlohmann's DOM (the differential test and the
  // replay bench compare the two).
  bool fast = true;
  // Slots of the fast path's cache of decoded observations (a power of
  // two): the texts of a cluster's few observations, each decoded once.
  std::size_t observation_cache_slots = kObservationCacheSlots;
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
namespace trace_internal {
// `count` decimal digits at s[i] into `out`, advancing i.
inline bool Digits(std::string_view s, std::size_t& i, int count, int& out) {
  out = 0;
  for (int k = 0; k < count; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace trace_internal

// Reads from s[i] on: ":SS[.fraction][zone]", the part after the minute,
// into seconds and microseconds, and the zone's offset in seconds; false
// when malformed or when anything follows.
inline bool ParseTimestampTail(std::string_view s, std::size_t i, int& sec, std::int64_t& micros,
                               std::int64_t& offset) {
  auto digits = [&s, &i](int count, int& out) { return trace_internal::Digits(s, i, count, out); };
  if (i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!digits(2, sec) || sec > 60) return false;
  micros = 0;
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
    if (n == 0) return false;
  }
  offset = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      ++i;
      int oh, om;
      if (!digits(2, oh)) return false;
      if (i < s.size() && s[i] == ':') ++i;
      if (!digits(2, om) || oh > 23 || om > 59) return false;
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  return i == s.size();
}

// Reads "YYYY-MM-DD[T ]HH:MM", the first 16 characters of s, into the
// seconds from 1970-01-01T00:00:00 to that minute (before any zone offset);
// false when malformed.
constexpr std::size_t kTimestampMinuteChars = 16;
inline bool ParseTimestampMinute(std::string_view s, std::int64_t& minute_secs) {
  std::size_t i = 0;
  // Plain functions rather than capturing lambdas: the compiler inlines
  // them (replay reads a timestamp on most lines).
  auto digits = [&s, &i](int count, int& out) { return trace_internal::Digits(s, i, count, out); };
  auto lit = [&s, &i](char c) { return i < s.size() && s[i++] == c; };
  int y, mo, d, h, mi;
  if (!digits(4, y) || !lit('-') || !digits(2, mo) || !lit('-') || !digits(2, d)) return false;
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return false;
  ++i;
  if (!digits(2, h) || !lit(':') || !digits(2, mi)) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return false;
  // Days from the civil date (proleptic Gregorian calendar).
  const int yy = mo <= 2 ? y - 1 : y;
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  minute_secs = days * 86400 + h * 3600 + mi * 60;
  return true;
}

// The minute's seconds and the tail after it into microseconds in UTC.
inline std::optional<std::int64_t> TimestampFromParts(std::string_view s,
                                                      std::int64_t minute_secs) {
  int sec;
  std::int64_t micros = 0, offset = 0;
  if (!ParseTimestampTail(s, kTimestampMinuteChars, sec, micros, offset)) return std::nullopt;
  return (minute_secs + sec - offset) * 1'000'000 + micros;
}

inline std::optional<std::int64_t> ParseTimestamp(std::string_view s) {
  std::int64_t minute_secs;
  if (!ParseTimestampMinute(s, minute_secs)) return std::nullopt;
  return TimestampFromParts(s, minute_secs);
}

// ParseTimestamp for a stream of timestamps, most of which share their
// minute with the one before ("2024-03-01T10:15"): the date and time up to
// the minute are parsed once per minute, only the seconds and zone on every
// line. The same answers as ParseTimestamp (engine/trace_decoder_test.cc).
class TimestampReader {
 public:
  std::optional<std::int64_t> Parse(std::string_view s) {
    constexpr std::size_t kMinute = kTimestampMinuteChars;
    if (!valid_ || s.size() <= kMinute || s.compare(0, kMinute, minute_, 0, kMinute) != 0) {
      valid_ = ParseTimestampMinute(s, minute_secs_);
      if (!valid_) return std::nullopt;
      minute_.assign(s.substr(0, kMinute));
    }
    return TimestampFromParts(s, minute_secs_);
  }

 private:
  std::string minute_;
  std::int64_t minute_secs_ = 0;  // seconds to the minute, before the zone's offset
  bool valid_ = false;
};

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

  // Back to a default event for line `at`, keeping the buffers (a reader
  // reuses one event for every line: no allocation per line).
  void Reset(int at) {
    line = at;
    src.clear();
    t.reset();
    t_text.clear();
    ops.clear();
    unknown_fields = false;
    accepted.reset();
    reason.reset();
    expect.clear();
    obs.reset();
    drift.clear();
    text.clear();
  }
  // `line` cut to kTextCut bytes, as `text` holds it.
  void SetText(std::string_view line_text) {
    if (line_text.size() > kTextCut) {
      text.assign(line_text.substr(0, kTextCut));
      text += "...";
    } else {
      text.assign(line_text);
    }
  }
};

namespace trace_internal {

// Removes the value at a codec error path ("nodes.n1.status",
// "hosts[0].status") from `j`; false when the path does not resolve.
inline bool ErasePath(nlohmann::json& j, std::string_view path) {
  nlohmann::json* cur = &j;
  std::string key;
  nlohmann::json* parent = nullptr;
  std::string last;
  // The last step was an array index when last_is_index (a plain pair
  // rather than an optional: g++ 12 warns that the optional may be unset).
  std::size_t last_index = 0;
  bool last_is_index = false;
  std::size_t i = 0;
  while (i <= path.size()) {
    if (i == path.size() || path[i] == '.' || path[i] == '[') {
      if (!key.empty()) {
        if (!cur->is_object() || !cur->contains(key)) return false;
        parent = cur;
        last = key;
        last_is_index = false;
        cur = &(*cur)[key];
        key.clear();
      }
      if (i < path.size() && path[i] == '[') {
        const auto close = path.find(']', i);
        if (close == std::string_view::npos) return false;
        // A node or key name may hold brackets: only digits make an index.
        std::size_t idx = 0;
        const char* first = path.data() + i + 1;
        const char* stop = path.data() + close;
        const auto [end, ec] = std::from_chars(first, stop, idx);
        if (first == stop || ec != std::errc() || end != stop) return false;
        if (!cur->is_array() || idx >= cur->size()) return false;
        parent = cur;
        last_index = idx;
        last_is_index = true;
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
  if (last_is_index) {
    parent->erase(last_index);
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

// The observation an event's "obs" value states. Unknown status names
// (vocabulary drift) are appended to `drift` as "path: NAME" and removed
// from `obs` (which is why it is not const), so the rest is still read.
// Throws ParseError naming the field path under "obs".
template <CodecMachine M>
typename M::Observation ObservationWithDrift(nlohmann::json& obs, const Nodes& nodes,
                                             std::vector<std::string>& drift) {
  for (int tries = 0;; ++tries) {
    try {
      return op_trace_internal::ObservationOfLine<M>(obs, nodes);
    } catch (const ParseError& e) {
      if (e.unknown_status().empty() || tries > 64) throw;
      const std::string path = e.where().substr(e.where().find('.') + 1);
      if (e.where().rfind("obs.", 0) != 0 || !ErasePath(obs, path)) throw;
      drift.push_back(e.where() + ": \"" + e.unknown_status() + "\"");
    }
  }
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
    ev.obs = trace_internal::ObservationWithDrift<M>(*it, nodes, ev.drift);
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

// The event line that reads as `ev` (but for its line, text and drift):
// EventFromJson's inverse, for an event of at most one op and no unknown
// field (an op given with nulls reads as several ops and has no one line to
// write). Fuzz target replay_<machine> writes what it read and reads it back.
template <CodecMachine M>
nlohmann::json EventToJson(const TraceEvent<M>& ev, const Nodes& nodes) {
  nlohmann::json j = ev.ops.empty() ? nlohmann::json::object() : OpToJson(ev.ops.front(), nodes);
  if (ev.t) j["t"] = ev.t_text;
  if (!ev.src.empty()) j["src"] = ev.src;
  if (ev.accepted) j["result"] = *ev.accepted ? "accepted" : "rejected";
  if (ev.reason) j["reason"] = RuleOf<M>(*ev.reason).id;
  if (!ev.expect.empty()) j["expect"] = ev.expect;
  if (ev.obs) j["obs"] = M::ObservationToJson(*ev.obs, nodes);
  return j;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_TRACE_EVENT_H_
