// The compromise set C(S) of SPEC §4: a max-product search over access edges from the seeds, where
// admin/code edges pivot and read/write edges only expose (docs/semantics.md).
#pragma once

#include <cstdint>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"

namespace blastmap::query {

inline constexpr uint32_t kNone = UINT32_MAX;

// How well an attacker holding the seeds reaches one node: as controlled (pivoting on from it) and as
// read/write-exposed. Edges are indices into model().accesses, kNone where there is none.
struct Reach {
  double controlled = 0;  // likelihood the attacker controls the node
  uint32_t controlled_edge = kNone;
  double exposed = 0;  // likelihood its data is read or written without control
  uint32_t exposed_edge = kNone;
  bool integrity = false;
  int depth = 0;  // edges on the controlled path
  double likelihood() const { return controlled > exposed ? controlled : exposed; }
  bool reached() const { return controlled > 0 || exposed > 0; }
};

// One Reach per node (indexed like the graph) for the seed node indices, honouring min_likelihood and
// max_depth. Without a depth limit, Dijkstra on likelihoods (a product of factors <= 1 only shrinks, so
// the first settle is the best); with a limit, label-correcting rounds keep the best bounded path.
std::vector<Reach> SearchAccess(const core::Graph& graph, const std::vector<uint32_t>& seeds,
                                const BlastOptions& options);

}  // namespace blastmap::query
