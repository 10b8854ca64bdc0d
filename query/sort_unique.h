// SortUnique: sorts a vector and drops its repeats (the lists a brief and its obligations gather).
#pragma once

#include <algorithm>
#include <vector>

namespace blastmap::query {

template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace blastmap::query
