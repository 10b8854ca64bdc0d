// blastmap import PATH: manifests -> a validated model -> one new snapshot (or nothing at all).
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/common.h"
#include "core/store.h"
#include "importers/import.h"

namespace blastmap::cli {
namespace {

struct ImportArgs {
  std::string path, taxonomy;
  bool quiet = false;
};

// "reading manifests [#####.....] 512/1024" on stderr, redrawn in place; only on a terminal.
void ProgressBar(size_t done, size_t total) {
  constexpr size_t kWidth = 30;
  static size_t last_filled = SIZE_MAX;
  const size_t filled = total ? done * kWidth / total : kWidth;
  if (filled == last_filled && done != total) return;
  last_filled = filled;
  std::cerr << "\rreading manifests [" << std::string(filled, '#') << std::string(kWidth - filled, '.')
            << "] " << done << "/" << total << std::flush;
}

int RunImport(const ImportArgs& args, const Common& common) {
  importers::ImportOptions options;
  options.taxonomy_dir = args.taxonomy;
  const bool bar = !args.quiet && isatty(STDERR_FILENO);
  if (bar) options.progress = ProgressBar;
  auto imported = importers::ImportPath(args.path, options);
  if (bar) std::cerr << "\r\033[K" << std::flush;
  if (!imported.ok()) {
    std::cerr << imported.status().message() << "\nblastmap: import failed; the store was not changed\n";
    return kInputError;
  }
  for (const auto& w : imported.value().warnings) std::cerr << w << "\n";
  const auto& model = imported.value().model;
  auto store = core::Store::Open(common.db, /*read_only=*/false);
  if (!store.ok()) return Fail(store.status());
  if (bar) std::cerr << "writing snapshot: " << model.nodes.size() << " nodes..." << std::flush;
  auto id = store.value()->SaveSnapshot(model, args.path);
  if (bar) std::cerr << "\r\033[K" << std::flush;
  if (!id.ok()) {
    return Fail(
        core::Status::Error(id.status().message() + "\nblastmap: import failed; the store was not changed"));
  }
  if (!args.quiet) {
    std::cout << "imported " << imported.value().files.size() << " files from " << args.path << " into "
              << common.db << " as snapshot " << id.value() << ": " << model.nodes.size() << " nodes, "
              << model.flows.size() << " flows, " << model.accesses.size() << " access edges, "
              << model.holdings.size() << " stores, " << model.subjects.size() << " subjects\n";
  }
  return kOk;
}

}  // namespace

void RegisterImport(CLI::App& app, Common& common, int& code) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Import a manifest file or directory tree as a new snapshot");
  cmd->add_option("path", args->path, "Manifest file or directory")->required();
  cmd->add_option("--taxonomy", args->taxonomy,
                  "Directory of taxonomy files replacing the built-in taxonomy");
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing on success");
  AddCommon(cmd, common);
  cmd->callback([args, &common, &code] { code = RunImport(*args, common); });
}

}  // namespace blastmap::cli
