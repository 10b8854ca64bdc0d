// A plain-text table with aligned columns (UTF-8 aware), used by the terminal renderers.
#pragma once

#include <string>
#include <vector>

namespace blastmap::query {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Adds a row; `colors` (optional, per cell) are ANSI codes wrapped around the cell after padding.
  void AddRow(std::vector<std::string> cells, std::vector<std::string> colors = {});
  // A line printed under the last row, indented, outside the columns (e.g. a provenance path).
  void AddNote(std::string note);
  std::string Render(bool color, const std::string& indent = "  ") const;
  bool empty() const { return rows_.empty(); }

 private:
  struct Row {
    std::vector<std::string> cells, colors;
    std::vector<std::string> notes;
  };
  std::vector<std::string> headers_;
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

}  // namespace blastmap::query
