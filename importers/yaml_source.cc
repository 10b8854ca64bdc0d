#include "importers/yaml_source.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/text.h"

namespace blastmap::importers {
namespace {

core::Provenance AtOffset(const std::string& file, std::string_view text, size_t offset) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {file, line, col};
}

// Validates strict JSON without building a tree, keeping the first error's position.
struct JsonChecker : nlohmann::json_sax<nlohmann::json> {
  size_t error_byte = 0;
  std::string error;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    error_byte = position;
    error = ex.what();
    // Keep the human part: "...: syntax error while parsing value - invalid literal; last read: 'x'".
    auto pos = error.find(": syntax error");
    if (pos == std::string::npos) pos = error.rfind(": ");
    if (pos != std::string::npos) error = error.substr(pos + 2);
    return false;
  }
};

// JSON deeper than this is refused at the bracket that goes too deep, before the tree is built; a manifest
// needs a handful of levels.
constexpr size_t kMaxJsonDepth = 256;

// The offset of the first '[' or '{' of well-formed JSON `text` that opens level kMaxJsonDepth + 1, or npos.
size_t TooDeepJson(std::string_view text) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::string ReadWholeFile(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool IsJsonName(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

}  // namespace

std::optional<std::vector<YamlDocumentPtr>> LoadDocuments(const std::string& path, Diagnostics& diag) {
  bool ok = false;
  std::string text = ReadWholeFile(path, ok);
  if (!ok) {
    diag.Error({path, 0, 0}, "cannot read the file");
    return std::nullopt;
  }
  return ParseDocuments(path, text, IsJsonName(path), diag);
}

bool CheckManifestText(const std::string& path, std::string_view text, Diagnostics& diag) {
  // libyaml would decode UTF-16; every other reader of manifests (JSON, CSV, diff tools,
  // the schema) expects UTF-8, so they are refused with the remedy rather than half supported.
  if (text.rfind("\xFF\xFE", 0) == 0 || text.rfind("\xFE\xFF", 0) == 0 ||
      text.rfind(std::string_view("\0\0\xFE\xFF", 4), 0) == 0) {
    diag.Error({path, 1, 1}, "the file is UTF-16 or UTF-32 (it starts with such a byte-order mark); save it as UTF-8");
    return false;
  }
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    diag.Error(AtOffset(path, text, nul), "the file contains a NUL byte; a manifest is text");
    return false;
  }
  // YAML allows no other control characters in a stream (c-printable), JSON none outside escapes:
  // refused here at their line and column (libyaml's reader would name only a byte offset).
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9F && static_cast<unsigned char>(text[i + 1]) != 0x85;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || c1) {
      char code[16];
      std::snprintf(code, sizeof code, c1 ? "U+%04X" : "byte 0x%02X",
                    c1 ? static_cast<unsigned char>(text[i + 1]) : c);
      diag.Error(AtOffset(path, text, i),
                 std::string("a control character (") + code + "); a manifest is printable text");
      return false;
    }
  }
  if (size_t bad = core::InvalidUtf8Offset(text); bad != std::string_view::npos) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
    diag.Error(AtOffset(path, text, bad),
               std::string("invalid UTF-8 (byte ") + byte + "); a manifest is UTF-8 text");
    return false;
  }
  return true;
}

std::optional<std::vector<YamlDocumentPtr>> ParseDocuments(const std::string& path, std::string_view text,
                                                           bool json, Diagnostics& diag) {
  std::vector<YamlDocumentPtr> docs;
  if (!ForEachDocument(path, text, json, diag, [&](YamlDocumentPtr doc) { docs.push_back(std::move(doc)); })) {
    return std::nullopt;
  }
  if (json && docs.size() != 1) {
    diag.Error({path, 1, 1}, "a JSON manifest holds exactly one document");
    return std::nullopt;
  }
  return docs;
}

