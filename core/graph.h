// The in-memory graph of one snapshot, built for queries: compact node indices, flows and access edges
// in Boost.Graph compressed-sparse-row form, held() computed once, held() and the declared category sets
// as sparse rows.
#pragma once

#include <bit>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/category_rows.h"
#include "core/flat_index.h"
#include "core/likelihood.h"
#include "core/model.h"
#include "core/status.h"

namespace blastmap::core {

class ElementSource;

// Calls f(i) for every bit i set in `words` (bit i is bit i % 64 of word i / 64), ascending, without
// allocating.
template <typename F>
void ForEachBit(std::span<const uint64_t> words, F&& f) {
  for (size_t w = 0; w < words.size(); ++w) {
    for (uint64_t bits = words[w]; bits; bits &= bits - 1)
      f(static_cast<int>(w * 64 + std::countr_zero(bits)));
  }
}

// A fixed-width bit set over taxonomy category indices, viewed in place inside a larger array.
class CategorySetView {
 public:
  CategorySetView(const uint64_t* words, size_t count) : words_(words, count) {}
  bool Has(int category) const { return (words_[category >> 6] >> (category & 63)) & 1u; }
  bool Empty() const;
  std::span<const uint64_t> words() const { return words_; }
  // Category indices in the set, ascending.
  std::vector<int> Indices() const;
  // Calls f(category) for every category in the set, ascending, without allocating.
  template <typename F>
  void ForEach(F&& f) const {
    ForEachBit(words_, f);
  }

 private:
  std::span<const uint64_t> words_;
};

// What Graph::model(), flow(), access() and holding() throw when a lean graph's source fails (a store
// removed or damaged after the load).
class ElementReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Graph {
 public:
  struct EdgeRef {
    uint32_t index;  // index into model().flows or model().accesses
  };
  using Csr = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, EdgeRef,
                                                 boost::no_property, uint32_t, uint32_t>;
  // The flows' CSR runs one way: a node's in-flows are InFlows(v), which name each flow and whether it
  // forwards everything in the row itself (a walk back reads one row, not each edge's property and flag).
  using FlowCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeRef,
                                                     boost::no_property, uint32_t, uint32_t>;
  // A flow into a node: its source and its index into model().flows, with whether it forwards everything
  // ("*") in the index's top bit (a graph takes at most kMaxFlows flows).
  struct InFlow {
    uint32_t source;
    uint32_t flow_and_forwards;
    uint32_t flow() const { return flow_and_forwards & kMaxFlows; }
    bool forwards_all() const { return (flow_and_forwards >> 31) != 0; }
  };
  static constexpr uint32_t kMaxFlows = 0x7fffffff;

  // The most access edges a graph takes: a search keeps an access's index in 31 bits (query/compromise.h).
  static constexpr size_t kMaxAccesses = 0x7fffffff;
  // Builds the graph of `model` (taking ownership). Fails only when the model is inconsistent
  // (a reference to a node or category that does not exist), which validated imports never are, or when
  // its taxonomy has more than CategoryRows::kMaxCategories categories, or it has more than kMaxFlows flows
  // or kMaxAccesses access edges.
  static Result<Graph> Build(Model model);
  // (Store::LoadGraph builds a lean graph, below, with the same arrays straight from the store's columns,
  // never holding the snapshot's flows, accesses and holdings: core/graph_builder.h.)
  Graph(Graph&&) = default;
  Graph& operator=(Graph&&) = default;
  Graph(const Graph&) = delete;  // index_ reads the ids inside model_
  Graph& operator=(const Graph&) = delete;

