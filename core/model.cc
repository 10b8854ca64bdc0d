#include "core/model.h"

#include <algorithm>
#include <stdexcept>

namespace blastmap::core {

// The sizes the members' order is chosen for (model.h); a map holds millions of each.
static_assert(sizeof(Provenance) == 12);
static_assert(sizeof(Attributes::value_type) == 8);
static_assert(sizeof(Node) == 56);
static_assert(sizeof(Holding) == 32);
static_assert(sizeof(Flow) == 64);
static_assert(sizeof(Access) == 48);

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

namespace {
template <typename Entries>
auto LowerBound(Entries& entries, std::string_view key) {
  return std::lower_bound(entries.begin(), entries.end(), key,
                          [](const auto& entry, std::string_view k) { return entry.first < k; });
}
}  // namespace

Attributes::Attributes(std::initializer_list<value_type> entries) {
  for (const auto& [key, values] : entries) {
    if (find(key) == end()) (*this)[key] = values;
  }
}

void Attributes::Append(const Symbol& key, const Symbol& value) {
  Values& values = (*this)[key];
  std::vector<Symbol> list = values.vector();
  list.push_back(value);
  values = list;
}

const Attributes::Values& Attributes::at(std::string_view key) const {
  auto it = find(key);
  if (it == end()) throw std::out_of_range("no attribute '" + std::string(key) + "'");
  return it->second;
}

Attributes::Values& Attributes::operator[](const Symbol& key) {
  auto it = LowerBound(entries_, key);
  if (it == entries_.end() || it->first != key) it = entries_.insert(it, {key, {}});
  return it->second;
}

Attributes::iterator Attributes::find(std::string_view key) {
  auto it = LowerBound(entries_, key);
  return it != entries_.end() && it->first == key ? it : entries_.end();
}

Attributes::const_iterator Attributes::find(std::string_view key) const {
  auto it = LowerBound(entries_, key);
  return it != entries_.end() && it->first == key ? it : entries_.end();
}

const Node* Model::FindNode(std::string_view id) const {
  for (const auto& node : nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

const Subject* Model::FindSubject(Symbol id) const {
  for (const auto& subject : subjects) {
    if (subject.id == id) return &subject;
  }
  return nullptr;
}

}  // namespace blastmap::core
