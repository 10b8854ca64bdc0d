#include "importers/overlay_reader.h"

#include <fstream>
#include <sstream>

#include "importers/native_reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace {

using Kind = core::OverlayEdit::Kind;

struct EditSpec {
  const char* name;
  Kind kind;
  std::vector<std::string> keys;  // for mapping-valued edits; empty for remove_node (a node id)
};

const std::vector<EditSpec>& Specs() {
  static const std::vector<EditSpec> kSpecs = {
      {"remove_node", Kind::kRemoveNode, {}},
      {"remove_vendor", Kind::kRemoveNode, {}},
      {"remove_flow", Kind::kRemoveFlow, {"from", "to", "index"}},
      {"drop_category", Kind::kDropCategory, {"from", "to", "index", "category"}},
      {"replace_category", Kind::kReplaceCategory, {"from", "to", "index", "category", "with"}},
      {"pseudonymise", Kind::kPseudonymise, {"from", "to", "index", "category"}},
      {"pseudonymize", Kind::kPseudonymise, {"from", "to", "index", "category"}},
      {"remove_access", Kind::kRemoveAccess, {"from", "to"}},
      {"set_likelihood", Kind::kSetLikelihood, {"from", "to", "likelihood"}},
      {"add", Kind::kAdd, {"systems", "vendors", "flows", "access", "stores"}},
  };
  return kSpecs;
}

std::vector<std::string> SpecNames() {
  std::vector<std::string> names;
  for (const auto& s : Specs()) names.push_back(s.name);
  return names;
}

void RequireString(const Field& map, const char* key, const std::string& what, Diagnostics& diag,
                   std::string& out) {
  auto f = map.Get(key);
  if (!f) {
    diag.Error(map.where(), what + ": '" + key + "' is required");
    return;
  }
  out = f->String(key, diag).value_or("");
}

void ReadEdit(const Field& item, Diagnostics& diag, core::Overlay& overlay) {
  if (!item.IsMap() || item.size() != 1) {
    diag.Error(
        item.where(), "an edit is a mapping with one key: one of " + [] {
          std::string names;
          for (const auto& n : SpecNames()) names += (names.empty() ? "" : ", ") + n;
          return names;
        }());
    return;
  }
  auto [name, at] = MapKeys(item).front();
  const EditSpec* spec = nullptr;
  for (const auto& s : Specs()) spec = name == s.name ? &s : spec;
  if (!spec) {
    item.ExpectMap("edit", SpecNames(), diag);  // reports the unknown key with a did-you-mean
    return;
  }
  core::OverlayEdit edit;
  edit.kind = spec->kind;
  edit.where = at;
  Field value = *item.Get(name);
  if (spec->kind == Kind::kRemoveNode) {
    edit.node = value.String(name, diag).value_or("");
    overlay.edits.push_back(std::move(edit));
    return;
  }
  if (!value.ExpectMap(name, spec->keys, diag)) return;
  if (spec->kind == Kind::kAdd) {
    NativeDeclarations decls;
    ReadNativeDocument(value, diag, decls);
    edit.added.nodes = std::move(decls.nodes);
    for (auto& [h, pos] : decls.holdings) edit.added.holdings.push_back(std::move(h));
    for (auto& [f, pos] : decls.flows) edit.added.flows.push_back(std::move(f));
    for (auto& [a, pos] : decls.accesses) edit.added.accesses.push_back(std::move(a));
    overlay.edits.push_back(std::move(edit));
    return;
  }
  RequireString(value, "from", name, diag, edit.from);
  RequireString(value, "to", name, diag, edit.to);
  if (auto f = value.Get("index")) {
    auto n = f->Integer("index", diag);
    if (n && *n < 1) diag.Error(f->where(), "index: counts from 1");
    edit.index = static_cast<int>(n.value_or(0));
  }
  if (std::find(spec->keys.begin(), spec->keys.end(), "category") != spec->keys.end()) {
    RequireString(value, "category", name, diag, edit.category);
  }
  if (spec->kind == Kind::kReplaceCategory) RequireString(value, "with", name, diag, edit.replacement);
  if (spec->kind == Kind::kSetLikelihood) {
    auto f = value.Get("likelihood");
    if (!f) {
      diag.Error(value.where(), name + ": 'likelihood' is required");
    } else if (auto v = f->Number("likelihood", diag)) {
      if (*v <= 0 || *v > 1)
        diag.Error(f->where(), "likelihood must be in (0, 1], found " + f->node().Scalar());
      edit.likelihood = *v;
    }
  }
  overlay.edits.push_back(std::move(edit));
}

}  // namespace

core::Result<core::Overlay> ReadOverlay(const std::string& name, const std::string& text, bool json) {
  Diagnostics diag;
  core::Overlay overlay;
  auto docs = ParseDocuments(name, text, json, diag);
  if (docs) {
    if (docs->size() != 1) {
      diag.Error({name, 1, 1}, "an overlay is one document with the key 'what_if'");
    } else {
      Field root(&name, docs->front());
      if (root.ExpectMap("overlay", {"what_if"}, diag)) {
        if (auto list = root.Get("what_if")) {
          for (const Field& item : list->Items("what_if", diag)) ReadEdit(item, diag, overlay);
        } else {
          diag.Error(root.where(), "overlay: 'what_if' (the list of edits) is required");
        }
      }
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return overlay;
}

core::Result<core::Overlay> ReadOverlayFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::Error(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  bool json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return ReadOverlay(path, text.str(), json);
}

}  // namespace blastmap::importers
