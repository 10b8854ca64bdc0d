// The parser of the query language (grammar in docs/query-language.md): recursive descent over the
// lexer's tokens, with errors that name the line and column of the offending token.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "query/lang/ast.h"

namespace blastmap::query::lang {

// Parses a script: zero or more statements, optionally separated by ';', with '#' comments.
// `name` prefixes error messages: "NAME:LINE:COL: expected 'by' after 'rank vendors', found 'limit'".
core::Result<std::vector<Statement>> ParseScript(const std::string& name, const std::string& text);

// Parses a lone row filter (the `where` part), as policies and minimise goals use.
core::Result<ExprPtr> ParseFilter(const std::string& name, const std::string& text);

}  // namespace blastmap::query::lang
