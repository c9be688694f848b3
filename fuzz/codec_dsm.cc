// The dsm observation, state and configuration JSON codecs (first byte picks
// which): never crash; what parses writes and parses back to the same value.
#include "engine/fuzz_codecs.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"

HASPEC_FUZZ_TARGET(codec_dsm) { return haspec::fuzz::CodecRoundTrip<haspec::dsm::Dsm>(data, size); }
