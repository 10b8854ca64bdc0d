// Text: an immutable string of 8 bytes, for the free text unique to one element of a map (node and subject
// names, flow and access descriptions). See docs/performance-changes.md, "Compact text and lists (session
// 7)".
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/symbol.h"

namespace blastmap::core {

// One pointer: null for the empty string, else either a heap block of its own (the length, then the chars)
// or, when made from a Symbol, the Symbol's pooled string, which lives as long as the process (a node's
// name that is its id costs nothing more). Which of the two it is cannot be observed: every operation sees
// the same characters. Copying an owned text copies its block; a moved-from Text is empty.
class Text {
 public:
  Text() noexcept = default;
  Text(std::string_view text) : p_(Make(text)) {}                  // NOLINT: implicit, like std::string
  Text(const std::string& text) : Text(std::string_view(text)) {}  // NOLINT
  Text(const char* text) : Text(std::string_view(text)) {}         // NOLINT
  Text(const Symbol& symbol) noexcept                              // NOLINT: shares the pooled string
      : p_(symbol.empty() ? 0 : reinterpret_cast<uintptr_t>(&symbol.str()) | kShared) {}
  Text(const Text& other) : p_(other.Shared() ? other.p_ : Make(other.view())) {}
  Text(Text&& other) noexcept : p_(other.p_) { other.p_ = 0; }
  Text& operator=(const Text& other) {
    if (this != &other) *this = Text(other);
    return *this;
  }
  Text& operator=(Text&& other) noexcept {
    if (this != &other) {
      Free();
      p_ = other.p_;
      other.p_ = 0;
    }
    return *this;
  }
  ~Text() { Free(); }

  std::string_view view() const noexcept {
    if (p_ == 0) return {};
    if (Shared()) return *reinterpret_cast<const std::string*>(p_ & ~kShared);
    const char* block = reinterpret_cast<const char*>(p_);
    uint32_t size;
    std::memcpy(&size, block, kHeader);
    return {block + kHeader, size};
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT: used where strings were
  std::string str() const { return std::string(view()); }

  bool empty() const noexcept { return p_ == 0; }
  size_t size() const noexcept { return view().size(); }
  size_t length() const noexcept { return size(); }
  const char* data() const noexcept { return view().data(); }
  std::string_view::const_iterator begin() const noexcept { return view().begin(); }
  std::string_view::const_iterator end() const noexcept { return view().end(); }
  char operator[](size_t i) const noexcept { return view()[i]; }
  bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
  size_t find(std::string_view what, size_t pos = 0) const noexcept { return view().find(what, pos); }
  size_t find(char c, size_t pos = 0) const noexcept { return view().find(c, pos); }
  std::string substr(size_t pos, size_t n = std::string::npos) const {
    return std::string(view().substr(pos, n));
  }

  // Comparisons are the characters' (std::string's), against Text and anything that is a string.
  friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const char* b) noexcept { return a.view() == b; }
  friend bool operator==(const Text& a, const Symbol& b) noexcept { return a.view() == std::string_view(b); }
  friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const Text& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }
  friend std::strong_ordering operator<=>(const Text& a, const std::string& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const Text& a, const char* b) noexcept {
    return a.view() <=> std::string_view(b);
  }

  // Concatenation gives a std::string, as with the strings Text replaces.
  friend std::string operator+(const Text& a, std::string_view b) { return Concat(a.view(), b); }
  friend std::string operator+(const Text& a, const std::string& b) { return Concat(a.view(), b); }
  friend std::string operator+(const Text& a, const char* b) { return Concat(a.view(), b); }
  friend std::string operator+(const Text& a, char b) { return Concat(a.view(), std::string_view(&b, 1)); }
  friend std::string operator+(std::string_view a, const Text& b) { return Concat(a, b.view()); }
  friend std::string operator+(const std::string& a, const Text& b) { return Concat(a, b.view()); }
  friend std::string operator+(std::string&& a, const Text& b) { return std::move(a.append(b.view())); }
  friend std::string operator+(const char* a, const Text& b) { return Concat(a, b.view()); }
  friend std::string operator+(char a, const Text& b) { return Concat(std::string_view(&a, 1), b.view()); }

  friend std::ostream& operator<<(std::ostream& out, const Text& text);

 private:
  // An owned block is a uint32_t length, then the chars (no terminating null), allocated as one.
  static constexpr size_t kHeader = sizeof(uint32_t);
  // The low bit marks a Symbol's pooled string (aligned, so the bit is free).
  static constexpr uintptr_t kShared = 1;

  static uintptr_t Make(std::string_view text);
  static std::string Concat(std::string_view a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    return std::move(out.append(a).append(b));
  }
  bool Shared() const noexcept { return (p_ & kShared) != 0; }
  void Free() noexcept;

  uintptr_t p_ = 0;  // 0, an owned block, or a const std::string* | kShared
};

}  // namespace blastmap::core
