// The op trace reader (engine/op_trace.h) for dsm: never crashes; a trace it
// reads writes and reads back to the same ops, expectations and observations.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"

HASPEC_FUZZ_TARGET(trace_dsm) {
  return haspec::fuzz::OpTraceRoundTrip<haspec::dsm::Dsm>(data, size);
}
