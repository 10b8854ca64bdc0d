#include "query/lang/lexer.h"

#include <cctype>

namespace blastmap::query::lang {
namespace {

bool WordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool WordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::string Where(const std::string& name, Position at) {
  return name + ":" + std::to_string(at.line) + ":" + std::to_string(at.col) + ": ";
}

}  // namespace

core::Result<std::vector<Token>> Lex(const std::string& name, const std::string& text) {
  std::vector<Token> tokens;
  size_t i = 0;
  Position at;
  auto advance = [&](size_t n) {
    for (size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      if (text[i] == '\n') {
        ++at.line;
        at.col = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++at.col;  // columns count code points, not bytes
      }
    }
  };
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      advance(1);
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') advance(1);
      continue;
    }
    Token t;
    t.at = at;
    t.offset = i;
    if (WordStart(c)) {
      size_t j = i;
      while (j < text.size() && WordChar(text[j])) {
        if (text[j] == '-' && j + 1 < text.size() && text[j + 1] == '>') break;
        ++j;
      }
      // A word never ends in '.' or '-' (a trailing dot is punctuation in prose, never a key).
      while (j > i + 1 && (text[j - 1] == '.' || text[j - 1] == '-')) --j;
      t.kind = Token::Kind::kWord;
      t.text = text.substr(i, j - i);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      bool dot = false;
      while (j < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[j])) || (text[j] == '.' && !dot))) {
        dot = dot || text[j] == '.';
        ++j;
      }
      if (j < text.size() && WordStart(text[j])) {
        return core::Status::Error(Where(name, at) + "a number cannot run into a word ('" +
                                   text.substr(i, j - i + 1) + "...'); quote ids that start with a digit");
      }
      t.kind = Token::Kind::kNumber;
      t.text = text.substr(i, j - i);
    } else if (c == '"' || c == '\'') {
      size_t j = i + 1;
      std::string s;
      while (j < text.size() && text[j] != c && text[j] != '\n') {
        if (text[j] == '\\' && j + 1 < text.size() && (text[j + 1] == c || text[j + 1] == '\\')) ++j;
        s += text[j++];
      }
      if (j >= text.size() || text[j] != c) {
        return core::Status::Error(Where(name, at) + "unterminated string (close it with " +
                                   std::string(1, c) + ")");
      }
      t.kind = Token::Kind::kString;
      t.text = std::move(s);
      advance(j + 1 - i);
      t.length = i - t.offset;
      tokens.push_back(std::move(t));
      continue;
    } else {
      static const char* const kOps[] = {"->", "!=", "<=", ">=", "=", "<", ">", "(", ")", ",", ";", "*"};
      for (const char* op : kOps) {
        if (text.compare(i, std::char_traits<char>::length(op), op) == 0) {
          t.text = op;
          break;
        }
      }
      if (t.text.empty()) {
        return core::Status::Error(Where(name, at) + "unexpected character '" + std::string(1, c) + "'");
      }
      t.kind = Token::Kind::kOp;
    }
    t.length = t.text.size();
    advance(t.length);
    tokens.push_back(std::move(t));
  }
  Token end;
  end.kind = Token::Kind::kEnd;
  end.at = at;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

}  // namespace blastmap::query::lang
