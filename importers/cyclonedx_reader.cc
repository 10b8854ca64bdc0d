// The CycloneDX reader (docs/importers/cyclonedx.md): services (1.4-1.6) become systems or, when another
// organisation provides them, vendors; their data[] entries become flows; authenticated services become
// access edges from whoever depends on them.
#include <map>
#include <memory>
#include <set>

#include "core/text.h"
#include "importers/category_names.h"
#include "importers/reader.h"

namespace blastmap::importers {
namespace {

const std::vector<std::string> kTopMapped = {"bomFormat",  "specVersion", "metadata",
                                             "components", "services",    "dependencies"};
const std::vector<std::string> kTopIgnored = {
    "$schema",    "serialNumber", "version",     "compositions", "vulnerabilities", "externalReferences",
    "properties", "annotations",  "formulation", "declarations", "definitions",     "signature"};
const std::vector<std::string> kServiceMapped = {
    "bom-ref",       "provider",         "group",     "name", "version",  "description", "endpoints",
    "authenticated", "x-trust-boundary", "trustZone", "data", "services", "tags"};
const std::vector<std::string> kServiceIgnored = {"licenses", "externalReferences", "releaseNotes",
                                                  "properties", "signature"};
const std::vector<std::string> kFlows = {"inbound", "outbound", "bi-directional", "unknown"};

struct Pending {
  Field data;
  std::string service;
  core::Provenance service_at;
};

class CycloneDxReader : public DocumentReader {
 public:
  void ReadDocument(const Field& doc, ReadContext& ctx) override {
    if (doc.node().IsNull()) return;
    if (!doc.IsMap()) {
      ctx.diag.Error(doc.where(), "CycloneDX BOM: expected an object, found " + doc.Describe());
      return;
    }
    if (!names_) names_ = std::make_unique<CategoryNames>(ctx.taxonomy, ctx.diag);
    CheckForeignKeys(doc, "CycloneDX BOM", kTopMapped, kTopIgnored, ctx.diag);
    // Read as CycloneDX by --format too: a document that is no BOM at all is said so, not read as empty.
    auto format = doc.Get("bomFormat");
    if (!format || format->node().IsNull() || !format->IsScalar() || format->node().Scalar() != "CycloneDX") {
      ctx.diag.Error(format ? format->where() : doc.where(),
                     "CycloneDX BOM: bomFormat must be 'CycloneDX'" +
                         (format ? ", found " + format->Describe() : std::string(", and it is missing")));
      return;
    }
    if (auto v = doc.Get("specVersion")) {
      auto s = v->String("specVersion", ctx.diag);
      if (s && *s != "1.4" && *s != "1.5" && *s != "1.6") {
        ctx.diag.Warning(v->where(), "specVersion " + *s + " is not one of 1.4, 1.5, 1.6; read as 1.6");
      }
    }
    Bom bom;
    if (auto meta = doc.Get("metadata")) Metadata(*meta, bom, ctx);
    if (auto comps = doc.Get("components")) {
      for (const Field& c : comps->Items("components", ctx.diag)) {
        if (!c.IsMap()) {
          ctx.diag.Error(c.where(), "component: expected an object, found " + c.Describe());
          continue;
        }
        if (auto ref = c.Get("bom-ref")) {
          if (auto s = ref->String("bom-ref", ctx.diag)) {
            std::string name;
            if (auto n = c.Get("name")) name = n->String("name", ctx.diag).value_or(*s);
            Declare(*s, ref->where(), ctx);
            bom.components[*s] = {name, ref->where()};
          }
        }
      }
    }
    if (auto services = doc.Get("services")) {
      for (const Field& s : services->Items("services", ctx.diag)) Service(s, "", "", bom, ctx);
    }
    for (const auto& p : bom.pending) DataFlows(p, bom, ctx);
    Dependencies(doc, bom, ctx);
  }

 private:
  struct Bom {
    std::string self;  // metadata.component's node id
    core::Provenance self_at;
    std::set<std::string> our_names;  // our organisation, as supplier or manufacturer
    std::map<std::string, std::pair<std::string, core::Provenance>> components;  // bom-ref -> name, where
    std::set<std::string> nodes;                                                 // node ids of this BOM
    std::map<std::string, core::Provenance> authenticated;                       // service -> where
    std::vector<Pending> pending;
    std::set<std::string> implied;
  };

