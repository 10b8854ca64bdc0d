// The per-snapshot work shared by every candidate of a ranking (query/rank_shared.h): traced scalars
// (folded from the graph's per-snapshot held records and subjects), category weights, and the memos of hubs
// and likelihood-1 groups (what lies beyond them: category costs and compromise sets). Internal to the
// ranking; query/rank_shared.cc ranks candidates with it.
#pragma once

#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/graph.h"
#include "query/brief_memo.h"
#include "query/cancel.h"
#include "query/compromise.h"
#include "query/rank_shared.h"
#include "query/sparse_bits.h"

namespace blastmap::query::rank_memos {

using Bits = std::vector<uint64_t>;
inline void Set(Bits& bits, uint32_t v) { bits[v >> 6] |= uint64_t{1} << (v & 63); }
size_t Count(const Bits& bits);  // the bits set

// What is shared by every candidate of one snapshot.
struct Shared {
  const core::Graph& g;
  uint32_t n;
  size_t categories;
  size_t bit_words;  // words of a node bitset
  // Per node, what the traces of everything it holds give the severity: the most records over its held
  // categories (kUnknownRecords) and the largest jurisdiction weight of their subjects (the default when
  // none). Side by side, so a search's summary reads one place per node.
  struct Scalars {
    int64_t records = core::kUnknownRecords;
    double jurisdiction = 1;
  };
  std::vector<Scalars> scalars;
  double default_jurisdiction = 1;
  std::vector<double> weight;  // per category, as ScoreSeverity weighs it
  std::vector<uint8_t> restricted;
  std::vector<uint8_t> ready;  // node's memo is built (a stop for the memos' searches)
  std::vector<uint8_t> stops;  // node has a memo, built or to be (a stop for the candidates' searches)
  // Per memo slot, set (release) once its memo and its component's sets are built: a row ranked while the
  // memos are built reads a memo only after seeing its flag (acquire).
  std::unique_ptr<std::atomic<uint8_t>[]> slot_built;
  bool SlotBuilt(int32_t slot) const { return slot_built[slot].load(std::memory_order_acquire) != 0; }
  std::vector<double> subject_weight;  // per interned subject (Graph::SubjectName): its jurisdiction weight
  // The snapshot's brief memos (query/brief_memo.h), when the engine has them: a group they memoise gets
  // its ranking memo from them instead of a search.
  const BriefMemos* brief = nullptr;
  // Memo of a pivot-graph component: compromise sets and the scalar summaries beyond it.
  struct SetMemo {
    // The sets, each kept as what it holds beyond `base`'s set (when there is a base: a memo whose sets
    // these include and that has no base itself). Most memoised hubs reach the big group: their sets are its
    // sets and a few hundred nodes more.
    SparseBits controlled_beyond, exposed_beyond;
    const SetMemo* base = nullptr;
    bool Controls(uint32_t v) const {
      return controlled_beyond.Test(v) || (base && base->controlled_beyond.Test(v));
    }
    bool Exposes(uint32_t v) const {
      return exposed_beyond.Test(v) || (base && base->exposed_beyond.Test(v));
    }
    // into |= the sets (as dense bitsets of Shared::bit_words words).
    void OrControlledInto(Bits& into) const {
      controlled_beyond.OrInto(into);
      if (base) base->controlled_beyond.OrInto(into);
    }
    void OrExposedInto(Bits& into) const {
      exposed_beyond.OrInto(into);
      if (base) base->exposed_beyond.OrInto(into);
    }
    size_t controlled_count = 0, exposed_count = 0;  // of the whole sets
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
    std::vector<std::pair<int, core::LikelihoodCost>>
        categories;  // exposed categories, ascending, with costs
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

// What one search (a candidate's, or a hub's) exposes beyond the sets: per-category costs (the most
// likely holder's) and the traced scalars, merged from the nodes it reached and the memos it stopped at.
struct Summary {
  std::vector<core::LikelihoodCost> category_cost;
  std::vector<int> touched_categories;  // in the order first touched
  std::vector<uint64_t> touched_bits;   // the same, as bits over the categories (ascending for the severity)
  int64_t records = core::kUnknownRecords;
  double jurisdiction = 0;
  // The cheapest stop per memo slot (a search may stop at many members of one group).
  std::vector<core::LikelihoodCost> slot_cost;
  std::vector<int32_t> slots;

