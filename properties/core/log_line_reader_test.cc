// LogLineReader (model/core/import.h), which every log importer reads
// through, reads its stream in chunks. It must split lines, number them and
// refuse NULs and overlong lines exactly as reading one character at a time
// does (the reader it replaced, kept below as the reference), also where a
// line, a CRLF or an error straddles two chunks.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include "model/core/import.h"
#include "model/core/parse_error.h"

namespace haspec {
namespace {

// One character at a time: a NUL, or a character past max_line, is an error
// naming the line; a trailing CR is dropped; the last line may lack '\n'.
class ReferenceReader {
 public:
  ReferenceReader(std::istream& in, std::size_t max_line) : in_(in), max_line_(max_line) {}
  bool Next(std::string_view& line) {
    buf_.clear();
    if (!in_.good()) return false;
    bool any = false;
    for (;;) {
      const int c = in_.rdbuf()->sbumpc();
      if (c == std::char_traits<char>::eof()) {
        in_.setstate(std::ios::eofbit);
        if (!any) return false;
        break;
      }
      any = true;
      if (c == '\n') break;
      if (c == '\0') {
        ++number_;
        throw ParseError(
            "line " + std::to_string(number_),
            "NUL byte at column " + std::to_string(buf_.size() + 1) + ": not a text log");
      }
      if (buf_.size() >= max_line_) {
        ++number_;
        throw ParseError(
            "line " + std::to_string(number_),
            "line longer than " + std::to_string(max_line_) + " bytes: not a text log");
      }
      buf_.push_back(static_cast<char>(c));
    }
    ++number_;
    if (!buf_.empty() && buf_.back() == '\r') buf_.pop_back();
    line = buf_;
    return true;
  }
  int number() const { return number_; }

 private:
  std::istream& in_;
  std::size_t max_line_;
  std::string buf_;
  int number_ = 0;
};

// Every line and error, read on past errors as a --keep-going caller does.
template <class Reader>
std::string ReadAll(Reader& r) {
  std::string out;
  std::string_view line;
  for (int k = 0; k < 200000; ++k) {
    try {
      if (!r.Next(line)) return out + "|end at line " + std::to_string(r.number());
      out += "|" + std::string(line);
    } catch (const ParseError& e) {
      out += "|error " + std::string(e.what());
    }
  }
  return out + "|did not end";
}

std::string Difference(const std::string& text, std::size_t max_line) {
  std::istringstream a(text), b(text);
  ReferenceReader want(a, max_line);
  LogLineReader got(b, max_line);
  const std::string w = ReadAll(want), g = ReadAll(got);
  return w == g ? "" : "want " + w.substr(0, 300) + "\n got " + g.substr(0, 300);
}

TEST(LogLineReader, ReadsAsOneCharacterAtATimeDoes) {
  std::mt19937 rng(7);
  const std::string alphabet("ab\n\r\0", 5);
  for (int round = 0; round < 600; ++round) {
    // Mostly short inputs; every tenth one up to three 16 KB chunks long.
    const std::size_t n = round % 10 == 0 ? rng() % 50000 : rng() % 300;
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      // Letters mostly, so that lines run long; NULs and CRs now and then.
      const std::size_t k = rng() % 16;
      text += k < 10 ? alphabet[k % 2] : alphabet[2 + (k % 3)];
    }
    const std::size_t max_line = round % 5 == 0 ? 20000 : 1 + rng() % 60;
    ASSERT_EQ(Difference(text, max_line), "") << "round " << round;
  }
}

TEST(LogLineReader, ChunkEdges) {
  constexpr std::size_t kChunk = std::size_t{1} << 14;  // LogLineReader's
  for (std::size_t at : {kChunk - 2, kChunk - 1, kChunk, kChunk + 1}) {
    const std::string before(at, 'x');
    for (const std::string& edge : {std::string("\r\nnext\n"), std::string("\nnext"),
                                    std::string("\0tail", 5), std::string("yy\n")}) {
      EXPECT_EQ(Difference(before + edge, kChunk), "") << at;
      EXPECT_EQ(Difference(before + edge, 1u << 20), "") << at;
      EXPECT_EQ(Difference("a\n" + before + edge, at), "") << at;
    }
  }
  EXPECT_EQ(Difference("", 10), "");
  EXPECT_EQ(Difference("\n", 10), "");
  EXPECT_EQ(Difference("a\r", 10), "");
}

}  // namespace
}  // namespace haspec
