// The Threagile model reader (docs/importers/threagile.md): data assets become categories, technical
// assets systems or vendors, communication links flows and access edges, hoster trust boundaries vendors.
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "core/text.h"
#include "importers/reader.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kTopMapped = {"threagile_version", "includes",         "title",
                                             "data_assets",       "technical_assets", "trust_boundaries",
                                             "shared_runtimes"};
const std::vector<std::string> kTopIgnored = {"author",
                                              "contributors",
                                              "date",
                                              "application_description",
                                              "business_overview",
                                              "technical_overview",
                                              "business_criticality",
                                              "management_summary_comment",
                                              "security_requirements",
                                              "questions",
                                              "abuse_cases",
                                              "tags_available",
                                              "individual_risk_categories",
                                              "risk_tracking",
                                              "diagram_tweak_nodesep",
                                              "diagram_tweak_ranksep",
                                              "diagram_tweak_edge_layout",
                                              "diagram_tweak_suppress_edge_labels",
                                              "diagram_tweak_layout_left_to_right",
                                              "diagram_tweak_invisible_connections_between_assets",
                                              "diagram_tweak_same_rank_assets",
                                              "reports"};
const std::vector<std::string> kDataAssetKeys = {"id",   "description", "quantity", "confidentiality",
                                                 "tags", "owner"};
const std::vector<std::string> kDataAssetIgnored = {"usage", "origin", "integrity", "availability",
                                                    "justification_cia_rating"};
const std::vector<std::string> kAssetKeys = {"id",
                                             "description",
                                             "type",
                                             "technologies",
                                             "used_as_client_by_human",
                                             "out_of_scope",
                                             "justification_out_of_scope",
                                             "technology",
                                             "tags",
                                             "owner",
                                             "internet",
                                             "data_assets_processed",
                                             "data_assets_stored",
                                             "communication_links",
                                             "confidentiality",
                                             "size"};
const std::vector<std::string> kAssetIgnored = {"usage",
                                                "machine",
                                                "encryption",
                                                "integrity",
                                                "availability",
                                                "justification_cia_rating",
                                                "multi_tenant",
                                                "redundant",
                                                "custom_developed_parts",
                                                "data_formats_accepted",
                                                "diagram_tweak_order"};
const std::vector<std::string> kLinkKeys = {
    "target",   "description", "protocol",         "authentication",       "authorization",
    "readonly", "usage",       "data_assets_sent", "data_assets_received", "tags"};
const std::vector<std::string> kLinkIgnored = {"vpn", "ip_filtered", "diagram_tweak_weight",
                                               "diagram_tweak_constraint"};
const std::vector<std::string> kBoundaryKeys = {
    "id", "description", "type", "tags", "technical_assets_inside", "trust_boundaries_nested"};
const std::vector<std::string> kBoundaryTypes = {
    "network-on-prem",        "network-dedicated-hoster",     "network-virtual-lan",
    "network-cloud-provider", "network-cloud-security-group", "network-policy-namespace-isolation",
    "execution-environment"};
const std::vector<std::string> kAuthentication = {
    "none", "credentials", "session-id", "token", "client-certificate", "two-factor", "externalized"};

struct Named {
  std::string title;  // the map key
  core::Provenance title_at;
  Field body;
};

