// The blastmap domain model (SPEC §3): systems and vendors, what they hold, the flows and access
// edges between them, and the data subjects. Every element remembers where it was declared.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/compact_text.h"
#include "core/symbol.h"
#include "core/symbol_list.h"
#include "core/taxonomy.h"

namespace blastmap::core {

// Where something was declared: a manifest file and a 1-based line and column (0 when unknown).
struct Provenance {
  Symbol file;  // interned: thousands of files, millions of elements; with the line and column, 12 bytes
  int line = 0;
  int col = 0;
  // "file:line:col", or "file:line" when col is 0, or "file" when line is 0.
  std::string ToString() const;
};

enum class NodeKind { kSystem, kVendor };
std::string_view NodeKindName(NodeKind kind);
std::optional<NodeKind> ParseNodeKind(std::string_view name);

// An access privilege. admin and code compromise the target (the attacker pivots on);
// read and write only expose what the target holds.
enum class Privilege { kRead, kWrite, kAdmin, kCode };
std::string_view PrivilegeName(Privilege privilege);
std::optional<Privilege> ParsePrivilege(std::string_view name);
inline bool Pivots(Privilege p) { return p == Privilege::kAdmin || p == Privilege::kCode; }

// Descriptive attributes of a node (country, tier, dpa, owner, ...): key to one or more values, in key order.
// The part of std::map's interface the code uses, over one sorted vector: a node has a handful of keys, and a
// tree node and a vector of strings per key cost about twice what an entry here does
// (docs/performance-changes.md, "Compact model (session 6)"). Keys must not be changed through the mutable
// iterators.
class Attributes {
 public:
  using Values = SymbolList;  // interned: the same few values repeat on most nodes
  using value_type = std::pair<Symbol, Values>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  Attributes() = default;
  // Like std::map's: entries in any order, the first of a repeated key kept.
  Attributes(std::initializer_list<value_type> entries);

  // The values of `key`, added empty in key order when it is missing.
  Values& operator[](const Symbol& key);
  // Adds `value` at the end of the values of `key` (added when missing). Each call interns a new list: for
  // importers, which append a few values; loaders gather a key's values and assign them once.
  void Append(const Symbol& key, const Symbol& value);
  // The values of `key`; throws std::out_of_range when it is missing (as std::map::at; for tests).
  const Values& at(std::string_view key) const;
  // The entry of `key`, or end().
  iterator find(std::string_view key);
  const_iterator find(std::string_view key) const;
  size_t count(std::string_view key) const { return find(key) == end() ? 0 : 1; }

  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  bool operator==(const Attributes& other) const = default;

 private:
  std::vector<value_type> entries_;  // sorted by key, keys unique
};

// Unknown record counts are kUnknownRecords.
inline constexpr int64_t kUnknownRecords = -1;

// The members of the elements below are ordered so that the 4-byte ones (Symbols, Provenance) pair up and the
// 1-byte ones share the last 8 bytes: Node 56 bytes, Holding 40, Flow 64, Access 48 (core/model.cc checks it;
// docs/performance-changes.md, "Compact text and lists (session 7)" and "Four-byte symbols (session 9)").
struct Node {
  Symbol id;  // unique across the map
  Text name;  // display name; defaults to id
  Attributes attrs;
  Provenance where;
  NodeKind kind = NodeKind::kSystem;
};

// Categories held at rest on a node ("stores").
struct Holding {
  Symbol node;
  SymbolList categories;  // taxonomy keys
  SymbolList subjects;    // subject ids
  Provenance where;       // before the records: 32 bytes without padding (40 after them)
  int64_t records = kUnknownRecords;
};

// A data flow: `from` sends `to` the listed categories, or everything it holds when forwards_all ("*").
struct Flow {
  Symbol from;
  Symbol to;
  SymbolList categories;  // empty when forwards_all
  SymbolList subjects;
  Symbol purpose;  // a data use key
  Symbol transport;
  int64_t records = kUnknownRecords;
  Text description;
  Provenance where;
  // When the flow runs (YYYY-MM-DD, inclusive); empty for an open end. See docs/semantics.md#time.
  Symbol active_from, active_until;
  bool forwards_all = false;
  bool required = false;  // never cut by minimise
};

// Whoever controls `from` gets `privilege` on `to`, through `mechanism`, with a likelihood in (0, 1].
struct Access {
  Symbol from;
  Symbol to;
  Symbol mechanism;
  double likelihood = 1.0;
  Text description;
  Provenance where;
  Privilege privilege = Privilege::kRead;
};

// A kind of data subject as it appears in this organisation, with where they live.
struct Subject {
  Symbol id;
  Symbol kind;  // a taxonomy data subject key (customer, employee, ...)
  Text name;
  SymbolList jurisdictions;  // e.g. EU, UK, US-CA
  int64_t records = kUnknownRecords;
  Provenance where;
};

// A privacy declaration (fideslang): what one system processes, for which data use, about whom, and the
// datasets it references. Kept for Fides policies (docs/importers/fides.md#policies); the categories are
// also a Holding of the system.
struct PrivacyDeclaration {
  std::string node;  // the declaring system
  std::string name;
  std::vector<std::string> categories;  // taxonomy keys
  std::string use;                      // a data use key
  std::vector<std::string> subjects;    // data subject kind keys
  std::vector<std::string> datasets;    // dataset_references: node ids
  Provenance where;
};

// One selector of a Fides policy rule: `matches` (ANY, ALL, NONE or OTHER) over `values` (keys).
struct FidesSelector {
  std::string matches;
  std::vector<std::string> values;
};

struct FidesRule {
  std::string name;
  std::string description;
  FidesSelector data_categories, data_uses, data_subjects;
  Provenance where;  // the rule's list item
};

// A Fides (fideslang) policy, evaluated by `blastmap check` against the privacy declarations.
struct FidesPolicy {
  std::string fides_key;
  std::string name;
  std::string description;
  std::vector<FidesRule> rules;
  Provenance where;  // its fides_key
};

// The strings an element repeats across the map (ids it names, keys, files) are Symbols (core/symbol.h), its
// lists of them SymbolLists (core/symbol_list.h), and free text unique to one element (names, descriptions)
// is Text (core/compact_text.h).

// One whole map: what an import produces and a snapshot stores.
struct Model {
  Taxonomy taxonomy;
  std::vector<Node> nodes;
  std::vector<Holding> holdings;
  std::vector<Flow> flows;
  std::vector<Access> accesses;
  std::vector<Subject> subjects;
  std::vector<PrivacyDeclaration> declarations;  // Fides privacy declarations, in declaration order
  std::vector<FidesPolicy> fides_policies;       // Fides policies of the imported tree

  // Linear lookups, for small maps and tests; the query layer indexes through Graph. A subject is found by
  // its interned id (an integer compare per subject; a map has a few dozen subjects).
  const Node* FindNode(std::string_view id) const;
  const Subject* FindSubject(Symbol id) const;
};

}  // namespace blastmap::core
