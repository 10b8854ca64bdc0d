#include "core/graph.h"

#include <bit>
#include <boost/graph/strong_components.hpp>

namespace blastmap::core {
namespace {

void SetBit(std::vector<uint64_t>& bits, size_t words, uint32_t row, int category) {
  bits[row * words + (category >> 6)] |= uint64_t{1} << (category & 63);
}

void OrRow(uint64_t* into, const uint64_t* from, size_t words) {
  for (size_t w = 0; w < words; ++w) into[w] |= from[w];
}

}  // namespace

bool CategorySetView::Empty() const {
  for (uint64_t w : words_) {
    if (w) return false;
  }
  return true;
}

std::vector<int> CategorySetView::Indices() const {
  std::vector<int> out;
  for (size_t w = 0; w < words_.size(); ++w) {
    for (uint64_t bits = words_[w]; bits; bits &= bits - 1) {
      out.push_back(static_cast<int>(w * 64 + std::countr_zero(bits)));
    }
  }
  return out;
}

int64_t Graph::Find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? int64_t{-1} : int64_t{it->second};
}

Result<Graph> Graph::Build(Model model) {
  Graph g;
  g.model_ = std::move(model);
  const Model& m = g.model_;
  const uint32_t n = g.node_count();
  g.index_.reserve(n);
  for (uint32_t v = 0; v < n; ++v) g.index_.emplace(m.nodes[v].id, v);
  auto endpoint = [&](const std::string& id, const Provenance& where, uint32_t& out) -> Status {
    auto v = g.Find(id);
    if (v < 0) return Status::Error(where.ToString() + ": unknown node '" + id + "'");
    out = static_cast<uint32_t>(v);
    return Status::Ok();
  };

  std::vector<std::pair<uint32_t, uint32_t>> access_ends(m.accesses.size());
  g.flow_ends_.resize(m.flows.size());
  for (size_t i = 0; i < m.flows.size(); ++i) {
    if (auto s = endpoint(m.flows[i].from, m.flows[i].where, g.flow_ends_[i].first); !s.ok()) return s;
    if (auto s = endpoint(m.flows[i].to, m.flows[i].where, g.flow_ends_[i].second); !s.ok()) return s;
  }
  for (size_t i = 0; i < m.accesses.size(); ++i) {
    if (auto s = endpoint(m.accesses[i].from, m.accesses[i].where, access_ends[i].first); !s.ok()) return s;
    if (auto s = endpoint(m.accesses[i].to, m.accesses[i].where, access_ends[i].second); !s.ok()) return s;
  }
  auto make_csr = [n](const std::vector<std::pair<uint32_t, uint32_t>>& ends) {
    std::vector<EdgeRef> props(ends.size());
    for (uint32_t i = 0; i < ends.size(); ++i) props[i].index = i;
    return Csr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(), n);
  };
  g.flows_ = make_csr(g.flow_ends_);
  g.access_ = make_csr(access_ends);
  g.access_sources_.reserve(access_ends.size());
  for (const auto& [from, to] : access_ends) g.access_sources_.push_back(from);

  const Taxonomy& t = m.taxonomy;
  g.words_ = std::max<size_t>(1, (t.size() + 63) / 64);
  g.stored_.assign(size_t{n} * g.words_, 0);
  g.flow_categories_.assign(std::max<size_t>(1, m.flows.size()) * g.words_, 0);
  g.holding_categories_.assign(std::max<size_t>(1, m.holdings.size()) * g.words_, 0);
  auto category = [&](const std::string& key, const Provenance& where, int& out) -> Status {
    out = t.Index(key);
    if (out < 0) return Status::Error(where.ToString() + ": unknown category '" + key + "'");
    return Status::Ok();
  };
  std::vector<uint32_t> holding_node(m.holdings.size());
  g.holding_offsets_.assign(size_t{n} + 1, 0);
  for (uint32_t i = 0; i < m.holdings.size(); ++i) {
    const auto& h = m.holdings[i];
    uint32_t v = 0;
    if (auto s = endpoint(h.node, h.where, v); !s.ok()) return s;
    holding_node[i] = v;
    ++g.holding_offsets_[v + 1];
    for (const auto& key : h.categories) {
      int c = 0;
      if (auto s = category(key, h.where, c); !s.ok()) return s;
      SetBit(g.stored_, g.words_, v, c);
      SetBit(g.holding_categories_, g.words_, i, c);
    }
  }
  for (uint32_t v = 0; v < n; ++v) g.holding_offsets_[v + 1] += g.holding_offsets_[v];
  g.holding_ids_.resize(m.holdings.size());
  std::vector<uint32_t> fill(g.holding_offsets_.begin(), g.holding_offsets_.end() - 1);
  for (uint32_t i = 0; i < m.holdings.size(); ++i) g.holding_ids_[fill[holding_node[i]]++] = i;
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    for (const auto& key : m.flows[i].categories) {
      int c = 0;
      if (auto s = category(key, m.flows[i].where, c); !s.ok()) return s;
      SetBit(g.flow_categories_, g.words_, i, c);
    }
  }
  if (auto s = g.ComputeHeld(); !s.ok()) return s;
  return g;
}

// held(x) = stores(x) ∪ categories of explicit flows into x ∪ held(u) for every "*" flow u -> x, as a least
// fixed point. Within a strongly connected component of "*" flows every node holds the same set, so the
// fixed point is one pass over the components in topological order.
Status Graph::ComputeHeld() {
  const Model& m = model_;
  const uint32_t n = node_count();
  held_ = stored_;
  std::vector<std::pair<uint32_t, uint32_t>> star;
  for (uint32_t i = 0; i < m.flows.size(); ++i) {
    if (m.flows[i].forwards_all) {
      star.push_back(flow_ends_[i]);
    } else {
      OrRow(&held_[flow_ends_[i].second * words_], &flow_categories_[i * words_], words_);
    }
  }
  using StarGraph =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, uint32_t, uint32_t>;
  StarGraph sg(boost::edges_are_unsorted_multi_pass, star.begin(), star.end(), n);
  std::vector<uint32_t> component(n);
  const uint32_t components = boost::strong_components(
      sg, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, sg)));
  // Tarjan numbers components sinks first, so descending numbers visit sources before their targets.
  std::vector<uint64_t> comp_held(size_t{components} * words_, 0);
  std::vector<std::vector<uint32_t>> members(components);
  for (uint32_t v = 0; v < n; ++v) {
    members[component[v]].push_back(v);
    OrRow(&comp_held[component[v] * words_], &held_[v * words_], words_);
  }
  std::vector<std::vector<uint32_t>> preds(components);
  for (const auto& [u, x] : star) {
    if (component[u] != component[x]) preds[component[x]].push_back(component[u]);
  }
  for (uint32_t c = components; c-- > 0;) {
    for (uint32_t p : preds[c]) OrRow(&comp_held[c * words_], &comp_held[p * words_], words_);
    for (uint32_t v : members[c]) std::copy_n(&comp_held[c * words_], words_, &held_[v * words_]);
  }
  sample_holders_.assign(model_.taxonomy.size(), {});
  for (uint32_t v = 0; v < n; ++v) {
    for (int c : Held(v).Indices()) {
      if (sample_holders_[c].size() < kSampleHolders) sample_holders_[c].push_back(v);
    }
  }
  return Status::Ok();
}

}  // namespace blastmap::core
