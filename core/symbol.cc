#include "core/symbol.h"

#include <array>
#include <deque>
#include <mutex>
#include <ostream>
#include <unordered_set>

namespace blastmap::core {
namespace {

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>()(s); }
  size_t operator()(const std::string* s) const noexcept { return (*this)(std::string_view(*s)); }
};

struct TransparentEqual {
  using is_transparent = void;
  static std::string_view View(std::string_view s) { return s; }
  static std::string_view View(const std::string* s) { return *s; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const noexcept {
    return View(a) == View(b);
  }
};

// One shard: its strings live in a deque, whose elements never move, so Symbols can point at them.
struct Shard {
  std::mutex mu;
  std::deque<std::string> strings;
  std::unordered_set<const std::string*, TransparentHash, TransparentEqual> index;
  size_t bytes = 0;  // heap bytes of the strings beyond their std::string objects
};

// Power of two; the high bits of the hash choose the shard, the set uses the low ones.
constexpr size_t kShards = 64;

struct Pool {
  std::array<Shard, kShards> shards;
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: Symbols in static objects may outlive any destructor
  return *pool;
}

}  // namespace

const std::string* Symbol::EmptyString() noexcept {
  static const std::string* empty = new std::string;
  return empty;
}

const std::string* Symbol::Intern(std::string_view text) {
  if (text.empty()) return EmptyString();
  const size_t hash = TransparentHash()(text);
  Shard& shard = ThePool().shards[(hash >> 58) & (kShards - 1)];
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(text);
  if (it != shard.index.end()) return *it;
  const std::string* s = &shard.strings.emplace_back(text);
  if (s->capacity() > 15) shard.bytes += s->capacity() + 1;
  shard.index.insert(s);
  return s;
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
    // The deque's strings, the set's nodes (a pointer, a cached hash and a link, plus malloc's header) and
    // its buckets.
    n += shard.strings.size() * sizeof(std::string) + shard.bytes +
         shard.index.size() * (3 * sizeof(void*) + 8) + shard.index.bucket_count() * sizeof(void*);
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
