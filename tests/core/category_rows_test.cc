// core/category_rows.h: sparse category sets against a std::set of the same categories.
#include "core/category_rows.h"

#include <doctest/doctest.h>

#include <random>
#include <set>
#include <vector>

namespace blastmap::core {

TEST_CASE("category rows keep each set sorted and unique, and answer as the set does") {
  std::mt19937 rng(11);
  constexpr int kCategories = 300;
  CategoryRows rows;
  std::vector<std::set<int>> expected;
  for (int r = 0; r < 2000; ++r) {
    std::vector<int> row;
    const int size = r % 7 == 0 ? 0 : static_cast<int>(rng() % (r % 50 == 1 ? 200 : 6));
    for (int i = 0; i < size; ++i) row.push_back(static_cast<int>(rng() % kCategories));
    if (!row.empty() && r % 3 == 0) row.push_back(row.front());  // a repeat
    expected.emplace_back(row.begin(), row.end());
    CHECK(rows.Add(row) == static_cast<uint32_t>(r));
  }
  REQUIRE(rows.rows() == expected.size());
  for (uint32_t r = 0; r < rows.rows(); ++r) {
    const CategoryList list = rows.Row(r);
    const std::vector<int> want(expected[r].begin(), expected[r].end());
    REQUIRE(list.Indices() == want);
    CHECK(list.size() == want.size());
    CHECK(list.Empty() == want.empty());
    std::vector<int> seen;
    list.ForEach([&](int c) { seen.push_back(c); });
    CHECK(seen == want);
    for (int c = 0; c < kCategories; ++c) REQUIRE(list.Has(c) == (expected[r].count(c) == 1));
    std::vector<uint64_t> words(5, 0);
    words[4] = uint64_t{1} << 63;  // bits already set stay set
    list.OrInto(words.data());
    for (int c = 0; c < 5 * 64; ++c) {
      const bool bit = (words[c >> 6] >> (c & 63)) & 1u;
      REQUIRE(bit == (expected[r].count(c) == 1 || c == 5 * 64 - 1));
    }
  }
}

TEST_CASE("category rows index the highest 16-bit category and take heap by what they hold") {
  CategoryRows rows;
  std::vector<int> row = {CategoryRows::kMaxCategories - 1, 0, 70};
  rows.Add(row);
  std::vector<int> none;
  rows.Add(none);
  CHECK(rows.Row(0).Indices() == std::vector<int>{0, 70, CategoryRows::kMaxCategories - 1});
  CHECK(rows.Row(0).Has(CategoryRows::kMaxCategories - 1));
  CHECK_FALSE(rows.Row(0).Has(71));
  CHECK(rows.Row(1).Empty());
  CHECK_FALSE(rows.Row(1).Has(0));
  rows.ShrinkToFit();
  CHECK(rows.HeapBytes() == 3 * sizeof(uint32_t) + 3 * sizeof(uint16_t));
}

}  // namespace blastmap::core
