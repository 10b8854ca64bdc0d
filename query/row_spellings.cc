#include "query/row_spellings.h"

#include <algorithm>
#include <span>

namespace blastmap::query {

const RowSpelling& RowSpellings::Of(const core::Graph& g, const uint64_t* row) {
  const size_t words = g.subject_words();
  if (serial_ != g.serial() || words != words_) {
    serial_ = g.serial();
    words_ = words;
    rows_.assign(kSlots * words, 0);
    slots_.assign(kSlots, Slot{});
  }
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (size_t w = 0; w < words; ++w) h = (h ^ row[w]) * 0xBF58476D1CE4E5B9ull;
  const size_t k = static_cast<size_t>(h >> 40) & (kSlots - 1);
  Slot& slot = slots_[k];
  uint64_t* kept = rows_.data() + k * words;
  if (slot.taken && std::equal(row, row + words, kept)) return slot.spelling;
  std::copy_n(row, words, kept);
  slot.taken = true;
  slot.spelling = Spell(g, row);
  return slot.spelling;
}

// A row's jurisdictions are the union of its subjects' bits (Graph::SubjectJurisdictions), spelled in order
// without sorting.
RowSpelling RowSpellings::Spell(const core::Graph& g, const uint64_t* row) {
  RowSpelling out;
  const size_t jurisdiction_words = g.jurisdiction_words();
  jurisdictions_.assign(jurisdiction_words, 0);
  spelling_.clear();
  core::ForEachBit({row, words_}, [&](int k) {
    spelling_.push_back(g.SubjectName(static_cast<uint32_t>(k)));
    const std::span<const uint64_t> own = g.SubjectJurisdictions(static_cast<uint32_t>(k));
    for (size_t w = 0; w < jurisdiction_words; ++w) jurisdictions_[w] |= own[w];
  });
  out.subjects = spelling_;
  spelling_.clear();
  core::ForEachBit(jurisdictions_, [&](int b) {
    spelling_.push_back(g.JurisdictionName(static_cast<uint32_t>(b)));
    out.weight = std::max(out.weight, g.JurisdictionWeight(static_cast<uint32_t>(b)));
  });
  out.jurisdictions = spelling_;
  return out;
}

}  // namespace blastmap::query
