// Data files embedded in the binary at build time (cmake/embed_files.cmake), so that blastmap works from
// any directory with no data folder beside it: the default taxonomy, the notification rules and the
// incident library.
#pragma once

#include <string_view>
#include <vector>

namespace blastmap::importers {

struct EmbeddedFile {
  std::string_view name;  // file name, e.g. categories.yaml
  std::string_view content;
};

// Each list holds the *.yaml files of one datasets/ folder, in name order. Defined in sources generated
// by cmake/embed_files.cmake; the views point into static storage that lives as long as the program.
const std::vector<EmbeddedFile>& DefaultTaxonomyFiles();    // datasets/taxonomy
const std::vector<EmbeddedFile>& DefaultRegulationFiles();  // datasets/regulations
const std::vector<EmbeddedFile>& IncidentLibraryFiles();    // datasets/incidents
const std::vector<EmbeddedFile>& ImporterDataFiles();       // importers/data (mapping tables)

}  // namespace blastmap::importers
