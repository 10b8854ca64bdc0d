#include "query/rank_memos.h"

#include <algorithm>
#include <span>
#include <string>

namespace blastmap::query::rank_memos {

// The x86-64 baseline does not assume the popcnt instruction (std::popcount becomes a library call, about 4 %
// of a rank memo build's CPU time at 10^6); every x86-64 CPU of the last fifteen years has it, so it is
// picked at load time where present.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
size_t
Count(const Bits& bits) {
  size_t n = 0;
  for (uint64_t w : bits) n += std::popcount(w);
  return n;
}
namespace {

// A node starts summarising what lies beyond it once it grants pivots into this many nodes, and a group of
// nodes that control each other for certain (likelihood 1 both ways) once it has this many members.
constexpr size_t kHubOutDegree = 8;
constexpr size_t kGroupSize = 8;
// Memoised compromise sets stay within this many bytes, counted as two bitsets of one bit per node each per
// memoised component (what picks the components; they are stored sparse, most in far less: SparseBits).
constexpr size_t kMemoBudgetBytes = size_t{96} << 20;
// SetBuildDelayForTesting's delay, in microseconds.
std::atomic<int64_t> build_delay_us{0};

// The largest records and jurisdiction weight among the sources of what each node holds ("stores" and
// explicit flows into it or its "*"-flow ancestors): the scalars the severity needs from traces.
void TraceScalars(Shared& s) {
  const core::Graph& g = s.g;
  s.default_jurisdiction = g.DefaultJurisdictionWeight();
  // Per interned subject id (Graph::SubjectName), so the loop below looks weights up by index: the most of
  // its jurisdictions' (the graph's table of them).
  std::vector<double>& interned_weight = s.subject_weight;
  interned_weight.assign(g.subject_count(), s.default_jurisdiction);
  for (uint32_t k = 0; k < g.subject_count(); ++k) {
    core::ForEachBit(g.SubjectJurisdictions(k), [&](int b) {
      interned_weight[k] = std::max(interned_weight[k], g.JurisdictionWeight(static_cast<uint32_t>(b)));
    });
  }
  // The graph keeps, per (node, held category), the most records and the subjects of the sources on the
  // node's "*"-flow ancestors (Graph::HeldValues): their maxima over the categories
  // are the node's scalars.
  s.scalars.assign(s.n, {core::kUnknownRecords, s.default_jurisdiction});
  const size_t words = g.subject_words();
  std::vector<uint64_t> subjects(words);
  for (uint32_t v = 0; v < s.n; ++v) {
    Shared::Scalars& scalars = s.scalars[v];
    std::fill(subjects.begin(), subjects.end(), 0);
    for (uint32_t k : g.HeldValues(v)) {
      scalars.records = std::max(scalars.records, g.ValueRecords(k));
      const uint64_t* row = g.ValueSubjects(k).data();
      for (size_t w = 0; w < words; ++w) subjects[w] |= row[w];
    }
    for (size_t word = 0; word < words; ++word) {
      for (uint64_t bits = subjects[word]; bits; bits &= bits - 1) {
        const size_t k = word * 64 + static_cast<size_t>(std::countr_zero(bits));
        scalars.jurisdiction = std::max(scalars.jurisdiction, interned_weight[k]);
      }
    }
  }
}

void CategoryWeights(Shared& s) {
  const core::Taxonomy& t = s.g.taxonomy();
  s.weight.resize(s.categories);
  s.restricted.resize(s.categories);
  for (size_t c = 0; c < s.categories; ++c) {
    s.weight[c] = s.g.CategoryWeight(static_cast<int>(c));  // as ScoreSeverity weighs it
    s.restricted[c] = t.at(static_cast<int>(c)).sensitivity == core::Sensitivity::kRestricted;
  }
}

// A memoised unit: one hub, or a group of nodes controlling each other with likelihood 1 (searched from
// its first member).
struct Unit {
  std::vector<uint32_t> members;  // ascending
  size_t weight = 0;              // a hub's pivot out-degree, a group's size
  bool group = false;
};

// Ends a set memo's build from its sets built dense: `within` ascending without repeats, the counts, the
// sets stored sparse beyond a base: the memo of `within` with the most nodes, if it has no base itself and
// holds half this one's nodes or more.
void Seal(Shared& s, Shared::SetMemo& memo, Bits& controlled, Bits& exposed) {
  std::sort(memo.within.begin(), memo.within.end());
  memo.within.erase(std::unique(memo.within.begin(), memo.within.end()), memo.within.end());
  memo.controlled_count = Count(controlled);
  memo.exposed_count = Count(exposed);
  const Shared::SetMemo* base = nullptr;
  for (uint32_t c : memo.within) {
    const Shared::SetMemo& inner = s.SetMemoOf(c);
    if (inner.built && !inner.base && (!base || inner.exposed_count > base->exposed_count)) base = &inner;
  }
  if (base && 2 * base->exposed_count >= memo.exposed_count) {
    // `within` includes the base's sets; should it not (a bug), the sets are kept whole.
    if (base->controlled_beyond.Within(controlled) && base->exposed_beyond.Within(exposed)) {
      base->controlled_beyond.RemoveFrom(controlled);
      base->exposed_beyond.RemoveFrom(exposed);
      memo.base = base;
    }
  }
  memo.controlled_beyond = SparseBits(controlled);
  memo.exposed_beyond = SparseBits(exposed);
  memo.built = true;
}

// Builds the memo of `unit` from a finished search from its first member (its slots are assigned). The
// caller then makes its members stops for later searches (Shared::ready).
// A memo build's working space: the sets, dense, until they are stored sparse. Kept by each builder thread
// from memo to memo: a pair of new bitsets a memo (2 x 122 KiB at 10^6) would be freed at the heap's top,
// trimmed, and faulted in again by the next.
struct DenseSets {
  Bits controlled, exposed;
  void Clear(size_t words) {
    controlled.assign(words, 0);
    exposed.assign(words, 0);
  }
};

void Memoise(Shared& s, const Unit& unit, const AccessSearch& search, const Summary& summary,
             DenseSets& dense) {
  const uint32_t h = unit.members.front();
  const uint32_t component = s.pivot_component[h];
  Shared::SetMemo& memo = s.set_memos[s.set_slot[component]];
  if (!memo.built) {
    std::vector<uint32_t> inner_components;
    for (uint32_t stop : search.stopped()) inner_components.push_back(s.NodeMemoOf(stop).component);
    std::sort(inner_components.begin(), inner_components.end());
    inner_components.erase(std::unique(inner_components.begin(), inner_components.end()),
                           inner_components.end());
    // The sets are the union of the inner memos' and the search's own nodes. An inner memo that another
    // inner memo includes adds nothing (a hub stopping at the big group and at hubs beyond it): only the
    // others are merged, into dense sets that the search's own nodes are added to, then stored sparse.
    for (uint32_t inner_component : inner_components) {
      const Shared::SetMemo& inner = s.SetMemoOf(inner_component);
      memo.within.push_back(inner_component);
      memo.within.insert(memo.within.end(), inner.within.begin(), inner.within.end());
    }
    std::vector<uint32_t> scratch;
    DropIncluded(s, inner_components, scratch);
    dense.Clear(s.bit_words);
    Bits &controlled = dense.controlled, &exposed = dense.exposed;
    for (uint32_t inner_component : inner_components) {
      const Shared::SetMemo& inner = s.SetMemoOf(inner_component);
      inner.OrControlledInto(controlled);
      inner.OrExposedInto(exposed);
    }
    for (uint32_t v : search.touched()) {
      if (search.at(v).controlled()) Set(controlled, v);
      Set(exposed, v);
    }
    Seal(s, memo, controlled, exposed);
  }
  Shared::NodeMemo& node = s.node_memos[s.node_slot[h]];
  node.categories.reserve(summary.touched_categories.size());
  for (int c : summary.touched_categories) node.categories.emplace_back(c, summary.category_cost[c]);
  std::sort(node.categories.begin(), node.categories.end());
  node.records = summary.records;
  node.jurisdiction = summary.jurisdiction;
  node.component = component;
}

// Builds the memo of group `unit` from the snapshot's brief memo of the same group (everything a search
// from it reaches, with costs, and per category its most likely holder, records and subjects): what
// searching from the group and Memoise would give, without the search.
void MemoiseFromBrief(Shared& s, const Unit& unit, const BriefMemos::Memo& brief, DenseSets& dense) {
  const core::Graph& g = s.g;
  const uint32_t h = unit.members.front();
  const uint32_t component = s.pivot_component[h];
  Shared::SetMemo& memo = s.set_memos[s.set_slot[component]];
  if (!memo.built) {
    dense.Clear(s.bit_words);
    Bits &controlled = dense.controlled, &exposed = dense.exposed;
    for (const BriefMemos::Entry& e : brief.entries) {
      Set(exposed, e.node);
      if (e.controlled_cost == core::kUnreachedCost) continue;
      Set(controlled, e.node);
      // Controlling one node of a pivot component controls all of it and reaches what it reaches.
      const uint32_t inner = s.pivot_component[e.node];
      if (inner != component && s.set_slot[inner] >= 0) memo.within.push_back(inner);
    }
    Seal(s, memo, controlled, exposed);
  }
  Shared::NodeMemo& node = s.node_memos[s.node_slot[h]];
  const BriefMemos::Holdings& held = brief.holdings;
  const size_t words = g.subject_words();
  std::vector<uint64_t> subjects(words, 0);
  node.jurisdiction = s.default_jurisdiction;
  for (size_t c = 0; c < s.categories; ++c) {
    if (held.offsets[c] == held.offsets[c + 1]) continue;
    // The most likely holder comes first.
    node.categories.emplace_back(static_cast<int>(c), brief.order[held.holders[held.offsets[c]]].cost);
    node.records = std::max(node.records, held.records_max[c]);
    for (size_t w = 0; w < words; ++w) subjects[w] |= held.subjects[c * words + w];
  }
  for (size_t w = 0; w < words; ++w) {
    for (uint64_t bits = subjects[w]; bits; bits &= bits - 1) {
      const size_t k = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      node.jurisdiction = std::max(node.jurisdiction, s.subject_weight[k]);
    }
  }
  node.component = component;
}

// Memoises the units: groups of kGroupSize nodes or more that control each other with likelihood 1 (a
// search entering one at any member costs the same beyond it, so one memo serves every member), and the
// hubs (nodes granting pivots into kHubOutDegree nodes or more) outside them. Sinks of the pivot graph
// first, so a unit's search stops at the memos of the units beyond it. Units of one component run in order
// (groups first, biggest first; the later ones stop at the earlier ones); components run in parallel by
// level of the condensation: a component's level is above every component it reaches, so the components of
// one level never reach each other and each level needs only the memos of the levels below it.
// `before_searches` is called once the memos are planned and must leave `threads` workspaces in `searches`.
template <typename BeforeSearches>
void BuildMemos(Shared& s, unsigned threads, SharedRankStats* stats, BeforeSearches&& before_searches,
                std::vector<SearchLease>& searches, const Filler* filler) {
  const core::Graph& g = s.g;
  PivotComponents pivot = FindPivotComponents(g, /*certain_only=*/false);
  // Without brief memos, the likelihood-1 groups are walked within the big pivot components only (a second
  // walk over the whole access graph cost about as much as the first).
  std::vector<std::vector<uint32_t>> groups =
      s.brief ? s.brief->certain_groups() : CertainGroups(g, kGroupSize, pivot);
  const uint32_t count = pivot.count;
  const std::vector<uint32_t>& out_degree = pivot.out_degree;
  // A component's level is above every component it reaches.
  const std::vector<uint32_t>& level = pivot.level;
  s.pivot_component = std::move(pivot.component);
  s.ready.assign(s.n, 0);
  // Units: groups (components of the likelihood-1 pivot graph with kGroupSize members or more), then the
  // hubs outside them.
  std::vector<Unit> units;
  {
    std::vector<uint8_t> grouped(s.n, 0);
    static_assert(kGroupSize == BriefMemos::kGroupMembers, "the brief memos' groups are the ranking's");
    for (auto& group : groups) {
      for (uint32_t v : group) grouped[v] = 1;
      const size_t size = group.size();
      units.push_back({std::move(group), size, true});
    }
    for (uint32_t v = 0; v < s.n; ++v) {
      if (!grouped[v] && out_degree[v] >= kHubOutDegree) units.push_back({{v}, out_degree[v], false});
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
  s.stops.assign(s.n, 0);
  for (const Unit& unit : memoised) {
    for (uint32_t v : unit.members) s.stops[v] = 1;
  }
  s.slot_built = std::make_unique<std::atomic<uint8_t>[]>(s.node_memos.size());
  if (stats) {
    for (const Unit& unit : memoised) {
      stats->groups += unit.group;
      stats->grouped += unit.group ? unit.members.size() : 0;
      stats->hubs += !unit.group;
      stats->from_brief += unit.group && s.brief && s.brief->MemoOf(unit.members.front());
    }
    stats->set_memos = s.set_memos.size();
  }
  auto component_of = [&](size_t k) { return s.pivot_component[memoised[k].members.front()]; };
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
  before_searches();
  // The filler's thread, from here until every memo is built; it runs the rows that need no memo yet. Once
  // its work is over it lends its workspace (`lent`, set with release after `lent_search`): from then on the
  // memos not yet started are built on one thread more, numbered `threads`, which searches in it.
  std::atomic<bool> done{false}, lent{false};
  AccessSearch* lent_search = nullptr;
  std::exception_ptr fill_failed;
  std::thread fill;
  if (filler) {
    fill = std::thread([&, cancel = CurrentCancel()] {
      CancelScope scope(cancel);
      try {
        if (AccessSearch* search = (*filler)(done)) {
          lent_search = search;
          lent.store(true, std::memory_order_release);
        }
      } catch (...) {
        fill_failed = std::current_exception();
      }
    });
  }
  struct Stop {  // ends the filler however the build ends
    std::atomic<bool>& done;
    std::thread& fill;
    ~Stop() {
      done = true;
      if (fill.joinable()) fill.join();
    }
  } stop{done, fill};
  // The threads the memos can be built on now (read on the calling thread, which starts every builder).
  auto width = [&] { return lent.load(std::memory_order_acquire) ? threads + 1 : threads; };
  const unsigned most = filler ? threads + 1 : threads;
  std::vector<Summary> summaries(most);
  std::vector<DenseSets> dense(most);
  std::atomic<size_t> helped{0};
  const std::chrono::microseconds delay{build_delay_us.load()};
  // Builds unit k's memo on thread `worker`; publish(k) then makes its members stops for later searches.
  auto build = [&](unsigned worker, size_t k) {
    CheckCancel();
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (worker >= threads) helped.fetch_add(1, std::memory_order_relaxed);
    const Unit& unit = memoised[k];
    if (const BriefMemos::Memo* brief =
            unit.group && s.brief ? s.brief->MemoOf(unit.members.front()) : nullptr) {
      MemoiseFromBrief(s, unit, *brief, dense[worker]);
      return;
    }
    AccessSearch& search = worker < threads ? *searches[worker] : *lent_search;
    search.Run(g, {unit.members.front()}, BlastOptions{}, &s.ready);
    Summarise(s, search, summaries[worker]);
    Memoise(s, unit, search, summaries[worker], dense[worker]);
  };
  auto publish = [&](size_t k) {
    for (uint32_t v : memoised[k].members) s.ready[v] = 1;
  };
  // The memo of unit k and its component's sets are built (the component's first unit is built before the
  // others, and its thread joined or the same): rows may read them.
  auto built = [&](size_t k) {
    s.slot_built[s.node_slot[memoised[k].members.front()]].store(1, std::memory_order_release);
  };
  // Levels run in order, so a memo's search finds every memo below its level built and published; the
  // components of one level never reach each other, so a thread joining in the middle of a level reads
  // no stop flag the others write.
  for (size_t begin = 0; begin < runs.size();) {
    const uint32_t at = level[component_of(runs[begin].first)];
    size_t end = begin;
    while (end < runs.size() && level[component_of(runs[end].first)] == at) ++end;
    if (end - begin >= most) {
      const unsigned now = width();
      Parallel(
          end - begin, now,
          [&, begin](unsigned worker, size_t i) {
            for (size_t k = runs[begin + i].first; k < runs[begin + i].second; ++k) {
              build(worker, k);
              publish(k);
              built(k);
            }
          },
          now < most ? &lent : nullptr);
    } else {
      // Fewer components than threads at this level (on the bench maps, the big pivot component holding
      // the big group and a few hundred identity hubs, alone at its level): its first unit builds the
      // component's sets alone, then the others are built `threads` at a time and published once their
      // batch is done, so no search reads a stop flag another thread writes. A unit's search does not
      // stop at the units of its own batch, which only makes it longer: the memo is the same.
      for (size_t r = begin; r < end; ++r) {
        const auto [first, last] = runs[r];
        build(0, first);
        publish(first);
        built(first);
        for (size_t k = first + 1; k < last;) {
          const unsigned now = width();
          const size_t batch = std::min<size_t>(now, last - k);
          Parallel(batch, now, [&, k](unsigned worker, size_t i) {
            build(worker, k + i);
            built(k + i);
          });
          for (size_t i = 0; i < batch; ++i) publish(k + i);
          if (stats && batch > 1) stats->batched += batch;
          k += batch;
        }
      }
    }
    begin = end;
  }
  done = true;
  if (fill.joinable()) fill.join();
  if (fill_failed) std::rethrow_exception(fill_failed);
  if (stats) stats->helped = helped.load();
}

}  // namespace

void DropIncluded(const Shared& s, std::vector<uint32_t>& components, std::vector<uint32_t>& scratch) {
  if (components.size() <= 1) return;
  auto inside = [&](uint32_t c) {
    for (uint32_t other : components) {
      if (other == c) continue;
      const auto& within = s.SetMemoOf(other).within;
      if (std::binary_search(within.begin(), within.end(), c)) return true;
    }
    return false;
  };
  scratch.clear();
  for (uint32_t c : components) {
    if (!inside(c)) scratch.push_back(c);
  }
  components.swap(scratch);
}

void Summarise(const Shared& s, const AccessSearch& search, Summary& out) {
  const core::Graph& g = s.g;
  out.Reset(s.categories);
  out.jurisdiction = s.default_jurisdiction;
  // The nodes come in search order, at random in the arrays: each one's held categories, scalars and
  // costs are fetched kAhead nodes before they are read (the loop is bound by those misses). A node
  // holding nothing has the scalars a summary starts from, so they are merged without a test.
  constexpr size_t kAhead = 12;
  const std::vector<uint32_t>& touched = search.touched();
  for (size_t i = 0; i < touched.size(); ++i) {
    if (i + kAhead < touched.size()) {
      const uint32_t ahead = touched[i + kAhead];
      g.PrefetchHeldRow(ahead);
      __builtin_prefetch(&s.scalars[ahead]);
      __builtin_prefetch(search.address(ahead));
    }
    if (i + kAhead / 2 < touched.size()) g.PrefetchHeld(touched[i + kAhead / 2]);  // its row, found above
    const uint32_t v = touched[i];
    const core::LikelihoodCost cost = search.at(v).cost();
    g.Held(v).ForEach([&](int c) { out.Lower(c, cost); });
    out.records = std::max(out.records, s.scalars[v].records);
    out.jurisdiction = std::max(out.jurisdiction, s.scalars[v].jurisdiction);
  }
  if (out.slot_cost.size() != s.node_memos.size())
    out.slot_cost.assign(s.node_memos.size(), core::kUnreachedCost);
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

void SetBuildDelayForTesting(std::chrono::microseconds delay) { build_delay_us = delay.count(); }

void Prepare(Shared& s, unsigned threads, SharedRankStats* stats, const Filler* filler) {
  CategoryWeights(s);
  if (threads <= 1) {
    TraceScalars(s);
    std::vector<SearchLease> searches;
    searches.emplace_back(s.n);
    BuildMemos(
        s, threads, stats, [] {}, searches, nullptr);
    return;
  }
  // With a filler, it takes one thread of the memos' build.
  const unsigned builders = filler ? threads - 1 : threads;
  // The traced scalars are folded on a second thread while the memos are planned (components, units,
  // levels): the memos' searches are the first to need them. The two write different fields of `s`. Each
  // thread then borrows search workspaces (a new one is 33 MB to write, and a one-shot ranking's pool is
  // empty): the second all but one, the calling thread one once the plan is made.
  std::exception_ptr failed;
  std::vector<SearchLease> searches, borrowed;
  searches.reserve(builders);
  borrowed.reserve(builders - 1);
  std::thread sources([&] {
    try {
      TraceScalars(s);
      for (unsigned t = 1; t < builders; ++t) borrowed.emplace_back(s.n);
    } catch (...) {
      failed = std::current_exception();
    }
  });
  bool joined = false;
  auto join = [&] {
    if (joined) return;
    if (searches.empty()) searches.emplace_back(s.n);
    sources.join();
    joined = true;
    if (failed) std::rethrow_exception(failed);
    for (SearchLease& lease : borrowed) searches.push_back(std::move(lease));
  };
  try {
    BuildMemos(s, builders, stats, join, searches, filler);
  } catch (...) {
    if (!joined) sources.join();
    throw;
  }
  join();
}

}  // namespace blastmap::query::rank_memos
