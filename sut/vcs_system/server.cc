// haspec-ref-vcs-system: the vcs-system reference implementation behind the
// SUT protocol (docs/sut-protocol.md) on stdin / stdout.
//
//   haspec-ref-vcs-system                        the reference as documented
//   haspec-ref-vcs-system --mutant NAME          with one deliberate bug
//   haspec-ref-vcs-system --reading NAME         with another defensible reading
//   haspec-ref-vcs-system --list                 the switches, one per line
//
// Switches may be repeated; sut/vcs_system/manifest.json lists them with the
// rule each concerns.
#include "sut/protocol/server.h"

#include <iostream>
#include <string>
#include <string_view>

#include "sut/vcs_system/reference.h"

namespace {

using haspec::sut::vcs_system::Cluster;
using haspec::sut::vcs_system::FindSwitch;
using haspec::sut::vcs_system::Switches;
using haspec::sut::vcs_system::SwitchInfo;
using haspec::sut::vcs_system::SwitchKind;

constexpr char kUsage[] =
    "usage: haspec-ref-vcs-system [--mutant NAME]... [--reading NAME]... | --list\n";

void List() {
  for (const SwitchInfo& s : Switches()) {
    std::cout << (s.kind == SwitchKind::kMutant ? "--mutant " : "--reading ") << s.name << "\t"
              << s.rule << "\t" << s.bug << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  Cluster cluster;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--list") {
      List();
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--mutant" || arg == "--reading") {
      if (i + 1 >= argc) {
        std::cerr << "haspec-ref-vcs-system: " << arg << " needs a NAME\n" << kUsage;
        return 2;
      }
      const SwitchKind kind = arg == "--mutant" ? SwitchKind::kMutant : SwitchKind::kReading;
      const std::string_view name = argv[++i];
      const SwitchInfo* s = FindSwitch(name, kind);
      if (s == nullptr) {
        std::cerr << "haspec-ref-vcs-system: unknown " << arg.substr(2) << " \"" << name
                  << "\" (--list shows the switches)\n";
        return 2;
      }
      cluster.Enable(s->id);
      continue;
    }
    std::cerr << "haspec-ref-vcs-system: unknown argument \"" << arg << "\"\n" << kUsage;
    return 2;
  }
  return haspec::sut::Serve(cluster, std::cin, std::cout);
}
