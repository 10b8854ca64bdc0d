#include "importers/library_reader.h"

#include <algorithm>

#include "core/text.h"

namespace blastmap::importers {
namespace {

// Category keys must name categories of the taxonomy (custom categories of a map hang under them).
void CheckCategories(const std::vector<std::string>& keys, const std::vector<core::Provenance>& at,
                     const core::Taxonomy& taxonomy, Diagnostics& diag) {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (taxonomy.Index(keys[i]) >= 0) continue;
    auto near = taxonomy.SuggestCategories(keys[i], 1);
    diag.Error(at[i], "unknown category '" + keys[i] + "'" +
                          (near.empty() ? std::string() : " (did you mean '" + near.front() + "'?)"));
  }
}

std::optional<uint32_t> ReadFlags(const Field& f, Diagnostics& diag) {
  std::vector<core::Provenance> at;
  auto names = f.StringList("flags", diag, &at);
  if (!names) return std::nullopt;
  uint32_t flags = 0;
  for (size_t i = 0; i < names->size(); ++i) {
    if (auto flag = core::ParseFlag((*names)[i])) {
      flags |= static_cast<uint32_t>(*flag);
    } else {
      diag.Error(at[i],
                 "unknown flag '" + (*names)[i] + "'" + core::DidYouMean((*names)[i], core::FlagNames(~0u)));
    }
  }
  return flags;
}

// A group: a list of category keys (short form) or {categories, flags, min_sensitivity}.
std::optional<core::CategoryCondition> ReadCondition(const Field& item, const core::Taxonomy& taxonomy,
                                                     Diagnostics& diag) {
  core::CategoryCondition c;
  std::vector<core::Provenance> at;
  if (item.IsList()) {
    auto keys = item.StringList("condition", diag, &at);
    if (!keys) return std::nullopt;
    c.categories = *keys;
    CheckCategories(c.categories, at, taxonomy, diag);
    return c;
  }
  if (!item.ExpectMap("condition", {"categories", "flags", "min_sensitivity"}, diag)) return std::nullopt;
  if (auto f = item.Get("categories")) {
    if (auto keys = f->StringList("categories", diag, &at)) c.categories = *keys;
    CheckCategories(c.categories, at, taxonomy, diag);
  }
  if (auto f = item.Get("flags")) c.flags = ReadFlags(*f, diag).value_or(0);
  if (auto f = item.Get("min_sensitivity")) {
    auto s = f->String("min_sensitivity", diag);
    auto parsed = s ? core::ParseSensitivity(*s) : std::nullopt;
    if (s && !parsed) diag.Error(f->where(), "min_sensitivity '" + *s + "' is not a sensitivity");
    c.min_sensitivity = parsed;
  }
  return c;
}

void ReadRule(const Field& item, const core::Taxonomy& taxonomy, Diagnostics& diag,
              std::vector<core::NotificationRule>& out) {
  if (!item.ExpectMap("rule",
                      {"id", "regulation", "duty", "notify", "owed_by", "deadline_hours", "deadline", "when",
                       "applies_if", "note", "citation", "sources"},
                      diag)) {
    return;
  }
  core::NotificationRule rule;
  rule.where = item.where();
  auto str = [&](std::string_view key, std::string& to, bool required) {
    if (auto f = item.Get(key)) {
      to = f->String(key, diag).value_or("");
    } else if (required) {
      diag.Error(item.where(), "rule: '" + std::string(key) + "' is required");
    }
  };
  str("id", rule.id, true);
  str("regulation", rule.regulation, true);
  str("duty", rule.duty, true);
  str("notify", rule.notify, true);
  str("owed_by", rule.owed_by, false);
  str("deadline", rule.deadline, true);
  str("applies_if", rule.applies_if, false);
  str("note", rule.note, false);
  str("citation", rule.citation, true);
  if (auto f = item.Get("sources")) rule.sources = f->StringList("sources", diag).value_or(rule.sources);
  if (rule.sources.empty()) diag.Error(item.where(), "rule '" + rule.id + "': 'sources' (URLs) are required");
  if (auto f = item.Get("deadline_hours")) {
    if (auto n = f->Integer("deadline_hours", diag)) {
      if (*n < 0) diag.Error(f->where(), "deadline_hours must be 0 or more");
      rule.deadline_hours = *n;
    }
  }
  auto when = item.Get("when");
  if (!when) return diag.Error(item.where(), "rule '" + rule.id + "': 'when' is required");
  if (!when->ExpectMap("when", {"jurisdictions", "min_records", "triggers"}, diag)) return;
  if (auto f = when->Get("jurisdictions"))
    rule.jurisdictions = f->StringList("jurisdictions", diag).value_or(rule.jurisdictions);
  if (auto f = when->Get("min_records")) rule.min_records = f->Integer("min_records", diag).value_or(0);
  auto triggers = when->Get("triggers");
  if (!triggers) return diag.Error(when->where(), "rule '" + rule.id + "': 'when.triggers' is required");
  for (const Field& t : triggers->Items("triggers", diag)) {
    if (!t.ExpectMap("trigger", {"name", "all"}, diag)) continue;
    core::RuleTrigger trigger;
    if (auto f = t.Get("name")) trigger.name = f->String("name", diag).value_or("");
    auto all = t.Get("all");
    if (!all) {
      diag.Error(t.where(), "trigger: 'all' (a list of conditions) is required");
      continue;
    }
    for (const Field& c : all->Items("all", diag)) {
      if (auto condition = ReadCondition(c, taxonomy, diag)) trigger.all.push_back(std::move(*condition));
    }
    rule.triggers.push_back(std::move(trigger));
  }
  if (rule.triggers.empty()) diag.Error(triggers->where(), "rule '" + rule.id + "' has no trigger");
  out.push_back(std::move(rule));
}

}  // namespace

