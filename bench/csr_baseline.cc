// The plain-CSR baseline (the practical limit): the latest snapshot read with plain SQL into Boost.Graph
// compressed-sparse-row graphs and bitset category sets, held() by strongly connected components; a cold
// query is a breadth-first search over pivot edges (read/write edges expose without pivoting) and the union
// of held() over what it reaches; ranking every vendor shares work through the condensation of the pivot
// graph (one category bitset per component). It computes sets only: no likelihoods, provenance, records,
// subjects or severity.
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/range/iterator_range.hpp>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_util.h"

namespace blastmap::bench {
namespace {

struct Pivot {
  uint8_t pivots = 0;
};
using AccessCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Pivot,
                                                     boost::no_property, uint32_t, uint32_t>;
using PlainCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, uint32_t, uint32_t>;

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t end = text.find('\x1f');
    out.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return out;
}

std::string_view Text(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return p ? std::string_view(p, sqlite3_column_bytes(s, col)) : std::string_view();
}

// Runs `sql` (with ?1 = snapshot) and calls row(stmt) for each row.
template <typename F>
void Each(sqlite3* db, int64_t snapshot, const char* sql, F&& row) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  sqlite3_bind_int64(s, 1, snapshot);
  while (sqlite3_step(s) == SQLITE_ROW) row(s);
  sqlite3_finalize(s);
}

struct Map {
  uint32_t n = 0;
  size_t words = 1;
  std::vector<uint8_t> vendor;
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<uint64_t> held;
  AccessCsr access;
  const uint64_t* Held(uint32_t v) const { return held.data() + size_t{v} * words; }
};

Map Load(const std::string& path) {
  Map m;
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  int64_t snapshot = 0;
  Each(db, 0, "SELECT max(id) FROM snapshots",
       [&](sqlite3_stmt* s) { snapshot = sqlite3_column_int64(s, 0); });
  std::vector<std::string> keys;
  Each(db, snapshot, "SELECT key FROM categories WHERE snapshot = ?1",
       [&](sqlite3_stmt* s) { keys.emplace_back(Text(s, 0)); });
  std::sort(keys.begin(), keys.end());
  std::unordered_map<std::string_view, int> category;
  for (size_t i = 0; i < keys.size(); ++i) category.emplace(keys[i], static_cast<int>(i));
  m.words = std::max<size_t>(1, (keys.size() + 63) / 64);
  Each(db, snapshot, "SELECT id, kind FROM nodes WHERE snapshot = ?1 ORDER BY pos", [&](sqlite3_stmt* s) {
    m.ids.emplace(std::string(Text(s, 0)), m.n++);
    m.vendor.push_back(Text(s, 1) == "vendor");
  });
  m.held.assign(size_t{m.n} * m.words, 0);
  auto set_all = [&](uint32_t v, std::string_view list) {
    for (auto key : Split(list)) {
      int c = category.at(key);
      m.held[size_t{v} * m.words + (c >> 6)] |= uint64_t{1} << (c & 63);
    }
  };
  Each(db, snapshot, "SELECT node, categories FROM holdings WHERE snapshot = ?1",
       [&](sqlite3_stmt* s) { set_all(m.ids.at(std::string(Text(s, 0))), Text(s, 1)); });
  std::vector<std::pair<uint32_t, uint32_t>> star;
  Each(db, snapshot, "SELECT from_node, to_node, forwards_all, categories FROM flows WHERE snapshot = ?1",
       [&](sqlite3_stmt* s) {
         uint32_t from = m.ids.at(std::string(Text(s, 0))), to = m.ids.at(std::string(Text(s, 1)));
         if (sqlite3_column_int(s, 2)) {
           star.emplace_back(from, to);
         } else {
           set_all(to, Text(s, 3));
         }
       });
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<Pivot> kinds;
  Each(db, snapshot, "SELECT from_node, to_node, privilege FROM accesses WHERE snapshot = ?1",
       [&](sqlite3_stmt* s) {
         ends.emplace_back(m.ids.at(std::string(Text(s, 0))), m.ids.at(std::string(Text(s, 1))));
         auto p = Text(s, 2);
         kinds.push_back({static_cast<uint8_t>(p == "admin" || p == "code")});
       });
  sqlite3_close(db);
  m.access = AccessCsr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), kinds.begin(), m.n);
  // held(): one pass over the "*"-flow components, sources first.
  PlainCsr sg(boost::edges_are_unsorted_multi_pass, star.begin(), star.end(), m.n);
  std::vector<uint32_t> comp(m.n);
  uint32_t count = boost::strong_components(
      sg, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, sg)));
  std::vector<uint64_t> ch(size_t{count} * m.words, 0);
  for (uint32_t v = 0; v < m.n; ++v) {
    for (size_t w = 0; w < m.words; ++w) ch[comp[v] * m.words + w] |= m.held[size_t{v} * m.words + w];
  }
  std::vector<std::vector<uint32_t>> preds(count);
  for (auto [u, x] : star) {
    if (comp[u] != comp[x]) preds[comp[x]].push_back(comp[u]);
  }
  for (uint32_t c = count; c-- > 0;) {
    for (uint32_t p : preds[c]) {
      for (size_t w = 0; w < m.words; ++w) ch[c * m.words + w] |= ch[p * m.words + w];
    }
  }
  for (uint32_t v = 0; v < m.n; ++v)
    std::copy_n(&ch[comp[v] * m.words], m.words, &m.held[size_t{v} * m.words]);
  return m;
}

