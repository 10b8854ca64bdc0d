// The importers' entry point: turns manifest files and directory trees, in any of the supported formats
// (docs/importers/README.md), into one validated core::Model. Nothing here touches the store; the caller
// saves the model only when the import succeeded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/incident.h"
#include "core/model.h"
#include "core/regulation.h"
#include "core/status.h"
#include "core/store.h"

namespace blastmap::importers {

// The default bound on one manifest file's size: a manifest is read whole into memory and its documents'
// trees take a few bytes per byte of YAML, so a larger file needs a deliberate ImportOptions.
inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t{64} << 20;

// How far an import is: the listed manifest files and their bytes.
struct ImportProgress {
  size_t files_done = 0, files_total = 0;
  uint64_t bytes_done = 0, bytes_total = 0;
};

struct ImportOptions {
  // A directory of taxonomy files replacing the embedded default taxonomy; empty for the default.
  std::string taxonomy_dir;
  // auto (by each document's content, and .csv/.tsv by extension), native, fides, threagile, cyclonedx,
  // backstage or csv.
  std::string format = "auto";
  // CSV column mapping (docs/importers/csv.md): a mapping file, and field=Header overrides.
  std::string csv_map;
  std::vector<std::string> csv_columns;
  // Called on the importing thread after each listed manifest is read.
  std::function<void(const ImportProgress&)> progress;
  // A file larger than this is an error naming it and the limit, before anything of it is read; 0: none.
  uint64_t max_file_bytes = kDefaultMaxFileBytes;
  // Threads parsing manifests ahead of the readers; 0 picks the hardware's (at least 2), 1 parses each file
  // when it is read. Files are parsed independently and read in order: the result and the messages do not
  // depend on it.
  unsigned threads = 0;
  // A snapshot being written, or null. When set, an import of native manifests only adds the rows of each
  // file (nodes, subjects, holdings, flows, accesses) as soon as the file is read, in model order, so the
  // store is written while later files parse; an import that meets any other format forgets them
  // (SnapshotWriter::Restart) and adds nothing. Either way the caller commits the returned model to it
  // (Commit writes the rest), or drops it when the import failed: then nothing is written.
  core::SnapshotWriter* writer = nullptr;
};

struct ImportResult {
  core::Model model;                  // taxonomy finalized, every reference resolved
  std::vector<std::string> warnings;  // "file:line:col: warning: ..."
  std::vector<std::string> files;     // the files read, in the order read
  std::vector<std::string> formats;   // the format of each file (parallel to files)
};

// Reads every file under `paths` (each a file, or a directory read recursively in sorted order) into one
// model; formats may be mixed and ids are reconciled across them. On any problem returns an error
// listing every problem found as "file:line:col: message".
core::Result<ImportResult> ImportPaths(const std::vector<std::string>& paths,
                                       const ImportOptions& options = {});
// ImportPaths of one path.
core::Result<ImportResult> ImportPath(const std::string& path, const ImportOptions& options = {});

// The embedded default taxonomy, finalized.
core::Result<core::Taxonomy> LoadDefaultTaxonomy();
// The taxonomy files (*.yaml) of a directory, finalized.
core::Result<core::Taxonomy> LoadTaxonomyDir(const std::string& dir);

// The notification rules embedded from datasets/regulations (docs/obligations.md), checked against the
// default taxonomy. An error lists every problem as file:line:col.
core::Result<std::vector<core::NotificationRule>> LoadDefaultRegulations();
// The rules of the *.yaml files of a directory (replacing the embedded ones).
core::Result<std::vector<core::NotificationRule>> LoadRegulationDir(const std::string& dir);

// The incident library embedded from datasets/incidents, in name order.
core::Result<std::vector<core::Incident>> LoadIncidentLibrary();
// One incident: a name of the library (e.g. mixpanel-2025) or the path of an incident file (ends in
// .yaml or .yml). An unknown name is an error listing the library (with a did-you-mean).
core::Result<core::Incident> LoadIncident(const std::string& name_or_path);

}  // namespace blastmap::importers
