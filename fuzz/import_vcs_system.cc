// The vcs_system importers (M::Importers(), model/vcs_system/import.cc; first byte picks
// one): never crash; every event reads back through the observation codec
// (engine/fuzz_importers.h).
#include "engine/fuzz_importers.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"

HASPEC_FUZZ_TARGET(import_vcs_system) {
  return haspec::fuzz::ImportEvents<haspec::vcs_system::VcsSystem>(data, size);
}
