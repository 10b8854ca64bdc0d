// export (SPEC §6): the map, a neighbourhood of one node, or a blast result (highlighted) as Graphviz DOT,
// GraphML, Mermaid, JSON or CSV, for drawing and for other graph tools.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/status.h"
#include "query/blast_result.h"

namespace blastmap::query {

enum class ExportFormat { kDot, kGraphml, kMermaid, kJson, kCsv };
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportOptions {
  std::string around;              // only this node and its neighbours (empty: the whole map)
  int depth = 1;                   // neighbourhood radius in edges (flows and access, either direction)
  std::vector<std::string> blast;  // highlight the blast radius of compromising these together
  BlastOptions blast_options;
  bool flows = true, access = true;  // which edges to include
};

// The export as text. Errors: an unknown node in `around` or `blast` (with a did-you-mean). Node states in
// every format: "seed", "controlled", "exposed" or "" (not in the blast radius, or no blast asked).
core::Result<std::string> ExportGraph(const core::Graph& graph, ExportFormat format,
                                      const ExportOptions& options);

}  // namespace blastmap::query
