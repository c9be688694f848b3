// The reader of model/dsm/payloads.h, the DSM REST payloads: never crashes; what it reads writes
// and reads back to the same value (fuzz/parsers.h).
#include "fuzz/parsers.h"
#include "fuzz/target.h"

HASPEC_FUZZ_TARGET(dsm_payloads) { return haspec::fuzz::DsmPayloads(data, size); }
