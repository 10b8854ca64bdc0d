// The fideslang reader (docs/importers/fides.md): system, dataset, data_category, data_use, data_subject,
// organization and policy resources; fideslang 1.x keys mapped to current ones through
// importers/data/fides_legacy.yaml, with a warning per mapping.
#include <algorithm>
#include <map>
#include <set>

#include "core/text.h"
#include "importers/fides_policy.h"
#include "importers/fides_vocabulary.h"
#include "importers/reader.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kResourceTypes = {"system",   "dataset",      "data_category",
                                                 "data_use", "data_subject", "organization",
                                                 "policy",   "registry",     "evaluation"};
const std::vector<std::string> kSystemKeys = {"fides_key",
                                              "name",
                                              "description",
                                              "system_type",
                                              "egress",
                                              "ingress",
                                              "privacy_declarations",
                                              "dataset_references",
                                              "responsibility",
                                              "tags",
                                              "organization_fides_key",
                                              "vendor_id",
                                              "administrating_department",
                                              "system_dependencies",
                                              "third_country_transfers",
                                              "data_responsibility_title"};
const std::vector<std::string> kSystemIgnored = {"meta",
                                                 "fidesctl_meta",
                                                 "joint_controller",
                                                 "data_protection_impact_assessment",
                                                 "cookies",
                                                 "legal_name",
                                                 "legal_address",
                                                 "dpo",
                                                 "data_security_practices",
                                                 "processes_personal_data",
                                                 "exempt_from_privacy_regulations",
                                                 "reason_for_exemption",
                                                 "uses_profiling",
                                                 "legal_basis_for_profiling",
                                                 "does_international_transfers",
                                                 "legal_basis_for_transfers",
                                                 "requires_data_protection_assessments",
                                                 "dpa_location",
                                                 "dpa_progress",
                                                 "privacy_policy",
                                                 "legitimate_interest_disclosure_url",
                                                 "previous_vendor_id",
                                                 "user_id",
                                                 "registry_id",
                                                 "joint_controller_info",
                                                 "data_stewards",
                                                 "fides_meta",
                                                 "is_default"};
const std::vector<std::string> kDeclarationKeys = {"name",          "data_categories",    "data_use",
                                                   "data_subjects", "dataset_references", "egress",
                                                   "ingress",       "data_qualifier"};
const std::vector<std::string> kDeclarationIgnored = {"features",
                                                      "legal_basis_for_processing",
                                                      "impact_assessment_location",
                                                      "retention_period",
                                                      "processes_special_category_data",
                                                      "special_category_legal_basis",
                                                      "data_shared_with_third_parties",
                                                      "third_parties",
                                                      "shared_categories",
                                                      "cookies",
                                                      "flexible_legal_basis_for_processing",
                                                      "id",
                                                      "legal_basis_for_profiling",
                                                      "legitimate_interest_disclosure_url"};
const std::vector<std::string> kDatasetKeys = {"fides_key",
                                               "name",
                                               "description",
                                               "data_categories",
                                               "collections",
                                               "data_qualifier",
                                               "third_country_transfers"};
const std::vector<std::string> kDatasetIgnored = {
    "meta",          "fides_meta", "organization_fides_key", "tags", "joint_controller", "retention",
    "fidesctl_meta", "is_default"};
const std::vector<std::string> kCollectionKeys = {"name", "description", "data_categories", "fields",
                                                  "data_qualifier"};
const std::vector<std::string> kCollectionIgnored = {"fides_meta", "retention"};
const std::vector<std::string> kTaxonomyKeys = {"fides_key", "name", "description", "parent_key"};
const std::vector<std::string> kTaxonomyIgnored = {"organization_fides_key",
                                                   "tags",
                                                   "is_default",
                                                   "active",
                                                   "version_added",
                                                   "version_deprecated",
                                                   "replaced_by",
                                                   "rights",
                                                   "automated_decisions_or_profiling",
                                                   "legal_basis",
                                                   "recipients",
                                                   "legitimate_interest",
                                                   "legitimate_interest_impact_assessment"};

