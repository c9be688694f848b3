// The fuzz target protocol_reply (fuzz/): haspec's reading of an
// implementation's reply lines (sut/protocol/reply.h), which the gate
// trusts no more than the implementation. A line it refuses must be a
// SutError (any other exception escapes and is a finding); a reply it reads
// writes (as a conforming implementation would) and reads back to the same
// value; and a result line read the fast way (its observation cut out as
// text) gives what a whole parse gives, the observation included.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_FUZZ_PROTOCOL_H_
#define HASPEC_ENGINE_FUZZ_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/fuzz_common.h"
#include "sut/protocol/reply.h"

namespace haspec::fuzz {

// Calls read(); a reply the client refuses (SutError) ends the exec quietly.
template <class F>
auto RefusedReply(F read) -> std::optional<decltype(read())> {
  try {
    return read();
  } catch (const sut::SutError&) {
    return std::nullopt;
  }
}

// A result with its observation as JSON (the gate parses the text it cut
// out when it keeps a reply); nullopt when that text is not JSON, which
// the gate reports as a malformed observation.
inline std::optional<sut::Reply> Materialized(sut::Reply r) {
  try {
    sut::MaterializeObservation(r);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return r;
}

inline std::string ShowReply(const sut::Reply& r) {
  return std::string(r.accepted ? "accepted" : "refused") + " reason=\"" + r.reason +
         "\" observation=" +
         (r.observation_text.empty() ? r.observation.dump() : r.observation_text);
}

// First byte: 0 hello, 1 ready, 2 result; the rest is one reply line (up to
// its first newline: the client splits its input there). Hello replies are
// read as the answer to a dsm hello, result lines as the reply to request 7.
inline int ProtocolReply(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string_view line(reinterpret_cast<const char*>(data + 1), size - 1);
  line = line.substr(0, line.find('\n'));
  constexpr std::string_view kMachine = "dsm";
  constexpr long kSeq = 7;
  switch (data[0] % 3) {
    case 0: {
      auto h = RefusedReply(
          [&] { return sut::HelloFromReply(sut::ParseReplyLine(line, "hello"), kMachine); });
      if (!h) return 0;
      const std::string out = sut::FormatHelloLine(*h, kMachine);
      auto again = MustParse("hello reply", out, [&] {
        return sut::HelloFromReply(sut::ParseReplyLine(out, "hello"), kMachine);
      });
      MustEqual("hello reply", *h, again,
                [&](const sut::HelloReply& x) { return sut::FormatHelloLine(x, kMachine); });
      break;
    }
    case 1: {
      auto obs =
          RefusedReply([&] { return sut::ReadyObservation(sut::ParseReplyLine(line, "ready")); });
      if (!obs) return 0;
      const std::string out = sut::FormatReadyLine(*obs);
      auto again = MustParse("ready reply", out, [&] {
        return sut::ReadyObservation(sut::ParseReplyLine(out, "ready"));
      });
      MustEqual("ready reply", *obs, again, [](const nlohmann::json& x) { return x.dump(); });
      break;
    }
    default: {
      // The fast way (the gate's) and a whole parse must agree.
      auto fast = RefusedReply([&] { return sut::ParseResultLine(std::string(line), kSeq); });
      auto slow = RefusedReply(
          [&] { return sut::ResultFromReply(sut::ParseReplyLine(line, "result"), kSeq); });
      std::optional<sut::Reply> fast_json;
      if (fast) fast_json = Materialized(*fast);
      if (fast_json.has_value() != slow.has_value() || (slow && !(*fast_json == *slow))) {
        Fail("result line: the fast reading and a whole parse disagree\nline: " +
             std::string(line) + "\nfast: " + (fast ? ShowReply(*fast) : "refused") +
             (fast && !fast_json ? " (its observation is not JSON)" : "") +
             "\nwhole: " + (slow ? ShowReply(*slow) : "refused") + "\n");
      }
      if (!fast) return 0;
      const std::string out = sut::FormatResultLine(*fast, kSeq);
      auto again = MustParse("result reply", out, [&] { return sut::ParseResultLine(out, kSeq); });
      // Compared as JSON: a reply read whole (a doubled observation) has
      // its observation as a document, the same reply read back as text.
      auto a = Materialized(*fast);
      auto b = Materialized(again);
      if (a.has_value() != b.has_value()) {
        Fail("result reply: the round trip changed whether the observation is JSON\nfirst:  " +
             ShowReply(*fast) + "\nsecond: " + ShowReply(again) + "\n");
      }
      if (a) {
        MustEqual("result reply", *a, *b, ShowReply);
      } else {
        MustEqual("result reply", *fast, again, ShowReply);
      }
      break;
    }
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_PROTOCOL_H_
