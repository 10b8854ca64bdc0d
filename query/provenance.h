// Provenance: where a category a node holds came from, as the flow path from its first source (a store, or
// an explicit flow naming it) through the "*" flows that forwarded it to the node (SPEC §4,
// docs/semantics.md).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"
#include "query/compromise.h"

namespace blastmap::query {

// The text of one provenance hop, read from the model of the graph the brief was computed on: its ends
// (both the storing node for kStores), the categories it names ({"*"} for a forward) and where it is
// declared. The one place a brief's renderers read a flow's or a holding's text (ReadHop), so that a reader
// backed by the store can replace the model there.
struct HopText {
  FlowHop::Kind kind = FlowHop::Kind::kFlow;
  std::string from, to;
  std::vector<std::string> categories;
  core::Provenance where;
};
HopText ReadHop(const core::Graph& graph, const FlowHop& hop);

// Where category `category` held at `node` came from: the shortest backwards flow path (ending at `node`)
// and, over every source that contributes it, the most records and the subjects.
struct CategoryTrace {
  std::vector<FlowHop> path;
  int64_t records = core::kUnknownRecords;
  std::vector<std::string> subjects;
};
CategoryTrace TraceCategory(const core::Graph& graph, uint32_t node, int category);

// The provenance of the categories a node holds: one backwards breadth-first walk from the node over the
// "*" flows into it finds each category's first source. A source (a store, or an explicit flow naming the
// category) on a "*" ancestor y always reaches the node through nodes that hold the category too (held()
// only grows along "*" flows), so the walk restricted to the holders of one category, which TraceCategory
// performs, meets the same first source. The walk stops once every wanted category has its source. Scratch
// arrays are reused, stamped per walk.
class TraceSpace {
 public:
  TraceSpace(uint32_t nodes, size_t categories);
  // Walks back from `node` until every category of `wanted` (held by `node`) has its first source.
  void Walk(const core::Graph& g, uint32_t node, const std::vector<int>& wanted);
  // Starts fetching what walks from `nodes` read first (their marks, holdings and first in-flows), all at
  // once: a brief walks from each of its categories' first holders in turn, and a small brief's walks are
  // a few cold rows each.
  void Prefetch(const core::Graph& g, std::span<const uint32_t> nodes) const;
  // The provenance of category c at `node` from the last walk: its first source, then the "*" forwards.
  std::vector<FlowHop> Path(const core::Graph& g, uint32_t node, int c) const;

 private:
  void NextEpoch();
  uint32_t epoch_ = 0;
  // Per node, side by side (a walk reads both of each node it meets: one cold line and page, not two):
  // the epoch of the walk that met it, and the "*" flow by which it stepped back to it.
  struct Mark {
    uint32_t seen = 0, via = kNone;
  };
  std::vector<Mark> marks_;
  std::vector<uint32_t> found_, wanted_;
  std::vector<uint32_t> first_node_, first_source_;
  std::vector<uint8_t> first_is_store_;
  std::vector<uint32_t> queue_;
};

// This thread's TraceSpace, sized for `nodes` nodes and `categories` categories (made again when they
// change).
TraceSpace& Traces(uint32_t nodes, size_t categories);

}  // namespace blastmap::query
