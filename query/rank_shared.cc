#include "query/rank_shared.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <exception>
#include <boost/graph/strong_components.hpp>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "query/cancel.h"
#include "query/compromise.h"

namespace blastmap::query {
namespace {

using Bits = std::vector<uint64_t>;
using SimpleCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                     boost::no_property, uint32_t, uint32_t>;

// A node starts summarising what lies beyond it once it grants pivots into this many nodes, and a group of
// nodes that control each other for certain (likelihood 1 both ways) once it has this many members.
constexpr size_t kHubOutDegree = 8;
constexpr size_t kGroupSize = 8;
// Memoised compromise sets (two bitsets of one bit per node each) stay within this many bytes.
constexpr size_t kMemoBudgetBytes = size_t{96} << 20;

double Lookup(const std::map<std::string, double>& weights, const std::string& key, double fallback) {
  auto it = weights.find(key);
  return it == weights.end() ? fallback : it->second;
}

bool Test(const Bits& bits, uint32_t v) { return (bits[v >> 6] >> (v & 63)) & 1u; }
void Set(Bits& bits, uint32_t v) { bits[v >> 6] |= uint64_t{1} << (v & 63); }
size_t Count(const Bits& bits) {
  size_t n = 0;
  for (uint64_t w : bits) n += std::popcount(w);
  return n;
}

// Strongly connected components of `edges` over `n` nodes; components numbered sinks first.
std::vector<uint32_t> Components(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
                                 uint32_t& count) {
  SimpleCsr graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
  std::vector<uint32_t> component(n);
  count = boost::strong_components(
      graph, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, graph)));
  return component;
}

// What is shared by every candidate of one snapshot.
struct Shared {
  const core::Graph& g;
  uint32_t n;
  size_t categories;
  size_t bit_words;                      // words of a node bitset
  std::vector<int64_t> max_records;      // max over held categories of the traced records (kUnknownRecords)
  std::vector<double> max_jurisdiction;  // largest jurisdiction weight of the traced subjects
  double default_jurisdiction = 1;
  std::vector<double> weight;  // per category, as ScoreSeverity weighs it
  std::vector<uint8_t> restricted;
  std::vector<uint8_t> ready;  // node has a memo (a stop for the search)
  // Memo of a pivot-graph component: compromise sets and the scalar summaries beyond it.
  struct SetMemo {
    Bits controlled, exposed;
    size_t controlled_count = 0, exposed_count = 0;
    // The components whose memo sets this one includes (the hubs its search stopped at, and theirs),
    // ascending: a union with one of them adds nothing.
    std::vector<uint32_t> within;
    bool built = false;
  };
  std::vector<uint32_t> pivot_component;
  // Memo of a hub node, or of a group of nodes that control each other with likelihood 1 (from any member
  // every node beyond costs the same): the cost of each category from it, the traced scalars, and its
  // pivot component (whose sets it reaches).
  struct NodeMemo {
    std::vector<std::pair<int, core::LikelihoodCost>> categories;  // exposed categories, ascending, with costs
    int64_t records = core::kUnknownRecords;
    double jurisdiction = 0;
    uint32_t component = 0;
  };
  // Slots are assigned before the memos are built (BuildMemos), so building them in parallel never
  // inserts into a shared container: -1 where a node or component has none. Every member of a group has
  // the group's slot.
  std::vector<int32_t> node_slot, set_slot;
  std::vector<NodeMemo> node_memos;
  std::vector<SetMemo> set_memos;
  const NodeMemo& NodeMemoOf(uint32_t h) const { return node_memos[node_slot[h]]; }
  const SetMemo& SetMemoOf(uint32_t component) const { return set_memos[set_slot[component]]; }

  explicit Shared(const core::Graph& graph)
      : g(graph), n(graph.node_count()), categories(graph.taxonomy().size()), bit_words((n + 63) / 64) {}
};

