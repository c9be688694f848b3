// Trace format v1 (docs/trace-format.md): the streaming reader behind
// `haspec replay` and `haspec shrink`.
//
// JSON Lines; '#' comment lines and blank lines are skipped. An optional
// header (the first line that is not a comment) names the format version
// and the machine, and may give a configuration, a node-name map, a source
// and a profile. Every other line is an event: an op (a field given as null
// is unknown: every value of its domain), its result when known, a partial
// observation, a timestamp "t", the "src" of the original log line, an
// "expect". Version 0 traces (docs/op-traces.md, no header) read the same.
//
//   TraceReader<Dsm> r("cluster.jsonl", {});          // throws InputError
//   r.Start(config.nodes);                            // after r.header()
//   TraceItem<Dsm> item;
//   while (r.Next(item)) {
//     if (item.bad) report(item.problem); else feed(item.event);
//   }
//
// The reader holds one line at a time, so memory does not grow with the
// trace. A line longer than ReaderOptions::max_line_bytes is refused
// without being held whole (it is skipped to its end in fixed chunks).
// Event lines are decoded by the fast path's scanner where it can
// (engine/trace_fast.h), else by nlohmann's DOM (engine/trace_event.h),
// which reports every error. Link engine_trace.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_TRACE_H_
#define HASPEC_ENGINE_TRACE_H_

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/op_trace.h"
#include "engine/trace_event.h"
#include "engine/trace_fast.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"

namespace haspec {

// ---- Lines ----------------------------------------------------------------

// Reads a file line by line through a fixed buffer.
class TraceLineReader {
 public:
  TraceLineReader(std::FILE* f, std::size_t max_line) : f_(f), max_(max_line), buf_(1 << 16) {}

  struct Line {
    int number = 0;
    bool too_long = false;      // longer than the limit; text is empty
    bool unterminated = false;  // the file ends without a newline after it
  };

  // The next line (without "\n" or "\r\n") into `text`; false at the end.
  bool Next(std::string& text, Line& line) {
    text.clear();
    line = {};
    bool any = false;
    std::size_t length = 0;
    for (;;) {
      if (pos_ == end_) {
        if (eof_ || !Fill()) {
          if (!any) return false;
          line.unterminated = true;
          break;
        }
      }
      any = true;
      const char* start = buf_.data() + pos_;
      const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
      length += n;
      if (length > max_) {
        line.too_long = true;
        text.clear();
      } else {
        text.append(start, n);
      }
      pos_ += n + (nl ? 1 : 0);
      if (nl) break;
    }
    line.number = ++number_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return true;
  }

  bool error() const { return error_; }

 private:
  bool Fill() {
    pos_ = 0;
    end_ = std::fread(buf_.data(), 1, buf_.size(), f_);
    if (end_ == 0) {
      eof_ = true;
      error_ = std::ferror(f_) != 0;
      return false;
    }
    return true;
  }

