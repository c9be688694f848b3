// The vcs_gco importers (M::Importers(), model/vcs_gco/import.cc; first byte picks
// one): never crash; every event reads back through the observation codec
// (engine/fuzz_importers.h).
#include "engine/fuzz_importers.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"

HASPEC_FUZZ_TARGET(import_vcs_gco) {
  return haspec::fuzz::ImportEvents<haspec::vcs_gco::VcsGco>(data, size);
}
