#include "query/compromise.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <mutex>
#include <queue>

#include "query/cancel.h"
#include "query/second_thread.h"

namespace blastmap::query {

std::vector<Reach> SearchAccess(const core::Graph& g, const std::vector<uint32_t>& seeds,
                                const BlastOptions& opt) {
  AccessSearch search(g.node_count());
  search.Run(g, seeds, opt);
  std::vector<Reach> reach(g.node_count());
  for (uint32_t v : search.touched()) reach[v] = search.at(v);
  return reach;
}

std::vector<uint32_t> StrongComponents(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
                                       uint32_t& count) {
  using Simple = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, uint32_t, uint32_t>;
  Simple graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
  std::vector<uint32_t> component(n);
  count = boost::strong_components(
      graph, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, graph)));
  return component;
}

std::vector<std::vector<uint32_t>> CertainGroups(const core::Graph& g, size_t min_members) {
  const uint32_t n = g.node_count();
  std::vector<std::pair<uint32_t, uint32_t>> certain;
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.access()))) {
      const uint32_t index = g.access()[e].index;
      if (core::Pivots(g.AccessPrivilege(index)) && g.AccessCost(index) == 0)
        certain.emplace_back(u, boost::target(e, g.access()));
    }
  }
  uint32_t count = 0;
  const std::vector<uint32_t> component = StrongComponents(n, certain, count);
  std::vector<uint32_t> size(count, 0);
  for (uint32_t v = 0; v < n; ++v) ++size[component[v]];
  std::vector<int32_t> group_of(count, -1);
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t c = component[v];
    if (size[c] < min_members) continue;
    if (group_of[c] < 0) {
      group_of[c] = static_cast<int32_t>(groups.size());
      groups.emplace_back().reserve(size[c]);
    }
    groups[group_of[c]].push_back(v);
  }
  return groups;
}

namespace {

struct SearchPool {
  std::mutex mu;
  std::vector<std::unique_ptr<AccessSearch>> idle;  // all of one size
};

SearchPool& Pool() {
  static SearchPool* pool = new SearchPool;  // never destroyed: leases may end during exit
  return *pool;
}

}  // namespace

SearchLease::SearchLease(uint32_t nodes) {
  SearchPool& pool = Pool();
  {
    std::lock_guard lock(pool.mu);
    if (!pool.idle.empty() && pool.idle.back()->nodes() == nodes) {
      search_ = std::move(pool.idle.back());
      pool.idle.pop_back();
      return;
    }
  }
  search_ = std::make_unique<AccessSearch>(nodes);
}

SearchLease::~SearchLease() {
  if (!search_) return;  // moved from
  SearchPool& pool = Pool();
  std::vector<std::unique_ptr<AccessSearch>> dropped;  // freed outside the lock
  std::lock_guard lock(pool.mu);
  if (!pool.idle.empty() && pool.idle.back()->nodes() != search_->nodes()) dropped.swap(pool.idle);
  if (pool.idle.size() < kMaxIdle) {
    pool.idle.push_back(std::move(search_));
  } else {
    dropped.push_back(std::move(search_));
  }
}

size_t SearchLease::Idle() {
  std::lock_guard lock(Pool().mu);
  return Pool().idle.size();
}

void AccessSearch::Clear() {
  // After a big brief, hundreds of thousands of nodes at random: two threads reset them.
  SplitIfBig(touched_.size(), [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      reach_[touched_[i]] = Reach{};
      settled_[touched_[i]] = 0;
    }
  });
  touched_.clear();
  stopped_.clear();
}

void AccessSearch::Run(const core::Graph& g, const std::vector<uint32_t>& seeds, const BlastOptions& opt,
                       const std::vector<uint8_t>* stop_at) {
  Clear();
  auto& reach = reach_;
  auto touch = [&](uint32_t v) { Touch(v); };
  // Paths shown less likely than min_likelihood cost more than `limit`; a path shown exactly at it is kept.
  const core::LikelihoodCost limit = core::CostLimit(opt.min_likelihood);
  auto relax = [&](uint32_t u, auto&& push) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.access()))) {
      uint32_t v = boost::target(e, g.access());
      uint32_t index = g.access()[e].index;
      const core::Privilege privilege = g.AccessPrivilege(index);
      const core::LikelihoodCost cost = core::AddCost(reach[u].controlled_cost, g.AccessCost(index));
      if (cost > limit) continue;
      if (core::Pivots(privilege)) {
        if (cost < reach[v].controlled_cost) {
          touch(v);
          reach[v].controlled_cost = cost;
          reach[v].controlled_edge = index;
          reach[v].depth = reach[u].depth + 1;
          push(v);
        }
      } else {
        touch(v);
        if (privilege == core::Privilege::kWrite) reach[v].integrity = true;
        if (cost < reach[v].exposed_cost) {
          reach[v].exposed_cost = cost;
          reach[v].exposed_edge = index;
        }
      }
    }
  };
  for (uint32_t s : seeds) {
    touch(s);
    reach[s].controlled_cost = 0;
  }
  if (opt.max_depth < 0) {
    // Cheapest first; among equal costs the highest node index first, as the search always settled ties.
    using Item = std::pair<core::LikelihoodCost, uint32_t>;
    auto later = [](const Item& a, const Item& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::priority_queue<Item, std::vector<Item>, decltype(later)> queue(later);
    for (uint32_t s : seeds) queue.emplace(0, s);
    while (!queue.empty()) {
      CheckCancel();
      auto [cost, u] = queue.top();
      queue.pop();
      if (settled_[u] || cost > reach[u].controlled_cost) continue;
      settled_[u] = 1;
      if (stop_at && reach[u].controlled_edge != kNone && (*stop_at)[u]) {
        stopped_.push_back(u);
        continue;
      }
      relax(u, [&](uint32_t v) { queue.emplace(reach[v].controlled_cost, v); });
    }
  } else {
    std::vector<uint32_t> frontier(seeds.begin(), seeds.end());
    for (int round = 0; round < opt.max_depth && !frontier.empty(); ++round) {
      std::vector<uint32_t> next;
      for (uint32_t u : frontier) {
        CheckCancel();
        if (reach[u].depth != round) continue;  // improved again since; relaxed in its own round
        relax(u, [&](uint32_t v) { next.push_back(v); });
      }
      std::sort(next.begin(), next.end());
      next.erase(std::unique(next.begin(), next.end()), next.end());
      frontier = std::move(next);
    }
  }
}

}  // namespace blastmap::query