  std::FILE* f_;
  std::size_t max_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false, error_ = false;
  int number_ = 0;
};

// One item of a trace: an event, or a bad line (with the problem).
template <Machine M>
struct TraceItem {
  TraceEvent<M> event;
  bool bad = false;
  int line = 0;
  std::string problem;  // "field: what is wrong" for a bad line
};

// Every field of `item` on one line, for a message that shows how two
// readings of a line differ (the trace decoders' test, fuzz target
// replay_<machine>).
template <CodecMachine M>
std::string DescribeItem(const TraceItem<M>& item, const Nodes& nodes) {
  std::ostringstream out;
  const auto& ev = item.event;
  out << "line " << item.line << (item.bad ? " BAD " + item.problem : std::string(" ok"))
      << " | text " << ev.text;
  if (item.bad) return out.str();
  out << " | ev.line " << ev.line << " src " << ev.src << " t "
      << (ev.t ? std::to_string(*ev.t) : "-") << " t_text " << ev.t_text << " ops";
  for (const auto& op : ev.ops) out << " [" << ShowOp(op, nodes) << "]";
  out << " unknown " << ev.unknown_fields << " accepted "
      << (ev.accepted ? (*ev.accepted ? "yes" : "no") : "-") << " reason "
      << (ev.reason ? std::string(RuleOf<M>(*ev.reason).id) : "-") << " expect " << ev.expect
      << " obs " << (ev.obs ? M::Show(*ev.obs, nodes) : "-") << " drift";
  for (const auto& d : ev.drift) out << " " << d;
  return out.str();
}

// A directive comment of a bundled trace: "# expect-violation: RULE-ID",
// "# expect-departure: RULE-ID", "# expect-drift", "# expect-bad-input".
struct TraceDirective {
  int line = 0;
  std::string kind;   // "violation", "departure", "drift", "bad-input"
  std::string value;  // the rule ID, if any
};

// Streams one trace file. Construction opens it and reads up to the first
// line that is not a comment (the header, if any); Start(nodes) gives the
// configuration's node names (after the caller chose the configuration,
// which the header may carry); Next() yields the items.
template <CodecMachine M>
class TraceReader {
 public:
  // Throws InputError when the file cannot be read at all (missing, a
  // directory, empty, not a trace).
  TraceReader(std::string path, const ReaderOptions& opt)
      : path_(std::move(path)), opt_(opt), fast_(opt.observation_cache_slots) {
    std::error_code ec;
    if (std::filesystem::is_directory(path_, ec)) {
      throw InputError(path_, 0, "is a directory, not a trace file");
    }
    file_.reset(std::fopen(path_.c_str(), "rb"));
    if (!file_) throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
    Open();
  }
  // Reads an open stream (the reader closes it), named `path` in messages:
  // a trace held in memory (fmemopen), as fuzz target replay_<machine> reads.
  TraceReader(std::FILE* file, std::string path, const ReaderOptions& opt)
      : path_(std::move(path)), opt_(opt), file_(file), fast_(opt.observation_cache_slots) {
    if (!file_) throw InputError(path_, 0, "cannot read: no stream");
    Open();
  }

  const std::string& path() const { return path_; }
  const TraceHeader& header() const { return header_; }
  // The node names events are read with (after Start).
  const Nodes& nodes() const { return nodes_; }
  const std::vector<TraceDirective>& directives() const { return directives_; }

  // The node names of the configuration in use (the header's node_map is
  // applied here). Throws InputError for a bad node_map.
  void Start(const Nodes& config_nodes) {
    try {
      nodes_ = MappedNodes(config_nodes, header_);
    } catch (const ParseError& e) {
      throw InputError(path_, header_.line, "header: " + std::string(e.what()));
    }
  }

  // The next event or bad line; false at the end of the file.
  bool Next(TraceItem<M>& item) {
    for (;;) {
      if (!pending_) {
        if (!lines_->Next(text_, info_)) {
          if (lines_->error()) {
            item = {};
            item.bad = true;
            item.line = info_.number;
            item.problem = "read error";
            return !std::exchange(read_error_reported_, true);
          }
          return false;
        }
        if (IsSkipped(text_, info_)) continue;
      }
      pending_ = false;
      item.bad = false;
      item.line = info_.number;
      item.problem.clear();
      item.event.Reset(info_.number);
      if (!info_.too_long && opt_.fast && fast_.Decode(text_, nodes_, opt_, item.event)) {
        item.event.SetText(text_);
        ++fast_lines_;
        return true;
      }
      // Everything the fast path declines, errors included: the reference.
      item.event.Reset(info_.number);
      if (info_.too_long) {
        return Bad(item, "line longer than " + std::to_string(opt_.max_line_bytes) +
                             " bytes (the reader's limit); skipped without reading it whole");
      }
      if (auto at = InvalidUtf8At(text_); at != std::string_view::npos) {
        return Bad(item, "invalid UTF-8 at byte " + std::to_string(at + 1));
      }
      nlohmann::json j = nlohmann::json::parse(text_, nullptr, false);
      if (j.is_discarded()) {
        std::string why;
        try {
          const nlohmann::json again = nlohmann::json::parse(text_);  // throws: the reason
          (void)again;
        } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range (1e999)
          why = e.what();
        }
        return Bad(item, info_.unterminated
                             ? "truncated last line (no newline at the end of the file and not "
                               "valid JSON): " +
                                   why
                             : "not valid JSON: " + why);
      }
      try {
        EventFromJson<M>(j, nodes_, opt_, item.event);
      } catch (const ParseError& e) {
        return Bad(item, e.what());
      } catch (const nlohmann::json::exception& e) {
        return Bad(item, e.what());
      }
      item.event.SetText(text_);
      return true;
    }
  }

