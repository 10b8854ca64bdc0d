#include "query/compromise.h"

#include <algorithm>
#include <mutex>

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

namespace {

// The strongly connected components of the graph of `n` nodes whose edges are rows of targets
// (targets[offsets[u]..offsets[u + 1]) leave u), numbered sinks first, with their levels, by one iterative
// Tarjan walk: FindPivotComponents without the out-degrees.
PivotComponents WalkRows(uint32_t n, const std::vector<uint32_t>& offsets,
                         const std::vector<uint32_t>& targets) {
  constexpr uint32_t kUnvisited = UINT32_MAX;
  PivotComponents out;
  out.component.assign(n, kUnvisited);  // kUnvisited while the node is on Tarjan's stack or not yet met
  // Per node: its discovery index and lowlink, and 1 + the highest level of the finished components its
  // edges (and its descendants' in the same component) lead to.
  struct Mark {
    uint32_t index = kUnvisited, low = 0;
  };
  std::vector<Mark> mark(n);
  std::vector<uint32_t> above(n, 0);
  std::vector<uint32_t> stack;  // Tarjan's stack of nodes whose component is not finished
  struct Frame {
    uint32_t v, next;  // the node and its next edge (into `targets`)
  };
  std::vector<Frame> calls;  // the walk's own stack: no recursion, however deep the graph
  uint32_t discovered = 0;
  // A node without kept edges is a component of its own, a sink: finished at once, never stacked.
  auto sink = [&](uint32_t v) {
    mark[v].index = discovered++;
    out.component[v] = out.count++;
    out.level.push_back(0);
  };
  for (uint32_t root = 0; root < n; ++root) {
    if (mark[root].index != kUnvisited) continue;
    if (offsets[root] == offsets[root + 1]) {
      sink(root);
      continue;
    }
    mark[root] = {discovered, discovered};
    ++discovered;
    stack.push_back(root);
    calls.push_back({root, offsets[root]});
    while (!calls.empty()) {
      Frame& f = calls.back();
      const uint32_t v = f.v;
      if (f.next != offsets[v + 1]) {
        const uint32_t w = targets[f.next++];
        if (mark[w].index == kUnvisited) {
          if (offsets[w] == offsets[w + 1]) {
            sink(w);
            above[v] = std::max(above[v], 1u);
          } else {
            mark[w] = {discovered, discovered};
            ++discovered;
            stack.push_back(w);
            calls.push_back({w, offsets[w]});  // invalidates f
          }
        } else if (out.component[w] == kUnvisited) {
          mark[v].low = std::min(mark[v].low, mark[w].index);  // on the stack: in v's component
        } else {
          above[v] = std::max(above[v], out.level[out.component[w]] + 1);  // a finished component
        }
        continue;
      }
      calls.pop_back();
      if (mark[v].low == mark[v].index) {
        // v's component is finished: the nodes above v on the stack.
        const uint32_t c = out.count++;
        uint32_t level = 0, w;
        do {
          w = stack.back();
          stack.pop_back();
          out.component[w] = c;
          level = std::max(level, above[w]);
        } while (w != v);
        out.level.push_back(level);
      }
      if (!calls.empty()) {
        const uint32_t parent = calls.back().v;
        if (out.component[v] == kUnvisited) {
          mark[parent].low = std::min(mark[parent].low, mark[v].low);
          above[parent] = std::max(above[parent], above[v]);
        } else {
          above[parent] = std::max(above[parent], out.level[out.component[v]] + 1);
        }
      }
    }
  }
  return out;
}

// The components of at least `min_members` nodes, each as the ascending list of `names` of its members
// (names[v], ascending in v), in the order of their smallest member.
std::vector<std::vector<uint32_t>> BigComponents(const PivotComponents& found, size_t min_members,
                                                 const std::vector<uint32_t>* names) {
  const std::vector<uint32_t>& component = found.component;
  const uint32_t n = static_cast<uint32_t>(component.size());
  std::vector<uint32_t> size(found.count, 0);
  for (uint32_t v = 0; v < n; ++v) ++size[component[v]];
  std::vector<int32_t> group_of(found.count, -1);
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t c = component[v];
    if (size[c] < min_members) continue;
    if (group_of[c] < 0) {
      group_of[c] = static_cast<int32_t>(groups.size());
      groups.emplace_back().reserve(size[c]);
    }
    groups[group_of[c]].push_back(names ? (*names)[v] : v);
  }
  return groups;
}

}  // namespace

PivotComponents FindPivotComponents(const core::Graph& g, bool certain_only) {
  const uint32_t n = g.node_count();
  const core::Graph::Csr& access = g.access();
  // The kept edges as rows of targets, in one pass in node order (the access graph's rows are): the walk
  // then jumps between nodes over 4 bytes an edge instead of the access graph's edges and arrays.
  std::vector<uint32_t> offsets(n + 1, 0), targets;
  for (uint32_t u = 0; u < n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, access))) {
      const uint32_t edge = access[e].index;
      if (core::Pivots(g.AccessPrivilege(edge)) && (!certain_only || g.AccessCost(edge) == 0))
        targets.push_back(boost::target(e, access));
    }
    offsets[u + 1] = static_cast<uint32_t>(targets.size());
  }
  PivotComponents out = WalkRows(n, offsets, targets);
  out.out_degree.resize(n);
  for (uint32_t u = 0; u < n; ++u) out.out_degree[u] = offsets[u + 1] - offsets[u];
  return out;
}

