// haspec-ref-vcs-gco: the reference global cluster behind haspec's SUT
// protocol on stdin/stdout (docs/sut-protocol.md).
//
//   haspec gate vcs-gco --sut 'build/default/sut/vcs_gco/haspec-ref-vcs-gco'
//   haspec-ref-vcs-gco --mutant join-skips-snapshot   # a deliberately broken one
//   haspec-ref-vcs-gco --reading reconnect-resumes-running
//   haspec-ref-vcs-gco --list                         # every switch
#include "sut/protocol/server.h"

#include <iostream>
#include <string>
#include <string_view>

#include "sut/vcs_gco/reference.h"

namespace {

namespace ref = haspec::sut::vcs_gco;

void List(std::ostream& out) {
  out << "Switches of haspec-ref-vcs-gco (each may be given more than once):\n";
  for (const ref::Switch& s : ref::MutantSwitches()) {
    out << "  --mutant " << s.name << "  [" << s.rule << "]\n      " << s.what << "\n";
  }
  for (const ref::Switch& s : ref::ReadingSwitches()) {
    out << "  --reading " << s.name << "  [" << s.rule << "]\n      " << s.what << "\n";
  }
}

int Usage(const std::string& problem) {
  std::cerr << "haspec-ref-vcs-gco: " << problem << "\n"
            << "usage: haspec-ref-vcs-gco [--mutant NAME]... [--reading NAME]... | --list\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ref::GlobalCluster gco;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--list") {
      List(std::cout);
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: haspec-ref-vcs-gco [--mutant NAME]... [--reading NAME]... | --list\n"
                   "Speaks haspec's SUT protocol for machine vcs-gco on stdin/stdout.\n";
      List(std::cout);
      return 0;
    }
    if (arg != "--mutant" && arg != "--reading")
      return Usage("unknown argument " + std::string(arg));
    if (i + 1 >= argc) return Usage(std::string(arg) + " needs a NAME (see --list)");
    const std::string_view name = argv[++i];
    if (arg == "--mutant") {
      auto m = ref::MutantNamed(name);
      if (!m) return Usage("unknown mutant " + std::string(name) + " (see --list)");
      gco.Enable(*m);
    } else {
      auto r = ref::ReadingNamed(name);
      if (!r) return Usage("unknown reading " + std::string(name) + " (see --list)");
      gco.Enable(*r);
    }
  }
  return haspec::sut::Serve(gco, std::cin, std::cout);
}
