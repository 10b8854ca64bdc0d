#include "query/minimise.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <deque>
#include <map>
#include <set>

#include "query/blast_radius.h"
#include "query/cancel.h"
#include "query/lang/evaluator.h"
#include "query/lang/parser.h"

namespace blastmap::query {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Network = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, int64_t,
                    boost::property<boost::edge_residual_capacity_t, int64_t,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
using NetEdge = Traits::edge_descriptor;

// Larger than any finite cut (every finite capacity is at most a flow's records, and flows are few).
constexpr int64_t kInfinite = int64_t{1} << 50;

struct Builder {
  Network net;
  std::map<NetEdge, uint32_t> flow_of;  // cuttable or required edges that stand for a (flow, category)
  std::map<NetEdge, std::string> why;   // what an infinite edge is, for blockers

  NetEdge Add(uint32_t u, uint32_t v, int64_t capacity) {
    auto cap = boost::get(boost::edge_capacity, net);
    auto rev = boost::get(boost::edge_reverse, net);
    NetEdge e = boost::add_edge(u, v, net).first;
    NetEdge r = boost::add_edge(v, u, net).first;
    cap[e] = capacity;
    cap[r] = 0;
    rev[e] = r;
    rev[r] = e;
    return e;
  }
};

}  // namespace

core::Result<Goal> ParseGoal(const std::string& text, const core::Taxonomy& t) {
  Goal goal;
  goal.text = text;
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos || text.compare(start, 3, "no ") != 0) {
    return core::Status::Error(
        "goal:1:" + std::to_string(start == std::string::npos ? 1 : start + 1) +
        ": a goal starts with 'no', e.g. 'no user.contact' or 'no sensitivity >= restricted'");
  }
  std::string rest = text.substr(start + 3);
  size_t a = rest.find_first_not_of(" \t"), b = rest.find_last_not_of(" \t");
  if (a == std::string::npos) return core::Status::Error("goal: say what must not be exposed after 'no'");
  std::string body = rest.substr(a, b - a + 1);
  int column = static_cast<int>(start + 3 + a + 1);
  if (body.find_first_of(" \t=<>!()") == std::string::npos) {
    goal.category = t.Index(body);
    if (goal.category < 0) {
      auto near = t.SuggestCategories(body, 1);
      return core::Status::Error("goal:1:" + std::to_string(column) + ": unknown category '" + body + "'" +
                                 (near.empty() ? std::string() : " (did you mean '" + near.front() + "'?)"));
    }
    return goal;
  }
  // Parse the filter at its place in the goal, so that error columns point into the goal as written.
  auto filter = lang::ParseFilter("goal", std::string(column - 1, ' ') + body);
  if (!filter.ok()) return filter.status();
  lang::Table rows = lang::CategoryTable(t, {0});
  auto ok = lang::CheckFilter(*filter.value(), rows, t, "goal");
  if (!ok.ok()) return ok;
  goal.filter = filter.value();
  return goal;
}

bool Forbids(const Goal& goal, const core::Taxonomy& t, int c) {
  if (goal.category >= 0) return t.Related(goal.category, c);
  lang::Table rows = lang::CategoryTable(t, {c});
  return lang::Matches(*goal.filter, rows, 0, t);
}