class ThreagileReader : public DocumentReader {
 public:
  void ReadDocument(const Field& doc, ReadContext& ctx) override {
    if (doc.node().IsNull()) return;
    if (!doc.IsMap()) {
      ctx.diag.Error(doc.where(), "threagile model: expected a mapping, found " + doc.Describe());
      return;
    }
    CheckForeignKeys(doc, "threagile model", kTopMapped, kTopIgnored, ctx.diag);
    if (auto inc = doc.Get("includes")) {
      std::vector<core::Provenance> at;
      auto list = inc->StringList("includes", ctx.diag, &at);
      for (size_t i = 0; list && i < list->size(); ++i) {
        auto path = std::filesystem::path(doc.file()).parent_path() / (*list)[i];
        ctx.include(path.lexically_normal().string(), Format::kThreagile, at[i]);
      }
    }
    for (const char* section : {"data_assets", "technical_assets", "trust_boundaries", "shared_runtimes"}) {
      auto map = doc.Get(section);
      if (!map || map->node().IsNull()) continue;
      if (!map->IsMap()) {
        ctx.diag.Error(
            map->where(),
            std::string(section) + ": expected a mapping of titles to entries, found " + map->Describe());
        continue;
      }
      for (const auto& [title, at] : MapKeys(*map))
        sections_[section].push_back({title, at, *map->Get(title)});
    }
  }

  void Finish(ReadContext& ctx) override {
    for (const auto& a : sections_["data_assets"]) DataAsset(a, ctx);
    for (const auto& b : sections_["trust_boundaries"]) Boundary(b, ctx);
    for (const auto& r : sections_["shared_runtimes"]) Runtime(r, ctx);
    for (const auto& t : sections_["technical_assets"]) Asset(t, ctx);
    // A link that carries no data and no credentials makes no edge, so the resolution of edges would not
    // see its target: checked here, against every asset of every included file.
    std::vector<std::string> asset_ids;
    for (const auto& [id, _] : asset_where_) asset_ids.push_back(id);
    for (const auto& [target, at] : edgeless_targets_) {
      if (!asset_where_.count(target)) {
        ctx.diag.Error(at, "communication link target '" + target + "' is no technical asset" +
                               core::DidYouMean(target, asset_ids));
      }
    }
    Hosting(ctx);
  }

 private:
  std::optional<std::string> Id(const Named& n, std::string_view what, ReadContext& ctx,
                                std::map<std::string, core::Provenance>& seen) {
    auto f = n.body.Get("id");
    if (!f) {
      ctx.diag.Error(n.body.where(), std::string(what) + " '" + n.title + "': 'id' is required");
      return std::nullopt;
    }
    auto id = f->String("id", ctx.diag);
    if (!id) return std::nullopt;
    auto [it, inserted] = seen.emplace(*id, f->where());
    if (!inserted) {
      ctx.diag.Error(f->where(), std::string(what) + " id '" + *id + "' is used twice (first at " +
                                     it->second.ToString() + ")");
      return std::nullopt;
    }
    return id;
  }

  std::optional<std::string> OptString(const Field& m, const char* key, ReadContext& ctx) {
    if (auto f = m.Get(key)) return f->String(key, ctx.diag);
    return std::nullopt;
  }

  bool OptBool(const Field& m, const char* key, ReadContext& ctx) {
    if (auto f = m.Get(key)) return f->Boolean(key, ctx.diag).value_or(false);
    return false;
  }

