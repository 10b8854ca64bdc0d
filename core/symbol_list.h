// SymbolList: an interned, immutable list of Symbols in 4 bytes, for the short lists a map repeats millions
// of times (the categories and subjects of holdings and flows, subjects' jurisdictions). See
// docs/performance-changes.md, "Compact text and lists (session 7)".
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/symbol.h"

namespace blastmap::core {

namespace symbol_list_pool {
// A pooled list: its length in 4-byte words, then its words (a SymbolList's Symbols), in the pool's blocks
// (symbol_list.cc).
struct alignas(Symbol) Entry {
  uint32_t size;
};
static_assert(sizeof(Entry) == sizeof(Symbol));
// The pool's words, in blocks of kBlockWords that are allocated once and never moved or freed; the list
// numbered i starts at word i % kBlockWords of block i / kBlockWords (a list longer than a block spans
// consecutive block numbers of one allocation). Number 0 is the empty list, which needs no block.
inline constexpr unsigned kBlockBits = 12;
inline constexpr uint32_t kBlockWords = uint32_t{1} << kBlockBits;
inline constexpr size_t kMaxBlocks = size_t{1} << (32 - kBlockBits);
extern std::atomic<const Entry*> blocks[kMaxBlocks];
inline constexpr Entry kEmpty{0};
// The number of the pooled list of the `words` 4-byte words at `items` (0 when `words` is 0), added when
// missing: equal sequences of words are one list. SymbolList's lists and Attributes' entry lists
// (core/model.h) share the pool; a number is only read back as the type it was made from. Thread-safe;
// throws std::length_error when the pool is full.
uint32_t Intern(const void* items, size_t words);
}  // namespace symbol_list_pool

// The number of one list of a process-wide pool, like Symbol's: equal lists (the same Symbols in the same
// order) are the same SymbolList, so copying is a 4-byte copy and equality an integer comparison. Building
// one hashes the Symbols' identities and looks the list up (or adds it) in the pool, thread-safe and sharded
// by hash. Code that builds a list builds a std::vector<Symbol> and assigns it. A default-constructed
// SymbolList is empty. Reading a list is two dependent loads (the block, then the list), as for Symbol.
//
// The pool only grows and is never freed, as Symbol's: it holds each distinct list the maps loaded by the
// process have used (on the generated 10^6 map about a third of the flows' category lists are distinct, and
// a few hundred subject lists serve millions of elements), at most 2^32 words of lists and length.
class SymbolList {
 public:
  using value_type = Symbol;
  using const_iterator = const Symbol*;
  using iterator = const Symbol*;
  using Entry = symbol_list_pool::Entry;

  SymbolList() noexcept = default;
  SymbolList(const std::vector<Symbol>& symbols) : n_(Intern(symbols.data(), symbols.size())) {}  // NOLINT
  SymbolList(std::initializer_list<Symbol> symbols) : n_(Intern(symbols.begin(), symbols.size())) {}

  const Symbol* begin() const noexcept { return Items(); }
  const Symbol* end() const noexcept { return Items() + size(); }
  // The list's Symbols, at an address that never changes (equal lists: the same address).
  const Symbol* data() const noexcept { return Items(); }
  size_t size() const noexcept { return EntryOf(n_)->size; }
  bool empty() const noexcept { return n_ == 0; }
  const Symbol& operator[](size_t i) const noexcept { return Items()[i]; }
  const Symbol& front() const noexcept { return Items()[0]; }
  const Symbol& back() const noexcept { return Items()[size() - 1]; }
  std::vector<Symbol> vector() const { return std::vector<Symbol>(begin(), end()); }

  // Equality is identity in the pool, and the same as comparing the Symbols one by one.
  friend bool operator==(const SymbolList& a, const SymbolList& b) noexcept { return a.n_ == b.n_; }
  friend bool operator==(const SymbolList& a, const std::vector<Symbol>& b) noexcept;

  // How many distinct lists the pool holds, and the bytes it has allocated (for memory reports); Attributes'
  // entry lists included.
  static size_t PoolSize();
  static size_t PoolBytes();

  // The pooled list numbered `n` (0: the empty list).
  static const Entry* EntryOf(uint32_t n) noexcept {
    if (n == 0) return &symbol_list_pool::kEmpty;
    return symbol_list_pool::blocks[n >> symbol_list_pool::kBlockBits].load(std::memory_order_relaxed) +
           (n & (symbol_list_pool::kBlockWords - 1));
  }

 private:
  static uint32_t Intern(const Symbol* items, size_t n) { return symbol_list_pool::Intern(items, n); }
  const Symbol* Items() const noexcept { return reinterpret_cast<const Symbol*>(EntryOf(n_) + 1); }

  uint32_t n_ = 0;  // the list's number in the pool
};
static_assert(sizeof(SymbolList) == 4);

std::vector<std::string> ToStrings(const SymbolList& symbols);

}  // namespace blastmap::core
