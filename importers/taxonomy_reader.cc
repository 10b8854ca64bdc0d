#include "importers/taxonomy_reader.h"

#include <regex>

#include "core/text.h"

namespace blastmap::importers {
namespace {

const std::regex kCategoryKey("^[a-z0-9_]+(\\.[a-z0-9_]+)*$");

void ReadNamedEntries(const Field& list, std::string_view what, Diagnostics& diag,
                      const std::function<void(std::string, std::string, std::string)>& add) {
  for (const Field& item : list.Items(what, diag)) {
    if (!item.ExpectMap(what, {"key", "name", "description", "parent"}, diag)) continue;
    auto key = item.Get("key");
    if (!key) {
      diag.Error(item.where(), std::string(what) + ": 'key' is required");
      continue;
    }
    auto k = key->String("key", diag);
    std::string name, description;
    if (auto f = item.Get("name")) name = f->String("name", diag).value_or("");
    if (auto f = item.Get("description")) description = f->String("description", diag).value_or("");
    if (k) add(*k, name, description);
  }
}

void ReadWeights(const Field& map, std::string_view what, Diagnostics& diag,
                 std::map<std::string, double>& out, const std::vector<std::string>& allowed) {
  if (!map.IsMap()) {
    diag.Error(map.where(), std::string(what) + ": expected a mapping, found " + map.Describe());
    return;
  }
  for (const auto& [key, at] : MapKeys(map)) {
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      diag.Error(at, std::string(what) + ": unknown key '" + key + "'" + core::DidYouMean(key, allowed));
      continue;
    }
    if (auto v = map.Get(key)->Number(key, diag)) out[key] = *v;
  }
}

void ReadSeverity(const Field& s, Diagnostics& diag, core::SeverityWeights& w) {
  if (!s.ExpectMap("severity",
                   {"sensitivity", "flags", "jurisdictions", "breadth", "volume_per_decade", "levels"},
                   diag)) {
    return;
  }
  if (auto f = s.Get("sensitivity")) {
    ReadWeights(*f, "severity.sensitivity", diag, w.sensitivity,
                {"public", "internal", "confidential", "restricted"});
  }
  if (auto f = s.Get("flags")) ReadWeights(*f, "severity.flags", diag, w.flags, core::FlagNames(~0u));
  if (auto f = s.Get("jurisdictions")) ReadWeights(*f, "severity.jurisdictions", diag, w.jurisdictions, {});
  if (auto f = s.Get("breadth")) w.breadth = f->Number("breadth", diag).value_or(w.breadth);
  if (auto f = s.Get("volume_per_decade")) {
    w.volume_per_decade = f->Number("volume_per_decade", diag).value_or(w.volume_per_decade);
  }
  if (auto f = s.Get("levels")) {
    std::map<std::string, double> levels;
    ReadWeights(*f, "severity.levels", diag, levels, {"medium", "high", "critical"});
    if (levels.count("medium")) w.medium = levels["medium"];
    if (levels.count("high")) w.high = levels["high"];
    if (levels.count("critical")) w.critical = levels["critical"];
  }
}

}  // namespace

std::optional<core::Category> ReadCategory(const Field& item, Diagnostics& diag) {
  if (!item.ExpectMap("category", {"key", "name", "description", "sensitivity", "flags", "tags"}, diag)) {
    return std::nullopt;
  }
  auto key_field = item.Get("key");
  if (!key_field) {
    diag.Error(item.where(), "category: 'key' is required");
    return std::nullopt;
  }
  core::Category c;
  auto key = key_field->String("key", diag);
  if (!key) return std::nullopt;
  if (!std::regex_match(*key, kCategoryKey)) {
    diag.Error(key_field->where(), "category key '" + *key +
                                       "' must be dot-separated lower-case words (e.g. user.contact.email)");
    return std::nullopt;
  }
  c.key = *key;
  c.file = item.file();
  c.line = item.where().line;
  bool ok = true;
  if (auto f = item.Get("name")) c.name = f->String("name", diag).value_or("");
  if (auto f = item.Get("description")) c.description = f->String("description", diag).value_or("");
  if (auto f = item.Get("sensitivity")) {
    auto s = f->String("sensitivity", diag);
    auto parsed = s ? core::ParseSensitivity(*s) : std::nullopt;
    if (s && !parsed) {
      diag.Error(f->where(), "sensitivity '" + *s +
                                 "' is not one of public, internal, confidential, restricted" +
                                 core::DidYouMean(*s, {"public", "internal", "confidential", "restricted"}));
    }
    ok = ok && parsed.has_value();
    c.declared_sensitivity = parsed;
  }
  if (auto f = item.Get("flags")) {
    std::vector<core::Provenance> at;
    auto names = f->StringList("flags", diag, &at);
    uint32_t flags = 0;
    for (size_t i = 0; names && i < names->size(); ++i) {
      if (auto flag = core::ParseFlag((*names)[i])) {
        flags |= static_cast<uint32_t>(*flag);
      } else {
        ok = false;
        diag.Error(at[i], "unknown flag '" + (*names)[i] + "'" +
                              core::DidYouMean((*names)[i], core::FlagNames(~0u)));
      }
    }
    c.declared_flags = flags;
  }
  if (auto f = item.Get("tags"))
    c.declared_tags = f->StringList("tags", diag).value_or(std::vector<std::string>{});
  if (!ok) return std::nullopt;
  return c;
}

void ReadTaxonomyDocument(const Field& root, Diagnostics& diag, core::Taxonomy& taxonomy) {
  if (!root.ExpectMap("taxonomy file", {"categories", "data_subjects", "data_uses", "severity"}, diag))
    return;
  if (auto list = root.Get("categories")) {
    for (const Field& item : list->Items("categories", diag)) {
      if (auto c = ReadCategory(item, diag)) taxonomy.AddCategory(std::move(*c));
    }
  }
  if (auto list = root.Get("data_subjects")) {
    ReadNamedEntries(*list, "data_subjects", diag, [&](std::string k, std::string n, std::string d) {
      taxonomy.AddSubjectKind({std::move(k), std::move(n), std::move(d)});
    });
  }
  if (auto list = root.Get("data_uses")) {
    ReadNamedEntries(*list, "data_uses", diag, [&](std::string k, std::string n, std::string d) {
      taxonomy.AddDataUse({std::move(k), std::move(n), std::move(d)});
    });
  }
  if (auto s = root.Get("severity")) ReadSeverity(*s, diag, taxonomy.severity());
}

}  // namespace blastmap::importers
