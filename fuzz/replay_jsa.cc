// The trace reader haspec replay uses (engine/trace.h) on a jsa trace: never
// crashes; the fast path and nlohmann alone read every line alike; an event
// written back reads back the same.
#include "engine/fuzz_replay.h"
#include "fuzz/target.h"
#include "model/jsa/jsa.h"

HASPEC_FUZZ_TARGET(replay_jsa) {
  return haspec::fuzz::ReplayTraceRead<haspec::jsa::Jsa>(data, size);
}
