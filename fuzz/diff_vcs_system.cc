// The vcs_system model against its reference implementation (sut/vcs_system/), in process,
// with the gate's documented-only verdicts. Built with
// -DHASPEC_FUZZ_PLANT_SWITCH='"<mutant>"' (a switch of sut/manifest.json) it
// fuzzes that broken reference instead (fuzz/planted.sh).
#include "engine/fuzz_diff.h"
#include "fuzz/target.h"
#include "model/vcs_system/vcs_system.h"
#include "sut/vcs_system/reference.h"

namespace {

haspec::sut::vcs_system::Cluster& Reference() {
  static haspec::sut::vcs_system::Cluster& ref = *[] {
    auto* r = new haspec::sut::vcs_system::Cluster();
#ifdef HASPEC_FUZZ_PLANT_SWITCH
    auto& ref = *r;
    ref.Enable(haspec::sut::vcs_system::FindSwitch(HASPEC_FUZZ_PLANT_SWITCH,
                                                   haspec::sut::vcs_system::SwitchKind::kMutant)
                   ->id);
#endif
    return r;
  }();
  return ref;
}

}  // namespace

HASPEC_FUZZ_TARGET(diff_vcs_system) {
  return haspec::fuzz::Differential<haspec::vcs_system::VcsSystem>(data, size, Reference());
}
