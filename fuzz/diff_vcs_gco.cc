// The vcs_gco model against its reference implementation (sut/vcs_gco/), in process,
// with the gate's documented-only verdicts. Built with
// -DHASPEC_FUZZ_PLANT_SWITCH='"<mutant>"' (a switch of sut/manifest.json) it
// fuzzes that broken reference instead (fuzz/planted.sh).
#include "engine/fuzz_diff.h"
#include "fuzz/target.h"
#include "model/vcs_gco/vcs_gco.h"
#include "sut/vcs_gco/reference.h"

namespace {

haspec::sut::vcs_gco::GlobalCluster& Reference() {
  static haspec::sut::vcs_gco::GlobalCluster& ref = *[] {
    auto* r = new haspec::sut::vcs_gco::GlobalCluster();
#ifdef HASPEC_FUZZ_PLANT_SWITCH
    auto& ref = *r;
    ref.Enable(*haspec::sut::vcs_gco::MutantNamed(HASPEC_FUZZ_PLANT_SWITCH));
#endif
    return r;
  }();
  return ref;
}

}  // namespace

HASPEC_FUZZ_TARGET(diff_vcs_gco) {
  return haspec::fuzz::Differential<haspec::vcs_gco::VcsGco>(data, size, Reference());
}
