// A drawable view of the map (SPEC §6 browser UI): the whole graph, a neighbourhood of one node, or an
// overview of the most important nodes when the map is too large to draw, optionally laid out here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"

namespace blastmap::query {

struct GraphViewOptions {
  std::optional<uint32_t> focus;  // a node index: only its neighbourhood
  int depth = 1;                  // hops (flows and access edges, either direction) around focus
  size_t max_elements = 2500;     // nodes + edges above which an overview is returned; 0: no cap
  bool layout = false;            // compute positions (force-directed, Boost.Graph) on the server
};

struct ViewNode {
  uint32_t index = 0;
  int party =
      0;  // vendors: 3 for a third party (an edge with one of our systems), 4+ for sub-processors; 0 unknown
  size_t degree = 0;  // flows and access edges in the whole map, either direction
  std::optional<core::Sensitivity> max_sensitivity;  // of what it holds
  std::vector<int> held;                             // category indices held, most sensitive first
  double x = 0, y = 0;                               // when laid out
};

struct GraphView {
  int64_t snapshot = 0;
  size_t total_nodes = 0, total_edges = 0;
  bool overview = false;  // the map was larger than max_elements: only the most important nodes
  bool laid_out = false;
  std::optional<std::string> focus;
  int depth = 0;
  std::vector<ViewNode> nodes;
  std::vector<uint32_t> flows;     // indices into model().flows, both ends in `nodes`
  std::vector<uint32_t> accesses;  // indices into model().accesses, both ends in `nodes`
};

// Builds the view; `options.focus` must be a valid node index.
GraphView BuildGraphView(const core::Graph& graph, const GraphViewOptions& options);

// The view as JSON (docs/http-api.md#graph); flows are "f<index>", access edges "a<index>".
std::string GraphViewToJson(const core::Graph& graph, const GraphView& view);

}  // namespace blastmap::query
