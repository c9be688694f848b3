// The VCS system-state properties, run against the model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "properties/vcs_system/vcs_system_properties.h"

namespace haspec::vcs_system {
namespace {

#define HASPEC_X(name) \
  RC_GTEST_PROP(VcsSystem, name, ()) { props::name<VcsSystem>(); }
HASPEC_VCS_SYSTEM_PROPERTIES(HASPEC_X)
#undef HASPEC_X

}  // namespace
}  // namespace haspec::vcs_system
