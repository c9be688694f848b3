// The trace reader's two decoders must agree: the fast path
// (engine/trace_fast.h) and nlohmann's DOM (engine/trace_event.h) give the
// same events and the same bad lines with the same problems, on every
// bundled trace and on model walks written as traces and then damaged at
// random (bytes changed, keys repeated, nulls, escapes, trailing bytes,
// numbers out of range). The fast path must also take the usual lines, or
// the agreement would prove nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rng.h"
#include "engine/trace.h"
#include "model/core/op_codec.h"
#include "model/registry.h"

namespace haspec {
namespace {

namespace fs = std::filesystem;

struct Comparison {
  std::size_t events = 0, fast = 0, bad = 0;
};

// Reads `path` with the fast path on and off; every item must be the same.
template <CodecMachine M>
Comparison Compare(const std::string& path) {
  Comparison c;
  ReaderOptions fast_opt, ref_opt;
  ref_opt.fast = false;
  std::string ref_error, fast_error;
  std::optional<TraceReader<M>> ref, fast;
  try {
    ref.emplace(path, ref_opt);
  } catch (const InputError& e) {
    ref_error = e.what();
  }
  try {
    fast.emplace(path, fast_opt);
  } catch (const InputError& e) {
    fast_error = e.what();
  }
  EXPECT_EQ(ref_error, fast_error) << path;
  if (!ref || !fast) return c;
  auto config = M::DefaultConfig();
  if (ref->header().config) {
    try {
      config = M::ConfigFromJson(*ref->header().config);
    } catch (const std::exception&) {
      return c;  // the CLI refuses such a trace before reading events
    }
  }
  try {
    ref->Start(config.nodes);
  } catch (const InputError&) {
    return c;
  }
  fast->Start(config.nodes);
  TraceItem<M> a, b;
  for (;;) {
    const bool more_a = ref->Next(a);
    const bool more_b = fast->Next(b);
    EXPECT_EQ(more_a, more_b) << path;
    if (!more_a || !more_b) break;
    ++c.events;
    c.bad += a.bad;
    EXPECT_EQ(DescribeItem(a, config.nodes), DescribeItem(b, config.nodes)) << path;
    if (!a.bad) {
      EXPECT_EQ(a.event.ops, b.event.ops) << path << ":" << a.line;
      EXPECT_EQ(a.event.obs, b.event.obs) << path << ":" << a.line;
    }
  }
  EXPECT_EQ(ref->fast_lines(), 0u);
  c.fast = fast->fast_lines();
  return c;
}

TEST(TraceDecoders, AgreeOnEveryBundledTrace) {
  std::size_t files = 0, events = 0, fast = 0;
  ForEachMachine([&]<Machine M>() {
    std::string dir(M::kName);
    for (auto& ch : dir) ch = ch == '-' ? '_' : ch;
    const fs::path root = fs::path(HASPEC_SOURCE_DIR) / "traces" / dir;
    for (const char* sub : {"valid", "invalid", "logs"}) {
      if (!fs::is_directory(root / sub)) continue;
      for (const auto& entry : fs::directory_iterator(root / sub)) {
        if (entry.path().extension() != ".jsonl") continue;
        const Comparison c = Compare<M>(entry.path().string());
        ++files;
        events += c.events;
        fast += c.fast;
      }
    }
  });
  EXPECT_GT(files, 30u);
  EXPECT_GT(events, 300u);
  // Most bundled lines are of the usual shape; the rest carry comments,
  // escapes, or errors on purpose.
  EXPECT_GT(fast * 2, events) << fast << " of " << events << " lines fast";
}

// A walk of the model written as trace lines, as replay_bench writes them,
// with now and then a rejected op with its reason, an expectation, a null
// (unknown) field and a snapshot alone.
template <CodecMachine M>
std::vector<std::string> WalkLines(std::size_t count, std::uint64_t seed) {
  auto config = M::DefaultConfig();
  Rng rng(seed);
  auto s = M::Initial(config);
  std::vector<typename M::Op> ops;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    ops.clear();
    M::CandidateOps(s, ops);
    const auto op = ops[rng.Below(ops.size())];
    const auto o = M::Step(s, op);
    nlohmann::json j = OpToJson(op, config.nodes);
    const std::time_t t = 1'700'000'000 + static_cast<std::time_t>(i);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    j["t"] = buf;
    j["result"] = o.accepted ? "accepted" : "rejected";
    if (!o.accepted && rng.Below(2) == 0) j["reason"] = RuleOf<M>(o.rule).id;
    if (rng.Below(5) == 0) j["expect"] = o.accepted ? "accepted" : RuleOf<M>(o.rule).id;
    if (rng.Below(7) == 0) j["src"] = "engine_A.log:" + std::to_string(i);
    if (rng.Below(9) == 0) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() != "op" && it.key() != "t" && it.key() != "result" && it.key() != "reason" &&
            it.key() != "expect" && it.key() != "src") {
          *it = nullptr;
          break;
        }
      }
    }
    j["obs"] = M::ObservationToJson(M::Observe(o.next), config.nodes);
    if (rng.Below(10) == 0) {
      // A snapshot. Not `j = {{"t", buf}, {"obs", ...}}`: built with clang,
      // assigning a braced list to a json object leaked the object's old
      // members (LeakSanitizer, tools/test.sh --sanitize).
      nlohmann::json snapshot = nlohmann::json::object();
      snapshot["t"] = buf;
      snapshot["obs"] = std::move(j["obs"]);
      j = std::move(snapshot);
    }
    out.push_back(j.dump());
    if (o.accepted) s = o.next;
  }
  return out;
}

