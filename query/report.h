// What the Markdown and HTML reports share (internal to query/): the summary sentence, the affected
// subjects, the manifest lines involved and deadline wording, all as plain text the renderers escape.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"
#include "query/provenance.h"
#include "query/replay.h"

namespace blastmap::query {

// One paragraph: what is compromised, what it exposes, about whom, how bad, the first deadline.
std::string ReportSummary(const BlastResult& result);
// "6 hours", "72 hours (3 days)", "no fixed window".
std::string DeadlineText(const Obligation& o);

struct AffectedSubject {
  std::string id, name, kind;
  std::vector<std::string> jurisdictions;
  std::vector<std::string> categories;         // exposed categories about them
  int64_t records = core::kUnknownRecords;     // the most records among those categories
  int64_t population = core::kUnknownRecords;  // how many there are in all (from the manifests)
};
std::vector<AffectedSubject> AffectedSubjects(const BlastResult& result, const core::Graph& graph);

// A manifest line involved in the brief and what was declared there.
struct ManifestLine {
  core::Provenance where;
  std::string what;
};
// Declarations of the first `listed` compromised nodes (all of them: result.compromised.size()), the access
// edges of their paths and the flows and stores of the exposed categories' provenance; one entry per
// file:line, in file and line order.
std::vector<ManifestLine> ManifestLines(const BlastResult& result, const core::Graph& graph, size_t listed);

// How many of `total` nodes (a brief's compromised nodes, an exposed category's holders) a report lists under
// a cap of `max_nodes` (0: no cap).
size_t ListedNodes(size_t total, size_t max_nodes);
// What a report says under a list it cut: "60,401 more nodes not listed (the first 500 of 60,901, most
// likely first); --max-nodes 0 lists them all".
std::string UnlistedNodesNote(size_t listed, size_t total);

// The text of one provenance hop: "stored at x", "a -> b [cats]", "a -> b (forwards *)".
std::string HopDescription(const HopText& hop);

// The title of a brief: "Mixpanel compromised" (seed names joined with " + ").
std::string ReportTitle(const BlastResult& result, const core::Graph& graph);

}  // namespace blastmap::query
