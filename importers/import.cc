#include "importers/import.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/text.h"
#include "importers/embedded_files.h"
#include "importers/library_reader.h"
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

namespace {

std::string Stem(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

core::Result<std::vector<core::NotificationRule>> LoadDefaultRegulations() {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::NotificationRule> rules;
  for (const auto& file : DefaultRegulationFiles()) {
    std::string name = "datasets/regulations/" + std::string(file.name);
    auto docs = ParseDocuments(name, std::string(file.content), false, diag);
    for (const auto& doc : docs.value_or(std::vector<YAML::Node>{})) {
      ReadRegulationDocument(Field(&name, doc), taxonomy.value(), diag, rules);
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return rules;
}

core::Result<std::vector<core::NotificationRule>> LoadRegulationDir(const std::string& dir) {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::NotificationRule> rules;
  for (const auto& path : ListManifests(dir, diag)) {
    auto docs = LoadDocuments(path, diag);
    for (const auto& doc : docs.value_or(std::vector<YAML::Node>{})) {
      ReadRegulationDocument(Field(&path, doc), taxonomy.value(), diag, rules);
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return rules;
}

core::Result<std::vector<core::Incident>> LoadIncidentLibrary() {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::Incident> incidents;
  for (const auto& file : IncidentLibraryFiles()) {
    std::string name = "datasets/incidents/" + std::string(file.name);
    auto docs = ParseDocuments(name, std::string(file.content), false, diag);
    if (!docs) continue;
    if (docs->size() != 1) {
      diag.Error({name, 0, 0}, "an incident file holds exactly one document");
      continue;
    }
    auto incident = ReadIncidentDocument(Field(&name, docs->front()), Stem(std::string(file.name)),
                                         taxonomy.value(), diag);
    if (incident) incidents.push_back(std::move(*incident));
  }
  if (diag.has_errors()) return diag.ToStatus();
  return incidents;
}

core::Result<core::Incident> LoadIncident(const std::string& name_or_path) {
  fs::path p(name_or_path);
  auto ext = p.extension().string();
  if (ext == ".yaml" || ext == ".yml") {
    auto taxonomy = LoadDefaultTaxonomy();
    if (!taxonomy.ok()) return taxonomy.status();
    Diagnostics diag;
    auto docs = LoadDocuments(name_or_path, diag);
    std::optional<core::Incident> incident;
    if (docs && docs->size() == 1) {
      incident = ReadIncidentDocument(Field(&name_or_path, docs->front()), p.stem().string(), taxonomy.value(),
                                      diag);
    } else if (docs) {
      diag.Error({name_or_path, 0, 0}, "an incident file holds exactly one document");
    }
    if (diag.has_errors() || !incident) return diag.ToStatus();
    return std::move(*incident);
  }
  auto library = LoadIncidentLibrary();
  if (!library.ok()) return library.status();
  std::vector<std::string> names;
  for (auto& incident : library.value()) {
    if (incident.id == name_or_path) return std::move(incident);
    names.push_back(incident.id);
  }
  std::string list, prefixed;
  for (const auto& n : names) {
    list += (list.empty() ? "" : ", ") + n;
    if (prefixed.empty() && n.rfind(name_or_path + "-", 0) == 0) prefixed = n;  // "mixpanel" -> mixpanel-2025
  }
  std::string hint = prefixed.empty() ? core::DidYouMean(name_or_path, names) : " (did you mean '" + prefixed + "'?)";
  return core::Status::Error("no incident '" + name_or_path + "' in the library" + hint + "; the library has: " + list);
}

}  // namespace blastmap::importers