// `line` damaged once: a byte changed, inserted or removed, a key
// repeated, a value swapped for one of another kind, bytes appended.
std::string Damage(std::string line, Rng& rng) {
  static const std::string kBytes = "{}[]\":, 0123456789-+.eEnulltrfase\\/\t\r\x01\x7f\xc3\xa9\xff";
  static const char* kValues[] = {"null",
                                  "true",
                                  "1.5",
                                  "-0",
                                  "1e3",
                                  "\"\"",
                                  "[]",
                                  "{}",
                                  "[\"n1\", 3]",
                                  "18446744073709551616",
                                  "\"\\u0041\"",
                                  "\"x\\ty\"",
                                  "{\"a\":1}",
                                  "\"n0\"",
                                  "007",
                                  "99",
                                  "-1",
                                  "\"n9\"",
                                  "[\"n0\", \"n0\"]",
                                  "\"\\ud800\"",
                                  "\"\xc3\xa9\"",
                                  "2",
                                  "\"none\"",
                                  "\"absent\"",
                                  "[\"x\"]"};
  constexpr std::size_t kNumValues = sizeof kValues / sizeof kValues[0];
  if (line.empty()) return line;
  const std::size_t at = rng.Below(line.size());
  switch (rng.Below(8)) {
    case 0:
      line[at] = kBytes[rng.Below(kBytes.size())];
      break;
    case 1:
      line.insert(at, 1, kBytes[rng.Below(kBytes.size())]);
      break;
    case 2:
      line.erase(at, 1 + rng.Below(4));
      break;
    case 3: {  // repeat the first key with another value
      const auto colon = line.find(':');
      if (colon != std::string::npos && line.size() > 2) {
        line.insert(line.size() - 1, "," + line.substr(1, colon) + kValues[rng.Below(kNumValues)]);
      }
      break;
    }
    case 4: {  // a value of another kind after some key
      const auto colon = line.find(':', at);
      if (colon == std::string::npos) break;
      const auto end = line.find_first_of(",}", colon);
      if (end == std::string::npos) break;
      line.replace(colon + 1, end - colon - 1, kValues[rng.Below(kNumValues)]);
      break;
    }
    case 5:
      line += rng.Below(2) ? " x" : "}";
      break;
    case 6: {  // an unknown key
      line.insert(1, "\"extra\":1,");
      break;
    }
    default:
      line.insert(0, "  ");
      line += "  ";
      break;
  }
  return line;
}

