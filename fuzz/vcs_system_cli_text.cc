// The reader of model/vcs_system/cli_text.h, the VCS system listings: never crashes; what it reads
// writes and reads back to the same value (fuzz/parsers.h).
#include "fuzz/parsers.h"
#include "fuzz/target.h"

HASPEC_FUZZ_TARGET(vcs_system_cli_text) { return haspec::fuzz::VcsSystemCliText(data, size); }