class FidesReader : public DocumentReader {
 public:
  void ReadDocument(const Field& doc, ReadContext& ctx) override {
    if (doc.node().IsNull()) return;
    if (doc.IsMap() && doc.Get("fides_key")) {
      ctx.diag.Error(doc.where(),
                     "a fides resource file lists its resources under their type "
                     "(system:, dataset:, data_category:, ...), not at top level");
      return;
    }
    if (!doc.ExpectMap("fides resource file", kResourceTypes, ctx.diag)) return;
    for (const auto& [type, at] : MapKeys(doc)) {
      auto list = doc.Get(type);
      if (!list) continue;
      for (const Field& item : list->Items(type, ctx.diag)) resources_[type].push_back(item);
    }
  }

  void Finish(ReadContext& ctx) override {
    if (resources_.empty()) return;
    vocabulary_.Load(ctx.diag);
    for (const Field& item : resources_["data_category"]) ReadCategory(item, ctx);
    for (const Field& item : resources_["data_use"]) ReadUse(item, ctx);
    for (const Field& item : resources_["data_subject"]) ReadSubjectKind(item, ctx);
    for (const Field& item : resources_["organization"]) {
      CheckForeignKeys(item, "organization", {"fides_key", "name", "description"},
                       {"controller", "data_protection_officer", "representative", "security_policy",
                        "organization_parent_key", "tags", "fides_meta", "is_default"},
                       ctx.diag);
    }
    for (const Field& item : resources_["dataset"]) ReadDataset(item, ctx);
    for (const Field& item : resources_["system"]) ReadSystem(item, ctx);
    for (const Field& item : resources_["policy"]) ReadPolicy(item, ctx);
    for (const auto& type : {"registry", "evaluation"}) {
      for (const Field& item : resources_[type]) {
        ctx.diag.Warning(item.where(),
                         std::string("fides ") + type + " resources are not used by blastmap; skipped");
      }
    }
    DropEchoedIngress(ctx);
  }

 private:
  std::optional<std::string> Key(const Field& item, std::string_view what, ReadContext& ctx) {
    auto k = item.Get("fides_key");
    if (!k) {
      ctx.diag.Error(item.where(), std::string(what) + ": 'fides_key' is required");
      return std::nullopt;
    }
    auto s = k->String("fides_key", ctx.diag);
    if (s && s->empty()) {
      ctx.diag.Error(k->where(), std::string(what) + ": 'fides_key' is empty");
      return std::nullopt;
    }
    return s;
  }

  std::vector<std::string> Subjects(const Field& item, ReadContext& ctx) {
    std::vector<std::string> out;
    auto f = item.Get("data_subjects");
    if (!f) return out;
    std::vector<core::Provenance> pos;
    auto list = f->StringList("data_subjects", ctx.diag, &pos);
    for (size_t i = 0; list && i < list->size(); ++i) {
      const std::string& key = (*list)[i];
      if (!subjects_.count(key)) {
        subjects_.insert(key);
        RefPositions refs;
        refs.kind = pos[i];
        ctx.out.subjects.push_back(core::Subject{key, key, key, {}, core::kUnknownRecords, pos[i]});
        ctx.out.subject_refs.push_back(refs);
      }
      out.push_back(key);
    }
    return out;
  }

  void ReadCategory(const Field& item, ReadContext& ctx) {
    CheckForeignKeys(item, "data_category", kTaxonomyKeys, kTaxonomyIgnored, ctx.diag);
    auto key = Key(item, "data_category", ctx);
    if (!key || ctx.taxonomy.Index(*key) >= 0) return;  // a default category: blastmap's own attributes win
    core::Category c;
    c.key = *key;
    c.file = item.file();
    c.line = item.where().line;
    if (auto f = item.Get("name")) c.name = f->String("name", ctx.diag).value_or("");
    if (auto f = item.Get("description")) c.description = f->String("description", ctx.diag).value_or("");
    if (auto p = item.Get("parent_key")) {
      auto parent = p->String("parent_key", ctx.diag);
      auto dot = key->rfind('.');
      std::string expected = dot == std::string::npos ? "" : key->substr(0, dot);
      if (parent && !parent->empty() && *parent != expected) {
        ctx.diag.Error(p->where(), "parent_key '" + *parent + "' is not the prefix of '" + *key + "' ('" +
                                       expected + "'); blastmap keys are hierarchical by their dots");
      }
    }
    vocabulary_.AddCategory(*key, item.Get("fides_key")->where());
    ctx.out.categories.push_back(std::move(c));
    ctx.out.category_at.push_back(item.Get("fides_key")->where());
  }

