// The jsa importers (M::Importers(), model/jsa/import.cc; first byte picks
// one): never crash; every event reads back through the observation codec
// (engine/fuzz_importers.h).
#include "engine/fuzz_importers.h"
#include "fuzz/target.h"
#include "model/jsa/jsa.h"

HASPEC_FUZZ_TARGET(import_jsa) { return haspec::fuzz::ImportEvents<haspec::jsa::Jsa>(data, size); }
