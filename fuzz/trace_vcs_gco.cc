// The op trace reader (engine/op_trace.h) for vcs_gco: never crashes; a trace it
// reads writes and reads back to the same ops, expectations and observations.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"

HASPEC_FUZZ_TARGET(trace_vcs_gco) {
  return haspec::fuzz::OpTraceRoundTrip<haspec::vcs_gco::VcsGco>(data, size);
}
