// The trace reader haspec replay uses (engine/trace.h) on a vcs_gco trace: never
// crashes; the fast path and nlohmann alone read every line alike; an event
// written back reads back the same.
#include "engine/fuzz_replay.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"

HASPEC_FUZZ_TARGET(replay_vcs_gco) {
  return haspec::fuzz::ReplayTraceRead<haspec::vcs_gco::VcsGco>(data, size);
}