  // A lean graph keeps of its model only what the queries read at random: the nodes, the taxonomy, the
  // subjects, the Fides declarations and policies. Its flows, accesses and holdings stay in the store; a
  // brief reads the few it renders one at a time (flow(), access(), holding()), and model() reads the whole
  // model on first use, for the queries that walk it all (what-if, diff, export, ...). MakeLean drops the
  // model's flows, accesses and holdings and reads them from `source` from then on (the source must hold
  // the same model: the graph's arrays were built from it). Not thread-safe; done before sharing the graph.
  void MakeLean(std::shared_ptr<const ElementSource> source);
  bool lean() const { return source_ != nullptr; }
  // Whether a lean graph has read its whole model (model() was called).
  bool whole_read() const;
  // The whole model. For a lean graph it is read from the source on first call (thread-safe; then kept),
  // and a read that fails throws ElementReadError.
  const Model& model() const;
  // What the graph keeps in memory of the model: all of it, or for a lean graph its nodes, taxonomy,
  // subjects, declarations and policies, with no flows, accesses or holdings.
  const Model& resident() const { return model_; }
  // One flow (access, holding) of the model by its index: a copy of the model's, or for a lean graph read
  // from its source (the model's when model() has been read). A read that fails throws ElementReadError.
  Flow flow(uint32_t i) const;
  Access access(uint32_t i) const;
  Holding holding(uint32_t i) const;
  uint32_t flow_count() const { return static_cast<uint32_t>(flow_ends_.size()); }
  uint32_t access_count() const { return static_cast<uint32_t>(access_sources_.size()); }
  uint32_t holding_count() const { return static_cast<uint32_t>(holding_ids_.size()); }
  const Taxonomy& taxonomy() const { return model_.taxonomy; }
  uint32_t node_count() const { return static_cast<uint32_t>(model_.nodes.size()); }
  const Node& node(uint32_t v) const { return model_.nodes[v]; }
  // Index of the node with this id, or -1.
  int64_t Find(std::string_view id) const;
  // Position of node v among all nodes ordered by id: comparing ranks compares ids, without strings.
  uint32_t IdRank(uint32_t v) const { return id_rank_[v]; }

  // Flows and access edges as CSR graphs over node indices; each edge's property names the model's edge.
  const FlowCsr& flows() const { return flows_; }
  // The flows into v, by source (then by index), as Boost's in-edges were.
  std::span<const InFlow> InFlows(uint32_t v) const {
    return {in_flows_.data() + in_flow_offsets_[v], in_flow_offsets_[v + 1] - in_flow_offsets_[v]};
  }
  const Csr& access() const { return access_; }
  uint32_t FlowSource(uint32_t flow) const { return flow_ends_[flow].first; }
  uint32_t FlowTarget(uint32_t flow) const { return flow_ends_[flow].second; }
  uint32_t AccessSource(uint32_t access) const { return access_sources_[access]; }
  // Starts fetching what AccessSource and AccessPrivilege read for `access`, for loops over edges met at
  // random (a big brief's paths).
  void PrefetchAccess(uint32_t access) const {
    __builtin_prefetch(access_sources_.data() + access);
    __builtin_prefetch(access_kinds_.data() + access);
  }
  // Whether model().flows[flow] forwards everything its source holds ("*"), in a dense array.
  bool FlowForwardsAll(uint32_t flow) const { return flow_forwards_all_[flow] != 0; }
  // The privilege of model().accesses[access] and its likelihood as an integer cost (core/likelihood.h),
  // which the searches add up, in dense arrays for their inner loop.
  // Both in one byte per access (see access_kinds_).
  Privilege AccessPrivilege(uint32_t access) const {
    return static_cast<Privilege>(access_kinds_[access] & 3u);
  }
  LikelihoodCost AccessCost(uint32_t access) const {
    const uint32_t k = access_kinds_[access] >> 2;
    return k != kRareCost ? access_cost_values_[k] : RareCost(access);
  }

