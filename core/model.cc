#include "core/model.h"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

namespace blastmap::core {

// The sizes the members' order is chosen for (model.h); a map holds millions of each.
static_assert(sizeof(Provenance) == 12);
static_assert(sizeof(Attributes::value_type) == 8 && alignof(Attributes::value_type) == 4);
static_assert(std::is_trivially_copy_constructible_v<Attributes::value_type> &&
              std::is_trivially_destructible_v<Attributes::value_type>);  // stored as pool words
static_assert(sizeof(Attributes) == 4);
static_assert(sizeof(Text) == 8);
static_assert(sizeof(Node) == 32);
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
// The first entry whose key is not before `key`.
const Attributes::value_type* LowerBound(const Attributes::value_type* first,
                                         const Attributes::value_type* last, std::string_view key) {
  return std::lower_bound(first, last, key,
                          [](const auto& entry, std::string_view k) { return entry.first < k; });
}

const Attributes::Values kNoValues;
}  // namespace

Attributes::Attributes(std::initializer_list<value_type> entries) {
  std::vector<value_type> sorted(entries);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               sorted.end());
  Assign(sorted.data(), sorted.size());
}

void Attributes::Assign(const value_type* entries, size_t n) {
  n_ = symbol_list_pool::Intern(entries, n * kWords);
}

void Attributes::Set(const Symbol& key, const Values& values) {
  // The new list is built in a buffer each thread reuses: a loader sets millions of keys.
  thread_local std::vector<value_type> entries;
  entries.assign(begin(), end());
  auto it = LowerBound(entries.data(), entries.data() + entries.size(), key);
  const auto i = static_cast<size_t>(it - entries.data());
  if (i < entries.size() && entries[i].first == key) {
    entries[i].second = values;
  } else {
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(i), {key, values});
  }
  Assign(entries.data(), entries.size());
}

void Attributes::Append(const Symbol& key, const Symbol& value) {
  std::vector<Symbol> list = Get(key).vector();
  list.push_back(value);
  Set(key, list);
}

const Attributes::Values& Attributes::at(std::string_view key) const {
  auto it = find(key);
  if (it == end()) throw std::out_of_range("no attribute '" + std::string(key) + "'");
  return it->second;
}

const Attributes::Values& Attributes::Get(std::string_view key) const {
  auto it = find(key);
  return it == end() ? kNoValues : it->second;
}

Attributes::const_iterator Attributes::find(std::string_view key) const {
  auto it = LowerBound(begin(), end(), key);
  return it != end() && it->first == key ? it : end();
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