// records and jurisdictions of the sources of each node ("stores" and explicit flows into it), carried
// along "*" flows to every node that holds what they brought: the scalars the severity needs from traces.
void PropagateSources(Shared& s) {
  const core::Graph& g = s.g;
  const core::Model& m = g.model();
  const core::SeverityWeights& w = m.taxonomy.severity();
  s.default_jurisdiction = Lookup(w.jurisdictions, "default", 1.0);
  std::unordered_map<std::string_view, double> subject_weight;
  for (const auto& subject : m.subjects) {
    double best = s.default_jurisdiction;
    for (const auto& j : subject.jurisdictions)
      best = std::max(best, Lookup(w.jurisdictions, j, s.default_jurisdiction));
    subject_weight.emplace(subject.id, best);
  }
  auto weight_of = [&](const std::vector<std::string>& subjects) {
    double best = s.default_jurisdiction;
    for (const auto& id : subjects) {
      auto it = subject_weight.find(id);
      if (it != subject_weight.end()) best = std::max(best, it->second);
    }
    return best;
  };
  s.max_records.assign(s.n, core::kUnknownRecords);
  s.max_jurisdiction.assign(s.n, s.default_jurisdiction);
  for (uint32_t v = 0; v < s.n; ++v) {
    for (uint32_t i : g.HoldingsOf(v)) {
      const core::Holding& h = m.holdings[i];
      if (h.categories.empty()) continue;
      s.max_records[v] = std::max(s.max_records[v], h.records);
      s.max_jurisdiction[v] = std::max(s.max_jurisdiction[v], weight_of(h.subjects));
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> star;
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    const core::Flow& f = m.flows[i];
    if (f.forwards_all) {
      star.emplace_back(g.FlowSource(i), g.FlowTarget(i));
    } else if (!f.categories.empty()) {
      uint32_t v = g.FlowTarget(i);
      s.max_records[v] = std::max(s.max_records[v], f.records);
      s.max_jurisdiction[v] = std::max(s.max_jurisdiction[v], weight_of(f.subjects));
    }
  }
  uint32_t count = 0;
  std::vector<uint32_t> component = Components(s.n, star, count);
  std::vector<int64_t> comp_records(count, core::kUnknownRecords);
  std::vector<double> comp_jurisdiction(count, s.default_jurisdiction);
  for (uint32_t v = 0; v < s.n; ++v) {
    comp_records[component[v]] = std::max(comp_records[component[v]], s.max_records[v]);
    comp_jurisdiction[component[v]] = std::max(comp_jurisdiction[component[v]], s.max_jurisdiction[v]);
  }
  std::vector<std::vector<uint32_t>> preds(count);
  for (const auto& [u, x] : star) {
    if (component[u] != component[x]) preds[component[x]].push_back(component[u]);
  }
  for (uint32_t c = count; c-- > 0;) {  // sources before their targets
    for (uint32_t p : preds[c]) {
      comp_records[c] = std::max(comp_records[c], comp_records[p]);
      comp_jurisdiction[c] = std::max(comp_jurisdiction[c], comp_jurisdiction[p]);
    }
  }
  for (uint32_t v = 0; v < s.n; ++v) {
    s.max_records[v] = comp_records[component[v]];
    s.max_jurisdiction[v] = comp_jurisdiction[component[v]];
  }
}

void CategoryWeights(Shared& s) {
  const core::Taxonomy& t = s.g.taxonomy();
  const core::SeverityWeights& w = t.severity();
  s.weight.resize(s.categories);
  s.restricted.resize(s.categories);
  for (size_t c = 0; c < s.categories; ++c) {
    const core::Category& cat = t.at(static_cast<int>(c));
    double weight = Lookup(w.sensitivity, std::string(core::SensitivityName(cat.sensitivity)), 0);
    for (const auto& flag : core::FlagNames(cat.flags)) weight += Lookup(w.flags, flag, 0);
    s.weight[c] = weight;
    s.restricted[c] = cat.sensitivity == core::Sensitivity::kRestricted;
  }
}

// What one search (a candidate's, or a hub's) exposes beyond the sets: per-category costs (the most
// likely holder's) and the traced scalars, merged from the nodes it reached and the memos it stopped at.
struct Summary {
  std::vector<core::LikelihoodCost> category_cost;
  std::vector<int> touched_categories;
  int64_t records = core::kUnknownRecords;
  double jurisdiction = 0;
  // The cheapest stop per memo slot (a search may stop at many members of one group).
  std::vector<core::LikelihoodCost> slot_cost;
  std::vector<int32_t> slots;

  void Reset(size_t categories) {
    if (category_cost.size() != categories) category_cost.assign(categories, core::kUnreachedCost);
    for (int c : touched_categories) category_cost[c] = core::kUnreachedCost;
    touched_categories.clear();
    records = core::kUnknownRecords;
    jurisdiction = 0;
  }
  void Lower(int c, core::LikelihoodCost cost) {
    if (category_cost[c] == core::kUnreachedCost) touched_categories.push_back(c);
    if (cost < category_cost[c]) category_cost[c] = cost;
  }
};

void Summarise(const Shared& s, const AccessSearch& search, Summary& out) {
  const core::Graph& g = s.g;
  out.Reset(s.categories);
  out.jurisdiction = s.default_jurisdiction;
  for (uint32_t v : search.touched()) {
    const core::LikelihoodCost cost = search.at(v).cost();
    auto held = g.Held(v).words();
    bool any = false;
    for (size_t w = 0; w < held.size(); ++w) {
      for (uint64_t bits = held[w]; bits; bits &= bits - 1) {
        out.Lower(static_cast<int>(w * 64 + std::countr_zero(bits)), cost);
        any = true;
      }
    }
    if (any) {
      out.records = std::max(out.records, s.max_records[v]);
      out.jurisdiction = std::max(out.jurisdiction, s.max_jurisdiction[v]);
    }
  }
  if (out.slot_cost.size() != s.node_memos.size()) out.slot_cost.assign(s.node_memos.size(), core::kUnreachedCost);
  for (uint32_t h : search.stopped()) {
    const int32_t slot = s.node_slot[h];
    if (out.slot_cost[slot] == core::kUnreachedCost) out.slots.push_back(slot);
    out.slot_cost[slot] = std::min(out.slot_cost[slot], search.at(h).controlled_cost);
  }
  for (int32_t slot : out.slots) {
    const Shared::NodeMemo& memo = s.node_memos[slot];
    // Costs add exactly (core/likelihood.h): the cheapest way to a category through h is h's own cost
    // plus the memo's cheapest way from h, whatever h's cost is; from a group, the cheapest member's.
    const core::LikelihoodCost at = out.slot_cost[slot];
    for (const auto& [c, cost] : memo.categories) out.Lower(c, core::AddCost(at, cost));
    out.records = std::max(out.records, memo.records);
    out.jurisdiction = std::max(out.jurisdiction, memo.jurisdiction);
    out.slot_cost[slot] = core::kUnreachedCost;
  }
  out.slots.clear();
}

// The severity exactly as ScoreSeverity computes it over the brief's exposed list (same order of sums).
SeverityScore Score(const Shared& s, const Summary& summary, size_t& restricted) {
  const core::Taxonomy& t = s.g.taxonomy();
  const core::SeverityWeights& w = t.severity();
  std::vector<int> order = summary.touched_categories;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    auto sa = t.at(a).sensitivity, sb = t.at(b).sensitivity;
    if (sa != sb) return sa > sb;
    core::LikelihoodCost ca = summary.category_cost[a], cb = summary.category_cost[b];
    if (ca != cb) return ca < cb;
    return a < b;
  });
  SeverityScore score;
  double peak = 0, total = 0;
  restricted = 0;
  for (int c : order) {
    double weighted = s.weight[c] * core::LikelihoodOf(summary.category_cost[c]);
    peak = std::max(peak, weighted);
    total += weighted;
    restricted += s.restricted[c];
  }
  const int64_t records = std::max<int64_t>(summary.records, 0);
  // With nothing exposed the brief has no jurisdiction either: the default stays.
  const double jurisdiction = order.empty() ? s.default_jurisdiction : summary.jurisdiction;
  score.data = peak + w.breadth * (total - peak);
  score.volume = 1.0 + w.volume_per_decade * std::log10(1.0 + static_cast<double>(records));
  score.jurisdiction = jurisdiction;
  score.score = std::round(score.data * score.volume * score.jurisdiction * 10.0) / 10.0;
  score.level = score.score >= w.critical ? "critical"
                : score.score >= w.high   ? "high"
                : score.score >= w.medium ? "medium"
                                          : "low";
  return score;
}

