#include "core/text.h"

#include <algorithm>
#include <utility>

namespace blastmap::core {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions
  // ("onwer" -> "owner") each cost one edit.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> ClosestMatches(std::string_view word, const std::vector<std::string>& candidates,
                                        size_t limit) {
  // A plausible typo changes at most a third of the word (at least one edit), never the whole word.
  const size_t max_distance = std::max<size_t>(1, word.size() / 3);
  std::vector<std::pair<size_t, const std::string*>> scored;
  for (const auto& candidate : candidates) {
    size_t d = EditDistance(word, candidate);
    // A candidate that ends with the word (a missing prefix such as "user.") is also plausible.
    bool suffix = candidate.size() > word.size() && word.size() >= 3 &&
                  candidate.compare(candidate.size() - word.size(), word.size(), word) == 0 &&
                  candidate[candidate.size() - word.size() - 1] == '.';
    if (suffix) d = std::min(d, max_distance);
    if (d <= max_distance && d > 0 && d < word.size()) scored.emplace_back(d, &candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && out.size() < limit; ++i) out.push_back(*scored[i].second);
  return out;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = ClosestMatches(word, candidates, 1);
  if (best.empty()) return "";
  return " (did you mean '" + best.front() + "'?)";
}

}  // namespace blastmap::core
