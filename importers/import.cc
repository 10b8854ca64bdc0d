#include "importers/import.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <thread>

#include "importers/default_taxonomy.h"
#include "importers/native_reader.h"
#include "importers/taxonomy_reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace fs = std::filesystem;
namespace {

bool IsManifestName(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// The manifest files under `path` in sorted order; hidden entries are skipped and directory symlinks are
// not followed (so a symlink loop cannot trap the walk).
std::vector<std::string> ListManifests(const std::string& path, Diagnostics& diag) {
  std::vector<std::string> files;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    diag.Error({path, 0, 0}, "no such file or directory");
    return files;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return files;
  }
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().rfind('.', 0) == 0) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && IsManifestName(p)) files.push_back(p.lexically_normal().string());
  }
  if (ec) diag.Error({path, 0, 0}, "cannot read the directory: " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty() && !diag.has_errors()) {
    diag.Error({path, 0, 0}, "no manifests (*.yaml, *.yml, *.json) found");
  }
  return files;
}

core::Result<core::Taxonomy> FinishTaxonomy(core::Taxonomy taxonomy, Diagnostics& diag) {
  if (!diag.has_errors()) {
    if (auto status = taxonomy.Finalize(); !status.ok()) diag.Error({}, status.message());
  }
  if (diag.has_errors()) return diag.ToStatus();
  return taxonomy;
}

template <typename T>
void MoveAppend(std::vector<T>& from, std::vector<T>& into) {
  if (into.empty()) {
    into = std::move(from);
    return;
  }
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

void Merge(NativeDeclarations from, NativeDeclarations& into) {
  MoveAppend(from.nodes, into.nodes);
  MoveAppend(from.subjects, into.subjects);
  MoveAppend(from.categories, into.categories);
  MoveAppend(from.category_at, into.category_at);
  MoveAppend(from.holdings, into.holdings);
  MoveAppend(from.flows, into.flows);
  MoveAppend(from.accesses, into.accesses);
  MoveAppend(from.subject_refs, into.subject_refs);
}

}  // namespace

core::Result<core::Taxonomy> LoadDefaultTaxonomy() {
  Diagnostics diag;
  core::Taxonomy taxonomy;
  for (const auto& file : DefaultTaxonomyFiles()) {
    std::string name = "datasets/taxonomy/" + std::string(file.name);
    auto docs = ParseDocuments(name, std::string(file.content), false, diag);
    for (const auto& doc : docs.value_or(std::vector<YAML::Node>{})) {
      ReadTaxonomyDocument(Field(&name, doc), diag, taxonomy);
    }
  }
  return FinishTaxonomy(std::move(taxonomy), diag);
}

core::Result<core::Taxonomy> LoadTaxonomyDir(const std::string& dir) {
  Diagnostics diag;
  core::Taxonomy taxonomy;
  for (const auto& path : ListManifests(dir, diag)) {
    auto docs = LoadDocuments(path, diag);
    for (const auto& doc : docs.value_or(std::vector<YAML::Node>{})) {
      ReadTaxonomyDocument(Field(&path, doc), diag, taxonomy);
    }
  }
  return FinishTaxonomy(std::move(taxonomy), diag);
}

core::Result<ImportResult> ImportPath(const std::string& path, const ImportOptions& options) {
  auto base = options.taxonomy_dir.empty() ? LoadDefaultTaxonomy() : LoadTaxonomyDir(options.taxonomy_dir);
  if (!base.ok()) return core::Status::Error("the taxonomy is invalid:\n" + base.status().message());

  Diagnostics diag;
  ImportResult result;
  result.files = ListManifests(path, diag);
  // Phase one reads every file on its own (in parallel: YAML parsing dominates an import), phase two merges
  // the declarations and diagnostics in file order, so the result does not depend on the threads.
  const size_t count = result.files.size();
  std::vector<NativeDeclarations> per_file(count);
  std::vector<Diagnostics> per_file_diag(count);
  std::atomic<size_t> next{0}, done{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) {
      const std::string& file = result.files[i];
      ForEachDocument(file, per_file_diag[i], [&](const YAML::Node& doc, int line_offset) {
        ReadNativeDocument(Field(&file, doc, line_offset), per_file_diag[i], per_file[i]);
      });
      const size_t finished = done.fetch_add(1) + 1;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        options.progress(finished, count);
      }
    }
  };
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  NativeDeclarations decls;
  for (size_t i = 0; i < count; ++i) {
    diag.Append(per_file_diag[i]);
    Merge(std::move(per_file[i]), decls);
  }
  if (!diag.has_errors()) ResolveNative(std::move(decls), base.take(), diag, result.model);
  if (diag.has_errors()) return diag.ToStatus();
  result.warnings = diag.warnings();
  return result;
}

}  // namespace blastmap::importers
