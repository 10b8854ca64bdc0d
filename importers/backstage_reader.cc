// The Backstage catalog reader (docs/importers/backstage.md): Component and Resource entities become
// systems (or vendors), relations become access edges and flows, and blastmap.io/* annotations say what
// data they hold and send. Location entities pull in their relative file targets; URLs are never fetched.
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/text.h"
#include "importers/category_names.h"
#include "importers/reader.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kKinds = {"component", "resource", "api",      "system",  "domain",
                                         "group",     "user",     "location", "template"};
const std::vector<std::string> kAnnotations = {"blastmap.io/kind",       "blastmap.io/stores",
                                               "blastmap.io/subjects",   "blastmap.io/records",
                                               "blastmap.io/categories", "blastmap.io/purpose"};
const std::vector<std::string> kVendorTypes = {"saas", "vendor", "third-party", "external",
                                               "external-service"};

struct Entity {
  std::string kind, ref, name, title;
  Field doc;
  core::Provenance where;
};

class BackstageReader : public DocumentReader {
 public:
  void ReadDocument(const Field& doc, ReadContext& ctx) override {
    if (doc.node().IsNull()) return;
    if (!doc.IsMap()) {
      ctx.diag.Error(doc.where(), "catalog entity: expected a mapping, found " + doc.Describe());
      return;
    }
    CheckForeignKeys(doc, "catalog entity", {"apiVersion", "kind", "metadata", "spec"},
                     {"relations", "status"}, ctx.diag);
    auto kind_field = doc.Get("kind");
    auto meta = doc.Get("metadata");
    if (!kind_field || !meta) {
      ctx.diag.Error(doc.where(), "catalog entity: 'kind' and 'metadata' are required");
      return;
    }
    auto kind = kind_field->String("kind", ctx.diag);
    if (!meta->IsMap())
      ctx.diag.Error(meta->where(), "metadata: expected a mapping, found " + meta->Describe());
    auto spec = doc.Get("spec");
    if (spec && !spec->IsMap() && !spec->node().IsNull()) {
      ctx.diag.Error(spec->where(), "spec: expected a mapping, found " + spec->Describe());
      return;
    }
    if (!kind || !meta->IsMap()) return;
    std::string k = core::AsciiLower(*kind);
    if (std::find(kKinds.begin(), kKinds.end(), k) == kKinds.end()) {
      std::string near = core::DidYouMean(k, kKinds);
      if (!near.empty()) {
        ctx.diag.Error(kind_field->where(), "unknown entity kind '" + *kind + "'" + near);
      } else {
        ctx.diag.Warning(kind_field->where(), "entity kind '" + *kind + "' is not used by blastmap; skipped");
      }
      return;
    }
    if (k == "template") {
      ctx.diag.Warning(kind_field->where(), "Template entities are not used by blastmap; skipped");
      return;
    }
    auto name_field = meta->Get("name");
    if (!name_field) {
      ctx.diag.Error(meta->where(), "metadata: 'name' is required");
      return;
    }
    Entity e{k, "", name_field->String("name", ctx.diag).value_or(""), "", doc, name_field->where()};
    std::string ns = "default";
    if (auto f = meta->Get("namespace")) ns = f->String("namespace", ctx.diag).value_or(ns);
    if (auto f = meta->Get("title")) e.title = f->String("title", ctx.diag).value_or("");
    e.ref = k + ":" + core::AsciiLower(ns) + "/" + core::AsciiLower(e.name);
    auto [it, inserted] = index_.emplace(e.ref, entities_.size());
    if (!inserted) {
      ctx.diag.Error(e.where, "entity '" + e.ref + "' is declared twice (first at " +
                                  entities_[it->second].where.ToString() + ")");
      return;
    }
    entities_.push_back(e);
    if (k == "location") Location(e, ctx);
  }

  void Finish(ReadContext& ctx) override {
    if (entities_.empty()) return;
    names_ = std::make_unique<CategoryNames>(ctx.taxonomy, ctx.diag);
    for (const auto& e : entities_) {
      if (e.kind == "component" || e.kind == "resource") Node(e, ctx);
    }
    for (const auto& e : entities_) {
      if (e.kind == "component") Apis(e, ctx);
    }
  }

