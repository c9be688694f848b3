// The error every codec and importer throws on bad input. It names where the
// problem is (file, line, JSON field path) and what is wrong, so a user can
// fix the input without reading haspec's code.
//
//   throw ParseError("state", "expected one of ACTIVE_MODE, ...; got \"X\"");
#ifndef HASPEC_MODEL_CORE_PARSE_ERROR_H_
#define HASPEC_MODEL_CORE_PARSE_ERROR_H_

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace haspec {

class ParseError : public std::runtime_error {
 public:
  // `where`: a field path such as "[2].state", or "" for the whole input.
  // `unknown_status`: set when the problem is a status name the machine's
  // vocabulary does not hold, which replay reports as vocabulary drift (the
  // product grew a status the documents do not list), not as a malformed
  // line.
  ParseError(std::string where, const std::string& problem, std::string unknown_status = {})
      : std::runtime_error(where.empty() ? problem : where + ": " + problem),
        where_(std::move(where)),
        problem_(problem),
        unknown_status_(std::move(unknown_status)) {}

  // An error at a byte offset of a text read by hand (where() says
  // "offset N"; offset() holds N, so a caller that maps it to a line never
  // reads it back from the text, where a key could look the same).
  static ParseError AtOffset(std::size_t offset, const std::string& problem) {
    ParseError e("offset " + std::to_string(offset), problem);
    e.offset_ = offset;
    return e;
  }

  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& unknown_status() const { return unknown_status_; }
  std::optional<std::size_t> offset() const { return offset_; }

  // The same error under another field path (a codec nested in another).
  ParseError Moved(std::string where) const {
    ParseError e{std::move(where), problem_, unknown_status_};
    e.offset_ = offset_;
    return e;
  }

 private:
  std::string where_;
  std::string problem_;
  std::string unknown_status_;
  std::optional<std::size_t> offset_;
};

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_PARSE_ERROR_H_