TEST(TraceDecoders, AgreeOnModelWalksAndDamagedLines) {
  const fs::path dir =
      fs::temp_directory_path() / ("haspec-trace-decoders-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ForEachMachine([&]<Machine M>() {
    const std::string path = (dir / (std::string(M::kName) + ".jsonl")).string();
    {
      std::ofstream out(path);
      out << R"({"haspec_trace": 1, "machine": ")" << M::kName << "\"}\n";
      Rng rng(7);
      for (const auto& line : WalkLines<M>(1500, 11)) out << line << "\n";
      for (const auto& line : WalkLines<M>(3000, 12)) {
        std::string d = Damage(line, rng);
        if (rng.Below(3) == 0) d = Damage(d, rng);
        // A damaged line stays one line: a newline byte would split it.
        for (auto& ch : d) ch = ch == '\n' ? ' ' : ch;
        out << d << "\n";
      }
    }
    const Comparison c = Compare<M>(path);
    EXPECT_EQ(c.events, 4500u) << M::kName;
    // The undamaged walk and most damaged lines that still decode go fast.
    EXPECT_GT(c.fast, 1500u) << M::kName;
    EXPECT_GT(c.bad, 300u) << M::kName;  // the damage reaches the errors
  });
  fs::remove_all(dir);
}

// The fast path's scanner against nlohmann on objects built from valid and
// invalid pieces: a line it parses is valid JSON with as many keys, and a
// valid line of the shape it takes (unique keys; values strings, 64-bit
// integers, booleans, nulls or arrays of strings) it parses.
TEST(TraceDecoders, ScannerTakesOnlyValidJson) {
  struct Piece {
    const char* text;
    bool fast;  // a value the scanner takes
  };
  const std::vector<Piece> values = {{"\"x\"", true},
                                     {"\"\"", true},
                                     {"\"a b\"", true},
                                     {"0", true},
                                     {"-7", true},
                                     {"123", true},
                                     {"true", true},
                                     {"false", true},
                                     {"null", true},
                                     {"[]", true},
                                     {"[\"a\"]", true},
                                     {"[ \"a\" , \"b\" ]", true},
                                     {"9223372036854775807", true},
                                     {"-9223372036854775808", true},
                                     {"9223372036854775808", false},
                                     {"-9223372036854775809", false},
                                     {"01", false},
                                     {"-", false},
                                     {"1.5", false},
                                     {"1e3", false},
                                     {"tru", false},
                                     {"truex", false},
                                     {"nul", false},
                                     {"[1]", false},
                                     {"[\"a\",]", false},
                                     {"[\"a\"", false},
                                     {"{}", false},
                                     {"\"x", false},
                                     {"+1", false},
                                     {"", false},
                                     {"--1", false},
                                     {"[[]]", false}};
  const std::vector<const char*> keys = {"\"a\"", "\"b\"", "\"op\"", "\"t\"", "\"\"", "\"a\""};
  FastEventDecoder<jsa::Jsa> fast;
  Rng rng(11);
  std::size_t parsed = 0;
  for (int round = 0; round < 100000; ++round) {
    std::string line = rng.Below(8) == 0 ? " {" : "{";
    const std::size_t n = rng.Below(5);
    std::vector<std::string> used;
    bool shape = true;  // what the scanner should take, when nlohmann does
    for (std::size_t k = 0; k < n; ++k) {
      const std::string key = keys[rng.Below(keys.size())];
      const Piece& v = values[rng.Below(values.size())];
      shape = shape && v.fast && std::find(used.begin(), used.end(), key) == used.end();
      used.push_back(key);
      line += (k ? (rng.Below(20) == 0 ? "" : ",") : "") + key + (rng.Below(20) == 0 ? "" : ":") +
              (rng.Below(10) == 0 ? " " : "") + v.text;
    }
    line += rng.Below(20) == 0 ? "" : "}";
    if (rng.Below(20) == 0) line += rng.Below(2) ? " " : "x";
    const std::size_t count = fast.Parse(line);
    const bool valid = nlohmann::json::accept(line);
    if (count > 0) {
      ++parsed;
      ASSERT_TRUE(valid) << line;
      ASSERT_EQ(nlohmann::json::parse(line).size(), count) << line;
    } else if (valid && shape && n > 0) {
      ADD_FAILURE() << "the scanner declined " << line;
      return;
    }
  }
  EXPECT_GT(parsed, 10000u);
}

