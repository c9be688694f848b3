// The trace reader haspec replay uses (engine/trace.h) on a dsm trace: never
// crashes; the fast path and nlohmann alone read every line alike; an event
// written back reads back the same.
#include "engine/fuzz_replay.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"

HASPEC_FUZZ_TARGET(replay_dsm) {
  return haspec::fuzz::ReplayTraceRead<haspec::dsm::Dsm>(data, size);
}
