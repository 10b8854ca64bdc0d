#include "importers/fides_policy.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kMatches = {"ANY", "ALL", "NONE", "OTHER"};

// One selector: {matches, values}, both required (fideslang's PrivacyRule).
core::FidesSelector Selector(const Field& rule, const char* part, const std::string& rule_name,
                             Diagnostics& diag, const FidesKeyCheck& check) {
  core::FidesSelector selector;
  auto f = rule.Get(part);
  if (!f) {
    diag.Error(rule.where(), "policy rule '" + rule_name + "': '" + part + "' is required");
    return selector;
  }
  if (!f->ExpectMap(part, {"matches", "values"}, diag)) return selector;
  if (auto m = f->Get("matches")) {
    selector.matches = m->String("matches", diag).value_or("");
    if (std::find(kMatches.begin(), kMatches.end(), selector.matches) == kMatches.end()) {
      diag.Error(m->where(), "matches '" + selector.matches + "' is not ANY, ALL, NONE or OTHER" +
                                 core::DidYouMean(selector.matches, kMatches));
    }
  } else {
    diag.Error(f->where(), std::string(part) + ": 'matches' is required (ANY, ALL, NONE or OTHER)");
  }
  auto values = f->Get("values");
  if (!values) {
    diag.Error(f->where(), std::string(part) + ": 'values' is required");
    return selector;
  }
  std::vector<core::Provenance> at;
  auto list = values->StringList("values", diag, &at).value_or(std::vector<std::string>{});
  for (size_t i = 0; i < list.size(); ++i) {
    auto current = check(list[i], at[i]);
    if (current && std::find(selector.values.begin(), selector.values.end(), *current) == selector.values.end())
      selector.values.push_back(*current);
  }
  return selector;
}

}  // namespace

FidesKeyChecks VocabularyChecks(const FidesVocabulary& vocabulary, ReadContext& ctx,
                                const std::set<std::string>& kinds) {
  return {[&vocabulary, &ctx](const std::string& key, const core::Provenance& at) {
            return vocabulary.Category(key, at, ctx);
          },
          [&vocabulary, &ctx](const std::string& key, const core::Provenance& at) -> std::optional<std::string> {
            std::string use = vocabulary.Use(key, at, ctx);
            return use.empty() ? std::nullopt : std::optional<std::string>(use);
          },
          [&ctx, &kinds](const std::string& key, const core::Provenance& at) -> std::optional<std::string> {
            if (ctx.taxonomy.HasSubjectKind(key) || kinds.count(key)) return key;
            std::vector<std::string> known(kinds.begin(), kinds.end());
            for (const auto& k : ctx.taxonomy.subject_kinds()) known.push_back(k.key);
            ctx.diag.Error(at, "unknown data subject '" + key + "'" + core::DidYouMean(key, known));
            return std::nullopt;
          }};
}

std::optional<core::FidesPolicy> ReadFidesPolicy(const Field& item, Diagnostics& diag,
                                                 const FidesKeyChecks& keys) {
  CheckForeignKeys(item, "policy", {"fides_key", "name", "description", "rules"},
                   {"organization_fides_key", "tags", "fides_meta", "is_default"}, diag);
  auto key = item.Get("fides_key");
  if (!key) {
    diag.Error(item.where(), "policy: 'fides_key' is required");
    return std::nullopt;
  }
  core::FidesPolicy policy;
  policy.fides_key = key->String("fides_key", diag).value_or("");
  policy.where = key->where();
  if (policy.fides_key.empty()) {
    diag.Error(key->where(), "policy: 'fides_key' is empty");
    return std::nullopt;
  }
  if (auto n = item.Get("name")) policy.name = n->String("name", diag).value_or("");
  if (auto d = item.Get("description")) policy.description = d->String("description", diag).value_or("");
  auto rules = item.Get("rules");
  if (!rules) {
    diag.Error(item.where(), "policy '" + policy.fides_key + "': 'rules' is required");
    return policy;
  }
  std::set<std::string> names;
  for (const Field& r : rules->Items("rules", diag)) {
    CheckForeignKeys(r, "policy rule", {"name", "description", "data_categories", "data_uses", "data_subjects"},
                     {"data_qualifier", "fides_key", "organization_fides_key"}, diag);
    core::FidesRule rule;
    rule.where = r.where();
    if (auto n = r.Get("name")) rule.name = n->String("name", diag).value_or("");
    if (rule.name.empty()) {
      diag.Error(r.where(), "policy rule: 'name' is required");
    } else if (!names.insert(rule.name).second) {
      diag.Error(r.Get("name")->where(),
                 "rule name '" + rule.name + "' is used twice in policy '" + policy.fides_key + "'");
    }
    if (auto d = r.Get("description")) rule.description = d->String("description", diag).value_or("");
    if (auto q = r.Get("data_qualifier")) {
      diag.Warning(q->where(), "'data_qualifier' is a fideslang 1.x key; ignored (blastmap does not model "
                               "identifiability)");
    }
    rule.data_categories = Selector(r, "data_categories", rule.name, diag, keys.category);
    rule.data_uses = Selector(r, "data_uses", rule.name, diag, keys.use);
    rule.data_subjects = Selector(r, "data_subjects", rule.name, diag, keys.subject);
    policy.rules.push_back(std::move(rule));
  }
  return policy;
}

void AddFidesPolicy(core::FidesPolicy policy, std::vector<core::FidesPolicy>& policies, Diagnostics& diag) {
  for (const auto& p : policies) {
    if (p.fides_key == policy.fides_key) {
      diag.Error(policy.where, "duplicate policy fides_key '" + policy.fides_key + "' (first declared at " +
                                   p.where.ToString() + ")");
      return;
    }
  }
  policies.push_back(std::move(policy));
}

std::vector<core::FidesPolicy> ReadFidesPolicyDocuments(const std::string& file,
                                                        const std::vector<YamlDocumentPtr>& docs,
                                                        const core::Taxonomy& taxonomy, Diagnostics& diag) {
  NativeDeclarations unused;
  ReadContext ctx{diag, taxonomy, unused, {}};
  FidesVocabulary vocabulary;
  vocabulary.Load(diag);
  const std::set<std::string> none;
  FidesKeyChecks keys = VocabularyChecks(vocabulary, ctx, none);
  std::vector<core::FidesPolicy> out;
  for (const auto& node : docs) {
    Field doc(&file, node);
    if (doc.IsNull()) continue;
    if (!doc.IsMap()) {
      diag.Error(doc.where(), "a fides resource file is a mapping of resource types (policy: [...])");
      continue;
    }
    for (const auto& [type, at] : MapKeys(doc)) {
      if (type == "policy") continue;
      diag.Warning(at, "'" + type + "' resources are not policies; import them with the map (ignored here)");
    }
    auto list = doc.Get("policy");
    if (!list) continue;
    for (const Field& item : list->Items("policy", diag)) {
      if (auto policy = ReadFidesPolicy(item, diag, keys)) AddFidesPolicy(std::move(*policy), out, diag);
    }
  }
  if (out.empty() && !diag.has_errors()) diag.Error({file, 0, 0}, "the file holds no fides policy resource");
  return out;
}

}  // namespace blastmap::importers
