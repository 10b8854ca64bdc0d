// Renderers of query-language results: terminal table, JSON, CSV (RFC 4180) and markdown.
#include <nlohmann/json.hpp>

#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

json ToJson(const lang::Value& v) {
  switch (v.type) {
    case lang::Value::Type::kNull: return nullptr;
    case lang::Value::Type::kNumber:
      if (v.number == static_cast<double>(static_cast<long long>(v.number)))
        return static_cast<long long>(v.number);
      return v.number;
    case lang::Value::Type::kText: return v.text;
    case lang::Value::Type::kList: return v.list;
  }
  return nullptr;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

std::string QueryToTable(const std::vector<lang::Table>& results, bool color) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& t = results[i];
    if (results.size() > 1 || !t.summary.empty()) {
      out += (i ? "\n" : "") + std::string(color ? "\033[1m" : "") + "> " + TerminalSafe(t.statement) +
             (color ? "\033[0m" : "") + "\n";
    }
    for (const auto& [label, value] : t.summary) out += "  " + label + ": " + TerminalSafe(value) + "\n";
    if (t.counted) {
      out += t.rows[0][0].ToString() + "\n";
      continue;
    }
    if (t.rows.empty()) {
      out += "  (no rows)\n";
      continue;
    }
    std::vector<std::string> headers;
    for (const auto& c : t.columns) headers.push_back(Upper(c));
    TextTable table(headers);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(TerminalSafe(v.ToString()));
      table.AddRow(std::move(cells));
    }
    out += table.Render(color, "");
    out += "(" + std::to_string(t.rows.size()) + " row" + (t.rows.size() == 1 ? "" : "s") + ")\n";
  }
  return out;
}

std::string QueryToJson(const std::vector<lang::Table>& results) {
  json all = json::array();
  for (const auto& t : results) {
    json rows = json::array();
    for (const auto& row : t.rows) {
      json r = json::object();
      for (size_t c = 0; c < t.columns.size(); ++c) r[t.columns[c]] = ToJson(row[c]);
      rows.push_back(std::move(r));
    }
    json summary = json::object();
    for (const auto& [label, value] : t.summary) summary[label] = value;
    json one = {{"statement", t.statement}, {"columns", t.columns}, {"rows", rows}, {"summary", summary}};
    if (t.counted) one["count"] = ToJson(t.rows[0][0]);
    all.push_back(std::move(one));
  }
  return all.dump(2) + "\n";
}

std::string QueryToCsv(const std::vector<lang::Table>& results) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& t = results[i];
    if (i) out += "\n";
    for (size_t c = 0; c < t.columns.size(); ++c) out += (c ? "," : "") + CsvCell(t.columns[c]);
    out += "\n";
    for (const auto& row : t.rows) {
      for (size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + CsvCell(row[c].ToString("; "));
      out += "\n";
    }
  }
  return out;
}

std::string QueryToMarkdown(const std::vector<lang::Table>& results) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& t = results[i];
    if (i) out += "\n";
    out += "### `" + t.statement + "`\n\n";
    for (const auto& [label, value] : t.summary) out += "- **" + label + "**: " + MarkdownCell(value) + "\n";
    if (!t.summary.empty()) out += "\n";
    out += "|";
    for (const auto& c : t.columns) out += " " + MarkdownCell(c) + " |";
    out += "\n|";
    for (size_t c = 0; c < t.columns.size(); ++c) out += " --- |";
    out += "\n";
    for (const auto& row : t.rows) {
      out += "|";
      for (const auto& v : row) out += " " + MarkdownCell(v.ToString()) + " |";
      out += "\n";
    }
  }
  return out;
}

}  // namespace blastmap::query