  // Words of a bitset over the taxonomy's categories.
  size_t words() const { return words_; }
  // held(v): everything node v holds (SPEC §4), computed once by Build; a sparse row (a few categories a
  // node: 2 bytes each and a 4-byte offset, where a bitset took words() * 8 bytes).
  CategoryList Held(uint32_t v) const { return held_.Row(v); }
  // For loops over nodes met at random: PrefetchHeldRow(v) starts fetching where Held(v) is (its offsets),
  // PrefetchHeld(v) (a few nodes later, once those are in) the categories themselves.
  void PrefetchHeldRow(uint32_t v) const { held_.PrefetchRow(v); }
  void PrefetchHeld(uint32_t v) const { __builtin_prefetch(held_.Row(v).begin()); }
  // For a walk back from v over its holdings and in-flows (query/provenance.h): PrefetchHoldingsOf(v) and
  // PrefetchInFlows(v) start fetching where HoldingsOf(v) and InFlows(v) are; PrefetchHolding(i) and
  // PrefetchFlow(f) a holding's and a flow's categories (whether a flow forwards everything is in its
  // in-flow row).
  void PrefetchHoldingsOf(uint32_t v) const { __builtin_prefetch(holding_offsets_.data() + v); }
  void PrefetchHolding(uint32_t i) const { holding_categories_.PrefetchRow(i); }
  void PrefetchFlow(uint32_t f) const { flow_categories_.PrefetchRow(f); }
  void PrefetchInFlows(uint32_t v) const { __builtin_prefetch(in_flow_offsets_.data() + v); }
  // What v keeps at rest (its stores).
  CategoryList Stored(uint32_t v) const { return stored_.Row(v); }
  // Indices into model().holdings of the stores declared on v.
  std::span<const uint32_t> HoldingsOf(uint32_t v) const {
    return {holding_ids_.data() + holding_offsets_[v], holding_offsets_[v + 1] - holding_offsets_[v]};
  }
  // What a node holds of each category, traced (SPEC §4, TraceCategory): the most records among the sources
  // of that category on v's "*"-flow ancestors (v included; a source is a store, or an explicit flow naming
  // it), kUnknownRecords when no source gives a count, and their subjects (bits over the interned subject
  // ids, below). Computed once by Build, per strongly connected component of "*" flows, and interned: the
  // few distinct (records, subjects) values are numbered, and HeldValues(v) gives, for each category of
  // Held(v), ascending, the number of its value (4 bytes per node and held category, beside Held(v)'s own
  // categories, instead of 8 + 8 per subject word).
  std::span<const uint32_t> HeldValues(uint32_t v) const {
    return {held_values_.data() + held_.Begin(v), held_.Row(v).size()};
  }
  // The records and the subjects (subject_words() words) of value k of HeldValues.
  int64_t ValueRecords(uint32_t k) const { return static_cast<int64_t>(values_[k * value_words_]); }
  std::span<const uint64_t> ValueSubjects(uint32_t k) const {
    return {values_.data() + k * value_words_ + 1, subject_words_};
  }
  // Starts fetching value k (its records and subjects are side by side), for loops over nodes met at random.
  void PrefetchValue(uint32_t k) const { __builtin_prefetch(values_.data() + k * value_words_); }
  size_t value_count() const { return value_words_ ? values_.size() / value_words_ : 0; }
  size_t subject_words() const { return subject_words_; }
  // The subject ids named by holdings and flows, interned: SubjectName(k) ascending in k, no duplicates.
  size_t subject_count() const { return subject_names_.size(); }
  const Symbol& SubjectName(uint32_t k) const { return subject_names_[k]; }
  // The jurisdictions the interned subjects' declarations (Model::subjects) name, interned the same way:
  // JurisdictionName(b) ascending in b, no duplicates; SubjectJurisdictions(k) has bit b
  // (jurisdiction_words() words) when subject k lives in jurisdiction b. A brief spells a row's jurisdictions
  // as a union of bits.
  size_t jurisdiction_words() const { return jurisdiction_words_; }
  const Symbol& JurisdictionName(uint32_t b) const { return jurisdiction_names_[b]; }
  size_t jurisdiction_count() const { return jurisdiction_names_.size(); }
  std::span<const uint64_t> SubjectJurisdictions(uint32_t k) const {
    return {subject_jurisdictions_.data() + k * jurisdiction_words_, jurisdiction_words_};
  }
  std::span<const uint32_t> HoldingSubjects(uint32_t holding) const {
    return Row(subject_lists_, holding_subject_list_[holding]);
  }
  std::span<const uint32_t> FlowSubjects(uint32_t flow) const {
    return Row(subject_lists_, flow_subject_list_[flow]);
  }
  // Up to kSampleHolders nodes whose held() has `category`, in index order; empty when nobody holds it.
  static constexpr size_t kSampleHolders = 5;
  const std::vector<uint32_t>& SampleHolders(int category) const { return sample_holders_[category]; }
  // A brief's fixed parts, once per snapshot: the categories its not-exposed list considers (restricted or
  // confidential, and held somewhere: the restricted first, each level in index order); each category's
  // severity weight (core::CategoryWeight); each jurisdiction's (by JurisdictionName's index,
  // core::JurisdictionWeight) and the default one for those the weights do not name.
  std::span<const int> SensitiveHeld() const { return sensitive_held_; }
  // The positions in SensitiveHeld() of the categories related to `category` (itself, an ancestor or a
  // descendant: Taxonomy::Related), as bits (sensitive_words() words): a brief's not-exposed list leaves
  // out the union of its exposed categories' rows.
  size_t sensitive_words() const { return sensitive_words_; }
  std::span<const uint64_t> RelatedSensitive(int category) const {
    return {related_sensitive_.data() + static_cast<size_t>(category) * sensitive_words_, sensitive_words_};
  }
  double CategoryWeight(int category) const { return category_weights_[category]; }
  double JurisdictionWeight(uint32_t b) const { return jurisdiction_weights_[b]; }
  double DefaultJurisdictionWeight() const { return default_jurisdiction_weight_; }
  // The categories a flow declares (empty for a "*" flow).
  CategoryList FlowCategories(uint32_t flow) const { return flow_categories_.Row(flow); }
  // The categories a holding (an index into model().holdings) declares.
  CategoryList HoldingCategories(uint32_t holding) const { return holding_categories_.Row(holding); }

