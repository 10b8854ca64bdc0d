#include "importers/fides_vocabulary.h"

#include <algorithm>

#include "core/text.h"

namespace blastmap::importers {

void FidesVocabulary::Load(Diagnostics& diag) {
  auto data = ImporterData("fides_legacy.yaml", diag);
  if (!data) return;
  for (auto [table, out] :
       {std::pair{"categories", &legacy_categories_}, std::pair{"data_uses", &legacy_uses_}}) {
    auto map = data->Get(table);
    for (size_t i = 0; map && i < map->size(); ++i) (*out)[map->Key(i).node().Scalar()] = map->Value(i).node().Scalar();
  }
}

bool FidesVocabulary::Known(const std::string& key, const ReadContext& ctx) const {
  return ctx.taxonomy.Index(key) >= 0 || categories_.count(key);
}

std::optional<std::string> FidesVocabulary::Category(const std::string& key, const core::Provenance& at,
                                                     ReadContext& ctx) const {
  std::string current = key;
  // A 1.x key may map to an intermediate key that maps on; a few hops at most.
  for (int hops = 0; hops < 4 && !Known(current, ctx) && legacy_categories_.count(current); ++hops) {
    current = legacy_categories_.at(current);
  }
  if (Known(current, ctx)) {
    if (current != key)
      ctx.diag.Warning(at, "fideslang 1.x category '" + key + "' mapped to '" + current + "'");
    return current;
  }
  std::vector<std::string> candidates;
  for (const auto& c : ctx.taxonomy.categories()) candidates.push_back(c.key);
  for (const auto& [k, _] : categories_) candidates.push_back(k);
  for (const auto& [k, _] : legacy_categories_) candidates.push_back(k);
  ctx.diag.Error(at, "unknown data category '" + key + "'" + core::DidYouMean(key, candidates));
  return std::nullopt;
}

std::vector<std::string> FidesVocabulary::Categories(const Field& item, ReadContext& ctx,
                                                     std::vector<core::Provenance>* at) const {
  std::vector<std::string> out;
  auto f = item.Get("data_categories");
  if (!f) return out;
  std::vector<core::Provenance> pos;
  auto list = f->StringList("data_categories", ctx.diag, &pos);
  for (size_t i = 0; list && i < list->size(); ++i) {
    auto key = Category((*list)[i], pos[i], ctx);
    if (!key || std::find(out.begin(), out.end(), *key) != out.end()) continue;
    out.push_back(*key);
    if (at) at->push_back(pos[i]);
  }
  return out;
}

std::string FidesVocabulary::Use(const std::string& use, const core::Provenance& at, ReadContext& ctx) const {
  if (ctx.taxonomy.HasDataUse(use) || uses_.count(use)) return use;
  auto it = legacy_uses_.find(use);
  if (it != legacy_uses_.end()) {
    ctx.diag.Warning(at, "fideslang 1.x data use '" + use + "' mapped to '" + it->second + "'");
    return it->second;
  }
  std::vector<std::string> keys;
  for (const auto& u : ctx.taxonomy.data_uses()) keys.push_back(u.key);
  for (const auto& [k, _] : legacy_uses_) keys.push_back(k);
  ctx.diag.Error(at, "unknown data use '" + use + "'" + core::DidYouMean(use, keys));
  return "";
}

}  // namespace blastmap::importers
