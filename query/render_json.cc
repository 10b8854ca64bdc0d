#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "query/access_path.h"
#include "query/json_values.h"
#include "query/render.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

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
            {"records", RecordsJson(f.records)},
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
            {"likelihood", RoundLikelihood(a.likelihood)}};
  if (!a.description.empty()) j["description"] = a.description;
  j.update(Where(a.where));
  return j;
}

void WriteWhatIf(JsonWriter& w, const WhatIfResult& r, size_t max_nodes) {
  json edits = json::array();
  for (const auto& e : r.overlay.edits) {
    json edit = {{"edit", core::OverlayEditName(e.kind)}};
    if (!e.node.empty()) edit["node"] = e.node;
    if (!e.from.empty()) edit["from"] = e.from;
    if (!e.to.empty()) edit["to"] = e.to;
    if (e.index > 0) edit["index"] = e.index;
    if (!e.category.empty()) edit["category"] = e.category;
    if (!e.replacement.empty()) edit["with"] = e.replacement;
    if (e.kind == core::OverlayEdit::Kind::kSetLikelihood) edit["likelihood"] = RoundLikelihood(e.likelihood);
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
                {"records_before", RecordsJson(d.records_before)},
                {"records_after", RecordsJson(d.records_after)}};
  w.BeginObject();
  w.Key("overlay");
  w.Value(edits);
  w.Key("before");
  WriteBlastJson(w, r.before, max_nodes);
  w.Key("after");
  WriteBlastJson(w, r.after, max_nodes);
  w.Key("delta");
  w.Value(delta);
  w.EndObject();
}

}  // namespace

std::string WhatIfToJson(const WhatIfResult& r, size_t max_nodes) {
  return IndentedJson([&](JsonWriter& w) { WriteWhatIf(w, r, max_nodes); });
}

void WriteWhatIfJson(const WhatIfResult& r, size_t max_nodes,
                     const std::function<void(std::string_view)>& sink) {
  IndentedJson(sink, [&](JsonWriter& w) { WriteWhatIf(w, r, max_nodes); });
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
    json s = {{"categories", h.categories}, {"subjects", h.subjects}, {"records", RecordsJson(h.records)}};
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

std::string ReplayToJson(const ReplayResult& r, size_t max_nodes) {
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
  return IndentedJson([&](JsonWriter& w) {
    w.BeginObject();
    w.Value(out, /*members_only=*/true);
    w.Key("brief");
    if (r.match == "none") {
      w.Null();
    } else {
      WriteBlastJson(w, r.brief, max_nodes);
    }
    w.EndObject();
  });
}

std::string ConcentrationToJson(const std::vector<ConcentrationRow>& rows) {
  json out = json::array();
  for (const auto& row : rows) {
    json vendors = json::array();
    for (const auto& v : row.vendors) {
      vendors.push_back({{"id", v.id},
                         {"name", v.name},
                         {"categories", v.categories},
                         {"records", RecordsJson(v.records)},
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
                   {"records", RecordsJson(row.records)},
                   {"vendors", vendors}});
  }
  return out.dump(2) + "\n";
}

}  // namespace blastmap::query
