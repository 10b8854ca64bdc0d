#include "query/compromise.h"

#include <algorithm>
#include <queue>

#include "query/cancel.h"

namespace blastmap::query {

std::vector<Reach> SearchAccess(const core::Graph& g, const std::vector<uint32_t>& seeds,
                                const BlastOptions& opt) {
  AccessSearch search(g.node_count());
  search.Run(g, seeds, opt);
  std::vector<Reach> reach(g.node_count());
  for (uint32_t v : search.touched()) reach[v] = search.at(v);
  return reach;
}

void AccessSearch::Clear() {
  for (uint32_t v : touched_) {
    reach_[v] = Reach{};
    settled_[v] = 0;
  }
  touched_.clear();
  stopped_.clear();
}

void AccessSearch::Run(const core::Graph& g, const std::vector<uint32_t>& seeds, const BlastOptions& opt,
                       const std::vector<uint8_t>* stop_at) {
  Clear();
  auto& reach = reach_;
  auto touch = [&](uint32_t v) {
    if (!reach[v].reached()) touched_.push_back(v);
  };
  auto relax = [&](uint32_t u, auto&& push) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g.access()))) {
      uint32_t v = boost::target(e, g.access());
      uint32_t index = g.access()[e].index;
      const core::Privilege privilege = g.AccessPrivilege(index);
      double likelihood = reach[u].controlled * g.AccessLikelihood(index);
      if (likelihood < opt.min_likelihood || likelihood <= 0) continue;
      if (core::Pivots(privilege)) {
        if (likelihood > reach[v].controlled) {
          touch(v);
          reach[v].controlled = likelihood;
          reach[v].controlled_edge = index;
          reach[v].depth = reach[u].depth + 1;
          push(v);
        }
      } else {
        touch(v);
        if (privilege == core::Privilege::kWrite) reach[v].integrity = true;
        if (likelihood > reach[v].exposed) {
          reach[v].exposed = likelihood;
          reach[v].exposed_edge = index;
        }
      }
    }
  };
  for (uint32_t s : seeds) {
    touch(s);
    reach[s].controlled = 1.0;
  }
  if (opt.max_depth < 0) {
    using Item = std::pair<double, uint32_t>;
    std::priority_queue<Item> queue;
    for (uint32_t s : seeds) queue.emplace(1.0, s);
    while (!queue.empty()) {
      CheckCancel();
      auto [likelihood, u] = queue.top();
      queue.pop();
      if (settled_[u] || likelihood < reach[u].controlled) continue;
      settled_[u] = 1;
      if (stop_at && reach[u].controlled_edge != kNone &&
          ((*stop_at)[u] == kStopAlways ||
           ((*stop_at)[u] == kStopWhenCertain && reach[u].controlled == 1.0))) {
        stopped_.push_back(u);
        continue;
      }
      relax(u, [&](uint32_t v) { queue.emplace(reach[v].controlled, v); });
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