  // The heap each of the graph's own arrays takes (bytes by capacity; the model excluded), for the
  // benchmark's memory breakdown (bench/, `blastmap_bench load`).
  std::vector<std::pair<std::string_view, size_t>> HeapParts() const;

 private:
  friend class GraphBuilder;  // core/graph_builder.h: the build, fed rows
  Graph() = default;
  static Status TooManyAccesses(size_t accesses);
  static Status TooManyFlows(size_t flows);
  // Rows of indices in one array: offsets (rows + 1) then the concatenated rows.
  struct Rows {
    std::vector<uint32_t> offsets = {0}, ids;
  };
  static std::span<const uint32_t> Row(const Rows& rows, uint32_t row) {
    return {rows.ids.data() + rows.offsets[row], rows.offsets[row + 1] - rows.offsets[row]};
  }
  // Rows of `rows` rows from (row, value) pairs, each row's values in the pairs' order (a counting sort:
  // one allocation, however many rows).
  static Rows Group(uint32_t rows, std::span<const std::pair<uint32_t, uint32_t>> pairs);
  // held() and its values, from the arrays and the holdings' and flows' records (by position).
  Status ComputeHeld(std::span<const int64_t> holding_records, std::span<const int64_t> flow_records);
  void ComputeHeldRecords(uint32_t components, const Rows& members, const Rows& preds,
                          std::span<const int64_t> holding_records, std::span<const int64_t> flow_records);
  // SensitiveHeld and the weight tables, once the sample holders are known.
  void ComputeBriefTables();

  Model model_;
  // A lean graph's source, and its whole model once read (shared by the moves of one graph).
  struct Whole;
  std::shared_ptr<const ElementSource> source_;
  std::shared_ptr<Whole> whole_;
  std::string_view IdOf(uint32_t v) const { return model_.nodes[v].id; }
  FlatIndex index_;  // node ids to node indices
  FlowCsr flows_;
  std::vector<uint32_t> in_flow_offsets_;  // InFlows' rows
  std::vector<InFlow> in_flows_;
  Csr access_;
  std::vector<std::pair<uint32_t, uint32_t>> flow_ends_;
  std::vector<uint32_t> access_sources_;
  std::vector<uint8_t> flow_forwards_all_;
  // Per access: its privilege (bits 0-1) and the index of its cost among the first kRareCost distinct
  // costs in access_cost_values_ (bits 2-7; maps use a handful of likelihoods), or kRareCost: then the
  // cost is in rare_costs_ (by access, ascending).
  static constexpr uint32_t kRareCost = 63;
  std::vector<uint8_t> access_kinds_;
  std::vector<LikelihoodCost> access_cost_values_;
  std::vector<std::pair<uint32_t, LikelihoodCost>> rare_costs_;
  LikelihoodCost RareCost(uint32_t access) const;
  size_t words_ = 1;
  // held(): a row per node. The declared sets: a row per node (its stores), per flow, per holding.
  CategoryRows held_, stored_, flow_categories_, holding_categories_;
  std::vector<uint32_t> holding_offsets_, holding_ids_;
  std::vector<std::vector<uint32_t>> sample_holders_;
  std::vector<int> sensitive_held_;
  size_t sensitive_words_ = 0;
  std::vector<uint64_t> related_sensitive_;  // sensitive_words_ words per category
  std::vector<double> category_weights_, jurisdiction_weights_;
  double default_jurisdiction_weight_ = 1;
  std::vector<uint32_t> id_rank_;
  std::vector<uint32_t> held_values_;  // per node, aligned with held_'s rows
  size_t subject_words_ = 0, value_words_ = 1;
  // The distinct values, value_words_ (1 + subject_words_) words each: the records (as the bits of an
  // int64_t), then the subjects.
  std::vector<uint64_t> values_;
  std::vector<Symbol> subject_names_;
  // The distinct subject lists (the model's SymbolLists are interned, so a few hundred among millions of
  // holdings and flows) as rows of interned subject ids, and each holding's and flow's row.
  Rows subject_lists_;
  std::vector<uint32_t> holding_subject_list_, flow_subject_list_;
  size_t jurisdiction_words_ = 0;
  std::vector<Symbol> jurisdiction_names_;
  std::vector<uint64_t> subject_jurisdictions_;  // jurisdiction_words_ words per interned subject
};

}  // namespace blastmap::core