  void DataAsset(const Named& n, ReadContext& ctx) {
    if (!n.body.IsMap()) {
      ctx.diag.Error(n.body.where(),
                     "data asset '" + n.title + "': expected a mapping, found " + n.body.Describe());
      return;
    }
    CheckForeignKeys(n.body, "data asset", kDataAssetKeys, kDataAssetIgnored, ctx.diag);
    auto id = Id(n, "data asset", ctx, data_ids_);
    if (!id) return;
    std::string parent = "data_asset";
    if (auto tags = n.body.Get("tags")) {
      for (const auto& t : tags->StringList("tags", ctx.diag).value_or(std::vector<std::string>{})) {
        if (ctx.taxonomy.Index(t) >= 0) {
          parent = t;
          break;
        }
      }
    }
    std::string segment;
    for (char c : Slug(*id)) segment += (c == '-' || c == '.') ? '_' : c;
    core::Category c;
    c.key = parent + "." + segment;
    c.name = n.title;
    c.description = OptString(n.body, "description", ctx).value_or("");
    c.file = n.body.file();
    c.line = n.title_at.line;
    if (auto f = n.body.Get("confidentiality")) {
      static const std::map<std::string, core::Sensitivity> kLevels = {
          {"public", core::Sensitivity::kPublic},
          {"internal", core::Sensitivity::kInternal},
          {"restricted", core::Sensitivity::kConfidential},
          {"confidential", core::Sensitivity::kRestricted},
          {"strictly-confidential", core::Sensitivity::kRestricted}};
      auto s = f->String("confidentiality", ctx.diag);
      if (s && kLevels.count(*s)) {
        c.declared_sensitivity = kLevels.at(*s);
      } else if (s) {
        ctx.diag.Error(f->where(), "confidentiality '" + *s + "' is not a Threagile level" +
                                       core::DidYouMean(*s, {"public", "internal", "restricted",
                                                             "confidential", "strictly-confidential"}));
      }
    }
    int64_t records = core::kUnknownRecords;
    if (auto f = n.body.Get("quantity")) {
      static const std::map<std::string, int64_t> kQuantities = {
          {"very-few", 10}, {"few", 1000}, {"many", 100000}, {"very-many", 10000000}};
      auto s = f->String("quantity", ctx.diag);
      if (s && kQuantities.count(*s)) {
        records = kQuantities.at(*s);
      } else if (s) {
        ctx.diag.Error(f->where(), "quantity '" + *s + "' is not very-few, few, many or very-many" +
                                       core::DidYouMean(*s, {"very-few", "few", "many", "very-many"}));
      }
    }
    if (parent == "data_asset" && !root_declared_) {
      root_declared_ = true;
      core::Category root;
      root.key = "data_asset";
      root.name = "Threagile data assets";
      root.declared_sensitivity = core::Sensitivity::kInternal;
      root.file = c.file;
      root.line = c.line;
      ctx.out.categories.push_back(root);
      ctx.out.category_at.push_back(n.title_at);
    }
    data_assets_[*id] = {c.key, records};
    ctx.out.categories.push_back(std::move(c));
    ctx.out.category_at.push_back(n.title_at);
  }

  // Data asset ids of a list field, as category keys; unknown ids are errors.
  std::vector<std::string> Assets(const Field& m, const char* key, ReadContext& ctx,
                                  int64_t* records = nullptr) {
    std::vector<std::string> out;
    auto f = m.Get(key);
    if (!f) return out;
    std::vector<core::Provenance> at;
    auto list = f->StringList(key, ctx.diag, &at);
    for (size_t i = 0; list && i < list->size(); ++i) {
      auto it = data_assets_.find((*list)[i]);
      if (it == data_assets_.end()) {
        std::vector<std::string> ids;
        for (const auto& [id, _] : data_assets_) ids.push_back(id);
        ctx.diag.Error(at[i],
                       "'" + (*list)[i] + "' is not a data asset id" + core::DidYouMean((*list)[i], ids));
        continue;
      }
      if (std::find(out.begin(), out.end(), it->second.first) == out.end()) out.push_back(it->second.first);
      if (records) *records = std::max(*records, it->second.second);
    }
    return out;
  }

  void Boundary(const Named& n, ReadContext& ctx) {
    if (!n.body.IsMap()) {
      ctx.diag.Error(n.body.where(), "trust boundary '" + n.title + "': expected a mapping");
      return;
    }
    CheckForeignKeys(n.body, "trust boundary", kBoundaryKeys, {}, ctx.diag);
    auto id = Id(n, "trust boundary", ctx, boundary_ids_);
    if (!id) return;
    auto& b = boundaries_[*id];
    b.title = n.title;
    b.where = n.body.Get("id")->where();
    if (auto f = n.body.Get("type")) {
      b.type = f->String("type", ctx.diag).value_or("");
      if (!b.type.empty() &&
          std::find(kBoundaryTypes.begin(), kBoundaryTypes.end(), b.type) == kBoundaryTypes.end()) {
        ctx.diag.Error(f->where(), "trust boundary type '" + b.type + "' is not a Threagile type" +
                                       core::DidYouMean(b.type, kBoundaryTypes));
      }
    }
    if (auto f = n.body.Get("technical_assets_inside"))
      b.inside = f->StringList("technical_assets_inside", ctx.diag, &b.inside_at).value_or(b.inside);
    if (auto f = n.body.Get("trust_boundaries_nested"))
      b.nested = f->StringList("trust_boundaries_nested", ctx.diag, &b.nested_at).value_or(b.nested);
  }

