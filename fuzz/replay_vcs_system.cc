// The trace reader haspec replay uses (engine/trace.h) on a vcs_system trace: never
// crashes; the fast path and nlohmann alone read every line alike; an event
// written back reads back the same.
#include "engine/fuzz_replay.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"

HASPEC_FUZZ_TARGET(replay_vcs_system) {
  return haspec::fuzz::ReplayTraceRead<haspec::vcs_system::VcsSystem>(data, size);
}
