// A plain-text table with aligned columns (UTF-8 aware), used by the terminal renderers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/symbol.h"
#include "core/symbol_list.h"
#include "core/taxonomy.h"

namespace blastmap::query {

// The ANSI colours of the terminal renderers.
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kBoldRed = "\033[1;31m";
inline constexpr const char* kYellow = "\033[33m";
inline constexpr const char* kGreen = "\033[32m";

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  // Adds a row; `colors` (optional, per cell) are ANSI codes wrapped around the cell after padding.
  void AddRow(std::vector<std::string> cells, std::vector<std::string> colors = {});
  // A line printed under the last row, indented, outside the columns (e.g. a provenance path).
  void AddNote(std::string note);
  std::string Render(bool color, const std::string& indent = "  ") const;
  bool empty() const { return rows_.empty(); }

  // For a table too big to hold (a brief's 10^5 nodes with their paths): Measure() every row's cells first
  // (nothing is kept but the column widths), then write the header and each row and its notes straight into
  // `out`: the text is what AddRow/AddNote/Render give. The last column is never padded, so its cells may be
  // left out of Measure().
  void Measure(std::vector<std::string> cells);
  void RenderHeader(std::string& out, bool color, const std::string& indent = "  ") const;
  void RenderRow(std::string& out, std::vector<std::string> cells, std::vector<std::string> colors,
                 bool color, const std::string& indent = "  ") const;
  // `safe_note` must already be TerminalSafe.
  void RenderNote(std::string& out, const std::string& safe_note, bool color,
                  const std::string& indent = "  ") const;

 private:
  struct Row {
    std::vector<std::string> cells, colors;
    std::vector<std::string> notes;
  };
  // A row's cells made TerminalSafe, it and its colours one per column.
  void Prepare(std::vector<std::string>& cells, std::vector<std::string>& colors) const;
  void Widen(const std::vector<std::string>& safe_cells);
  void Line(std::string& out, const std::vector<std::string>& cells, const std::vector<std::string>* colors,
            bool header, bool color, const std::string& indent) const;

  std::vector<std::string> headers_;
  std::vector<size_t> width_;  // of each column: its header and every cell so far
  std::vector<Row> rows_;
};

// `s` with control characters (ESC among them) shown as \xNN, so manifest text cannot drive the terminal.
std::string TerminalSafe(const std::string& s);
// Display width of UTF-8 text (code points; no wide-character tables needed for our data).
size_t DisplayWidth(const std::string& s);
// 1234567 -> "1,234,567"; unknown (negative) -> "?".
std::string FormatCount(int64_t n);
// 0.3 -> "0.30".
std::string FormatLikelihood(double x);

// items joined by `sep`; with a limit, the rest as "+N more".
std::string Join(const std::vector<std::string>& items, const std::string& sep = ", ", size_t limit = 0);
std::string Join(const std::vector<core::Symbol>& items, const std::string& sep = ", ", size_t limit = 0);
std::string Join(const core::SymbolList& items, const std::string& sep = ", ", size_t limit = 0);
// A section heading (bold on a colour terminal), with a blank line before it.
std::string Heading(const std::string& text, bool color);
// ANSI colour of a sensitivity ("" for public and internal) and of a severity level.
const char* SensitivityColor(core::Sensitivity s);
const char* LevelColor(const std::string& level);
std::string Upper(std::string s);
// printf-style formatting of one number, e.g. Number(25.71) == "25.7".
std::string Number(double x, const char* format = "%.1f");

}  // namespace blastmap::query
