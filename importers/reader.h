// What the readers of the foreign formats (fides, threagile, cyclonedx, backstage, csv) share: the format
// names, the context a reader writes into, and small helpers. Internal to the importers layer.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/taxonomy.h"
#include "importers/diagnostics.h"
#include "importers/native_reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {

enum class Format { kAuto, kNative, kFides, kThreagile, kCycloneDx, kBackstage, kCsv };
std::string_view FormatName(Format format);
std::optional<Format> ParseFormat(std::string_view name);
// Every format name, "auto" first.
const std::vector<std::string>& FormatNames();

// What one reader writes into, and what it may ask of the import.
struct ReadContext {
  Diagnostics& diag;
  const core::Taxonomy& taxonomy;  // the base taxonomy (finalized), for mapping names and did-you-mean
  NativeDeclarations& out;         // this format's declarations; reconciled with the other formats later
  // Asks the import to read another file (a Threagile include, a Backstage Location target) as `format`;
  // `at` is where it was named. A file already read, or queued, is not read twice.
  std::function<void(const std::string& path, Format format, const core::Provenance& at)> include;
};

// A reader of one YAML/JSON format. The import hands it every document of that format, in file order,
// then calls Finish once: references inside the format are resolved there (a Threagile link may name an
// asset of an included file), and everything is written to ctx.out.
class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  virtual void ReadDocument(const Field& doc, ReadContext& ctx) = 0;
  virtual void Finish(ReadContext& ctx) {}
};

// One factory per format, each defined beside its reader (importers/<format>_reader.cc).
std::unique_ptr<DocumentReader> NewNativeReader();
std::unique_ptr<DocumentReader> NewFidesReader();
std::unique_ptr<DocumentReader> NewThreagileReader();
std::unique_ptr<DocumentReader> NewCycloneDxReader();
std::unique_ptr<DocumentReader> NewBackstageReader();

// The format one document is in, by its content (docs/importers/README.md), or kAuto when it is in none.
Format DetectFormat(const YamlNode& doc);

// Checks the keys of a mapping of a foreign format: a key close to a known one is an error with a
// did-you-mean (a typo that would silently lose data); any other unknown key is ignored with a warning
// (the formats grow faster than this reader). Known keys that blastmap does not map go in `ignored`.
void CheckForeignKeys(const Field& map, std::string_view what, const std::vector<std::string>& mapped,
                      const std::vector<std::string>& ignored, Diagnostics& diag);

// A node id made of free text: lower case, every run of other characters than [a-z0-9._-] as one '-'.
std::string Slug(std::string_view text);

// The root of an embedded data file of the importers (importers/data/*.yaml), parsed; reports problems to
// `diag`.
std::optional<Field> ImporterData(std::string_view name, Diagnostics& diag);

}  // namespace blastmap::importers