// The fast path's text comparison agrees with std::string_view's ==, on
// texts that differ in one byte anywhere, or in length, or not at all.
TEST(TraceDecoders, SameAgreesWithEquality) {
  Rng rng(5);
  for (int round = 0; round < 200000; ++round) {
    std::string a(rng.Below(40), 'x');
    for (auto& ch : a) ch = static_cast<char>('a' + rng.Below(3));
    std::string b = a;
    if (!b.empty() && rng.Below(2)) b[rng.Below(b.size())] = static_cast<char>('a' + rng.Below(3));
    if (rng.Below(8) == 0) b.push_back('a');
    ASSERT_EQ(trace_fast_internal::Same(a, b), std::string_view(a) == std::string_view(b))
        << a << " / " << b;
  }
}

// The word-at-a-time scan agrees with a byte loop.
TEST(TraceDecoders, PlainLineScan) {
  Rng rng(3);
  for (int round = 0; round < 200000; ++round) {
    std::string s(rng.Below(40), 'a');
    for (auto& ch : s) {
      const auto r = rng.Below(10);
      ch = r < 6 ? static_cast<char>(0x20 + rng.Below(0x5f)) : static_cast<char>(rng.Below(256));
    }
    bool plain = true, ascii = true;
    for (unsigned char ch : s) {
      plain = plain && ch >= 0x20 && ch != '\\';
      ascii = ascii && ch < 0x80;
    }
    bool got_ascii = false;
    ASSERT_EQ(trace_fast_internal::PlainLine(s, got_ascii), plain) << round;
    if (plain) {
      ASSERT_EQ(got_ascii, ascii) << round;
    }
  }
}

// The fast path's key table is kTraceKeys and kSnapshotKeys, and no op
// field of any machine is named like a trace key.
// The minute cache of the fast path answers as ParseTimestamp does, line
// after line: same minute with other seconds, fractions and zones, a
// malformed tail after a cached minute, a new minute, a new day, and lines
// that are not timestamps at all.
TEST(TraceDecoders, TimestampReaderAgreesWithParseTimestamp) {
  const std::vector<std::string> base = {"2024-03-01T10:15:00Z",
                                         "2024-03-01T10:15:59Z",
                                         "2024-03-01T10:15:30.25Z",
                                         "2024-03-01T10:15:30,5",
                                         "2024-03-01T10:15:30+01:00",
                                         "2024-03-01T10:15:30-0530",
                                         "2024-03-01T10:15:60Z",
                                         "2024-03-01T10:15:61Z",
                                         "2024-03-01T10:15:3Z",
                                         "2024-03-01T10:15:30.Z",
                                         "2024-03-01T10:15:30Zx",
                                         "2024-03-01T10:15",
                                         "2024-03-01T10:15:",
                                         "2024-03-01T10:16:00Z",
                                         "2024-03-01 10:16:01",
                                         "2024-03-02T00:00:00Z",
                                         "1969-12-31T23:59:59.5Z",
                                         "1969-12-31T23:59:58Z",
                                         "2024-02-30T10:15:00Z",
                                         "2024-13-01T10:15:00Z",
                                         "2024-03-01T24:15:00Z",
                                         "not a time at all, really",
                                         "",
                                         "2024-03-01t10:16:02z",
                                         "2024-03-01T10:16:02+24:00",
                                         "2024-03-01T10:16:02+23:59"};
  Rng rng(7);
  TimestampReader reader;
  for (int round = 0; round < 4000; ++round) {
    const std::string& s = base[rng.Below(base.size())];
    ASSERT_EQ(reader.Parse(s), ParseTimestamp(s)) << "\"" << s << "\" (line " << round << ")";
  }
}

