// Fides policy evaluation (docs/importers/fides.md#policies): every rule of every policy against every
// privacy declaration, and against each level of the datasets a declaration references, with Fides'
// matching of ANY, ALL, NONE and OTHER over key hierarchies.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "query/policy_check.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

// A key and its ancestors by dotted prefix (user.contact.email, user.contact, user): fideslang's
// parent_key chain, since blastmap keys are hierarchical by their dots.
std::vector<std::string> Hierarchy(const std::string& key, bool hierarchical) {
  std::vector<std::string> out = {key};
  if (!hierarchical) return out;
  for (size_t dot = key.rfind('.'); dot != std::string::npos && dot > 0; dot = key.rfind('.', dot - 1)) {
    out.push_back(key.substr(0, dot));
  }
  return out;
}

// The declared keys a selector reports: ANY the matched ones; ALL the matched ones when every declared key
// matched; NONE the unmatched ones when none matched; OTHER the unmatched ones. A declared key matches
// when it or one of its ancestors is among the selector's values. Empty: the selector does not fire.
std::vector<std::string> Compare(const core::FidesSelector& s, const std::vector<std::string>& declared,
                                 bool hierarchical) {
  std::vector<std::string> keys, matched, other;
  for (const auto& k : declared) {
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  for (const auto& k : keys) {
    auto line = Hierarchy(k, hierarchical);
    bool hit = std::any_of(line.begin(), line.end(), [&](const std::string& a) {
      return std::find(s.values.begin(), s.values.end(), a) != s.values.end();
    });
    (hit ? matched : other).push_back(k);
  }
  if (s.matches == "ANY") return matched;
  if (s.matches == "ALL") return matched.size() == keys.size() ? matched : std::vector<std::string>{};
  if (s.matches == "NONE") return matched.empty() ? other : std::vector<std::string>{};
  if (s.matches == "OTHER") return other;
  return {};
}

// The rule's verdict on one set of categories with a declaration's use and subjects; nullopt when it passes.
std::optional<FidesMatch> Evaluate(const core::FidesRule& rule, const std::vector<std::string>& categories,
                                   const core::PrivacyDeclaration& d) {
  FidesMatch m;
  m.categories = Compare(rule.data_categories, categories, true);
  m.uses = Compare(rule.data_uses, {d.use}, true);
  m.subjects = Compare(rule.data_subjects, d.subjects, false);
  if (m.categories.empty() || m.uses.empty() || m.subjects.empty()) return std::nullopt;
  return m;
}

std::string Keys(const std::vector<std::string>& keys) { return Join(keys, ", ", 8); }

}  // namespace

void CheckFidesPolicies(const core::Graph& g, const std::vector<core::FidesPolicy>& policies,
                        CheckResult& result) {
  const core::Model& m = g.model();
  std::unordered_map<std::string, std::vector<const core::Holding*>> levels;  // a dataset's holdings
  for (const auto& d : m.declarations) {
    for (const auto& id : d.datasets) levels.emplace(id, std::vector<const core::Holding*>{});
  }
  for (const auto& h : m.holdings) {
    auto it = levels.find(h.node);
    if (it != levels.end()) it->second.push_back(&h);
  }
  for (const auto& policy : policies) {
    for (const auto& rule : policy.rules) {
      const std::string id = policy.fides_key + "/" + rule.name;
      result.rules.push_back({id,
                              rule.description.empty()
                                  ? "Fides policy " + policy.fides_key + ", rule '" + rule.name + "'"
                                  : rule.description,
                              "error"});
      auto add = [&](FidesMatch match, const core::PrivacyDeclaration& d) {
        match.policy = policy.fides_key;
        match.rule = rule.name;
        match.system = d.node;
        match.declaration = d.name;
        match.rule_at = rule.where;
        std::string message = "declaration '" + d.name + "' of system " + d.node + " violates rule '" +
                              rule.name + "' of Fides policy " + policy.fides_key + ": data categories (" +
                              Keys(match.categories) + ") for data uses (" + Keys(match.uses) +
                              ") and subjects (" + Keys(match.subjects) + ")";
        if (!match.dataset.empty()) {
          message += " in dataset " + match.dataset + " (" + match.data_at.ToString() + ")";
        }
        message += "; rule at " + rule.where.ToString();
        result.violations.push_back({id, "error", std::move(message), d.where, std::move(match)});
      };
      for (const auto& d : m.declarations) {
        if (auto match = Evaluate(rule, d.categories, d)) add(std::move(*match), d);
        // Like Fides, each level of a referenced dataset (dataset, collection, field) that declares
        // categories is evaluated on its own, with the declaration's data use and subjects.
        for (const auto& dataset : d.datasets) {
          for (const core::Holding* h : levels[dataset]) {
            if (auto match = Evaluate(rule, core::ToStrings(h->categories), d)) {
              match->dataset = dataset;
              match->data_at = h->where;
              add(std::move(*match), d);
            }
          }
        }
      }
    }
  }
}

}  // namespace blastmap::query
