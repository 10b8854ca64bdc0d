// blastmap: the command line. argv -> options -> one engine call -> output and an exit code
// (0 ok, 1 findings, 2 usage or input error). Errors go to stderr.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>

#include "core/store.h"
#include "importers/import.h"
#include "query/engine.h"
#include "query/render.h"

namespace {

using blastmap::core::Status;

constexpr int kOk = 0;
constexpr int kInputError = 2;

struct Common {
  std::string db = "blastmap.db";
  int64_t snapshot = 0;  // 0: the latest
  std::string format = "table";
  std::string color = "auto";
};

void AddCommon(CLI::App* cmd, Common& common, bool formats) {
  cmd->add_option("--db", common.db, "The store file")->capture_default_str();
  cmd->add_option("--snapshot", common.snapshot, "Snapshot to query (default: the latest)")
      ->check(CLI::PositiveNumber);
  if (formats) {
    cmd->add_option("--format", common.format, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    cmd->add_option("--color", common.color, "Colour in tables: auto (on a terminal), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
  }
}

bool UseColor(const Common& common) {
  if (common.color == "always") return true;
  if (common.color == "never") return false;
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

int Fail(const Status& status) {
  std::cerr << "blastmap: " << status.message() << "\n";
  return kInputError;
}

blastmap::core::Result<std::unique_ptr<blastmap::query::Engine>> OpenEngine(const Common& common) {
  std::optional<int64_t> snapshot;
  if (common.snapshot > 0) snapshot = common.snapshot;
  return blastmap::query::Engine::Open(common.db, snapshot);
}

int RunImport(const std::string& path, const std::string& taxonomy, const Common& common, bool quiet) {
  blastmap::importers::ImportOptions options;
  options.taxonomy_dir = taxonomy;
  auto imported = blastmap::importers::ImportPath(path, options);
  if (!imported.ok()) {
    std::cerr << imported.status().message() << "\n"
              << "blastmap: import failed; the store was not changed\n";
    return kInputError;
  }
  for (const auto& w : imported.value().warnings) std::cerr << w << "\n";
  const auto& model = imported.value().model;
  auto store = blastmap::core::Store::Open(common.db, /*read_only=*/false);
  if (!store.ok()) return Fail(store.status());
  auto id = store.value()->SaveSnapshot(model, path);
  if (!id.ok())
    return Fail(
        Status::Error(id.status().message() + "\nblastmap: import failed; the store was not changed"));
  if (!quiet) {
    std::cout << "imported " << imported.value().files.size() << " files from " << path << " into "
              << common.db << " as snapshot " << id.value() << ": " << model.nodes.size() << " nodes, "
              << model.flows.size() << " flows, " << model.accesses.size() << " access edges, "
              << model.holdings.size() << " stores, " << model.subjects.size() << " subjects\n";
  }
  return kOk;
}

int RunBlast(const std::vector<std::string>& seeds, const blastmap::query::BlastOptions& options,
             const Common& common) {
  auto engine = OpenEngine(common);
  if (!engine.ok()) return Fail(engine.status());
  auto result = engine.value()->Blast(seeds, options);
  if (!result.ok()) return Fail(result.status());
  std::cout << (common.format == "json" ? blastmap::query::BlastToJson(result.value())
                                        : blastmap::query::BlastToTable(result.value(), UseColor(common)));
  return kOk;
}

int RunShow(const std::string& id, const Common& common) {
  auto engine = OpenEngine(common);
  if (!engine.ok()) return Fail(engine.status());
  auto details = engine.value()->Show(id);
  if (!details.ok()) return Fail(details.status());
  std::cout << (common.format == "json" ? blastmap::query::NodeToJson(details.value())
                                        : blastmap::query::NodeToTable(details.value(), UseColor(common)));
  return kOk;
}

int RunSnapshots(const Common& common) {
  auto store = blastmap::core::Store::Open(common.db, /*read_only=*/true);
  if (!store.ok()) return Fail(store.status());
  auto list = store.value()->ListSnapshots();
  if (!list.ok()) return Fail(list.status());
  std::printf("%-4s  %-20s  %7s  %7s  %7s  %s\n", "ID", "CREATED (UTC)", "NODES", "FLOWS", "ACCESS",
              "SOURCE");
  for (const auto& s : list.value()) {
    std::printf("%-4lld  %-20s  %7lld  %7lld  %7lld  %s\n", static_cast<long long>(s.id),
                s.created_at.c_str(), static_cast<long long>(s.nodes), static_cast<long long>(s.flows),
                static_cast<long long>(s.accesses), s.source.c_str());
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "blastmap: maps where your data flows (systems, vendors, their sub-processors) and answers\n"
      "what a compromised vendor exposes: which data, about whom, through which flow.\n\n"
      "  blastmap import datasets/acme-ai --db acme.db\n"
      "  blastmap blast mixpanel --db acme.db\n"
      "  blastmap show mixpanel --db acme.db\n\n"
      "Exit codes: 0 ok, 1 findings, 2 usage or input error.",
      "blastmap"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "blastmap 0.1.0");
  Common common;
  int code = kOk;

  std::string import_path, taxonomy;
  bool quiet = false;
  auto* import_cmd =
      app.add_subcommand("import", "Import a manifest file or directory tree as a new snapshot");
  import_cmd->add_option("path", import_path, "Manifest file or directory")->required();
  import_cmd->add_option("--taxonomy", taxonomy,
                         "Directory of taxonomy files replacing the built-in taxonomy");
  import_cmd->add_flag("--quiet,-q", quiet, "Print nothing on success");
  AddCommon(import_cmd, common, false);
  import_cmd->callback([&] { code = RunImport(import_path, taxonomy, common, quiet); });

  std::vector<std::string> seeds;
  blastmap::query::BlastOptions blast_options;
  auto* blast_cmd = app.add_subcommand(
      "blast", "The incident brief: what compromising these nodes (jointly) exposes, how, and how badly");
  blast_cmd->add_option("seeds", seeds, "Node ids compromised together")->required();
  blast_cmd
      ->add_option("--min-likelihood", blast_options.min_likelihood,
                   "Ignore access paths less likely than this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  blast_cmd->add_option("--max-depth", blast_options.max_depth, "Longest access path to follow, in edges")
      ->check(CLI::NonNegativeNumber);
  AddCommon(blast_cmd, common, true);
  blast_cmd->callback([&] { code = RunBlast(seeds, blast_options, common); });

  std::string show_id;
  auto* show_cmd =
      app.add_subcommand("show", "One node: attributes, flows, access edges, held data, provenance");
  show_cmd->add_option("id", show_id, "Node id")->required();
  AddCommon(show_cmd, common, true);
  show_cmd->callback([&] { code = RunShow(show_id, common); });

  auto* snapshots_cmd = app.add_subcommand("snapshots", "List the snapshots in the store");
  AddCommon(snapshots_cmd, common, false);
  snapshots_cmd->callback([&] { code = RunSnapshots(common); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int exit = app.exit(e);
    return exit == 0 ? kOk : kInputError;
  }
  return code;
}
