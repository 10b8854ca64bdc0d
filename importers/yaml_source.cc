#include "importers/yaml_source.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <set>
#include <sstream>

#include "core/text.h"

namespace blastmap::importers {
namespace {

core::Provenance At(const std::string& file, const YAML::Mark& mark, int line_offset = 0) {
  // yaml-cpp counts from 0; editors count from 1. A null node has no mark (-1).
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1 + line_offset, mark.column + 1};
}

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

// Bounds what a document's aliases expand to (a "billion laughs" document is a few hundred bytes whose
// aliases expand to billions of nodes, which every reader would walk), rejects an alias inside the node
// it names (a cycle, which would send a reader round forever) and any explicit tag but YAML's core ones
// (!!python/object and the like: blastmap reads plain values, and says so rather than ignore the tag).
// Runs on yaml-cpp's events, before the tree is built: each anchored node's expanded size is known when it
// closes, so an alias costs that size.
class AliasGuard : public YAML::EventHandler {
 public:
  struct Stop {
    YAML::Mark mark;
    std::string message;
  };
  AliasGuard(uint64_t limit, const std::string& text) : limit_(limit), text_(text) {}

  // yaml-cpp 0.7 leaves some tokens after a document's root node unread (a ',', a '?' after a quoted
  // scalar) and starts a new, empty document at them, forever (LoadAll then grows without end): a
  // document that starts where the last one did is that.
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (mark.pos == last_start_ && mark.pos >= 0) {
      char c = static_cast<size_t>(mark.pos) < text_.size() ? text_[mark.pos] : ' ';
      throw Stop{mark, c == ','
                           ? "unexpected ',' after the document's value (a ',' separates the items of a [list] "
                             "or a {mapping})"
                           : std::string("unexpected '") + c + "' after the document's value; yaml-cpp cannot read on"};
    }
    last_start_ = mark.pos;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string&) override {
    Tag(mark, tag);
    Leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Tag(mark, tag);
    Open(mark, anchor);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Tag(mark, tag);
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapEnd() override { Close(); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (open_anchors_.count(anchor)) {
      throw Stop{mark, "an alias inside the node its anchor names (a cycle); blastmap cannot read it"};
    }
    auto it = size_.find(anchor);
    Add(mark, it == size_.end() ? 1 : it->second);
  }

 private:
  static void Tag(const YAML::Mark& mark, const std::string& tag) {
    static const std::set<std::string> kCore = {"",        "?",       "!",      "tag:yaml.org,2002:str",
                                                "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                                                "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"};
    if (kCore.count(tag)) return;
    std::string shown = tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + tag.substr(18) : tag;
    if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
    throw Stop{mark, "the YAML tag '" + shown + "' is not supported; blastmap reads plain values"};
  }
  void Add(const YAML::Mark& mark, uint64_t nodes) {
    expanded_ += nodes;
    if (!open_.empty()) open_.back().second += nodes;
    if (expanded_ > limit_) {
      throw Stop{mark, "aliases expand the file to more than " + std::to_string(limit_) +
                           " nodes (an alias bomb?); write the values out instead"};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    if (anchor) size_[anchor] = 1;
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    open_.emplace_back(anchor, 1);
    if (anchor) open_anchors_.insert(anchor);
  }
  void Close() {
    auto [anchor, nodes] = open_.back();
    open_.pop_back();
    if (!open_.empty()) open_.back().second += nodes;
    if (anchor) {
      size_[anchor] = nodes;
      open_anchors_.erase(anchor);
    }
  }

  uint64_t limit_, expanded_ = 0;
  const std::string& text_;
  int last_start_ = -1;
  std::vector<std::pair<YAML::anchor_t, uint64_t>> open_;  // the open collections: anchor, nodes so far
  std::set<YAML::anchor_t> open_anchors_;
  std::map<YAML::anchor_t, uint64_t> size_;  // closed anchored nodes: nodes, aliases expanded
};

// Nodes a file's aliases may expand it to: generous for sharing a list by an anchor, far below a bomb.
// A file without aliases has fewer nodes than bytes, so the bound never rejects one.
uint64_t AliasLimit(size_t bytes) { return 1'000'000 + 2 * static_cast<uint64_t>(bytes); }

// Runs AliasGuard over `text`: aliases, tags, and documents that yaml-cpp would repeat forever; reports
// the first problem.
bool CheckAliases(const std::string& path, const std::string& text, int line_offset, bool json,
                  Diagnostics& diag) {
  // YAML always: the fuzzers found more than one stray token (',' and others: '""""h\n?') on which yaml-cpp
  // loops, so no filter on the text is safe. Strict JSON (checked by nlohmann first) leaves no stray token:
  // it needs the pass only for what looks like an anchor or a tag.
  if (json && text.find('&') == std::string::npos && text.find('!') == std::string::npos) return true;
  std::istringstream in(text);
  AliasGuard guard(AliasLimit(text.size()), text);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(guard)) {
    }
  } catch (const AliasGuard::Stop& stop) {
    diag.Error(At(path, stop.mark, line_offset), stop.message);
    return false;
  } catch (const std::exception&) {
    // A syntax error: reported by the parse that builds the tree.
  }
  return true;
}

// JSON deeper than this is refused at the bracket that goes too deep (yaml-cpp, which builds the tree,
// would stop at its own limit, at a place it cannot name exactly); a manifest needs a handful of levels.
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

}  // namespace

