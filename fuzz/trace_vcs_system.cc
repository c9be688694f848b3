// The op trace reader (engine/op_trace.h) for vcs_system: never crashes; a trace it
// reads writes and reads back to the same ops, expectations and observations.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"

HASPEC_FUZZ_TARGET(trace_vcs_system) {
  return haspec::fuzz::OpTraceRoundTrip<haspec::vcs_system::VcsSystem>(data, size);
}
