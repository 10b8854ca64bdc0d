#include "core/symbol_list.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

namespace blastmap::core {
namespace {

// The identities of the Symbols, mixed (the finaliser of splitmix64 after each one).
size_t Hash(const Symbol* items, size_t n) noexcept {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  for (size_t i = 0; i < n; ++i) {
    h ^= items[i].id();
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 31;
  }
  return static_cast<size_t>(h);
}

// One shard of the pool: the lists live in an arena of big blocks that are never freed or moved, and an
// open-addressing table of (hash, entry) finds them.
struct SymbolListShard {
  // The arena's blocks double from 1 KiB to 64 KiB (a small map's 64 shards stay small); a longer list gets
  // a block of its own.
  static constexpr size_t kFirstBlockWords = 128, kMaxBlockWords = 8192;

  std::mutex mu;
  // The lists, by hash: a power of two of slots, at most half full. Only the entry is stored (the table
  // is most of the pool's size): a probe compares lengths and Symbols, which differ early, and growing
  // hashes the lists again.
  std::vector<const SymbolList::Entry*> slots = std::vector<const SymbolList::Entry*>(64);
  size_t lists = 0;
  size_t bytes = 0;  // the arena's blocks
  Symbol* free_begin = nullptr;
  Symbol* free_end = nullptr;

  Symbol* Allocate(size_t words) {
    if (static_cast<size_t>(free_end - free_begin) < words) {
      const size_t next = std::clamp(bytes / sizeof(Symbol), kFirstBlockWords, kMaxBlockWords);
      const size_t block = std::max(words, next);
      free_begin =
          static_cast<Symbol*>(::operator new(block * sizeof(Symbol)));  // never freed: see the header
      free_end = free_begin + block;
      bytes += block * sizeof(Symbol);
    }
    Symbol* out = free_begin;
    free_begin += words;
    return out;
  }

  void Place(const SymbolList::Entry* entry) {
    const size_t mask = slots.size() - 1;
    size_t i = HashOf(entry) & mask;
    while (slots[i] != nullptr) i = (i + 1) & mask;
    slots[i] = entry;
  }

  void Grow() {
    std::vector<const SymbolList::Entry*> old(slots.size() * 2);
    old.swap(slots);
    for (const SymbolList::Entry* entry : old) {
      if (entry != nullptr) Place(entry);
    }
  }

  static size_t HashOf(const SymbolList::Entry* entry) {
    return Hash(reinterpret_cast<const Symbol*>(entry + 1), entry->size);
  }
};

constexpr size_t kShards = 64;  // a power of two; the high bits of the hash choose the shard

std::array<SymbolListShard, kShards>& Shards() {
  static auto* shards = new std::array<SymbolListShard, kShards>;  // never destroyed, as Symbol's pool
  return *shards;
}

}  // namespace

const SymbolList::Entry* SymbolList::EmptyEntry() noexcept {
  static const Entry empty{0};
  return &empty;
}

bool operator==(const SymbolList& a, const std::vector<Symbol>& b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

const SymbolList::Entry* SymbolList::Intern(const Symbol* items, size_t n) {
  if (n == 0) return EmptyEntry();
  const size_t hash = Hash(items, n);
  auto same = [&](const Entry* entry) {
    return entry->size == n && std::equal(items, items + n, reinterpret_cast<const Symbol*>(entry + 1));
  };
  // The lists this thread interned last, by hash: a loader meets the same few lists over and over.
  thread_local std::array<const Entry*, 4096> recent{};
  const Entry*& cached = recent[hash & (recent.size() - 1)];
  if (cached != nullptr && same(cached)) return cached;

  SymbolListShard& shard = Shards()[(hash >> 58) & (kShards - 1)];
  std::lock_guard<std::mutex> lock(shard.mu);
  const size_t mask = shard.slots.size() - 1;
  for (size_t i = hash & mask; shard.slots[i] != nullptr; i = (i + 1) & mask) {
    if (same(shard.slots[i])) {
      cached = shard.slots[i];
      return cached;
    }
  }
  Symbol* words = shard.Allocate(n + 1);
  auto* entry = new (words) Entry{static_cast<uint32_t>(n)};
  std::uninitialized_copy(items, items + n, words + 1);
  ++shard.lists;
  if (2 * (shard.lists + 1) > shard.slots.size()) shard.Grow();
  shard.Place(entry);
  cached = entry;
  return entry;
}

size_t SymbolList::PoolSize() {
  size_t n = 0;
  for (SymbolListShard& shard : Shards()) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.lists;
  }
  return n;
}

size_t SymbolList::PoolBytes() {
  size_t n = 0;
  for (SymbolListShard& shard : Shards()) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.bytes + shard.slots.size() * sizeof(shard.slots[0]);
  }
  return n;
}

std::vector<std::string> ToStrings(const SymbolList& symbols) {
  std::vector<std::string> out;
  out.reserve(symbols.size());
  for (const Symbol& s : symbols) out.push_back(s.str());
  return out;
}

}  // namespace blastmap::core
