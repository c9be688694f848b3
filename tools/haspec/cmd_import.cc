// haspec import MACHINE --format F FILE... [-o TRACE]: read a product's logs
// or status snapshots with one of the machine's importers
// (model/<machine>/import.cc) and write them as a trace v1 (a header, then one
// partial observation per thing the source showed), for `haspec replay`.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "engine/importers.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine, format, out = "-", config;
  std::vector<std::string> files, node_map, options;
  bool quiet = false;
};

// "NAME=VALUE" pairs into a map; false (with a message) on a bad one.
bool Pairs(const std::vector<std::string>& in, const char* flag,
           std::map<std::string, std::string, std::less<>>& out) {
  for (const std::string& p : in) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      std::cerr << "error: " << flag << " \"" << p << "\": expected NAME=VALUE\n";
      return false;
    }
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return true;
}

// Checks the input is a readable regular file (a directory, a missing file
// and a device are bad input, named).
bool Readable(const std::string& file) {
  std::error_code ec;
  const auto st = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(st)) {
    std::cerr << "error: " << file << ": no such file\n";
    return false;
  }
  if (std::filesystem::is_directory(st)) {
    std::cerr << "error: " << file << ": is a directory, not a log file\n";
    return false;
  }
  return true;
}

template <CodecMachine M>
int Run(const Args& a) {
  const ImporterOf<M>* imp = FindImporter<M>(a.format);
  if (!imp) {
    std::cerr << "error: " << M::kName << " has no format \"" << a.format
              << "\" (formats: " << ImporterChoices<M>() << ")\n";
    return Code(ExitCode::kUsage);
  }
  ImportContext base;
  if (!Pairs(a.options, "--option", base.options) ||
      !Pairs(a.node_map, "--node-map", base.node_map)) {
    return Code(ExitCode::kUsage);
  }
  if (auto bad = UnknownOption(*imp, base)) {
    std::cerr << "error: " << *bad << "\n";
    return Code(ExitCode::kUsage);
  }
  auto config = LoadConfig<M>(a.config);
  if (!config) return Code(ExitCode::kBadInput);

  // Written beside the target and renamed at the end, so a bad input never
  // leaves a half trace that looks whole.
  const bool to_stdout = a.out == "-";
  const std::string partial = a.out + ".partial";
  std::ofstream file_out;
  if (!to_stdout) {
    file_out.open(partial, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::cerr << "error: " << a.out << ": cannot write\n";
      return Code(ExitCode::kBadInput);
    }
  }
  std::ostream& out = to_stdout ? std::cout : file_out;
  auto fail = [&] {
    if (!to_stdout) {
      file_out.close();
      std::remove(partial.c_str());
    }
    return Code(ExitCode::kBadInput);
  };

  std::string source;
  for (const std::string& f : a.files) source += (source.empty() ? "" : ", ") + f;
  WriteTraceHeader<M>(out, source, a.config.empty() ? nullptr : &*config);
  for (const std::string& f : a.files) {
    if (!Readable(f)) return fail();
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "error: " << f << ": cannot open\n";
      return fail();
    }
    ImportContext ctx = base;
    ctx.file = f;
    try {
      auto src = imp->open(in, ctx, *config);
      const long n = WriteEvents<M>(*src, f, config->nodes, out);
      if (in.bad()) {
        std::cerr << "error: " << f << ": read error after line " << src->lines_read() << "\n";
        return fail();
      }
      if (src->lines_read() == 0) {
        std::cerr << "error: " << f << ": empty file, not a " << imp->name << " input\n";
        return fail();
      }
      if (!a.quiet) {
        std::cerr << f << ": " << n << " event(s) from " << src->lines_read() << " line(s), "
                  << src->lines_skipped() << " skipped as not " << imp->name << " content\n";
      }
    } catch (const ParseError& e) {
      std::cerr << "error: " << ImportErrorMessage(f, e) << "\n";
      return fail();
    }
  }
  out.flush();
  if (!out) {
    std::cerr << "error: " << a.out << ": write failed\n";
    return fail();
  }
  if (!to_stdout) {
    file_out.close();
    if (std::rename(partial.c_str(), a.out.c_str()) != 0) {
      std::cerr << "error: " << a.out << ": cannot rename " << partial << " to it\n";
      return fail();
    }
  }
  return 0;
}

// Every machine's formats and their options, from the registry.
std::string FormatsHelp() {
  std::ostringstream s;
  s << "Formats (docs/replay.md, \"Importers\"):\n";
  ForEachMachine([&]<Machine M>() {
    for (const auto& imp : ImportersOf<M>()) {
      s << "  " << M::kName << " --format " << imp.name << "\n      " << imp.description << "\n";
      for (const ImportOptionInfo& o : imp.options) {
        s << "      --option " << o.name << "=...  " << o.help << "\n";
      }
    }
  });
  return s.str();
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_option("FILE", a->files,
                 "Input files, read in the order given (one trace; for one log per node, import "
                 "each and let replay merge them)")
      ->required();
  sub.add_option("--format", a->format, "The importer (listed below)")->required();
  sub.add_option("-o,--out", a->out, "The trace to write ('-': standard output)");
  sub.add_option("--node-map", a->node_map,
                 "LOG=CONFIG: the node the source calls LOG is CONFIG in the configuration "
                 "(repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--option", a->options, "NAME=VALUE: an option of the format (repeatable)")
      ->allow_extra_args(false);
  sub.add_flag("-q,--quiet", a->quiet, "No per-file summary on standard error");
  AddConfigOption(sub, a->config);
  sub.footer(FormatsHelp());
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Run<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {55, "import",
     "Read a product's logs or status snapshots (engine logs, CLI listings, REST payloads, "
     "status lines) as a trace of partial observations for `haspec replay`",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
