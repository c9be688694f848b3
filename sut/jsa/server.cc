// haspec-ref-jsa: the JSA reference implementation behind the SUT protocol
// (docs/sut-protocol.md), for `haspec gate jsa --sut 'haspec-ref-jsa ...'`.
//
//   haspec-ref-jsa                          the reference as documented
//   haspec-ref-jsa --mutant skip-reping     a deliberately broken variant
//   haspec-ref-jsa --reading land-standby   another defensible reading
//   haspec-ref-jsa --list                   every switch, its rule and bug
#include "sut/protocol/server.h"

#include <iostream>
#include <string>
#include <string_view>

#include "sut/jsa/reference.h"

namespace {

using haspec::sut::jsa::FindSwitch;
using haspec::sut::jsa::KindName;
using haspec::sut::jsa::SwitchKind;

constexpr int kUsage = 2;

void List(std::ostream& out) {
  for (const auto& s : haspec::sut::jsa::Switches()) {
    out << "--" << KindName(s.kind) << " " << s.name << "  [" << s.rule << "]  " << s.bug << "\n";
  }
}

int Usage(std::string_view problem) {
  std::cerr << "haspec-ref-jsa: " << problem << "\n"
            << "usage: haspec-ref-jsa [--mutant NAME]... [--reading NAME]... | --list\n";
  return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  haspec::sut::jsa::HaCluster pair;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--list") {
      List(std::cout);
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: haspec-ref-jsa [--mutant NAME]... [--reading NAME]... | --list\n"
                   "Serves the SUT protocol on stdin/stdout; --list prints the switches.\n";
      return 0;
    }
    if (arg != "--mutant" && arg != "--reading") return Usage("unknown option " + std::string(arg));
    if (i + 1 >= argc) return Usage(std::string(arg) + " needs a NAME (see --list)");
    const std::string_view name = argv[++i];
    const auto* s = FindSwitch(name);
    const SwitchKind want = arg == "--mutant" ? SwitchKind::kMutant : SwitchKind::kReading;
    if (s == nullptr || s->kind != want) {
      return Usage("unknown " + std::string(KindName(want)) + " \"" + std::string(name) +
                   "\" (see --list)");
    }
    pair.Enable(name);
  }
  return haspec::sut::Serve(pair, std::cin, std::cout);
}
