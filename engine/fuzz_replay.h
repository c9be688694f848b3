// The fuzz target body for the trace reader `haspec replay` and `haspec
// shrink` read with (engine/trace.h, TraceReader): the input is a trace v1
// file. The reader never crashes and refuses a file only with InputError;
// every line its fast path decodes, nlohmann's DOM and the
// reference decoder (EventFromJson) read as the same event, field by field
// (the lines the fast path declines go to that decoder anyway); and an event
// of at most one op and no unknown field, written back (EventToJson), reads
// back as the same event through the reference decoder, and through the fast
// path where it takes the line (it declines any line with an escape).
//
//   HASPEC_FUZZ_TARGET(replay_dsm) { return haspec::fuzz::ReplayTraceRead<Dsm>(data, size); }
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_FUZZ_REPLAY_H_
#define HASPEC_ENGINE_FUZZ_REPLAY_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/fuzz_common.h"
#include "engine/trace.h"
#include "engine/trace_event.h"
#include "engine/trace_fast.h"
#include "model/core/machine.h"

namespace haspec::fuzz {

namespace fuzz_replay_internal {

// The fields a written line carries (not its line number, text or drift).
template <CodecMachine M>
bool SameContent(const TraceEvent<M>& a, const TraceEvent<M>& b) {
  return a.src == b.src && a.t == b.t && a.t_text == b.t_text && a.ops == b.ops &&
         a.unknown_fields == b.unknown_fields && a.accepted == b.accepted && a.reason == b.reason &&
         a.expect == b.expect && a.obs == b.obs;
}

// `line` through nlohmann and EventFromJson into `ev`; the problem, or ""
// when it reads.
template <CodecMachine M>
std::string ReadReference(const std::string& line, const Nodes& nodes, TraceEvent<M>& ev) {
  try {
    nlohmann::json j = nlohmann::json::parse(line);
    EventFromJson<M>(j, nodes, ReaderOptions{}, ev);
  } catch (const ParseError& e) {
    return e.what();
  } catch (const nlohmann::json::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace fuzz_replay_internal

template <CodecMachine M>
int ReplayTraceRead(const std::uint8_t* data, std::size_t size) {
  using fuzz_replay_internal::ReadReference;
  using fuzz_replay_internal::SameContent;
  const std::string what = std::string(M::kName) + " trace reader";
  ReaderOptions opt;
  // Short enough that inputs of max_len (fuzz/replay_<machine>.options)
  // meet the long-line path too.
  opt.max_line_bytes = 1024;
  // A few slots, so that inputs meet evictions too; and each execution
  // builds its reader, whose 1024 slots would cost more than the reading.
  opt.observation_cache_slots = 4;
  std::optional<TraceReader<M>> reader;
  try {
    reader.emplace(fmemopen(const_cast<std::uint8_t*>(data), size, "rb"), "fuzz.jsonl", opt);
  } catch (const InputError&) {
    return 0;
  }
  // The configuration a header gives, as haspec replay takes it (and what
  // it catches, tools/haspec/trace_config.h).
  auto config = M::DefaultConfig();
  if (reader->header().config) {
    try {
      config = M::ConfigFromJson(*reader->header().config);
    } catch (const ParseError&) {
      return 0;  // haspec replay refuses such a trace before its first event
    } catch (const nlohmann::json::exception&) {
      return 0;
    }
  }
  try {
    reader->Start(config.nodes);
  } catch (const InputError&) {
    return 0;
  }
  const Nodes& nodes = reader->nodes();
  TraceItem<M> item, reference;
  TraceEvent<M>& ref = reference.event;
  FastEventDecoder<M> fast(4);
  std::string line;
  for (std::size_t taken = 0; reader->Next(item); taken = reader->fast_lines()) {
    const TraceEvent<M>& ev = item.event;
    reference.line = item.line;
    if (reader->fast_lines() != taken) {
      // The fast path's reading against the reference's.
      ref.Reset(item.line);
      const std::string problem = ReadReference<M>(reader->line_text(), nodes, ref);
      if (!problem.empty() || !SameContent(ev, ref) || ev.drift != ref.drift) {
        Fail(what + ": the fast path and nlohmann read a line differently\nline:     " +
             reader->line_text() + "\nfast:     " + DescribeItem(item, nodes) + "\nnlohmann: " +
             (problem.empty() ? DescribeItem(reference, nodes) : "refused: " + problem) + "\n");
      }
    }
    if (item.bad || ev.unknown_fields || ev.ops.size() > 1) continue;
    // Written back, the event reads the same through the reference decoder,
    // and through the fast path where it takes the line.
    line = EventToJson<M>(ev, nodes).dump();
    ref.Reset(item.line);
    const std::string problem = ReadReference<M>(line, nodes, ref);
    if (!problem.empty() || !SameContent(ev, ref) || !ref.drift.empty()) {
      Fail(what + ": an event written back reads as another\nread:      " +
           DescribeItem(item, nodes) + "\nwritten:   " + line + "\nread back: " +
           (problem.empty() ? DescribeItem(reference, nodes) : "refused: " + problem) + "\n");
    }
    ref.Reset(item.line);
    if (fast.Decode(line, nodes, ReaderOptions{}, ref) &&
        (!SameContent(ev, ref) || !ref.drift.empty())) {
      Fail(what + ": an event written back reads as another through the fast path\nread:      " +
           DescribeItem(item, nodes) + "\nwritten:   " + line +
           "\nread back: " + DescribeItem(reference, nodes) + "\n");
    }
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_REPLAY_H_
