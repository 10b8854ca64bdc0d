#include "query/rank_shared.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <thread>

#include "query/rank_memos.h"
#include "query/severity.h"

namespace blastmap::query {
namespace {

using rank_memos::Bits;
using rank_memos::Count;
using rank_memos::Shared;
using rank_memos::Summary;

// The severity exactly as ScoreSeverity computes it over the brief's exposed list: the same terms, summed
// in the same order (taxonomy order, ascending category index), which needs no sort here.
SeverityScore Score(const Shared& s, const Summary& summary, size_t& restricted) {
  double peak = 0, total = 0;
  restricted = 0;
  core::ForEachBit(summary.touched_bits, [&](int c) {
    double weighted = s.weight[c] * core::LikelihoodOf(summary.category_cost[c]);
    peak = std::max(peak, weighted);
    total += weighted;
    restricted += s.restricted[c];
  });
  // With nothing exposed the brief has no jurisdiction either: the default stays.
  const double jurisdiction =
      summary.touched_categories.empty() ? s.default_jurisdiction : summary.jurisdiction;
  return ComposeSeverity(s.g.taxonomy().severity(), peak, total, summary.records, jurisdiction);
}

// The scratch space of one ranking thread: a search workspace and a cache of memo union counts, reused for
// every candidate the thread ranks.
struct Ranker {
  explicit Ranker(uint32_t nodes) : search(nodes) {}
  SearchLease search;
  Summary summary;
  Bits scratch;
  std::map<std::vector<uint32_t>, std::pair<size_t, size_t>> union_counts;
  std::vector<uint32_t> key, reduced, sorted;
  std::vector<const Shared::SetMemo*> hits;
};

// Fills a candidate's row from its summary and node counts.
void Finish(const Shared& s, const Summary& summary, size_t controlled, size_t exposed, RankRow& row) {
  row.controlled = static_cast<uint32_t>(controlled);
  row.exposed_nodes = static_cast<uint32_t>(exposed);
  row.categories = static_cast<uint32_t>(summary.touched_categories.size());
  size_t restricted = 0;
  row.severity = RankSeverity(Score(s, summary, restricted));
  row.restricted = static_cast<uint32_t>(restricted);
  row.records = summary.touched_categories.empty() ? core::kUnknownRecords : summary.records;
}

// Of the nodes `touched` that `search` reached, how many it controls and how many it reaches that are in
// none of `hits`' sets (controlled and exposed). Compiled for the popcnt instruction where present
// (SparseBits::Test counts bits; see rank_memos.cc's Count); it throws nothing, which the clones need (an
// exception thrown through a target_clones function ends the process).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
std::pair<size_t, size_t>
CountOutside(const std::vector<const Shared::SetMemo*>& hits, const std::vector<uint32_t>& touched,
             const AccessSearch& search) noexcept {
  size_t controlled = 0, exposed = 0;
  for (uint32_t x : touched) {
    bool in_controlled = false, in_exposed = false;
    for (const auto* m : hits) {
      in_controlled = in_controlled || m->Controls(x);
      in_exposed = in_exposed || m->Exposes(x);
    }
    if (search.at(x).controlled() && !in_controlled) ++controlled;
    if (!in_exposed) ++exposed;
  }
  return {controlled, exposed};
}

// Computes the row of candidate v into `row`, unless it needs a memo not built yet (the memos are built
// while it ranks): false then, and the row is to be computed again once they are.
bool RankOne(const Shared& s, uint32_t v, RankRow& row, Ranker& r) {
  const core::Graph& g = s.g;
  AccessSearch& search = *r.search;
  Summary& summary = r.summary;
  Bits& scratch = r.scratch;
  auto& union_counts = r.union_counts;
  std::vector<uint32_t>& key = r.key;
  std::vector<const Shared::SetMemo*>& hits = r.hits;
  CheckCancel();
  const core::Node& node = g.node(v);
  row.id = node.id;
  row.name = node.name;
  row.kind = node.kind;
  if (s.node_slot[v] >= 0) {
    if (!s.SlotBuilt(s.node_slot[v])) return false;
    // A memoised hub or group member: its memo is its own search (a member reaches the group's first
    // member at cost 0), and its component's sets are everything it reaches.
    const Shared::NodeMemo& memo = s.NodeMemoOf(v);
    const Shared::SetMemo& sets = s.SetMemoOf(memo.component);
    summary.Reset(s.categories);
    for (const auto& [c, cost] : memo.categories) summary.Lower(c, cost);
    summary.records = memo.records;
    summary.jurisdiction = memo.jurisdiction;
    Finish(s, summary, sets.controlled_count, sets.exposed_count, row);
    return true;
  }
  search.Run(g, {v}, BlastOptions{}, &s.stops);
  for (uint32_t h : search.stopped()) {
    if (!s.SlotBuilt(s.node_slot[h])) return false;
  }
  rank_memos::Summarise(s, search, summary);
  key.clear();
  hits.clear();
  for (uint32_t h : search.stopped()) key.push_back(s.NodeMemoOf(h).component);
  std::sort(key.begin(), key.end());
  key.erase(std::unique(key.begin(), key.end()), key.end());
  // A memo whose sets another memo of the key includes adds nothing to the union: most vendors that stop
  // at several hubs stop at one hub and at hubs beyond it, and their union is then one memo's counts.
  rank_memos::DropIncluded(s, key, r.reduced);
  size_t controlled = 0, exposed = 0;
  if (!key.empty()) {
    for (uint32_t c : key) hits.push_back(&s.SetMemoOf(c));
    auto cached = union_counts.find(key);
    if (cached == union_counts.end()) {
      std::pair<size_t, size_t> counts;
      if (hits.size() == 1) {
        counts = {hits[0]->controlled_count, hits[0]->exposed_count};
      } else {
        scratch.assign(s.bit_words, 0);
        for (const auto* m : hits) m->OrControlledInto(scratch);
        counts.first = Count(scratch);
        scratch.assign(s.bit_words, 0);
        for (const auto* m : hits) m->OrExposedInto(scratch);
        counts.second = Count(scratch);
      }
      cached = union_counts.emplace(key, counts).first;
    }
    controlled = cached->second.first;
    exposed = cached->second.second;
  }
  // Nodes outside the memos are counted by testing the memos' bitsets: in index order when there are
  // many, so the tests walk the bitsets forwards instead of missing the cache at random.
  const std::vector<uint32_t>* touched = &search.touched();
  if (!hits.empty() && touched->size() > 4096) {
    r.sorted.assign(touched->begin(), touched->end());
    std::sort(r.sorted.begin(), r.sorted.end());
    touched = &r.sorted;
  }
  const auto [controlled_outside, exposed_outside] = CountOutside(hits, *touched, search);
  controlled += controlled_outside;
  exposed += exposed_outside;
  Finish(s, summary, controlled, exposed, row);
  return true;
}

// Rows of candidates[order[i]] for i in [begin, end) (every i when `order` is null), with every memo built.
void RankRange(const Shared& s, const std::vector<uint32_t>& candidates, const std::vector<uint32_t>* order,
               size_t begin, size_t end, std::vector<RankRow>& rows, Ranker& r) {
  for (size_t i = begin; i < end; ++i) {
    const size_t at = order ? (*order)[i] : i;
    RankOne(s, candidates[at], rows[at], r);
  }
}

// Rows of candidates[order[i]] (of candidates[i] when `order` is null) on up to `threads` threads.
void RankAll(const Shared& shared, const std::vector<uint32_t>& candidates,
             const std::vector<uint32_t>* order, std::vector<RankRow>& rows, std::vector<Ranker>& rankers,
             unsigned threads) {
  const size_t count = order ? order->size() : candidates.size();
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, count / 256)));
  while (rankers.size() < threads) rankers.emplace_back(shared.n);
  // Interleaved blocks even out the hubs, which cluster by index in many maps.
  const size_t block =
      threads <= 1 ? std::max<size_t>(1, count) : std::max<size_t>(64, count / (threads * 16));
  rank_memos::Parallel((count + block - 1) / block, threads, [&](unsigned worker, size_t i) {
    RankRange(shared, candidates, order, i * block, std::min(count, (i + 1) * block), rows, rankers[worker]);
  });
}

}  // namespace

