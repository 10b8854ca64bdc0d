#include "importers/fides_policy.h"

#include <algorithm>

#include "core/text.h"

namespace blastmap::importers {

std::optional<FidesPolicy> ReadFidesPolicy(
    const Field& item, ReadContext& ctx,
    const std::function<std::optional<std::string>(const std::string&, const core::Provenance&)>& category) {
  CheckForeignKeys(item, "policy", {"fides_key", "name", "description", "rules"},
                   {"organization_fides_key", "tags", "fides_meta", "is_default"}, ctx.diag);
  auto key = item.Get("fides_key");
  if (!key) {
    ctx.diag.Error(item.where(), "policy: 'fides_key' is required");
    return std::nullopt;
  }
  FidesPolicy policy;
  policy.fides_key = key->String("fides_key", ctx.diag).value_or("");
  policy.where = key->where();
  if (auto n = item.Get("name")) policy.name = n->String("name", ctx.diag).value_or("");
  auto rules = item.Get("rules");
  if (!rules) return policy;
  const std::vector<std::string> kMatches = {"ANY", "ALL", "NONE", "OTHER"};
  for (const Field& r : rules->Items("rules", ctx.diag)) {
    CheckForeignKeys(r, "policy rule", {"name", "data_categories", "data_uses", "data_subjects"},
                     {"data_qualifier"}, ctx.diag);
    FidesRule rule;
    if (auto n = r.Get("name")) rule.name = n->String("name", ctx.diag).value_or("");
    for (auto [part, selector] :
         {std::pair{"data_categories", &rule.data_categories}, std::pair{"data_uses", &rule.data_uses},
          std::pair{"data_subjects", &rule.data_subjects}}) {
      auto f = r.Get(part);
      if (!f) continue;
      CheckForeignKeys(*f, part, {"matches", "values"}, {}, ctx.diag);
      if (auto m = f->Get("matches")) {
        selector->matches = m->String("matches", ctx.diag).value_or("");
        if (std::find(kMatches.begin(), kMatches.end(), selector->matches) == kMatches.end()) {
          ctx.diag.Error(m->where(), "matches '" + selector->matches + "' is not ANY, ALL, NONE or OTHER" +
                                         core::DidYouMean(selector->matches, kMatches));
        }
      }
      auto values = f->Get("values");
      if (!values) continue;
      std::vector<core::Provenance> at;
      auto list = values->StringList("values", ctx.diag, &at).value_or(std::vector<std::string>{});
      for (size_t i = 0; i < list.size(); ++i) {
        if (std::string(part) != "data_categories") {
          selector->values.push_back(list[i]);
        } else if (auto current = category(list[i], at[i])) {
          selector->values.push_back(*current);
        }
      }
    }
    policy.rules.push_back(std::move(rule));
  }
  return policy;
}

}  // namespace blastmap::importers
