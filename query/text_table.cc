#include "query/text_table.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace blastmap::query {

size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;
  return width;
}

std::string FormatCount(int64_t n) {
  if (n < 0) return "?";
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatLikelihood(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

std::string TerminalSafe(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

TextTable::TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {
  for (const auto& h : headers_) width_.push_back(DisplayWidth(h));
}

void TextTable::Widen(const std::vector<std::string>& safe_cells) {
  for (size_t i = 0; i < safe_cells.size() && i < width_.size(); ++i)
    width_[i] = std::max(width_[i], DisplayWidth(safe_cells[i]));
}

void TextTable::Prepare(std::vector<std::string>& cells, std::vector<std::string>& colors) const {
  for (auto& cell : cells) cell = TerminalSafe(cell);
  cells.resize(headers_.size());
  colors.resize(headers_.size());
}

void TextTable::AddRow(std::vector<std::string> cells, std::vector<std::string> colors) {
  Prepare(cells, colors);
  Widen(cells);
  rows_.push_back({std::move(cells), std::move(colors), {}});
}

void TextTable::AddNote(std::string note) {
  if (!rows_.empty()) rows_.back().notes.push_back(TerminalSafe(note));
}

void TextTable::Measure(std::vector<std::string> cells) {
  for (auto& cell : cells) cell = TerminalSafe(cell);
  Widen(cells);
}

void TextTable::Line(std::string& out, const std::vector<std::string>& cells,
                     const std::vector<std::string>* colors, bool header, bool color,
                     const std::string& indent) const {
  const size_t start = out.size();
  out += indent;
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool last = i + 1 == cells.size();
    const std::string* code = colors && i < colors->size() ? &(*colors)[i] : nullptr;
    const char* open = color && header                   ? "\033[1m"
                       : color && code && !code->empty() ? code->c_str()
                                                         : nullptr;
    if (open) out += open;
    out += cells[i];
    if (!last) out.append(width_[i] - DisplayWidth(cells[i]) + 2, ' ');
    if (open) out += "\033[0m";
  }
  while (out.size() > start && out.back() == ' ') out.pop_back();
  out += '\n';
}

void TextTable::RenderHeader(std::string& out, bool color, const std::string& indent) const {
  Line(out, headers_, nullptr, true, color, indent);
}

void TextTable::RenderRow(std::string& out, std::vector<std::string> cells, std::vector<std::string> colors,
                          bool color, const std::string& indent) const {
  Prepare(cells, colors);
  Line(out, cells, &colors, false, color, indent);
}

void TextTable::RenderNote(std::string& out, const std::string& safe_note, bool color,
                           const std::string& indent) const {
  out += indent;
  out += "    ";
  if (color) out += "\033[2m";
  out += safe_note;
  if (color) out += "\033[0m";
  out += '\n';
}

std::string TextTable::Render(bool color, const std::string& indent) const {
  std::string out;
  RenderHeader(out, color, indent);
  for (const auto& row : rows_) {
    Line(out, row.cells, &row.colors, false, color, indent);
    for (const auto& note : row.notes) RenderNote(out, note, color, indent);
  }
  return out;
}

template <typename S>  // a vector of std::string or core::Symbol, or a core::SymbolList
std::string JoinAny(const S& items, const std::string& sep, size_t limit) {
  std::string out;
  size_t shown = limit ? std::min(limit, items.size()) : items.size();
  for (size_t i = 0; i < shown; ++i) out += (i ? sep : "") + items[i];
  if (shown < items.size()) out += sep + "+" + std::to_string(items.size() - shown) + " more";
  return out;
}

std::string Join(const std::vector<std::string>& items, const std::string& sep, size_t limit) {
  return JoinAny(items, sep, limit);
}

std::string Join(const std::vector<core::Symbol>& items, const std::string& sep, size_t limit) {
  return JoinAny(items, sep, limit);
}

std::string Join(const core::SymbolList& items, const std::string& sep, size_t limit) {
  return JoinAny(items, sep, limit);
}

const char* SensitivityColor(core::Sensitivity s) {
  switch (s) {
    case core::Sensitivity::kRestricted: return kRed;
    case core::Sensitivity::kConfidential: return kYellow;
    default: return "";
  }
}

const char* LevelColor(const std::string& level) {
  if (level == "critical") return kBoldRed;
  if (level == "high") return kRed;
  if (level == "medium") return kYellow;
  return kGreen;
}

std::string Heading(const std::string& text, bool color) {
  std::string safe = TerminalSafe(text);
  return "\n" + (color ? "\033[1m" + safe + "\033[0m" : safe) + "\n";
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Number(double x, const char* format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

}  // namespace blastmap::query
