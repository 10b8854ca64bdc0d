#include "importers/diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace blastmap::importers {
namespace {

// A message echoes what a manifest holds: its control characters (C0, DEL, C1: a terminal escape
// sequence, a line break that would forge a second message) are shown escaped, never emitted, and a
// message that quotes a huge value is cut (at a character boundary).
std::string Printable(const std::string& text) {
  constexpr size_t kMaxMessage = 1000;
  std::string out;
  out.reserve(std::min(text.size(), kMaxMessage + 16));
  for (size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= kMaxMessage && (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      out += "... (cut)";
      break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    char buf[8];
    if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned char>(text[++i]));
      out += buf;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

void Diagnostics::Error(const core::Provenance& where, const std::string& message) {
  ++error_count_;
  if (errors_.size() < kMaxErrors) errors_.push_back(Printable(where.ToString() + ": " + message));
}

void Diagnostics::Warning(const core::Provenance& where, const std::string& message) {
  warnings_.push_back(Printable(where.ToString() + ": warning: " + message));
}

void Diagnostics::Append(const Diagnostics& other) {
  for (const auto& e : other.errors_) {
    if (errors_.size() < kMaxErrors) errors_.push_back(e);
  }
  error_count_ += other.error_count_;
  warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

core::Status Diagnostics::ToStatus() const {
  if (error_count_ == 0) return core::Status::Ok();
  std::string out;
  for (const auto& e : errors_) out += (out.empty() ? "" : "\n") + e;
  if (error_count_ > errors_.size()) {
    out += "\n... and " + std::to_string(error_count_ - errors_.size()) + " more errors";
  }
  return core::Status::Error(out);
}

}  // namespace blastmap::importers
