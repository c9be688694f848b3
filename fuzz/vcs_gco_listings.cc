// The reader of model/vcs_gco/listings.h, the VCS global cluster listings: never crashes; what it
// reads writes and reads back to the same value (fuzz/parsers.h).
#include "fuzz/parsers.h"
#include "fuzz/target.h"

HASPEC_FUZZ_TARGET(vcs_gco_listings) { return haspec::fuzz::VcsGcoListings(data, size); }