// Builds the memo of hub `h` from a finished search from it (its slots are assigned).
// A memoised unit: one hub, or a group of nodes controlling each other with likelihood 1 (searched from
// its first member).
struct Unit {
  std::vector<uint32_t> members;  // ascending
  size_t weight = 0;              // a hub's pivot out-degree, a group's size
  bool group = false;
};

// Builds the memo of `unit` from a finished search from its first member (its slots are assigned).
void Memoise(Shared& s, const Unit& unit, const AccessSearch& search, const Summary& summary) {
  const uint32_t h = unit.members.front();
  const uint32_t component = s.pivot_component[h];
  Shared::SetMemo& memo = s.set_memos[s.set_slot[component]];
  if (!memo.built) {
    memo.controlled.assign(s.bit_words, 0);
    memo.exposed.assign(s.bit_words, 0);
    for (uint32_t v : search.touched()) {
      if (search.at(v).controlled()) Set(memo.controlled, v);
      Set(memo.exposed, v);
    }
    std::vector<uint32_t> inner_components;
    for (uint32_t stop : search.stopped()) inner_components.push_back(s.NodeMemoOf(stop).component);
    std::sort(inner_components.begin(), inner_components.end());
    inner_components.erase(std::unique(inner_components.begin(), inner_components.end()), inner_components.end());
    for (uint32_t inner_component : inner_components) {
      const Shared::SetMemo& inner = s.SetMemoOf(inner_component);
      for (size_t w = 0; w < s.bit_words; ++w) {
        memo.controlled[w] |= inner.controlled[w];
        memo.exposed[w] |= inner.exposed[w];
      }
      memo.within.push_back(inner_component);
      memo.within.insert(memo.within.end(), inner.within.begin(), inner.within.end());
    }
    std::sort(memo.within.begin(), memo.within.end());
    memo.within.erase(std::unique(memo.within.begin(), memo.within.end()), memo.within.end());
    memo.controlled_count = Count(memo.controlled);
    memo.exposed_count = Count(memo.exposed);
    memo.built = true;
  }
  Shared::NodeMemo& node = s.node_memos[s.node_slot[h]];
  node.categories.reserve(summary.touched_categories.size());
  for (int c : summary.touched_categories) node.categories.emplace_back(c, summary.category_cost[c]);
  std::sort(node.categories.begin(), node.categories.end());
  node.records = summary.records;
  node.jurisdiction = summary.jurisdiction;
  node.component = component;
  for (uint32_t v : unit.members) s.ready[v] = 1;
}