class RankMemos {
 public:
  explicit RankMemos(const core::Graph& g) : shared(g) {}
  Shared shared;
};

std::shared_ptr<const RankMemos> BuildRankMemos(const core::Graph& g, unsigned threads,
                                                SharedRankStats* stats, const BriefMemos* brief) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  auto memos = std::make_shared<RankMemos>(g);
  memos->shared.brief = brief;
  rank_memos::Prepare(memos->shared, threads, stats);
  return memos;
}

std::vector<RankRow> SharedRankRows(const RankMemos& memos, const std::vector<uint32_t>& candidates,
                                    unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<RankRow> rows(candidates.size());
  std::vector<Ranker> rankers;
  RankAll(memos.shared, candidates, nullptr, rows, rankers, threads);
  return rows;
}

std::vector<RankRow> SharedRankRows(const core::Graph& g, const std::vector<uint32_t>& candidates,
                                    unsigned threads, SharedRankStats* stats, const BriefMemos* brief,
                                    std::shared_ptr<const RankMemos>* built) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  auto memos = std::make_shared<RankMemos>(g);
  memos->shared.brief = brief;
  const Shared& shared = memos->shared;
  std::vector<RankRow> rows(candidates.size());
  std::vector<Ranker> rankers;
  // While the memos are built on the other threads, one thread ranks the candidates in order; a row that
  // needs a memo not built yet is left for the end, when the rest are ranked on every thread. Once that
  // thread has been through every candidate it lends its workspace to the build and its share goes to the
  // memos not yet started (rank_memos::Prepare): the build, not the rows, is then the longer part.
  std::vector<uint8_t> ranked(candidates.size(), 0);
  size_t filled = 0;
  const rank_memos::Filler filler = [&](const std::atomic<bool>& done) -> AccessSearch* {
    Ranker& r = rankers.emplace_back(shared.n);
    for (; filled < candidates.size() && !done.load(std::memory_order_relaxed); ++filled)
      ranked[filled] = RankOne(shared, candidates[filled], rows[filled], r);
    return filled == candidates.size() ? &*r.search : nullptr;
  };
  const bool overlap = threads > 1 && candidates.size() >= 512;
  rank_memos::Prepare(memos->shared, threads, stats, overlap ? &filler : nullptr);
  std::vector<uint32_t> rest;
  for (uint32_t i = 0; i < candidates.size(); ++i) {
    if (!ranked[i]) rest.push_back(i);
  }
  if (stats) stats->ranked_while_building = candidates.size() - rest.size();
  RankAll(shared, candidates, &rest, rows, rankers, threads);
  if (built) *built = std::move(memos);
  return rows;
}

}  // namespace blastmap::query
