// Renderers of query results: JSON (the stable shape of docs/semantics.md, shared with the HTTP API),
// aligned tables for a terminal (ANSI colour only when asked), and the incident brief as a Markdown or
// a self-contained HTML report a person can send (every manifest string escaped).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/graph.h"
#include "core/store.h"
#include "query/blast_result.h"
#include "query/concentration.h"
#include "query/diff.h"
#include "query/lang/table.h"
#include "query/minimise.h"
#include "query/paths.h"
#include "query/policy_check.h"
#include "query/rank.h"
#include "query/replay.h"
#include "query/show.h"
#include "query/what_if.h"
#include "query/who_holds.h"

namespace blastmap::query {

// The brief as JSON (docs/semantics.md). With max_nodes > 0, at most that many compromised nodes (and holders
// per exposed category) are listed and the brief says so ("truncated", "nodes_total"); 0 lists every node.
std::string BlastToJson(const BlastResult& result, size_t max_nodes = 0);
// The same text handed to `sink` in chunks of about 64 KiB as the brief is walked, so that a brief of
// hundreds of thousands of nodes is never held whole. `sink` may throw to abandon the write.
void WriteBlastJson(const BlastResult& result, size_t max_nodes,
                    const std::function<void(std::string_view)>& sink);
std::string NodeToJson(const NodeDetails& details);

// With max_nodes > 0 the table, Markdown and HTML briefs list at most that many compromised nodes (most
// likely first) and then say how many more there are; totals, data, severity and obligations stay complete.
std::string BlastToTable(const BlastResult& result, bool color, size_t max_nodes = 0);
// The same text handed to `sink` in chunks of about 64 KiB as the nodes are written (`--max-nodes 0` on a
// hub of a big map is gigabytes of text).
void WriteBlastTable(const BlastResult& result, bool color, size_t max_nodes,
                     const std::function<void(std::string_view)>& sink);
std::string NodeToTable(const NodeDetails& details, bool color);

std::string RankToJson(const RankResult& result);
std::string RankToTable(const RankResult& result, bool color);
std::string WhoHoldsToJson(const WhoHoldsResult& result);
std::string WhoHoldsToTable(const WhoHoldsResult& result, bool color);
std::string PathsToJson(const PathsResult& result);
std::string PathsToTable(const PathsResult& result, bool color);
// The snapshots of a store, oldest first: {"snapshots": [{"id", "created_at", "source", "nodes", ...}]}.
std::string SnapshotsToJson(const std::vector<core::SnapshotInfo>& snapshots);
std::string WhatIfToJson(const WhatIfResult& result, size_t max_nodes = 0);
// The same text handed to `sink` in chunks as WriteBlastJson hands a brief's.
void WriteWhatIfJson(const WhatIfResult& result, size_t max_nodes,
                     const std::function<void(std::string_view)>& sink);
std::string WhatIfToTable(const WhatIfResult& result, bool color);

std::string MinimiseToJson(const MinimiseResult& result);
std::string MinimiseToTable(const MinimiseResult& result, bool color);

std::string DiffToJson(const DiffResult& result, const std::vector<std::string>& gate_failures);
std::string DiffToTable(const DiffResult& result, const std::vector<std::string>& gate_failures, bool color);

// Violations as "file:line:col: level: message [rule]" lines, as JSON, or as a SARIF 2.1.0 log whose
// locations are the manifest declarations (for code-scanning annotations on pull requests).
std::string CheckToTable(const CheckResult& result, bool color);
std::string CheckToJson(const CheckResult& result);
std::string CheckToSarif(const CheckResult& result, const std::string& version);

// Results of query-language statements, one after the other. JSON: an array of
// {statement, columns, rows (objects keyed by column), summary}; CSV: one header and rows per statement,
// statements separated by a blank line; markdown: a heading and a pipe table per statement.
std::string QueryToTable(const std::vector<lang::Table>& results, bool color);
std::string QueryToJson(const std::vector<lang::Table>& results);
std::string QueryToCsv(const std::vector<lang::Table>& results);
std::string QueryToMarkdown(const std::vector<lang::Table>& results);
std::string ReplayToJson(const ReplayResult& replay, size_t max_nodes = 0);
std::string ReplayToTable(const ReplayResult& replay, bool color, size_t max_nodes = 0);
std::string ConcentrationToJson(const std::vector<ConcentrationRow>& rows);
std::string ConcentrationToTable(const std::vector<ConcentrationRow>& rows, bool color);

// The incident brief as a report. `replay`, when given, adds the incident and the comparison with what
// really leaked. `graph` supplies the manifest lines of the nodes involved.
std::string BlastToMarkdown(const BlastResult& result, const core::Graph& graph,
                            const ReplayResult* replay = nullptr, size_t max_nodes = 0);
// The same text handed to `sink` in chunks of about 64 KiB as the nodes and manifest lines are written.
void WriteBlastMarkdown(const BlastResult& result, const core::Graph& graph, const ReplayResult* replay,
                        size_t max_nodes, const std::function<void(std::string_view)>& sink);
// One self-contained HTML file: inline CSS (print friendly), an inline SVG of the blast subgraph.
std::string BlastToHtml(const BlastResult& result, const core::Graph& graph,
                        const ReplayResult* replay = nullptr, size_t max_nodes = 0);

}  // namespace blastmap::query
