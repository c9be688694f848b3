// The dsm importers (M::Importers(), model/dsm/import.cc; first byte picks
// one): never crash; every event reads back through the observation codec
// (engine/fuzz_importers.h).
#include "engine/fuzz_importers.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"

HASPEC_FUZZ_TARGET(import_dsm) { return haspec::fuzz::ImportEvents<haspec::dsm::Dsm>(data, size); }
