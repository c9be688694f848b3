// Writes JSON text straight into a string, with no document in between: a
// reference server answers tens of thousands of ops a second, and building
// an observation as a JSON document cost more than the rest of its work.
//
//   JsonText w;
//   w.Open().Key("nodes").Open().Key(name).Value(true).Close().Close();
//   std::string text = w.Take();   // {"nodes":{"n0":true}}
//
// Commas are placed by the writer; keys and strings are escaped.
#ifndef HASPEC_SUT_PROTOCOL_JSON_TEXT_H_
#define HASPEC_SUT_PROTOCOL_JSON_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace haspec::sut {

class JsonText {
 public:
  JsonText& Open() { return Begin('{'); }
  JsonText& OpenList() { return Begin('['); }
  JsonText& Close() { return End('}'); }
  JsonText& CloseList() { return End(']'); }
  JsonText& Key(std::string_view k) {
    Comma();
    Quoted(k);
    s_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonText& Value(std::string_view v) {
    Comma();
    Quoted(v);
    return *this;
  }
  JsonText& Value(const char* v) { return Value(std::string_view(v)); }
  JsonText& Value(const std::string& v) { return Value(std::string_view(v)); }
  JsonText& Value(bool v) {
    Comma();
    s_ += v ? "true" : "false";
    return *this;
  }
  JsonText& Value(std::int64_t v) {
    Comma();
    s_ += std::to_string(v);
    return *this;
  }
  JsonText& Value(int v) { return Value(static_cast<std::int64_t>(v)); }
  std::string Take() { return std::move(s_); }

 private:
  JsonText& Begin(char c) {
    Comma();
    s_ += c;
    first_ = true;
    return *this;
  }
  JsonText& End(char c) {
    s_ += c;
    first_ = false;
    return *this;
  }
  // A value after a key, or the first in its object or list, needs none.
  void Comma() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_ && !s_.empty()) {
      s_ += ',';
    }
    first_ = false;
  }
  void Quoted(std::string_view v) {
    s_ += '"';
    for (char c : v) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        s_ += '\\';
        s_ += c;
      } else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        s_ += "\\u00";
        s_ += kHex[u >> 4];
        s_ += kHex[u & 15];
      } else {
        s_ += c;  // UTF-8 passes through
      }
    }
    s_ += '"';
  }

  std::string s_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace haspec::sut

#endif  // HASPEC_SUT_PROTOCOL_JSON_TEXT_H_
