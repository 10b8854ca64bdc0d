// NameSet: a set of subjects, or of jurisdictions, as bits over a graph's interned table of them
// (core::Graph::SubjectName, JurisdictionName), read as their names in ascending order. A brief holds each
// exposed category's subjects so: the bits it computed, not lists interned per brief in the process-wide
// pool (a hash table's cold lines and a pool that grows with every new combination of subjects), and their
// jurisdictions follow from them (docs/performance-changes.md, "Subjects as bits (session 19)").
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "core/symbol.h"

namespace blastmap::core {
class Graph;
}

namespace blastmap::query {

class NameSet {
 public:
  enum class Table : uint8_t { kSubjects, kJurisdictions };

  NameSet() noexcept : inline_{} {}  // empty, of no graph
  // Empty, of `table` of `graph` (Add fills it).
  NameSet(const core::Graph& graph, Table table);
  // The names of `table` of `graph` whose bits are set in `bits` (the table's words: Graph::subject_words()
  // or jurisdiction_words()). `graph` must outlive the set, as a brief's graph outlives the brief.
  NameSet(const core::Graph& graph, Table table, std::span<const uint64_t> bits);
  // The names of `table` of `graph` among `names` (any order, repeats allowed); names the table lacks are
  // left out.
  static NameSet Of(const core::Graph& graph, Table table, const std::vector<core::Symbol>& names);
  NameSet(const NameSet& other);
  NameSet& operator=(const NameSet& other);
  NameSet(NameSet&& other) noexcept;
  NameSet& operator=(NameSet&& other) noexcept;
  ~NameSet();

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = core::Symbol;
    using difference_type = std::ptrdiff_t;
    using reference = const core::Symbol&;
    using pointer = const core::Symbol*;
    const_iterator() = default;
    const core::Symbol& operator*() const;
    const core::Symbol* operator->() const { return &**this; }
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& o) const { return bit_ == o.bit_; }

   private:
    friend class NameSet;
    const_iterator(const NameSet* set, size_t bit) : set_(set), bit_(bit) {}
    const NameSet* set_ = nullptr;
    size_t bit_ = 0;  // the current name's id; words_ * 64 at the end
  };
  const_iterator begin() const { return {this, NextBit(0)}; }
  const_iterator end() const { return {this, size_t{words_} * 64}; }
  size_t size() const;
  bool empty() const;
  std::span<const uint64_t> bits() const { return {data(), words_}; }
  std::vector<core::Symbol> vector() const;
  std::vector<std::string> strings() const;

  // Calls f(id) for each name's id in the table, ascending.
  template <typename F>
  void ForEachId(F&& f) const {
    for (size_t id = NextBit(0); id < size_t{words_} * 64; id = NextBit(id + 1)) f(static_cast<uint32_t>(id));
  }

  // Adds the names of `other`, a set of the same table of the same graph.
  void Add(const NameSet& other);

  // For a set of subjects: where they live, the union of their declarations' jurisdictions
  // (Graph::SubjectJurisdictions). Empty for a set of jurisdictions.
  NameSet Jurisdictions() const;

  // The same names (bits compared when both are of one graph's table, names otherwise).
  friend bool operator==(const NameSet& a, const NameSet& b);

 private:
  static constexpr size_t kInline = 2;  // words kept in place: up to 128 subjects, no allocation
  const uint64_t* data() const { return words_ > kInline ? heap_ : inline_; }
  uint64_t* data() { return words_ > kInline ? heap_ : inline_; }
  void Assign(std::span<const uint64_t> bits);
  void Release() noexcept;
  size_t NextBit(size_t from) const;
  const core::Symbol& Name(size_t id) const;

  const core::Graph* graph_ = nullptr;
  uint32_t words_ = 0;
  Table table_ = Table::kSubjects;
  union {
    uint64_t inline_[kInline];
    uint64_t* heap_;
  };
};

}  // namespace blastmap::query