std::vector<std::vector<uint32_t>> CertainGroups(const core::Graph& g, size_t min_members) {
  return BigComponents(FindPivotComponents(g, /*certain_only=*/true), min_members, nullptr);
}

std::vector<std::vector<uint32_t>> CertainGroups(const core::Graph& g, size_t min_members,
                                                 const PivotComponents& pivot) {
  // A group's members reach each other over likelihood-1 pivot edges, so over pivot edges: they lie in one
  // pivot component, and the paths between them too. Only the nodes of pivot components of min_members or
  // more are walked, over their likelihood-1 pivot edges inside their component.
  const uint32_t n = g.node_count();
  const core::Graph::Csr& access = g.access();
  std::vector<uint32_t> size(pivot.count, 0);
  for (uint32_t v = 0; v < n; ++v) ++size[pivot.component[v]];
  std::vector<uint32_t> inside;  // ascending
  std::vector<uint32_t> local(n, kNone);
  for (uint32_t v = 0; v < n; ++v) {
    if (size[pivot.component[v]] < min_members) continue;
    local[v] = static_cast<uint32_t>(inside.size());
    inside.push_back(v);
  }
  const uint32_t k = static_cast<uint32_t>(inside.size());
  std::vector<uint32_t> offsets(k + 1, 0), targets;
  for (uint32_t i = 0; i < k; ++i) {
    const uint32_t u = inside[i];
    for (auto e : boost::make_iterator_range(boost::out_edges(u, access))) {
      const uint32_t edge = access[e].index, w = boost::target(e, access);
      if (core::Pivots(g.AccessPrivilege(edge)) && g.AccessCost(edge) == 0 &&
          pivot.component[w] == pivot.component[u])
        targets.push_back(local[w]);
    }
    offsets[i + 1] = static_cast<uint32_t>(targets.size());
  }
  return BigComponents(WalkRows(k, offsets, targets), min_members, &inside);
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
  // Reset now, while the rows the run wrote are fresh in the caches and the TLB: the next run would find
  // them cold (after a system call the TLB is empty), a page walk for each page the run touched.
  search_->Clear();
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
      cells_[touched_[i]] = Cell{};
    }
  });
  if (!depth_.empty()) {
    for (uint32_t v : touched_) depth_[v] = 0;
  }
  touched_.clear();
  stopped_.clear();
}

void AccessSearch::Run(const core::Graph& g, const std::vector<uint32_t>& seeds, const BlastOptions& opt,
                       const std::vector<uint8_t>* stop_at) {
  Clear();
  auto& reach = cells_;
  const bool depths = opt.max_depth >= 0;
  if (depths && depth_.empty()) depth_.assign(cells_.size(), 0);  // once: most searches need no depths
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
          reach[v].set_controlled_edge(index);
          if (depths) depth_[v] = depth_[u] + 1;
          push(v);
        }
      } else {
        touch(v);
        if (privilege == core::Privilege::kWrite) reach[v].set_integrity();
        if (cost < reach[v].exposed_cost) {
          reach[v].exposed_cost = cost;
          reach[v].set_exposed_edge(index);
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
    // A binary heap as std::priority_queue keeps it (the same order), in storage kept from the last run
    // (a ranking runs hundreds of thousands of small searches) unless a big search grew it past 1 MiB.
    std::vector<Item>& queue = queue_;
    queue.clear();
    auto push = [&](core::LikelihoodCost cost, uint32_t v) {
      queue.emplace_back(cost, v);
      std::push_heap(queue.begin(), queue.end(), later);
    };
    for (uint32_t s : seeds) push(0, s);
    while (!queue.empty()) {
      CheckCancel();
      std::pop_heap(queue.begin(), queue.end(), later);
      auto [cost, u] = queue.back();
      queue.pop_back();
      if (reach[u].settled() || cost > reach[u].controlled_cost) continue;
      reach[u].settle();
      if (stop_at && reach[u].controlled_edge() != kNone && (*stop_at)[u]) {
        stopped_.push_back(u);
        continue;
      }
      relax(u, [&](uint32_t v) { push(reach[v].controlled_cost, v); });
    }
    if (queue.capacity() > (size_t{1} << 16)) std::vector<Item>().swap(queue);
  } else {
    std::vector<uint32_t> frontier(seeds.begin(), seeds.end());
    for (int round = 0; round < opt.max_depth && !frontier.empty(); ++round) {
      std::vector<uint32_t> next;
      for (uint32_t u : frontier) {
        CheckCancel();
        if (depth_[u] != round) continue;  // improved again since; relaxed in its own round
        relax(u, [&](uint32_t v) { next.push_back(v); });
      }
      std::sort(next.begin(), next.end());
      next.erase(std::unique(next.begin(), next.end()), next.end());
      frontier = std::move(next);
    }
  }
}

}  // namespace blastmap::query