  void Reset(size_t categories) {
    if (category_cost.size() != categories) {
      category_cost.assign(categories, core::kUnreachedCost);
      touched_bits.assign((categories + 63) / 64, 0);
    }
    for (int c : touched_categories) {
      category_cost[c] = core::kUnreachedCost;
      touched_bits[c >> 6] = 0;
    }
    touched_categories.clear();
    records = core::kUnknownRecords;
    jurisdiction = 0;
  }
  void Lower(int c, core::LikelihoodCost cost) {
    if (category_cost[c] == core::kUnreachedCost) {
      touched_categories.push_back(c);
      touched_bits[c >> 6] |= uint64_t{1} << (c & 63);
    }
    if (cost < category_cost[c]) category_cost[c] = cost;
  }
};

// Leaves out of `components` (memoised pivot components, ascending, distinct) each one whose sets another
// one's include (it is in that one's `within`): the union of their sets is the same without it. `scratch`
// is working space.
void DropIncluded(const Shared& s, std::vector<uint32_t>& components, std::vector<uint32_t>& scratch);

// Merges what `search` reached and the memos it stopped at into `out`.
void Summarise(const Shared& s, const AccessSearch& search, Summary& out);

// Runs `work(worker, i)` for i in [0, count) on up to `threads` threads (worker < threads names the
// thread, for its scratch space) under the caller's Cancel; the first exception (a Cancelled) stops the
// others and is rethrown here. With `late`, the calling thread is worker 0 and, once it sees `*late` set
// (acquire) between two items while some are left, starts one more worker, numbered `threads`.
template <typename Work>
void Parallel(size_t count, unsigned threads, Work&& work, const std::atomic<bool>* late = nullptr) {
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  if (threads <= 1 && !late) {
    for (size_t i = 0; i < count; ++i) work(0u, i);
    return;
  }
  std::atomic<size_t> next{0};
  const Cancel* cancel = CurrentCancel();
  std::exception_ptr failed;
  std::mutex failed_mu;
  auto run = [&](unsigned t) {
    try {
      for (size_t i; (i = next.fetch_add(1)) < count;) work(t, i);
    } catch (...) {
      next = count;
      std::lock_guard lock(failed_mu);
      if (!failed) failed = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  auto start = [&](unsigned t) {
    workers.emplace_back([&, t] {
      CancelScope scope(cancel);
      run(t);
    });
  };
  for (unsigned t = late ? 1 : 0; t < threads; ++t) start(t);
  if (late) {
    try {
      bool started = false;
      for (size_t i; (i = next.fetch_add(1)) < count;) {
        work(0u, i);
        if (!started && next.load() < count && late->load(std::memory_order_acquire)) {
          started = true;
          start(threads);
        }
      }
    } catch (...) {
      next = count;
      std::lock_guard lock(failed_mu);
      if (!failed) failed = std::current_exception();
    }
  }
  for (auto& w : workers) w.join();
  if (failed) std::rethrow_exception(failed);
}

// Fills everything of `s` that does not depend on a candidate: scalars, weights and memos (built on up to
// `threads` threads); `stats`, when given, says what was memoised. With `filler` and two threads or more,
// the memos are built on one thread fewer while `filler` runs on its own, from when the memos are planned
// (Shared::stops, node_slot and the scalars are final) until they are all built, when `done` is set and it
// should return soon. If it returns a workspace before then (its work is over), that thread's share goes
// back to the build: the memos not yet started are built on `threads` threads, the last one searching in
// that workspace, which the build uses until Prepare returns.
using Filler = std::function<AccessSearch*(const std::atomic<bool>& done)>;
void Prepare(Shared& s, unsigned threads, SharedRankStats* stats, const Filler* filler = nullptr);

// For tests: every memo's build first sleeps this long (0, the default: not at all), so that a filler's
// work ends while the memos are still being built.
void SetBuildDelayForTesting(std::chrono::microseconds delay);

}  // namespace blastmap::query::rank_memos
