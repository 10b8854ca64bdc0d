#include "core/taxonomy.h"

#include <algorithm>
#include <array>
#include <functional>

#include "core/text.h"

namespace blastmap::core {
namespace {

constexpr std::array<std::string_view, 4> kSensitivityNames = {"public", "internal", "confidential",
                                                               "restricted"};
constexpr std::array<std::string_view, kFlagCount> kFlagNames = {
    "special_category", "children", "credentials", "financial", "health", "government_id"};

}  // namespace

std::string_view SensitivityName(Sensitivity s) { return kSensitivityNames[static_cast<int>(s)]; }

std::optional<Sensitivity> ParseSensitivity(std::string_view name) {
  for (size_t i = 0; i < kSensitivityNames.size(); ++i) {
    if (kSensitivityNames[i] == name) return static_cast<Sensitivity>(i);
  }
  return std::nullopt;
}

std::string_view FlagName(Flag f) {
  uint32_t bits = static_cast<uint32_t>(f);
  for (int i = 0; i < kFlagCount; ++i) {
    if (bits == (1u << i)) return kFlagNames[i];
  }
  return "";
}

std::optional<Flag> ParseFlag(std::string_view name) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (kFlagNames[i] == name) return static_cast<Flag>(1u << i);
  }
  return std::nullopt;
}

std::vector<std::string> FlagNames(uint32_t flags) {
  std::vector<std::string> out;
  for (int i = 0; i < kFlagCount; ++i) {
    if (flags & (1u << i)) out.emplace_back(kFlagNames[i]);
  }
  return out;
}

SymbolList FlagList(uint32_t flags) {
  static const std::array<SymbolList, size_t{1} << kFlagCount> lists = [] {
    std::array<SymbolList, size_t{1} << kFlagCount> out;
    for (uint32_t f = 0; f < out.size(); ++f) {
      std::vector<Symbol> names;
      for (const auto& name : FlagNames(f)) names.emplace_back(name);
      out[f] = names;
    }
    return out;
  }();
  return lists[flags & (lists.size() - 1)];
}

void Taxonomy::AddCategory(Category category) {
  auto it = index_.find(category.key);
  if (it != index_.end()) {
    categories_[it->second] = std::move(category);
    return;
  }
  index_.emplace(category.key, static_cast<int>(categories_.size()));
  categories_.push_back(std::move(category));
}

void Taxonomy::AddSubjectKind(DataSubjectKind kind) {
  for (auto& existing : subject_kinds_) {
    if (existing.key == kind.key) {
      existing = std::move(kind);
      return;
    }
  }
  subject_kinds_.push_back(std::move(kind));
}

void Taxonomy::AddDataUse(DataUse use) {
  for (auto& existing : data_uses_) {
    if (existing.key == use.key) {
      existing = std::move(use);
      return;
    }
  }
  data_uses_.push_back(std::move(use));
}

namespace {

double Lookup(const std::map<std::string, double>& weights, const std::string& key, double fallback) {
  auto it = weights.find(key);
  return it == weights.end() ? fallback : it->second;
}

}  // namespace

double CategoryWeight(const SeverityWeights& w, Sensitivity sensitivity, const SymbolList& flags) {
  double weight = Lookup(w.sensitivity, std::string(SensitivityName(sensitivity)), 0);
  for (const Symbol& flag : flags) weight += Lookup(w.flags, flag.str(), 0);
  return weight;
}

double JurisdictionWeight(const SeverityWeights& w, const std::string& jurisdiction, double fallback) {
  return Lookup(w.jurisdictions, jurisdiction, fallback);
}

double DefaultJurisdictionWeight(const SeverityWeights& w) { return Lookup(w.jurisdictions, "default", 1.0); }

Status Taxonomy::Finalize() {
  for (auto& c : categories_) {
    auto dot = c.key.rfind('.');
    c.parent = dot == std::string::npos ? "" : c.key.substr(0, dot);
    if (!c.parent.empty() && !index_.count(c.parent)) {
      std::string where = c.file.empty() ? "" : c.file + ":" + std::to_string(c.line) + ": ";
      return Status::Error(where + "category '" + c.key + "' has no parent category '" + c.parent + "'");
    }
  }
  // Parents first: sorting by key puts every prefix before its extensions.
  std::sort(categories_.begin(), categories_.end(),
            [](const Category& a, const Category& b) { return a.key < b.key; });
  index_.clear();
  for (size_t i = 0; i < categories_.size(); ++i) index_.emplace(categories_[i].key, static_cast<int>(i));
  parents_.assign(categories_.size(), -1);
  depth_.assign(categories_.size(), 0);
  for (size_t i = 0; i < categories_.size(); ++i) {
    auto& c = categories_[i];
    int p = c.parent.empty() ? -1 : index_.at(c.parent);
    parents_[i] = p;
    const Category* parent = p < 0 ? nullptr : &categories_[p];
    depth_[i] = parent ? depth_[p] + 1 : 0;
    c.sensitivity = c.declared_sensitivity.value_or(parent ? parent->sensitivity : Sensitivity::kInternal);
    c.flags = c.declared_flags.value_or(parent ? parent->flags : 0);
    c.tags = c.declared_tags.value_or(parent ? parent->tags : std::vector<std::string>{});
    if (c.name.empty()) c.name = c.key;
  }
  return Status::Ok();
}

int Taxonomy::Index(std::string_view key) const {
  auto it = index_.find(key);
  return it == index_.end() ? -1 : it->second;
}

const Category* Taxonomy::Find(std::string_view key) const {
  int i = Index(key);
  return i < 0 ? nullptr : &categories_[i];
}

bool Taxonomy::IsAncestorOrSelf(int ancestor, int descendant) const {
  if (ancestor < 0 || descendant < 0) return false;
  while (descendant >= 0 && depth_[descendant] >= depth_[ancestor]) {
    if (descendant == ancestor) return true;
    descendant = parents_[descendant];
  }
  return false;
}

bool Taxonomy::HasSubjectKind(std::string_view key) const {
  return std::any_of(subject_kinds_.begin(), subject_kinds_.end(),
                     [&](const DataSubjectKind& k) { return k.key == key; });
}

bool Taxonomy::HasDataUse(std::string_view key) const {
  return std::any_of(data_uses_.begin(), data_uses_.end(), [&](const DataUse& u) { return u.key == key; });
}

std::vector<std::string> Taxonomy::SuggestCategories(std::string_view key, size_t limit) const {
  std::vector<std::string> keys;
  keys.reserve(categories_.size());
  for (const auto& c : categories_) keys.push_back(c.key);
  return ClosestMatches(key, keys, limit);
}

}  // namespace blastmap::core