  // The fast path's observation cache (hits and misses, for the bench).
  const ObservationCache<M>& observation_cache() const { return fast_.cache(); }
  // Event lines the fast path decoded (the rest went through nlohmann).
  std::size_t fast_lines() const { return fast_lines_; }
  // The whole text of the line Next() read last (an item's text is cut).
  const std::string& line_text() const { return text_; }

 private:
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };

  // Reads up to the first line that is not a comment: the header, or the
  // first event (kept for Next).
  void Open() {
    lines_ = std::make_unique<TraceLineReader>(file_.get(), opt_.max_line_bytes);
    while (lines_->Next(text_, info_)) {
      if (IsSkipped(text_, info_)) continue;
      pending_ = true;
      if (info_.too_long) break;
      nlohmann::json j;
      if (InvalidUtf8At(text_) == std::string_view::npos) {
        j = nlohmann::json::parse(text_, nullptr, false);
      }
      if (j.is_discarded() || !j.is_object()) {
        throw InputError(path_, info_.number,
                         "not a haspec trace: the first line that is not a comment is not a "
                         "JSON object (a raw log needs an importer: haspec import)");
      }
      if (IsHeaderLine(j)) {
        try {
          header_ = HeaderFromJson(j);
        } catch (const ParseError& e) {
          throw InputError(path_, info_.number, "header: " + std::string(e.what()));
        }
        header_.line = info_.number;
        if (header_.machine != M::kName) {
          throw InputError(path_, info_.number,
                           "header: the trace is for machine \"" + header_.machine + "\", not " +
                               std::string(M::kName));
        }
        pending_ = false;
      }
      break;
    }
    if (lines_->error()) throw InputError(path_, info_.number, "read error");
    if (!pending_ && header_.version == 0) {
      throw InputError(path_, 0, "empty: no header and no event");
    }
  }

  bool IsSkipped(const std::string& text, const TraceLineReader::Line& info) {
    if (info.too_long) return false;
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return true;
    if (text[first] != '#') return false;
    // "# expect-violation: RULE" and friends.
    std::string_view rest = std::string_view(text).substr(first + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.rfind("expect-", 0) == 0) {
      TraceDirective d;
      d.line = info.number;
      rest.remove_prefix(7);
      const auto colon = rest.find(':');
      d.kind = std::string(rest.substr(0, colon));
      while (!d.kind.empty() && d.kind.back() == ' ') d.kind.pop_back();
      if (colon != std::string_view::npos) {
        std::string_view v = rest.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        d.value = std::string(v);
      }
      directives_.push_back(std::move(d));
    }
    return true;
  }

  bool Bad(TraceItem<M>& item, std::string problem) {
    item.bad = true;
    item.problem = std::move(problem);
    item.event.SetText(text_);
    return true;
  }

  std::string path_;
  ReaderOptions opt_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::unique_ptr<TraceLineReader> lines_;
  std::string text_;
  TraceLineReader::Line info_;
  bool pending_ = false;  // text_ holds the first event line, not yet returned
  bool read_error_reported_ = false;
  TraceHeader header_;
  Nodes nodes_;
  std::vector<TraceDirective> directives_;
  FastEventDecoder<M> fast_;
  std::size_t fast_lines_ = 0;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_TRACE_H_
