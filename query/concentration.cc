#include "query/concentration.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "query/blast_result.h"
#include "query/severity.h"

namespace blastmap::query {
namespace {

// The exposed-category view of the categories `set` (ascending) as held at `node`, at likelihood 1, with the
// records and subjects of their sources: the graph's per-snapshot values of what the node holds
// (Graph::HeldValues, what TraceCategory traces, so no walk and none of a lean graph's flows or holdings); a
// category the node does not hold has no source, so neither.
std::vector<ExposedCategory> AsExposed(const core::Graph& g, uint32_t node, const std::vector<int>& set) {
  std::vector<ExposedCategory> out;
  const core::Taxonomy& t = g.taxonomy();
  const core::CategoryList held = g.Held(node);
  const std::span<const uint32_t> values = g.HeldValues(node);
  size_t k = 0;  // the place in `held` of the first category not below c
  for (int c : set) {
    ExposedCategory e;
    e.entry = &t.at(c);
    e.index = c;
    e.sensitivity = t.at(c).sensitivity;
    e.flags = core::FlagList(t.at(c).flags);
    e.likelihood = 1;
    while (k < held.size() && held.begin()[k] < c) ++k;
    if (k < held.size() && held.begin()[k] == c) {
      e.records_max = g.ValueRecords(values[k]);
      e.subjects = NameSet(g, NameSet::Table::kSubjects, g.ValueSubjects(values[k]));
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<ConcentrationRow> ComputeConcentration(const core::Graph& g, int min_vendors) {
  const core::Model& m = g.resident();
  const core::Taxonomy& t = g.taxonomy();
  std::vector<ConcentrationRow> rows;
  for (uint32_t x = 0; x < g.node_count(); ++x) {
    // What each vendor sends x: all it holds for a "*" flow, else the categories its flows name.
    std::map<uint32_t, std::vector<uint64_t>> sent;
    for (const core::Graph::InFlow& in : g.InFlows(x)) {
      const uint32_t v = in.source;
      if (m.nodes[v].kind != core::NodeKind::kVendor) continue;
      const uint32_t flow = in.flow();
      auto& acc = sent[v];
      acc.resize(g.words(), 0);
      if (in.forwards_all()) {
        g.Held(v).OrInto(acc.data());
      } else {
        g.FlowCategories(flow).OrInto(acc.data());
      }
    }
    if (static_cast<int>(sent.size()) < std::max(min_vendors, 1)) continue;
    ConcentrationRow row;
    row.id = m.nodes[x].id;
    row.name = m.nodes[x].name;
    for (const auto& [v, bits] : sent) {
      std::vector<int> set = core::CategorySetView(bits.data(), bits.size()).Indices();
      ConcentrationVendor cv;
      cv.id = m.nodes[v].id;
      cv.name = m.nodes[v].name;
      cv.categories = static_cast<int>(set.size());
      // Records and subjects are traced at the vendor: what it holds is what it can forward.
      auto exposed = AsExposed(g, v, set);
      for (const auto& e : exposed) cv.records = std::max(cv.records, e.records_max);
      SeverityScore s = ScoreSeverity(exposed, t);
      cv.score = s.score;
      cv.level = s.level;
      row.score += s.score;
      row.vendors.push_back(std::move(cv));
    }
    std::sort(row.vendors.begin(), row.vendors.end(), [](const auto& a, const auto& b) {
      return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
    std::vector<int> held = g.Held(x).Indices();
    auto exposed = AsExposed(g, x, held);
    row.held = ScoreSeverity(exposed, t);
    row.categories = static_cast<int>(held.size());
    for (const auto& e : exposed) {
      row.records = std::max(row.records, e.records_max);
      row.restricted += e.sensitivity == core::Sensitivity::kRestricted;
    }
    row.score = std::round(row.score * 10.0) / 10.0;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.vendors.size() != b.vendors.size()) return a.vendors.size() > b.vendors.size();
    return a.id < b.id;
  });
  return rows;
}

}  // namespace blastmap::query
