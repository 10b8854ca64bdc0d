#include "core/category_rows.h"

#include <algorithm>
#include <cassert>

namespace blastmap::core {

uint32_t CategoryRows::Add(std::vector<int>& categories) {
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  for (int c : categories) {
    assert(c >= 0 && c < kMaxCategories);
    ids_.push_back(static_cast<uint16_t>(c));
  }
  offsets_.push_back(static_cast<uint32_t>(ids_.size()));
  return static_cast<uint32_t>(rows() - 1);
}

}  // namespace blastmap::core
