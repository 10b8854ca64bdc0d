#include "importers/csv_parser.h"

namespace blastmap::importers {
namespace {

char DetectDelimiter(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char kCandidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) break;
    for (int i = 0; i < 3; ++i) counts[i] += !quoted && c == kCandidates[i];
  }
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kCandidates[best];
}

// Checks UTF-8 well-formedness; returns the byte offset of the first bad sequence, or npos.
size_t InvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::vector<CsvRow>> ParseCsv(const std::string& path, std::string_view text, char delimiter,
                                            Diagnostics& diag) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  bool ok = true;
  std::vector<CsvRow> rows;
  int line = 1, col = 1;
  size_t i = 0;
  auto advance = [&](char c) {
    ++i;
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++col;  // count characters, not UTF-8 continuation bytes
    }
  };
  if (size_t bad = InvalidUtf8(text); bad != std::string_view::npos) {
    int l = 1, c = 1;
    for (size_t k = 0; k < bad; ++k) {
      if (text[k] == '\n') {
        ++l;
        c = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++c;
      }
    }
    diag.Error({path, l, c}, "invalid UTF-8 (save the file as UTF-8)");
    return std::nullopt;
  }
  if (delimiter == 0) delimiter = DetectDelimiter(text);

  CsvRow row;
  bool row_started = false;
  while (i < text.size()) {
    if (!row_started) {
      // Skip blank lines between rows.
      if (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
        if (text[i] == '\r') advance('\r');
        advance('\n');
        continue;
      }
      row = CsvRow{};
      row.line = line;
      row_started = true;
    }
    CsvCell cell;
    cell.line = line;
    cell.col = col;
    bool end_of_row = false;
    if (text[i] == '"') {
      cell.quoted = true;
      int qline = line, qcol = col;
      advance('"');
      bool closed = false;
      while (i < text.size()) {
        char c = text[i];
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell.text += '"';
            advance('"');
            advance('"');
            continue;
          }
          advance('"');
          closed = true;
          break;
        }
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
          advance('\r');
          continue;  // CRLF inside a quoted cell is a line break, kept as \n
        }
        cell.text += c;
        advance(c);
      }
      if (!closed) {
        diag.Error({path, qline, qcol}, "this quoted cell is never closed (a missing '\"')");
        return std::nullopt;
      }
      if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
        diag.Error({path, line, col},
                   std::string("unexpected text after the closing quote of a cell; quote ") +
                       "the whole cell and double any '\"' inside it");
        ok = false;
        while (i < text.size() && text[i] != delimiter && text[i] != '\n') advance(text[i]);
      }
    } else {
      while (i < text.size() && text[i] != delimiter && text[i] != '\n') {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') break;
        if (text[i] == '"') {
          diag.Error({path, line, col},
                     "a '\"' inside an unquoted cell; quote the whole cell and double the '\"'");
          ok = false;
        }
        cell.text += text[i];
        advance(text[i]);
      }
    }
    row.cells.push_back(std::move(cell));
    if (i < text.size() && text[i] == delimiter) {
      advance(delimiter);
      if (i == text.size()) row.cells.push_back(CsvCell{"", line, col});
      continue;
    }
    if (i < text.size() && text[i] == '\r') advance('\r');
    if (i < text.size() && text[i] == '\n') advance('\n');
    end_of_row = true;
    if (end_of_row) {
      rows.push_back(std::move(row));
      row_started = false;
    }
  }
  if (row_started) rows.push_back(std::move(row));
  if (!ok) return std::nullopt;
  return rows;
}

}  // namespace blastmap::importers
