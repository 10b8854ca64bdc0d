// What the store's writer (store.cc) and reader (store_load.cc) share: how list columns and severity
// weights are encoded. Internal to core/.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "core/model.h"
#include "core/status.h"

namespace blastmap::core::sql {
class Stmt;
}  // namespace blastmap::core::sql

namespace blastmap::core::store_detail {

// Long enough to wait out another import's commit, short enough to report a stuck lock.
inline constexpr int kBusyTimeoutMs = 5000;

// Unit separator terminating every element of a list column (see store_schema.h).
constexpr char kListEnd = '\x1f';

// Encodes `list` (a vector of std::string or Symbol, or a SymbolList) into `out`; false when an element holds
// the terminator and could not round-trip.
template <typename List>
bool EncodeList(const List& list, std::string* out) {
  out->clear();
  for (const auto& item : list) {
    if (item.find(kListEnd) != std::string::npos) return false;
    out->append(item);
    out->push_back(kListEnd);
  }
  return true;
}

// Calls f(item) for each element of a list column, in order (a last element may lack its terminator).
template <typename F>
void ForEachListItem(std::string_view text, F&& f) {
  while (!text.empty()) {
    size_t end = text.find(kListEnd);
    f(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
}

// Decodes a list column into strings (S = std::string) or interned Symbols (S = Symbol).
template <typename S = std::string>
std::vector<S> DecodeList(std::string_view text) {
  std::vector<S> out;
  // Sized exactly: no regrowth while loading, no unused capacity kept with the model.
  out.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), kListEnd)) +
              (text.empty() || text.back() == kListEnd ? 0 : 1));
  ForEachListItem(text, [&](std::string_view item) { out.emplace_back(item); });
  return out;
}

inline int64_t Pos(size_t i) { return static_cast<int64_t>(i); }

// The SeverityWeights maps and scalars by their stored names; W is SeverityWeights, const or not.
template <typename W>
auto WeightMaps(W& w) {
  return std::array{std::pair{"sensitivity", &w.sensitivity}, std::pair{"flags", &w.flags},
                    std::pair{"jurisdictions", &w.jurisdictions}};
}
template <typename W>
auto WeightScalars(W& w) {
  return std::array{std::pair{"breadth", &w.breadth}, std::pair{"volume_per_decade", &w.volume_per_decade},
                    std::pair{"medium", &w.medium}, std::pair{"high", &w.high},
                    std::pair{"critical", &w.critical}};
}

// The columns a flow (access, holding) row is read with, in the order FlowOf (AccessOf, HoldingOf) reads
// them: for loading a snapshot and for reading one element by its position (store_elements.cc).
extern const char* const kFlowColumns;
extern const char* const kAccessColumns;
extern const char* const kHoldingColumns;
Flow FlowOf(const sql::Stmt& row);
// Empty when the row's privilege is not one (a damaged store).
std::optional<Access> AccessOf(const sql::Stmt& row);
Holding HoldingOf(const sql::Stmt& row);

// Reads every row of snapshot `id` into `model`, in saved order; the taxonomy is left unfinalized.
Status LoadRows(sqlite3* db, int64_t id, Model* model);
// Builds the graph of snapshot `id` with no flows, accesses or holdings in its model (Store::LoadGraph makes
// it lean): its nodes, taxonomy, subjects and declarations into the graph's model, its holdings', flows'
// and accesses' columns straight into the graph's arrays.
Result<Graph> LoadGraphRows(sqlite3* db, int64_t id);

}  // namespace blastmap::core::store_detail
