// Sets of taxonomy category indices stored sparsely: each set a sorted row of 16-bit indices, all rows in
// one array. A flow or a store names a few categories of hundreds, so a row takes a few bytes where a
// bitset over the taxonomy takes words() * 8.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace blastmap::core {

// One set, viewed in place: its category indices, ascending, no duplicates. Valid while the rows it was
// taken from live and are not appended to.
class CategoryList {
 public:
  CategoryList() = default;
  explicit CategoryList(std::span<const uint16_t> ids) : ids_(ids) {}
  bool Has(int category) const {
    for (uint16_t c : ids_) {  // rows are short: a scan beats a binary search
      if (c >= category) return c == category;
    }
    return false;
  }
  bool Empty() const { return ids_.empty(); }
  size_t size() const { return ids_.size(); }
  const uint16_t* begin() const { return ids_.data(); }
  const uint16_t* end() const { return ids_.data() + ids_.size(); }
  // Category indices in the set, ascending.
  std::vector<int> Indices() const { return {ids_.begin(), ids_.end()}; }
  // Calls f(category) for every category in the set, ascending, without allocating.
  template <typename F>
  void ForEach(F&& f) const {
    for (uint16_t c : ids_) f(static_cast<int>(c));
  }
  // Sets the set's bits in `words` (bit c is bit c % 64 of word c / 64), which must hold every category.
  void OrInto(uint64_t* words) const {
    for (uint16_t c : ids_) words[c >> 6] |= uint64_t{1} << (c & 63);
  }

 private:
  std::span<const uint16_t> ids_;
};

// Rows of category sets, numbered in the order they were added.
class CategoryRows {
 public:
  // The most categories a row can name: indices are 16-bit.
  static constexpr int kMaxCategories = 65536;

  // Adds a row of `categories` (any order, repeats allowed; each in [0, kMaxCategories)); returns its
  // number. Sorts `categories` in place.
  uint32_t Add(std::vector<int>& categories);
  size_t rows() const { return offsets_.size() - 1; }
  CategoryList Row(uint32_t row) const {
    return CategoryList({ids_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]});
  }
  // Where row `row` starts among all the rows' categories (Begin(rows()): where the last ends); arrays aligned
  // with the rows keep a value per category there.
  uint32_t Begin(uint32_t row) const { return offsets_[row]; }
  // Starts fetching where row `row` is (its offsets), for loops over rows met at random.
  void PrefetchRow(uint32_t row) const { __builtin_prefetch(offsets_.data() + row); }
  void Reserve(size_t rows, size_t ids) {
    offsets_.reserve(rows + 1);
    ids_.reserve(ids);
  }
  // Releases the spare capacity the adds left.
  void ShrinkToFit() {
    offsets_.shrink_to_fit();
    ids_.shrink_to_fit();
  }
  // Bytes of heap the rows take (by capacity).
  size_t HeapBytes() const {
    return offsets_.capacity() * sizeof(uint32_t) + ids_.capacity() * sizeof(uint16_t);
  }

 private:
  std::vector<uint32_t> offsets_ = {0};  // rows() + 1: row r is ids_[offsets_[r], offsets_[r + 1])
  std::vector<uint16_t> ids_;
};

}  // namespace blastmap::core
