// A small RFC 4180 CSV reader that keeps the line and column of every cell: quoted fields with "" escapes
// and embedded newlines, CRLF or LF line ends, a UTF-8 byte order mark, ',' ';' or tab delimiters.
// Internal to the importers layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importers/diagnostics.h"

namespace blastmap::importers {

struct CsvCell {
  std::string text;  // unquoted
  int line = 0;      // 1-based, where the cell starts
  int col = 0;       // 1-based, in characters (UTF-8 code points)
  bool quoted = false;
};

struct CsvRow {
  std::vector<CsvCell> cells;
  int line = 0;
};

// Parses `text` (the file `path`, named in messages). `delimiter` 0 picks the one of ',', ';' and tab
// that is most frequent in the first line, outside quotes. Blank lines are skipped. Reports syntax
// errors (an unterminated quote, a quote inside an unquoted cell, text after a closing quote, invalid
// UTF-8) at their position and returns nullopt when there was any.
std::optional<std::vector<CsvRow>> ParseCsv(const std::string& path, std::string_view text, char delimiter,
                                            Diagnostics& diag);

}  // namespace blastmap::importers