MinimiseResult Minimise(const core::Graph& g, uint32_t vendor, const Goal& goal, const BlastOptions& options,
                        CutCost cost) {
  const core::Taxonomy& t = g.taxonomy();
  const core::Model& m = g.model();
  MinimiseResult result;
  result.vendor = g.node(vendor).id;
  result.goal = goal.text;
  BlastResult before = ComputeBlastRadius(g, {vendor}, options);
  std::vector<int> forbidden;
  for (const auto& e : before.exposed) {
    int c = t.Index(e.category());
    if (c >= 0 && Forbids(goal, t, c)) {
      forbidden.push_back(c);
      result.forbidden.push_back(e.category());
    }
  }
  std::vector<uint32_t> exposed_nodes;
  for (const auto& c : before.compromised) exposed_nodes.push_back(static_cast<uint32_t>(g.Find(c.id())));

  // Categories travel independently (held() is per declared key), so the minimum cut is the sum of one
  // minimum cut per forbidden category.
  const uint32_t n = g.node_count(), source = n, sink = n + 1;
  for (int c : forbidden) {
    CheckCancel();
    Builder b;
    b.net = Network(n + 2);
    for (uint32_t x = 0; x < n; ++x) {
      CheckCancel();
      if (!g.Stored(x).Has(c)) continue;
      NetEdge e = b.Add(source, x, kInfinite);
      for (uint32_t h : g.HoldingsOf(x)) {
        for (const auto& key : m.holdings[h].categories) {
          if (key == t.at(c).key)
            b.why[e] = g.node(x).id + " stores " + key + " (" + m.holdings[h].where.ToString() + ")";
        }
      }
    }
    for (uint32_t f = 0; f < m.flows.size(); ++f) {
      const core::Flow& flow = m.flows[f];
      int64_t capacity = 1;
      if (cost == CutCost::kRecords && flow.records > 0) capacity = flow.records;
      if (flow.required) capacity = kInfinite;
      NetEdge e;
      if (flow.forwards_all) {
        e = b.Add(g.FlowSource(f), g.FlowTarget(f), capacity);
      } else if (g.FlowCategories(f).Has(c)) {
        // An explicit flow puts the category at its target whatever its source holds.
        e = b.Add(source, g.FlowTarget(f), capacity);
      } else {
        continue;
      }
      b.flow_of[e] = f;
      if (flow.required) {
        b.why[e] = "required flow " + flow.from + " -> " + flow.to + " (" + flow.where.ToString() + ")";
      }
    }
    for (uint32_t x : exposed_nodes) b.Add(x, sink, kInfinite);

    int64_t flow_value = boost::push_relabel_max_flow(b.net, source, sink);
    auto residual = boost::get(boost::edge_residual_capacity, b.net);
    auto capacity = boost::get(boost::edge_capacity, b.net);
    if (flow_value >= kInfinite) {
      result.achievable = false;
      // Explain with one uncuttable chain: search from the source over infinite edges only.
      std::vector<NetEdge> via(n + 2);
      std::vector<bool> seen(n + 2, false);
      std::deque<uint32_t> queue = {source};
      seen[source] = true;
      while (!queue.empty() && !seen[sink]) {
        CheckCancel();
        uint32_t u = queue.front();
        queue.pop_front();
        for (auto e : boost::make_iterator_range(boost::out_edges(u, b.net))) {
          uint32_t v = static_cast<uint32_t>(boost::target(e, b.net));
          if (capacity[e] < kInfinite || seen[v]) continue;
          seen[v] = true;
          via[v] = e;
          queue.push_back(v);
        }
      }
      std::vector<std::string> chain;
      for (uint32_t v = sink; v != source && seen[v];) {
        NetEdge e = via[v];
        if (b.why.count(e)) chain.insert(chain.begin(), b.why[e]);
        v = static_cast<uint32_t>(boost::source(e, b.net));
      }
      std::string line = t.at(c).key + " cannot be cut off: ";
      for (size_t i = 0; i < chain.size(); ++i) line += (i ? ", then " : "") + chain[i];
      result.blockers.push_back(line);
      continue;
    }
    // The minimum cut: edges from the source side of the residual graph to the sink side.
    std::vector<bool> reach(n + 2, false);
    std::deque<uint32_t> queue = {source};
    reach[source] = true;
    while (!queue.empty()) {
      uint32_t u = queue.front();
      queue.pop_front();
      for (auto e : boost::make_iterator_range(boost::out_edges(u, b.net))) {
        uint32_t v = static_cast<uint32_t>(boost::target(e, b.net));
        if (residual[e] > 0 && !reach[v]) {
          reach[v] = true;
          queue.push_back(v);
        }
      }
    }
    for (const auto& [e, f] : b.flow_of) {
      if (!reach[boost::source(e, b.net)] || reach[boost::target(e, b.net)]) continue;
      const core::Flow& flow = m.flows[f];
      Cut cut;
      cut.flow = f;
      cut.from = flow.from;
      cut.to = flow.to;
      cut.category = t.at(c).key;
      cut.forward = flow.forwards_all;
      cut.purpose = flow.purpose;
      cut.records = flow.records;
      cut.cost = static_cast<double>(capacity[e]);
      cut.where = flow.where;
      result.cuts.push_back(std::move(cut));
    }
  }
  std::sort(result.cuts.begin(), result.cuts.end(), [](const Cut& a, const Cut& b) {
    return std::tie(a.flow, a.category) < std::tie(b.flow, b.category);
  });
  for (const auto& cut : result.cuts) result.total_cost += cut.cost;
  if (result.achievable) {
    auto after = core::Graph::Build(ApplyCuts(g, result.cuts));
    if (after.ok()) {
      BlastResult r = ComputeBlastRadius(after.value(), {vendor}, options);
      result.verified = std::none_of(r.exposed.begin(), r.exposed.end(), [&](const ExposedCategory& e) {
        int c = t.Index(e.category());
        return c >= 0 && Forbids(goal, t, c);
      });
    }
  }
  return result;
}

core::Model ApplyCuts(const core::Graph& g, const std::vector<Cut>& cuts) {
  core::Model model = g.model();
  std::map<uint32_t, std::set<std::string>> by_flow;
  for (const auto& cut : cuts) by_flow[cut.flow].insert(cut.category);
  for (const auto& [f, categories] : by_flow) {
    core::Flow& flow = model.flows[f];
    std::vector<core::Symbol> kept = flow.categories.vector();
    if (flow.forwards_all) {
      flow.forwards_all = false;
      for (int c : g.Held(g.FlowSource(f)).Indices()) kept.push_back(g.taxonomy().at(c).key);
    }
    std::erase_if(kept, [&](const std::string& key) { return categories.count(key) > 0; });
    flow.categories = kept;
  }
  return model;
}

}  // namespace blastmap::query
