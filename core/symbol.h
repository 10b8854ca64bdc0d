// Symbol: an interned, immutable string of 4 bytes, for the strings a map repeats millions of times (node ids
// in every edge, manifest file names, category keys, purposes, attribute keys). See
// docs/performance-changes.md, "Compact model (session 6)".
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace blastmap::core {

namespace symbol_pool {
// The pool's strings, in chunks of kChunk std::strings that are allocated once and never moved or freed; the
// Symbol with number i is chunks[i / kChunk][i % kChunk]. Number 0 is the empty string, which needs no chunk.
inline constexpr unsigned kChunkBits = 12;
inline constexpr uint32_t kChunk = uint32_t{1} << kChunkBits;
inline constexpr size_t kMaxChunks = size_t{1} << (32 - kChunkBits);
extern std::atomic<const std::string*> chunks[kMaxChunks];
extern const std::string empty;
}  // namespace symbol_pool

// The number of one string of a process-wide pool: equal strings are the same Symbol, so copying is a 4-byte
// copy and equality an integer comparison. Constructing one hashes the text and looks it up (or adds it) in
// the pool, which is thread-safe and sharded by hash, so parallel loaders and importers rarely wait on each
// other. A default-constructed Symbol is the empty string. Reading the string is two dependent loads (the
// chunk, then the string), as a pointer was one: the chunk table of a map's few hundred chunks stays in
// cache. See docs/performance-changes.md, "Four-byte symbols (session 9)".
//
// The pool only grows and is never freed: it holds each distinct string any map loaded by the process has
// used. That is bounded by the distinct ids, files and keys of the maps (about one pooled string per node for
// the ids, the rest a few thousand), against the tens of millions of copies it replaces; a server that loads
// many different maps over its life keeps their ids (at most 2^32 - 1 distinct strings). Free text that is
// unique per element (names, descriptions) is Text (core/compact_text.h): interning it would cost more than
// it saves.
class Symbol {
 public:
  Symbol() noexcept = default;
  Symbol(std::string_view text) : i_(Intern(text)) {}                  // NOLINT: implicit, like std::string
  Symbol(const std::string& text) : Symbol(std::string_view(text)) {}  // NOLINT
  Symbol(const char* text) : Symbol(std::string_view(text)) {}         // NOLINT

  // The pooled string; valid for the life of the process, at an address that never changes.
  const std::string& str() const noexcept {
    if (i_ == 0) return symbol_pool::empty;
    return symbol_pool::chunks[i_ >> symbol_pool::kChunkBits].load(
        std::memory_order_relaxed)[i_ & (symbol_pool::kChunk - 1)];
  }
  operator const std::string&() const noexcept { return str(); }  // NOLINT: used where strings were
  operator std::string_view() const noexcept { return str(); }    // NOLINT
  // The string's number in the pool (0 for the empty string): the same for equal strings, for hashing.
  uint32_t id() const noexcept { return i_; }

  size_t size() const noexcept { return str().size(); }
  size_t length() const noexcept { return str().size(); }
  bool empty() const noexcept { return str().empty(); }
  const char* data() const noexcept { return str().data(); }
  const char* c_str() const noexcept { return str().c_str(); }
  std::string::const_iterator begin() const noexcept { return str().begin(); }
  std::string::const_iterator end() const noexcept { return str().end(); }
  char operator[](size_t i) const noexcept { return (str())[i]; }
  bool starts_with(std::string_view prefix) const noexcept {
    return std::string_view(str()).starts_with(prefix);
  }
  bool ends_with(std::string_view suffix) const noexcept { return std::string_view(str()).ends_with(suffix); }
  size_t find(std::string_view what, size_t pos = 0) const noexcept { return str().find(what, pos); }
  size_t find(char c, size_t pos = 0) const noexcept { return str().find(c, pos); }
  size_t rfind(std::string_view what, size_t pos = std::string::npos) const noexcept {
    return str().rfind(what, pos);
  }
  size_t rfind(char c, size_t pos = std::string::npos) const noexcept { return str().rfind(c, pos); }
  std::string substr(size_t pos, size_t n = std::string::npos) const { return str().substr(pos, n); }
  int compare(std::string_view other) const noexcept { return std::string_view(str()).compare(other); }

  // Equality is identity in the pool; order is the strings' order (std::string's), as before interning.
  friend bool operator==(const Symbol& a, const Symbol& b) noexcept { return a.i_ == b.i_; }
  friend bool operator==(const Symbol& a, std::string_view b) noexcept { return a.str() == b; }
  friend bool operator==(const Symbol& a, const std::string& b) noexcept { return a.str() == b; }
  friend bool operator==(const Symbol& a, const char* b) noexcept { return a.str() == b; }
  friend std::strong_ordering operator<=>(const Symbol& a, const Symbol& b) noexcept {
    return a.i_ == b.i_ ? std::strong_ordering::equal : a.str() <=> b.str();
  }
  friend std::strong_ordering operator<=>(const Symbol& a, std::string_view b) noexcept {
    return std::string_view(a.str()) <=> b;
  }
  friend std::strong_ordering operator<=>(const Symbol& a, const std::string& b) noexcept {
    return a.str() <=> b;
  }
  friend std::strong_ordering operator<=>(const Symbol& a, const char* b) noexcept {
    return std::string_view(a.str()) <=> std::string_view(b);
  }

  // Concatenation gives a std::string, as with the strings Symbol replaces.
  friend std::string operator+(const Symbol& a, std::string_view b) { return Concat(a.str(), b); }
  friend std::string operator+(const Symbol& a, const std::string& b) { return Concat(a.str(), b); }
  friend std::string operator+(const Symbol& a, const char* b) { return Concat(a.str(), b); }
  friend std::string operator+(const Symbol& a, char b) { return Concat(a.str(), std::string_view(&b, 1)); }
  friend std::string operator+(const Symbol& a, const Symbol& b) { return Concat(a.str(), b.str()); }
  friend std::string operator+(std::string_view a, const Symbol& b) { return Concat(a, b.str()); }
  friend std::string operator+(const std::string& a, const Symbol& b) { return Concat(a, b.str()); }
  friend std::string operator+(std::string&& a, const Symbol& b) { return std::move(a.append(b.str())); }
  friend std::string operator+(const char* a, const Symbol& b) { return Concat(a, b.str()); }
  friend std::string operator+(char a, const Symbol& b) { return Concat(std::string_view(&a, 1), b.str()); }

  friend std::ostream& operator<<(std::ostream& out, const Symbol& s);

  // How many distinct strings the pool holds, and roughly the bytes it uses (for memory reports).
  static size_t PoolSize();
  static size_t PoolBytes();

 private:
  static uint32_t Intern(std::string_view text);
  static std::string Concat(std::string_view a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return std::move(out.append(a).append(b));
  }

  uint32_t i_ = 0;  // the string's number in the pool
};

// Element-wise conversions, for the edges between Symbol lists and code that works on string lists.
std::vector<Symbol> ToSymbols(const std::vector<std::string>& strings);
std::vector<std::string> ToStrings(const std::vector<Symbol>& symbols);

}  // namespace blastmap::core

// Hashes the identity, consistent with ==.
template <>
struct std::hash<blastmap::core::Symbol> {
  size_t operator()(const blastmap::core::Symbol& s) const noexcept { return std::hash<uint32_t>()(s.id()); }
};
