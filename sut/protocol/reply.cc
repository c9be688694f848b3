#include "sut/protocol/reply.h"

namespace haspec::sut {
namespace {

using nlohmann::json;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t SkipSpace(std::string_view s, std::size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// From the opening quote of a string to just past its closing quote; npos
// when it does not close.
std::size_t SkipString(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// From the first character of a value to just past it; npos when brackets
// or strings do not close. Only the extent is found: whether the value is
// well-formed JSON is for the parser to say.
std::size_t SkipValue(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] != '{' && s[i] != '[') {
    const std::size_t from = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !IsSpace(s[i])) ++i;
    // No value at all ("observation":}) is no extent: cut out as nothing,
    // the rest would parse and the reply pass as one without observation.
    return i == from ? std::string_view::npos : i;
  }
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      i = SkipString(s, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace

bool FindMember(std::string_view s, std::string_view key, std::size_t& begin, std::size_t& end) {
  std::size_t i = SkipSpace(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  bool found = false;
  for (i = SkipSpace(s, i + 1); i < s.size() && s[i] == '"';) {
    const std::size_t k = i + 1;
    i = SkipString(s, i);
    if (i == std::string_view::npos) return false;
    const std::string_view name = s.substr(k, i - 1 - k);
    // An escape might spell the key ("observ\u0061tion"): let a whole
    // parse decide.
    if (name.find('\\') != std::string_view::npos) return false;
    i = SkipSpace(s, i);
    if (i >= s.size() || s[i] != ':') return false;
    const std::size_t v = SkipSpace(s, i + 1);
    i = SkipValue(s, v);
    if (i == std::string_view::npos) return false;
    if (name == key) {
      // Twice: a whole parse keeps the last, so the cut would differ.
      if (found) return false;
      found = true;
      begin = v;
      end = i;
    }
    i = SkipSpace(s, i);
    // The members after the key are only scanned for a second one: the
    // reference servers write the observation last, so this costs nothing
    // on their lines; a malformed rest is for the parser to report.
    if (i < s.size() && s[i] == '}') return found;
    if (i >= s.size() || s[i] != ',') return found;
    i = SkipSpace(s, i + 1);
  }
  return found;
}

json ParseReplyLine(std::string_view line, std::string_view want_type) {
  json reply;
  try {
    reply = json::parse(line);
  } catch (const json::exception&) {  // parse_error, or out_of_range for 1e999
    throw SutError("the implementation replied with a line that is not JSON: \"" +
                   std::string(line.substr(0, 200)) + "\"");
  }
  if (!reply.is_object()) {
    throw SutError("the implementation replied with a non-object: " + std::string(line));
  }
  const auto type = reply.find("type");
  if (type == reply.end() || !type->is_string()) {
    throw SutError("the implementation replied without a \"type\": " +
                   std::string(line.substr(0, 200)));
  }
  if (*type == "error") {
    // The message is the implementation's: shown whatever its JSON type.
    const auto m = reply.find("message");
    throw SutError("the implementation reported an error: " +
                   (m == reply.end() ? std::string()
                    : m->is_string() ? m->get<std::string>()
                                     : m->dump(-1, ' ', false, json::error_handler_t::replace)));
  }
  if (*type != want_type) {
    throw SutError("expected a \"" + std::string(want_type) +
                   "\" reply, got: " + std::string(line.substr(0, 200)));
  }
  return reply;
}

HelloReply HelloFromReply(const json& r, std::string_view machine) {
  // Each member is checked for its type before it is read: a reply is the
  // implementation's, and a wrong type must be its failure (SutError), not
  // a JSON type error escaping haspec.
  const auto protocol = r.find("protocol");
  if (protocol == r.end() || !protocol->is_number() || *protocol != 1) {
    throw SutError("the implementation speaks protocol " +
                   (protocol == r.end() ? std::string("null") : protocol->dump()) +
                   ", haspec speaks 1");
  }
  const auto m = r.find("machine");
  if (m == r.end() || !m->is_string() || m->get_ref<const std::string&>() != machine) {
    throw SutError("the implementation is for machine " +
                   (m == r.end() ? std::string("null") : m->dump()) + ", not " +
                   std::string(machine));
  }
  HelloReply h;
  h.implementation = "(unnamed)";
  if (auto it = r.find("implementation"); it != r.end()) {
    if (!it->is_string()) throw SutError("hello: implementation must be a string");
    h.implementation = it->get<std::string>();
  }
  if (auto it = r.find("reset"); it != r.end()) {
    if (!it->is_boolean()) throw SutError("hello: reset must be true or false");
    h.reset = it->get<bool>();
  }
  if (auto it = r.find("env_choices"); it != r.end()) {
    if (!it->is_array()) throw SutError("hello: env_choices must be a list of \"op.field\" names");
    for (const auto& e : *it) {
      if (!e.is_string()) throw SutError("hello: env_choices must be a list of \"op.field\" names");
      h.env_choices.push_back(e.get<std::string>());
    }
  }
  return h;
}

json ReadyObservation(json&& r) {
  auto it = r.find("observation");
  return it != r.end() ? std::move(*it) : json();
}

Reply ResultFromReply(json&& r, long seq) {
  if (auto it = r.find("seq"); it != r.end() && *it != seq) {
    throw SutError("the reply is for request " + it->dump() + ", not " + std::to_string(seq));
  }
  auto acc = r.find("accepted");
  if (acc == r.end() || !acc->is_boolean()) {
    throw SutError("a result needs \"accepted\": true or false");
  }
  Reply out;
  out.accepted = acc->get<bool>();
  if (auto it = r.find("reason"); it != r.end()) {
    if (!it->is_string()) throw SutError("\"reason\" must be a rule ID string");
    out.reason = it->get<std::string>();
  }
  if (auto it = r.find("observation"); it != r.end()) out.observation = std::move(*it);
  return out;
}

Reply ParseResultLine(std::string line, long seq) {
  // The observation is most of the line; it is cut out as text (the gate
  // decodes it through a cache) and the rest parsed.
  std::size_t b = 0, e = 0;
  if (!FindMember(line, "observation", b, e)) {
    return ResultFromReply(ParseReplyLine(line, "result"), seq);
  }
  std::string text = line.substr(b, e - b);
  line.replace(b, e - b, "null");
  Reply r = ResultFromReply(ParseReplyLine(line, "result"), seq);
  if (text != "null") r.observation_text = std::move(text);
  return r;
}

void MaterializeObservation(Reply& r) {
  if (r.observation_text.empty()) return;
  r.observation = json::parse(r.observation_text);
  r.observation_text.clear();
}

std::string FormatHelloLine(const HelloReply& h, std::string_view machine) {
  return json{{"type", "hello"},
              {"protocol", 1},
              {"machine", machine},
              {"implementation", h.implementation},
              {"env_choices", h.env_choices},
              {"reset", h.reset}}
      .dump();
}

std::string FormatReadyLine(const json& observation) {
  json j{{"type", "ready"}};
  if (!observation.is_null()) j["observation"] = observation;
  return j.dump();
}

std::string FormatResultLine(const Reply& r, long seq) {
  json j{{"type", "result"}, {"seq", seq}, {"accepted", r.accepted}};
  if (!r.reason.empty()) j["reason"] = r.reason;
  std::string line = j.dump();
  // The observation goes last, as text when it came as text (the reference
  // servers write it that way too).
  if (!r.observation_text.empty() || !r.observation.is_null()) {
    line.pop_back();
    line += ",\"observation\":";
    line += r.observation_text.empty() ? r.observation.dump() : r.observation_text;
    line += '}';
  }
  return line;
}

}  // namespace haspec::sut
