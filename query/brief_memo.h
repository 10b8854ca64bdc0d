// Per-snapshot memos that let a brief skip the search through the map's big likelihood-1 groups: nodes
// that control each other with likelihood 1 (admin/code edges of likelihood 1 both ways, directly or
// around a cycle), so that a search entering a group at any member reaches every member at that cost and
// everything beyond at that cost plus the same amount. On the 10^6 bench map a tenth of the vendors enter
// one group of 2,414 members and reach 680 k nodes through it; their briefs were one big search each.
//
// A memo is one search from the group, kept as every node it reaches with its costs (core/likelihood.h)
// and best edges. A brief searches from its seeds but stops at the members of memoised groups, then lowers
// every node the memos of the groups it entered reach to the entry cost plus the memo's cost (with one memo
// applied, only the nodes the search reached itself are lowered in its workspace; the brief reads the
// others' shifted costs from the memo: Composition::ReachOf). Costs add exactly, so every likelihood,
// compromise set, integrity flag and everything derived from them equals the plain search's
// (tests/query/differential_brief_test.cc holds it to that). The path shown for a node is a most likely path
// either way; where several paths are equally likely, the composed brief may show another one than the
// plain search (docs/semantics.md, "Likelihood arithmetic").
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/graph.h"
#include "core/likelihood.h"
#include "query/blast_result.h"
#include "query/compromise.h"

namespace blastmap::query {

class BriefMemos {
 public:
  // A group is memoised when it has at least kGroupMembers members and its search reaches at least
  // `min_reach` nodes, while the memos stay within `max_entries` reached nodes in all (biggest first).
  static constexpr size_t kGroupMembers = 8;
  static constexpr size_t kMinReach = 4096;
  static constexpr size_t kMaxEntries = size_t{6} << 20;  // 32 bytes each: 192 MiB at most

  BriefMemos() = default;
  static BriefMemos Build(const core::Graph& graph, size_t min_reach = kMinReach,
                          size_t max_entries = kMaxEntries);

  bool empty() const { return memos_.empty(); }
  // Every group Build considered: CertainGroups(graph, kGroupMembers), memoised or not (the ranking's units
  // start from them instead of computing them again).
  const std::vector<std::vector<uint32_t>>& certain_groups() const { return certain_groups_; }
  size_t groups() const { return memos_.size(); }
  size_t entries() const;
  double build_seconds() const { return build_seconds_; }  // what Build took (wall)

  // What the nodes of one memo hold, per category c: the indices into the memo's cost order of the nodes
  // holding c (ascending: most likely first), and over them the most and the summed records and the
  // subjects (Graph::HeldValues), as a brief gathers them.
  struct Holdings {
    std::vector<uint32_t> offsets;  // per category, into `holders`; categories + 1
    std::vector<uint32_t> holders;
    std::vector<int64_t> records_max, records_sum;  // per category; kUnknownRecords when none is known
    std::vector<uint64_t> subjects;                 // per category, Graph::subject_words() words
  };
  // One node a group's search reaches: its costs from the group and the edges of its best paths.
  struct Entry {
    uint32_t node;
    uint32_t controlled_edge, exposed_edge;
    bool integrity;
    core::LikelihoodCost controlled_cost, exposed_cost;
  };
  // An entry in the brief's order: by cost (the cheaper of controlled and exposed), then id.
  struct Ordered {
    core::LikelihoodCost cost;
    uint32_t rank;  // Graph::IdRank
    uint32_t node;
    uint32_t entry;  // index into Memo::entries
    // The brief's order: cheaper first, then the smaller id.
    static bool Before(const Ordered& a, const Ordered& b) {
      return a.cost != b.cost ? a.cost < b.cost : a.rank < b.rank;
    }
  };
  struct Memo {
    std::vector<uint32_t> members;  // ascending
    // The group's own likelihood-1 admin/code edges, per member (rows over `members`, in the graph's edge
    // order): (the access edge, the index in `members` of its target).
    std::vector<uint32_t> inner_offsets;
    std::vector<std::pair<uint32_t, uint32_t>> inner;
    std::vector<Entry> entries;  // ascending by node
    std::vector<Ordered> order;  // the entries by cost, then id
    Holdings holdings;           // over `order`
    // For every other memo j whose first member this memo's search controls: (j, that cost). A brief
    // entering this group at c and group j at c_j >= c + cost needs no lowering from j.
    std::vector<std::pair<uint32_t, core::LikelihoodCost>> covers;
    // The entry of node v, or null when the memo does not reach v.
    const Entry* Find(uint32_t v) const {
      auto it = std::lower_bound(entries.begin(), entries.end(), v,
                                 [](const Entry& e, uint32_t n) { return e.node < n; });
      return it != entries.end() && it->node == v ? &*it : nullptr;
    }
  };
  // The memo of the group `v` belongs to, or null (the ranking builds its own memos from them).
  const Memo* MemoOf(uint32_t v) const {
    return group_of_.empty() || group_of_[v] < 0 ? nullptr : &memos_[group_of_[v]];
  }