  void ReadUse(const Field& item, ReadContext& ctx) {
    CheckForeignKeys(item, "data_use", kTaxonomyKeys, kTaxonomyIgnored, ctx.diag);
    auto key = Key(item, "data_use", ctx);
    if (!key) return;
    std::string name;
    if (auto f = item.Get("name")) name = f->String("name", ctx.diag).value_or("");
    vocabulary_.AddUse(*key);
    ctx.out.data_uses.push_back({*key, name, ""});
  }

  void ReadSubjectKind(const Field& item, ReadContext& ctx) {
    CheckForeignKeys(item, "data_subject", kTaxonomyKeys, kTaxonomyIgnored, ctx.diag);
    auto key = Key(item, "data_subject", ctx);
    if (!key) return;
    std::string name;
    if (auto f = item.Get("name")) name = f->String("name", ctx.diag).value_or("");
    subject_kinds_.insert(*key);
    ctx.out.subject_kinds.push_back({*key, name, ""});
  }

  // Categories at one level of a dataset (the dataset, a collection, a field), as one holding.
  void Level(const Field& item, const std::string& dataset, ReadContext& ctx) {
    core::Holding h;
    RefPositions pos;
    h.node = dataset;
    h.categories = core::ToSymbols(vocabulary_.Categories(item, ctx, &pos.categories));
    if (h.categories.empty()) return;
    h.where = item.Get("data_categories")->where();
    pos.to = h.where;
    ctx.out.holdings.emplace_back(std::move(h), std::move(pos));
  }

  void Fields(const Field& list, const std::string& dataset, const std::string& path, ReadContext& ctx,
              int depth) {
    std::set<std::string> names;
    for (const Field& f : list.Items("fields", ctx.diag)) {
      CheckForeignKeys(f, "field", {"name", "description", "data_categories", "fields", "data_qualifier"},
                       {"fides_meta", "retention"}, ctx.diag);
      std::string name;
      if (auto n = f.Get("name")) name = n->String("name", ctx.diag).value_or("");
      if (name.empty()) ctx.diag.Error(f.where(), "field: 'name' is required");
      if (!name.empty() && !names.insert(name).second) {
        ctx.diag.Error(f.Get("name")->where(), "field '" + path + "." + name + "' appears twice");
      }
      Legacy1x(f, "data_qualifier", ctx);
      Level(f, dataset, ctx);
      if (auto sub = f.Get("fields")) {
        if (depth > 32) {
          ctx.diag.Error(sub->where(), "fields nest more than 32 levels deep");
          continue;
        }
        Fields(*sub, dataset, path + "." + name, ctx, depth + 1);
      }
    }
  }

  void Legacy1x(const Field& item, const char* key, ReadContext& ctx) {
    if (auto f = item.Get(key)) {
      ctx.diag.Warning(f->where(), std::string("'") + key + "' is a fideslang 1.x key; ignored");
    }
  }

