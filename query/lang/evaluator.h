// The evaluator of the query language: runs parsed statements against an Engine and answers each with
// a Table. The CLI, the HTTP API and the browser all go through Engine::Query, which calls this.
// Policies (query/policy.h) and minimise goals reuse its filters and the row tables of row_tables.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/status.h"
#include "query/lang/ast.h"
#include "query/lang/row_tables.h"
#include "query/lang/table.h"

namespace blastmap::query {
class Engine;
}

namespace blastmap::query::lang {

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
