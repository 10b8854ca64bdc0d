// blastmap import PATH...: manifests in any supported format -> a validated model -> one new snapshot
// (or nothing at all).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/common.h"
#include "core/store.h"
#include "importers/import.h"

namespace blastmap::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> paths;
  std::string taxonomy, format = "auto", csv_map;
  std::vector<std::string> csv_columns;
  bool quiet = false;
  uint64_t max_file_mib = importers::kDefaultMaxFileBytes >> 20;
};

std::string Joined(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "reading manifests [#########.....................]  34/102 files  1.8/5.6 MB" on stderr, redrawn in
// place (only when stderr is a terminal: logs and pipes get nothing).
void DrawProgress(const importers::ImportProgress& p) {
  constexpr size_t kWidth = 30;
  const uint64_t total = p.bytes_total ? p.bytes_total : 1;
  const size_t filled = p.bytes_total ? static_cast<size_t>(p.bytes_done * kWidth / total)
                                      : (p.files_total ? p.files_done * kWidth / p.files_total : kWidth);
  char line[160];
  std::snprintf(line, sizeof line, "\rreading manifests [%s%s] %zu/%zu files  %.1f/%.1f MB",
                std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(), p.files_done,
                p.files_total, p.bytes_done / 1e6, p.bytes_total / 1e6);
  std::cerr << line << std::flush;
}

void ClearProgress() { std::cerr << "\r\033[K" << std::flush; }

// Removes a store file (and its WAL and shared-memory files) that this import created and then failed to
// fill: a failed import leaves no trace, not even an empty store.
void RemoveCreatedStore(const std::string& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + suffix, ec);
}

// The store opened before the import, so that its rows are written while the files parse; null when it is
// not opened early: an existing empty file (the open would make it a store) or a store of the schema to
// migrate (a failed import must leave neither behind), or a store that cannot be opened (the import's
// problems are then reported first and the store's after, as they always were).
std::unique_ptr<core::Store> OpenEarly(const std::string& db) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(db, ec) && std::filesystem::file_size(db, ec) == 0) return nullptr;
  auto store = core::Store::Open(db, /*read_only=*/false, /*migrate=*/false);
  return store.ok() ? store.take() : nullptr;
}

int RunImport(const ImportArgs& args, const Common& common) {
  importers::ImportOptions options;
  options.taxonomy_dir = args.taxonomy;
  options.format = args.format;
  options.csv_map = args.csv_map;
  options.csv_columns = args.csv_columns;
  options.max_file_bytes = args.max_file_mib << 20;
  const bool bar = !args.quiet && isatty(STDERR_FILENO);
  if (bar) options.progress = DrawProgress;
  const std::string source = Joined(args.paths, " ");
  std::error_code ec;
  const bool existed = std::filesystem::exists(common.db, ec) || ec;
  std::unique_ptr<core::Store> store = OpenEarly(common.db);
  // All in the one transaction of the snapshot; when the store is locked, the save comes after the import.
  std::unique_ptr<core::SnapshotWriter> writer;
  if (store) {
    auto begun = store->BeginSnapshot(source);
    if (begun.ok()) writer = begun.take();
  }
  options.writer = writer.get();
  auto imported = importers::ImportPaths(args.paths, options);
  if (bar) ClearProgress();
  if (!imported.ok()) {
    writer.reset();  // rolls back what was written
    store.reset();
    if (!existed) RemoveCreatedStore(common.db);
    std::cerr << imported.status().message() << "\nblastmap: import failed; the store was not changed\n";
    return kInputError;
  }
  for (const auto& w : imported.value().warnings) std::cerr << w << "\n";
  const auto& model = imported.value().model;
  if (!store) {
    auto opened = core::Store::Open(common.db, /*read_only=*/false);
    if (!opened.ok()) return Fail(opened.status());
    store = opened.take();
  }
  if (bar) std::cerr << "writing the snapshot: " << model.nodes.size() << " nodes..." << std::flush;
  auto id = writer ? writer->Commit(model) : store->SaveSnapshot(model, source);
  writer.reset();
  if (bar) ClearProgress();
  if (!id.ok()) {
    return Fail(
        core::Status::Error(id.status().message() + "\nblastmap: import failed; the store was not changed"));
  }
  if (!args.quiet) {
    std::map<std::string, int> per_format;
    for (const auto& f : imported.value().formats) ++per_format[f];
    std::string formats;
    for (const auto& [f, n] : per_format)
      formats += (formats.empty() ? "" : ", ") + std::to_string(n) + " " + f;
    std::cout << "imported " << imported.value().files.size() << " files (" << formats << ") from "
              << Joined(args.paths, ", ") << " into " << common.db << " as snapshot " << id.value() << ": "
              << model.nodes.size() << " nodes, " << model.flows.size() << " flows, " << model.accesses.size()
              << " access edges, " << model.holdings.size() << " stores, " << model.subjects.size()
              << " subjects\n";
  }
  return kOk;
}

}  // namespace

void RegisterImport(CLI::App& app, Common& common, int& code) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import",
      "Import manifest files or directory trees (native, fides, threagile, cyclonedx, backstage, csv; mixed\n"
      "formats reconcile into one map) as a new snapshot");
  cmd->add_option("paths", args->paths, "Manifest files or directories")->required();
  cmd->add_option("--format", args->format,
                  "Format of every file; auto detects each document by its content (.csv/.tsv by extension)")
      ->check(CLI::IsMember({"auto", "native", "fides", "threagile", "cyclonedx", "backstage", "csv"}))
      ->capture_default_str();
  cmd->add_option("--csv-map", args->csv_map, "CSV column mapping file (YAML; docs/importers/csv.md)");
  cmd->add_option("--csv-column", args->csv_columns, "CSV column of a field, as FIELD=HEADER (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--taxonomy", args->taxonomy,
                  "Directory of taxonomy files replacing the built-in taxonomy");
  cmd->add_option("--max-file-size", args->max_file_mib,
                  "Largest manifest file read, in MiB (0: no limit); a file is parsed whole in memory")
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing on success");
  AddCommon(cmd, common);
  cmd->callback([args, &common, &code] { code = RunImport(*args, common); });
}

}  // namespace blastmap::cli
