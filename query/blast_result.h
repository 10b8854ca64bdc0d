// Result types of the blast-radius query (the incident brief). Their JSON shape is documented in
// docs/semantics.md and kept stable: the CLI's --format json and the HTTP API return the same.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/taxonomy.h"
#include "query/name_set.h"

namespace blastmap::core {
class Graph;
}

namespace blastmap::query {

struct BlastOptions {
  double min_likelihood = 0.0;  // drop compromises less likely than this
  int max_depth = -1;           // longest access path in edges; -1 for no limit
  // When the breach was discovered (UTC: YYYY-MM-DD, YYYY-MM-DDTHH:MM or with :SS and a Z); when set,
  // every obligation with a fixed window gets its absolute due time.
  std::string discovered;
};

// How a node came to be exposed: a seed, or the privilege of the last access edge on its best path.
enum class Via { kSeed, kAdmin, kCode, kRead, kWrite };
std::string_view ViaName(Via via);

// One access edge on a compromise path: the model's own declaration (from, to, privilege, mechanism,
// likelihood, where), which a brief points to rather than copies (see BlastResult::graph).
using AccessHop = core::Access;

struct CompromisedNode {
  // The node in the model of the graph the brief was computed on (kept alive by BlastResult::graph): the
  // brief copies none of its strings.
  const core::Node* node = nullptr;
  const std::string& id() const { return node->id; }
  std::string_view name() const { return node->name; }
  core::NodeKind kind() const { return node->kind; }
  double likelihood = 1.0;
  Via via = Via::kSeed;
  bool controlled = true;  // the attacker controls it (seed, admin, code); false: its data is read or written
  bool integrity = false;  // someone can write to it (integrity impact)
  // The access path from a seed to this node, kept compact as a tree over `compromised`: only the last
  // edge (`hop`, an index into BlastResult::hops whose `to` is this node; -1 for a seed) and the index in
  // BlastResult::compromised of its source (`parent`, -1 for a seed). Attackers pivot on from a node by its
  // admin/code edge, so when a node's own path ends in a more likely read/write edge, `pivot` (into
  // BlastResult::hops) and `pivot_parent` hold the admin/code edge that paths through it take; -1 otherwise.
  // The hops sit in a side table so that a node stays small. Rebuild paths with PathOf/HopsOf
  // (query/access_path.h).
  int32_t hop = -1;
  int32_t parent = -1;
  int32_t pivot = -1;
  int32_t pivot_parent = -1;
};

// One hop of the flow path by which an exposed category reached where it sits: which element of the model
// of the graph the brief was computed on, not its text. Renderers read its ends, categories and declaration
// through ReadHop (query/provenance.h).
struct FlowHop {
  enum class Kind { kStores, kFlow, kForward };  // kept at rest, named by a flow, forwarded by a "*" flow
  Kind kind = Kind::kFlow;
  uint32_t index = 0;  // into the model's holdings for kStores, its flows otherwise
  friend bool operator==(const FlowHop&, const FlowHop&) = default;
};
std::string_view FlowHopKindName(FlowHop::Kind kind);

struct ExposedCategory {
  // Its entry in the taxonomy of the graph the brief was computed on, and its index there
  // (core::Taxonomy::at): like NotExposedCategory, it copies none of the entry's strings.
  const core::Category* entry = nullptr;
  int index = -1;
  const std::string& category() const { return entry->key; }
  const std::string& name() const { return entry->name; }
  core::Sensitivity sensitivity = core::Sensitivity::kInternal;
  core::SymbolList flags;  // names (core::FlagList)
  // The exposed nodes that hold it, most likely first, as indices into BlastResult::compromised (their ids:
  // HolderIds in query/access_path.h).
  std::vector<int32_t> holders;
  double likelihood = 0;
  int64_t records_max = core::kUnknownRecords;  // max over holding nodes
  int64_t records_sum = core::kUnknownRecords;  // sum over holding nodes (an upper bound)
  // Its subjects (the union over its holders of what their sources declare), ascending, as bits over the
  // graph's subjects; and where they live (their declarations' jurisdictions), ascending.
  NameSet subjects;
  NameSet jurisdictions() const { return subjects.Jurisdictions(); }
  std::vector<FlowHop> provenance;  // how it reached its first holder, ending there
};

// Every subject of the categories `exposed` of a brief computed on `graph`: where they live
// (Jurisdictions()) weighs on the severity and names the obligations' places.
NameSet ExposedSubjects(const core::Graph& graph, const std::vector<ExposedCategory>& exposed);

// A sensitive category held somewhere that the compromise does not reach. Like CompromisedNode, it points
// into the graph the brief was computed on (its taxonomy and model) and copies none of its strings: a brief
// lists a few hundred of them, the same for most briefs of a snapshot.
struct NotExposedCategory {
  const core::Category* entry = nullptr;  // in the graph's taxonomy
  const core::Node* nodes = nullptr;      // the graph's model's nodes, which `holders` index
  std::span<const uint32_t> holders;      // some nodes that hold it (at most 5; core::Graph::SampleHolders)