  void Runtime(const Named& n, ReadContext& ctx) {
    if (!n.body.IsMap()) {
      ctx.diag.Error(n.body.where(), "shared runtime '" + n.title + "': expected a mapping");
      return;
    }
    CheckForeignKeys(n.body, "shared runtime", {"id", "description", "tags", "technical_assets_running"}, {},
                     ctx.diag);
    auto id = Id(n, "shared runtime", ctx, runtime_ids_);
    if (!id) return;
    if (auto f = n.body.Get("technical_assets_running")) {
      std::vector<core::Provenance> at;
      auto list = f->StringList("technical_assets_running", ctx.diag, &at);
      for (size_t i = 0; list && i < list->size(); ++i) runtime_of_[(*list)[i]] = {*id, at[i]};
    }
  }

  void Asset(const Named& n, ReadContext& ctx) {
    if (!n.body.IsMap()) {
      ctx.diag.Error(n.body.where(), "technical asset '" + n.title + "': expected a mapping");
      return;
    }
    CheckForeignKeys(n.body, "technical asset", kAssetKeys, kAssetIgnored, ctx.diag);
    auto id = Id(n, "technical asset", ctx, asset_ids_);
    if (!id) return;
    core::Node node;
    node.id = *id;
    node.name = n.title;
    node.where = n.body.Get("id")->where();
    std::string type = OptString(n.body, "type", ctx).value_or("process");
    if (type != "external-entity" && type != "process" && type != "datastore") {
      ctx.diag.Error(n.body.Get("type")->where(),
                     "technical asset type '" + type +
                         "' is not external-entity, "
                         "process or datastore" +
                         core::DidYouMean(type, {"external-entity", "process", "datastore"}));
    }
    bool human = OptBool(n.body, "used_as_client_by_human", ctx);
    bool out_of_scope = OptBool(n.body, "out_of_scope", ctx);
    std::vector<std::string> tags;
    if (auto f = n.body.Get("tags")) tags = f->StringList("tags", ctx.diag).value_or(tags);
    bool tagged_vendor = std::find(tags.begin(), tags.end(), "vendor") != tags.end() ||
                         std::find(tags.begin(), tags.end(), "third-party") != tags.end();
    bool vendor = tagged_vendor || (type == "external-entity" && !human) || (out_of_scope && !human);
    node.kind = vendor ? core::NodeKind::kVendor : core::NodeKind::kSystem;
    if (!vendor)
      node.attrs["type"] = {type == "datastore" ? "database" : type == "process" ? "service" : "other"};
    node.attrs["threagile_type"] = {type};
    for (const char* key : {"description", "technology", "owner", "size", "justification_out_of_scope"}) {
      if (auto s = OptString(n.body, key, ctx)) node.attrs[key] = {*s};
    }
    if (!tags.empty()) node.attrs["tags"] = core::ToSymbols(tags);
    if (auto f = n.body.Get("technologies")) {  // newer models list several
      node.attrs["technology"] = core::ToSymbols(f->StringList("technologies", ctx.diag).value_or(std::vector<std::string>{}));
    }
    if (out_of_scope) node.attrs["out_of_scope"] = {"true"};
    if (human) node.attrs["used_as_client_by_human"] = {"true"};
    if (runtime_of_.count(*id)) node.attrs["shared_runtime"] = {runtime_of_[*id].first};
    asset_where_[*id] = node.where;
    ctx.out.nodes.push_back(node);

    int64_t records = core::kUnknownRecords;
    auto held = Assets(n.body, "data_assets_stored", ctx, &records);
    for (const auto& k : Assets(n.body, "data_assets_processed", ctx, &records)) {
      if (std::find(held.begin(), held.end(), k) == held.end()) held.push_back(k);
    }
    if (!held.empty()) {
      core::Holding h;
      RefPositions pos;
      h.node = *id;
      h.categories = core::ToSymbols(held);
      h.records = records;
      h.where = node.where;
      pos.to = node.where;
      pos.categories.assign(held.size(), node.where);
      ctx.out.holdings.emplace_back(std::move(h), std::move(pos));
    }
    auto links = n.body.Get("communication_links");
    if (!links || links->node().IsNull()) return;
    if (!links->IsMap()) {
      ctx.diag.Error(links->where(), "communication_links: expected a mapping of titles to links");
      return;
    }
    for (const auto& [title, at] : MapKeys(*links)) Link(*id, node.where, title, *links->Get(title), ctx);
  }