  void Declare(const std::string& ref, const core::Provenance& at, ReadContext& ctx) {
    auto [it, inserted] = refs_.emplace(ref, at);
    if (!inserted) {
      ctx.diag.Error(at, "bom-ref '" + ref + "' is used twice (first at " + it->second.ToString() + ")");
    }
  }

  void Metadata(const Field& meta, Bom& bom, ReadContext& ctx) {
    for (const char* org : {"supplier", "manufacture", "manufacturer"}) {
      if (auto o = meta.Get(org); o && o->Get("name")) {
        bom.our_names.insert(o->Get("name")->String("name", ctx.diag).value_or(""));
      }
    }
    auto c = meta.Get("component");
    if (!c || !c->IsMap()) return;
    if (auto s = c->Get("supplier"); s && s->Get("name")) {
      bom.our_names.insert(s->Get("name")->String("name", ctx.diag).value_or(""));
    }
    std::string name;
    if (auto n = c->Get("name")) name = n->String("name", ctx.diag).value_or("");
    core::Node node;
    if (auto ref = c->Get("bom-ref")) {
      node.id = ref->String("bom-ref", ctx.diag).value_or("");
      node.where = ref->where();
    } else {
      node.id = Slug(name);
      node.where = c->where();
    }
    if (node.id.empty()) return;
    Declare(node.id, node.where, ctx);
    node.name = name.empty() ? node.id.str() : name;
    node.kind = core::NodeKind::kSystem;
    node.attrs["type"] = {"service"};
    if (auto t = c->Get("type")) node.attrs["cyclonedx_type"] = {t->String("type", ctx.diag).value_or("")};
    bom.self = node.id;
    bom.self_at = node.where;
    bom.nodes.insert(node.id);
    ctx.out.nodes.push_back(std::move(node));
  }

  void Service(const Field& s, const std::string& parent, const std::string& inherited_provider, Bom& bom,
               ReadContext& ctx) {
    if (!s.IsMap()) {
      ctx.diag.Error(s.where(), "service: expected an object, found " + s.Describe());
      return;
    }
    CheckForeignKeys(s, "service", kServiceMapped, kServiceIgnored, ctx.diag);
    std::string name;
    if (auto n = s.Get("name")) name = n->String("name", ctx.diag).value_or("");
    if (name.empty()) ctx.diag.Error(s.where(), "service: 'name' is required");
    core::Node node;
    if (auto ref = s.Get("bom-ref")) {
      node.id = ref->String("bom-ref", ctx.diag).value_or("");
      node.where = ref->where();
    } else {
      node.id = Slug(name);
      node.where = s.Get("name") ? s.Get("name")->where() : s.where();
    }
    if (node.id.empty()) return;
    Declare(node.id, node.where, ctx);
    node.name = name.empty() ? node.id.str() : name;
    std::string provider = inherited_provider;
    if (auto p = s.Get("provider")) {
      CheckForeignKeys(*p, "provider", {"name", "url", "contact"}, {"bom-ref", "address"}, ctx.diag);
      if (auto n = p->Get("name")) provider = n->String("name", ctx.diag).value_or("");
      if (auto u = p->Get("url"))
        node.attrs["url"] = core::ToSymbols(u->StringList("url", ctx.diag).value_or(std::vector<std::string>{}));
      if (auto contacts = p->Get("contact")) {
        for (const Field& c : contacts->Items("contact", ctx.diag)) {
          if (auto e = c.Get("email"))
            node.attrs.Append("contacts", e->String("email", ctx.diag).value_or(""));
        }
      }
    }
    bool vendor = !provider.empty() && !bom.our_names.count(provider);
    node.kind = vendor ? core::NodeKind::kVendor : core::NodeKind::kSystem;
    if (!provider.empty()) node.attrs["provider"] = {provider};
    if (!vendor) node.attrs["type"] = {"service"};
    if (!parent.empty()) node.attrs["part_of"] = {parent};
    for (const char* key : {"group", "version", "description", "trustZone"}) {
      if (auto f = s.Get(key))
        node.attrs[key == std::string("trustZone") ? "trust_zone" : key] = {
            f->String(key, ctx.diag).value_or("")};
    }
    if (auto f = s.Get("endpoints"))
      node.attrs["endpoints"] = core::ToSymbols(f->StringList("endpoints", ctx.diag).value_or(std::vector<std::string>{}));
    if (auto f = s.Get("x-trust-boundary"); f && f->Boolean("x-trust-boundary", ctx.diag).value_or(false)) {
      node.attrs["crosses_trust_boundary"] = {"true"};
    }
    if (auto f = s.Get("authenticated"); f && f->Boolean("authenticated", ctx.diag).value_or(false)) {
      node.attrs["authenticated"] = {"true"};
      bom.authenticated[node.id] = f->where();
    }
    bom.nodes.insert(node.id);
    if (auto d = s.Get("data")) {
      for (const Field& item : d->Items("data", ctx.diag)) bom.pending.push_back({item, node.id, node.where});
    }
    std::string id = node.id;
    ctx.out.nodes.push_back(std::move(node));
    if (auto nested = s.Get("services")) {
      for (const Field& child : nested->Items("services", ctx.diag)) Service(child, id, provider, bom, ctx);
    }
  }

