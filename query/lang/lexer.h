// The lexer of the query language: words (identifiers, keywords, category keys, node ids), numbers,
// quoted strings and punctuation, each with its line and column. '#' starts a comment to the line's end.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "query/lang/ast.h"

namespace blastmap::query::lang {

struct Token {
  enum class Kind { kWord, kNumber, kString, kOp, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // the word, the digits, the string without quotes, or the operator
  Position at;
  size_t offset = 0;  // byte offset in the source
  size_t length = 0;  // bytes of source it covers (quotes included)
};

// Splits `text` into tokens ending with one kEnd token. Errors name the position:
// "NAME:LINE:COL: unterminated string". Words may contain letters, digits, '_', '.' and '-'
// (but a '-' directly before '>' ends the word, so a->b is three tokens).
core::Result<std::vector<Token>> Lex(const std::string& name, const std::string& text);

}  // namespace blastmap::query::lang
