// haspec-fuzz-replay: runs corpus files through fuzz targets without
// libFuzzer, so a g++ build (and its CI) replays every seed and regression
// input as a test. A finding aborts, as under libFuzzer.
//
//   haspec-fuzz-replay --list
//   haspec-fuzz-replay ops_dsm corpus/ops_dsm           # every file below
//   haspec-fuzz-replay trace_jsa crash-0123abcd         # one file
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/target.h"

namespace haspec::fuzz {
namespace {

std::map<std::string, TargetFn>& Table() {
  static std::map<std::string, TargetFn> t;
  return t;
}

}  // namespace

bool RegisterTarget(const char* name, TargetFn fn) {
  Table()[name] = fn;
  return true;
}

}  // namespace haspec::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  auto& table = haspec::fuzz::Table();
  const std::string usage = "usage: haspec-fuzz-replay TARGET PATH... | --list\n";
  if (argc == 2 && std::string(argv[1]) == "--list") {
    for (const auto& [name, fn] : table) std::cout << name << "\n";
    return 0;
  }
  if (argc < 3) {
    std::cerr << usage;
    return 2;
  }
  auto it = table.find(argv[1]);
  if (it == table.end()) {
    std::cerr << "haspec-fuzz-replay: no target " << argv[1] << " (--list shows them)\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    const fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        const std::string name = e.path().filename().string();
        // A regression's readable trace (<input>.trace.jsonl) sits beside
        // it for people; the input itself is what replays.
        const std::string_view trace_suffix = ".trace.jsonl";
        const bool trace =
            name.size() > trace_suffix.size() &&
            name.compare(name.size() - trace_suffix.size(), trace_suffix.size(), trace_suffix) == 0;
        if (e.is_regular_file() && name.front() != '.' && !trace) {
          files.push_back(e.path());
        }
      }
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::cerr << "haspec-fuzz-replay: " << p.string() << ": no such file or directory\n";
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    // Printed first, so the input is named if the target aborts.
    std::cerr << "replay " << f.string() << "\n";
    it->second(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << argv[1] << ": replayed " << files.size() << " input(s), no finding\n";
  return 0;
}