  // How a brief's nodes were composed, for its exposure.
  struct Composition {
    std::vector<uint32_t> order;  // every node reached, by cost then id (IdRank)
    // When exactly one memo was applied (else null): its holdings, and per index of its cost order the
    // node's place in `order` when it was taken from the memo, else -1.
    const Holdings* holdings = nullptr;
    std::vector<int32_t> memo_place;
    // The places in `order` of the other nodes (ascending), and whether each is also one of the memo's
    // nodes (whose records and subjects its holdings already count).
    std::vector<uint32_t> others;
    std::vector<uint8_t> other_in_memo;
    // With one memo applied, the memo's nodes the search did not reach itself are not written into the
    // search's workspace: per place in `order`, the index of the memo entry whose costs, shifted by the
    // entry cost `at`, are the node's (see Shifted), or -1 when the node's are in the workspace.
    const Memo* memo = nullptr;
    core::LikelihoodCost at = 0;
    std::vector<int32_t> from_memo;
    // What the search knows of the node at place `place` of `order` (node `v`).
    Reach ReachOf(const AccessSearch& search, size_t place, uint32_t v) const {
      return from_memo.empty() || from_memo[place] < 0 ? search.at(v)
                                                       : Shifted(memo->entries[from_memo[place]], at);
    }
    // Where ReachOf will read, to fetch it ahead.
    const void* ReachAddress(const AccessSearch& search, size_t place, uint32_t v) const {
      if (from_memo.empty() || from_memo[place] < 0) return search.address(v);
      return &memo->entries[from_memo[place]];
    }
  };
  // A memo entry's costs and edges as a search entering its group at cost `at` has them (when nothing else
  // reaches the node): lowering it into an unreached Reach.
  static Reach Shifted(const Entry& e, core::LikelihoodCost at) {
    Reach r;
    Lower(r, e, at);
    return r;
  }
  // Lowers `r` (a Reach, or a cell of a search's workspace) to entry `e` of a memo entered at `at` where that
  // is cheaper (a tie keeps r's path).
  template <typename R>
  static void Lower(R& r, const Entry& e, core::LikelihoodCost at) {
    const core::LikelihoodCost controlled = core::AddCost(at, e.controlled_cost);
    const core::LikelihoodCost exposed = core::AddCost(at, e.exposed_cost);
    constexpr bool kCell = std::is_same_v<R, AccessSearch::Cell>;
    if (controlled < r.controlled_cost) {
      r.controlled_cost = controlled;
      if constexpr (kCell)
        r.set_controlled_edge(e.controlled_edge);
      else
        r.controlled_edge = e.controlled_edge;
    }
    if (exposed < r.exposed_cost) {
      r.exposed_cost = exposed;
      if constexpr (kCell)
        r.set_exposed_edge(e.exposed_edge);
      else
        r.exposed_edge = e.exposed_edge;
    }
    if (!e.integrity) return;
    if constexpr (kCell)
      r.set_integrity();
    else
      r.integrity = true;
  }
  // Runs `search` for `seeds` as AccessSearch::Run does, composed from the memos. Returns false, without
  // running anything, when the memos cannot serve these options (a min_likelihood or max_depth, or no
  // memos): the caller runs the plain search. When composed and `out` is given, it receives the
  // composition: the order of BlastResult::compromised merged from the memos' orders instead of sorted,
  // and what the exposure can take from the memo.
  bool Run(const core::Graph& graph, AccessSearch& search, const std::vector<uint32_t>& seeds,
           const BlastOptions& options, Composition* out = nullptr) const;

 private:
  // Fills `order` (see Run) once the memos `applied` (entered at `entry`) are composed into `search`,
  // whose first `searched` touched nodes the search reached itself.
  void Order(const core::Graph& graph, const AccessSearch& search, size_t searched,
             const std::vector<uint32_t>& applied, const std::vector<core::LikelihoodCost>& entry,
             Composition& out) const;
  static void Hold(const core::Graph& graph, Memo& memo);  // fills memo.holdings
  static std::vector<uint64_t>& Keeps(size_t a);
  // With one memo composed for a brief: which of its entries' nodes are in the search's workspace (one bit
  // per entry), per thread.
  static std::vector<uint64_t>& InSearch();
  // Whether entry e of a memo entered at `at` gives its node the cost it ends with (`final_cost`): such
  // entries keep their relative place in the memo's order.
  static bool KeepsPlace(const Entry& e, core::LikelihoodCost at, core::LikelihoodCost final_cost) {
    return final_cost == core::AddCost(at, std::min(e.controlled_cost, e.exposed_cost));
  }
  std::vector<Memo> memos_;
  std::vector<std::vector<uint32_t>> certain_groups_;
  double build_seconds_ = 0;
  std::vector<int32_t> group_of_;  // per node: its memo, or -1
  std::vector<uint8_t> stop_;      // per node: a member of a memoised group (AccessSearch's stop_at)
};

}  // namespace blastmap::query