  void ReadDataset(const Field& item, ReadContext& ctx) {
    CheckForeignKeys(item, "dataset", kDatasetKeys, kDatasetIgnored, ctx.diag);
    auto key = Key(item, "dataset", ctx);
    if (!key) return;
    core::Node node;
    node.id = *key;
    node.kind = core::NodeKind::kSystem;
    node.where = item.Get("fides_key")->where();
    node.name = *key;
    if (auto f = item.Get("name")) node.name = f->String("name", ctx.diag).value_or(*key);
    if (auto f = item.Get("description"))
      node.attrs["description"] = {f->String("description", ctx.diag).value_or("")};
    node.attrs["type"] = {"database"};
    node.attrs["fides_resource"] = {"dataset"};
    if (auto f = item.Get("third_country_transfers")) {
      ctx.diag.Warning(f->where(), "fideslang 1.x key 'third_country_transfers' mapped to data_locations");
      if (auto list = f->StringList("third_country_transfers", ctx.diag))
        node.attrs["data_locations"] = core::ToSymbols(*list);
    }
    Legacy1x(item, "data_qualifier", ctx);
    ctx.out.nodes.push_back(node);
    Level(item, *key, ctx);
    std::set<std::string> names;
    if (auto cs = item.Get("collections")) {
      for (const Field& c : cs->Items("collections", ctx.diag)) {
        CheckForeignKeys(c, "collection", kCollectionKeys, kCollectionIgnored, ctx.diag);
        std::string name;
        if (auto n = c.Get("name")) name = n->String("name", ctx.diag).value_or("");
        if (name.empty()) ctx.diag.Error(c.where(), "collection: 'name' is required");
        if (!name.empty() && !names.insert(name).second) {
          ctx.diag.Error(c.Get("name")->where(),
                         "collection '" + name + "' appears twice in dataset '" + *key + "'");
        }
        Legacy1x(c, "data_qualifier", ctx);
        Level(c, *key, ctx);
        if (auto fs = c.Get("fields")) Fields(*fs, *key, name, ctx, 0);
      }
    }
  }

  void Edge(const std::string& from, const core::Provenance& from_at, const std::string& to,
            const core::Provenance& to_at, core::SymbolList categories,
            const std::vector<core::Provenance>& cat_at, bool all, const core::Provenance& where,
            bool ingress, ReadContext& ctx, const std::string& purpose = "", core::SymbolList subjects = {}) {
    core::Flow flow;
    RefPositions pos;
    flow.from = from;
    flow.to = to;
    flow.forwards_all = all;
    flow.categories = std::move(categories);
    flow.purpose = purpose;
    flow.subjects = std::move(subjects);
    flow.where = where;
    pos.from = from_at;
    pos.to = to_at;
    pos.categories = cat_at;
    pos.categories.resize(flow.categories.size(), where);
    pos.subjects.assign(flow.subjects.size(), where);
    pos.purpose = where;
    if (ingress) ingress_.push_back(ctx.out.flows.size());
    ctx.out.flows.emplace_back(std::move(flow), std::move(pos));
  }

  // Egress or ingress of a system: [{fides_key, type, data_categories}].
  void Links(const Field& system, const std::string& id, const core::Provenance& id_at, const char* which,
             ReadContext& ctx) {
    auto list = system.Get(which);
    if (!list) return;
    bool egress = std::string(which) == "egress";
    for (const Field& link : list->Items(which, ctx.diag)) {
      CheckForeignKeys(link, which, {"fides_key", "type", "data_categories"}, {}, ctx.diag);
      auto other = Key(link, which, ctx);
      if (!other) continue;
      if (auto t = link.Get("type")) {
        auto type = t->String("type", ctx.diag);
        if (type && *type != "system" && *type != "dataset") {
          ctx.diag.Error(t->where(), std::string(which) + " type '" + *type + "' is not system or dataset" +
                                         core::DidYouMean(*type, {"system", "dataset"}));
        }
      }
      std::vector<core::Provenance> at;
      auto cats = vocabulary_.Categories(link, ctx, &at);
      core::Provenance other_at = link.Get("fides_key")->where();
      bool all = !link.Get("data_categories");
      if (egress) {
        Edge(id, id_at, *other, other_at, core::ToSymbols(cats), at, all, link.where(), false, ctx);
      } else {
        Edge(*other, other_at, id, id_at, core::ToSymbols(cats), at, all, link.where(), true, ctx);
      }
    }
  }

