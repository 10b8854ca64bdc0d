// Differential tests of SparseBits (query/sparse_bits.h), the ranking memos' compromise sets: every
// membership test and union equals the dense bitset's it was built from, over random sets of every density.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "query/sparse_bits.h"

namespace blastmap::query {
namespace {

using Dense = std::vector<uint64_t>;

bool DenseTest(const Dense& bits, uint32_t v) { return (bits[v >> 6] >> (v & 63)) & 1u; }

// A random set over `words` words: each word empty with probability `empty`, else holding `per_word`
// random bits (64: every bit).
Dense RandomSet(std::mt19937_64& random, size_t words, double empty, int per_word) {
  Dense bits(words, 0);
  std::uniform_real_distribution<double> coin(0, 1);
  for (uint64_t& w : bits) {
    if (coin(random) < empty) continue;
    if (per_word >= 64) {
      w = ~uint64_t{0};
      continue;
    }
    for (int i = 0; i < per_word; ++i) w |= uint64_t{1} << (random() & 63);
  }
  return bits;
}

}  // namespace

TEST_CASE(
    "sparse bits answer every membership test, union, inclusion and difference as the dense bits they were "
    "built from") {
  std::mt19937_64 random(20261201);
  // Sizes around a block (64 words), a partial last block, and a 10^5-node map's.
  const size_t sizes[] = {1, 2, 63, 64, 65, 127, 128, 129, 1000, 1563};
  const double empties[] = {1.0, 0.999, 0.99, 0.9, 0.5, 0.0};
  const int per_words[] = {1, 3, 64};
  size_t checked = 0;
  for (size_t words : sizes) {
    for (double empty : empties) {
      for (int per_word : per_words) {
        const Dense a = RandomSet(random, words, empty, per_word);
        const Dense b = RandomSet(random, words, empty, per_word);
        const SparseBits sparse_a(a), sparse_b(b);
        for (uint32_t v = 0; v < words * 64; ++v) {
          if (sparse_a.Test(v) != DenseTest(a, v) || sparse_b.Test(v) != DenseTest(b, v)) {
            FAIL_CHECK("node " << v << " of " << words << " words, empty " << empty << ", " << per_word);
          }
          ++checked;
        }
        Dense into(words, 0);
        sparse_a.OrInto(into);
        CHECK(into == a);
        sparse_b.OrInto(into);
        for (size_t w = 0; w < words; ++w) CHECK(into[w] == (a[w] | b[w]));
        // a is within a | b; b is within a only where a includes it.
        CHECK(sparse_a.Within(into));
        bool b_in_a = true;
        for (size_t w = 0; w < words; ++w) b_in_a = b_in_a && (b[w] & ~a[w]) == 0;
        CHECK(sparse_b.Within(a) == b_in_a);
        sparse_a.RemoveFrom(into);
        for (size_t w = 0; w < words; ++w) CHECK(into[w] == (b[w] & ~a[w]));
      }
    }
  }
  CHECK(checked == 3 * 6 * (1 + 2 + 63 + 64 + 65 + 127 + 128 + 129 + 1000 + 1563) * 64);
  // A set of a few hundred nodes among 10^6 takes a few KB, not a dense 122 KiB.
  Dense few(15625, 0);
  for (int i = 0; i < 300; ++i) few[random() % few.size()] |= uint64_t{1} << (random() & 63);
  CHECK(SparseBits(few).Bytes() < 8 * 1024);
}

}  // namespace blastmap::query
