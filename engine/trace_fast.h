// The trace reader's fast path: event lines decoded with simdjson On-Demand
// (Debian libsimdjson-dev) instead of nlohmann's DOM, about ten times the
// lines per second (docs/performance.md, "Replay throughput").
//
//   FastEventDecoder<Dsm> fast;
//   if (!fast.Decode(line, nodes, opt, ev)) {
//     ev.Reset(n);
//     EventFromJson<Dsm>(nlohmann::json::parse(line), nodes, opt, ev);  // the reference
//   }
//
// It takes only what it can decode exactly as EventFromJson does
// (engine/trace_event.h) and declines everything else, so the reference
// decoder reads every line it declines and reports every error with its own
// words: no second set of messages to keep in step. Declined: a control byte
// or a backslash anywhere in the line (a string with an escape, or an
// unescaped control character nlohmann refuses), invalid UTF-8, anything but
// an object, a duplicate key, a header, a number that is not a 64-bit
// integer, an object or an array of anything but strings outside "obs",
// trailing bytes, and every line EventFromJson would refuse.
//
// Ops are decoded from their declarations (Fields() in model/core/op_spec.h,
// as model/core/op_codec.h does for nlohmann): one decoder per field domain,
// nothing per machine. Observations are not declared field by field (each
// machine's codec reads its own shape), so the "obs" object's text is looked
// up in a bounded cache of decoded observations and decoded by the
// machine's codec on a miss: a cluster shows the same few observations again
// and again, and the same text always decodes to the same observation and
// drift.
#ifndef HASPEC_ENGINE_TRACE_FAST_H_
#define HASPEC_ENGINE_TRACE_FAST_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/trace_event.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/op_spec.h"
#include "model/core/parse_error.h"
#include "model/core/rule.h"

#ifndef HASPEC_NO_SIMDJSON
#include <simdjson.h>
#endif
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace haspec {

namespace trace_fast_internal {

// Whether `s` has no byte below 0x20 and no backslash (checked 16 bytes
// at a time with SSE2 where there is SSE2, else 8 at a time); `ascii` tells
// whether every byte is below 0x80.
inline bool PlainLine(std::string_view s, bool& ascii) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  unsigned high = 0;
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i slash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed: bytes from 0x80 compare below 0x20 too; the sign mask takes
    // them out.
    const unsigned sign = static_cast<unsigned>(_mm_movemask_epi8(v));
    const unsigned below = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, space)));
    const unsigned slashes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, slash)));
    if ((below & ~sign) | slashes) return false;
    high |= sign;
  }
#else
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = kOnes * 0x80;
  constexpr std::uint64_t kSlash = kOnes * '\\';
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    const std::uint64_t x = w ^ kSlash;
    // Some byte below 0x20; some byte equal to '\\' (the exact zero-byte
    // tests of "Bit Twiddling Hacks").
    if ((((w - kOnes * 0x20) & ~w) | ((x - kOnes) & ~x)) & kHigh) return false;
    high |= (w & kHigh) != 0;
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == '\\') return false;
    high |= c >> 7;
  }
  ascii = high == 0;
  return true;
}

// The keys of an event line that are not op fields (kTraceKeys and
// "haspec_trace"); a test checks the table against kTraceKeys and
// kSnapshotKeys.
enum class Key : std::uint8_t {
  kOp,
  kObs,
  kT,
  kSrc,
  kResult,
  kReason,
  kExpect,
  kHeader,
  kComment,  // comment, note, source, line, ts, event: read, not used
  kOther,    // an op field, or unknown
};
inline constexpr std::size_t kKnownKeys = static_cast<std::size_t>(Key::kOther);

inline Key Classify(std::string_view k) {
  switch (k.size()) {
    case 1:
      return k[0] == 't' ? Key::kT : Key::kOther;
    case 2:
      return k == "op" ? Key::kOp : k == "ts" ? Key::kComment : Key::kOther;
    case 3:
      return k == "obs" ? Key::kObs : k == "src" ? Key::kSrc : Key::kOther;
    case 4:
      return k == "note" || k == "line" ? Key::kComment : Key::kOther;
    case 5:
      return k == "event" ? Key::kComment : Key::kOther;
    case 6:
      return k == "result"   ? Key::kResult
             : k == "reason" ? Key::kReason
             : k == "expect" ? Key::kExpect
             : k == "source" ? Key::kComment
                             : Key::kOther;
    case 7:
      return k == "comment" ? Key::kComment : Key::kOther;
    case 12:
      return k == "haspec_trace" ? Key::kHeader : Key::kOther;
    default:
      return Key::kOther;
  }
}

