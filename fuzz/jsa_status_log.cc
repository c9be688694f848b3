// The reader of model/jsa/status_log.h, a JSA status log: never crashes; what it reads writes and
// reads back to the same value (fuzz/parsers.h).
#include "fuzz/parsers.h"
#include "fuzz/target.h"

HASPEC_FUZZ_TARGET(jsa_status_log) { return haspec::fuzz::JsaStatusLog(data, size); }
