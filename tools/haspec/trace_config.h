// The configuration a trace is checked under: --config FILE when given,
// else the "config" of the trace's v1 header (docs/trace-format.md), else
// the machine's default.
#ifndef HASPEC_TOOLS_HASPEC_TRACE_CONFIG_H_
#define HASPEC_TOOLS_HASPEC_TRACE_CONFIG_H_

#include <iostream>
#include <optional>
#include <string>

#include "engine/op_trace.h"
#include "tools/haspec/common.h"

namespace haspec::cli {

// On error prints "error: FILE[:LINE]: problem" and returns nullopt
// (callers exit with ExitCode::kBadInput).
template <CodecMachine M>
std::optional<typename M::Config> LoadConfigFor(const std::string& config_path,
                                                const TraceHeader& header,
                                                const std::string& trace_path) {
  if (!config_path.empty() || !header.config) return LoadConfig<M>(config_path);
  try {
    return M::ConfigFromJson(*header.config);
  } catch (const ParseError& e) {
    std::cerr
        << "error: "
        << InputError(trace_path, header.line, "header: config." + std::string(e.what())).what()
        << "\n";
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "error: " << trace_path << ":" << header.line << ": header: config: " << e.what()
              << "\n";
  }
  return std::nullopt;
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_TRACE_CONFIG_H_
