// SymbolList: an interned, immutable list of Symbols in 8 bytes, for the short lists a map repeats millions
// of times (the categories and subjects of holdings and flows, subjects' jurisdictions). See
// docs/performance-changes.md, "Compact text and lists (session 7)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/symbol.h"

namespace blastmap::core {

// A pointer to one list of a process-wide pool, like Symbol's: equal lists (the same Symbols in the same
// order) are the same SymbolList, so copying is a pointer copy and equality a pointer comparison. Building
// one hashes the Symbols' identities and looks the list up (or adds it) in the pool, thread-safe and sharded
// by hash. Code that builds a list builds a std::vector<Symbol> and assigns it. A default-constructed
// SymbolList is empty.
//
// The pool only grows and is never freed, as Symbol's: it holds each distinct list the maps loaded by the
// process have used (on the generated 10^6 map about a third of the flows' category lists are distinct, and
// a few hundred subject lists serve millions of elements).
class SymbolList {
 public:
  using value_type = Symbol;
  using const_iterator = const Symbol*;
  using iterator = const Symbol*;

  SymbolList() noexcept : p_(EmptyEntry()) {}
  SymbolList(const std::vector<Symbol>& symbols) : p_(Intern(symbols.data(), symbols.size())) {}  // NOLINT
  SymbolList(std::initializer_list<Symbol> symbols) : p_(Intern(symbols.begin(), symbols.size())) {}

  const Symbol* begin() const noexcept { return Items(); }
  const Symbol* end() const noexcept { return Items() + p_->size; }
  const Symbol* data() const noexcept { return Items(); }
  size_t size() const noexcept { return p_->size; }
  bool empty() const noexcept { return p_->size == 0; }
  const Symbol& operator[](size_t i) const noexcept { return Items()[i]; }
  const Symbol& front() const noexcept { return Items()[0]; }
  const Symbol& back() const noexcept { return Items()[p_->size - 1]; }
  std::vector<Symbol> vector() const { return std::vector<Symbol>(begin(), end()); }

  // Equality is identity in the pool, and the same as comparing the Symbols one by one.
  friend bool operator==(const SymbolList& a, const SymbolList& b) noexcept { return a.p_ == b.p_; }
  friend bool operator==(const SymbolList& a, const std::vector<Symbol>& b) noexcept;

  // How many distinct lists the pool holds, and the bytes it has allocated (for memory reports).
  static size_t PoolSize();
  static size_t PoolBytes();

  // A pooled list: its length, then its Symbols, in one allocation of the pool's arena (symbol_list.cc).
  struct alignas(Symbol) Entry {
    uint32_t size;
  };
  static_assert(sizeof(Entry) == sizeof(Symbol));

 private:
  static const Entry* EmptyEntry() noexcept;
  static const Entry* Intern(const Symbol* items, size_t n);
  const Symbol* Items() const noexcept { return reinterpret_cast<const Symbol*>(p_ + 1); }

  const Entry* p_;  // never null; owned by the pool
};

std::vector<std::string> ToStrings(const SymbolList& symbols);

}  // namespace blastmap::core