// A cold query: fresh state, BFS over pivot edges, read/write targets exposed, union of held().
size_t ColdBlast(const Map& m, uint32_t seed, size_t& reached) {
  std::vector<uint8_t> state(m.n, 0);  // 1 exposed, 2 controlled
  std::vector<uint32_t> queue = {seed}, touched = {seed};
  state[seed] = 2;
  for (size_t i = 0; i < queue.size(); ++i) {
    uint32_t u = queue[i];
    for (auto e : boost::make_iterator_range(boost::out_edges(u, m.access))) {
      uint32_t v = boost::target(e, m.access);
      if (m.access[e].pivots) {
        if (state[v] == 2) continue;
        if (state[v] == 0) touched.push_back(v);
        state[v] = 2;
        queue.push_back(v);
      } else if (state[v] == 0) {
        state[v] = 1;
        touched.push_back(v);
      }
    }
  }
  std::vector<uint64_t> bits(m.words, 0);
  for (uint32_t v : touched) {
    const uint64_t* h = m.Held(v);
    for (size_t w = 0; w < m.words; ++w) bits[w] |= h[w];
  }
  reached = touched.size();
  size_t categories = 0;
  for (uint64_t w : bits) categories += std::popcount(w);
  return categories;
}

}  // namespace

int CsrBaseline(const std::string& db_path, const std::vector<std::string>& seeds) {
  Timer timer;
  Map m = Load(db_path);
  const double load = timer.Seconds();
  std::vector<double> latencies, cpu;
  ProcessCpuTimer cpu_timer;  // one thread: the same as the thread's
  size_t max_reached = 0, checksum = 0;
  for (const auto& id : seeds) {
    // A query names its seed by id, as a blastmap brief does: the id's lookup (the hash map built in the
    // load) is timed with the search. The CPU clock is reset first so that the wall time does not include
    // its system call.
    cpu_timer.Reset();
    timer.Reset();
    auto it = m.ids.find(id);
    if (it == m.ids.end()) continue;
    size_t reached = 0;
    checksum += ColdBlast(m, it->second, reached);
    latencies.push_back(timer.Seconds() * 1e3);
    cpu.push_back(cpu_timer.Seconds() * 1e3);
    max_reached = std::max(max_reached, reached);
  }
  // Ranking every vendor: condensation of the pivot graph, one category bitset per component (sinks first).
  timer.Reset();
  ProcessCpuTimer rank_cpu;
  std::vector<std::pair<uint32_t, uint32_t>> pivots;
  for (uint32_t u = 0; u < m.n; ++u) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, m.access))) {
      if (m.access[e].pivots) pivots.emplace_back(u, boost::target(e, m.access));
    }
  }
  PlainCsr pg(boost::edges_are_unsorted_multi_pass, pivots.begin(), pivots.end(), m.n);
  std::vector<uint32_t> comp(m.n);
  uint32_t count = boost::strong_components(
      pg, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, pg)));
  std::vector<std::vector<uint32_t>> members(count);
  for (uint32_t v = 0; v < m.n; ++v) members[comp[v]].push_back(v);
  std::vector<uint64_t> exposed(size_t{count} * m.words, 0);
  for (uint32_t c = 0; c < count; ++c) {
    uint64_t* into = &exposed[size_t{c} * m.words];
    for (uint32_t u : members[c]) {
      for (size_t w = 0; w < m.words; ++w) into[w] |= m.Held(u)[w];
      for (auto e : boost::make_iterator_range(boost::out_edges(u, m.access))) {
        uint32_t v = boost::target(e, m.access);
        const uint64_t* from = m.access[e].pivots ? &exposed[size_t{comp[v]} * m.words] : m.Held(v);
        for (size_t w = 0; w < m.words; ++w) into[w] |= from[w];
      }
    }
  }
  std::vector<std::pair<size_t, uint32_t>> ranked;
  for (uint32_t v = 0; v < m.n; ++v) {
    if (!m.vendor[v]) continue;
    size_t categories = 0;
    for (size_t w = 0; w < m.words; ++w) categories += std::popcount(exposed[size_t{comp[v]} * m.words + w]);
    ranked.emplace_back(categories, v);
  }
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  const double rank = timer.Seconds(), rank_cpu_s = rank_cpu.Seconds();
  Json out;
  out.Add("mode", std::string("csr"));
  out.Add("nodes", static_cast<int64_t>(m.n));
  out.Add("load_s", load);
  out.Add("blast_ms", Percentiles(latencies));
  out.Add("blast_cpu_ms", Percentiles(cpu));
  out.Add("max_reached", static_cast<int64_t>(max_reached));
  out.Add("rank_s", rank);
  out.Add("rank_cpu_s", rank_cpu_s);
  out.Add("ranked", static_cast<int64_t>(ranked.size()));
  out.Add("checksum", static_cast<int64_t>(checksum));
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
