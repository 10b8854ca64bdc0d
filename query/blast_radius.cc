#include "query/blast_radius.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <future>
#include <memory>
#include <span>

#include "query/brief_memo.h"
#include "query/compromise.h"
#include "query/provenance.h"
#include "query/severity.h"

namespace blastmap::query {
namespace {

Via ViaOf(core::Privilege p) {
  switch (p) {
    case core::Privilege::kAdmin: return Via::kAdmin;
    case core::Privilege::kCode: return Via::kCode;
    case core::Privilege::kWrite: return Via::kWrite;
    case core::Privilege::kRead: return Via::kRead;
  }
  return Via::kRead;
}

// The node at place i of a brief, first as the places pass leaves it in result.compromised: everything but
// its hops is final, while `hop`, `parent`, `pivot` and `pivot_parent` still hold the access edge its best
// path ends in (-1 for a seed) and that edge's source node and, when that edge is a more likely read/write,
// the admin/code edge that paths on from the node take and its source (-1 otherwise). The fill then turns
// the edges into places in result.hops and the sources into places in `compromised`. Staged in the result
// itself, the brief needs no per-node buffer of its own (32 bytes a node, which a big brief faulted in).
void StagePath(const Reach& r, CompromisedNode& c) {
  const uint32_t edge = r.controlled_cost <= r.exposed_cost ? r.controlled_edge : r.exposed_edge;
  const uint32_t pivot = edge != r.controlled_edge && r.controlled_edge != kNone ? r.controlled_edge : kNone;
  c.controlled = r.controlled();
  c.integrity = r.integrity || c.controlled;
  c.hop = static_cast<int32_t>(edge);  // kNone is -1
  c.pivot = static_cast<int32_t>(pivot);
}
uint32_t StagedEdge(int32_t staged) { return static_cast<uint32_t>(staged); }

// How many elements ahead the loops over the exposed nodes prefetch what they will read (the nodes are
// in likelihood order, so their per-node rows are scattered over memory).
constexpr size_t kAhead = 16;

// A brief's per-category sums, kept per thread and reset only where the last brief wrote: a small brief
// holds a handful of the taxonomy's few hundred categories, and its fixed cost was these arrays' allocation
// and fill (large enough that each allocation also consolidated the heap's free lists).
struct CategorySums {
  std::vector<std::vector<int32_t>> holders;  // places in `compromised`, ascending (most likely first)
  std::vector<int64_t> records_max, records_sum;
  std::vector<uint64_t> subjects;  // `words` words per category
  std::vector<int> touched;        // categories whose holders or sums were written
  size_t words = 0;

