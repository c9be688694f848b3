// The error every codec and importer throws on bad input. It names where the
// problem is (file, line, JSON field path) and what is wrong, so a user can
// fix the input without reading haspec's code.
//
//   throw ParseError("state", "expected one of ACTIVE_MODE, ...; got \"X\"");
#ifndef HASPEC_MODEL_CORE_PARSE_ERROR_H_
#define HASPEC_MODEL_CORE_PARSE_ERROR_H_

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

  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& unknown_status() const { return unknown_status_; }

  // The same error under another field path (a codec nested in another).
  ParseError Moved(std::string where) const {
    return {std::move(where), problem_, unknown_status_};
  }

 private:
  std::string where_;
  std::string problem_;
  std::string unknown_status_;
};

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_PARSE_ERROR_H_
