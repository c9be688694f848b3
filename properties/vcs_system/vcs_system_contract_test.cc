// The generic machine contract (properties/core/contract.h) for vcs-system.
#include "model/vcs_system/vcs_system.h"
#include "properties/core/contract.h"

HASPEC_CONTRACT_TESTS(VcsSystemContract, haspec::vcs_system::VcsSystem)