  void Link(const std::string& source, const core::Provenance& source_at, const std::string& title,
            const Field& link, ReadContext& ctx) {
    if (!link.IsMap()) {
      ctx.diag.Error(link.where(), "communication link '" + title + "': expected a mapping");
      return;
    }
    CheckForeignKeys(link, "communication link", kLinkKeys, kLinkIgnored, ctx.diag);
    auto target_field = link.Get("target");
    if (!target_field) {
      ctx.diag.Error(link.where(), "communication link '" + title + "': 'target' is required");
      return;
    }
    auto target = target_field->String("target", ctx.diag);
    if (!target) return;
    std::string protocol = OptString(link, "protocol", ctx).value_or("");
    auto flow = [&](const std::string& from, const core::Provenance& from_at, const std::string& to,
                    const core::Provenance& to_at, const char* key) {
      int64_t records = core::kUnknownRecords;
      auto cats = Assets(link, key, ctx, &records);
      if (cats.empty()) return;
      core::Flow f;
      RefPositions pos;
      f.from = from;
      f.to = to;
      f.categories = core::ToSymbols(cats);
      f.records = records;
      f.transport = protocol;
      f.description = title;
      f.where = link.Get(key)->where();
      pos.from = from_at;
      pos.to = to_at;
      pos.categories.assign(cats.size(), f.where);
      ctx.out.flows.emplace_back(std::move(f), std::move(pos));
    };
    const size_t flows_before = ctx.out.flows.size();
    flow(source, source_at, *target, target_field->where(), "data_assets_sent");
    flow(*target, target_field->where(), source, source_at, "data_assets_received");
    std::string authentication = OptString(link, "authentication", ctx).value_or("none");
    if (authentication == "none" && ctx.out.flows.size() == flows_before) {
      edgeless_targets_.emplace_back(*target, target_field->where());
    }
    if (std::find(kAuthentication.begin(), kAuthentication.end(), authentication) == kAuthentication.end()) {
      ctx.diag.Error(link.Get("authentication")->where(),
                     "authentication '" + authentication + "' is not a Threagile authentication" +
                         core::DidYouMean(authentication, kAuthentication));
      return;
    }
    if (authentication == "none") return;
    // The source holds credentials for the target: whoever controls the source uses them.
    core::Access a;
    RefPositions pos;
    a.from = source;
    a.to = *target;
    std::string usage = OptString(link, "usage", ctx).value_or("business");
    bool readonly = OptBool(link, "readonly", ctx);
    a.privilege = readonly ? core::Privilege::kRead
                  : (usage == "devops" || protocol == "ssh" || protocol == "ssh-tunnel")
                      ? core::Privilege::kAdmin
                      : core::Privilege::kWrite;
    std::string authorization = OptString(link, "authorization", ctx).value_or("none");
    a.mechanism = authentication + (authorization == "none" ? "" : " (" + authorization + ")");
    a.description = title;
    a.where = link.where();
    pos.from = source_at;
    pos.to = target_field->where();
    ctx.out.accesses.emplace_back(std::move(a), std::move(pos));
  }