 private:
  // "[kind:][namespace/]name" in the context of `from`, canonical and lower case.
  std::string Ref(const std::string& text, const std::string& default_kind, const Entity& from) const {
    std::string kind = default_kind, ns, name = text;
    if (auto colon = name.find(':'); colon != std::string::npos) {
      kind = name.substr(0, colon);
      name = name.substr(colon + 1);
    }
    if (auto slash = name.find('/'); slash != std::string::npos) {
      ns = name.substr(0, slash);
      name = name.substr(slash + 1);
    } else {
      ns = from.ref.substr(from.ref.find(':') + 1, from.ref.find('/') - from.ref.find(':') - 1);
    }
    return core::AsciiLower(kind) + ":" + core::AsciiLower(ns) + "/" + core::AsciiLower(name);
  }

  std::optional<Field> Spec(const Entity& e, const char* key) const {
    auto spec = e.doc.Get("spec");
    if (!spec) return std::nullopt;
    return spec->Get(key);
  }

  std::optional<Field> Annotation(const Entity& e, const std::string& key) const {
    auto a = e.doc.Get("metadata")->Get("annotations");
    if (!a) return std::nullopt;
    return a->Get(key);
  }

  void Location(const Entity& e, ReadContext& ctx) {
    std::string type;
    if (auto t = Spec(e, "type")) type = t->String("type", ctx.diag).value_or("");
    std::vector<std::string> targets;
    std::vector<core::Provenance> at;
    if (auto t = Spec(e, "target")) {
      if (auto s = t->String("target", ctx.diag)) {
        targets.push_back(*s);
        at.push_back(t->where());
      }
    }
    if (auto t = Spec(e, "targets")) {
      auto list = t->StringList("targets", ctx.diag, &at);
      if (list) targets.insert(targets.end(), list->begin(), list->end());
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      const std::string& target = targets[i];
      if (type == "url" || target.find("://") != std::string::npos) {
        ctx.diag.Warning(at[i],
                         "location target '" + target + "' is a URL; blastmap never fetches URLs (skipped)");
        continue;
      }
      auto path = (std::filesystem::path(e.doc.file()).parent_path() / target).lexically_normal().string();
      if (target.find_first_of("*?[") != std::string::npos) {
        glob_t g{};
        if (glob(path.c_str(), 0, nullptr, &g) == 0) {
          for (size_t k = 0; k < g.gl_pathc; ++k) ctx.include(g.gl_pathv[k], Format::kBackstage, at[i]);
        } else {
          ctx.diag.Warning(at[i], "location target '" + target + "' matches no file");
        }
        globfree(&g);
        continue;
      }
      ctx.include(path, Format::kBackstage, at[i]);
    }
  }

  std::vector<std::string> Categories(const Field& value, ReadContext& ctx) {
    std::vector<std::string> out;
    auto text = value.String("annotation", ctx.diag);
    if (!text) return out;
    size_t start = 0;
    for (size_t i = 0; i <= text->size(); ++i) {
      if (i < text->size() && (*text)[i] != ',' && (*text)[i] != ';') continue;
      std::string item = text->substr(start, i - start);
      start = i + 1;
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (item.empty()) continue;
      if (auto key = names_->Find(item)) {
        out.push_back(*key);
      } else {
        ctx.diag.Error(value.where(), "'" + item + "' names no data category" + names_->DidYouMean(item));
      }
    }
    return out;
  }

