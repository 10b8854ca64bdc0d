#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "query/access_path.h"
#include "query/json_values.h"
#include "query/render.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

json Records(int64_t records) { return records < 0 ? json(nullptr) : json(records); }

// Likelihoods are products of declared decimals; round away float noise (0.30000000000000004).
double Round(double x) { return std::round(x * 1e6) / 1e6; }

json Where(const core::Provenance& p) { return {{"file", p.file}, {"line", p.line}}; }

json Attributes(const core::Attributes& attrs) {
  json out = json::object();
  for (const auto& [key, values] : attrs) {
    static const char* kLists[] = {"tags", "data_locations", "certifications", "contacts"};
    bool list = false;
    for (const char* k : kLists) list = list || key == k;
    if (list) {
      out[key] = values;
    } else if (int64_t n = 0;
               (key == "tier" || key == "notice_hours") && !values.empty() &&
               std::from_chars(values.front().data(), values.front().data() + values.front().size(), n).ec ==
                   std::errc()) {
      out[key] = n;
    } else {
      out[key] = values.empty() ? "" : values.front();
    }
  }
  return out;
}

json FlowJson(const core::Flow& f) {
  json j = {{"from", f.from},
            {"to", f.to},
            {"categories", f.forwards_all ? json("*") : json(f.categories)},
            {"subjects", f.subjects},
            {"records", Records(f.records)},
            {"required", f.required}};
  if (!f.purpose.empty()) j["purpose"] = f.purpose;
  if (!f.transport.empty()) j["transport"] = f.transport;
  if (!f.description.empty()) j["description"] = f.description;
  j.update(Where(f.where));
  return j;
}

json AccessJson(const core::Access& a) {
  json j = {{"from", a.from},
            {"to", a.to},
            {"privilege", core::PrivilegeName(a.privilege)},
            {"mechanism", a.mechanism},
            {"likelihood", Round(a.likelihood)}};
  if (!a.description.empty()) j["description"] = a.description;
  j.update(Where(a.where));
  return j;
}

json ObligationJson(const Obligation& o) {
  return {{"rule", o.rule},
          {"regulation", o.regulation},
          {"duty", o.duty},
          {"notify", o.notify},
          {"owed_by", o.owed_by},
          {"deadline_hours", o.deadline_hours ? json(*o.deadline_hours) : json(nullptr)},
          {"deadline", o.deadline},
          {"due", o.due.empty() ? json(nullptr) : json(o.due)},
          {"possible", o.possible},
          {"why",
           {{"triggers", o.triggers},
            {"categories", o.categories},
            {"subjects", o.subjects},
            {"jurisdictions", o.jurisdictions},
            {"records", Records(o.records)},
            {"likelihood", Round(o.likelihood)}}},
          {"applies_if", o.applies_if},
          {"note", o.note},
          {"citation", o.citation},
          {"sources", o.sources},
          {"file", o.where.file},
          {"line", o.where.line}};
}

}  // namespace

