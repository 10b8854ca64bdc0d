// Reading YAML and JSON manifests into yaml-cpp trees that keep line and column, and typed access
// to their fields that reports every type problem to Diagnostics. Internal to the importers layer.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "importers/diagnostics.h"

namespace blastmap::importers {

// Checks the bytes of a manifest (YAML, JSON or CSV) before any parser sees them: UTF-8 without NUL bytes
// (a UTF-8 byte-order mark at the start is fine; UTF-16 and UTF-32 are refused). Reports the first problem
// at its line and column and returns false.
bool CheckManifestText(const std::string& path, std::string_view text, Diagnostics& diag);

// Parses one file (YAML, or JSON when it ends in .json: checked as strict JSON first). Returns the
// documents it holds (JSON: exactly one); on a syntax error reports it and returns nothing. Text that
// CheckManifestText refuses, an alias inside the node it names, and aliases that expand the file to
// more than 10^6 + 2 x its size in nodes (an alias bomb) are errors too.
std::optional<std::vector<YAML::Node>> LoadDocuments(const std::string& path, Diagnostics& diag);
// The same, from text already in memory (`path` names it in messages).
std::optional<std::vector<YAML::Node>> ParseDocuments(const std::string& path, const std::string& text,
                                                      bool json, Diagnostics& diag);

// Calls `each(document, line_offset)` for every document of a file, parsing one document at a time (a
// multi-document bundle is never held whole as a tree); line_offset is the 0-based line where the document
// starts, for Field. JSON files and files with directives are parsed whole. Reports a syntax error and
// returns false; documents before the error have been handed over.
bool ForEachDocument(const std::string& path, Diagnostics& diag,
                     const std::function<void(const YAML::Node&, int)>& each);

// A cursor on one yaml-cpp node of one file: knows where it is and reports typed problems there.
class Field {
 public:
  // line_offset: the line where the node's document starts, when it was parsed apart from the file.
  Field(const std::string* file, YAML::Node node, int line_offset = 0)
      : file_(file), node_(std::move(node)), line_offset_(line_offset) {}

  const YAML::Node& node() const { return node_; }
  core::Provenance where() const;
  const std::string& file() const { return *file_; }
  int line_offset() const { return line_offset_; }
  // "a mapping", "a list", "a string", "nothing"
  std::string Describe() const;

  bool IsMap() const { return node_.IsMap(); }
  bool IsList() const { return node_.IsSequence(); }
  bool IsScalar() const { return node_.IsScalar(); }

  // Checks that this is a mapping with only `allowed` keys and no key twice; reports the rest
  // (unknown keys with a did-you-mean). Returns false when it is not a mapping at all.
  bool ExpectMap(std::string_view what, const std::vector<std::string>& allowed, Diagnostics& diag) const;
  // The value under `key` of a mapping, if present.
  std::optional<Field> Get(std::string_view key) const;
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
  YAML::Node node_;
  int line_offset_ = 0;
};

// Keys of a mapping in order, with their positions (for messages about keys).
std::vector<std::pair<std::string, core::Provenance>> MapKeys(const Field& map);

// True when s is a YYYY-MM-DD date.
bool IsDate(std::string_view s);

}  // namespace blastmap::importers
