// The simple reference blast radius (the implementation before the fast paths, kept verbatim in
// spirit): a fresh search vector per query and one backwards trace per exposed (node, category). The
// differential tests hold ComputeBlastRadius to it.
#pragma once

#include <algorithm>
#include <set>

#include "query/blast_radius.h"
#include "query/compromise.h"
#include "query/severity.h"

namespace blastmap::query::reference {

// A compromised node's access path in full: node ids and access edges, seed first (the brief keeps only
// its last edge; query/access_path.h rebuilds the rest).
struct FullPath {
  std::vector<std::string> path;
  std::vector<AccessHop> hops;
};

// The access path that explains `v`, seed first.
inline FullPath ExplainAccess(const core::Graph& g, const std::vector<Reach>& reach, uint32_t v) {
  const auto& accesses = g.model().accesses;
  uint32_t edge =
      reach[v].controlled_cost <= reach[v].exposed_cost ? reach[v].controlled_edge : reach[v].exposed_edge;
  std::vector<AccessHop> hops;
  std::set<uint32_t> seen;  // guards against a cycle of equal-likelihood updates
  while (edge != kNone && seen.insert(edge).second) {
    const core::Access& a = accesses[edge];
    hops.push_back(a);
    edge = reach[g.Find(a.from)].controlled_edge;
  }
  std::reverse(hops.begin(), hops.end());
  FullPath out;
  if (!hops.empty()) out.path.push_back(hops.front().from);
  for (const auto& h : hops) out.path.push_back(h.to);
  if (out.path.empty()) out.path.push_back(g.model().nodes[v].id);
  out.hops = std::move(hops);
  return out;
}

inline Via ViaOf(core::Privilege p) {
  switch (p) {
    case core::Privilege::kAdmin: return Via::kAdmin;
    case core::Privilege::kCode: return Via::kCode;
    case core::Privilege::kWrite: return Via::kWrite;
    case core::Privilege::kRead: return Via::kRead;
  }
  return Via::kRead;
}

template <typename T>
inline void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// The brief without its compact access paths (hop/parent left empty); the full path of compromised[i] goes
// to (*paths)[i].
inline BlastResult ReferenceBlastRadius(const core::Graph& g, const std::vector<uint32_t>& seeds,
                                        const BlastOptions& opt, std::vector<FullPath>* paths = nullptr) {
  const core::Model& m = g.model();
  const core::Taxonomy& t = m.taxonomy;
  BlastResult result;
  result.source = &g;
  result.options = opt;
  for (uint32_t s : seeds) result.seeds.push_back(m.nodes[s].id);
  std::vector<Reach> reach = SearchAccess(g, seeds, opt);

  // Exposed nodes, most likely first.
  std::vector<uint32_t> exposed_nodes;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    if (reach[v].reached()) exposed_nodes.push_back(v);
  }
  auto likelihood = [&](uint32_t v) { return reach[v].likelihood(); };
  std::sort(exposed_nodes.begin(), exposed_nodes.end(), [&](uint32_t a, uint32_t b) {
    if (likelihood(a) != likelihood(b)) return likelihood(a) > likelihood(b);
    return m.nodes[a].id < m.nodes[b].id;
  });
  for (uint32_t v : exposed_nodes) {
    CompromisedNode c;
    c.node = &m.nodes[v];
    c.likelihood = likelihood(v);
    c.controlled = reach[v].controlled();
    c.integrity = reach[v].integrity || c.controlled;
    bool seed = std::find(seeds.begin(), seeds.end(), v) != seeds.end();
    uint32_t edge =
        reach[v].controlled_cost <= reach[v].exposed_cost ? reach[v].controlled_edge : reach[v].exposed_edge;
    c.via = seed ? Via::kSeed : ViaOf(m.accesses[edge].privilege);
    if (paths) paths->push_back(ExplainAccess(g, reach, v));
    result.compromised.push_back(std::move(c));
  }

  // Exposure: the union of held() over exposed nodes.
  const size_t words = g.words();
  std::vector<uint64_t> exposed_bits(words, 0);
  for (uint32_t v : exposed_nodes) {
    g.Held(v).OrInto(exposed_bits.data());
  }
  core::CategorySetView exposed_set(exposed_bits.data(), words);
  std::vector<int> exposed_categories = exposed_set.Indices();
  for (int c : exposed_categories) {
    const core::Category& cat = t.at(c);
    ExposedCategory e;
    e.entry = &cat;
    e.index = c;
    e.sensitivity = cat.sensitivity;
    e.flags = core::FlagList(cat.flags);
    std::vector<std::string> subjects, jurisdictions;
    int64_t records_max = core::kUnknownRecords, records_sum = core::kUnknownRecords;
    for (size_t i = 0; i < exposed_nodes.size();
         ++i) {  // most likely first: the first holder is the likeliest
      const uint32_t v = exposed_nodes[i];
      if (!g.Held(v).Has(c)) continue;
      e.holders.push_back(static_cast<int32_t>(i));
      e.likelihood = std::max(e.likelihood, likelihood(v));
      CategoryTrace trace = TraceCategory(g, v, c);
      if (e.provenance.empty()) e.provenance = std::move(trace.path);
      if (trace.records >= 0) {
        records_max = std::max(records_max, trace.records);
        records_sum = std::max<int64_t>(records_sum, 0) + trace.records;
      }
      subjects.insert(subjects.end(), trace.subjects.begin(), trace.subjects.end());
    }
    e.records_max = records_max;
    e.records_sum = records_sum;
    SortUnique(subjects);
    for (const auto& s : subjects) {
      if (const core::Subject* subject = m.FindSubject(s))
        jurisdictions.insert(jurisdictions.end(), subject->jurisdictions.begin(),
                             subject->jurisdictions.end());
    }
    SortUnique(jurisdictions);
    // The brief holds subjects as bits over the graph's subjects, and derives their jurisdictions: both
    // checked against the names traced and declared here.
    e.subjects = NameSet::Of(g, NameSet::Table::kSubjects, core::ToSymbols(subjects));
    CHECK(e.subjects.strings() == subjects);
    CHECK(e.jurisdictions().strings() == jurisdictions);
    result.exposed.push_back(std::move(e));
  }
  std::stable_sort(result.exposed.begin(), result.exposed.end(), [](const auto& a, const auto& b) {
    if (a.sensitivity != b.sensitivity) return a.sensitivity > b.sensitivity;
    if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
    return a.category() < b.category();
  });

  // Reassurance: sensitive categories held anywhere that are not exposed, nor related to an exposed one.
  std::vector<NotExposedCategory> not_exposed;
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    const core::Category& cat = t.at(c);
    if (g.SampleHolders(c).empty() || cat.sensitivity < core::Sensitivity::kConfidential) continue;
    bool related = std::any_of(exposed_categories.begin(), exposed_categories.end(),
                               [&](int e) { return t.Related(e, c); });
    if (related) continue;
    not_exposed.push_back({&cat, m.nodes.data(), g.SampleHolders(c)});
  }
  std::stable_sort(not_exposed.begin(), not_exposed.end(),
                   [](const auto& a, const auto& b) { return a.sensitivity() > b.sensitivity(); });
  result.not_exposed_sensitive = NotExposedList(std::move(not_exposed));
  result.severity = ScoreSeverity(result.exposed, t);
  return result;
}

}  // namespace blastmap::query::reference
