// Renderers of query results: JSON (the stable shape of docs/semantics.md, shared with the HTTP API)
// and aligned tables for a terminal (ANSI colour only when asked).
#pragma once

#include <string>

#include "query/blast_result.h"
#include "query/show.h"

namespace blastmap::query {

std::string BlastToJson(const BlastResult& result);
std::string NodeToJson(const NodeDetails& details);

std::string BlastToTable(const BlastResult& result, bool color);
std::string NodeToTable(const NodeDetails& details, bool color);

}  // namespace blastmap::query