  // The node a data source or destination names; empty when it is an external URL (skipped).
  std::optional<std::string> Endpoint(const std::string& ref, const core::Provenance& at, Bom& bom,
                                      ReadContext& ctx) {
    // A BOM-Link (urn:cdx:serial/version#bom-ref) names a bom-ref; read it as one.
    if (ref.rfind("urn:cdx:", 0) == 0 && ref.find('#') != std::string::npos) {
      return Endpoint(ref.substr(ref.find('#') + 1), at, bom, ctx);
    }
    if (bom.nodes.count(ref)) return ref;
    auto c = bom.components.find(ref);
    if (c != bom.components.end()) {
      if (bom.implied.insert(ref).second) {
        core::Node node;
        node.id = ref;
        node.name = c->second.first;
        node.kind = core::NodeKind::kSystem;
        node.where = c->second.second;
        node.attrs["type"] = {"service"};
        ctx.out.implied_nodes.push_back(node);
      }
      return ref;
    }
    if (ref.find("://") != std::string::npos) {
      ctx.diag.Warning(at, "data flow endpoint '" + ref + "' is a URL, not a bom-ref; skipped");
      return std::string();
    }
    std::vector<std::string> refs(bom.nodes.begin(), bom.nodes.end());
    for (const auto& [r, _] : bom.components) refs.push_back(r);
    ctx.diag.Error(at, "'" + ref + "' is not a bom-ref of this BOM" + core::DidYouMean(ref, refs));
    return std::nullopt;
  }

  void DataFlows(const Pending& p, Bom& bom, ReadContext& ctx) {
    const Field& d = p.data;
    CheckForeignKeys(d, "data", {"flow", "classification", "name", "description", "source", "destination"},
                     {"governance"}, ctx.diag);
    auto flow_field = d.Get("flow");
    auto class_field = d.Get("classification");
    if (!flow_field || !class_field) {
      ctx.diag.Error(d.where(), "data: 'flow' and 'classification' are required");
      return;
    }
    auto direction = flow_field->String("flow", ctx.diag);
    auto classification = class_field->String("classification", ctx.diag);
    if (!direction || !classification) return;
    if (std::find(kFlows.begin(), kFlows.end(), *direction) == kFlows.end()) {
      ctx.diag.Error(flow_field->where(), "flow '" + *direction +
                                              "' is not inbound, outbound, bi-directional or unknown" +
                                              core::DidYouMean(*direction, kFlows));
      return;
    }
    auto category = names_->Find(*classification);
    if (!category) {
      ctx.diag.Error(class_field->where(), "classification '" + *classification + "' names no data category" +
                                               names_->DidYouMean(*classification));
      return;
    }
    if (*direction == "unknown") {
      ctx.diag.Warning(flow_field->where(), "flow direction unknown: read as bi-directional");
    }
    auto ends = [&](const char* key) {
      std::vector<std::pair<std::string, core::Provenance>> out;
      if (auto f = d.Get(key)) {
        std::vector<core::Provenance> at;
        auto list = f->StringList(key, ctx.diag, &at);
        for (size_t i = 0; list && i < list->size(); ++i) {
          auto id = Endpoint((*list)[i], at[i], bom, ctx);
          if (id && !id->empty()) out.emplace_back(*id, at[i]);
        }
        return out;
      }
      if (bom.self.empty()) {
        ctx.diag.Error(d.where(), std::string("data flow of '") + p.service + "' names no " + key +
                                      " and the BOM has no metadata.component to stand for our side");
      } else {
        out.emplace_back(bom.self, bom.self_at);
      }
      return out;
    };
    std::string name;
    if (auto n = d.Get("name")) name = n->String("name", ctx.diag).value_or("");
    auto add = [&](const std::string& from, const core::Provenance& from_at, const std::string& to,
                   const core::Provenance& to_at) {
      if (from == to) return;
      core::Flow f;
      RefPositions pos;
      f.from = from;
      f.to = to;
      f.categories = {*category};
      f.description = name.empty() ? *classification : name;
      f.where = d.where();
      pos.from = from_at;
      pos.to = to_at;
      pos.categories = {class_field->where()};
      ctx.out.flows.emplace_back(std::move(f), std::move(pos));
    };
    bool in = *direction != "outbound", out = *direction != "inbound";
    if (in) {
      for (const auto& [id, at] : ends("source")) add(id, at, p.service, p.service_at);
    }
    if (out) {
      for (const auto& [id, at] : ends("destination")) add(p.service, p.service_at, id, at);
    }
  }