nlohmann::ordered_json BlastJsonValue(const BlastResult& r) {
  json out;
  out["snapshot"] = r.snapshot;
  out["at"] = r.at.empty() ? json(nullptr) : json(r.at);
  out["seeds"] = r.seeds;
  out["options"] = {
      {"min_likelihood", r.options.min_likelihood},
      {"max_depth", r.options.max_depth < 0 ? json(nullptr) : json(r.options.max_depth)},
      {"discovered", r.options.discovered.empty() ? json(nullptr) : json(r.options.discovered)}};
  json compromised = json::array();
  for (size_t i = 0; i < r.compromised.size(); ++i) {
    const CompromisedNode& c = r.compromised[i];
    json hops = json::array();
    for (const AccessHop* h : HopsOf(r, i)) {
      json hop = {{"from", h->from},
                  {"to", h->to},
                  {"privilege", core::PrivilegeName(h->privilege)},
                  {"mechanism", h->mechanism},
                  {"likelihood", Round(h->likelihood)}};
      hop.update(Where(h->where));
      hops.push_back(hop);
    }
    compromised.push_back({{"id", c.id()},
                           {"name", c.name()},
                           {"kind", core::NodeKindName(c.kind())},
                           {"likelihood", Round(c.likelihood)},
                           {"via", ViaName(c.via)},
                           {"controlled", c.controlled},
                           {"integrity", c.integrity},
                           {"path", PathOf(r, i)},
                           {"access", hops}});
  }
  out["compromised"] = compromised;
  json exposed = json::array();
  for (const auto& e : r.exposed) {
    json provenance = json::array();
    for (const auto& h : e.provenance) {
      json hop = {
          {"kind", FlowHopKindName(h.kind)}, {"from", h.from}, {"to", h.to}, {"categories", h.categories}};
      hop.update(Where(h.where));
      provenance.push_back(hop);
    }
    exposed.push_back({{"category", e.category},
                       {"name", e.name},
                       {"sensitivity", core::SensitivityName(e.sensitivity)},
                       {"flags", core::ToStrings(e.flags)},
                       {"nodes", HolderIds(r, e)},
                       {"likelihood", Round(e.likelihood)},
                       {"records_max", Records(e.records_max)},
                       {"records_sum", Records(e.records_sum)},
                       {"subjects", core::ToStrings(e.subjects)},
                       {"jurisdictions", core::ToStrings(e.jurisdictions)},
                       {"provenance", provenance}});
  }
  out["exposed"] = exposed;
  json not_exposed = json::array();
  for (const auto& n : r.not_exposed_sensitive) {
    not_exposed.push_back({{"category", n.category()},
                           {"name", n.name()},
                           {"sensitivity", core::SensitivityName(n.sensitivity())},
                           {"flags", n.flags()},
                           {"held_at", n.held_at()}});
  }
  out["not_exposed_sensitive"] = not_exposed;
  out["severity"] = {{"score", r.severity.score},
                     {"level", r.severity.level},
                     {"factors",
                      {{"data", Round(r.severity.data)},
                       {"volume", Round(r.severity.volume)},
                       {"jurisdiction", Round(r.severity.jurisdiction)}}}};
  json obligations = json::array();
  for (const auto& o : r.obligations) obligations.push_back(ObligationJson(o));
  out["obligations"] = obligations;
  out["jurisdictions_without_rules"] = r.jurisdictions_without_rules;
  return out;
}

std::string BlastToJson(const BlastResult& r) { return BlastJsonValue(r).dump(2) + "\n"; }

std::string WhatIfToJson(const WhatIfResult& r) {
  json edits = json::array();
  for (const auto& e : r.overlay.edits) {
    json edit = {{"edit", core::OverlayEditName(e.kind)}};
    if (!e.node.empty()) edit["node"] = e.node;
    if (!e.from.empty()) edit["from"] = e.from;
    if (!e.to.empty()) edit["to"] = e.to;
    if (e.index > 0) edit["index"] = e.index;
    if (!e.category.empty()) edit["category"] = e.category;
    if (!e.replacement.empty()) edit["with"] = e.replacement;
    if (e.kind == core::OverlayEdit::Kind::kSetLikelihood) edit["likelihood"] = Round(e.likelihood);
    if (e.kind == core::OverlayEdit::Kind::kAdd) {
      json ids = json::array();
      for (const auto& n : e.added.nodes) ids.push_back(n.id);
      edit["nodes"] = ids;
      edit["flows"] = e.added.flows.size();
      edit["access"] = e.added.accesses.size();
    }
    edit.update(Where(e.where));
    edits.push_back(edit);
  }
  const BlastDelta& d = r.delta;
  auto severity = [](const SeverityScore& s) { return json{{"score", s.score}, {"level", s.level}}; };
  json delta = {{"categories_added", d.categories_added},
                {"categories_removed", d.categories_removed},
                {"nodes_added", d.nodes_added},
                {"nodes_removed", d.nodes_removed},
                {"severity_before", severity(d.before)},
                {"severity_after", severity(d.after)},
                {"records_before", Records(d.records_before)},
                {"records_after", Records(d.records_after)}};
  json out = {{"overlay", edits},
              {"before", BlastJsonValue(r.before)},
              {"after", BlastJsonValue(r.after)},
              {"delta", delta}};
  return out.dump(2) + "\n";
}

