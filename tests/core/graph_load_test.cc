// Store::LoadGraph: the graph built straight from the store's columns has the same arrays as
// Graph::Build of the whole snapshot, keeps no holdings, flows or accesses in its model, and names where a
// damaged row was declared.
#include <doctest/doctest.h>

#include <boost/range/iterator_range.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/graph.h"
#include "core/huge_pages.h"
#include "core/store.h"
#include "tests/core/store_fixtures.h"
#include "tests/query/differential.h"

namespace blastmap::core {
namespace {

using store_testing::OpenStore;
using store_testing::RawDb;
using store_testing::SaveOk;
using store_testing::TempPath;

template <typename A, typename B>
void CheckSame(const A& a, const B& b) {
  CHECK(std::vector(a.begin(), a.end()) == std::vector(b.begin(), b.end()));
}

// Each edge of `csr` out of every node, as (target, index), then into it, as (source, index), in the
// CSR's order.
std::vector<std::pair<uint32_t, uint32_t>> Edges(const Graph::Csr& csr) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t v = 0; v < num_vertices(csr); ++v) {
    for (auto e : boost::make_iterator_range(out_edges(v, csr)))
      out.emplace_back(target(e, csr), csr[e].index);
    for (auto e : boost::make_iterator_range(in_edges(v, csr)))
      out.emplace_back(source(e, csr), csr[e].index);
  }
  return out;
}
// The same of a graph's flows: its CSR's out-edges and its InFlows (with their "*" flags).
std::vector<std::pair<uint32_t, uint32_t>> FlowEdges(const Graph& g) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    for (auto e : boost::make_iterator_range(out_edges(v, g.flows())))
      out.emplace_back(target(e, g.flows()), g.flows()[e].index);
    for (const Graph::InFlow& in : g.InFlows(v)) out.emplace_back(in.source, in.flow_and_forwards);
  }
  return out;
}

// Every array of `lean` is the same as `whole`'s.
void CheckSameGraph(const Graph& whole, const Graph& lean) {
  CHECK(!whole.lean());
  CHECK(lean.lean());
  const Model& m = whole.model();
  const Model& resident = lean.resident();
  CHECK(resident.holdings.empty());
  CHECK(resident.flows.empty());
  CHECK(resident.accesses.empty());
  CHECK(resident.subjects.size() == m.subjects.size());
  CHECK(resident.declarations.size() == m.declarations.size());
  CHECK(resident.fides_policies.size() == m.fides_policies.size());
  CHECK(lean.taxonomy().size() == whole.taxonomy().size());
  REQUIRE(lean.node_count() == whole.node_count());
  CHECK(whole.holding_count() == m.holdings.size());
  CHECK(whole.flow_count() == m.flows.size());
  CHECK(whole.access_count() == m.accesses.size());
  REQUIRE(lean.holding_count() == whole.holding_count());
  REQUIRE(lean.flow_count() == whole.flow_count());
  REQUIRE(lean.access_count() == whole.access_count());
  CHECK(lean.HeapParts() == whole.HeapParts());
  CHECK(lean.words() == whole.words());
  for (uint32_t v = 0; v < whole.node_count(); ++v) {
    CHECK(lean.node(v).id == whole.node(v).id);
    CHECK(lean.Find(whole.node(v).id) == v);
    CHECK(lean.IdRank(v) == whole.IdRank(v));
    CheckSame(lean.Held(v), whole.Held(v));
    CheckSame(lean.HeldValues(v), whole.HeldValues(v));
    CheckSame(lean.Stored(v), whole.Stored(v));
    CheckSame(lean.HoldingsOf(v), whole.HoldingsOf(v));
  }
  CHECK(lean.Find("no such node") == -1);
  REQUIRE(lean.value_count() == whole.value_count());
  REQUIRE(lean.subject_words() == whole.subject_words());
  for (uint32_t k = 0; k < whole.value_count(); ++k) {
    CHECK(lean.ValueRecords(k) == whole.ValueRecords(k));
    CheckSame(lean.ValueSubjects(k), whole.ValueSubjects(k));
  }
  REQUIRE(lean.subject_count() == whole.subject_count());
  for (uint32_t k = 0; k < whole.subject_count(); ++k) {
    CHECK(lean.SubjectName(k) == whole.SubjectName(k));
    CheckSame(lean.SubjectJurisdictions(k), whole.SubjectJurisdictions(k));
  }
  REQUIRE(lean.jurisdiction_words() == whole.jurisdiction_words());
  for (uint32_t i = 0; i < whole.holding_count(); ++i) {
    CheckSame(lean.HoldingCategories(i), whole.HoldingCategories(i));
    CheckSame(lean.HoldingSubjects(i), whole.HoldingSubjects(i));
  }
  for (uint32_t i = 0; i < whole.flow_count(); ++i) {
    CHECK(lean.FlowSource(i) == whole.FlowSource(i));
    CHECK(lean.FlowTarget(i) == whole.FlowTarget(i));
    CHECK(lean.FlowForwardsAll(i) == whole.FlowForwardsAll(i));
    CheckSame(lean.FlowCategories(i), whole.FlowCategories(i));
    CheckSame(lean.FlowSubjects(i), whole.FlowSubjects(i));
  }
  for (uint32_t i = 0; i < whole.access_count(); ++i) {
    CHECK(lean.AccessSource(i) == whole.AccessSource(i));
    CHECK(lean.AccessPrivilege(i) == whole.AccessPrivilege(i));
    CHECK(lean.AccessCost(i) == whole.AccessCost(i));
  }
  CHECK(FlowEdges(lean) == FlowEdges(whole));
  CHECK(Edges(lean.access()) == Edges(whole.access()));
  for (int c = 0; c < static_cast<int>(whole.taxonomy().size()); ++c)
    CHECK(lean.SampleHolders(c) == whole.SampleHolders(c));
  CHECK(!lean.whole_read());
  // Its elements come from the store, the same as the whole model's.
  if (whole.flow_count() > 0)
    CHECK(lean.flow(whole.flow_count() - 1).where.line == m.flows.back().where.line);
  if (whole.access_count() > 0) CHECK(lean.access(0).to == m.accesses.front().to);
  if (whole.holding_count() > 0) CHECK(lean.holding(0).node == m.holdings.front().node);
  CHECK(!lean.whole_read());
}

