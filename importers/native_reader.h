// The native blastmap manifest reader (docs/manifest-format.md): first every file's declarations are
// read with the position of every reference, then all of them are resolved together into one Model.
#pragma once

#include <iterator>
#include <string>
#include <vector>

#include "core/model.h"
#include "importers/diagnostics.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {

// Positions of the references inside one declaration, for messages.
struct RefPositions {
  core::Provenance from, to, purpose, kind;
  std::vector<core::Provenance> categories;
  std::vector<core::Provenance> subjects;
};

struct NativeDeclarations {
  std::vector<core::Node> nodes;
  std::vector<core::Subject> subjects;
  std::vector<core::Category> categories;  // taxonomy extensions
  std::vector<core::Provenance> category_at;
  std::vector<std::pair<core::Holding, RefPositions>> holdings;
  std::vector<std::pair<core::Flow, RefPositions>> flows;
  std::vector<std::pair<core::Access, RefPositions>> accesses;
  std::vector<RefPositions> subject_refs;  // parallel to subjects
  // Nodes only named by another declaration (a CycloneDX provider, a CSV sub-processor, a Backstage
  // annotation's vendor): they merge into a declared node of the same id, or stand as declared here.
  std::vector<core::Node> implied_nodes;
  // Taxonomy extensions of the foreign formats (fides data_use and data_subject resources).
  std::vector<core::DataUse> data_uses;
  std::vector<core::DataSubjectKind> subject_kinds;
  // Fides privacy declarations and policies (their references are checked by the fides reader).
  std::vector<core::PrivacyDeclaration> declarations;
  std::vector<core::FidesPolicy> fides_policies;
};

// Moves the items of `from` after those of `into` (the whole buffer when `into` is empty); `from` ends empty.
template <typename T>
void AppendMoved(std::vector<T>& from, std::vector<T>& into) {
  if (into.empty()) {
    into.swap(from);
  } else {
    into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
  from.clear();
}

// Makes room in the big tables of `into` (nodes, stores, flows, access edges) for the rows of `next` when
// one is full: for the rows it holds with `next`'s, scaled up by `done`, the share of the input read once
// `next` is (of its bytes), with a margin; by at least a quarter. A vector that
// doubles holds its old and new buffers at once, each the size of the table: at 10^6 the biggest table's move
// was the import's peak. Growing to the estimated end once the first percent of the input is read leaves one
// early move instead, and the slack past the last row is never touched (not resident).
void ReserveAhead(NativeDeclarations& into, const NativeDeclarations& next, double done);

// Moves every declaration of `from` after those of `into` (one file's declarations read apart, merged in
// file order). Lists every member of NativeDeclarations: keep it in step with the struct.
void AppendDeclarations(NativeDeclarations&& from, NativeDeclarations& into);

// True when a document looks like a native manifest (a mapping with at least one native top-level key).
bool LooksNative(const YamlNode& doc);

// Reads one document into `out`, reporting every local problem (types, unknown keys, missing fields).
void ReadNativeDocument(const Field& root, Diagnostics& diag, NativeDeclarations& out);

// Resolves all declarations against each other and the taxonomy `base` (extended by the declared
// categories): ids, references, categories, subjects, data uses. Fills `model` (taxonomy finalized).
void ResolveNative(NativeDeclarations decls, core::Taxonomy base, Diagnostics& diag, core::Model& model);

}  // namespace blastmap::importers