TEST(TraceDecoders, KeyTableMatchesTraceKeys) {
  using trace_fast_internal::Classify;
  using trace_fast_internal::Key;
  auto snapshot = [](std::string_view k) {
    return std::find(std::begin(trace_internal::kSnapshotKeys),
                     std::end(trace_internal::kSnapshotKeys),
                     k) != std::end(trace_internal::kSnapshotKeys);
  };
  for (std::string_view k : kTraceKeys) {
    EXPECT_NE(Classify(k), Key::kOther) << k;
    EXPECT_NE(Classify(k), Key::kHeader) << k;
    EXPECT_EQ(trace_fast_internal::SnapshotKey(Classify(k)), snapshot(k)) << k;
  }
  for (std::string_view k : trace_internal::kSnapshotKeys) {
    EXPECT_NE(Classify(k), Key::kOther) << k;
  }
  EXPECT_EQ(Classify("haspec_trace"), Key::kHeader);
  for (std::string_view k : {"", "x", "o", "ob", "obs2", "Op", "T", "results", "sr", "notes"}) {
    EXPECT_EQ(Classify(k), Key::kOther) << k;
  }
  ForEachMachine([&]<Machine M>() {
    ForEachOpType<typename M::Op>([&]<class T>(std::size_t) {
      ForEachField<T>([&](const auto& f) {
        EXPECT_EQ(Classify(f.name), Key::kOther) << M::kName << " " << T::kName << "." << f.name;
      });
    });
  });
}

// A codec error path holds node names, which may hold brackets: only digits
// between them index an array (std::stoul threw on the rest).
TEST(TraceDecoders, ErasePathTakesOnlyDigitsAsAnIndex) {
  auto j = nlohmann::json::parse(R"({"nodes": {"n": [{"status": "X"}, {"status": "Y"}]}})");
  for (const char* bad : {"nodes.n[x].status", "nodes.n[].status", "nodes.n[1x].status",
                          "nodes.n[-1].status", "nodes.n[2].status", "nodes.n[0"}) {
    EXPECT_FALSE(trace_internal::ErasePath(j, bad)) << bad;
  }
  EXPECT_TRUE(trace_internal::ErasePath(j, "nodes.n[1].status"));
  EXPECT_EQ(j.dump(), R"({"nodes":{"n":[{"status":"X"},{}]}})");
}

// The cache gives what the machine's codec gives, drift included, and
// stays bounded.
TEST(TraceDecoders, ObservationCacheIsBounded) {
  ForEachMachine([&]<Machine M>() {
    auto config = M::DefaultConfig();
    ObservationCache<M> cache;
    std::vector<std::string> texts;
    for (const auto& line : WalkLines<M>(3000, 5)) {
      auto j = nlohmann::json::parse(line);
      texts.push_back(j["obs"].dump());
    }
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& text : texts) {
        const auto* e = cache.Find(text, config.nodes);
        ASSERT_NE(e, nullptr) << text;
        auto j = nlohmann::json::parse(text);
        std::vector<std::string> drift;
        EXPECT_EQ(e->obs, trace_internal::ObservationWithDrift<M>(j, config.nodes, drift));
        EXPECT_EQ(e->drift, drift);
      }
    }
    EXPECT_GT(cache.hits(), 0u) << M::kName;
    EXPECT_EQ(cache.Find("{\"no such key\": 1}", config.nodes), nullptr);
    EXPECT_EQ(cache.Find("{\"hosts\": [1,}", config.nodes), nullptr);
  });
}

}  // namespace
}  // namespace haspec
