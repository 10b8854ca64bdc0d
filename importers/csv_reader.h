// The CSV vendor-inventory reader (docs/importers/csv.md): one row per vendor relationship, columns
// mapped to fields by common header names, a mapping file (--csv-map) or field=Header options, free-text
// categories and subjects mapped through the taxonomy. Internal to the importers layer.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "importers/category_names.h"
#include "importers/csv_parser.h"
#include "importers/reader.h"

namespace blastmap::importers {

class CsvReader {
 public:
  // Loads the mapping file `map_file` (may be empty) and the `columns` overrides ("field=Header");
  // problems go to `diag`. `taxonomy` must outlive the reader.
  CsvReader(const std::string& map_file, const std::vector<std::string>& columns,
            const core::Taxonomy& taxonomy, Diagnostics& diag);
  // Reads one inventory; `path` must outlive the import (it is the provenance of what it declares).
  void ReadFile(const std::string& path, const std::string& text, ReadContext& ctx);
  // Writes every vendor, flow and subject read to ctx.out.
  void Finish(ReadContext& ctx);

 private:
  void ReadRow(const std::string& path, const std::map<std::string, const CsvCell*>& cells, int line,
               ReadContext& ctx);
  std::vector<std::string> Categories(const std::string& path, const CsvCell& cell, ReadContext& ctx);
  std::vector<std::string> Subjects(const std::string& path, const CsvCell& cell, ReadContext& ctx);

  std::map<std::string, std::vector<std::string>> synonyms_;  // field -> normalized headers
  std::map<std::string, std::string> columns_;                // field -> header named by the user
  std::map<std::string, core::Provenance> column_at_;         // where the user named it
  std::map<std::string, std::string> subject_aliases_;        // normalized text -> subject kind
  char delimiter_ = 0;
  std::string source_ = "organization";
  std::unique_ptr<CategoryNames> names_;
  NativeDeclarations decls_;
  std::map<std::string, size_t> vendor_index_;  // id -> index in decls_.nodes
  std::map<std::string, bool> subject_seen_;
  std::map<std::pair<std::string, std::string>, bool> subprocessor_flow_;
  bool source_used_ = false;
};

}  // namespace blastmap::importers
