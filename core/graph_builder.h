// Building a Graph from rows, internal to core/: Graph::Build feeds it a model's holdings, flows and
// accesses, Store::LoadGraph the store's columns, so that a graph loaded from the store never holds those
// tables as Model elements. One piece of logic for both: the two graphs' arrays are identical.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/graph.h"

namespace blastmap::core {

// Frees `v`'s storage now. `v = {}` does not: for a std::vector it is the initializer-list assignment,
// which keeps the capacity.
template <typename Vector>
void Free(Vector& v) {
  Vector().swap(v);
}

class GraphBuilder {
 public:
  enum class Table { kHolding, kFlow, kAccess };
  // A bad row: its table, its position there, and what is wrong ("unknown node 'x'", "unknown category
  // 'c'"); the caller says where the row was declared.
  struct Fault {
    Table table;
    size_t pos;
    std::string what;
  };

  // A graph over `model`'s nodes, taxonomy (finalized), subjects and declarations, which it takes. Its
  // holdings, flows and accesses are not read (the rows below are): Graph::Build keeps them, Store::LoadGraph
  // has none to keep.
  explicit GraphBuilder(Model model);
  // Indexes the nodes. Fails when the taxonomy has more categories than a graph can index.
  Status Begin();
  // The model the graph keeps (Graph::Build reads its rows from it).
  const Model& model() const { return g_.model_; }

  // Each table's rows in position order (an element's index in the graph is its position), after its
  // Reserve (hints: the rows expected, and their categories in all when known, else 0). Holdings before
  // flows, on one thread (the subject lists are numbered as met); the accesses may be added on another
  // meanwhile. An Add returns false once its table has a bad row (fault()): node ids are resolved in batches,
  // so it may be an earlier row than the last, or be found by the table's End. `categories` are taxonomy
  // keys; `subjects` is only read during the call.
  void ReserveHoldings(size_t rows, size_t category_ids);
  bool AddHolding(std::string_view node, std::span<const std::string_view> categories, SymbolList subjects,
                  int64_t records);
  bool EndHoldings();
  void ReserveFlows(size_t rows, size_t category_ids);
  bool AddFlow(std::string_view from, std::string_view to, std::span<const std::string_view> categories,
               SymbolList subjects, int64_t records, bool forwards_all);
  bool EndFlows();
  void ReserveAccesses(size_t rows);
  bool AddAccess(std::string_view from, std::string_view to, double likelihood, Privilege privilege);
  bool EndAccesses();
  // The first bad row of `table`, if any.
  const std::optional<Fault>& fault(Table table) const { return faults_[static_cast<int>(table)]; }

  // Copies the graph's arrays that AddHolding, AddFlow, EndHoldings and EndFlows allocated into memory this
  // thread allocates, one at a time, and frees the originals. For a load that ran those on a thread of its
  // own in a process with glibc's arena per thread: that thread's arena is not in huge pages
  // (core/huge_pages.h), and a brief reads these arrays at random.
  void RehomeHoldingsAndFlows();

  // The graph, once every table has ended without a fault. Fails when there are more than
  // Graph::kMaxAccesses accesses or Graph::kMaxFlows flows.
  Result<Graph> Finish();

 private:
  // Node ids waiting to be resolved together (FlatIndex::FindMany), for one table: their text, copied
  // (a store's row is gone by then), and the slot each resolves into.
  struct Pending {
    std::string text;
    std::vector<uint32_t> ends;  // where each id's text ends
    std::vector<size_t> slots;
  };
  static constexpr size_t kBatch = 256;
  void Queue(Pending& pending, std::string_view id, size_t slot);
  // Resolves the queued ids: out(slot, node) for each, in order; false at the first unknown one (the
  // fault of `table`, at row slot / per_row).
  template <typename Out>
  bool Resolve(Pending& pending, Table table, size_t per_row, Out&& out);
  // Resolve for an edge table (slot 2i is row i's source, 2i + 1 its target, into `ends`) and for the
  // holdings (slot i is holding i's node).
  bool ResolveEnds(Pending& pending, Table table, std::vector<std::pair<uint32_t, uint32_t>>& ends);
  bool ResolveHoldingNodes();
  bool Fail(Table table, size_t pos, std::string what);
  template <typename CsrType>
  CsrType MakeCsr(const std::vector<std::pair<uint32_t, uint32_t>>& ends) const;
  // The flows' in-rows (Graph::InFlows), from the flows' CSR and flags.
  void MakeInFlows();
  // The category indices of `keys` into `row`; false (the fault) at the first unknown one.
  bool Categories(std::span<const std::string_view> keys, Table table, size_t pos, std::vector<int>& row);
  // The number of `subjects`' interned list, added as first met.
  uint32_t InternSubjects(SymbolList subjects);
  void FinishSubjects();

  Graph g_;
  std::optional<Fault> faults_[3];
  Pending holding_nodes_, flow_ends_, access_ends_;
  std::vector<int> holding_row_, flow_row_;  // one row's categories, reused
  // Transient: each holding's node, each access's ends, and the records ComputeHeld reads.
  std::vector<uint32_t> holding_node_;
  std::vector<std::pair<uint32_t, uint32_t>> access_end_nodes_;
  std::vector<int64_t> holding_records_, flow_records_;
  // The subject lists and names met so far, numbered as met (FinishSubjects sorts the names).
  std::unordered_map<const Symbol*, uint32_t> subject_lists_;  // by the pooled list's address
  std::unordered_map<std::string_view, uint32_t> subject_names_;
  std::vector<Symbol> names_;
};

}  // namespace blastmap::core
