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
// The part of std::map's interface the code uses, over an interned, immutable list of (key, values) pairs
// sorted by key: the handle is the list's number in SymbolList's pool (core/symbol_list.h), so equal
// attributes (the same keys with the same values) are one pooled list, copying is a 4-byte copy and
// equality an integer comparison. A map repeats a few sets on most of its nodes (owner team-N, type service),
// so its nodes share them (docs/performance-changes.md, "Interned attributes (session 16)"). Changing one
// (operator[]'s assignment, Set, Append) builds the new list and interns it: other Attributes never change,
// and the entries read before a change stay valid (the pool is never freed). Interning is thread-safe; it
// throws std::length_error when the pool is full (symbol_list_pool::Intern).
class Attributes {
 public:
  using Values = SymbolList;  // interned: the same few values repeat on most nodes
  using value_type = std::pair<Symbol, Values>;
  using const_iterator = const value_type*;
  using iterator = const_iterator;  // entries are immutable: change them with Set

  // What operator[] returns: assigning to it sets the key's values, reading it gives them (empty when the
  // key is missing). Valid while its Attributes lives.
  class ValuesRef {
   public:
    ValuesRef& operator=(const Values& values) {
      attrs_->Set(key_, values);
      return *this;
    }
    ValuesRef& operator=(const ValuesRef& other) { return *this = static_cast<const Values&>(other); }
    operator const Values&() const { return attrs_->Get(key_); }  // NOLINT: reads like the Values&
    bool empty() const { return attrs_->Get(key_).empty(); }

   private:
    friend class Attributes;
    ValuesRef(Attributes* attrs, Symbol key) : attrs_(attrs), key_(key) {}
    Attributes* attrs_;
    Symbol key_;
  };

  Attributes() noexcept = default;
  // Like std::map's: entries in any order, the first of a repeated key kept.
  Attributes(std::initializer_list<value_type> entries);

  // `attrs[key] = values` sets the values of `key` (adding it, in key order, when missing; empty values
  // are kept as a key without values). Reading `attrs[key]` does not add the key.
  ValuesRef operator[](const Symbol& key) { return ValuesRef(this, key); }
  void Set(const Symbol& key, const Values& values);
  // Adds `value` at the end of the values of `key` (added when missing). Each call interns a new list: for
  // importers, which append a few values; loaders gather a key's values and assign them once.
  void Append(const Symbol& key, const Symbol& value);
  // The values of `key`; throws std::out_of_range when it is missing (as std::map::at; for tests).
  const Values& at(std::string_view key) const;
  // The values of `key`, empty when it is missing.
  const Values& Get(std::string_view key) const;
  // The entry of `key`, or end().
  const_iterator find(std::string_view key) const;
  size_t count(std::string_view key) const { return find(key) == end() ? 0 : 1; }

  const_iterator begin() const noexcept { return Items(); }
  const_iterator end() const noexcept { return Items() + size(); }
  bool empty() const noexcept { return n_ == 0; }
  size_t size() const noexcept { return SymbolList::EntryOf(n_)->size / kWords; }
  // Equality is identity in the pool, and the same as comparing the entries one by one.
  bool operator==(const Attributes& other) const noexcept { return n_ == other.n_; }

 private:
  static constexpr size_t kWords = sizeof(value_type) / sizeof(SymbolList::Entry);  // pool words per entry

  // Interns `n` entries sorted by key, keys unique.
  void Assign(const value_type* entries, size_t n);
  const value_type* Items() const noexcept {
    return reinterpret_cast<const value_type*>(SymbolList::EntryOf(n_) + 1);
  }

  uint32_t n_ = 0;  // the entry list's number in the pool (0: no entries)
};

// Unknown record counts are kUnknownRecords.
inline constexpr int64_t kUnknownRecords = -1;

// The members of the elements below are ordered so that the 4-byte ones (Symbols, Provenance) pair up and the
// 1-byte ones share the last 8 bytes: Node 32 bytes, Holding 32, Flow 64, Access 48 (core/model.cc checks it;
// docs/performance-changes.md, "Compact text and lists (session 7)", "Four-byte symbols (session 9)" and
// "Interned attributes (session 16)").
struct Node {
  Symbol id;         // unique across the map
  Attributes attrs;  // with the id: the 8 bytes before the name
  Text name;         // display name; defaults to id
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
