// The op trace reader (engine/op_trace.h) for jsa: never crashes; a trace it
// reads writes and reads back to the same ops, expectations and observations.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/jsa/jsa.h"

HASPEC_FUZZ_TARGET(trace_jsa) {
  return haspec::fuzz::OpTraceRoundTrip<haspec::jsa::Jsa>(data, size);
}
