// blastmap: the command line. argv -> options -> one engine call -> output and an exit code
// (0 ok, 1 findings, 2 usage or input error). Errors go to stderr. Each subcommand is in cli/cmd_*.cc.
#include "cli/common.h"
#include "core/huge_pages.h"

int main(int argc, char** argv) {
  using namespace blastmap::cli;
  // A snapshot's arrays are read at random: with transparent huge pages for the heap a brief maps a few
  // pages, not hundreds (core/huge_pages.h). Starts this program again once, before anything else runs:
  // with one malloc arena (so that what every thread allocates is in huge pages), but for `import` and
  // `serve`, whose threads allocate too often to share one.
  blastmap::core::PreferHugePages(argv, /*one_arena=*/!ManyAllocatingThreads(argc, argv));
  CLI::App app{
      "blastmap: maps where your data flows (systems, vendors, their sub-processors) and answers\n"
      "what a compromised vendor exposes: which data, about whom, through which flow.\n\n"
      "  blastmap import datasets/acme-ai --db acme.db\n"
      "  blastmap blast mixpanel --db acme.db\n"
      "  blastmap show mixpanel --db acme.db\n"
      "  blastmap serve --db acme.db\n\n"
      "  blastmap replay salesloft-drift-2025 --db acme.db\n\n"
      "Exit codes: 0 ok, 1 findings, 2 usage or input error.",
      "blastmap"};
  app.require_subcommand(1);
  app.set_version_flag("--version", [] { return "blastmap 0.1.0\n" + blastmap::core::HugePagesStatus(); });
  Common common;
  int code = kOk;
  RegisterImport(app, common, code);
  RegisterBlast(app, common, code);
  RegisterShow(app, common, code);
  RegisterRank(app, common, code);
  RegisterWhoHolds(app, common, code);
  RegisterPaths(app, common, code);
  RegisterWhatIf(app, common, code);
  RegisterQuery(app, common, code);
  RegisterExport(app, common, code);
  RegisterCheck(app, common, code);
  RegisterDiff(app, common, code);
  RegisterMinimise(app, common, code);
  RegisterSnapshots(app, common, code);
  RegisterServe(app, common, code);
  RegisterReplay(app, common, code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kInputError;
  } catch (const blastmap::core::ElementReadError& e) {  // a lean graph's store failed after the load
    return Fail(blastmap::core::Status::Error(e.what()));
  }
  return code;
}
