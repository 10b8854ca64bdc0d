#include "importers/import.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

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
  NativeDeclarations decls;
  for (const auto& file : result.files) {
    auto docs = LoadDocuments(file, diag);
    if (!docs) continue;
    for (const auto& doc : *docs) ReadNativeDocument(Field(&file, doc), diag, decls);
  }
  if (!diag.has_errors()) ResolveNative(std::move(decls), base.take(), diag, result.model);
  if (diag.has_errors()) return diag.ToStatus();
  result.warnings = diag.warnings();
  return result;
}

}  // namespace blastmap::importers
