#include "core/text.h"

#include <algorithm>
#include <cctype>
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
  // Nobody mistypes an identifier this long; and the edit distance costs the product of the lengths.
  constexpr size_t kMaxWord = 256;
  if (word.size() > kMaxWord) return {};
  // A plausible typo changes at most a third of the word (at least one edit), never the whole word.
  const size_t max_distance = std::max<size_t>(1, word.size() / 3);
  std::vector<std::pair<size_t, const std::string*>> scored;
  for (const auto& candidate : candidates) {
    // A candidate that ends with the word (a missing prefix such as "user.") is also plausible.
    bool suffix = candidate.size() > word.size() && word.size() >= 3 &&
                  candidate.compare(candidate.size() - word.size(), word.size(), word) == 0 &&
                  candidate[candidate.size() - word.size() - 1] == '.';
    // The distance is at least the difference of the lengths: skip what cannot be close.
    size_t gap =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (!suffix && gap > max_distance) continue;
    size_t d = EditDistance(word, candidate);
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

size_t InvalidUtf8Offset(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte (RFC 3629's table)
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::string AsciiLower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace blastmap::core