std::optional<std::vector<YAML::Node>> LoadDocuments(const std::string& path, Diagnostics& diag) {
  bool ok = false;
  std::string text = ReadWholeFile(path, ok);
  if (!ok) {
    diag.Error({path, 0, 0}, "cannot read the file");
    return std::nullopt;
  }
  bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return ParseDocuments(path, text, json, diag);
}

bool CheckManifestText(const std::string& path, std::string_view text, Diagnostics& diag) {
  // yaml-cpp would decode UTF-16 and UTF-32; every other reader of manifests (JSON, CSV, diff tools,
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
  // YAML allows no other control characters in a stream (c-printable), JSON none outside escapes, and
  // yaml-cpp 0.7 can loop forever on some ("{}\x1D\n?"): refused here, so no parser sees them.
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

std::optional<std::vector<YAML::Node>> ParseDocuments(const std::string& path, const std::string& text,
                                                      bool json, Diagnostics& diag) {
  if (!CheckManifestText(path, text, diag)) return std::nullopt;
  if (json) {
    JsonChecker checker;
    if (!nlohmann::json::sax_parse(text, &checker)) {
      // nlohmann reports the byte after the offending one, counted from 1.
      size_t offset = checker.error_byte > 0 ? checker.error_byte - 1 : 0;
      diag.Error(AtOffset(path, text, offset), "invalid JSON: " + checker.error);
      return std::nullopt;
    }
    if (size_t deep = TooDeepJson(text); deep != std::string::npos) {
      diag.Error(AtOffset(path, text, deep),
                 "invalid JSON: nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      return std::nullopt;
    }
  }
  if (!CheckAliases(path, text, 0, json, diag)) return std::nullopt;
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (json && docs.size() != 1) {
      diag.Error({path, 1, 1}, "a JSON manifest holds exactly one document");
      return std::nullopt;
    }
    return docs;
  } catch (const YAML::DeepRecursion& e) {
    diag.Error(At(path, e.mark), std::string(json ? "invalid JSON: " : "invalid YAML: ") +
                                     "nesting deeper than " + std::to_string(e.depth() - 1) + " levels");
  } catch (const YAML::Exception& e) {
    diag.Error(At(path, e.mark), std::string(json ? "invalid JSON: " : "invalid YAML: ") + e.msg);
  } catch (const std::exception& e) {
    diag.Error({path, 0, 0}, std::string("cannot parse: ") + e.what());
  }
  return std::nullopt;
}

bool ForEachDocument(const std::string& path, Diagnostics& diag,
                     const std::function<void(const YAML::Node&, int)>& each) {
  bool ok = false;
  const std::string text = ReadWholeFile(path, ok);
  if (!ok) {
    diag.Error({path, 0, 0}, "cannot read the file");
    return false;
  }
  const bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (!CheckManifestText(path, text, diag)) return false;
  // Directives (%YAML, %TAG) belong to the document after them: such files are parsed whole.
  if (json || text.rfind('%', 0) == 0 ||
      text.find("\n%") != std::string::npos) {
    auto docs = ParseDocuments(path, text, json, diag);
    if (!docs) return false;
    for (const auto& doc : *docs) each(doc, 0);
    return true;
  }
  // A line starting with "---" followed by a space, a tab or the end of the line always starts a new
  // document (YAML 1.2, c-forbidden), even inside a block scalar, so documents can be cut there and parsed
  // one at a time: memory stays that of one document.
  size_t begin = 0;
  int begin_line = 0, line = 0;
  auto flush = [&](size_t end) -> bool {
    if (end <= begin) return true;
    const std::string document = text.substr(begin, end - begin);
    if (!CheckAliases(path, document, begin_line, false, diag)) return false;
    try {
      YAML::Node doc = YAML::Load(document);
      each(doc, begin_line);
      return true;
    } catch (const YAML::DeepRecursion& e) {
      diag.Error(At(path, e.mark, begin_line), "invalid YAML: nesting deeper than " + std::to_string(e.depth() - 1) + " levels");
    } catch (const YAML::Exception& e) {
      diag.Error(At(path, e.mark, begin_line), "invalid YAML: " + e.msg);
    } catch (const std::exception& e) {
      diag.Error({path, 0, 0}, std::string("cannot parse: ") + e.what());
    }
    return false;
  };
  for (size_t pos = 0; pos < text.size(); ++line) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    if (pos > begin && text.compare(pos, 3, "---") == 0 &&
        (pos + 3 == eol || text[pos + 3] == ' ' || text[pos + 3] == '\t' || text[pos + 3] == '\r')) {
      if (!flush(pos)) return false;
      begin = pos;
      begin_line = line;
    }
    pos = eol + 1;
  }
  return flush(text.size());
}

