#include "core/compact_text.h"

#include <cstring>
#include <new>
#include <ostream>
#include <stdexcept>

namespace blastmap::core {

uintptr_t Text::Make(std::string_view text) {
  if (text.empty()) return 0;
  if (text.size() > UINT32_MAX) throw std::length_error("Text longer than 4 GiB");
  const auto size = static_cast<uint32_t>(text.size());
  char* block = static_cast<char*>(::operator new(kHeader + text.size()));
  std::memcpy(block, &size, kHeader);
  std::memcpy(block + kHeader, text.data(), text.size());
  return reinterpret_cast<uintptr_t>(block);
}

void Text::Free() noexcept {
  if (p_ != 0 && !Shared()) ::operator delete(reinterpret_cast<char*>(p_));
  p_ = 0;
}

std::ostream& operator<<(std::ostream& out, const Text& text) { return out << text.view(); }

}  // namespace blastmap::core