  void Dependencies(const Field& doc, Bom& bom, ReadContext& ctx) {
    std::map<std::string, std::vector<std::pair<std::string, core::Provenance>>> holders;  // service -> refs
    if (auto deps = doc.Get("dependencies")) {
      std::vector<std::string> refs(bom.nodes.begin(), bom.nodes.end());
      for (const auto& [r, _] : bom.components) refs.push_back(r);
      auto known = [&](const std::string& r) { return bom.nodes.count(r) || bom.components.count(r); };
      for (const Field& dep : deps->Items("dependencies", ctx.diag)) {
        CheckForeignKeys(dep, "dependency", {"ref", "dependsOn"}, {"provides"}, ctx.diag);
        auto ref_field = dep.Get("ref");
        if (!ref_field) {
          ctx.diag.Error(dep.where(), "dependency: 'ref' is required");
          continue;
        }
        auto ref = ref_field->String("ref", ctx.diag);
        if (!ref) continue;
        if (!known(*ref)) {
          ctx.diag.Error(ref_field->where(),
                         "'" + *ref + "' is not a bom-ref of this BOM" + core::DidYouMean(*ref, refs));
        }
        auto on = dep.Get("dependsOn");
        if (!on) continue;
        std::vector<core::Provenance> at;
        auto list = on->StringList("dependsOn", ctx.diag, &at);
        for (size_t i = 0; list && i < list->size(); ++i) {
          if (!known((*list)[i])) {
            ctx.diag.Error(at[i], "'" + (*list)[i] + "' is not a bom-ref of this BOM" +
                                      core::DidYouMean((*list)[i], refs));
          } else if (bom.nodes.count(*ref) || bom.implied.count(*ref)) {
            holders[(*list)[i]].emplace_back(*ref, ref_field->where());
          }
        }
      }
    }
    // Who depends on an authenticated service holds its credentials; without dependencies, our component.
    for (const auto& [service, at] : bom.authenticated) {
      auto list = holders[service];
      if (list.empty() && !bom.self.empty()) list.emplace_back(bom.self, bom.self_at);
      for (const auto& [holder, holder_at] : list) {
        if (holder == service) continue;
        core::Access a;
        RefPositions pos;
        a.from = holder;
        a.to = service;
        a.privilege = core::Privilege::kWrite;
        a.mechanism = "credentials for an authenticated service";
        a.where = at;
        pos.from = holder_at;
        pos.to = at;
        ctx.out.accesses.emplace_back(std::move(a), std::move(pos));
      }
    }
  }

  std::unique_ptr<CategoryNames> names_;
  std::map<std::string, core::Provenance> refs_;  // every bom-ref of every BOM read
};

}  // namespace

std::unique_ptr<DocumentReader> NewCycloneDxReader() { return std::make_unique<CycloneDxReader>(); }

}  // namespace blastmap::importers
