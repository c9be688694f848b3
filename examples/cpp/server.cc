// my_jsa_server: MyJsa behind the SUT protocol on stdin/stdout, for
// `haspec gate jsa --sut my_jsa_server` (docs/sut-protocol.md).
#include <iostream>
#include <memory>

#include "my_jsa.h"

int main() {
  std::unique_ptr<haspec::sut::Implementation> jsa = example::MakeJsa();
  return haspec::sut::Serve(*jsa, std::cin, std::cout);
}
