// haspec's reading of the replies in the SUT protocol (docs/sut-protocol.md),
// apart from the process that writes them: the client (client.h) reads a
// line from the implementation and hands it here, and the fuzz target
// protocol_reply (fuzz/) hands it bytes. A reply that breaks the protocol
// is a SutError saying how; the client adds the implementation's last
// stderr lines and stops it.
//
//   nlohmann::json j = ParseReplyLine(line, "hello");
//   HelloReply h = HelloFromReply(j, "dsm");
//   Reply r = ParseResultLine(std::move(line), 7);   // observation as text
//
// The writers (Format*) produce the lines a conforming implementation
// writes, so that what was read can be written and read back.
#ifndef HASPEC_SUT_PROTOCOL_REPLY_H_
#define HASPEC_SUT_PROTOCOL_REPLY_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace haspec::sut {

// The implementation failed; what() says how (with its last stderr lines,
// once the client has them).
class SutError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HelloReply {
  std::string implementation;
  std::vector<std::string> env_choices;  // "op.field"
  bool reset = false;

  bool operator==(const HelloReply&) const = default;
};

struct Reply {
  bool accepted = false;
  std::string reason;          // "" when not given
  nlohmann::json observation;  // null when not given (or given as text below)
  // The observation as the implementation wrote it, not yet parsed ("" when
  // not given or given above): the gate decodes it through a cache, since a
  // conforming implementation shows the same few observations over and
  // over. Well-formed JSON is not yet checked; MaterializeObservation does.
  std::string observation_text;

  bool operator==(const Reply&) const = default;
};

// Parses observation_text into observation (once the reply is kept for a
// report). Throws nlohmann::json::exception on text that is not JSON (a
// parse_error, or out_of_range for a number too large for a double).
void MaterializeObservation(Reply& r);

// The extent [begin, end) of the value of the top-level member `key` of the
// object in `s`, found without parsing the line. False when `s` is not
// shaped like an object, when the key is not there or appears twice, or
// when a member name has an escape (it might spell the key): the caller
// then parses the line whole, so the cut-out value is always the one a
// whole parse gives (the last of duplicate keys, as nlohmann keeps). Only
// the extent is found: whether the value is well-formed JSON is for the
// parser to say.
bool FindMember(std::string_view s, std::string_view key, std::size_t& begin, std::size_t& end);

// A reply line as a JSON object whose "type" is want_type. SutError when
// it is not JSON, not an object, has no "type", is an error reply (with
// its message) or another type.
nlohmann::json ParseReplyLine(std::string_view line, std::string_view want_type);

// The implementation's hello: protocol 1, for `machine`; SutError otherwise.
HelloReply HelloFromReply(const nlohmann::json& r, std::string_view machine);

// A "ready" reply's initial observation (null when none was reported).
nlohmann::json ReadyObservation(nlohmann::json&& r);

// A "result" reply for request `seq` (its "seq", when given, must match).
Reply ResultFromReply(nlohmann::json&& r, long seq);

// A "result" line: its observation, most of the line, is cut out as text
// (FindMember) and only the rest parsed; a line it cannot be cut from is
// parsed whole. The same reply as ResultFromReply(ParseReplyLine(line)),
// the observation apart (as text, not yet checked).
Reply ParseResultLine(std::string line, long seq);

// The lines a conforming implementation writes.
std::string FormatHelloLine(const HelloReply& h, std::string_view machine);
std::string FormatReadyLine(const nlohmann::json& observation);
std::string FormatResultLine(const Reply& r, long seq);

}  // namespace haspec::sut

#endif  // HASPEC_SUT_PROTOCOL_REPLY_H_
