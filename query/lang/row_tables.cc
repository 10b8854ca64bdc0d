// The row tables of the query language's sources (docs/query-language.md): a blast brief as categories or
// nodes, a ranking, who holds or exposes a category, the map's nodes and categories.
#include "query/lang/row_tables.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "query/access_path.h"
#include "query/blast_radius.h"
#include "query/cancel.h"
#include "query/provenance.h"
#include "query/subprocessor_depth.h"
#include "query/text_table.h"

namespace blastmap::query::lang {
namespace {

Value Sens(core::Sensitivity s) {
  return Value::Text(std::string(core::SensitivityName(s)), Value::Scale::kSensitivity);
}

// The keys of a category set (a core::CategorySetView or core::CategoryList), in index order.
template <typename Set>
std::vector<std::string> CategoryKeys(const core::Taxonomy& t, const Set& set) {
  std::vector<std::string> out;
  for (int c : set.Indices()) out.push_back(t.at(c).key);
  return out;
}

}  // namespace

Table BlastCategories(const BlastResult& r) {
  Table t;
  t.columns = {"category", "name",  "sensitivity", "flags",         "likelihood",
               "records",  "nodes", "subjects",    "jurisdictions", "via"};
  for (const auto& e : r.exposed) {
    std::vector<std::string> via;
    for (const auto& step : e.provenance) {
      const HopText hop = ReadHop(*r.source, step);
      if (via.empty()) via.push_back(hop.from);
      if (hop.to != via.back()) via.push_back(hop.to);
    }
    t.rows.push_back({Value::Text(e.category()), Value::Text(e.name()), Sens(e.sensitivity),
                      Value::List(core::ToStrings(e.flags)), Value::Number(e.likelihood),
                      Value::Count(e.records_max), Value::List(HolderIds(r, e)),
                      Value::List(e.subjects.strings()), Value::List(e.jurisdictions().strings()),
                      Value::Text(Join(via, " -> "))});
  }
  return t;
}

Table BlastNodes(const BlastResult& r) {
  Table t;
  t.columns = {"id", "name", "kind", "likelihood", "via", "controlled", "integrity", "path"};
  for (size_t i = 0; i < r.compromised.size(); ++i) {
    const CompromisedNode& c = r.compromised[i];
    t.rows.push_back({Value::Text(c.id()), Value::Text(std::string(c.name())),
                      Value::Text(std::string(core::NodeKindName(c.kind()))), Value::Number(c.likelihood),
                      Value::Text(std::string(ViaName(c.via))), Value::Text(c.controlled ? "true" : "false"),
                      Value::Text(c.integrity ? "true" : "false"), Value::Text(Join(PathOf(r, i), " -> "))});
  }
  return t;
}

void BlastSummary(const BlastResult& r, Table& t) {
  t.summary = {{"seeds", Join(r.seeds, ", ")},
               {"severity", Number(r.severity.score) + " (" + r.severity.level + ")"},
               {"compromised", std::to_string(r.compromised.size()) + " nodes"},
               {"exposed", std::to_string(r.exposed.size()) + " categories"}};
}

Table RankTable(const RankResult& r) {
  Table t;
  t.columns = {"rank",          "id",         "name",       "kind",   "severity", "level", "controlled",
               "exposed_nodes", "categories", "restricted", "records"};
  size_t rank = 0;
  for (const auto& row : r.rows) {
    t.rows.push_back({Value::Number(static_cast<double>(++rank)), Value::Text(row.id),
                      Value::Text(row.name.str()), Value::Text(std::string(core::NodeKindName(row.kind))),
                      Value::Number(std::round(row.severity.score * 10) / 10),
                      Value::Text(std::string(row.severity.level), Value::Scale::kLevel),
                      Value::Number(static_cast<double>(row.controlled)),
                      Value::Number(static_cast<double>(row.exposed_nodes)),
                      Value::Number(static_cast<double>(row.categories)),
                      Value::Number(static_cast<double>(row.restricted)), Value::Count(row.records)});
  }
  return t;
}

Table HoldersTable(const WhoHoldsResult& r) {
  Table t;
  t.columns = {"id", "name", "kind", "categories", "stored"};
  for (const auto& h : r.holders) {
    t.rows.push_back({Value::Text(h.id), Value::Text(h.name),
                      Value::Text(std::string(core::NodeKindName(h.kind))), Value::List(h.categories),
                      Value::Text(h.stored ? "true" : "false")});
  }
  return t;
}

Table ExposersTable(const WhoHoldsResult& r) {
  Table t;
  t.columns = {"id", "name", "likelihood", "via"};
  for (const auto& v : r.exposed_by) {
    t.rows.push_back({Value::Text(v.id), Value::Text(v.name), Value::Number(v.likelihood),
                      Value::List(core::ToStrings(v.via))});
  }
  return t;
}

Table NodeTable(const core::Graph& g, std::optional<core::NodeKind> kind, bool with_blast) {
  const core::Taxonomy& tax = g.taxonomy();
  Table t;
  t.columns = {"id", "name", "kind"};
  std::set<std::string> attr_keys = {"role", "country",  "data_locations", "certifications", "dpa",
                                     "tier", "contacts", "notice_hours",   "owner",          "description",
                                     "url"};
  for (const auto& n : g.resident().nodes) {
    for (const auto& [k, v] : n.attrs) attr_keys.insert(k);
  }
  static const std::set<std::string> kComputed = {
      "held",  "stores",   "sensitivity", "categories", "flows_in", "flows_out", "sends_to",  "receives_from",
      "depth", "accesses", "accessed_by", "severity",   "level",    "exposed",   "controlled"};
  for (const auto& k : attr_keys) {
    if (!kComputed.count(k) && k != "id" && k != "name" && k != "kind") t.columns.push_back(k);
  }
  size_t first_computed = t.columns.size();
  t.columns.insert(t.columns.end(), {"held", "stores", "sensitivity", "categories", "flows_in", "flows_out",
                                     "sends_to", "receives_from", "depth", "accesses", "accessed_by"});
  if (with_blast) t.columns.insert(t.columns.end(), {"severity", "level", "exposed", "controlled"});
  std::vector<int> depth = SubprocessorDepths(g);
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    CheckCancel();
    const core::Node& n = g.node(v);
    if (kind && n.kind != *kind) continue;
    std::vector<Value> row = {Value::Text(n.id), Value::Text(n.name.str()),
                              Value::Text(std::string(core::NodeKindName(n.kind)))};
    for (size_t c = 3; c < first_computed; ++c) {
      auto it = n.attrs.find(t.columns[c]);
      if (it == n.attrs.end() || it->second.empty()) {
        row.push_back(Value::Null());
      } else if (it->second.size() == 1 && t.columns[c] != "data_locations" &&
                 t.columns[c] != "certifications" && t.columns[c] != "contacts") {
        row.push_back(Value::Text(it->second.front()));
      } else {
        row.push_back(Value::List(core::ToStrings(it->second)));
      }
    }
    auto held = g.Held(v);
    std::vector<int> held_idx = held.Indices();
    Value sensitivity = Value::Null();
    int worst = -1;
    for (int c : held_idx) worst = std::max(worst, static_cast<int>(tax.at(c).sensitivity));
    if (worst >= 0) sensitivity = Sens(static_cast<core::Sensitivity>(worst));
    std::set<std::string> sends, receives, accesses, accessed_by;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.flows()))) {
      sends.insert(g.node(static_cast<uint32_t>(boost::target(e, g.flows()))).id);
    }
    for (const core::Graph::InFlow& in : g.InFlows(v)) receives.insert(g.node(in.source).id);
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
      accesses.insert(g.node(static_cast<uint32_t>(boost::target(e, g.access()))).id);
    }
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g.access()))) {
      accessed_by.insert(g.node(static_cast<uint32_t>(boost::source(e, g.access()))).id);
    }
    row.push_back(Value::List(CategoryKeys(tax, held)));
    row.push_back(Value::List(CategoryKeys(tax, g.Stored(v))));
    row.push_back(sensitivity);
    row.push_back(Value::Number(static_cast<double>(held_idx.size())));
    row.push_back(Value::Number(static_cast<double>(g.InFlows(v).size())));
    row.push_back(Value::Number(static_cast<double>(boost::out_degree(v, g.flows()))));
    row.push_back(Value::List({sends.begin(), sends.end()}));
    row.push_back(Value::List({receives.begin(), receives.end()}));
    row.push_back(depth[v] < 0 ? Value::Null() : Value::Number(depth[v]));
    row.push_back(Value::List({accesses.begin(), accesses.end()}));
    row.push_back(Value::List({accessed_by.begin(), accessed_by.end()}));
    if (with_blast) {
      BlastResult b = ComputeBlastRadius(g, {v}, {});
      size_t controlled = 0;
      for (const auto& c : b.compromised) controlled += c.controlled;
      row.push_back(Value::Number(std::round(b.severity.score * 10) / 10));
      row.push_back(Value::Text(b.severity.level, Value::Scale::kLevel));
      row.push_back(Value::Number(static_cast<double>(b.exposed.size())));
      row.push_back(Value::Number(static_cast<double>(controlled)));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table CategoryTable(const core::Taxonomy& tax, const std::vector<int>& categories) {
  Table t;
  t.columns = {"category", "name", "sensitivity", "flags", "tags"};
  for (int c : categories) {
    const core::Category& cat = tax.at(c);
    t.rows.push_back({Value::Text(cat.key), Value::Text(cat.name), Sens(cat.sensitivity),
                      Value::List(core::FlagNames(cat.flags)), Value::List(cat.tags)});
  }
  return t;
}

}  // namespace blastmap::query::lang