void ReadRegulationDocument(const Field& root, const core::Taxonomy& taxonomy, Diagnostics& diag,
                            std::vector<core::NotificationRule>& out) {
  if (root.node().IsNull()) return;
  // `_definitions` holds YAML anchors shared by the rules; it is read only through them.
  if (!root.ExpectMap("regulations file", {"rules", "_definitions"}, diag)) return;
  auto rules = root.Get("rules");
  if (!rules) return diag.Error(root.where(), "regulations file: 'rules' is required");
  size_t first = out.size();
  for (const Field& item : rules->Items("rules", diag)) ReadRule(item, taxonomy, diag, out);
  for (size_t i = first; i < out.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (out[i].id == out[j].id)
        diag.Error(out[i].where, "duplicate rule id '" + out[i].id + "' (first declared at " +
                                     out[j].where.ToString() + ")");
    }
  }
}

std::optional<core::Incident> ReadIncidentDocument(const Field& root, const std::string& id,
                                                   const core::Taxonomy& taxonomy, Diagnostics& diag) {
  if (!root.ExpectMap("incident file", {"incident"}, diag)) return std::nullopt;
  auto item = root.Get("incident");
  if (!item) {
    diag.Error(root.where(), "incident file: 'incident' is required");
    return std::nullopt;
  }
  if (!item->ExpectMap("incident",
                       {"name", "vendor", "date", "disclosed", "summary", "attack", "match", "roles",
                        "access", "mechanisms", "exposed", "not_exposed", "victims", "sources"},
                       diag)) {
    return std::nullopt;
  }
  core::Incident in;
  in.id = id;
  in.where = item->where();
  auto str = [&](std::string_view key, std::string& to, bool required) {
    if (auto f = item->Get(key)) {
      to = f->String(key, diag).value_or("");
    } else if (required) {
      diag.Error(item->where(), "incident: '" + std::string(key) + "' is required");
    }
  };
  str("name", in.name, true);
  str("vendor", in.vendor, true);
  str("date", in.date, true);
  str("disclosed", in.disclosed, false);
  str("summary", in.summary, true);
  str("attack", in.attack, false);
  str("victims", in.victims, false);
  for (auto [key, value] : {std::pair{"date", &in.date}, std::pair{"disclosed", &in.disclosed}}) {
    if (!value->empty() && !IsDate(*value))
      diag.Error(item->Get(key)->where(), std::string(key) + ": expected a date YYYY-MM-DD");
  }
  auto list = [&](std::string_view key, std::vector<std::string>& to, bool categories) {
    std::vector<core::Provenance> at;
    if (auto f = item->Get(key)) to = f->StringList(key, diag, &at).value_or(to);
    if (categories) CheckCategories(to, at, taxonomy, diag);
  };
  list("match", in.match, false);
  list("roles", in.roles, false);
  list("mechanisms", in.mechanisms, false);
  list("exposed", in.exposed, true);
  list("not_exposed", in.not_exposed, true);
  if (in.match.empty() && in.roles.empty())
    diag.Error(item->where(), "incident: give 'match' (vendor ids or names) or 'roles' to find the vendor");
  if (auto f = item->Get("access")) {
    std::vector<core::Provenance> at;
    auto names = f->StringList("access", diag, &at).value_or(std::vector<std::string>{});
    for (size_t i = 0; i < names.size(); ++i) {
      if (auto p = core::ParsePrivilege(names[i])) {
        in.access.push_back(*p);
      } else {
        diag.Error(at[i], "access: '" + names[i] + "' is not one of read, write, admin, code");
      }
    }
  }
  if (auto f = item->Get("sources")) {
    for (const Field& s : f->Items("sources", diag)) {
      if (!s.ExpectMap("source", {"title", "url"}, diag)) continue;
      core::IncidentSource source;
      if (auto t = s.Get("title")) source.title = t->String("title", diag).value_or("");
      if (auto u = s.Get("url")) source.url = u->String("url", diag).value_or("");
      if (source.url.empty()) diag.Error(s.where(), "source: 'url' is required");
      in.sources.push_back(std::move(source));
    }
  }
  if (in.sources.empty()) diag.Error(item->where(), "incident: 'sources' are required (public reporting)");
  return in;
}

}  // namespace blastmap::importers
