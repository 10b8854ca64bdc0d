// The compromise set C(S) of SPEC §4: a max-product search over access edges from the seeds, where
// admin/code edges pivot and read/write edges only expose (docs/semantics.md).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

inline constexpr uint32_t kNone = UINT32_MAX;

// How well an attacker holding the seeds reaches one node: as controlled (pivoting on from it) and as
// read/write-exposed, each as the cost of the most likely path (core/likelihood.h; kUnreachedCost where
// there is none). Edges are indices into model().accesses, kNone where there is none.
struct Reach {
  core::LikelihoodCost controlled_cost = core::kUnreachedCost;
  core::LikelihoodCost exposed_cost = core::kUnreachedCost;
  uint32_t controlled_edge = kNone;
  uint32_t exposed_edge = kNone;
  bool integrity = false;
  bool controlled() const { return controlled_cost != core::kUnreachedCost; }
  bool reached() const { return controlled() || exposed_cost != core::kUnreachedCost; }
  // The cost of the most likely way in, controlled or exposed, and its likelihood (0 when unreached).
  core::LikelihoodCost cost() const {
    return controlled_cost < exposed_cost ? controlled_cost : exposed_cost;
  }
  double likelihood() const { return core::LikelihoodOf(cost()); }
};

// One Reach per node (indexed like the graph) for the seed node indices, honouring min_likelihood and
// max_depth. Without a depth limit, Dijkstra on costs (the likelihood product as an exact integer sum of
// non-negative costs, so the first settle is the best); with a limit, label-correcting rounds keep the
// best bounded path.
std::vector<Reach> SearchAccess(const core::Graph& graph, const std::vector<uint32_t>& seeds,
                                const BlastOptions& options);

// The strongly connected components of the pivot graph (the admin/code access edges; with `certain_only`,
// only those of likelihood 1), found by one iterative Tarjan walk over the access graph, and what the
// ranking's memos need of the condensation.
struct PivotComponents {
  std::vector<uint32_t> component;  // per node, numbered sinks first: a component after every one it reaches
  uint32_t count = 0;
  std::vector<uint32_t> level;       // per component: 0 for a sink, else 1 + the highest it has edges into
  std::vector<uint32_t> out_degree;  // per node: its pivot edges (with `certain_only`, the likelihood-1 ones)
};
PivotComponents FindPivotComponents(const core::Graph& graph, bool certain_only);

// The groups of nodes that control each other with likelihood 1 (the strongly connected components of the
// admin/code edges of likelihood 1) with at least `min_members` members, each ascending, in the order of
// their smallest member. A search that reaches one member at some cost reaches every member at that cost.
std::vector<std::vector<uint32_t>> CertainGroups(const core::Graph& graph, size_t min_members);
// The same groups, given the pivot graph's components (FindPivotComponents(graph, false)): only the pivot
// components of at least `min_members` nodes are walked.
std::vector<std::vector<uint32_t>> CertainGroups(const core::Graph& graph, size_t min_members,
                                                 const PivotComponents& pivot);

// The same search over reusable scratch space: a query touches only the nodes it reaches, so a warm
// search costs O(reached) instead of O(nodes). One AccessSearch per thread; Run() forgets the last run.
class AccessSearch {
 public:
  explicit AccessSearch(uint32_t nodes) : cells_(nodes) {}
  uint32_t nodes() const { return static_cast<uint32_t>(cells_.size()); }

  // Runs the search of SearchAccess. When `stop_at` is given (one flag per node), a node that is not a seed
  // and is flagged (non-zero) is settled but not expanded; it is listed in stopped() instead (ranking
  // substitutes a memoised summary for what lies beyond it: costs add exactly, so the summary composes).
  // Only for searches without max_depth.
  void Run(const core::Graph& graph, const std::vector<uint32_t>& seeds, const BlastOptions& options,
           const std::vector<uint8_t>* stop_at = nullptr);
  Reach at(uint32_t v) const { return cells_[v].Unpack(); }
  // Where at(v) reads, to fetch it ahead.
  const void* address(uint32_t v) const { return &cells_[v]; }
  // Every node the last run reached (controlled or exposed), in no particular order.
  const std::vector<uint32_t>& touched() const { return touched_; }
  const std::vector<uint32_t>& stopped() const { return stopped_; }

