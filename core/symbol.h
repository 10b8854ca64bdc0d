// Symbol: an interned, immutable string of 8 bytes, for the strings a map repeats millions of times (node ids
// in every edge, manifest file names, category keys, purposes, attribute keys). See
// docs/performance-changes.md, "Compact model (session 6)".
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace blastmap::core {

// A pointer to one string of a process-wide pool: equal strings are the same Symbol, so copying is a pointer
// copy and equality a pointer comparison. Constructing one hashes the text and looks it up (or adds it) in
// the pool, which is thread-safe and sharded by hash, so parallel loaders and importers rarely wait on each
// other. A default-constructed Symbol is the empty string.
//
// The pool only grows and is never freed: it holds each distinct string any map loaded by the process has
// used. That is bounded by the distinct ids, files and keys of the maps (about one pooled string per node for
// the ids, the rest a few thousand), against the tens of millions of copies it replaces; a server that loads
// many different maps over its life keeps their ids. Free text that is unique per element (names,
// descriptions) stays std::string: interning it would cost more than it saves.
class Symbol {
 public:
  Symbol() noexcept : s_(EmptyString()) {}
  Symbol(std::string_view text) : s_(Intern(text)) {}                  // NOLINT: implicit, like std::string
  Symbol(const std::string& text) : Symbol(std::string_view(text)) {}  // NOLINT
  Symbol(const char* text) : Symbol(std::string_view(text)) {}         // NOLINT

  // The pooled string; valid for the life of the process.
  const std::string& str() const noexcept { return *s_; }
  operator const std::string&() const noexcept { return *s_; }  // NOLINT: used where strings were
  operator std::string_view() const noexcept { return *s_; }    // NOLINT

  size_t size() const noexcept { return s_->size(); }
  size_t length() const noexcept { return s_->size(); }
  bool empty() const noexcept { return s_->empty(); }
  const char* data() const noexcept { return s_->data(); }
  const char* c_str() const noexcept { return s_->c_str(); }
  std::string::const_iterator begin() const noexcept { return s_->begin(); }
  std::string::const_iterator end() const noexcept { return s_->end(); }
  char operator[](size_t i) const noexcept { return (*s_)[i]; }
  bool starts_with(std::string_view prefix) const noexcept {
    return std::string_view(*s_).starts_with(prefix);
  }
  bool ends_with(std::string_view suffix) const noexcept { return std::string_view(*s_).ends_with(suffix); }
  size_t find(std::string_view what, size_t pos = 0) const noexcept { return s_->find(what, pos); }
  size_t find(char c, size_t pos = 0) const noexcept { return s_->find(c, pos); }
  size_t rfind(std::string_view what, size_t pos = std::string::npos) const noexcept {
    return s_->rfind(what, pos);
  }
  size_t rfind(char c, size_t pos = std::string::npos) const noexcept { return s_->rfind(c, pos); }
  std::string substr(size_t pos, size_t n = std::string::npos) const { return s_->substr(pos, n); }
  int compare(std::string_view other) const noexcept { return std::string_view(*s_).compare(other); }

  // Equality is identity in the pool; order is the strings' order (std::string's), as before interning.
  friend bool operator==(const Symbol& a, const Symbol& b) noexcept { return a.s_ == b.s_; }
  friend bool operator==(const Symbol& a, std::string_view b) noexcept { return *a.s_ == b; }
  friend bool operator==(const Symbol& a, const std::string& b) noexcept { return *a.s_ == b; }
  friend bool operator==(const Symbol& a, const char* b) noexcept { return *a.s_ == b; }
  friend std::strong_ordering operator<=>(const Symbol& a, const Symbol& b) noexcept {
    return a.s_ == b.s_ ? std::strong_ordering::equal : *a.s_ <=> *b.s_;
  }
  friend std::strong_ordering operator<=>(const Symbol& a, std::string_view b) noexcept {
    return std::string_view(*a.s_) <=> b;
  }
  friend std::strong_ordering operator<=>(const Symbol& a, const std::string& b) noexcept {
    return *a.s_ <=> b;
  }
  friend std::strong_ordering operator<=>(const Symbol& a, const char* b) noexcept {
    return std::string_view(*a.s_) <=> std::string_view(b);
  }

  // Concatenation gives a std::string, as with the strings Symbol replaces.
  friend std::string operator+(const Symbol& a, std::string_view b) { return Concat(*a.s_, b); }
  friend std::string operator+(const Symbol& a, const std::string& b) { return Concat(*a.s_, b); }
  friend std::string operator+(const Symbol& a, const char* b) { return Concat(*a.s_, b); }
  friend std::string operator+(const Symbol& a, char b) { return Concat(*a.s_, std::string_view(&b, 1)); }
  friend std::string operator+(const Symbol& a, const Symbol& b) { return Concat(*a.s_, *b.s_); }
  friend std::string operator+(std::string_view a, const Symbol& b) { return Concat(a, *b.s_); }
  friend std::string operator+(const std::string& a, const Symbol& b) { return Concat(a, *b.s_); }
  friend std::string operator+(std::string&& a, const Symbol& b) { return std::move(a.append(*b.s_)); }
  friend std::string operator+(const char* a, const Symbol& b) { return Concat(a, *b.s_); }
  friend std::string operator+(char a, const Symbol& b) { return Concat(std::string_view(&a, 1), *b.s_); }

  friend std::ostream& operator<<(std::ostream& out, const Symbol& s);

  // How many distinct strings the pool holds, and roughly the bytes it uses (for memory reports).
  static size_t PoolSize();
  static size_t PoolBytes();

 private:
  static const std::string* EmptyString() noexcept;
  static const std::string* Intern(std::string_view text);
  static std::string Concat(std::string_view a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return std::move(out.append(a).append(b));
  }

  const std::string* s_;  // never null; owned by the pool
};

// Element-wise conversions, for the edges between Symbol lists and code that works on string lists.
std::vector<Symbol> ToSymbols(const std::vector<std::string>& strings);
std::vector<std::string> ToStrings(const std::vector<Symbol>& symbols);

}  // namespace blastmap::core

// Hashes the identity, consistent with ==.
template <>
struct std::hash<blastmap::core::Symbol> {
  size_t operator()(const blastmap::core::Symbol& s) const noexcept {
    return std::hash<const void*>()(s.data());
  }
};
