// A compact YAML/JSON document tree built by libyaml's event parser in one pass: nodes, scalar texts and
// child arrays live in one arena per document (freed together), every node knows its 1-based line and
// column in the whole file. The same pass bounds what aliases expand to, refuses an alias inside the node
// its anchor names, tags beyond YAML's core ones and nesting deeper than kMaxYamlDepth. Internal to the
// importers layer (importers/yaml_source.h wraps it in Field).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "importers/diagnostics.h"

namespace blastmap::importers {

// Collections nested deeper than this are refused at the one that goes too deep (a manifest needs a
// handful of levels; the bound keeps every recursive reader's stack small).
inline constexpr int kMaxYamlDepth = 500;

struct YamlNode {
  enum class Kind : uint8_t { kNull, kScalar, kMap, kSequence };
  // In this order, 56 bytes without padding (a hub file of 27.5 MB is a tree of millions of nodes).
  Kind kind = Kind::kNull;
  bool quoted = false;    // a scalar written quoted or as a block scalar (not plain)
  uint32_t size = 0;      // items of a sequence, entries of a mapping
  int line = 0, col = 0;  // 1-based in the whole file (byte column); 0 when unknown
  std::string_view text;  // a scalar's value
  std::string_view tag;   // an explicit tag as libyaml resolves it ("tag:yaml.org,2002:str"), or empty
  const YamlNode* const* children = nullptr;  // a sequence: size items; a mapping: key, value, key, value...

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  std::string Scalar() const { return std::string(text); }
  const YamlNode& Key(size_t i) const { return *children[2 * i]; }
  const YamlNode& Value(size_t i) const { return *children[2 * i + 1]; }
  const YamlNode& Item(size_t i) const { return *children[i]; }
  // The value of the first entry whose key is the plain or quoted scalar `key`, or null.
  const YamlNode* Find(std::string_view key) const;
};

// One document: its root node and the arena holding every node of it.
class YamlDocument {
 public:
  YamlDocument();
  ~YamlDocument();
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  const YamlNode& root() const { return *root_; }

  // Arena allocation (used while the document is built).
  void* Allocate(size_t bytes, size_t align);
  std::string_view Copy(std::string_view text);
  void set_root(const YamlNode* root) { root_ = root; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  const YamlNode* root_;
};

using YamlDocumentPtr = std::shared_ptr<const YamlDocument>;

// Parses `text` (a whole file; `path` names it in messages) and hands over each document as soon as it is
// complete, so a multi-document stream never lives whole as trees. Reports the first syntax error, alias
// bomb, alias cycle, unsupported tag or too deep nesting at its line:col and returns false (documents
// before it have been handed over). `json`: words errors as "invalid JSON".
bool ParseYamlStream(const std::string& path, std::string_view text, bool json, Diagnostics& diag,
                     const std::function<void(YamlDocumentPtr)>& each);

}  // namespace blastmap::importers
