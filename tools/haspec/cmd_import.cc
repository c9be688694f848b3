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

struct Args : ImportArgs {
  std::string machine, out = "-", config;
  std::vector<std::string> files;
  bool quiet = false;
};

template <CodecMachine M>
int Run(const Args& a) {
  ImportContext base;
  if (!ImportContextOf(a, base)) return Code(ExitCode::kUsage);
  if (a.formats.size() != 1) {
    std::cerr << "error: --format: give exactly one (formats: " << ImporterChoices<M>() << ")\n";
    return Code(ExitCode::kUsage);
  }
  const ImporterOf<M>* imp = ImporterFor<M>(a.formats.front(), base);
  if (!imp) return Code(ExitCode::kUsage);
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
    if (const std::string bad = UnreadableFile(f); !bad.empty()) {
      std::cerr << "error: " << f << ": " << bad << "\n";
      return fail();
    }
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

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  AddMachineArgument(sub, a->machine);
  sub.add_option("FILE", a->files,
                 "Input files, read in the order given (one trace; for one log per node, import "
                 "each and let replay merge them)")
      ->required();
  AddImportOptions(sub, *a, "The importer (listed below)");
  sub.get_option("--format")->required();
  sub.add_option("-o,--out", a->out, "The trace to write ('-': standard output)");
  sub.add_flag("-q,--quiet", a->quiet, "No per-file summary on standard error");
  AddConfigOption(sub, a->config);
  return [a] { return OnMachine(a->machine, [&]<Machine M>() { return Run<M>(*a); }); };
}

const RegisterCommand kReg{
    {55, "import",
     "Read a product's logs or status snapshots (engine logs, CLI listings, REST payloads, "
     "status lines) as a trace of partial observations for `haspec replay`",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
