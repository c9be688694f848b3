// An example C++ implementation of haspec's `jsa` machine (Juniper Secure
// Analytics HA host statuses), gated in process by haspec_add_gate_test
// (CMakeLists.txt). A real project puts its own product, simulator or adapter
// behind haspec::sut::Implementation; this one delegates to the JSA reference
// implementation that haspec installs (sut/jsa/reference.h), so that it
// conforms.
//
//   std::unique_ptr<haspec::sut::Implementation> jsa = example::MakeJsa();
//   nlohmann::json shown = jsa->Reset({{"pair", "synchronized"}});
//   haspec::sut::Result r = jsa->Apply({{"op", "host_fails"}, {"host", "primary"}});
#ifndef EXAMPLES_CPP_MY_JSA_H_
#define EXAMPLES_CPP_MY_JSA_H_

#include <memory>

#include "sut/protocol/server.h"

namespace example {

// The factory haspec_add_gate_test calls: one fresh implementation per test
// run.
std::unique_ptr<haspec::sut::Implementation> MakeJsa();

}  // namespace example

#endif  // EXAMPLES_CPP_MY_JSA_H_