  void ReadSystem(const Field& item, ReadContext& ctx) {
    CheckForeignKeys(item, "system", kSystemKeys, kSystemIgnored, ctx.diag);
    auto key = Key(item, "system", ctx);
    if (!key) return;
    core::Node node;
    node.id = *key;
    node.where = item.Get("fides_key")->where();
    node.name = *key;
    if (auto f = item.Get("name")) node.name = f->String("name", ctx.diag).value_or(*key);
    if (auto f = item.Get("description"))
      node.attrs["description"] = {f->String("description", ctx.diag).value_or("")};
    std::string type;
    if (auto f = item.Get("system_type")) type = f->String("system_type", ctx.diag).value_or("");
    std::vector<std::string> tags;
    if (auto f = item.Get("tags")) tags = f->StringList("tags", ctx.diag).value_or(tags);
    const std::string lower = core::AsciiLower(type);
    bool vendor = item.Get("vendor_id") || lower.find("third") != std::string::npos ||
                  lower.find("vendor") != std::string::npos || lower == "saas";
    for (const auto& t : tags) vendor = vendor || t == "vendor" || t == "third_party" || t == "third-party";
    node.kind = vendor ? core::NodeKind::kVendor : core::NodeKind::kSystem;
    if (!vendor) {
      static const std::map<std::string, std::string> kTypes = {
          {"service", "service"},   {"application", "service"}, {"api", "service"},
          {"database", "database"}, {"website", "frontend"},    {"web", "frontend"},
          {"frontend", "frontend"}, {"warehouse", "warehouse"}, {"pipeline", "pipeline"},
          {"queue", "queue"},       {"storage", "storage"}};
      node.attrs["type"] = {kTypes.count(lower) ? kTypes.at(lower) : "other"};
    }
    if (!type.empty()) node.attrs["system_type"] = {type};
    if (!tags.empty()) node.attrs["tags"] = core::ToSymbols(tags);
    if (auto f = item.Get("vendor_id"))
      node.attrs["vendor_id"] = {f->String("vendor_id", ctx.diag).value_or("")};
    if (auto f = item.Get("organization_fides_key")) {
      node.attrs["organization"] = {f->String("organization_fides_key", ctx.diag).value_or("")};
    }
    if (auto f = item.Get("administrating_department")) {
      node.attrs["owner"] = {f->String("administrating_department", ctx.diag).value_or("")};
    }
    if (auto f = item.Get("responsibility")) {
      if (auto list = f->StringList("responsibility", ctx.diag))
        node.attrs["responsibility"] = core::ToSymbols(*list);
    }
    if (auto f = item.Get("data_responsibility_title")) {
      ctx.diag.Warning(f->where(), "fideslang 1.x key 'data_responsibility_title' mapped to responsibility");
      if (auto s = f->String("data_responsibility_title", ctx.diag)) node.attrs["responsibility"] = {*s};
    }
    if (auto f = item.Get("third_country_transfers")) {
      ctx.diag.Warning(f->where(), "fideslang 1.x key 'third_country_transfers' mapped to data_locations");
      if (auto list = f->StringList("third_country_transfers", ctx.diag))
        node.attrs["data_locations"] = core::ToSymbols(*list);
    }
    node.attrs["fides_resource"] = {"system"};
    ctx.out.nodes.push_back(node);
    const core::Provenance id_at = node.where;

    Links(item, *key, id_at, "egress", ctx);
    Links(item, *key, id_at, "ingress", ctx);
    if (auto f = item.Get("system_dependencies")) {
      ctx.diag.Warning(f->where(),
                       "fideslang 1.x key 'system_dependencies' mapped to egress (each dependency "
                       "receives what the system holds)");
      std::vector<core::Provenance> at;
      auto deps = f->StringList("system_dependencies", ctx.diag, &at);
      for (size_t i = 0; deps && i < deps->size(); ++i) {
        Edge(*key, id_at, (*deps)[i], at[i], {}, {}, true, at[i], false, ctx);
      }
    }
    auto references = [&](const Field& owner) {
      std::vector<std::string> ids;
      auto refs = owner.Get("dataset_references");
      if (!refs) return ids;
      std::vector<core::Provenance> at;
      auto list = refs->StringList("dataset_references", ctx.diag, &at);
      for (size_t i = 0; list && i < list->size(); ++i) {
        ids.push_back((*list)[i]);
        core::Access a;
        RefPositions pos;
        a.from = *key;
        a.to = (*list)[i];
        a.privilege = core::Privilege::kWrite;
        a.mechanism = "dataset reference";
        a.where = at[i];
        pos.from = id_at;
        pos.to = at[i];
        ctx.out.accesses.emplace_back(std::move(a), std::move(pos));
      }
      return ids;
    };
    references(item);
    if (auto decls = item.Get("privacy_declarations")) {
      for (const Field& d : decls->Items("privacy_declarations", ctx.diag)) {
        CheckForeignKeys(d, "privacy declaration", kDeclarationKeys, kDeclarationIgnored, ctx.diag);
        Legacy1x(d, "data_qualifier", ctx);
        core::PrivacyDeclaration declaration;
        declaration.node = *key;
        declaration.where = d.where();
        if (auto n = d.Get("name")) declaration.name = n->String("name", ctx.diag).value_or("");
        core::Holding h;
        RefPositions pos;
        h.node = *key;
        h.where = d.where();
        h.categories = core::ToSymbols(vocabulary_.Categories(d, ctx, &pos.categories));
        h.subjects = core::ToSymbols(Subjects(d, ctx));
        pos.subjects.assign(h.subjects.size(), d.where());
        pos.to = id_at;
        if (!d.Get("data_categories"))
          ctx.diag.Error(d.where(), "privacy declaration: 'data_categories' is required");
        std::string use;
        if (auto u = d.Get("data_use")) {
          if (auto s = u->String("data_use", ctx.diag)) use = vocabulary_.Use(*s, u->where(), ctx);
        } else {
          ctx.diag.Error(d.where(), "privacy declaration: 'data_use' is required");
        }
        declaration.categories = core::ToStrings(h.categories);
        declaration.use = use;
        declaration.subjects = core::ToStrings(h.subjects);
        declaration.datasets = references(d);
        ctx.out.declarations.push_back(std::move(declaration));
        for (const char* which : {"egress", "ingress"}) {
          auto list = d.Get(which);
          if (!list) continue;
          std::vector<core::Provenance> at;
          auto keys = list->StringList(which, ctx.diag, &at);
          for (size_t i = 0; keys && i < keys->size(); ++i) {
            bool out = std::string(which) == "egress";
            Edge(out ? *key : (*keys)[i], out ? id_at : at[i], out ? (*keys)[i] : *key, out ? at[i] : id_at,
                 h.categories, pos.categories, false, at[i], !out, ctx, use, h.subjects);
          }
        }
        if (!h.categories.empty()) ctx.out.holdings.emplace_back(std::move(h), std::move(pos));
      }
    }
  }

