// The fides reader's vocabulary: category and data use keys as a fides manifest writes them, mapped to the
// current keys (fideslang 1.x keys through importers/data/fides_legacy.yaml, one warning per mapping), with
// a did-you-mean for the rest. Internal to the importers layer.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "importers/reader.h"

namespace blastmap::importers {

class FidesVocabulary {
 public:
  // Loads the legacy tables; a broken embedded table is reported to `diag`.
  void Load(Diagnostics& diag);
  // Keys declared by the manifests' own data_category and data_use resources.
  void AddCategory(const std::string& key, const core::Provenance& at) { categories_[key] = at; }
  void AddUse(const std::string& key) { uses_.insert(key); }

  // The current key of a category as written; nullopt (and an error with a did-you-mean) when it is
  // neither known nor a legacy key.
  std::optional<std::string> Category(const std::string& key, const core::Provenance& at,
                                      ReadContext& ctx) const;
  // The `data_categories` list of `item`, mapped, without repeats; the position of each in `at` if given.
  std::vector<std::string> Categories(const Field& item, ReadContext& ctx,
                                      std::vector<core::Provenance>* at) const;
  // The current key of a data use; "" (and an error) when unknown.
  std::string Use(const std::string& use, const core::Provenance& at, ReadContext& ctx) const;

 private:
  bool Known(const std::string& key, const ReadContext& ctx) const;

  std::map<std::string, std::string> legacy_categories_, legacy_uses_;
  std::map<std::string, core::Provenance> categories_;
  std::set<std::string> uses_;
};

}  // namespace blastmap::importers