// Sets $GLIBC_TUNABLES for its lifetime (the load reads it to tell whether its threads share one arena: the
// process's malloc read it at start and does not see the change), then puts back what was there.
class ScopedTunables {
 public:
  explicit ScopedTunables(const char* value) {
    if (const char* was = std::getenv("GLIBC_TUNABLES")) was_ = was;
    setenv("GLIBC_TUNABLES", value, 1);
  }
  ~ScopedTunables() {
    if (was_) {
      setenv("GLIBC_TUNABLES", was_->c_str(), 1);
    } else {
      unsetenv("GLIBC_TUNABLES");
    }
  }

 private:
  std::optional<std::string> was_;
};

// Saves `model`, then loads the snapshot both ways and compares the graphs: the lean load as a process
// with one malloc arena runs it, and as one with an arena per thread (which copies the second loading
// thread's arrays into the calling thread's memory, GraphBuilder::RehomeHoldingsAndFlows).
void CheckLoadsAlike(const Model& model) {
  TempPath path;
  auto store = OpenStore(path.str());
  const int64_t id = SaveOk(*store, model, "test");
  auto loaded = store->LoadSnapshot(id);
  REQUIRE(loaded.ok());
  auto whole = Graph::Build(loaded.take());
  INFO(whole.status().message());
  REQUIRE(whole.ok());
  for (const std::string tunables : {"glibc.malloc.arena_max=1", "glibc.malloc.arena_max=8"}) {
    CAPTURE(tunables);
    std::optional<Result<Graph>> lean;
    {
      ScopedTunables scoped(tunables.c_str());
      CHECK(ThreadsShareOneArena() == (tunables == "glibc.malloc.arena_max=1"));
      lean = store->LoadGraph(id);
    }
    INFO(lean->status().message());
    REQUIRE(lean->ok());
    CheckSameGraph(whole.value(), lean->value());
  }
}

TEST_CASE("a graph loaded from the store's columns has the same arrays as one built from the whole model") {
  using query::differential::RandomMap;
  SUBCASE("the store tests' sample map") { CheckLoadsAlike(store_testing::SampleModel()); }
  SUBCASE("random maps: \"*\" flows with cycles, likelihoods below 1, subjects and records") {
    for (uint32_t seed : {1u, 2u, 3u}) CheckLoadsAlike(RandomMap(seed == 3 ? 300 : 1500, seed));
  }
  SUBCASE("a random map with groups and more than 64 subjects") {
    CheckLoadsAlike(RandomMap(1200, 8, 150, true));
  }
  SUBCASE("a random map with more distinct likelihoods than an access's kind byte numbers") {
    Model m = RandomMap(1500, 5);
    for (size_t i = 0; i < m.accesses.size(); ++i) m.accesses[i].likelihood = 0.01 + (i % 97) * 0.01;
    CheckLoadsAlike(m);
  }
  SUBCASE("an empty map") { CheckLoadsAlike(Model()); }
}

// Damages the first row of `table` with `set` (SQL assignments) and checks that the lean load fails naming
// the row's declaration and `what`.
void CheckDamaged(const std::string& table, const std::string& set, const std::string& what) {
  TempPath path;
  int64_t id = 0;
  {
    auto store = OpenStore(path.str());
    id = SaveOk(*store, query::differential::RandomMap(300, 2), "test");
  }
  RawDb raw(path.str());
  raw.Exec(
      ("UPDATE " + table + " SET " + set + ", file = 'bad.yaml', line = 7, col = 3 WHERE pos = 5").c_str());
  auto store = OpenStore(path.str(), /*read_only=*/true);
  auto lean = store->LoadGraph(id);
  REQUIRE(!lean.ok());
  INFO(lean.status().message());
  CHECK(lean.status().message().find("bad.yaml:7:3: " + what) != std::string::npos);
  CHECK(lean.status().message().find("the store is damaged") != std::string::npos);
}

TEST_CASE(
    "a store row naming an unknown node or category fails the lean load, naming where it was declared") {
  CheckDamaged("holdings", "node = 'ghost'", "unknown node 'ghost'");
  CheckDamaged("holdings", "categories = 'user' || char(31) || 'nope' || char(31)",
               "unknown category 'nope'");
  CheckDamaged("flows", "to_node = 'ghost'", "unknown node 'ghost'");
  CheckDamaged("flows", "forwards_all = 0, categories = 'nope' || char(31)", "unknown category 'nope'");
  CheckDamaged("accesses", "from_node = 'ghost'", "unknown node 'ghost'");
}

}  // namespace
}  // namespace blastmap::core