// Whether a line without an op may carry the key (kSnapshotKeys).
inline bool SnapshotKey(Key k) {
  return k == Key::kObs || k == Key::kT || k == Key::kSrc || k == Key::kComment;
}

// One JSON value of an event line, as far as the fast path reads values.
struct Value {
  enum class Kind : std::uint8_t { kNull, kBool, kInt, kString, kStrings, kObject };
  Kind kind = Kind::kNull;
  bool b = false;
  std::int64_t i = 0;
  std::string_view s;                  // kString: the string; kObject: the object's JSON text
  std::uint32_t first = 0, count = 0;  // kStrings: items [first, first + count)
};

struct Entry {
  std::string_view key;
  Value v;
};

// A field's value from a Value, per domain (the counterparts of
// op_codec_internal::ValueFromJson); false where that one would throw.
inline bool FastValue(const NodeDomain&, const Value& v, const std::vector<std::string_view>&,
                      const Nodes& n, std::int64_t& out) {
  if (v.kind != Value::Kind::kString) return false;
  const auto i = n.Find(v.s);
  if (!i) return false;
  out = *i;
  return true;
}
inline bool FastValue(const NodeSetDomain&, const Value& v,
                      const std::vector<std::string_view>& items, const Nodes& n,
                      std::int64_t& out) {
  if (v.kind != Value::Kind::kStrings) return false;
  std::int64_t mask = 0;
  for (std::uint32_t k = 0; k < v.count; ++k) {
    const auto i = n.Find(items[v.first + k]);
    if (!i) return false;
    mask |= std::int64_t{1} << *i;
  }
  out = mask;
  return true;
}
inline bool FastValue(const BoolDomain&, const Value& v, const std::vector<std::string_view>&,
                      const Nodes&, std::int64_t& out) {
  if (v.kind != Value::Kind::kBool) return false;
  out = v.b ? 1 : 0;
  return true;
}
inline bool FastValue(const IntDomain&, const Value& v, const std::vector<std::string_view>&,
                      const Nodes&, std::int64_t& out) {
  if (v.kind != Value::Kind::kInt) return false;
  out = v.i;
  return true;
}
template <class E, std::size_t N>
bool FastValue(const EnumDomain<E, N>& d, const Value& v, const std::vector<std::string_view>&,
               const Nodes&, std::int64_t& out) {
  if (v.kind != Value::Kind::kString) return false;
  const auto e = d.table->Parse(v.s);
  if (!e) return false;
  out = static_cast<std::int64_t>(*e);
  return true;
}

}  // namespace trace_fast_internal

// Decoded observations by the text of their "obs" object: a direct-mapped
// cache of `slots` entries (kSlots unless told), each holding a text of at
// most kMaxText bytes, so its memory is bounded whatever the trace's length.
template <CodecMachine M>
class ObservationCache {
 public:
  static constexpr std::size_t kSlots = kObservationCacheSlots;
  static constexpr std::size_t kMaxText = 4096;

  // `slots`: a power of two (another is rounded down to one), at least 1.
  explicit ObservationCache(std::size_t slots = kSlots)
      : mask_(std::bit_floor(std::max<std::size_t>(slots, 1)) - 1) {}

  struct Entry {
    bool set = false;
    std::string text;
    typename M::Observation obs{};
    std::vector<std::string> drift;
  };

