// The bundled valid traces (traces/<machine>/valid/*.jsonl), compiled into
// the program: documented scenarios (a rolling update, a failover and
// switch back) that the gate steers some runs through before continuing at
// random, the way a fuzzer starts from a seed corpus.
//
//   for (const BundledTrace& t : BundledTraces("dsm")) Parse(t.text, t.path);
#ifndef HASPEC_TRACES_SCENARIOS_H_
#define HASPEC_TRACES_SCENARIOS_H_

#include <string_view>
#include <vector>

namespace haspec {

struct BundledTrace {
  std::string_view machine;  // "dsm", "vcs-system", ...
  std::string_view path;     // relative to the repository, e.g. traces/dsm/valid/x.jsonl
  std::string_view text;     // the file's contents
};

// The bundled traces of one machine, by its name.
std::vector<BundledTrace> BundledTraces(std::string_view machine);

}  // namespace haspec

#endif  // HASPEC_TRACES_SCENARIOS_H_
