// Op sequences through the jsa model; every invariant and step rule after every accepted
// step. Built with -DHASPEC_FUZZ_PLANT=<mutant of sut/jsa/mutants.h> it fuzzes
// that broken model instead (the planted-bug check, fuzz/planted.sh).
#include "engine/fuzz_ops.h"
#include "fuzz/target.h"
#include "model/jsa/jsa.h"

#ifdef HASPEC_FUZZ_PLANT
#include "sut/jsa/mutants.h"
using FuzzedMachine = haspec::jsa::mutants::HASPEC_FUZZ_PLANT;
#else
using FuzzedMachine = haspec::jsa::Jsa;
#endif

HASPEC_FUZZ_TARGET(ops_jsa) { return haspec::fuzz::OpSequence<FuzzedMachine>(data, size); }
