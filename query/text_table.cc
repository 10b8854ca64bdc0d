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

void TextTable::AddRow(std::vector<std::string> cells, std::vector<std::string> colors) {
  for (auto& cell : cells) cell = TerminalSafe(cell);
  cells.resize(headers_.size());
  colors.resize(headers_.size());
  rows_.push_back({std::move(cells), std::move(colors), {}});
}

void TextTable::AddNote(std::string note) {
  if (!rows_.empty()) rows_.back().notes.push_back(TerminalSafe(note));
}

std::string TextTable::Render(bool color, const std::string& indent) const {
  std::vector<size_t> width(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) width[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.cells.size(); ++i) width[i] = std::max(width[i], DisplayWidth(row.cells[i]));
  }
  auto line = [&](const std::vector<std::string>& cells, const std::vector<std::string>* colors,
                  bool header) {
    std::string out = indent;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string cell = cells[i];
      bool last = i + 1 == cells.size();
      if (!last) cell += std::string(width[i] - DisplayWidth(cells[i]) + 2, ' ');
      const std::string* code = colors ? &(*colors)[i] : nullptr;
      if (color && header) {
        out += "\033[1m" + cell + "\033[0m";
      } else if (color && code && !code->empty()) {
        out += *code + cell + "\033[0m";
      } else {
        out += cell;
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_, nullptr, true);
  for (const auto& row : rows_) {
    out += line(row.cells, &row.colors, false);
    for (const auto& note : row.notes)
      out += indent + "    " + (color ? "\033[2m" + note + "\033[0m" : note) + "\n";
  }
  return out;
}

namespace {
constexpr const char* kRed = "\033[31m";
constexpr const char* kBoldRed = "\033[1;31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kGreen = "\033[32m";
}  // namespace

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
