// Renderers of query results: JSON (the stable shape of docs/semantics.md, shared with the HTTP API)
// and aligned tables for a terminal (ANSI colour only when asked).
#pragma once

#include <string>
#include <vector>

#include "core/store.h"

#include "query/blast_result.h"
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
// The snapshots of a store, oldest first: {"snapshots": [{"id", "created_at", "source", "nodes", ...}]}.
std::string SnapshotsToJson(const std::vector<core::SnapshotInfo>& snapshots);
std::string WhatIfToJson(const WhatIfResult& result);
std::string WhatIfToTable(const WhatIfResult& result, bool color);

}  // namespace blastmap::query
