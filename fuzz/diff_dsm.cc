// The dsm model against its reference implementation (sut/dsm/), in process,
// with the gate's documented-only verdicts. Built with
// -DHASPEC_FUZZ_PLANT_SWITCH='"<mutant>"' (a switch of sut/manifest.json) it
// fuzzes that broken reference instead (fuzz/planted.sh).
#include "engine/fuzz_diff.h"
#include "fuzz/target.h"
#include "model/dsm/dsm.h"
#include "sut/dsm/reference.h"

namespace {

haspec::sut::dsm_ref::DsmReference& Reference() {
  static haspec::sut::dsm_ref::DsmReference& ref = *[] {
    auto* r = new haspec::sut::dsm_ref::DsmReference();
#ifdef HASPEC_FUZZ_PLANT_SWITCH
    auto& ref = *r;
    ref.Enable(HASPEC_FUZZ_PLANT_SWITCH);
#endif
    return r;
  }();
  return ref;
}

}  // namespace

HASPEC_FUZZ_TARGET(diff_dsm) {
  return haspec::fuzz::Differential<haspec::dsm::Dsm>(data, size, Reference());
}
