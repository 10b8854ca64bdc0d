#include "importers/category_names.h"

#include <map>

#include "core/text.h"
#include "importers/reader.h"

namespace blastmap::importers {

std::string CategoryNames::Normalize(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!word) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

CategoryNames::CategoryNames(const core::Taxonomy& taxonomy, Diagnostics& diag) : taxonomy_(taxonomy) {
  // Last key parts, kept only when one category ends so.
  std::map<std::string, std::vector<std::string>> parts;
  for (const auto& c : taxonomy.categories()) {
    auto dot = c.key.rfind('.');
    parts[Normalize(dot == std::string::npos ? c.key : c.key.substr(dot + 1))].push_back(c.key);
  }
  for (const auto& [part, keys] : parts) {
    if (keys.size() == 1) by_text_[part] = keys.front();
  }
  for (const auto& c : taxonomy.categories()) {
    if (!c.name.empty()) {
      by_text_[Normalize(c.name)] = c.key;
      names_.push_back(c.name);
    }
    names_.push_back(c.key);
  }
  if (auto data = ImporterData("category_aliases.yaml", diag)) {
    if (auto aliases = data->Get("aliases")) {
      for (size_t i = 0; i < aliases->size(); ++i) {
        std::string key = aliases->Value(i).node().Scalar();
        if (taxonomy.Index(key) >= 0) by_text_[Normalize(aliases->Key(i).node().text)] = key;
      }
    }
  }
}

void CategoryNames::AddAlias(std::string_view text, std::string key) {
  names_.emplace_back(text);
  by_text_[Normalize(text)] = std::move(key);
}

std::optional<std::string> CategoryNames::Find(std::string_view text) const {
  std::string trimmed(text);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.pop_back();
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.erase(0, 1);
  if (taxonomy_.Index(trimmed) >= 0) return trimmed;
  auto it = by_text_.find(Normalize(trimmed));
  if (it != by_text_.end()) return it->second;
  return std::nullopt;
}

std::string CategoryNames::DidYouMean(std::string_view text) const {
  auto near = core::ClosestMatches(text, names_, 1);
  if (near.empty()) {
    // Compare normalized forms too: "EMAIL ADRESS" is close to "Email Address" only case-insensitively.
    std::vector<std::string> normalized;
    for (const auto& n : names_) normalized.push_back(Normalize(n));
    auto n = core::ClosestMatches(Normalize(text), normalized, 1);
    for (size_t i = 0; !n.empty() && i < names_.size(); ++i) {
      if (normalized[i] == n.front()) return " (did you mean '" + names_[i] + "'?)";
    }
    return "";
  }
  return " (did you mean '" + near.front() + "'?)";
}

}  // namespace blastmap::importers
