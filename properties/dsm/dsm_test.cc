// The DSM Provider HA properties, run against the model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "properties/dsm/dsm_properties.h"

namespace haspec::dsm {
namespace {

#define HASPEC_X(name) \
  RC_GTEST_PROP(DsmProviderHa, name, ()) { props::name<Dsm>(); }
HASPEC_DSM_PROPERTIES(HASPEC_X)
#undef HASPEC_X

}  // namespace
}  // namespace haspec::dsm
