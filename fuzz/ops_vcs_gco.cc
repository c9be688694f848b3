// Op sequences through the vcs_gco model; every invariant and step rule after every accepted
// step. Built with -DHASPEC_FUZZ_PLANT=<mutant of sut/vcs_gco/mutants.h> it fuzzes
// that broken model instead (the planted-bug check, fuzz/planted.sh).
#include "engine/fuzz_ops.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"

#ifdef HASPEC_FUZZ_PLANT
#include "sut/vcs_gco/mutants.h"
using FuzzedMachine = haspec::vcs_gco::mutants::HASPEC_FUZZ_PLANT;
#else
using FuzzedMachine = haspec::vcs_gco::VcsGco;
#endif

HASPEC_FUZZ_TARGET(ops_vcs_gco) { return haspec::fuzz::OpSequence<FuzzedMachine>(data, size); }
