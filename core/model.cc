#include "core/model.h"

namespace blastmap::core {

std::string Provenance::ToString() const {
  std::string out = file;
  if (line <= 0) return out;
  out += ':';
  out += std::to_string(line);
  if (col > 0) {
    out += ':';
    out += std::to_string(col);
  }
  return out;
}

std::string_view NodeKindName(NodeKind kind) { return kind == NodeKind::kSystem ? "system" : "vendor"; }

std::optional<NodeKind> ParseNodeKind(std::string_view name) {
  if (name == "system") return NodeKind::kSystem;
  if (name == "vendor") return NodeKind::kVendor;
  return std::nullopt;
}

std::string_view PrivilegeName(Privilege privilege) {
  switch (privilege) {
    case Privilege::kRead: return "read";
    case Privilege::kWrite: return "write";
    case Privilege::kAdmin: return "admin";
    case Privilege::kCode: return "code";
  }
  return "read";
}

std::optional<Privilege> ParsePrivilege(std::string_view name) {
  for (Privilege p : {Privilege::kRead, Privilege::kWrite, Privilege::kAdmin, Privilege::kCode}) {
    if (PrivilegeName(p) == name) return p;
  }
  return std::nullopt;
}

const Node* Model::FindNode(std::string_view id) const {
  for (const auto& node : nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

const Subject* Model::FindSubject(std::string_view id) const {
  for (const auto& subject : subjects) {
    if (subject.id == id) return &subject;
  }
  return nullptr;
}

}  // namespace blastmap::core
