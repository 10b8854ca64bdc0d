// The result of one query-language statement: named columns and rows of typed values, plus summary
// lines (e.g. a blast's severity). Every statement answers with one; the renderers are in query/render.h.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace blastmap::query::lang {

// One cell. Ordinal text (a sensitivity or a severity level) compares by its rank on its scale.
struct Value {
  enum class Type { kNull, kNumber, kText, kList };
  enum class Scale { kNone, kSensitivity, kLevel };
  Type type = Type::kNull;
  double number = 0;
  std::string text;
  std::vector<std::string> list;
  Scale scale = Scale::kNone;

  static Value Null() { return {}; }
  static Value Number(double x) {
    Value v;
    v.type = Type::kNumber;
    v.number = x;
    return v;
  }
  static Value Text(std::string s, Scale scale = Scale::kNone) {
    Value v;
    v.type = Type::kText;
    v.text = std::move(s);
    v.scale = scale;
    return v;
  }
  static Value List(std::vector<std::string> items) {
    Value v;
    v.type = Type::kList;
    v.list = std::move(items);
    return v;
  }
  // A count that may be unknown (negative: null).
  static Value Count(long long n) { return n < 0 ? Null() : Number(static_cast<double>(n)); }
  // The value as text for tables and CSV ("" for null; list items joined by `sep`).
  std::string ToString(const std::string& sep = ", ") const;
};

// Rank of `word` on `scale` (public 0 .. restricted 3; low 0 .. critical 3), or -1.
int ScaleRank(Value::Scale scale, const std::string& word);

struct Table {
  std::string statement;  // the statement's text
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::vector<std::pair<std::string, std::string>> summary;  // label, value
  bool counted = false;                                      // a `count` statement: one row, one column

  // Index of a column, or -1.
  int Column(const std::string& name) const;
};

}  // namespace blastmap::query::lang
