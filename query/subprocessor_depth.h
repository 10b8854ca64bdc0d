// Sub-processor depth (SPEC §5 check): how many vendors deep a node sits on the flows leaving our
// systems. A vendor we send data to directly is at depth 1, its sub-processor at 2, and so on.
#pragma once

#include <vector>

#include "core/graph.h"

namespace blastmap::query {

// One depth per node (indexed like the graph): 0 for systems, the fewest vendors on any flow path from
// a system for vendors (the vendor itself included), -1 for vendors that no flow from a system reaches.
std::vector<int> SubprocessorDepths(const core::Graph& graph);

}  // namespace blastmap::query
