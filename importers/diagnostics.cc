#include "importers/diagnostics.h"

namespace blastmap::importers {

void Diagnostics::Error(const core::Provenance& where, const std::string& message) {
  ++error_count_;
  if (errors_.size() < kMaxErrors) errors_.push_back(where.ToString() + ": " + message);
}

void Diagnostics::Warning(const core::Provenance& where, const std::string& message) {
  warnings_.push_back(where.ToString() + ": warning: " + message);
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