  const std::string& category() const { return entry->key; }
  const std::string& name() const { return entry->name; }
  core::Sensitivity sensitivity() const { return entry->sensitivity; }
  std::vector<std::string> flags() const { return core::FlagNames(entry->flags); }
  std::vector<std::string> held_at() const;  // the holders' ids
};

// BlastResult::not_exposed_sensitive: the sensitive categories a brief does not expose, in order. A brief's
// list is its graph's candidates (core::Graph::SensitiveHeld: a few hundred, the same for every brief of a
// snapshot) but the positions it skips (those related to an exposed category: a handful in most briefs),
// rather than a copy of them all written per brief (the one allocation of a small brief that took most of
// its freshly written cache lines). A list built by hand (the tests' reference) holds its own entries.
// Entries are made when read, pointing into the graph as NotExposedCategory does.
class NotExposedList {
 public:
  NotExposedList() = default;
  // `graph`'s SensitiveHeld() but those at the positions `skip` (ascending, distinct).
  NotExposedList(const core::Graph& graph, std::vector<uint32_t> skip);
  explicit NotExposedList(std::vector<NotExposedCategory> own) : own_(std::move(own)) {}

  size_t size() const;
  bool empty() const { return size() == 0; }
  NotExposedCategory operator[](size_t i) const;

  class const_iterator {
   public:
    using value_type = NotExposedCategory;
    using difference_type = std::ptrdiff_t;
    NotExposedCategory operator*() const { return (*list_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    friend class NotExposedList;
    const_iterator(const NotExposedList* list, size_t i) : list_(list), i_(i) {}
    const NotExposedList* list_;
    size_t i_;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  const core::Graph* graph_ = nullptr;
  std::vector<uint32_t> skip_;
  std::vector<NotExposedCategory> own_;
};

struct SeverityScore {
  double score = 0;
  std::string level = "low";                      // low, medium, high, critical
  double data = 0, volume = 1, jurisdiction = 1;  // the factors (docs/semantics.md#severity)
};

// A notification duty the exposure triggers (docs/obligations.md): who must notify whom, by when, and why.
struct Obligation {
  std::string rule;  // the rule id, or "contract:<vendor id>" for a vendor's contractual notice window
  std::string regulation, duty, notify, owed_by;
  std::optional<int64_t> deadline_hours;  // hours from discovery; unset: no fixed window
  std::string deadline;                   // in the law's (or contract's) words
  std::string due;                        // discovery + deadline_hours, "YYYY-MM-DDTHH:MMZ"; empty without
  // True when it only possibly applies: subjects known only at country level ("US") under a state's law,
  // or a record threshold with unknown counts.
  bool possible = false;
  std::string applies_if, note, citation;
  std::vector<std::string> sources;
  // Why: the triggers met, the exposed categories that met them, about which subjects, where they live.
  std::vector<std::string> triggers;
  std::vector<std::string> categories;
  std::vector<std::string> subjects;
  std::vector<std::string> jurisdictions;
  int64_t records = core::kUnknownRecords;  // the most records among the triggering categories
  double likelihood = 0;                    // how likely the triggering exposure is
  core::Provenance where;                   // the rule (or the vendor) declaration
};

struct BlastResult {
  // The graph whose model CompromisedNode::node and `hops` point into. The brief shares its ownership, so a
  // brief and every copy of it stay valid after the Engine (or the what-if map) that computed it is gone.
  // Null for an empty brief, and for a brief computed over a borrowed graph (the ComputeBlastRadius overload
  // taking a `const core::Graph&`, for summaries used while that graph lives: rank, diff, minimise...).
  std::shared_ptr<const core::Graph> graph;
  // The graph the brief was computed on, set for every brief but an empty one, owned or borrowed: the
  // renderers read the text of the brief's elements through it (ReadHop, AccessAt). Valid while `graph` is
  // set, or, for a brief over a borrowed graph, while that graph lives.
  const core::Graph* source = nullptr;
  int64_t snapshot = 0;
  std::string at;  // the date the map was evaluated at (--at), empty for the map as declared
  std::vector<std::string> seeds;
  BlastOptions options;
  std::vector<CompromisedNode> compromised;  // every exposed node, most likely first
  // The access edges CompromisedNode::hop/pivot index, as indices into the model's accesses (read through
  // AccessAt, query/access_path.h).
  std::vector<uint32_t> hops;
  std::vector<ExposedCategory> exposed;  // most sensitive first
  NotExposedList not_exposed_sensitive;
  SeverityScore severity;
  std::vector<Obligation> obligations;  // shortest deadline first
  // Jurisdictions of exposed subjects that no notification rule covers (check them by hand).
  std::vector<std::string> jurisdictions_without_rules;
};

}  // namespace blastmap::query