  std::vector<std::string> Subjects(const Entity& e, ReadContext& ctx) {
    std::vector<std::string> out;
    auto a = Annotation(e, "blastmap.io/subjects");
    if (!a) return out;
    auto text = a->String("blastmap.io/subjects", ctx.diag).value_or("");
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && text[i] != ',') continue;
      std::string item = text.substr(start, i - start);
      start = i + 1;
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item.empty()) continue;
      if (subjects_.insert(item).second) {
        RefPositions refs;
        refs.kind = a->where();
        ctx.out.subjects.push_back(core::Subject{item, item, item, {}, core::kUnknownRecords, a->where()});
        ctx.out.subject_refs.push_back(refs);
      }
      out.push_back(item);
    }
    return out;
  }

  void Node(const Entity& e, ReadContext& ctx) {
    core::Node node;
    node.id = e.ref;
    node.name = e.title.empty() ? e.name : e.title;
    node.where = e.where;
    std::string type;
    if (auto t = Spec(e, "type")) type = t->String("type", ctx.diag).value_or("");
    std::string declared_kind;
    if (auto a = Annotation(e, "blastmap.io/kind")) {
      declared_kind = a->String("blastmap.io/kind", ctx.diag).value_or("");
      if (declared_kind != "vendor" && declared_kind != "system") {
        ctx.diag.Error(a->where(), "blastmap.io/kind '" + declared_kind + "' is not vendor or system" +
                                       core::DidYouMean(declared_kind, {"vendor", "system"}));
      }
    }
    bool vendor = declared_kind == "vendor" ||
                  (declared_kind.empty() && std::find(kVendorTypes.begin(), kVendorTypes.end(),
                                                      core::AsciiLower(type)) != kVendorTypes.end());
    node.kind = vendor ? core::NodeKind::kVendor : core::NodeKind::kSystem;
    if (!vendor) {
      static const std::map<std::string, std::string> kTypes = {
          {"service", "service"},     {"website", "frontend"},  {"database", "database"},
          {"warehouse", "warehouse"}, {"queue", "queue"},       {"s3-bucket", "storage"},
          {"storage", "storage"},     {"pipeline", "pipeline"}, {"bucket", "storage"}};
      node.attrs["type"] = {kTypes.count(core::AsciiLower(type)) ? kTypes.at(core::AsciiLower(type))
                                                                 : "other"};
    }
    node.attrs["backstage_kind"] = {e.kind};
    if (!type.empty()) node.attrs["backstage_type"] = {type};
    auto meta = *e.doc.Get("metadata");
    if (auto f = meta.Get("description"))
      node.attrs["description"] = {f->String("description", ctx.diag).value_or("")};
    if (auto f = meta.Get("tags"))
      node.attrs["tags"] =
          core::ToSymbols(f->StringList("tags", ctx.diag).value_or(std::vector<std::string>{}));
    if (auto f = Spec(e, "owner"))
      node.attrs["owner"] = {Ref(f->String("owner", ctx.diag).value_or(""), "group", e)};
    if (auto f = Spec(e, "system"))
      node.attrs["system"] = {Ref(f->String("system", ctx.diag).value_or(""), "system", e)};
    if (auto f = Spec(e, "lifecycle"))
      node.attrs["lifecycle"] = {f->String("lifecycle", ctx.diag).value_or("")};
    if (auto f = Spec(e, "subcomponentOf")) {
      node.attrs["part_of"] = {Ref(f->String("subcomponentOf", ctx.diag).value_or(""), "component", e)};
    }
    ctx.out.nodes.push_back(node);

    if (auto a = meta.Get("annotations"); a && a->IsMap()) {
      for (const auto& [key, at] : MapKeys(*a)) {
        if (key.rfind("blastmap.io/", 0) != 0) continue;
        if (key.rfind("blastmap.io/flow.", 0) == 0) continue;
        if (std::find(kAnnotations.begin(), kAnnotations.end(), key) == kAnnotations.end()) {
          ctx.diag.Error(at, "unknown annotation '" + key + "'" + core::DidYouMean(key, kAnnotations) +
                                 " (blastmap.io/flow.<node id> sends data to that node)");
        }
      }
    }
    auto subjects = Subjects(e, ctx);
    int64_t records = core::kUnknownRecords;
    if (auto a = Annotation(e, "blastmap.io/records")) {
      if (auto n = a->Integer("blastmap.io/records", ctx.diag)) records = *n;
    }
    std::string purpose;
    core::Provenance purpose_at;
    if (auto a = Annotation(e, "blastmap.io/purpose")) {
      purpose = a->String("blastmap.io/purpose", ctx.diag).value_or("");
      purpose_at = a->where();
    }
    if (auto a = Annotation(e, "blastmap.io/stores")) {
      core::Holding h;
      RefPositions pos;
      h.node = e.ref;
      h.categories = core::ToSymbols(Categories(*a, ctx));
      h.subjects = core::ToSymbols(subjects);
      h.records = records;
      h.where = a->where();
      pos.to = e.where;
      pos.categories.assign(h.categories.size(), a->where());
      pos.subjects.assign(h.subjects.size(), a->where());
      if (!h.categories.empty()) ctx.out.holdings.emplace_back(std::move(h), std::move(pos));
    }
    if (auto a = meta.Get("annotations"); a && a->IsMap()) {
      for (const auto& [key, at] : MapKeys(*a)) {
        if (key.rfind("blastmap.io/flow.", 0) != 0) continue;
        std::string target = key.substr(std::string("blastmap.io/flow.").size());
        Field value = *a->Get(key);
        core::Flow f;
        RefPositions pos;
        f.from = e.ref;
        f.to = target;
        f.categories = core::ToSymbols(Categories(value, ctx));
        f.subjects = core::ToSymbols(subjects);
        f.records = records;
        f.purpose = purpose;
        f.where = at;
        pos.from = e.where;
        pos.to = at;
        pos.categories.assign(f.categories.size(), value.where());
        pos.subjects.assign(f.subjects.size(), at);
        pos.purpose = purpose_at;
        // A plain id names a node of another format (a CSV vendor, say); nobody declaring it makes it a
        // vendor.
        core::Node implied;
        implied.id = target;
        implied.name = target;
        implied.kind = core::NodeKind::kVendor;
        implied.where = at;
        ctx.out.implied_nodes.push_back(implied);
        if (!f.categories.empty()) ctx.out.flows.emplace_back(std::move(f), std::move(pos));
      }
    }
    if (auto deps = Spec(e, "dependsOn")) {
      std::vector<core::Provenance> at;
      auto list = deps->StringList("dependsOn", ctx.diag, &at);
      for (size_t i = 0; list && i < list->size(); ++i) {
        std::string target = Ref((*list)[i], "component", e);
        core::Access a;
        RefPositions pos;
        a.from = e.ref;
        a.to = target;
        a.privilege = core::Privilege::kWrite;
        a.mechanism = "dependsOn";
        a.where = at[i];
        pos.from = e.where;
        pos.to = at[i];
        ctx.out.accesses.emplace_back(std::move(a), std::move(pos));
      }
    }
  }

  // consumesApis / providesApis: each consumer sends each provider what the API's annotation lists.
  void Apis(const Entity& e, ReadContext& ctx) {
    auto consumes = Spec(e, "consumesApis");
    if (!consumes) return;
    std::vector<core::Provenance> at;
    auto list = consumes->StringList("consumesApis", ctx.diag, &at);
    for (size_t i = 0; list && i < list->size(); ++i) {
      std::string api = Ref((*list)[i], "api", e);
      auto it = index_.find(api);
      if (it == index_.end()) {
        std::vector<std::string> apis;
        for (const auto& x : entities_) {
          if (x.kind == "api") apis.push_back(x.ref);
        }
        ctx.diag.Error(at[i], "API '" + api + "' is not in the catalog" + core::DidYouMean(api, apis));
        continue;
      }
      const Entity& api_entity = entities_[it->second];
      auto cats_field = Annotation(api_entity, "blastmap.io/categories");
      if (!cats_field) continue;
      auto cats = Categories(*cats_field, ctx);
      for (const auto& provider : entities_) {
        if (provider.kind != "component") continue;
        auto provides = Spec(provider, "providesApis");
        if (!provides) continue;
        for (const auto& p :
             provides->StringList("providesApis", ctx.diag).value_or(std::vector<std::string>{})) {
          if (Ref(p, "api", provider) != api || provider.ref == e.ref) continue;
          core::Flow f;
          RefPositions pos;
          f.from = e.ref;
          f.to = provider.ref;
          f.categories = core::ToSymbols(cats);
          f.description = "through " + api;
          f.transport = "api";
          f.where = at[i];
          pos.from = e.where;
          pos.to = provider.where;
          pos.categories.assign(cats.size(), cats_field->where());
          if (!cats.empty()) ctx.out.flows.emplace_back(std::move(f), std::move(pos));
        }
      }
    }
  }

  std::vector<Entity> entities_;
  std::map<std::string, size_t> index_;
  std::set<std::string> subjects_;
  std::unique_ptr<CategoryNames> names_;
};

}  // namespace

std::unique_ptr<DocumentReader> NewBackstageReader() { return std::make_unique<BackstageReader>(); }

}  // namespace blastmap::importers
