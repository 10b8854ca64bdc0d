// The data-category taxonomy (fideslang-compatible keys): hierarchy, sensitivity, flags and
// regulatory tags with inheritance, plus the data subject kinds, data uses and severity weights.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/symbol_list.h"

namespace blastmap::core {

enum class Sensitivity { kPublic = 0, kInternal = 1, kConfidential = 2, kRestricted = 3 };
std::string_view SensitivityName(Sensitivity s);
std::optional<Sensitivity> ParseSensitivity(std::string_view name);

// Category flags, a bit set.
enum class Flag : uint32_t {
  kSpecialCategory = 1u << 0,  // GDPR Art. 9 special category
  kChildren = 1u << 1,
  kCredentials = 1u << 2,
  kFinancial = 1u << 3,
  kHealth = 1u << 4,
  kGovernmentId = 1u << 5,
};
inline constexpr int kFlagCount = 6;
std::string_view FlagName(Flag f);
std::optional<Flag> ParseFlag(std::string_view name);
// Names of the flags set in `flags`, in declaration order.
std::vector<std::string> FlagNames(uint32_t flags);
// The same names as an interned list, built once per set of flags: copying one allocates nothing.
SymbolList FlagList(uint32_t flags);

struct Category {
  std::string key;     // dotted, e.g. user.contact.email
  std::string parent;  // derived from key; empty for roots
  std::string name;
  std::string description;
  // As declared; unset means "inherit from parent".
  std::optional<Sensitivity> declared_sensitivity;
  std::optional<uint32_t> declared_flags;
  std::optional<std::vector<std::string>> declared_tags;
  // Resolved by Taxonomy::Finalize().
  Sensitivity sensitivity = Sensitivity::kInternal;
  uint32_t flags = 0;
  std::vector<std::string> tags;
  std::string file;  // provenance of the declaration
  int line = 0;
};

struct DataSubjectKind {
  std::string key;
  std::string name;
  std::string description;
};

struct DataUse {
  std::string key;
  std::string name;
  std::string description;
};

// Weights of the severity score (docs/semantics.md). They live in the taxonomy data, not in code.
struct SeverityWeights {
  std::map<std::string, double> sensitivity;     // sensitivity name -> weight
  std::map<std::string, double> flags;           // flag name -> weight
  std::map<std::string, double> jurisdictions;   // jurisdiction -> multiplier; "default" for the rest
  double breadth = 0.1;                          // weight of every exposed category beyond the worst
  double volume_per_decade = 0.5;                // added multiplier per factor of 10 records
  double medium = 10, high = 25, critical = 50;  // level thresholds on the score
};

// The parts of a severity score that the weights give (docs/semantics.md#severity): the weight of a
// category (its sensitivity's plus its flags'); a jurisdiction's weight, `fallback` for one the weights do
// not name; the fallback itself, the "default" entry's (1 when absent).
double CategoryWeight(const SeverityWeights& weights, Sensitivity sensitivity, const SymbolList& flags);
double JurisdictionWeight(const SeverityWeights& weights, const std::string& jurisdiction, double fallback);
double DefaultJurisdictionWeight(const SeverityWeights& weights);

// A taxonomy is built by Add*() calls, then Finalize(); only a finalized taxonomy answers queries.
class Taxonomy {
 public:
  // Adds or replaces (by key) a category; an extension may refine a default category.
  void AddCategory(Category category);
  void AddSubjectKind(DataSubjectKind kind);
  void AddDataUse(DataUse use);
  SeverityWeights& severity() { return severity_; }
  const SeverityWeights& severity() const { return severity_; }

  // Derives parents, checks every parent exists, orders categories so that parents come first
  // and resolves inherited sensitivity, flags and tags. Errors name the offending key.
  Status Finalize();

  size_t size() const { return categories_.size(); }
  // Dense index of a category (0..size()-1), or -1. Indices are in key order.
  int Index(std::string_view key) const;
  const Category& at(int index) const { return categories_[index]; }
  const Category* Find(std::string_view key) const;
  const std::vector<Category>& categories() const { return categories_; }
  // Index of the parent, or -1 for a root.
  int Parent(int index) const { return parents_[index]; }
  // True when `ancestor` is `descendant` or one of its ancestors.
  bool IsAncestorOrSelf(int ancestor, int descendant) const;
  // True when a and b are on one root-to-leaf line (either is ancestor-or-self of the other).
  bool Related(int a, int b) const { return IsAncestorOrSelf(a, b) || IsAncestorOrSelf(b, a); }

  const std::vector<DataSubjectKind>& subject_kinds() const { return subject_kinds_; }
  const std::vector<DataUse>& data_uses() const { return data_uses_; }
  bool HasSubjectKind(std::string_view key) const;
  bool HasDataUse(std::string_view key) const;

  // Closest known category keys to `key` (for "did you mean"); at most `limit`.
  std::vector<std::string> SuggestCategories(std::string_view key, size_t limit = 1) const;

 private:
  std::vector<Category> categories_;
  std::vector<int> parents_;
  std::vector<int> depth_;
  // Looked up by string_view without building a string (a key is longer than the short-string buffer).
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, int, KeyHash, std::equal_to<>> index_;
  std::vector<DataSubjectKind> subject_kinds_;
  std::vector<DataUse> data_uses_;
  SeverityWeights severity_;
};

}  // namespace blastmap::core
