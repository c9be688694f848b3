// The trace reader's fast path: event lines in the plain form haspec writes
// them (no escape, no control byte) read by a purpose-built scanner instead
// of nlohmann's DOM, several times the lines per second (docs/performance.md,
// "Replay throughput").
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
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/trace_event.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/op_spec.h"
#include "model/core/parse_error.h"
#include "model/core/rule.h"

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

// Whether two texts are equal: the sizes first; the short texts of a trace
// line (keys, names, values of up to 16 bytes) compared as two 8-byte words
// or byte by byte, without a call to memcmp.
inline bool Same(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  if (n >= 8) {
    std::uint64_t x, y, u, v;
    std::memcpy(&x, a.data(), 8);
    std::memcpy(&y, b.data(), 8);
    std::memcpy(&u, a.data() + n - 8, 8);
    std::memcpy(&v, b.data() + n - 8, 8);
    return ((x ^ y) | (u ^ v)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// A cursor over a plain line (PlainLine holds: no backslash, no byte below
// 0x20): a string runs from its quote to the next quote, and the space is
// the only JSON whitespace that can occur. Every read skips spaces first
// and fails (false, the cursor wherever it stopped) on anything else.
class PlainCursor {
 public:
  explicit PlainCursor(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  // The next byte that is not a space, not consumed ('\0' at the end).
  char Next() {
    SkipSpaces();
    return p_ < end_ ? *p_ : '\0';
  }
  bool Eat(char c) {
    if (Next() != c || p_ == end_) return false;
    ++p_;
    return true;
  }
  bool AtEnd() { return Next() == '\0' && p_ == end_; }

  bool String(std::string_view& out) {
    if (!Eat('"')) return false;
    const char* q = p_;
    while (q < end_ && *q != '"') ++q;
    if (q == end_) return false;
    out = {p_, static_cast<std::size_t>(q - p_)};
    p_ = q + 1;
    return true;
  }

  // `w` (true, false, null) exactly; what follows is the caller's to check.
  bool Word(std::string_view w) {
    Next();
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::memcmp(p_, w.data(), w.size())) {
      return false;
    }
    p_ += w.size();
    return true;
  }

  // A JSON number that is an integer in range of int64 (-?(0|[1-9][0-9]*));
  // a fraction or an exponent is left unread, so the caller's next read
  // fails on it.
  bool Integer(std::int64_t& out) {
    Next();
    const bool negative = p_ < end_ && *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && p_ + 1 < end_ && p_[1] >= '0' && p_[1] <= '9') return false;  // 01
    std::uint64_t v = 0;
    constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
    for (; p_ < end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
      const auto d = static_cast<std::uint64_t>(*p_ - '0');
      if (v > (kMax + 1 - d) / 10) return false;  // beyond -2^63
      v = v * 10 + d;
    }
    if (!negative && v > kMax) return false;
    out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
  }

  // The text of the object the cursor is on, up to its closing brace
  // (brackets counted outside strings; the text itself is checked by
  // whoever decodes it).
  bool ObjectText(std::string_view& out) {
    if (Next() != '{') return false;
    int depth = 0;
    for (const char* q = p_; q < end_; ++q) {
      switch (*q) {
        case '"':
          ++q;
          while (q < end_ && *q != '"') ++q;
          if (q == end_) return false;
          break;
        case '{':
        case '[':
          ++depth;
          break;
        case '}':
        case ']':
          if (--depth == 0) {
            out = {p_, static_cast<std::size_t>(q + 1 - p_)};
            p_ = q + 1;
            return true;
          }
          break;
        default:
          break;
      }
    }
    return false;
  }

 private:
  void SkipSpaces() {
    while (p_ < end_ && *p_ == ' ') ++p_;
  }
  const char* p_;
  const char* end_;
};

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
      return Same(k, "op") ? Key::kOp : Same(k, "ts") ? Key::kComment : Key::kOther;
    case 3:
      return Same(k, "obs") ? Key::kObs : Same(k, "src") ? Key::kSrc : Key::kOther;
    case 4:
      return Same(k, "note") || Same(k, "line") ? Key::kComment : Key::kOther;
    case 5:
      return Same(k, "event") ? Key::kComment : Key::kOther;
    case 6:
      return Same(k, "result")   ? Key::kResult
             : Same(k, "reason") ? Key::kReason
             : Same(k, "expect") ? Key::kExpect
             : Same(k, "source") ? Key::kComment
                                 : Key::kOther;
    case 7:
      return Same(k, "comment") ? Key::kComment : Key::kOther;
    case 12:
      return Same(k, "haspec_trace") ? Key::kHeader : Key::kOther;
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
  // declines (ev is then partly written: Reset it).
  bool Decode(std::string& line, const Nodes& nodes, const ReaderOptions& opt, TraceEvent<M>& ev) {
    using trace_fast_internal::Value;
    bool ascii = false;
    if (!trace_fast_internal::PlainLine(line, ascii)) return false;
    if (!ascii && InvalidUtf8At(line) != std::string_view::npos) return false;
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
  }

  // The parse alone: the number of keys of event line `line` as Decode
  // reads them (no decoding), or 0 where Decode declines before decoding.
  // For the replay bench's "parser alone" figure.
  std::size_t Parse(std::string_view line) {
    bool ascii = false;
    if (!trace_fast_internal::PlainLine(line, ascii)) return 0;
    if (!ascii && InvalidUtf8At(line) != std::string_view::npos) return 0;
    return Scan(line) ? count_ : 0;
  }

  const ObservationCache<M>& cache() const { return cache_; }

 private:
  // Reads every key and value of the line's object into entries_; false
  // for anything the fast path does not take (see the file comment). The
  // line is plain (PlainLine): no escape and no control byte, so a string
  // runs from its quote to the next quote, and the only whitespace JSON
  // allows that can occur is the space.
  bool Scan(std::string_view line) {
    using trace_fast_internal::Key;
    using trace_fast_internal::Value;
    count_ = 0;
    known_.fill(kNone);
    items_.clear();
    trace_fast_internal::PlainCursor c(line);
    if (!c.Eat('{')) return false;
    if (!c.Eat('}')) {
      for (;;) {
        if (count_ == kMaxEntries) return false;
        trace_fast_internal::Entry& e = entries_[count_];
        if (!c.String(e.key) || !c.Eat(':')) return false;
        // A repeated key: nlohmann keeps the last value; leave it to nlohmann.
        const Key key = trace_fast_internal::Classify(e.key);
        if (key == Key::kOther || key == Key::kComment) {
          for (std::size_t i = 0; i < count_; ++i) {
            if (keys_[i] == key && trace_fast_internal::Same(entries_[i].key, e.key)) return false;
          }
        } else {
          auto& slot = known_[static_cast<std::size_t>(key)];
          if (slot != kNone) return false;
          slot = static_cast<std::uint8_t>(count_);
        }
        switch (c.Next()) {
          case '"':
            if (!c.String(e.v.s)) return false;
            e.v.kind = Value::Kind::kString;
            break;
          case '{':
            // Only "obs" holds an object; its text is checked and decoded by
            // the cache (nlohmann and the machine's codec on a miss).
            if (key != Key::kObs || !c.ObjectText(e.v.s)) return false;
            e.v.kind = Value::Kind::kObject;
            break;
          case '[':
            c.Eat('[');
            e.v.kind = Value::Kind::kStrings;
            e.v.first = static_cast<std::uint32_t>(items_.size());
            if (!c.Eat(']')) {
              do {
                std::string_view item;
                if (!c.String(item)) return false;
                items_.push_back(item);
              } while (c.Eat(','));
              if (!c.Eat(']')) return false;
            }
            e.v.count = static_cast<std::uint32_t>(items_.size()) - e.v.first;
            break;
          case 't':
          case 'f':
            e.v.b = c.Next() == 't';
            if (!c.Word(e.v.b ? "true" : "false")) return false;
            e.v.kind = Value::Kind::kBool;
            break;
          case 'n':
            if (!c.Word("null")) return false;
            e.v.kind = Value::Kind::kNull;
            break;
          default:
            if (!c.Integer(e.v.i)) return false;
            e.v.kind = Value::Kind::kInt;
            break;
        }
        keys_[count_++] = key;
        if (c.Eat(',')) continue;
        if (c.Eat('}')) break;
        return false;
      }
    }
    // Nothing but spaces after the object (nlohmann refuses the rest).
    return c.AtEnd();
  }

  const trace_fast_internal::Value* Get(trace_fast_internal::Key key) const {
    const std::uint8_t i = known_[static_cast<std::size_t>(key)];
    return i == kNone ? nullptr : &entries_[i].v;
  }

  // FindRule, remembering the last few IDs looked up (a trace names the
  // same reasons and expectations again and again).
  const Rule* FindRuleCached(std::string_view id) {
    for (const auto& [name, rule] : rules_seen_) {
      if (trace_fast_internal::Same(name, id)) return rule;
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
    const std::size_t type = OpTypeNamed(name);
    bool ok = false;
    ForEachOpType<Op>([&]<class T>(std::size_t this_type) {
      if (this_type != type) return;
      // Every key is a trace key or a field of T; field_at_[k]: the entry
      // holding field k, or kNone.
      std::size_t fields = 0;
      ForEachField<T>([&](const auto&) { field_at_[fields++] = kNone; });
      for (std::size_t i = 0; i < count_; ++i) {
        if (keys_[i] != trace_fast_internal::Key::kOther) continue;
        std::size_t k = 0, at = fields;
        ForEachField<T>([&](const auto& f) {
          if (trace_fast_internal::Same(entries_[i].key, f.name)) at = k;
          ++k;
        });
        if (at == fields) return;
        field_at_[at] = static_cast<std::uint8_t>(i);
      }
      T o{};
      bool good = true;
      std::uint64_t unknown = 0;  // bit i: field i was null
      std::size_t index = 0;
      ForEachField<T>([&](const auto& f) {
        const std::size_t i = index++;
        if (!good) return;
        if (field_at_[i] == kNone) {
          if (f.required) good = false;
          o.*(f.member) = f.dflt;
          return;
        }
        const Value* v = &entries_[field_at_[i]].v;
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
    return ok;
  }

  // The index in Op of the op type named `name`; variant_size when none is.
  static std::size_t OpTypeNamed(std::string_view name) {
    static const auto names = [] {
      std::array<std::string_view, std::variant_size_v<Op>> n{};
      ForEachOpType<Op>([&]<class T>(std::size_t i) { n[i] = T::kName; });
      return n;
    }();
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (trace_fast_internal::Same(names[i], name)) return i;
    }
    return names.size();
  }

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
  std::array<std::uint8_t, 64> field_at_{};  // DecodeOps: the entry of each field
  std::vector<Op> next_;
  std::vector<std::pair<std::string, const Rule*>> rules_seen_;
  ObservationCache<M> cache_;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_TRACE_FAST_H_