bool ForEachDocument(const std::string& path, std::string_view text, bool json, Diagnostics& diag,
                     const std::function<void(YamlDocumentPtr)>& each) {
  if (!CheckManifestText(path, text, diag)) return false;
  if (json) {
    JsonChecker checker;
    if (!nlohmann::json::sax_parse(text, &checker)) {
      // nlohmann reports the byte after the offending one, counted from 1.
      size_t offset = checker.error_byte > 0 ? checker.error_byte - 1 : 0;
      diag.Error(AtOffset(path, text, offset), "invalid JSON: " + checker.error);
      return false;
    }
    if (size_t deep = TooDeepJson(text); deep != std::string::npos) {
      diag.Error(AtOffset(path, text, deep),
                 "invalid JSON: nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      return false;
    }
  }
  return ParseYamlStream(path, text, json, diag, each);
}

bool ForEachDocument(const std::string& path, Diagnostics& diag, const std::function<void(YamlDocumentPtr)>& each) {
  bool ok = false;
  const std::string text = ReadWholeFile(path, ok);
  if (!ok) {
    diag.Error({path, 0, 0}, "cannot read the file");
    return false;
  }
  return ForEachDocument(path, text, IsJsonName(path), diag, each);
}

namespace {

core::Provenance At(const std::string& file, const YamlNode& node) { return {file, node.line, node.col}; }

}  // namespace

core::Provenance Field::where() const { return At(*file_, *node_); }

std::string Field::Describe() const {
  switch (node_->kind) {
    case YamlNode::Kind::kMap: return "a mapping";
    case YamlNode::Kind::kSequence: return "a list";
    case YamlNode::Kind::kScalar: {
      // A whole file read as one scalar (or a hostile value) is cut, not echoed.
      std::string_view v = node_->text;
      if (v.size() <= 80) return "'" + std::string(v) + "'";
      size_t cut = 77;
      while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a UTF-8 sequence
      return "'" + std::string(v.substr(0, cut)) + "...'";
    }
    default: return "nothing";
  }
}

std::vector<std::pair<std::string, core::Provenance>> MapKeys(const Field& map) {
  std::vector<std::pair<std::string, core::Provenance>> keys;
  if (!map.IsMap()) return keys;
  const YamlNode& node = map.node();
  keys.reserve(node.size);
  for (uint32_t i = 0; i < node.size; ++i) {
    const YamlNode& key = node.Key(i);
    keys.emplace_back(key.IsScalar() ? std::string(key.text) : std::string(), At(map.file(), key));
  }
  return keys;
}

bool Field::ExpectMap(std::string_view what, const std::vector<std::string>& allowed,
                      Diagnostics& diag) const {
  if (!node_->IsMap()) {
    diag.Error(where(), std::string(what) + ": expected a mapping, found " + Describe());
    return false;
  }
  // Mappings of a manifest are small: an earlier key is found by looking back, a big one uses a set.
  constexpr uint32_t kLookBack = 32;
  std::set<std::string_view> seen;
  for (uint32_t i = 0; i < node_->size; ++i) {
    const YamlNode& k = node_->Key(i);
    if (!k.IsScalar()) {
      diag.Error(At(*file_, k), std::string(what) + ": a key must be a plain string");
      continue;
    }
    const std::string_view key = k.text;
    bool twice = false;
    if (node_->size <= kLookBack) {
      for (uint32_t j = 0; j < i && !twice; ++j) twice = node_->Key(j).IsScalar() && node_->Key(j).text == key;
    } else {
      twice = !seen.insert(key).second;
    }
    if (twice) {
      diag.Error(At(*file_, k), std::string(what) + ": key '" + std::string(key) + "' appears twice");
      continue;
    }
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) {
      diag.Error(At(*file_, k), std::string(what) + ": unknown key '" + std::string(key) + "'" +
                                    core::DidYouMean(std::string(key), allowed));
    }
  }
  return true;
}

std::optional<Field> Field::Get(std::string_view key) const {
  const YamlNode* value = node_->Find(key);
  if (!value) return std::nullopt;
  return Field(file_, value, doc_);
}

std::vector<Field> Field::Items(std::string_view what, Diagnostics& diag) const {
  std::vector<Field> out;
  if (!node_->IsSequence()) {
    diag.Error(where(), std::string(what) + ": expected a list, found " + Describe());
    return out;
  }
  out.reserve(node_->size);
  for (uint32_t i = 0; i < node_->size; ++i) out.emplace_back(file_, &node_->Item(i), doc_);
  return out;
}

std::optional<std::string> Field::String(std::string_view what, Diagnostics& diag) const {
  if (!node_->IsScalar()) {
    diag.Error(where(), std::string(what) + ": expected a string, found " + Describe());
    return std::nullopt;
  }
  return std::string(node_->text);
}

std::optional<int64_t> Field::Integer(std::string_view what, Diagnostics& diag) const {
  if (node_->IsScalar()) {
    std::string_view s = node_->text;
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return value;
    if (ec == std::errc::result_out_of_range) {
      diag.Error(where(), std::string(what) + ": integer '" + std::string(s) + "' is out of range");
      return std::nullopt;
    }
  }
  diag.Error(where(), std::string(what) + ": expected an integer, found " + Describe());
  return std::nullopt;
}

std::optional<double> Field::Number(std::string_view what, Diagnostics& diag) const {
  if (node_->IsScalar()) {
    std::string_view s = node_->text;
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty() && std::isfinite(value)) return value;
  }
  diag.Error(where(), std::string(what) + ": expected a number, found " + Describe());
  return std::nullopt;
}

std::optional<bool> Field::Boolean(std::string_view what, Diagnostics& diag) const {
  if (node_->IsScalar()) {
    if (node_->text == "true") return true;
    if (node_->text == "false") return false;
  }
  diag.Error(where(), std::string(what) + ": expected true or false, found " + Describe());
  return std::nullopt;
}

std::optional<std::vector<std::string>> Field::StringList(std::string_view what, Diagnostics& diag,
                                                          std::vector<core::Provenance>* positions) const {
  std::vector<std::string> out;
  if (node_->IsScalar()) {
    if (positions) positions->push_back(where());
    out.emplace_back(node_->text);
    return out;
  }
  if (!node_->IsSequence()) {
    diag.Error(where(), std::string(what) + ": expected a list of strings, found " + Describe());
    return std::nullopt;
  }
  bool ok = true;
  out.reserve(node_->size);
  for (uint32_t i = 0; i < node_->size; ++i) {
    const YamlNode& item = node_->Item(i);
    if (!item.IsScalar()) {
      Field(file_, &item, doc_).String(what, diag);  // reports it
      ok = false;
      continue;
    }
    if (positions) positions->push_back(At(*file_, item));
    out.emplace_back(item.text);
  }
  if (!ok) return std::nullopt;
  return out;
}

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace blastmap::importers
