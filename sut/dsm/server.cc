// haspec-ref-dsm: the DSM reference implementation behind the SUT protocol
// (docs/sut-protocol.md), for `haspec gate dsm --sut ...`.
//
//   haspec-ref-dsm                          # the reference as written
//   haspec-ref-dsm --mutant apply-through-lb
//   haspec-ref-dsm --reading maintenance-first
//   haspec-ref-dsm --list                   # every switch, its rule and bug
#include "sut/protocol/server.h"

#include <iostream>
#include <string>
#include <string_view>

#include "sut/dsm/reference.h"

namespace {

using haspec::sut::dsm_ref::SwitchKind;

int Usage(std::string_view problem) {
  std::cerr << "haspec-ref-dsm: " << problem << "\n"
            << "usage: haspec-ref-dsm [--mutant NAME]... [--reading NAME]... | --list\n";
  return 2;
}

void List() {
  for (const auto& s : haspec::sut::dsm_ref::Switches()) {
    std::cout << (s.kind == SwitchKind::kMutant ? "--mutant " : "--reading ") << s.name << "\t"
              << s.rule << "\t" << s.bug << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  haspec::sut::dsm_ref::DsmReference impl;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--list") {
      List();
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      Usage("serves the SUT protocol on stdin/stdout");
      return 0;
    }
    if (arg != "--mutant" && arg != "--reading")
      return Usage("unknown argument " + std::string(arg));
    if (i + 1 >= argc) return Usage(std::string(arg) + " needs a NAME");
    const std::string_view name = argv[++i];
    const auto* info = haspec::sut::dsm_ref::FindSwitch(name);
    const SwitchKind want = arg == "--mutant" ? SwitchKind::kMutant : SwitchKind::kReading;
    if (!info || info->kind != want) {
      return Usage("unknown " + std::string(arg.substr(2)) + " \"" + std::string(name) +
                   "\" (--list prints them)");
    }
    impl.Enable(name);
  }
  std::ios::sync_with_stdio(false);
  return haspec::sut::Serve(impl, std::cin, std::cout);
}