std::string NodeToJson(const NodeDetails& d) {
  json out = {{"id", d.node.id},
              {"name", d.node.name},
              {"kind", core::NodeKindName(d.node.kind)},
              {"attributes", Attributes(d.node.attrs)}};
  out.update(Where(d.node.where));
  auto flows = [](const std::vector<core::Flow>& v) {
    json a = json::array();
    for (const auto& f : v) a.push_back(FlowJson(f));
    return a;
  };
  auto accesses = [](const std::vector<core::Access>& v) {
    json a = json::array();
    for (const auto& x : v) a.push_back(AccessJson(x));
    return a;
  };
  out["flows_in"] = flows(d.flows_in);
  out["flows_out"] = flows(d.flows_out);
  out["access_in"] = accesses(d.access_in);
  out["access_out"] = accesses(d.access_out);
  json stores = json::array();
  for (const auto& h : d.stores) {
    json s = {{"categories", h.categories}, {"subjects", h.subjects}, {"records", Records(h.records)}};
    s.update(Where(h.where));
    stores.push_back(s);
  }
  out["stores"] = stores;
  json held = json::array();
  for (const auto& h : d.held) {
    held.push_back({{"category", h.category},
                    {"sensitivity", core::SensitivityName(h.sensitivity)},
                    {"flags", h.flags},
                    {"stored", h.stored}});
  }
  out["held"] = held;
  return out.dump(2) + "\n";
}

std::string ReplayToJson(const ReplayResult& r) {
  const core::Incident& in = r.incident;
  json sources = json::array();
  for (const auto& s : in.sources) sources.push_back({{"title", s.title}, {"url", s.url}});
  json out;
  out["incident"] = {{"id", in.id},           {"name", in.name},           {"vendor", in.vendor},
                     {"date", in.date},       {"disclosed", in.disclosed}, {"summary", in.summary},
                     {"attack", in.attack},   {"exposed", in.exposed},     {"not_exposed", in.not_exposed},
                     {"victims", in.victims}, {"sources", sources}};
  out["match"] = r.match;
  json seeds = json::array();
  for (const auto& s : r.seeds) seeds.push_back({{"id", s.id}, {"name", s.name}, {"how", s.how}});
  out["seeds"] = seeds;
  json really = json::array();
  for (const auto& c : r.really_exposed) really.push_back({{"category", c.category}, {"here", c.here}});
  out["comparison"] = {
      {"really_exposed", really}, {"beyond", r.beyond}, {"said_not_exposed", r.said_not_exposed}};
  out["brief"] = r.match == "none" ? json(nullptr) : BlastJsonValue(r.brief);
  return out.dump(2) + "\n";
}

std::string ConcentrationToJson(const std::vector<ConcentrationRow>& rows) {
  json out = json::array();
  for (const auto& row : rows) {
    json vendors = json::array();
    for (const auto& v : row.vendors) {
      vendors.push_back({{"id", v.id},
                         {"name", v.name},
                         {"categories", v.categories},
                         {"records", Records(v.records)},
                         {"score", v.score},
                         {"level", v.level}});
    }
    out.push_back({{"id", row.id},
                   {"name", row.name},
                   {"vendor_count", row.vendors.size()},
                   {"score", row.score},
                   {"held", {{"score", row.held.score}, {"level", row.held.level}}},
                   {"categories", row.categories},
                   {"restricted", row.restricted},
                   {"records", Records(row.records)},
                   {"vendors", vendors}});
  }
  return out.dump(2) + "\n";
}

}  // namespace blastmap::query
