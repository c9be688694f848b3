// The files of a cluster as `haspec replay` reads them: a trace v1 file
// (engine/trace.h), or a product's own log or snapshots read directly
// through one of the machine's importers (--format, engine/importers.h).
// Either yields TraceItems in the file's own order, one at a time, so the
// k-way merge of replay_driver.h streams raw logs as it streams traces.
//
//   auto r = OpenInput<M>({"node1/engine_A.log", "engine-log"}, ropt, ctx);  // InputError
//   r->Start(config);                                                        // InputError
//   TraceItem<M> item;
//   while (r->Next(item)) Use(item);  // item.line: the raw file's line
#ifndef HASPEC_TOOLS_HASPEC_REPLAY_INPUTS_H_
#define HASPEC_TOOLS_HASPEC_REPLAY_INPUTS_H_

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/importers.h"
#include "engine/trace.h"
#include "tools/haspec/common.h"

namespace haspec::cli {

// A file of a cluster and how to read it.
struct InputFile {
  std::string path;
  std::string format;  // "" or "trace": a trace v1 file; else an importer's name
};

inline bool IsTraceFormat(const std::string& format) { return format.empty() || format == "trace"; }

template <CodecMachine M>
class InputReader {
 public:
  virtual ~InputReader() = default;
  virtual const std::string& path() const = 0;
  virtual const TraceHeader& header() const = 0;
  virtual const std::vector<TraceDirective>& directives() const = 0;
  // Called once the cluster's configuration is chosen (the reader keeps a
  // copy). Throws InputError.
  virtual void Start(const typename M::Config& config) = 0;
  // The next event or bad line; false at the end of the file.
  virtual bool Next(TraceItem<M>& item) = 0;
};

template <CodecMachine M>
class TraceInput final : public InputReader<M> {
 public:
  TraceInput(std::string path, const ReaderOptions& opt) : reader_(std::move(path), opt) {}
  const std::string& path() const override { return reader_.path(); }
  const TraceHeader& header() const override { return reader_.header(); }
  const std::vector<TraceDirective>& directives() const override { return reader_.directives(); }
  void Start(const typename M::Config& config) override { reader_.Start(config.nodes); }
  bool Next(TraceItem<M>& item) override { return reader_.Next(item); }

 private:
  TraceReader<M> reader_;
};

// A raw input through an importer. Each imported event becomes a trace
// event with its "t", "src" = FILE:LINE and "obs", as `haspec import` would
// write it; an importer's error becomes a bad line at the raw file's line,
// and an unknown status name an event carrying only that vocabulary drift.
// An error before the file's first event (not that kind of input at all)
// ends the file there.
template <CodecMachine M>
class ImportedInput final : public InputReader<M> {
 public:
  // Throws InputError for a missing file or a directory.
  ImportedInput(std::string path, const ImporterOf<M>& importer, const ImportContext& ctx)
      : path_(std::move(path)), importer_(importer), ctx_(ctx) {
    ctx_.file = path_;
    if (const std::string bad = UnreadableFile(path_); !bad.empty()) {
      throw InputError(path_, 0, bad);
    }
    in_.open(path_, std::ios::binary);
    if (!in_) throw InputError(path_, 0, "cannot open");
    header_.machine = std::string(M::kName);
    header_.source = path_;
  }

  const std::string& path() const override { return path_; }
  const TraceHeader& header() const override { return header_; }
  const std::vector<TraceDirective>& directives() const override { return directives_; }

  void Start(const typename M::Config& config) override {
    config_ = config;  // the importer keeps references into it
    try {
      source_ = importer_.open(in_, ctx_, config_);
    } catch (const ParseError& e) {
      int line = 0;
      const std::string problem = Problem(e, line);
      throw InputError(path_, line, problem);
    }
  }

  bool Next(TraceItem<M>& item) override {
    if (done_) return false;
    item = TraceItem<M>{};
    try {
      if (!source_->Next(event_)) {
        done_ = true;
        if (in_.bad()) {
          return Bad(item, static_cast<int>(source_->lines_read()), "read error");
        }
        if (source_->lines_read() == 0) {
          return Bad(item, 0, "empty file, not a " + std::string(importer_.name) + " input");
        }
        return false;
      }
    } catch (const ParseError& e) {
      int line = 0;
      const std::string problem = Problem(e, line);
      if (line == 0) line = static_cast<int>(source_->lines_read());
      const bool drift = !UnknownNameOf(e).empty();
      // Not that kind of input at all, or an importer that cannot go on.
      const bool first = events_ == 0 && !drift;
      if (first || source_->lines_read() == last_error_at_) done_ = true;
      last_error_at_ = source_->lines_read();
      if (drift && !done_) {
        item.line = line;
        item.event.line = line;
        item.event.src = path_ + ":" + std::to_string(line);
        item.event.drift.push_back(problem);
        item.event.text = "(" + item.event.src + ": " + problem + ")";
        return true;
      }
      return Bad(item, line, problem + (first ? " (the rest of the file is not read)" : ""));
    }
    ++events_;
    TraceEvent<M>& ev = item.event;
    item.line = ev.line = event_.line;
    ev.src = path_ + ":" + std::to_string(event_.line);
    if (!event_.t.empty()) {
      ev.t = ParseTimestamp(event_.t);
      if (!ev.t) return Bad(item, event_.line, "t: not an ISO 8601 time: \"" + event_.t + "\"");
      ev.t_text = event_.t;
    }
    ev.obs = std::move(event_.obs);
    // The event as `haspec import` writes it, for reports.
    event_.obs = *ev.obs;
    ev.text = EventLine<M>(event_, path_, config_.nodes);
    return true;
  }

 private:
  // An importer's error as the problem text; `line` gets the line it names.
  static std::string Problem(const ParseError& e, int& line) {
    std::string rest;
    line = ImportErrorLine(e, &rest);
    const std::size_t keep = rest.find_first_not_of(":, ");
    return (keep == std::string::npos ? "" : rest.substr(keep) + ": ") + e.problem();
  }

  bool Bad(TraceItem<M>& item, int line, std::string problem) {
    item.bad = true;
    item.line = item.event.line = line;
    item.problem = std::move(problem);
    return true;
  }

  std::string path_;
  const ImporterOf<M>& importer_;
  ImportContext ctx_;
  std::ifstream in_;
  typename M::Config config_;
  std::unique_ptr<EventSource<typename M::Observation>> source_;
  ImportedEventOf<M> event_;
  TraceHeader header_;
  std::vector<TraceDirective> directives_;
  long events_ = 0, last_error_at_ = -1;
  bool done_ = false;
};

// The reader for `in`. Throws InputError (a missing file, a directory, a
// trace that is not one). `format` must name an importer of M (checked by
// the caller) unless it is a trace.
template <CodecMachine M>
std::unique_ptr<InputReader<M>> OpenInput(const InputFile& in, const ReaderOptions& opt,
                                          const ImportContext& ctx) {
  if (IsTraceFormat(in.format)) return std::make_unique<TraceInput<M>>(in.path, opt);
  return std::make_unique<ImportedInput<M>>(in.path, *FindImporter<M>(in.format), ctx);
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_REPLAY_INPUTS_H_
