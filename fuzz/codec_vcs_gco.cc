// The vcs_gco observation, state and configuration JSON codecs (first byte picks
// which): never crash; what parses writes and parses back to the same value.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"

HASPEC_FUZZ_TARGET(codec_vcs_gco) {
  return haspec::fuzz::CodecRoundTrip<haspec::vcs_gco::VcsGco>(data, size);
}