// Runs `work(worker, i)` for i in [0, count) on up to `threads` threads (worker < threads names the
// thread, for its scratch space) under the caller's Cancel; the first exception (a Cancelled) stops the
// others and is rethrown here.
template <typename Work>
void Parallel(size_t count, unsigned threads, Work&& work) {
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) work(0u, i);
    return;
  }
  std::atomic<size_t> next{0};
  const Cancel* cancel = CurrentCancel();
  std::exception_ptr failed;
  std::mutex failed_mu;
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      CancelScope scope(cancel);
      try {
        for (size_t i; (i = next.fetch_add(1)) < count;) work(t, i);
      } catch (...) {
        next = count;
        std::lock_guard lock(failed_mu);
        if (!failed) failed = std::current_exception();
      }
    });
  }
  for (auto& w : workers) w.join();
  if (failed) std::rethrow_exception(failed);
}

// Memoises the units: groups of kGroupSize nodes or more that control each other with likelihood 1 (a
// search entering one at any member costs the same beyond it, so one memo serves every member), and the
// hubs (nodes granting pivots into kHubOutDegree nodes or more) outside them. Sinks of the pivot graph
// first, so a unit's search stops at the memos of the units beyond it. Units of one component run in order
// (groups first, biggest first; the later ones stop at the earlier ones); components run in parallel by
// level of the condensation: a component's level is above every component it reaches, so the components of
// one level never reach each other and each level needs only the memos of the levels below it.
void BuildMemos(Shared& s, unsigned threads, SharedRankStats* stats) {
  const core::Graph& g = s.g;
  std::vector<std::pair<uint32_t, uint32_t>> pivots, certain;
  std::vector<uint32_t> out_degree(s.n, 0);
  for (uint32_t u = 0; u < s.n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.access()))) {
      const uint32_t index = g.access()[e].index;
      if (!core::Pivots(g.AccessPrivilege(index))) continue;
      pivots.emplace_back(u, boost::target(e, g.access()));
      if (g.AccessCost(index) == 0) certain.emplace_back(u, boost::target(e, g.access()));
      ++out_degree[u];
    }
  }
  uint32_t count = 0;
  s.pivot_component = Components(s.n, pivots, count);
  s.ready.assign(s.n, 0);
  // Units: groups (components of the likelihood-1 pivot graph with kGroupSize members or more), then the
  // hubs outside them.
  std::vector<Unit> units;
  {
    uint32_t certain_count = 0;
    std::vector<uint32_t> certain_component = Components(s.n, certain, certain_count);
    std::vector<uint32_t> size(certain_count, 0);
    for (uint32_t v = 0; v < s.n; ++v) ++size[certain_component[v]];
    std::vector<int32_t> group_of(certain_count, -1);
    for (uint32_t v = 0; v < s.n; ++v) {
      const uint32_t c = certain_component[v];
      if (size[c] >= kGroupSize) {
        if (group_of[c] < 0) {
          group_of[c] = static_cast<int32_t>(units.size());
          units.push_back({{}, size[c], true});
        }
        units[group_of[c]].members.push_back(v);
      } else if (out_degree[v] >= kHubOutDegree) {
        units.push_back({{v}, out_degree[v], false});
      }
    }
  }
  // By component; within one, groups first and the biggest first (the later units stop at the earlier).
  std::sort(units.begin(), units.end(), [&](const Unit& a, const Unit& b) {
    const uint32_t ca = s.pivot_component[a.members.front()], cb = s.pivot_component[b.members.front()];
    if (ca != cb) return ca < cb;
    if (a.group != b.group) return a.group;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.members.front() < b.members.front();
  });
  // The memory budget goes to the components of the heaviest units first (an identity hub's sso fan-out, a
  // big group); a unit whose component gets none is not memoised and searches pass through it.
  s.set_slot.assign(count, -1);
  s.node_slot.assign(s.n, -1);
  {
    std::vector<size_t> by_weight(units.size());
    for (size_t i = 0; i < units.size(); ++i) by_weight[i] = i;
    std::stable_sort(by_weight.begin(), by_weight.end(),
                     [&](size_t a, size_t b) { return units[a].weight > units[b].weight; });
    size_t budget = kMemoBudgetBytes;
    const size_t bytes = 2 * s.bit_words * sizeof(uint64_t);
    for (size_t i : by_weight) {
      const uint32_t c = s.pivot_component[units[i].members.front()];
      if (s.set_slot[c] >= 0 || bytes > budget) continue;
      budget -= bytes;
      s.set_slot[c] = 0;  // numbered below, in build order
    }
  }
  std::vector<Unit> memoised;
  for (Unit& unit : units) {
    const uint32_t c = s.pivot_component[unit.members.front()];
    if (s.set_slot[c] < 0) continue;
    if (s.set_memos.empty() || memoised.empty() || s.pivot_component[memoised.back().members.front()] != c) {
      s.set_slot[c] = static_cast<int32_t>(s.set_memos.size());
      s.set_memos.emplace_back();
    }
    for (uint32_t v : unit.members) s.node_slot[v] = static_cast<int32_t>(s.node_memos.size());
    s.node_memos.emplace_back();
    memoised.push_back(std::move(unit));
  }
  if (stats) {
    for (const Unit& unit : memoised) {
      stats->groups += unit.group;
      stats->grouped += unit.group ? unit.members.size() : 0;
      stats->hubs += !unit.group;
    }
    stats->set_memos = s.set_memos.size();
  }
  auto component_of = [&](size_t k) { return s.pivot_component[memoised[k].members.front()]; };
  // Levels of the condensation: Tarjan numbers every component after the components it reaches.
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (const auto& [u, v] : pivots) {
    if (s.pivot_component[u] != s.pivot_component[v]) links.emplace_back(s.pivot_component[u], s.pivot_component[v]);
  }
  std::sort(links.begin(), links.end());
  std::vector<uint32_t> level(count, 0);
  for (const auto& [from, to] : links) level[from] = std::max(level[from], level[to] + 1);
  // Runs of `memoised` (already sorted by component): one per component, grouped by level.
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < memoised.size();) {
    size_t j = i;
    while (j < memoised.size() && component_of(j) == component_of(i)) ++j;
    runs.emplace_back(i, j);
    i = j;
  }
  std::stable_sort(runs.begin(), runs.end(), [&](const auto& a, const auto& b) {
    return level[component_of(a.first)] < level[component_of(b.first)];
  });
  std::vector<AccessSearch> searches;
  for (unsigned t = 0; t < threads; ++t) searches.emplace_back(s.n);
  std::vector<Summary> summaries(threads);
  for (size_t begin = 0; begin < runs.size();) {
    const uint32_t at = level[component_of(runs[begin].first)];
    size_t end = begin;
    while (end < runs.size() && level[component_of(runs[end].first)] == at) ++end;
    Parallel(end - begin, threads, [&, begin](unsigned worker, size_t i) {
      AccessSearch& search = searches[worker];
      Summary& summary = summaries[worker];
      for (size_t k = runs[begin + i].first; k < runs[begin + i].second; ++k) {
        CheckCancel();
        search.Run(g, {memoised[k].members.front()}, BlastOptions{}, &s.ready);
        Summarise(s, search, summary);
        Memoise(s, memoised[k], search, summary);
      }
    });
    begin = end;
  }
}

