// The machines haspec knows. Engines iterate this list; adding a machine is
// one line here and one in model/CMakeLists.txt, plus its folders
// (model/<machine>/, properties/<machine>/, sut/<machine>/).
//
//   haspec::ForEachMachine([]<haspec::Machine M>() { Print(M::kName); });
//   bool found = haspec::VisitMachine("dsm", []<haspec::Machine M>() { ... });
#ifndef HASPEC_MODEL_REGISTRY_H_
#define HASPEC_MODEL_REGISTRY_H_

#include <string_view>

#include "model/core/machine.h"
#include "model/dsm/dsm.h"
#include "model/jsa/jsa.h"
#include "model/vcs_gco/vcs_gco.h"
#include "model/vcs_system/vcs_system.h"

namespace haspec {

template <Machine... Ms>
struct MachineList {
  static constexpr std::size_t size() { return sizeof...(Ms); }

  template <class F>
  static void ForEach(F&& f) {
    (f.template operator()<Ms>(), ...);
  }
  template <class F>
  static bool Visit(std::string_view name, F&& f) {
    return ((name == Ms::kName ? (f.template operator()<Ms>(), true) : false) || ...);
  }
};

using Machines = MachineList<dsm::Dsm, vcs_system::VcsSystem, vcs_gco::VcsGco, jsa::Jsa>;

template <class F>
void ForEachMachine(F&& f) {
  Machines::ForEach(static_cast<F&&>(f));
}

// Calls f.operator()<M>() for the machine named `name`; false if none is.
template <class F>
bool VisitMachine(std::string_view name, F&& f) {
  return Machines::Visit(name, static_cast<F&&>(f));
}

}  // namespace haspec

#endif  // HASPEC_MODEL_REGISTRY_H_
