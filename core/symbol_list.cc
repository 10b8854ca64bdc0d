#include "core/symbol_list.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>

namespace blastmap::core {
namespace {

// The words (for a SymbolList, the identities of its Symbols), mixed (the finaliser of splitmix64 after
// each one). The words are read by memcpy: they are the representations of Symbols or of Attributes' pairs.
size_t Hash(const void* items, size_t n) noexcept {
  const auto* bytes = static_cast<const unsigned char*>(items);
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  for (size_t i = 0; i < n; ++i) {
    uint32_t word;
    std::memcpy(&word, bytes + i * sizeof(word), sizeof(word));
    h ^= word;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 31;
  }
  return static_cast<size_t>(h);
}

using symbol_list_pool::Entry;
using symbol_list_pool::kBlockWords;

// Block numbers are handed out to the shards in order; block 0 is never used (number 0 is the empty list).
std::atomic<size_t> next_block{1};

// One shard of the pool: the lists live in blocks of the pool that are never freed or moved, and an
// open-addressing table of list numbers finds them.
struct SymbolListShard {
  std::mutex mu;
  // The lists' numbers (0: an empty slot), by hash: a power of two of slots, at most half full. Only the
  // number is stored (the table is most of the pool's size): a probe compares lengths and Symbols, which
  // differ early, and growing hashes the lists again.
  std::vector<uint32_t> slots = std::vector<uint32_t>(64);
  size_t lists = 0;
  size_t bytes = 0;         // the blocks this shard took
  uint32_t free_first = 0;  // the number of the first free word of the current block(s)
  uint32_t free_words = 0;

  // The number of `words` new consecutive words.
  uint32_t Allocate(size_t words) {
    if (free_words < words) {
      const size_t count = (words + kBlockWords - 1) / kBlockWords;  // one, but for a very long list
      const size_t first = next_block.fetch_add(count);
      if (first + count > symbol_list_pool::kMaxBlocks) throw std::length_error("SymbolList pool is full");
      auto* block = static_cast<Entry*>(::operator new(count* kBlockWords * sizeof(Entry)));  // never freed
      for (size_t i = 0; i < count; ++i)
        symbol_list_pool::blocks[first + i].store(block + i * kBlockWords, std::memory_order_release);
      free_first = static_cast<uint32_t>(first * kBlockWords);
      free_words = static_cast<uint32_t>(count * kBlockWords);
      bytes += count * kBlockWords * sizeof(Entry);
    }
    const uint32_t out = free_first;
    free_first += static_cast<uint32_t>(words);
    free_words -= static_cast<uint32_t>(words);
    return out;
  }

  void Place(uint32_t list) {
    const size_t mask = slots.size() - 1;
    size_t i = HashOf(list) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = list;
  }

  void Grow() {
    std::vector<uint32_t> old(slots.size() * 2);
    old.swap(slots);
    for (uint32_t list : old) {
      if (list != 0) Place(list);
    }
  }

  static size_t HashOf(uint32_t list) {
    const Entry* entry = SymbolList::EntryOf(list);
    return Hash(entry + 1, entry->size);
  }
};

constexpr size_t kListShards = 64;  // a power of two; the high bits of the hash choose the shard

std::array<SymbolListShard, kListShards>& Shards() {
  static auto* shards = new std::array<SymbolListShard, kListShards>;  // never destroyed, as Symbol's pool
  return *shards;
}

}  // namespace

bool operator==(const SymbolList& a, const std::vector<Symbol>& b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

namespace symbol_list_pool {

std::atomic<const Entry*> blocks[kMaxBlocks];

uint32_t Intern(const void* items, size_t n) {
  if (n == 0) return 0;
  const size_t hash = Hash(items, n);
  auto same = [&](uint32_t list) {
    const Entry* entry = SymbolList::EntryOf(list);
    return entry->size == n && std::memcmp(items, entry + 1, n * sizeof(Entry)) == 0;
  };
  // The lists this thread interned last, by hash: a loader meets the same few lists over and over.
  thread_local std::array<uint32_t, 4096> recent{};
  uint32_t& cached = recent[hash & (recent.size() - 1)];
  if (cached != 0 && same(cached)) return cached;

  SymbolListShard& shard = Shards()[(hash >> 58) & (kListShards - 1)];
  std::lock_guard<std::mutex> lock(shard.mu);
  const size_t mask = shard.slots.size() - 1;
  for (size_t i = hash & mask; shard.slots[i] != 0; i = (i + 1) & mask) {
    if (same(shard.slots[i])) {
      cached = shard.slots[i];
      return cached;
    }
  }
  if (n >= UINT32_MAX - kBlockWords) throw std::length_error("SymbolList too long");
  const uint32_t list = shard.Allocate(n + 1);
  // The block's words are raw storage: the length, then the words, copied (which creates the Symbols, or
  // the pairs of a Symbol and a SymbolList, they represent: implicit-lifetime types of 4-byte words).
  Entry* entry = const_cast<Entry*>(SymbolList::EntryOf(list));
  entry->size = static_cast<uint32_t>(n);
  std::memcpy(entry + 1, items, n * sizeof(Entry));
  ++shard.lists;
  if (2 * (shard.lists + 1) > shard.slots.size()) shard.Grow();
  shard.Place(list);
  cached = list;
  return list;
}

}  // namespace symbol_list_pool

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
