#include "core/symbol.h"

#include <array>
#include <deque>
#include <mutex>
#include <ostream>
#include <vector>

namespace blastmap::core {
namespace {

size_t Hash(std::string_view s) noexcept { return std::hash<std::string_view>()(s); }

// One shard: its strings live in a deque, whose elements never move, so Symbols can point at them, and an
// open-addressing table of (hash, string) finds them: the stored hash spares most string comparisons and
// any rehashing of the text.
struct Shard {
  struct Slot {
    size_t hash = 0;
    const std::string* s = nullptr;
  };
  std::mutex mu;
  std::deque<std::string> strings;
  std::vector<Slot> slots = std::vector<Slot>(64);  // a power of two, at most half full
  size_t bytes = 0;                                 // heap bytes of the strings beyond their std::string objects

  const std::string* FindOrAdd(std::string_view text, size_t hash) {
    const size_t mask = slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots[i];
      if (slot.s == nullptr) break;
      if (slot.hash == hash && *slot.s == text) return slot.s;
    }
    const std::string* s = &strings.emplace_back(text);
    if (s->capacity() > 15) bytes += s->capacity() + 1;
    if (2 * (strings.size() + 1) > slots.size()) Grow();
    Place({hash, s});
    return s;
  }

 private:
  void Place(Slot slot) {
    const size_t mask = slots.size() - 1;
    size_t i = slot.hash & mask;
    while (slots[i].s != nullptr) i = (i + 1) & mask;
    slots[i] = slot;
  }
  void Grow() {
    std::vector<Slot> old(slots.size() * 2);
    old.swap(slots);
    for (const Slot& slot : old) {
      if (slot.s != nullptr) Place(slot);
    }
  }
};

// Power of two; the high bits of the hash choose the shard, the table uses the low ones.
constexpr size_t kShards = 64;

struct Pool {
  std::array<Shard, kShards> shards;
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: Symbols in static objects may outlive any destructor
  return *pool;
}

// Each thread remembers the strings it interned last, by hash: most strings a loader meets repeat (a file
// for all the elements it declares, a node for its edges, a category key everywhere), and a hit here costs
// no lock and no probe of the shared table.
struct RecentCache {
  static constexpr size_t kSize = 4096;
  std::array<const std::string*, kSize> entries{};
};

}  // namespace

const std::string* Symbol::EmptyString() noexcept {
  static const std::string* empty = new std::string;
  return empty;
}

const std::string* Symbol::Intern(std::string_view text) {
  if (text.empty()) return EmptyString();
  const size_t hash = Hash(text);
  thread_local RecentCache recent;
  const std::string*& cached = recent.entries[hash & (RecentCache::kSize - 1)];
  if (cached != nullptr && *cached == text) return cached;
  Shard& shard = ThePool().shards[(hash >> 58) & (kShards - 1)];
  std::lock_guard<std::mutex> lock(shard.mu);
  cached = shard.FindOrAdd(text, hash);
  return cached;
}

std::ostream& operator<<(std::ostream& out, const Symbol& s) { return out << *s.s_; }

size_t Symbol::PoolSize() {
  size_t n = 0;
  for (Shard& shard : ThePool().shards) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.strings.size();
  }
  return n;
}

size_t Symbol::PoolBytes() {
  size_t n = 0;
  for (Shard& shard : ThePool().shards) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.strings.size() * sizeof(std::string) + shard.bytes + shard.slots.size() * sizeof(Shard::Slot);
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
