#include "core/symbol.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <ostream>
#include <vector>

namespace blastmap::core {
namespace {

size_t Hash(std::string_view s) noexcept { return std::hash<std::string_view>()(s); }

// The strings live in the chunks of symbol_pool (symbol.h), numbered in the order they were first interned;
// each shard's open-addressing table of (hash, number) finds its strings: the stored hash (its high half)
// spares most string comparisons and any rehashing of the text.
struct Shard {
  struct Slot {
    uint32_t hash = 0;    // the hash's bits 0-31
    uint32_t number = 0;  // 0: an empty slot
  };
  std::mutex mu;
  std::vector<Slot> slots = std::vector<Slot>(64);  // a power of two, at most half full
  size_t strings = 0;
  size_t bytes = 0;  // heap bytes of the strings beyond their std::string objects

  uint32_t FindOrAdd(std::string_view text, size_t hash);

 private:
  void Place(Slot slot) {
    const size_t mask = slots.size() - 1;
    size_t i = slot.hash & mask;
    while (slots[i].number != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  void Grow() {
    std::vector<Slot> old(slots.size() * 2);
    old.swap(slots);
    for (const Slot& slot : old) {
      if (slot.number != 0) Place(slot);
    }
  }
};

// Power of two; the high bits of the hash choose the shard, the table uses the low ones.
constexpr size_t kShards = 64;

struct Pool {
  std::array<Shard, kShards> shards;
  std::atomic<uint64_t> next{1};  // the next string's number; 0 is the empty string
  std::mutex chunk_mu;            // held to allocate a chunk
  size_t chunks_allocated = 0;    // guarded by chunk_mu
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: Symbols in static objects may outlive any destructor
  return *pool;
}

const std::string& StringOf(uint32_t number) {
  using namespace symbol_pool;
  return chunks[number >> kChunkBits].load(std::memory_order_acquire)[number & (kChunk - 1)];
}

// Constructs the string numbered `number` in its chunk. A chunk is raw storage, allocated here when the first
// of its numbers is used (numbers are handed out in parallel, so another thread may need the same chunk at
// once), and its strings are constructed one by one, so the pages of numbers not used yet stay untouched.
void Construct(uint32_t number, std::string_view text) {
  using namespace symbol_pool;
  std::atomic<const std::string*>& chunk = chunks[number >> kChunkBits];
  const std::string* strings = chunk.load(std::memory_order_acquire);
  if (strings == nullptr) {
    Pool& pool = ThePool();
    std::lock_guard<std::mutex> lock(pool.chunk_mu);
    strings = chunk.load(std::memory_order_relaxed);
    if (strings == nullptr) {
      // Never freed: see the header.
      strings = static_cast<const std::string*>(::operator new(kChunk * sizeof(std::string)));
      chunk.store(strings, std::memory_order_release);
      ++pool.chunks_allocated;
    }
  }
  new (const_cast<std::string*>(strings + (number & (kChunk - 1)))) std::string(text);
}

uint32_t Shard::FindOrAdd(std::string_view text, size_t hash) {
  const auto h32 = static_cast<uint32_t>(hash);
  const size_t mask = slots.size() - 1;
  for (size_t i = h32 & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots[i];
    if (slot.number == 0) break;
    if (slot.hash == h32 && StringOf(slot.number) == text) return slot.number;
  }
  const uint64_t number = ThePool().next.fetch_add(1, std::memory_order_relaxed);
  if (number > UINT32_MAX) {
    std::fputs("blastmap: more than 2^32 distinct strings interned\n", stderr);
    std::abort();
  }
  Construct(static_cast<uint32_t>(number), text);
  ++strings;
  if (text.size() > 15) bytes += text.size() + 1;
  if (2 * (strings + 1) > slots.size()) Grow();
  Place({h32, static_cast<uint32_t>(number)});
  return static_cast<uint32_t>(number);
}

// Each thread remembers the strings it interned last, by hash: most strings a loader meets repeat (a file
// for all the elements it declares, a node for its edges, a category key everywhere), and a hit here costs
// no lock and no probe of the shared table.
struct RecentCache {
  static constexpr size_t kSize = 4096;
  std::array<uint32_t, kSize> entries{};
};

}  // namespace

namespace symbol_pool {
std::atomic<const std::string*> chunks[kMaxChunks];
const std::string empty;
}  // namespace symbol_pool

uint32_t Symbol::Intern(std::string_view text) {
  if (text.empty()) return 0;
  const size_t hash = Hash(text);
  thread_local RecentCache recent;
  uint32_t& cached = recent.entries[hash & (RecentCache::kSize - 1)];
  if (cached != 0 && StringOf(cached) == text) return cached;
  Shard& shard = ThePool().shards[(hash >> 58) & (kShards - 1)];
  std::lock_guard<std::mutex> lock(shard.mu);
  cached = shard.FindOrAdd(text, hash);
  return cached;
}

std::ostream& operator<<(std::ostream& out, const Symbol& s) { return out << s.str(); }

size_t Symbol::PoolSize() {
  size_t n = 0;
  for (Shard& shard : ThePool().shards) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.strings;
  }
  return n;
}

size_t Symbol::PoolBytes() {
  Pool& pool = ThePool();
  size_t n = 0;
  {
    std::lock_guard<std::mutex> lock(pool.chunk_mu);
    n += pool.chunks_allocated * symbol_pool::kChunk * sizeof(std::string);
  }
  for (Shard& shard : pool.shards) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.bytes + shard.slots.size() * sizeof(Shard::Slot);
  }
  return n;
}

std::vector<Symbol> ToSymbols(const std::vector<std::string>& strings) {
  return std::vector<Symbol>(strings.begin(), strings.end());
}

std::vector<std::string> ToStrings(const std::vector<Symbol>& symbols) {
  std::vector<std::string> out;
  out.reserve(symbols.size());
  for (const Symbol& s : symbols) out.push_back(s.str());
  return out;
}

}  // namespace blastmap::core