  // A policy is checked (every key known or mapped) and kept with the map: `blastmap check` evaluates it.
  void ReadPolicy(const Field& item, ReadContext& ctx) {
    FidesKeyChecks keys = VocabularyChecks(vocabulary_, ctx, subject_kinds_);
    if (auto policy = ReadFidesPolicy(item, ctx.diag, keys))
      AddFidesPolicy(std::move(*policy), ctx.out.fides_policies, ctx.diag);
  }

  // A flow declared twice, as A's egress and as B's ingress, is kept once (the egress).
  void DropEchoedIngress(ReadContext& ctx) {
    std::set<std::pair<std::string, std::string>> egress;
    std::set<size_t> ingress(ingress_.begin(), ingress_.end());
    for (size_t i = 0; i < ctx.out.flows.size(); ++i) {
      if (!ingress.count(i)) egress.emplace(ctx.out.flows[i].first.from, ctx.out.flows[i].first.to);
    }
    std::vector<std::pair<core::Flow, RefPositions>> kept;
    for (size_t i = 0; i < ctx.out.flows.size(); ++i) {
      const auto& f = ctx.out.flows[i].first;
      if (ingress.count(i) && egress.count({f.from, f.to})) continue;
      kept.push_back(std::move(ctx.out.flows[i]));
    }
    ctx.out.flows = std::move(kept);
  }

  std::map<std::string, std::vector<Field>> resources_;
  FidesVocabulary vocabulary_;
  std::set<std::string> subjects_, subject_kinds_;
  std::vector<size_t> ingress_;
};

}  // namespace

std::unique_ptr<DocumentReader> NewFidesReader() { return std::make_unique<FidesReader>(); }

}  // namespace blastmap::importers
