// The importers' entry point: turns a manifest file or directory tree into a validated core::Model.
// Nothing here touches the store; the caller saves the model only when the import succeeded.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace blastmap::importers {

struct ImportOptions {
  // A directory of taxonomy files replacing the embedded default taxonomy; empty for the default.
  std::string taxonomy_dir;
  // Called as manifests are read (files done, files in all), from any thread, one call at a time.
  std::function<void(size_t, size_t)> progress;
  // Threads parsing manifests; 0 picks the hardware's. Files are parsed independently and merged in order.
  unsigned threads = 0;
};

struct ImportResult {
  core::Model model;                  // taxonomy finalized, every reference resolved
  std::vector<std::string> warnings;  // "file:line:col: warning: ..."
  std::vector<std::string> files;     // the manifests read, in the order read
};

// Reads native manifests from `path` (a file, or a directory read recursively in sorted order).
// On any problem returns an error listing every problem found as "file:line:col: message".
core::Result<ImportResult> ImportPath(const std::string& path, const ImportOptions& options = {});

// The embedded default taxonomy, finalized.
core::Result<core::Taxonomy> LoadDefaultTaxonomy();
// The taxonomy files (*.yaml) of a directory, finalized.
core::Result<core::Taxonomy> LoadTaxonomyDir(const std::string& dir);

}  // namespace blastmap::importers