// The scratch space of one ranking thread: a search workspace and a cache of memo union counts, reused for
// every candidate the thread ranks.
struct Ranker {
  explicit Ranker(uint32_t nodes) : search(nodes) {}
  AccessSearch search;
  Summary summary;
  Bits scratch;
  std::map<std::vector<uint32_t>, std::pair<size_t, size_t>> union_counts;
  std::vector<uint32_t> key, reduced, sorted;
  std::vector<const Shared::SetMemo*> hits;
};

// Fills a candidate's row from its summary and node counts.
void Finish(const Shared& s, const Summary& summary, size_t controlled, size_t exposed, RankRow& row) {
  row.controlled = controlled;
  row.exposed_nodes = exposed;
  row.categories = summary.touched_categories.size();
  row.severity = Score(s, summary, row.restricted);
  row.records = summary.touched_categories.empty() ? core::kUnknownRecords : summary.records;
}

// Computes rows for candidates[begin, end) into rows.
void RankRange(const Shared& s, const std::vector<uint32_t>& candidates, size_t begin, size_t end,
               std::vector<RankRow>& rows, Ranker& r) {
  const core::Graph& g = s.g;
  AccessSearch& search = r.search;
  Summary& summary = r.summary;
  Bits& scratch = r.scratch;
  auto& union_counts = r.union_counts;
  std::vector<uint32_t>& key = r.key;
  std::vector<const Shared::SetMemo*>& hits = r.hits;
  for (size_t i = begin; i < end; ++i) {
    CheckCancel();
    const uint32_t v = candidates[i];
    RankRow& row = rows[i];
    const core::Node& node = g.node(v);
    row.id = node.id;
    row.name = node.name;
    row.kind = node.kind;
    if (s.node_slot[v] >= 0) {
      // A memoised hub or group member: its memo is its own search (a member reaches the group's first
      // member at cost 0), and its component's sets are everything it reaches.
      const Shared::NodeMemo& memo = s.NodeMemoOf(v);
      const Shared::SetMemo& sets = s.SetMemoOf(memo.component);
      summary.Reset(s.categories);
      for (const auto& [c, cost] : memo.categories) summary.Lower(c, cost);
      summary.records = memo.records;
      summary.jurisdiction = memo.jurisdiction;
      Finish(s, summary, sets.controlled_count, sets.exposed_count, row);
      continue;
    }
    search.Run(g, {v}, BlastOptions{}, &s.ready);
    Summarise(s, search, summary);
    key.clear();
    hits.clear();
    for (uint32_t h : search.stopped()) key.push_back(s.NodeMemoOf(h).component);
    std::sort(key.begin(), key.end());
    key.erase(std::unique(key.begin(), key.end()), key.end());
    // A memo whose sets another memo of the key includes adds nothing to the union: most vendors that stop
    // at several hubs stop at one hub and at hubs beyond it, and their union is then one memo's counts.
    if (key.size() > 1) {
      auto inside = [&](uint32_t c) {
        for (uint32_t other : key) {
          if (other == c) continue;
          const auto& within = s.SetMemoOf(other).within;
          if (std::binary_search(within.begin(), within.end(), c)) return true;
        }
        return false;
      };
      r.reduced.clear();
      for (uint32_t c : key) {
        if (!inside(c)) r.reduced.push_back(c);
      }
      key.swap(r.reduced);
    }
    size_t controlled = 0, exposed = 0;
    if (!key.empty()) {
      for (uint32_t c : key) hits.push_back(&s.SetMemoOf(c));
      auto cached = union_counts.find(key);
      if (cached == union_counts.end()) {
        std::pair<size_t, size_t> counts;
        if (hits.size() == 1) {
          counts = {hits[0]->controlled_count, hits[0]->exposed_count};
        } else {
          scratch.assign(s.bit_words, 0);
          for (const auto* m : hits) {
            for (size_t w = 0; w < s.bit_words; ++w) scratch[w] |= m->controlled[w];
          }
          counts.first = Count(scratch);
          scratch.assign(s.bit_words, 0);
          for (const auto* m : hits) {
            for (size_t w = 0; w < s.bit_words; ++w) scratch[w] |= m->exposed[w];
          }
          counts.second = Count(scratch);
        }
        cached = union_counts.emplace(key, counts).first;
      }
      controlled = cached->second.first;
      exposed = cached->second.second;
    }
    // Nodes outside the memos are counted by testing the memos' bitsets: in index order when there are
    // many, so the tests walk the bitsets forwards instead of missing the cache at random.
    const std::vector<uint32_t>* touched = &search.touched();
    if (!hits.empty() && touched->size() > 4096) {
      r.sorted.assign(touched->begin(), touched->end());
      std::sort(r.sorted.begin(), r.sorted.end());
      touched = &r.sorted;
    }
    for (uint32_t x : *touched) {
      bool in_controlled = false, in_exposed = false;
      for (const auto* m : hits) {
        in_controlled = in_controlled || Test(m->controlled, x);
        in_exposed = in_exposed || Test(m->exposed, x);
      }
      if (search.at(x).controlled() && !in_controlled) ++controlled;
      if (!in_exposed) ++exposed;
    }
    Finish(s, summary, controlled, exposed, row);
  }
}

}  // namespace

std::vector<RankRow> SharedRankRows(const core::Graph& g, const std::vector<uint32_t>& candidates,
                                    unsigned threads, SharedRankStats* stats) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  Shared shared(g);
  PropagateSources(shared);
  CategoryWeights(shared);
  BuildMemos(shared, threads, stats);
  std::vector<RankRow> rows(candidates.size());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, candidates.size() / 256)));
  std::vector<Ranker> rankers;
  for (unsigned t = 0; t < threads; ++t) rankers.emplace_back(shared.n);
  // Interleaved blocks even out the hubs, which cluster by index in many maps.
  const size_t block = threads <= 1 ? std::max<size_t>(1, candidates.size())
                                    : std::max<size_t>(64, candidates.size() / (threads * 16));
  Parallel((candidates.size() + block - 1) / block, threads, [&](unsigned worker, size_t i) {
    RankRange(shared, candidates, i * block, std::min(candidates.size(), (i + 1) * block), rows, rankers[worker]);
  });
  return rows;
}

}  // namespace blastmap::query
