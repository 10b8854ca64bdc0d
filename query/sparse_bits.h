// A set of node indices kept as its non-zero 64-bit words with a per-block index: the ranking's memoised
// compromise sets (query/rank_memos.h), most of which hold a few hundred of a million nodes.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace blastmap::query {

// The bits of a dense bitset (word w holds nodes 64w..64w+63), stored as its non-zero words in order and,
// per block of 64 words (4,096 nodes), a mask of the block's non-zero words and where its first one is
// stored. A set takes 16 bytes a block and 8 a non-zero word: about 4 KB for a set of a few hundred nodes
// among 10^6, where a dense bitset takes 122 KiB. Immutable once built; safe to read from many threads.
class SparseBits {
 public:
  SparseBits() = default;
  // The set of the bits of `dense`.
  explicit SparseBits(const std::vector<uint64_t>& dense);

  // Whether node v is in the set; v below 64 times the dense size it was built from. Two loads and a
  // popcount (callers in a hot loop are compiled for the popcnt instruction where they can be).
  bool Test(uint32_t v) const {
    const Block& block = blocks_[v >> 12];
    const uint32_t word = (v >> 6) & 63;
    if (!((block.mask >> word) & 1)) return false;
    const uint64_t below = block.mask & ((uint64_t{1} << word) - 1);
    return (words_[block.start + static_cast<uint32_t>(std::popcount(below))] >> (v & 63)) & 1;
  }
  // into[w] |= the set's word w, for every word; `into` is at least the dense size the set was built from.
  void OrInto(std::vector<uint64_t>& into) const;
  // Whether every bit of the set is set in `dense` (of at least the size the set was built from).
  bool Within(const std::vector<uint64_t>& dense) const;
  // dense[w] &= ~the set's word w, for every word.
  void RemoveFrom(std::vector<uint64_t>& dense) const;
  // The heap bytes the set takes.
  size_t Bytes() const { return blocks_.capacity() * sizeof(Block) + words_.capacity() * sizeof(uint64_t); }

 private:
  struct Block {
    uint64_t mask = 0;   // bit i: the block's word i is non-zero
    uint32_t start = 0;  // words_ index of the block's first non-zero word
  };
  template <typename F>
  void ForEachWord(F&& f) const;
  std::vector<Block> blocks_;
  std::vector<uint64_t> words_;
};

}  // namespace blastmap::query
