// The implementation side of haspec's SUT protocol (docs/sut-protocol.md):
// a JSON Lines loop over stdin/stdout that answers hello, reset, op and bye
// by calling an Implementation. A reference implementation (sut/<machine>/)
// or any C++ product adapter becomes a gate-able program with
//
//   class MyCluster : public haspec::sut::Implementation { ... };
//   int main(int argc, char** argv) {
//     MyCluster impl;
//     return haspec::sut::Serve(impl, std::cin, std::cout);
//   }
//
// Nothing here includes model/: implementations under test are written from
// the documents, not from haspec's model.
#ifndef HASPEC_SUT_PROTOCOL_SERVER_H_
#define HASPEC_SUT_PROTOCOL_SERVER_H_

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace haspec::sut {

inline constexpr int kProtocolVersion = 1;

// A refusal or a failure the implementation reports for one op.
struct Result {
  bool accepted = true;
  std::string reason;          // a rule ID of the machine, or "" (not given)
  nlohmann::json observation;  // partial observation; null = none reported
  // Or the observation as JSON text, when the implementation writes it
  // itself (sut/protocol/json_text.h): faster than a document. Used when
  // not empty.
  std::string observation_text;
};

// A result's observation as a JSON document, whichever way it was given.
inline nlohmann::json ObservationOf(const Result& r) {
  return r.observation_text.empty() ? r.observation : nlohmann::json::parse(r.observation_text);
}

class Implementation {
 public:
  virtual ~Implementation() = default;
  // The machine this implementation speaks for ("dsm", "vcs-system", ...).
  virtual std::string Machine() const = 0;
  // A name and version for reports.
  virtual std::string Name() const = 0;
  // Environment-choice fields it can inject, as "op.field" ("promote.failed").
  virtual std::vector<std::string> EnvChoices() const { return {}; }
  // Starts over from the configuration's initial situation; returns the
  // initial observation (null for none). Throws std::runtime_error on a
  // configuration it cannot run.
  virtual nlohmann::json Reset(const nlohmann::json& config) = 0;
  // Applies one op (JSON as in the machine's op reference).
  virtual Result Apply(const nlohmann::json& op) = 0;
};

// Serves the protocol until "bye" or end of input; returns the exit status.
int Serve(Implementation& impl, std::istream& in, std::ostream& out);

}  // namespace haspec::sut

#endif  // HASPEC_SUT_PROTOCOL_SERVER_H_