  // The observation (and drift) `text` decodes to; null when the machine's
  // codec refuses it (the reference decoder then reports the line).
  const Entry* Find(std::string_view text, const Nodes& nodes) {
    if (slots_.empty()) slots_.resize(mask_ + 1);
    const std::size_t slot = mask_ & std::hash<std::string_view>{}(text);
    Entry& e = text.size() <= kMaxText ? slots_[slot] : scratch_;
    if (e.set && e.text == text) {
      ++hits_;
      return &e;
    }
    ++misses_;
    e.set = false;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return nullptr;
    e.drift.clear();
    try {
      e.obs = trace_internal::ObservationWithDrift<M>(j, nodes, e.drift);
    } catch (const ParseError&) {
      return nullptr;
    } catch (const nlohmann::json::exception&) {
      return nullptr;
    }
    if (&e != &scratch_) {
      e.text.assign(text);
      e.set = true;
    }
    return &e;
  }

  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }

 private:
  std::size_t mask_;  // slots - 1
  std::vector<Entry> slots_;
  Entry scratch_;  // a text too long to keep
  std::size_t hits_ = 0, misses_ = 0;
};

template <CodecMachine M>
class FastEventDecoder {
 public:
  using Op = typename M::Op;

  // `cache_slots`: the observation cache's size (ObservationCache).
  explicit FastEventDecoder(std::size_t cache_slots = ObservationCache<M>::kSlots)
      : cache_(cache_slots) {}

  // Decodes event line `line` into `ev` (whose line and text the caller
  // sets) when it can do so exactly as EventFromJson would; false when it
  // declines (ev is then partly written: Reset it). `line`'s capacity may
  // grow (simdjson reads a few bytes past the end).
  bool Decode(std::string& line, const Nodes& nodes, const ReaderOptions& opt, TraceEvent<M>& ev) {
#ifdef HASPEC_NO_SIMDJSON
    (void)line, (void)nodes, (void)opt, (void)ev;
    return false;
#else
    using trace_fast_internal::Value;
    bool ascii = false;
    if (!trace_fast_internal::PlainLine(line, ascii)) return false;
    if (!ascii && InvalidUtf8At(line) != std::string_view::npos) return false;
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos || line[first] != '{') return false;
    if (!Scan(line)) return false;
    using trace_fast_internal::Key;
    if (Get(Key::kHeader)) return false;  // a header where an event belongs
    const Value* op_name = Get(Key::kOp);
    const Value* obs = Get(Key::kObs);
    if (const Value* t = Get(Key::kT)) {
      if (t->kind != Value::Kind::kString) return false;
      ev.t = times_.Parse(t->s);
      if (!ev.t) return false;
      ev.t_text.assign(t->s);
    }
    if (const Value* src = Get(Key::kSrc)) {
      if (src->kind != Value::Kind::kString) return false;
      ev.src.assign(src->s);
    }
    if (obs) {
      if (obs->kind != Value::Kind::kObject) return false;
      const auto* o = cache_.Find(obs->s, nodes);
      if (!o) return false;
      ev.obs = o->obs;
      ev.drift = o->drift;
    } else if (!op_name) {
      return false;
    }
    if (!op_name) {
      for (std::size_t i = 0; i < count_; ++i) {
        if (!trace_fast_internal::SnapshotKey(keys_[i])) return false;
      }
      return true;
    }
    if (const Value* r = Get(Key::kResult)) {
      if (r->kind != Value::Kind::kString) return false;
      if (r->s == "accepted") {
        ev.accepted = true;
      } else if (r->s == "rejected") {
        ev.accepted = false;
      } else if (r->s != "unknown") {
        return false;
      }
    }
    if (const Value* r = Get(Key::kReason)) {
      if (ev.accepted != std::optional<bool>(false) || r->kind != Value::Kind::kString) {
        return false;
      }
      const Rule* rule = FindRuleCached(r->s);
      if (!rule) return false;
      ev.reason = static_cast<typename M::RuleId>(rule - M::Rules().data());
    }
    if (const Value* x = Get(Key::kExpect)) {
      if (x->kind != Value::Kind::kString) return false;
      if (x->s != "accepted" && x->s != "rejected" && !FindRuleCached(x->s)) return false;
      ev.expect.assign(x->s);
    }
    if (op_name->kind != Value::Kind::kString) return false;
    return DecodeOps(op_name->s, nodes, opt, ev);
#endif
  }

  const ObservationCache<M>& cache() const { return cache_; }

 private:
