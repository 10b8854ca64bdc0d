// The evaluator of the query language: runs parsed statements against an Engine and answers each with
// a Table. The CLI, the HTTP API and the browser all go through Engine::Query, which calls this.
// Policies (query/policy.h) and minimise goals reuse the row tables and filters declared here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/status.h"
#include "query/lang/ast.h"
#include "query/lang/table.h"

namespace blastmap::query {
class Engine;
}

namespace blastmap::query::lang {

// One row per node (of `kind`, or every node), columns as in docs/query-language.md#nodes. The blast
// columns (severity, level, exposed, controlled) are computed only when `with_blast`, since each needs a
// blast radius.
Table NodeTable(const core::Graph& graph, std::optional<core::NodeKind> kind, bool with_blast);
// One row per category index: category, name, sensitivity, flags, tags.
Table CategoryTable(const core::Taxonomy& taxonomy, const std::vector<int>& categories);

// Checks that every column `expr` names exists in `table` and every category it names exists in the
// taxonomy; errors are "NAME:LINE:COL: unknown column 'x' (did you mean 'y'?)".
core::Status CheckFilter(const Expr& expr, const Table& table, const core::Taxonomy& taxonomy,
                         const std::string& name);
// Whether row `row` of `table` passes `expr`; call only after CheckFilter succeeded.
bool Matches(const Expr& expr, const Table& table, size_t row, const core::Taxonomy& taxonomy);

// Runs `statements` in order on `engine` (what-if statements on an overlaid copy of its map; the
// store is never written). `name` prefixes error positions. The first failing statement's error is
// returned.
core::Result<std::vector<Table>> Evaluate(const Engine& engine, const std::vector<Statement>& statements,
                                          const std::string& name);

}  // namespace blastmap::query::lang
