// The row tables of the query language's sources, one Table each (columns in docs/query-language.md).
// The evaluator builds them for a statement's source; policies and minimise goals filter NodeTable and
// CategoryTable rows with the same filters.
#pragma once

#include <optional>
#include <vector>

#include "core/graph.h"
#include "query/blast_result.h"
#include "query/lang/table.h"
#include "query/rank.h"
#include "query/who_holds.h"

namespace blastmap::query::lang {

// The exposed categories of a brief, one row each (blast ... categories).
Table BlastCategories(const BlastResult& result);
// The compromised nodes of a brief, one row each (blast ... nodes).
Table BlastNodes(const BlastResult& result);
// Sets `table`'s summary: the seeds, the severity, how many nodes are compromised and categories exposed.
void BlastSummary(const BlastResult& result, Table& table);
// One row per ranked node.
Table RankTable(const RankResult& result);
// Who holds a category, and who exposes it, one row per node.
Table HoldersTable(const WhoHoldsResult& result);
Table ExposersTable(const WhoHoldsResult& result);
// One row per node (of `kind`, or every node), columns as in docs/query-language.md#nodes. The blast
// columns (severity, level, exposed, controlled) are computed only when `with_blast`, since each needs a
// blast radius.
Table NodeTable(const core::Graph& graph, std::optional<core::NodeKind> kind, bool with_blast);
// One row per category index: category, name, sensitivity, flags, tags.
Table CategoryTable(const core::Taxonomy& taxonomy, const std::vector<int>& categories);

}  // namespace blastmap::query::lang