#ifndef HASPEC_NO_SIMDJSON
  // Reads every key and value of the line's object into entries_; false
  // for anything the fast path does not take (see the file comment).
  bool Scan(std::string& line) {
    using trace_fast_internal::Value;
    namespace od = simdjson::ondemand;
    count_ = 0;
    known_.fill(kNone);
    items_.clear();
    if (line.capacity() < line.size() + simdjson::SIMDJSON_PADDING) {
      line.reserve(line.size() + simdjson::SIMDJSON_PADDING);
    }
    od::document doc;
    if (parser_.iterate(line.data(), line.size(), line.capacity()).get(doc)) return false;
    od::object object;
    if (doc.get_object().get(object)) return false;
    for (auto field : object) {
      if (count_ == kMaxEntries) return false;
      trace_fast_internal::Entry& e = entries_[count_];
      od::value v;
      if (field.unescaped_key().get(e.key) || field.value().get(v)) return false;
      // A repeated key: nlohmann keeps the last value; leave it to nlohmann.
      const trace_fast_internal::Key key = trace_fast_internal::Classify(e.key);
      if (key == trace_fast_internal::Key::kOther) {
        for (std::size_t i = 0; i < count_; ++i) {
          if (keys_[i] == key && entries_[i].key == e.key) return false;
        }
      } else if (key != trace_fast_internal::Key::kComment) {
        auto& slot = known_[static_cast<std::size_t>(key)];
        if (slot != kNone) return false;
        slot = static_cast<std::uint8_t>(count_);
      } else {
        for (std::size_t i = 0; i < count_; ++i) {
          if (keys_[i] == key && entries_[i].key == e.key) return false;
        }
      }
      od::json_type type;
      if (v.type().get(type)) return false;
      switch (type) {
        case od::json_type::null: {
          bool is_null = false;
          if (v.is_null().get(is_null) || !is_null) return false;
          e.v.kind = Value::Kind::kNull;
          break;
        }
        case od::json_type::boolean:
          if (v.get_bool().get(e.v.b)) return false;
          e.v.kind = Value::Kind::kBool;
          break;
        case od::json_type::number:
          if (v.get_int64().get(e.v.i)) return false;
          e.v.kind = Value::Kind::kInt;
          break;
        case od::json_type::string:
          if (v.get_string().get(e.v.s)) return false;
          e.v.kind = Value::Kind::kString;
          break;
        case od::json_type::array: {
          od::array a;
          if (v.get_array().get(a)) return false;
          e.v.kind = Value::Kind::kStrings;
          e.v.first = static_cast<std::uint32_t>(items_.size());
          for (auto item : a) {
            std::string_view s;
            if (item.get_string().get(s)) return false;
            items_.push_back(s);
          }
          e.v.count = static_cast<std::uint32_t>(items_.size()) - e.v.first;
          break;
        }
        case od::json_type::object: {
          // Only "obs" holds an object; its text is checked and decoded by
          // the cache (nlohmann and the machine's codec on a miss).
          if (key != trace_fast_internal::Key::kObs) return false;
          od::object o;
          if (v.get_object().get(o) || o.raw_json().get(e.v.s)) return false;
          e.v.kind = Value::Kind::kObject;
          break;
        }
      }
      keys_[count_++] = key;
    }
    // Nothing but spaces after the object (nlohmann refuses the rest).
    const char* end = nullptr;
    if (doc.current_location().get(end) == simdjson::SUCCESS) {
      const std::size_t at = static_cast<std::size_t>(end - line.data());
      if (line.find_first_not_of(' ', at) != std::string::npos) return false;
    }
    return TrailingOnlySpaces(line);
  }

  // Whether the root object's closing brace is followed by spaces only. The
  // object's keys and values were all read, so the brace closing it is the
  // last '}' of the line unless something follows it.
  static bool TrailingOnlySpaces(const std::string& line) {
    const auto last = line.find_last_not_of(' ');
    return last != std::string::npos && line[last] == '}';
  }
