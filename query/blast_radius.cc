#include "query/blast_radius.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <queue>
#include <set>
#include <unordered_map>

#include "query/compromise.h"
#include "query/severity.h"

namespace blastmap::query {
namespace {

// The access path that explains `v`, seed first.
void ExplainAccess(const core::Graph& g, const AccessSearch& reach, uint32_t v, CompromisedNode& out) {
  const auto& accesses = g.model().accesses;
  uint32_t edge =
      reach.at(v).controlled >= reach.at(v).exposed ? reach.at(v).controlled_edge : reach.at(v).exposed_edge;
  std::vector<AccessHop> hops;
  std::set<uint32_t> seen;  // guards against a cycle of equal-likelihood updates
  while (edge != kNone && seen.insert(edge).second) {
    const core::Access& a = accesses[edge];
    hops.push_back({a.from, a.to, a.privilege, a.mechanism, a.likelihood, a.where});
    edge = reach.at(static_cast<uint32_t>(g.Find(a.from))).controlled_edge;
  }
  std::reverse(hops.begin(), hops.end());
  out.path.clear();
  if (!hops.empty()) out.path.push_back(hops.front().from);
  for (const auto& h : hops) out.path.push_back(h.to);
  if (out.path.empty()) out.path.push_back(out.id);
  out.hops = std::move(hops);
}

Via ViaOf(core::Privilege p) {
  switch (p) {
    case core::Privilege::kAdmin: return Via::kAdmin;
    case core::Privilege::kCode: return Via::kCode;
    case core::Privilege::kWrite: return Via::kWrite;
    case core::Privilege::kRead: return Via::kRead;
  }
  return Via::kRead;
}

// One search workspace per thread, sized to the graph queried last: a warm query touches only what it reaches.
AccessSearch& Workspace(uint32_t nodes) {
  thread_local std::unique_ptr<AccessSearch> search;
  thread_local uint32_t size = 0;
  if (!search || size != nodes) {
    search = std::make_unique<AccessSearch>(nodes);
    size = nodes;
  }
  return *search;
}

template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::string_view ViaName(Via via) {
  switch (via) {
    case Via::kSeed: return "seed";
    case Via::kAdmin: return "admin";
    case Via::kCode: return "code";
    case Via::kRead: return "read";
    case Via::kWrite: return "write";
  }
  return "seed";
}

std::string_view FlowHopKindName(FlowHop::Kind kind) {
  switch (kind) {
    case FlowHop::Kind::kStores: return "stores";
    case FlowHop::Kind::kFlow: return "flow";
    case FlowHop::Kind::kForward: return "forward";
  }
  return "flow";
}

CategoryTrace TraceCategory(const core::Graph& g, uint32_t node, int category) {
  const core::Model& m = g.model();
  CategoryTrace trace;
  // Backwards breadth-first search through "*" flows whose source holds the category; a source is a
  // store on a visited node or an explicit flow into one that names the category.
  // Visited nodes and the "*" flow by which we stepped back to each; sparse, as a trace touches few nodes.
  std::unordered_map<uint32_t, uint32_t> via_flow = {{node, kNone}};
  std::deque<uint32_t> queue = {node};
  bool found = false;
  auto forward_path = [&](uint32_t from_node, FlowHop first) {
    std::vector<FlowHop> path = {std::move(first)};
    for (uint32_t v = from_node; via_flow.at(v) != kNone;) {
      const core::Flow& f = m.flows[via_flow.at(v)];
      path.push_back({FlowHop::Kind::kForward, f.from, f.to, {"*"}, f.where});
      v = g.FlowTarget(via_flow.at(v));
    }
    return path;
  };
  auto take = [&](int64_t records, const std::vector<std::string>& subjects) {
    trace.records = std::max(trace.records, records);
    trace.subjects.insert(trace.subjects.end(), subjects.begin(), subjects.end());
  };
  while (!queue.empty()) {
    uint32_t y = queue.front();
    queue.pop_front();
    if (g.Stored(y).Has(category)) {
      for (uint32_t i : g.HoldingsOf(y)) {
        const core::Holding& h = m.holdings[i];
        const std::string& key = m.taxonomy.at(category).key;
        if (std::find(h.categories.begin(), h.categories.end(), key) == h.categories.end()) continue;
        take(h.records, h.subjects);
        if (!found)
          trace.path = forward_path(y, {FlowHop::Kind::kStores, h.node, h.node, h.categories, h.where});
        found = true;
      }
    }
    for (auto e : boost::make_iterator_range(boost::in_edges(y, g.flows()))) {
      uint32_t index = g.flows()[e].index;
      const core::Flow& f = m.flows[index];
      uint32_t u = boost::source(e, g.flows());
      if (f.forwards_all) {
        if (g.Held(u).Has(category) && via_flow.emplace(u, index).second) queue.push_back(u);
      } else if (g.FlowCategories(index).Has(category)) {
        take(f.records, f.subjects);
        if (!found) trace.path = forward_path(y, {FlowHop::Kind::kFlow, f.from, f.to, f.categories, f.where});
        found = true;
      }
    }
  }
  SortUnique(trace.subjects);
  return trace;
}

BlastResult ComputeBlastRadius(const core::Graph& g, const std::vector<uint32_t>& seeds,
                               const BlastOptions& opt) {
  const core::Model& m = g.model();
  const core::Taxonomy& t = m.taxonomy;
  BlastResult result;
  result.options = opt;
  for (uint32_t s : seeds) result.seeds.push_back(m.nodes[s].id);
  AccessSearch& reach = Workspace(g.node_count());
  reach.Run(g, seeds, opt);

  // Exposed nodes, most likely first.
  std::vector<uint32_t> exposed_nodes;
  for (uint32_t v : reach.touched()) {
    if (reach.at(v).reached()) exposed_nodes.push_back(v);
  }
  auto likelihood = [&](uint32_t v) { return reach.at(v).likelihood(); };
  std::sort(exposed_nodes.begin(), exposed_nodes.end(), [&](uint32_t a, uint32_t b) {
    if (likelihood(a) != likelihood(b)) return likelihood(a) > likelihood(b);
    return m.nodes[a].id < m.nodes[b].id;
  });
  for (uint32_t v : exposed_nodes) {
    CompromisedNode c;
    c.id = m.nodes[v].id;
    c.name = m.nodes[v].name;
    c.kind = m.nodes[v].kind;
    c.likelihood = likelihood(v);
    const Reach& r = reach.at(v);
    c.controlled = r.controlled > 0;
    c.integrity = r.integrity || c.controlled;
    bool seed = std::find(seeds.begin(), seeds.end(), v) != seeds.end();
    uint32_t edge = r.controlled >= r.exposed ? r.controlled_edge : r.exposed_edge;
    c.via = seed ? Via::kSeed : ViaOf(m.accesses[edge].privilege);
    ExplainAccess(g, reach, v, c);
    result.compromised.push_back(std::move(c));
  }

  // Exposure: the union of held() over exposed nodes.
  const size_t words = g.words();
  std::vector<uint64_t> exposed_bits(words, 0);
  for (uint32_t v : exposed_nodes) {
    auto held = g.Held(v).words();
    for (size_t w = 0; w < words; ++w) exposed_bits[w] |= held[w];
  }
  core::CategorySetView exposed_set(exposed_bits.data(), words);
  std::vector<int> exposed_categories = exposed_set.Indices();
  for (int c : exposed_categories) {
    const core::Category& cat = t.at(c);
    ExposedCategory e;
    e.category = cat.key;
    e.name = cat.name;
    e.sensitivity = cat.sensitivity;
    e.flags = core::FlagNames(cat.flags);
    int64_t records_max = core::kUnknownRecords, records_sum = core::kUnknownRecords;
    for (uint32_t v : exposed_nodes) {  // most likely first, so nodes.front() is the most likely holder
      if (!g.Held(v).Has(c)) continue;
      e.nodes.push_back(m.nodes[v].id);
      e.likelihood = std::max(e.likelihood, likelihood(v));
      CategoryTrace trace = TraceCategory(g, v, c);
      if (e.provenance.empty()) e.provenance = std::move(trace.path);
      if (trace.records >= 0) {
        records_max = std::max(records_max, trace.records);
        records_sum = std::max<int64_t>(records_sum, 0) + trace.records;
      }
      e.subjects.insert(e.subjects.end(), trace.subjects.begin(), trace.subjects.end());
    }
    e.records_max = records_max;
    e.records_sum = records_sum;
    SortUnique(e.subjects);
    for (const auto& s : e.subjects) {
      if (const core::Subject* subject = m.FindSubject(s)) {
        e.jurisdictions.insert(e.jurisdictions.end(), subject->jurisdictions.begin(),
                               subject->jurisdictions.end());
      }
    }
    SortUnique(e.jurisdictions);
    result.exposed.push_back(std::move(e));
  }
  std::stable_sort(result.exposed.begin(), result.exposed.end(), [](const auto& a, const auto& b) {
    if (a.sensitivity != b.sensitivity) return a.sensitivity > b.sensitivity;
    if (a.likelihood != b.likelihood) return a.likelihood > b.likelihood;
    return a.category < b.category;
  });

  // Reassurance: sensitive categories held anywhere that are not exposed, nor related to an exposed one.
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    const core::Category& cat = t.at(c);
    if (g.SampleHolders(c).empty() || cat.sensitivity < core::Sensitivity::kConfidential) continue;
    bool related = std::any_of(exposed_categories.begin(), exposed_categories.end(),
                               [&](int e) { return t.Related(e, c); });
    if (related) continue;
    result.not_exposed_sensitive.push_back(
        {cat.key, cat.name, cat.sensitivity, core::FlagNames(cat.flags), {}});
    for (uint32_t v : g.SampleHolders(c))
      result.not_exposed_sensitive.back().held_at.push_back(m.nodes[v].id);
  }
  std::stable_sort(result.not_exposed_sensitive.begin(), result.not_exposed_sensitive.end(),
                   [](const auto& a, const auto& b) { return a.sensitivity > b.sensitivity; });
  result.severity = ScoreSeverity(result.exposed, t);
  return result;
}

}  // namespace blastmap::query
