// Paths between two nodes over flows and access edges (SPEC §5 paths), shortest first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"

namespace blastmap::query {

enum class PathEdges { kFlows, kAccess, kBoth };

struct PathOptions {
  PathEdges edges = PathEdges::kBoth;
  size_t limit = 10;       // at most this many paths
  int max_length = 8;      // edges
  size_t budget = 500000;  // search steps before giving up (the result then says truncated)
};

struct PathHop {
  bool access = false;  // an access edge; otherwise a flow
  std::string from, to;
  std::vector<std::string> categories;  // flows: what it carries ({"*"} for a forward)
  std::string privilege;                // access edges
  double likelihood = 1.0;              // access edges
  core::Provenance where;
};

struct PathsResult {
  int64_t snapshot = 0;
  std::string from, to;
  std::vector<std::vector<PathHop>> paths;  // simple paths, shortest first
  bool truncated = false;                   // the budget ran out: longer paths may exist
};

// Simple paths from node `from` to node `to` (indices), shortest first, within the options' bounds.
PathsResult FindPaths(const core::Graph& graph, uint32_t from, uint32_t to, const PathOptions& options);

}  // namespace blastmap::query
