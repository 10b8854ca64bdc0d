// Maps free text naming a data category ("Email address", "email", "PII", "user.contact.email") to a key
// of the taxonomy, through importers/data/category_aliases.yaml and the taxonomy's keys and names.
// Internal to the importers layer (the CSV, CycloneDX and Backstage readers use it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/taxonomy.h"
#include "importers/diagnostics.h"

namespace blastmap::importers {

class CategoryNames {
 public:
  // Indexes `taxonomy` (finalized; must outlive this) and the embedded aliases; problems with the
  // embedded table go to `diag`.
  CategoryNames(const core::Taxonomy& taxonomy, Diagnostics& diag);

  // An alias of the user's own (e.g. from a CSV column mapping file); `key` must be a taxonomy key.
  void AddAlias(std::string_view text, std::string key);

  // The key `text` stands for, or nullopt. Matching ignores case, punctuation and surrounding space;
  // a category key matches itself; a last key part ("email") matches when only one category ends so.
  std::optional<std::string> Find(std::string_view text) const;

  // " (did you mean 'Email Address'?)" for the closest known name or key, or "".
  std::string DidYouMean(std::string_view text) const;

  // Lower case, punctuation and '_' as single spaces, trimmed.
  static std::string Normalize(std::string_view text);

 private:
  const core::Taxonomy& taxonomy_;
  std::unordered_map<std::string, std::string> by_text_;  // normalized text -> key
  std::vector<std::string> names_;                        // display names and keys, for suggestions
};

}  // namespace blastmap::importers
