#include "query/brief_memo.h"

#include <algorithm>
#include <bit>
#include <chrono>

#include "query/blast_radius.h"
#include "query/cancel.h"

namespace blastmap::query {

void BriefMemos::Hold(const core::Graph& g, Memo& memo) {
  const size_t categories = g.taxonomy().size(), words = g.subject_words();
  Holdings& h = memo.holdings;
  h.offsets.assign(categories + 1, 0);
  for (const Ordered& o : memo.order) g.Held(o.node).ForEach([&](int c) { ++h.offsets[c + 1]; });
  for (size_t c = 0; c < categories; ++c) h.offsets[c + 1] += h.offsets[c];
  h.holders.resize(h.offsets[categories]);
  h.records_max.assign(categories, core::kUnknownRecords);
  h.records_sum.assign(categories, core::kUnknownRecords);
  h.subjects.assign(categories * words, 0);
  std::vector<uint32_t> next(h.offsets.begin(), h.offsets.end() - 1);
  for (uint32_t j = 0; j < memo.order.size(); ++j) {
    const uint32_t v = memo.order[j].node;
    const uint32_t* value = g.HeldValues(v).data();
    g.Held(v).ForEach([&](int c) {
      h.holders[next[c]++] = j;
      const int64_t r = g.ValueRecords(*value);
      if (r >= 0) {
        h.records_max[c] = std::max(h.records_max[c], r);
        h.records_sum[c] = std::max<int64_t>(h.records_sum[c], 0) + r;
      }
      const uint64_t* subjects = g.ValueSubjects(*value++).data();
      for (size_t w = 0; w < words; ++w) h.subjects[c * words + w] |= subjects[w];
    });
  }
}

size_t BriefMemos::entries() const {
  size_t n = 0;
  for (const Memo& memo : memos_) n += memo.entries.size();
  return n;
}

BriefMemos BriefMemos::Build(const core::Graph& g, size_t min_reach, size_t max_entries) {
  const auto start = std::chrono::steady_clock::now();
  BriefMemos out;
  out.certain_groups_ = CertainGroups(g, kGroupMembers);
  if (out.certain_groups_.empty()) return out;
  std::vector<std::vector<uint32_t>> groups = out.certain_groups_;
  // Biggest first; each later group's search is itself composed from the memos built before it (a group
  // reaching the big one stops there), so the build costs about one search through each region.
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  out.group_of_.assign(g.node_count(), -1);
  out.stop_.assign(g.node_count(), 0);
  SearchLease lease(g.node_count());
  AccessSearch& search = *lease;
  size_t total = 0;
  for (auto& members : groups) {
    if (!out.Run(g, search, {members.front()}, BlastOptions{}))
      search.Run(g, {members.front()}, BlastOptions{});
    const std::vector<uint32_t>& touched = search.touched();
    if (touched.size() < min_reach || total + touched.size() > max_entries) continue;
    Memo memo;
    memo.entries.reserve(touched.size());
    for (uint32_t v : touched) {
      const Reach& r = search.at(v);
      memo.entries.push_back(
          {v, r.controlled_edge, r.exposed_edge, r.integrity, r.controlled_cost, r.exposed_cost});
    }
    std::sort(memo.entries.begin(), memo.entries.end(),
              [](const Entry& a, const Entry& b) { return a.node < b.node; });
    memo.order.reserve(memo.entries.size());
    for (uint32_t i = 0; i < memo.entries.size(); ++i) {
      const Entry& e = memo.entries[i];
      memo.order.push_back({std::min(e.controlled_cost, e.exposed_cost), g.IdRank(e.node), e.node, i});
    }
    std::sort(memo.order.begin(), memo.order.end(), Ordered::Before);
    Hold(g, memo);
    total += touched.size();
    const auto k = static_cast<int32_t>(out.memos_.size());
    for (uint32_t v : members) {
      out.group_of_[v] = k;
      out.stop_[v] = 1;
    }
    memo.members = std::move(members);
    memo.inner_offsets.assign(1, 0);
    for (uint32_t u : memo.members) {
      for (auto e : boost::make_iterator_range(boost::out_edges(u, g.access()))) {
        const uint32_t index = g.access()[e].index;
        const uint32_t v = boost::target(e, g.access());
        if (out.group_of_[v] == k && core::Pivots(g.AccessPrivilege(index)) && g.AccessCost(index) == 0) {
          const auto at = std::lower_bound(memo.members.begin(), memo.members.end(), v);
          memo.inner.emplace_back(index, static_cast<uint32_t>(at - memo.members.begin()));
        }
      }
      memo.inner_offsets.push_back(static_cast<uint32_t>(memo.inner.size()));
    }
    out.memos_.push_back(std::move(memo));
  }
  if (out.memos_.empty()) {
    BriefMemos none;
    none.certain_groups_ = std::move(out.certain_groups_);
    return none;
  }
  for (Memo& memo : out.memos_) {
    for (uint32_t j = 0; j < out.memos_.size(); ++j) {
      const Entry* first = memo.Find(out.memos_[j].members.front());
      if (&memo != &out.memos_[j] && first && first->controlled_cost != core::kUnreachedCost)
        memo.covers.emplace_back(j, first->controlled_cost);
    }
  }
  out.build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// Which entries of the a-th applied memo give their node its cost: one bit per entry, per thread.
std::vector<uint64_t>& BriefMemos::Keeps(size_t a) {
  thread_local std::vector<std::vector<uint64_t>> keeps;
  if (keeps.size() <= a) keeps.resize(a + 1);
  return keeps[a];
}

std::vector<uint64_t>& BriefMemos::InSearch() {
  thread_local std::vector<uint64_t> in_search;
  return in_search;
}

bool BriefMemos::Run(const core::Graph& g, AccessSearch& search, const std::vector<uint32_t>& seeds,
                     const BlastOptions& options, Composition* out) const {
  // Under a min_likelihood, a write edge counts only on a path within the bound, which a memo built
  // without one does not say; a max_depth counts edges, which memos do not keep.
  if (memos_.empty() || options.max_depth >= 0 || options.min_likelihood > 0) return false;
  search.Run(g, seeds, options, &stop_);
  std::vector<AccessSearch::Cell>& reach = search.cells_;
  // The groups entered: each at the cost of its cheapest member reached (where the search stopped, or a
  // seed); every member costs that much, and every node beyond it that plus the memo's cost.
  thread_local std::vector<core::LikelihoodCost> entry;
  thread_local std::vector<uint32_t> entered;
  entry.assign(memos_.size(), core::kUnreachedCost);
  entered.clear();
  auto enter = [&](uint32_t v) {
    const int32_t k = group_of_[v];
    if (k < 0 || !reach[v].controlled()) return;
    if (entry[k] == core::kUnreachedCost) entered.push_back(static_cast<uint32_t>(k));
    entry[k] = std::min(entry[k], reach[v].controlled_cost);
  };
  for (uint32_t v : search.stopped()) enter(v);
  for (uint32_t v : seeds) enter(v);
  std::sort(entered.begin(), entered.end());
  // A group entered at c_j adds nothing when another entered group i reaches it no later (c_i plus i's
  // cost to it at most c_j): i's memo already runs through j's region at that cost or less.
  auto covered = [&](uint32_t j) {
    for (uint32_t i : entered) {
      if (i == j) continue;
      for (const auto& [k, cost] : memos_[i].covers) {
        if (k == j && core::AddCost(entry[i], cost) <= entry[j]) return true;
      }
    }
    return false;
  };
  thread_local std::vector<uint32_t> applied;
  applied.clear();
  for (uint32_t k : entered) {
    if (!covered(k)) applied.push_back(k);
  }
  const size_t searched = search.touched().size();  // the nodes the search reached itself come first
  thread_local std::vector<uint32_t> queue;
  std::vector<uint64_t>& keeps = Keeps(0);
  for (uint32_t k : applied) {
    CheckCancel();
    const Memo& memo = memos_[k];
    const core::LikelihoodCost at = entry[k];
    // The members: the ones the search reached at `at` keep their paths; the others get one from them
    // over the group's likelihood-1 edges (a breadth-first walk: the fewest hops).
    queue.clear();  // indices into memo.members
    for (uint32_t i = 0; i < memo.members.size(); ++i) {
      if (reach[memo.members[i]].controlled_cost == at) queue.push_back(i);
    }
    for (size_t head = 0; head < queue.size(); ++head) {
      const uint32_t u = queue[head];
      for (uint32_t j = memo.inner_offsets[u]; j < memo.inner_offsets[u + 1]; ++j) {
        const auto [index, member] = memo.inner[j];
        const uint32_t v = memo.members[member];
        if (reach[v].controlled_cost <= at) continue;
        search.Touch(v);
        reach[v].controlled_cost = at;
        reach[v].set_controlled_edge(index);
        queue.push_back(member);
      }
    }
    // Everything the memo reaches, at `at` plus its cost, where that is cheaper than what the brief has
    // (a tie keeps the path found first: the search's, then the memos' in order).
    // With one memo applied, its node's cost is final right here: whether this entry gives it (the entry
    // then keeps its place in the memo's order) is noted at once, for Order.
    const bool single = applied.size() == 1 && out;
    if (single) {
      // Composed for a brief: only the nodes the search (and the walk above) reached are lowered; the
      // others' costs are the memo's shifted by `at` (Composition::ReachOf), their places kept.
      keeps.assign((memo.entries.size() + 63) / 64, ~uint64_t{0});
      std::vector<uint64_t>& in_search = InSearch();
      in_search.assign(keeps.size(), 0);
      for (uint32_t v : search.touched()) {
        const Entry* e = memo.Find(v);
        if (!e) continue;
        const size_t i = static_cast<size_t>(e - memo.entries.data());
        Lower(reach[v], *e, at);
        in_search[i >> 6] |= uint64_t{1} << (i & 63);
        if (!KeepsPlace(*e, at, reach[v].cost())) keeps[i >> 6] &= ~(uint64_t{1} << (i & 63));
      }
      continue;
    }
    // Entries [begin, end) into the search; the nodes it reaches first are added to `touched`. The entries
    // are distinct nodes, so two threads may lower two ranges.
    auto lower = [&](size_t begin, size_t end, std::vector<uint32_t>& touched) {
      for (size_t i = begin; i < end; ++i) {
        const Entry& e = memo.entries[i];
        AccessSearch::Cell& r = reach[e.node];
        if (!r.reached()) touched.push_back(e.node);  // every entry reaches its node
        Lower(r, e, at);
      }
    };
    // The worker's first-reached nodes go to a list of this thread's, appended after.
    thread_local std::vector<uint32_t> second_touched;
    std::vector<uint32_t>& more = second_touched;
    more.clear();
    SplitIfBig(memo.entries.size(), [&](size_t begin, size_t end, int part) {
      lower(begin, end, part == 0 ? search.touched_ : more);
    });
    search.touched_.insert(search.touched_.end(), more.begin(), more.end());
  }
  if (out) Order(g, search, searched, applied, entry, *out);
  return true;
}

void BriefMemos::Order(const core::Graph& g, const AccessSearch& search, size_t searched,
                       const std::vector<uint32_t>& applied, const std::vector<core::LikelihoodCost>& entry,
                       Composition& out) const {
  const std::vector<AccessSearch::Cell>& reach = search.cells_;
  // The sorted lists to merge: the nodes the search reached itself, sorted here (few), then each applied
  // memo's order (already sorted, its costs shifted by the entry cost) restricted to the entries whose
  // shifted cost is the node's: those keep their relative order. A node on several lists is taken once.
  thread_local std::vector<Ordered> own;
  own.clear();
  for (size_t i = 0; i < searched; ++i) {
    const uint32_t v = search.touched()[i];
    own.push_back({reach[v].cost(), g.IdRank(v), v, 0});
  }
  std::sort(own.begin(), own.end(), Ordered::Before);
  // Per applied memo, which entries give their node its cost (one bit per entry), in entry order; with one
  // memo, Run noted them as it composed.
  for (size_t a = 0; a < applied.size() && applied.size() > 1; ++a) {
    const Memo& memo = memos_[applied[a]];
    std::vector<uint64_t>& keep = Keeps(a);
    keep.assign((memo.entries.size() + 63) / 64, 0);
    for (size_t i = 0; i < memo.entries.size(); ++i) {
      const Entry& e = memo.entries[i];
      if (KeepsPlace(e, entry[applied[a]], reach[e.node].cost())) keep[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }
  std::vector<uint32_t>& order = out.order;
  order.clear();
  const Memo* single = applied.size() == 1 ? &memos_[applied.front()] : nullptr;
  out.holdings = single ? &single->holdings : nullptr;
  out.memo_place.assign(single ? single->order.size() : 0, -1);
  out.others.clear();
  out.other_in_memo.clear();
  out.memo = single;
  out.at = single ? entry[applied.front()] : 0;
  out.from_memo.clear();
  auto kept = [](const std::vector<uint64_t>& keep, uint32_t entry) {
    return (keep[entry >> 6] >> (entry & 63)) & 1u;
  };
  if (single) {  // two lists: the memo's order, with the search's own nodes slotted in
    const std::vector<uint64_t>& keep = Keeps(0);
    const core::LikelihoodCost shift = entry[applied.front()];
    const std::vector<uint64_t>& in_search = InSearch();
    // Every node reached once (the search's own, the memo's): written through pointers (hundreds of
    // thousands in a big brief), with where each node's costs are.
    order.resize(search.touched().size() + single->order.size());
    out.from_memo.resize(order.size());
    uint32_t* const first = order.data();
    uint32_t* next = first;
    int32_t* const from_memo = out.from_memo.data();
    int32_t* const place = out.memo_place.data();
    // Each list holds a node once, and a node on both has the same key on both (a kept entry's shifted cost
    // is the node's cost), so the two meet side by side in the merge: no marks needed.
    size_t o = 0;
    auto take_own = [&](const Ordered& x) {
      out.others.push_back(static_cast<uint32_t>(next - first));
      out.other_in_memo.push_back(single->Find(x.node) != nullptr);
      from_memo[next - first] = -1;
      *next++ = x.node;
    };
    auto take_memo = [&](size_t i, const Ordered& m) {
      place[i] = static_cast<int32_t>(next - first);
      from_memo[next - first] = kept(in_search, m.entry) ? -1 : static_cast<int32_t>(m.entry);
      *next++ = m.node;
    };
    const std::vector<Ordered>& memo_order = single->order;
    size_t i = 0;
    for (; i < memo_order.size() && o < own.size(); ++i) {
      const Ordered& m = memo_order[i];
      if (!kept(keep, m.entry)) continue;
      const Ordered x{core::AddCost(shift, m.cost), m.rank, m.node, m.entry};
      while (o < own.size() && Ordered::Before(own[o], x)) take_own(own[o++]);
      if (o < own.size() && own[o].node == x.node) ++o;  // reached by the search too: taken from the memo
      take_memo(i, m);
    }
    for (; i < memo_order.size(); ++i) {  // the search's own nodes all placed: the rest is the memo's
      if (kept(keep, memo_order[i].entry)) take_memo(i, memo_order[i]);
    }
    while (o < own.size()) take_own(own[o++]);
    order.resize(static_cast<size_t>(next - first));
    out.from_memo.resize(order.size());
    return;
  }
  order.reserve(search.touched().size());
  // Heads: position in each list (own first); each step takes the cheapest head. A node may stand on
  // several memos' lists with different costs: the first taken (the cheapest) is marked.
  thread_local std::vector<uint8_t> taken;
  if (taken.size() != g.node_count()) taken.assign(g.node_count(), 0);
  thread_local std::vector<size_t> at;
  at.assign(applied.size() + 1, 0);
  auto head = [&](size_t list, Ordered& out) {
    if (list == 0) {
      if (at[0] >= own.size()) return false;
      out = own[at[0]];
      return true;
    }
    const Memo& memo = memos_[applied[list - 1]];
    const std::vector<uint64_t>& keep = Keeps(list - 1);
    size_t& i = at[list];
    while (i < memo.order.size() && !kept(keep, memo.order[i].entry)) ++i;
    if (i >= memo.order.size()) return false;
    out = memo.order[i];
    out.cost = core::AddCost(entry[applied[list - 1]], out.cost);
    return true;
  };
  for (;;) {
    Ordered best{}, candidate{};
    size_t from = SIZE_MAX;
    for (size_t list = 0; list < at.size(); ++list) {
      if (head(list, candidate) && (from == SIZE_MAX || Ordered::Before(candidate, best))) {
        best = candidate;
        from = list;
      }
    }
    if (from == SIZE_MAX) break;
    ++at[from];
    if (taken[best.node]) continue;
    taken[best.node] = 1;
    order.push_back(best.node);
  }
  for (uint32_t v : order) taken[v] = 0;
}

}  // namespace blastmap::query
