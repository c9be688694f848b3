// Op sequences through the vcs_system model; every invariant and step rule after every accepted
// step. Built with -DHASPEC_FUZZ_PLANT=<mutant of sut/vcs_system/mutants.h> it fuzzes
// that broken model instead (the planted-bug check, fuzz/planted.sh).
#include "engine/fuzz_ops.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"

#ifdef HASPEC_FUZZ_PLANT
#include "sut/vcs_system/mutants.h"
using FuzzedMachine = haspec::vcs_system::mutants::HASPEC_FUZZ_PLANT;
#else
using FuzzedMachine = haspec::vcs_system::VcsSystem;
#endif

HASPEC_FUZZ_TARGET(ops_vcs_system) { return haspec::fuzz::OpSequence<FuzzedMachine>(data, size); }