core::Provenance Field::where() const { return At(*file_, node_.Mark(), line_offset_); }

std::string Field::Describe() const {
  switch (node_.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: {
      // A whole file read as one scalar (or a hostile value) is cut, not echoed.
      const std::string& v = node_.Scalar();
      if (v.size() <= 80) return "'" + v + "'";
      size_t cut = 77;
      while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a UTF-8 sequence
      return "'" + v.substr(0, cut) + "...'";
    }
    default: return "nothing";
  }
}

std::vector<std::pair<std::string, core::Provenance>> MapKeys(const Field& map) {
  std::vector<std::pair<std::string, core::Provenance>> keys;
  if (!map.IsMap()) return keys;
  for (auto it = map.node().begin(); it != map.node().end(); ++it) {
    std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    keys.emplace_back(key, At(map.file(), it->first.Mark(), map.line_offset()));
  }
  return keys;
}

bool Field::ExpectMap(std::string_view what, const std::vector<std::string>& allowed,
                      Diagnostics& diag) const {
  if (!node_.IsMap()) {
    diag.Error(where(), std::string(what) + ": expected a mapping, found " + Describe());
    return false;
  }
  std::set<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    core::Provenance key_at = At(*file_, it->first.Mark(), line_offset_);
    if (!it->first.IsScalar()) {
      diag.Error(key_at, std::string(what) + ": a key must be a plain string");
      continue;
    }
    const std::string& key = it->first.Scalar();
    if (!seen.insert(key).second) {
      diag.Error(key_at, std::string(what) + ": key '" + key + "' appears twice");
      continue;
    }
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) {
      diag.Error(key_at, std::string(what) + ": unknown key '" + key + "'" + core::DidYouMean(key, allowed));
    }
  }
  return true;
}

std::optional<Field> Field::Get(std::string_view key) const {
  if (!node_.IsMap()) return std::nullopt;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return Field(file_, it->second, line_offset_);
  }
  return std::nullopt;
}

std::vector<Field> Field::Items(std::string_view what, Diagnostics& diag) const {
  std::vector<Field> out;
  if (!node_.IsSequence()) {
    diag.Error(where(), std::string(what) + ": expected a list, found " + Describe());
    return out;
  }
  for (const auto& item : node_) out.emplace_back(file_, item, line_offset_);
  return out;
}

std::optional<std::string> Field::String(std::string_view what, Diagnostics& diag) const {
  if (!node_.IsScalar()) {
    diag.Error(where(), std::string(what) + ": expected a string, found " + Describe());
    return std::nullopt;
  }
  return node_.Scalar();
}

std::optional<int64_t> Field::Integer(std::string_view what, Diagnostics& diag) const {
  if (node_.IsScalar()) {
    const std::string& s = node_.Scalar();
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return value;
    if (ec == std::errc::result_out_of_range) {
      diag.Error(where(), std::string(what) + ": integer '" + s + "' is out of range");
      return std::nullopt;
    }
  }
  diag.Error(where(), std::string(what) + ": expected an integer, found " + Describe());
  return std::nullopt;
}

std::optional<double> Field::Number(std::string_view what, Diagnostics& diag) const {
  if (node_.IsScalar()) {
    const std::string& s = node_.Scalar();
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty() && std::isfinite(value)) return value;
  }
  diag.Error(where(), std::string(what) + ": expected a number, found " + Describe());
  return std::nullopt;
}

std::optional<bool> Field::Boolean(std::string_view what, Diagnostics& diag) const {
  if (node_.IsScalar()) {
    const std::string& s = node_.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  diag.Error(where(), std::string(what) + ": expected true or false, found " + Describe());
  return std::nullopt;
}

std::optional<std::vector<std::string>> Field::StringList(std::string_view what, Diagnostics& diag,
                                                          std::vector<core::Provenance>* positions) const {
  std::vector<std::string> out;
  if (node_.IsScalar()) {
    if (positions) positions->push_back(where());
    out.push_back(node_.Scalar());
    return out;
  }
  if (!node_.IsSequence()) {
    diag.Error(where(), std::string(what) + ": expected a list of strings, found " + Describe());
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : node_) {
    Field f(file_, item, line_offset_);
    auto s = f.String(what, diag);
    if (!s) {
      ok = false;
      continue;
    }
    if (positions) positions->push_back(f.where());
    out.push_back(*s);
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
