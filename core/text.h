// Small text helpers shared by every layer: edit distance and "did you mean" suggestions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace blastmap::core {

// Edit distance between a and b, counting an adjacent transposition as one edit.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidates closest to `word` (at most `limit`), only those close enough to be a plausible typo.
std::vector<std::string> ClosestMatches(std::string_view word, const std::vector<std::string>& candidates,
                                        size_t limit = 1);

// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace blastmap::core