 private:
  friend class BriefMemos;  // composes a search from memoised parts (query/brief_memo.h)
  // A node's Reach in 24 bytes instead of 32 (a big brief reads and writes hundreds of thousands of them
  // at random, and a workspace keeps one per node): the integrity flag in the exposed edge's top bit and
  // whether the search settled the node in the controlled edge's (one cold line a node, not two), so an
  // access index takes 31 bits (core::Graph::Build refuses more accesses).
  struct Cell {
    static constexpr uint32_t kEdge = 0x7fffffff;  // an edge's bits; all set: none
    core::LikelihoodCost controlled_cost = core::kUnreachedCost;
    core::LikelihoodCost exposed_cost = core::kUnreachedCost;
    uint32_t pivot = kEdge;    // the controlled edge (kEdge: none) | settled << 31
    uint32_t exposed = kEdge;  // the exposed edge (kEdge: none) | integrity << 31
    bool controlled() const { return controlled_cost != core::kUnreachedCost; }
    bool reached() const { return controlled() || exposed_cost != core::kUnreachedCost; }
    core::LikelihoodCost cost() const {
      return controlled_cost < exposed_cost ? controlled_cost : exposed_cost;
    }
    uint32_t controlled_edge() const { return (pivot & kEdge) == kEdge ? kNone : pivot & kEdge; }
    void set_controlled_edge(uint32_t edge) { pivot = (pivot & ~kEdge) | (edge & kEdge); }
    bool settled() const { return (pivot >> 31) != 0; }
    void settle() { pivot |= ~kEdge; }
    uint32_t exposed_edge() const { return (exposed & kEdge) == kEdge ? kNone : exposed & kEdge; }
    void set_exposed_edge(uint32_t edge) { exposed = (exposed & ~kEdge) | (edge & kEdge); }
    bool integrity() const { return (exposed >> 31) != 0; }
    void set_integrity() { exposed |= ~kEdge; }
    Reach Unpack() const {
      return {controlled_cost, exposed_cost, controlled_edge(), exposed_edge(), integrity()};
    }
  };
  static_assert(sizeof(Cell) == 24 && Cell::kEdge == core::Graph::kMaxAccesses);
  friend class SearchLease;  // clears a workspace given back
  void Clear();
  void Touch(uint32_t v) {
    if (!cells_[v].reached()) touched_.push_back(v);
  }
  std::vector<Cell> cells_;
  std::vector<int> depth_;  // per node: edges on its controlled path, for runs with a max_depth only
  std::vector<uint32_t> touched_, stopped_;
  std::vector<std::pair<core::LikelihoodCost, uint32_t>> queue_;  // Run's heap, kept for the next run
};

// An AccessSearch lent from a process-wide pool and given back when the lease ends. A workspace takes 24
// bytes per node (24 MB at 10^6 nodes): briefs, rankings and the memos' builds borrow the few a process
// uses at once instead of one per thread or per ranking. The pool keeps idle workspaces of one size (the
// graph returned last; others are freed) and at most kMaxIdle of them.
class SearchLease {
 public:
  static constexpr size_t kMaxIdle = 8;
  // A workspace for a graph of `nodes` nodes, from the pool or new. A workspace is cleared when its lease
  // ends (and Run clears what is left).
  explicit SearchLease(uint32_t nodes);
  ~SearchLease();
  SearchLease(SearchLease&&) noexcept = default;
  SearchLease& operator=(SearchLease&&) = delete;
  AccessSearch& operator*() const { return *search_; }
  AccessSearch* operator->() const { return search_.get(); }
  // How many idle workspaces the pool holds (for tests).
  static size_t Idle();

 private:
  std::unique_ptr<AccessSearch> search_;
};

}  // namespace blastmap::query
