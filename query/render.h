// Renderers of query results: JSON (the stable shape of docs/semantics.md, shared with the HTTP API),
// aligned tables for a terminal (ANSI colour only when asked), and the incident brief as a Markdown or
// a self-contained HTML report a person can send (every manifest string escaped).
#pragma once

#include <string>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"
#include "query/concentration.h"
#include "query/replay.h"
#include "query/paths.h"
#include "query/rank.h"
#include "query/show.h"
#include "query/what_if.h"
#include "query/who_holds.h"

namespace blastmap::query {

std::string BlastToJson(const BlastResult& result);
std::string NodeToJson(const NodeDetails& details);

std::string BlastToTable(const BlastResult& result, bool color);
std::string NodeToTable(const NodeDetails& details, bool color);

std::string RankToJson(const RankResult& result);
std::string RankToTable(const RankResult& result, bool color);
std::string WhoHoldsToJson(const WhoHoldsResult& result);
std::string WhoHoldsToTable(const WhoHoldsResult& result, bool color);
std::string PathsToJson(const PathsResult& result);
std::string PathsToTable(const PathsResult& result, bool color);
std::string WhatIfToJson(const WhatIfResult& result);
std::string WhatIfToTable(const WhatIfResult& result, bool color);

std::string ReplayToJson(const ReplayResult& replay);
std::string ReplayToTable(const ReplayResult& replay, bool color);
std::string ConcentrationToJson(const std::vector<ConcentrationRow>& rows);
std::string ConcentrationToTable(const std::vector<ConcentrationRow>& rows, bool color);

// The incident brief as a report. `replay`, when given, adds the incident and the comparison with what
// really leaked. `graph` supplies the manifest lines of the nodes involved.
std::string BlastToMarkdown(const BlastResult& result, const core::Graph& graph,
                            const ReplayResult* replay = nullptr);
// One self-contained HTML file: inline CSS (print friendly), an inline SVG of the blast subgraph.
std::string BlastToHtml(const BlastResult& result, const core::Graph& graph, const ReplayResult* replay = nullptr);

}  // namespace blastmap::query
