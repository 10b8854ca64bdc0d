#include "query/sparse_bits.h"

namespace blastmap::query {

SparseBits::SparseBits(const std::vector<uint64_t>& dense) {
  size_t nonzero = 0;
  for (uint64_t w : dense) nonzero += w != 0;
  words_.reserve(nonzero);
  blocks_.resize((dense.size() + 63) / 64);
  for (size_t b = 0; b < blocks_.size(); ++b) {
    Block& block = blocks_[b];
    block.start = static_cast<uint32_t>(words_.size());
    for (size_t i = 0; i < 64 && b * 64 + i < dense.size(); ++i) {
      const uint64_t w = dense[b * 64 + i];
      if (w == 0) continue;
      block.mask |= uint64_t{1} << i;
      words_.push_back(w);
    }
  }
}

// Calls f(dense word index, stored word) for every stored word, in order.
template <typename F>
void SparseBits::ForEachWord(F&& f) const {
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const uint64_t* from = words_.data() + blocks_[b].start;
    for (uint64_t mask = blocks_[b].mask; mask; mask &= mask - 1) f(b * 64 + std::countr_zero(mask), *from++);
  }
}

void SparseBits::OrInto(std::vector<uint64_t>& into) const {
  ForEachWord([&](size_t w, uint64_t word) { into[w] |= word; });
}

bool SparseBits::Within(const std::vector<uint64_t>& dense) const {
  uint64_t outside = 0;
  ForEachWord([&](size_t w, uint64_t word) { outside |= word & ~dense[w]; });
  return outside == 0;
}

void SparseBits::RemoveFrom(std::vector<uint64_t>& dense) const {
  ForEachWord([&](size_t w, uint64_t word) { dense[w] &= ~word; });
}

}  // namespace blastmap::query
