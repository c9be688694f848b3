// The jsa model against its reference implementation (sut/jsa/), in process,
// with the gate's documented-only verdicts. Built with
// -DHASPEC_FUZZ_PLANT_SWITCH='"<mutant>"' (a switch of sut/manifest.json) it
// fuzzes that broken reference instead (fuzz/planted.sh).
#include "engine/fuzz_diff.h"
#include "fuzz/target.h"
#include "model/jsa/jsa.h"
#include "sut/jsa/reference.h"

namespace {

haspec::sut::jsa::HaCluster& Reference() {
  static haspec::sut::jsa::HaCluster& ref = *[] {
    auto* r = new haspec::sut::jsa::HaCluster();
#ifdef HASPEC_FUZZ_PLANT_SWITCH
    auto& ref = *r;
    ref.Enable(HASPEC_FUZZ_PLANT_SWITCH);
#endif
    return r;
  }();
  return ref;
}

}  // namespace

HASPEC_FUZZ_TARGET(diff_jsa) {
  return haspec::fuzz::Differential<haspec::jsa::Jsa>(data, size, Reference());
}
