// RowSpellings: a brief's subject rows spelled out as interned lists, kept per thread
// (query/blast_radius.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/graph.h"
#include "core/symbol_list.h"

namespace blastmap::query {

// A subject row (bits over the graph's interned subject ids, Graph::subject_words() words) spelled out: its
// subjects and their jurisdictions as interned lists, and the most severity weight of those jurisdictions
// (-inf for none).
struct RowSpelling {
  core::SymbolList subjects, jurisdictions;
  double weight = -std::numeric_limits<double>::infinity();
};

// The rows one thread spelled for the briefs of one graph (Graph::serial). Interning a list looks it up in
// the process-wide pool, a few cold lines and pages of its table and blocks each time, while a snapshot's
// briefs meet the same rows over and over: each is interned once here and found again by its hash, in one
// slot of a table of kSlots (a row in a taken slot replaces it). The table is emptied for another graph.
class RowSpellings {
 public:
  static constexpr size_t kSlots = 4096;  // a power of two
  // The spelling of `row` in `g`; valid until the next call.
  const RowSpelling& Of(const core::Graph& g, const uint64_t* row);

 private:
  RowSpelling Spell(const core::Graph& g, const uint64_t* row);
  struct Slot {
    bool taken = false;
    RowSpelling spelling;
  };
  uint64_t serial_ = 0;
  size_t words_ = 0;
  std::vector<uint64_t> rows_;  // words_ words per slot
  std::vector<Slot> slots_;
  std::vector<uint64_t> jurisdictions_;  // Spell's buffers
  std::vector<core::Symbol> spelling_;
};

}  // namespace blastmap::query
