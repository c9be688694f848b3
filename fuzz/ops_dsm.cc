// Op sequences through the dsm model; every invariant and step rule after every accepted
// step. Built with -DHASPEC_FUZZ_PLANT=<mutant of sut/dsm/mutants.h> it fuzzes
// that broken model instead (the planted-bug check, fuzz/planted.sh).
#include "engine/fuzz_ops.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"

#ifdef HASPEC_FUZZ_PLANT
#include "sut/dsm/mutants.h"
using FuzzedMachine = haspec::dsm::mutants::HASPEC_FUZZ_PLANT;
#else
using FuzzedMachine = haspec::dsm::Dsm;
#endif

HASPEC_FUZZ_TARGET(ops_dsm) { return haspec::fuzz::OpSequence<FuzzedMachine>(data, size); }
