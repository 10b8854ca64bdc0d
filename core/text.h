// Small text helpers shared by every layer: edit distance, "did you mean" suggestions, UTF-8 validation,
// ASCII lower case.
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

// The offset of the first byte of `text` that does not begin a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence), or npos when it is all
// well-formed.
size_t InvalidUtf8Offset(std::string_view text);

// `s` with its ASCII letters in lower case (other bytes, UTF-8 included, as they are).
std::string AsciiLower(std::string s);

}  // namespace blastmap::core
