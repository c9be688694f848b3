// The vcs_system observation, state and configuration JSON codecs (first byte picks
// which): never crash; what parses writes and parses back to the same value.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"

HASPEC_FUZZ_TARGET(codec_vcs_system) {
  return haspec::fuzz::CodecRoundTrip<haspec::vcs_system::VcsSystem>(data, size);
}