  // Hoster and cloud-provider trust boundaries are the vendors that run what they contain.
  void Hosting(ReadContext& ctx) {
    std::vector<std::string> asset_ids;
    for (const auto& [id, _] : asset_where_) asset_ids.push_back(id);
    std::vector<std::string> boundary_ids;
    for (const auto& [id, _] : boundaries_) boundary_ids.push_back(id);
    for (auto& [id, b] : boundaries_) {
      for (size_t i = 0; i < b.inside.size(); ++i) {
        if (!asset_where_.count(b.inside[i])) {
          ctx.diag.Error(b.inside_at[i], "'" + b.inside[i] + "' is not a technical asset id" +
                                             core::DidYouMean(b.inside[i], asset_ids));
        }
      }
      for (size_t i = 0; i < b.nested.size(); ++i) {
        if (!boundaries_.count(b.nested[i])) {
          ctx.diag.Error(b.nested_at[i], "'" + b.nested[i] + "' is not a trust boundary id" +
                                             core::DidYouMean(b.nested[i], boundary_ids));
        }
      }
    }
    for (const auto& [id, at] : runtime_of_) {
      if (!asset_where_.count(id)) {
        ctx.diag.Error(at.second,
                       "'" + id + "' is not a technical asset id" + core::DidYouMean(id, asset_ids));
      }
    }
    for (auto& boundary : boundaries_) {
      // Named, not structured bindings: a lambda below uses them (clang 14 cannot capture bindings).
      const std::string& id = boundary.first;
      auto& b = boundary.second;
      if (b.type != "network-cloud-provider" && b.type != "network-dedicated-hoster") continue;
      core::Node vendor;
      vendor.id = id;
      vendor.name = b.title;
      vendor.kind = core::NodeKind::kVendor;
      vendor.where = b.where;
      vendor.attrs["role"] = {"hosting"};
      vendor.attrs["threagile_trust_boundary"] = {b.type};
      ctx.out.nodes.push_back(vendor);
      std::set<std::string> visited;
      std::function<void(const std::string&)> walk = [&](const std::string& bid) {
        if (!visited.insert(bid).second || !boundaries_.count(bid)) return;
        const auto& inner = boundaries_.at(bid);
        for (size_t i = 0; i < inner.inside.size(); ++i) {
          if (!asset_where_.count(inner.inside[i])) continue;
          core::Access a;
          RefPositions pos;
          a.from = id;
          a.to = inner.inside[i];
          a.privilege = core::Privilege::kAdmin;
          a.mechanism = "hosting (" + b.type + ")";
          a.where = inner.inside_at[i];
          pos.from = b.where;
          pos.to = inner.inside_at[i];
          ctx.out.accesses.emplace_back(std::move(a), std::move(pos));
        }
        for (const auto& nested : inner.nested) walk(nested);
      };
      walk(id);
    }
  }

  struct Boundary_ {
    std::string title, type;
    core::Provenance where;
    std::vector<std::string> inside, nested;
    std::vector<core::Provenance> inside_at, nested_at;
  };

  std::map<std::string, std::vector<Named>> sections_;
  std::map<std::string, core::Provenance> data_ids_, asset_ids_, boundary_ids_, runtime_ids_;
  std::map<std::string, std::pair<std::string, int64_t>> data_assets_;  // id -> category key, records
  std::map<std::string, Boundary_> boundaries_;
  std::map<std::string, std::pair<std::string, core::Provenance>> runtime_of_;
  std::vector<std::pair<std::string, core::Provenance>> edgeless_targets_;  // links that made no edge
  std::map<std::string, core::Provenance> asset_where_;
  bool root_declared_ = false;
};

}  // namespace

std::unique_ptr<DocumentReader> NewThreagileReader() { return std::make_unique<ThreagileReader>(); }

}  // namespace blastmap::importers