  // Holder `place` of category c; lists c among the touched ones before anything of c is written.
  void AddHolder(int c, int32_t place) {
    if (holders[c].empty()) touched.push_back(c);
    holders[c].push_back(place);
  }
  // Ready for a brief over `categories` categories and `subject_words` words of subjects: all reset.
  void Reset(size_t categories, size_t subject_words) {
    if (holders.size() != categories || words != subject_words) {
      words = subject_words;
      holders.assign(categories, {});
      records_max.assign(categories, core::kUnknownRecords);
      records_sum.assign(categories, core::kUnknownRecords);
      subjects.assign(categories * words, 0);
    } else {
      for (int c : touched) {
        holders[c].clear();
        records_max[c] = records_sum[c] = core::kUnknownRecords;
        std::fill_n(subjects.data() + c * words, words, 0);
      }
    }
    touched.clear();
  }
};

}  // namespace

std::atomic<size_t> parallel_brief_nodes{kParallelBriefNodes};

std::string_view ViaName(Via via) {
  switch (via) {
    case Via::kSeed: return "seed";
    case Via::kAdmin: return "admin";
    case Via::kCode: return "code";
    case Via::kRead: return "read";
    case Via::kWrite: return "write";
  }
  return "seed";
}

std::string_view FlowHopKindName(FlowHop::Kind kind) {
  switch (kind) {
    case FlowHop::Kind::kStores: return "stores";
    case FlowHop::Kind::kFlow: return "flow";
    case FlowHop::Kind::kForward: return "forward";
  }
  return "flow";
}

NameSet ExposedSubjects(const core::Graph& graph, const std::vector<ExposedCategory>& exposed) {
  NameSet all(graph, NameSet::Table::kSubjects);
  for (const ExposedCategory& e : exposed) all.Add(e.subjects);
  return all;
}

NotExposedList::NotExposedList(const core::Graph& graph, std::vector<uint32_t> skip)
    : graph_(&graph), skip_(std::move(skip)) {}

size_t NotExposedList::size() const {
  return graph_ ? graph_->SensitiveHeld().size() - skip_.size() : own_.size();
}

NotExposedCategory NotExposedList::operator[](size_t i) const {
  if (!graph_) return own_[i];
  size_t position = i;  // among the candidates: past every skipped one at or before it
  for (uint32_t skipped : skip_) {
    if (skipped > position) break;
    ++position;
  }
  const int c = graph_->SensitiveHeld()[position];
  return {&graph_->resident().taxonomy.at(c), graph_->resident().nodes.data(), graph_->SampleHolders(c)};
}

std::vector<std::string> NotExposedCategory::held_at() const {
  std::vector<std::string> ids;
  ids.reserve(holders.size());
  for (uint32_t v : holders) ids.push_back(nodes[v].id);
  return ids;
}

BlastResult ComputeBlastRadius(std::shared_ptr<const core::Graph> graph, const std::vector<uint32_t>& seeds,
                               const BlastOptions& options, const BriefMemos* memos) {
  BlastResult result = ComputeBlastRadius(*graph, seeds, options, memos);
  result.graph = std::move(graph);
  return result;
}

BlastResult ComputeBlastRadius(const core::Graph& g, const std::vector<uint32_t>& seeds,
                               const BlastOptions& opt, const BriefMemos* memos) {
  const core::Model& m = g.resident();
  const core::Taxonomy& t = m.taxonomy;
  BlastResult result;
  result.source = &g;
  result.options = opt;
  for (uint32_t s : seeds) result.seeds.push_back(m.nodes[s].id);
  // A workspace from the pool (a warm query touches only what it reaches), held until the brief is built.
  SearchLease lease(g.node_count());
  AccessSearch& reach = *lease;
  // Exposed nodes, most likely first (cost, then id). A brief composed from memos gets them merged from
  // the memos' orders; a plain search's are sorted on keys gathered once (cost, id rank), not by looking
  // both up per comparison.
  // Per thread, so that its buffers are reused; used through a reference, which the second thread's work
  // below shares (a thread_local named in a lambda would be the worker's own).
  thread_local BriefMemos::Composition buffers;
  BriefMemos::Composition& composition = buffers;
  composition.holdings = nullptr;
  composition.from_memo.clear();  // a plain search's nodes are all in the workspace
  std::vector<uint32_t>& exposed_nodes = composition.order;
  if (!memos || !memos->Run(g, reach, seeds, opt, &composition)) {
    reach.Run(g, seeds, opt);
    thread_local std::vector<BriefMemos::Ordered> keys;
    keys.clear();
    for (uint32_t v : reach.touched()) {
      if (reach.at(v).reached()) keys.push_back({reach.at(v).cost(), g.IdRank(v), v, 0});
    }
    std::sort(keys.begin(), keys.end(), BriefMemos::Ordered::Before);
    exposed_nodes.resize(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) exposed_nodes[i] = keys[i].node;
  }
  // Each node's place in `compromised`, so that a node's access path is its last edge and the index of
  // the edge's source (query/access_path.h rebuilds the whole path).
  // A small brief finds a node's place among its few nodes instead (a per-node array is a cold page a node).
  thread_local std::vector<int32_t> position;
  if (position.size() != g.node_count()) position.assign(g.node_count(), -1);
  // A small brief reads a few cold rows of each of its nodes, part after part: they are all asked for here,
  // level by level, so that their misses overlap instead of queueing (the nodes' entries and places, the
  // exposure's held rows and values). The provenance walks' first rows are asked for once the first holders
  // are known (below): asking for every node's here read rows of nodes no walk starts from, and a brief
  // took longer (7 of 9 alternating pairs at 10^6).
  TraceSpace& space = Traces(g.node_count(), t.size());
  const bool small = exposed_nodes.size() <= kAhead;
  if (small) {
    for (uint32_t v : exposed_nodes) {
      g.PrefetchHeldRow(v);
      __builtin_prefetch(&m.nodes[v]);
    }
    for (uint32_t v : exposed_nodes) {
      g.PrefetchHeld(v);
      __builtin_prefetch(g.HeldValues(v).data());
    }
    for (uint32_t v : exposed_nodes) {
      for (uint32_t k : g.HeldValues(v)) g.PrefetchValue(k);
    }
  }
  // The compromised nodes. First each node's place and everything of it but its hops, with the access
  // edges its path ends in staged in its element (StagePath); then, in node order, where their hops go in
  // result.hops (indices of the model's edges), which the fill writes. Nothing of the model is copied: the
  // nodes point into it and the hops index it (BlastResult::graph keeps it alive).
  const size_t items = exposed_nodes.size();
  // The nodes come by cost: runs of one cost convert it once (per thread).
  auto likelihood_of = [](core::LikelihoodCost cost) {
    thread_local core::LikelihoodCost last_cost = 0;
    thread_local double last = 1;
    if (cost != last_cost) {
      last_cost = cost;
      last = core::LikelihoodOf(cost);
    }
    return last;
  };
  result.compromised.resize(items);
  // The fill below takes the nodes in chunks of kChunk; the places pass counts the hops each chunk's nodes
  // take, per part (a chunk may straddle the parts), in blocks that lie within one chunk.
  constexpr size_t kChunk = 1024, kBlock = 64;
  static_assert(kChunk % kBlock == 0);
  const size_t chunks = (items + kChunk - 1) / kChunk;
  thread_local std::vector<uint32_t> chunk_hops;
  std::vector<uint32_t>& hops_in =
      chunk_hops;  // [part * chunks + chunk], then per chunk where its hops start
  hops_in.assign(2 * chunks, 0);
  {
    // Each node's reach is a read at random: a big brief reads the second half on another thread. (The
    // thread-local vector is used through a reference: the worker has its own, empty one.)
    std::vector<int32_t>& place_of = position;
    // In blocks: the nodes' reach first, prefetching their edges' rows, then the edges' sources.
    SplitIfBig(items, [&](size_t begin, size_t end, int part) {
      for (size_t block = begin; block < end; block = (block / kBlock + 1) * kBlock) {
        const size_t block_end = std::min(end, (block / kBlock + 1) * kBlock);
        for (size_t i = block; i < block_end; ++i) {
          if (i + kAhead < end)
            __builtin_prefetch(composition.ReachAddress(reach, i + kAhead, exposed_nodes[i + kAhead]));
          const uint32_t v = exposed_nodes[i];
          if (!small) place_of[v] = static_cast<int32_t>(i);
          const Reach r = composition.ReachOf(reach, i, v);
          CompromisedNode& c = result.compromised[i];
          c.node = &m.nodes[v];
          c.likelihood = likelihood_of(r.cost());
          StagePath(r, c);
          if (c.hop >= 0) g.PrefetchAccess(StagedEdge(c.hop));
        }
        uint32_t hops = 0;
        for (size_t i = block; i < block_end; ++i) {
          CompromisedNode& c = result.compromised[i];
          const uint32_t v = exposed_nodes[i];
          const bool seed = std::find(seeds.begin(), seeds.end(), v) != seeds.end();
          // (A node that is not a seed and has no edge would read: the privilege's default.)
          c.via = seed ? Via::kSeed
                       : ViaOf(c.hop >= 0 ? g.AccessPrivilege(StagedEdge(c.hop)) : core::Privilege::kRead);
          if (c.hop >= 0) c.parent = static_cast<int32_t>(g.AccessSource(StagedEdge(c.hop)));
          if (c.pivot >= 0) c.pivot_parent = static_cast<int32_t>(g.AccessSource(StagedEdge(c.pivot)));
          hops += (c.hop >= 0 ? 1 : 0) + (c.pivot >= 0 ? 1 : 0);
        }
        hops_in[part * chunks + block / kChunk] += hops;
      }
    });
  }
  // In chunks of nodes taken from a shared counter: a big brief fills them on a second thread while this
  // one gathers the exposure below, then helps with what is left. Where each chunk's hops start in
  // result.hops, in node order: each node writes its own hops there, and its own element of
  // result.compromised; everything it reads is left unchanged meanwhile (a node's staged edges are its own).
  uint32_t hop_count = 0;
  for (size_t k = 0; k < chunks; ++k) {
    const uint32_t n = hops_in[k] + hops_in[chunks + k];
    hops_in[k] = hop_count;
    hop_count += n;
  }
  result.hops.resize(hop_count);
  // (The thread-local vectors are read through references: the worker has its own, empty ones.)
  const std::vector<uint32_t>& hop_of_chunk = hops_in;
  const std::vector<int32_t>& position_of = position;
  const uint32_t* const small_nodes = small ? exposed_nodes.data() : nullptr;
  auto place = [&position_of, small_nodes, items](int32_t v) {
    if (!small_nodes) return position_of[v];
    return static_cast<int32_t>(std::find(small_nodes, small_nodes + items, static_cast<uint32_t>(v)) -
                                small_nodes);
  };
  std::atomic<size_t> next_item{0};
  auto fill = [&] {
    for (size_t begin; (begin = next_item.fetch_add(kChunk, std::memory_order_relaxed)) < items;) {
      const size_t end = std::min(items, begin + kChunk);
      uint32_t hop = hop_of_chunk[begin / kChunk];
      for (size_t k = begin; k < end; ++k) {
        if (k + kAhead < end && result.compromised[k + kAhead].hop >= 0)  // within the chunk: ours alone
          __builtin_prefetch(&position_of[result.compromised[k + kAhead].parent]);
        CompromisedNode& c = result.compromised[k];
        if (c.hop >= 0) {
          result.hops[hop] = StagedEdge(c.hop);
          c.hop = static_cast<int32_t>(hop++);
          c.parent = place(c.parent);
        }
        if (c.pivot >= 0) {  // paths on from the node pivot by this edge
          result.hops[hop] = StagedEdge(c.pivot);
          c.pivot = static_cast<int32_t>(hop++);
          c.pivot_parent = place(c.pivot_parent);
        }
      }
    }
  };
  // Declared after `result`, so that leaving early (a cancelled walk below) waits for the worker before
  // `result` goes away.
  std::future<void> nodes_done = StartIfBig(items, fill);

  // Exposure. Every exposed node (most likely first, so each category's first holder is its most likely
  // one) adds itself, its per-category records and subjects (Graph::HeldValues: the
  // subjects of the sources on its "*" ancestors, so their union over the holders is the category's) to
  // the categories it holds; a brief composed from one memo takes the memo's nodes' part from the memo.
  const size_t categories = t.size();
  const size_t subject_words = g.subject_words();
  // Per category first: the places of its holders in `compromised` (ascending, so most likely first), the
  // most and summed records, the subjects. Reset where the last brief on this thread wrote (also when it
  // was left early), so that a brief's work follows its categories, not the taxonomy's.
  thread_local CategorySums sums_buffer;
  CategorySums& sums = sums_buffer;
  sums.Reset(categories, subject_words);
  std::vector<std::vector<int32_t>>& holders = sums.holders;
  std::vector<int64_t>& records_max = sums.records_max;
  std::vector<int64_t>& records_sum = sums.records_sum;
  std::vector<uint64_t>& category_subjects = sums.subjects;
  auto add_records = [&](int c, int64_t r) {
    if (r < 0) return;
    records_max[c] = std::max(records_max[c], r);
    records_sum[c] = std::max<int64_t>(records_sum[c], 0) + r;
  };
  // The node at place i adds itself to the categories it holds and, when `counts`, its records and subjects.
  auto add_node = [&](size_t i, bool counts) {
    const uint32_t v = exposed_nodes[i];
    const uint32_t* value = g.HeldValues(v).data();
    g.Held(v).ForEach([&](int c) {
      sums.AddHolder(c, static_cast<int32_t>(i));  // v's place
      if (counts) {
        add_records(c, g.ValueRecords(*value));
        const uint64_t* subjects = g.ValueSubjects(*value).data();
        uint64_t* row = category_subjects.data() + c * subject_words;
        for (size_t w = 0; w < subject_words; ++w) row[w] |= subjects[w];
      }
      ++value;
    });
  };
  if (const BriefMemos::Holdings* memo = composition.holdings) {
    // Composed from one memo: the nodes taken from elsewhere node by node (records and subjects only for
    // those the memo does not count already), then per category the memo's holders at their places.
    for (size_t k = 0; k < composition.others.size(); ++k)
      add_node(composition.others[k], !composition.other_in_memo[k]);
    const int32_t* memo_place = composition.memo_place.data();
    for (size_t c = 0; c < categories; ++c) {
      const uint32_t begin = memo->offsets[c], end = memo->offsets[c + 1];
      if (begin == end) continue;
      if (holders[c].empty()) sums.touched.push_back(static_cast<int>(c));
      // Written through a pointer into a vector sized for the most there can be (millions of entries in a
      // big brief), then cut to what was written.
      const std::vector<int32_t>& own = holders[c];
      std::vector<int32_t> merged(own.size() + (end - begin));
      int32_t* out = merged.data();
      const int32_t *o = own.data(), *o_end = o + own.size();
      const uint32_t* memo_holders = memo->holders.data();
      for (uint32_t k = begin; k < end; ++k) {
        const int32_t place = memo_place[memo_holders[k]];
        if (place < 0) continue;  // taken from elsewhere: among `own` if it holds c
        while (o != o_end && *o < place) *out++ = *o++;
        *out++ = place;
      }
      out = std::copy(o, o_end, out);
      merged.resize(static_cast<size_t>(out - merged.data()));
      holders[c] = std::move(merged);
      records_max[c] = std::max(records_max[c], memo->records_max[c]);
      if (memo->records_sum[c] >= 0)
        records_sum[c] = std::max<int64_t>(records_sum[c], 0) + memo->records_sum[c];
      for (size_t w = 0; w < subject_words; ++w)
        category_subjects[c * subject_words + w] |= memo->subjects[c * subject_words + w];
    }
  } else {
    // The first kAhead nodes have no prefetch ahead of them: their rows are fetched here, level by level,
    // all at once, as a small brief's were above.
    const size_t first = small ? 0 : kAhead;
    for (size_t i = 0; i < first; ++i) g.PrefetchHeldRow(exposed_nodes[i]);
    for (size_t i = 0; i < first; ++i) {
      g.PrefetchHeld(exposed_nodes[i]);
      __builtin_prefetch(g.HeldValues(exposed_nodes[i]).data());
    }
    for (size_t i = 0; i < first; ++i) {
      for (uint32_t k : g.HeldValues(exposed_nodes[i])) g.PrefetchValue(k);
    }
    for (size_t i = 0; i < exposed_nodes.size(); ++i) {
      if (i + kAhead < exposed_nodes.size()) {
        const uint32_t ahead = exposed_nodes[i + kAhead];
        g.PrefetchHeldRow(ahead);
        __builtin_prefetch(g.HeldValues(ahead).data());
      }
      if (i + kAhead / 2 < exposed_nodes.size()) {  // its held row and value numbers, found above: them
        const uint32_t ahead = exposed_nodes[i + kAhead / 2];
        g.PrefetchHeld(ahead);
        for (uint32_t k : g.HeldValues(ahead)) g.PrefetchValue(k);
      }
      add_node(i, true);
    }
  }
  // The exposed categories in the order of their first holders (then by category), as the holders come.
  thread_local std::vector<int> slot_category;  // per slot
  slot_category.clear();
  for (int c : sums.touched) {
    if (!holders[c].empty()) slot_category.push_back(c);
  }
  std::sort(slot_category.begin(), slot_category.end(), [&](int a, int b) {
    return holders[a].front() != holders[b].front() ? holders[a].front() < holders[b].front() : a < b;
  });
  // In the brief, most sensitive first, then most likely (the most likely holder's: final), then by key
  // (distinct keys: a total order; the taxonomy is indexed in key order, Taxonomy::Finalize): each slot's
  // place there, sorted on small indices, so that the categories are built where they go, not sorted.
  thread_local std::vector<uint32_t> by_rank, place_of_slot;  // slots in the brief's order; per slot
  by_rank.resize(slot_category.size());
  for (uint32_t k = 0; k < by_rank.size(); ++k) by_rank[k] = k;
  auto likelihood_of_slot = [&](uint32_t k) {
    return result.compromised[holders[slot_category[k]].front()].likelihood;
  };
  std::sort(by_rank.begin(), by_rank.end(), [&](uint32_t a, uint32_t b) {
    const core::Sensitivity sa = t.at(slot_category[a]).sensitivity, sb = t.at(slot_category[b]).sensitivity;
    if (sa != sb) return sa > sb;
    const double la = likelihood_of_slot(a), lb = likelihood_of_slot(b);
    if (la != lb) return la > lb;
    return slot_category[a] < slot_category[b];
  });
  place_of_slot.resize(by_rank.size());
  for (uint32_t j = 0; j < by_rank.size(); ++j) place_of_slot[by_rank[j]] = j;
  thread_local std::vector<uint32_t> first_holder;  // per slot
  first_holder.clear();
  result.exposed.resize(slot_category.size());
  for (size_t k = 0; k < slot_category.size(); ++k) {
    const int c = slot_category[k];
    const core::Category& cat = t.at(c);
    ExposedCategory& e = result.exposed[place_of_slot[k]];
    e.entry = &cat;
    e.index = c;
    e.sensitivity = cat.sensitivity;
    e.flags = core::FlagList(cat.flags);
    e.holders = std::move(holders[c]);
    holders[c] = {};
    first_holder.push_back(exposed_nodes[e.holders.front()]);
    e.likelihood = result.compromised[e.holders.front()].likelihood;
    e.records_max = records_max[c];
    e.records_sum = records_sum[c];
    // Its subjects as the bits they are (empty when no subjects are known), spelled when read.
    e.subjects =
        NameSet(g, NameSet::Table::kSubjects, {category_subjects.data() + c * subject_words, subject_words});
  }
  // Provenance: one walk per distinct first holder, for the categories it holds first (the slots come by
  // first holder); the first holders' first rows asked for at once.
  thread_local std::vector<int> wanted;
  space.Prefetch(g, std::span(first_holder).first(std::min(first_holder.size(), kAhead)));
  for (size_t i = 0; i < first_holder.size();) {
    const uint32_t v = first_holder[i];
    wanted.clear();
    size_t j = i;
    for (; j < first_holder.size() && first_holder[j] == v; ++j) wanted.push_back(slot_category[j]);
    space.Walk(g, v, wanted);
    for (size_t k = i; k < j; ++k)
      result.exposed[place_of_slot[k]].provenance = space.Path(g, v, wanted[k - i]);
    i = j;
  }
  // The most severity weight of the places the exposed subjects live (Graph::SubjectJurisdictions), else
  // the default.
  double jurisdiction_weight = g.DefaultJurisdictionWeight();
  ExposedSubjects(g, result.exposed).Jurisdictions().ForEachId([&](uint32_t b) {
    jurisdiction_weight = std::max(jurisdiction_weight, g.JurisdictionWeight(b));
  });

  // Reassurance: sensitive categories held anywhere that are not exposed, nor related to an exposed one (an
  // ancestor or a descendant of one): the union of the exposed categories' rows of related candidates
  // (Graph::RelatedSensitive). Most sensitive first, then in taxonomy order, as the graph lists the
  // candidates (Graph::SensitiveHeld): the list is the graph's, but the positions of the related ones
  // (NotExposedList).
  thread_local std::vector<uint64_t> related_bits;
  related_bits.assign(g.sensitive_words(), 0);
  for (int c : slot_category) {
    const std::span<const uint64_t> row = g.RelatedSensitive(c);
    for (size_t w = 0; w < row.size(); ++w) related_bits[w] |= row[w];
  }
  std::vector<uint32_t> related;
  size_t related_count = 0;
  for (uint64_t w : related_bits) related_count += static_cast<size_t>(std::popcount(w));
  related.reserve(related_count);
  core::ForEachBit(related_bits, [&](int k) { related.push_back(static_cast<uint32_t>(k)); });
  result.not_exposed_sensitive = NotExposedList(g, std::move(related));
  result.severity = ScoreSeverity(result.exposed, g, jurisdiction_weight);
  fill();                                    // every node without a worker, else what it has not taken yet
  if (nodes_done.valid()) nodes_done.get();  // rethrows what the worker threw
  return result;
}

}  // namespace blastmap::query