#endif

  const trace_fast_internal::Value* Get(trace_fast_internal::Key key) const {
    const std::uint8_t i = known_[static_cast<std::size_t>(key)];
    return i == kNone ? nullptr : &entries_[i].v;
  }

  // The value of op field `name` (a key Classify leaves as kOther).
  const trace_fast_internal::Value* Field(std::string_view name) const {
    for (std::size_t i = 0; i < count_; ++i) {
      if (keys_[i] == trace_fast_internal::Key::kOther && entries_[i].key == name) {
        return &entries_[i].v;
      }
    }
    return nullptr;
  }

  // FindRule, remembering the last few IDs looked up (a trace names the
  // same reasons and expectations again and again).
  const Rule* FindRuleCached(std::string_view id) {
    for (const auto& [name, rule] : rules_seen_) {
      if (name == id) return rule;
    }
    const Rule* rule = FindRule(M::Rules(), id);
    if (rule) {
      if (rules_seen_.size() >= 16) rules_seen_.erase(rules_seen_.begin());
      rules_seen_.emplace_back(std::string(id), rule);
    }
    return rule;
  }

  // The op the entries describe, expanded over its null (unknown) fields
  // in the order trace_internal::OpsFromJson expands them.
  bool DecodeOps(std::string_view name, const Nodes& nodes, const ReaderOptions& opt,
                 TraceEvent<M>& ev) {
    using trace_fast_internal::Value;
    bool found = false, ok = false;
    ForEachOpType<Op>([&]<class T>(std::size_t) {
      if (found || name != T::kName) return;
      found = true;
      // Every key is a trace key or a field of T.
      for (std::size_t i = 0; i < count_; ++i) {
        if (keys_[i] != trace_fast_internal::Key::kOther) continue;
        bool field = false;
        ForEachField<T>([&](const auto& f) { field = field || entries_[i].key == f.name; });
        if (!field) return;
      }
      T o{};
      bool good = true;
      std::uint64_t unknown = 0;  // bit i: field i was null
      std::size_t index = 0;
      ForEachField<T>([&](const auto& f) {
        const std::size_t i = index++;
        if (!good) return;
        const Value* v = Field(f.name);
        if (!v) {
          if (f.required) good = false;
          o.*(f.member) = f.dflt;
          return;
        }
        if (v->kind == Value::Kind::kNull) {
          if (f.domain.Count(nodes) == 0) good = false;
          unknown |= std::uint64_t{1} << i;
          f.Set(o, f.domain.At(0, nodes));
          return;
        }
        std::int64_t x = 0;
        if (!trace_fast_internal::FastValue(f.domain, *v, items_, nodes, x) ||
            !f.domain.Contains(x, nodes)) {
          good = false;
          return;
        }
        f.Set(o, x);
      });
      if (!good) return;
      ev.ops.clear();
      ev.ops.push_back(Op{o});
      index = 0;
      ForEachField<T>([&](const auto& f) {
        const std::size_t i = index++;
        if (!good || !(unknown >> i & 1)) return;
        next_.clear();
        for (const Op& a : ev.ops) {
          for (std::size_t k = 0; k < f.domain.Count(nodes); ++k) {
            T t = std::get<T>(a);
            f.Set(t, f.domain.At(k, nodes));
            next_.push_back(Op{t});
            if (next_.size() > opt.max_alternatives) {
              good = false;
              return;
            }
          }
        }
        ev.ops.swap(next_);
      });
      ev.unknown_fields = unknown != 0;
      ok = good;
    });
    return found && ok;
  }

#ifndef HASPEC_NO_SIMDJSON
  simdjson::ondemand::parser parser_;
#endif
  // The line's keys and values (a line with more keys is declined), and
  // where each known key is (kNone: absent).
  static constexpr std::size_t kMaxEntries = 64;
  static constexpr std::uint8_t kNone = 0xff;
  TimestampReader times_;  // the minute parsed once for the lines that share it
  std::array<trace_fast_internal::Entry, kMaxEntries> entries_{};
  std::array<trace_fast_internal::Key, kMaxEntries> keys_{};
  std::size_t count_ = 0;
  std::array<std::uint8_t, trace_fast_internal::kKnownKeys> known_{};
  std::vector<std::string_view> items_;
  std::vector<Op> next_;
  std::vector<std::pair<std::string, const Rule*>> rules_seen_;
  ObservationCache<M> cache_;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_TRACE_FAST_H_
