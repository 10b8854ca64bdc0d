// Collects the problems of one import, each as "file:line:col: message", so that a user sees them all
// at once; the import fails when any was reported.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace blastmap::importers {

class Diagnostics {
 public:
  static constexpr size_t kMaxErrors = 50;

  void Error(const core::Provenance& where, const std::string& message);
  void Warning(const core::Provenance& where, const std::string& message);
  bool has_errors() const { return error_count_ > 0; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Adds everything `other` collected, after what this one holds (merging per-file diagnostics in order).
  void Append(const Diagnostics& other);
  // All errors, one per line (with a closing count when some were left out); ok when there is none.
  core::Status ToStatus() const;

 private:
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  size_t error_count_ = 0;
};

}  // namespace blastmap::importers
