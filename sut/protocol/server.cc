#include "sut/protocol/server.h"

#include <iostream>
#include <stdexcept>

#include "sut/protocol/json_text.h"

namespace haspec::sut {
namespace {

using nlohmann::json;

void Send(std::ostream& out, const json& j) {
  out << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
  out.flush();
}

void Error(std::ostream& out, const std::string& message) {
  Send(out, {{"type", "error"}, {"message", message}});
}

}  // namespace

int Serve(Implementation& impl, std::istream& in, std::ostream& out) {
  // The standard streams unsynchronised from C stdio buffer whole blocks.
  if (&in == &std::cin) std::ios::sync_with_stdio(false);
  std::string line;
  bool greeted = false;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json msg;
    try {
      msg = json::parse(line);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
      Error(out, std::string("not valid JSON: ") + e.what());
      return 2;
    }
    const std::string type = msg.value("type", "");
    try {
      if (type == "hello") {
        if (msg.value("protocol", 0) != kProtocolVersion) {
          Error(out, "unsupported protocol version " + msg.value("protocol", json()).dump());
          return 2;
        }
        if (msg.value("machine", "") != impl.Machine()) {
          Error(out, "this implementation is for machine " + impl.Machine());
          return 2;
        }
        greeted = true;
        Send(out, {{"type", "hello"},
                   {"protocol", kProtocolVersion},
                   {"machine", impl.Machine()},
                   {"implementation", impl.Name()},
                   {"env_choices", impl.EnvChoices()},
                   {"reset", true}});
      } else if (!greeted) {
        Error(out, "expected hello first, got \"" + type + "\"");
        return 2;
      } else if (type == "reset") {
        json obs = impl.Reset(msg.value("config", json::object()));
        std::string reply = "{\"type\":\"ready\"";
        if (!obs.is_null()) {
          reply += ",\"observation\":";
          reply += obs.dump(-1, ' ', false, json::error_handler_t::replace);
        }
        reply += "}\n";
        out << reply;
        // haspec writes a run's first ops with its reset: flushed like a
        // result, once no further request is buffered.
        if (in.rdbuf()->in_avail() <= 0) out.flush();
      } else if (type == "op") {
        Result r = impl.Apply(msg.at("op"));
        // Written as text: a reply document would cost more than the op.
        JsonText w;
        w.Open().Key("type").Value("result");
        const json& seq = msg.value("seq", json(0));
        w.Key("seq").Value(seq.is_number_integer() ? seq.get<std::int64_t>() : 0);
        w.Key("accepted").Value(r.accepted);
        if (!r.accepted && !r.reason.empty()) w.Key("reason").Value(r.reason);
        std::string reply = w.Take();
        if (!r.observation_text.empty()) {
          reply += ",\"observation\":";
          reply += r.observation_text;
        } else if (!r.observation.is_null()) {
          reply += ",\"observation\":";
          reply += r.observation.dump(-1, ' ', false, json::error_handler_t::replace);
        }
        reply += "}\n";
        out << reply;
        // Flushed only once no further request is already buffered: when
        // haspec pipelines requests, the replies go out in one write.
        if (in.rdbuf()->in_avail() <= 0) out.flush();
      } else if (type == "bye") {
        return 0;
      } else {
        Error(out, "unknown message type \"" + type + "\"");
        return 2;
      }
    } catch (const std::exception& e) {
      Error(out, e.what());
      return 2;
    }
  }
  return 0;
}

}  // namespace haspec::sut
