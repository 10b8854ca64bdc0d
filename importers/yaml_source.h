// Reading YAML and JSON manifests into document trees (importers/yaml_tree.h) that keep line and column,
// and typed access to their fields that reports every type problem to Diagnostics. Internal to the
// importers layer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "importers/diagnostics.h"
#include "importers/yaml_tree.h"

namespace blastmap::importers {

// Checks the bytes of a manifest (YAML, JSON or CSV) before any parser sees them: UTF-8 without NUL bytes
// (a UTF-8 byte-order mark at the start is fine; UTF-16 and UTF-32 are refused). Reports the first problem
// at its line and column and returns false.
bool CheckManifestText(const std::string& path, std::string_view text, Diagnostics& diag);

// Parses one file (YAML, or JSON when it ends in .json: checked as strict JSON first). Returns the
// documents it holds (JSON: exactly one); on a syntax error reports it and returns nothing. Text that
// CheckManifestText refuses, an alias inside the node it names, an explicit tag but YAML's core ones,
// nesting deeper than kMaxYamlDepth and aliases that expand the file to more than 10^6 + 2 x its size in
// nodes (an alias bomb) are errors too.
std::optional<std::vector<YamlDocumentPtr>> LoadDocuments(const std::string& path, Diagnostics& diag);
// The same, from text already in memory (`path` names it in messages).
std::optional<std::vector<YamlDocumentPtr>> ParseDocuments(const std::string& path, std::string_view text,
                                                           bool json, Diagnostics& diag);

// Calls `each(document)` for every document of a file as soon as it is parsed (a multi-document bundle
// is never held whole as trees: each tree is freed when `each` lets go of it); positions count in the
// whole file. Reports a problem and returns false; documents before it have been handed over.
bool ForEachDocument(const std::string& path, Diagnostics& diag, const std::function<void(YamlDocumentPtr)>& each);
// The same, from text already in memory.
bool ForEachDocument(const std::string& path, std::string_view text, bool json, Diagnostics& diag,
                     const std::function<void(YamlDocumentPtr)>& each);

// A cursor on one node of one document of one file: knows where it is and reports typed problems there.
// It keeps its document alive.
class Field {
 public:
  // The root of `doc`.
  Field(const std::string* file, YamlDocumentPtr doc) : file_(file), node_(&doc->root()), doc_(std::move(doc)) {}
  Field(const std::string* file, const YamlNode* node, YamlDocumentPtr doc)
      : file_(file), node_(node), doc_(std::move(doc)) {}

  const YamlNode& node() const { return *node_; }
  core::Provenance where() const;
  const std::string& file() const { return *file_; }
  // "a mapping", "a list", "a string", "nothing"
  std::string Describe() const;

  bool IsNull() const { return node_->IsNull(); }
  bool IsMap() const { return node_->IsMap(); }
  bool IsList() const { return node_->IsSequence(); }
  bool IsScalar() const { return node_->IsScalar(); }
  // Entries of a mapping, items of a list, 0 for anything else.
  size_t size() const { return node_->IsMap() || node_->IsSequence() ? node_->size : 0; }

  // Checks that this is a mapping with only `allowed` keys and no key twice; reports the rest
  // (unknown keys with a did-you-mean). Returns false when it is not a mapping at all.
  bool ExpectMap(std::string_view what, const std::vector<std::string>& allowed, Diagnostics& diag) const;
  // The value under `key` of a mapping, if present.
  std::optional<Field> Get(std::string_view key) const;
  // The i-th key and value of a mapping (i < size()).
  Field Key(size_t i) const { return Field(file_, &node_->Key(i), doc_); }
  Field Value(size_t i) const { return Field(file_, &node_->Value(i), doc_); }
  // The items of a list; reports and returns nothing when it is not a list.
  std::vector<Field> Items(std::string_view what, Diagnostics& diag) const;

  // Scalar readers: report "KEY: expected ..., found ..." and return nullopt on a type error.
  std::optional<std::string> String(std::string_view what, Diagnostics& diag) const;
  std::optional<int64_t> Integer(std::string_view what, Diagnostics& diag) const;
  std::optional<double> Number(std::string_view what, Diagnostics& diag) const;
  std::optional<bool> Boolean(std::string_view what, Diagnostics& diag) const;
  // A list of strings, or one string taken as a one-item list; positions of each item in `where`.
  std::optional<std::vector<std::string>> StringList(std::string_view what, Diagnostics& diag,
                                                     std::vector<core::Provenance>* where = nullptr) const;

 private:
  const std::string* file_;
  const YamlNode* node_;
  YamlDocumentPtr doc_;
};
// Keys of a mapping in order, with their positions (for messages about keys).
std::vector<std::pair<std::string, core::Provenance>> MapKeys(const Field& map);

// True when s is a YYYY-MM-DD date.
bool IsDate(std::string_view s);

}  // namespace blastmap::importers
