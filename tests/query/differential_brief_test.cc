// Differential tests of the brief: its fast paths (the compact access paths, the memos of likelihood-1 groups
// a brief is composed from, the reusable search workspace, the per-snapshot held rows, the nodes filled on
// two threads) give exactly the brief of the simple reference (tests/query/reference_blast.h) or of the plain
// search on generated maps (tests/query/differential.h). The ranking's: differential_rank_test.cc.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "query/blast_radius.h"
#include "query/brief_memo.h"
#include "query/compromise.h"
#include "query/engine.h"
#include "query/render.h"
#include "tests/query/differential.h"
#include "tests/query/map_builder.h"
#include "tests/query/reference_blast.h"

namespace blastmap::query {

using core::Privilege;
using differential::CheckMostLikelyPaths;
using differential::CheckSameBrief;
using differential::CheckSameBriefButPaths;
using differential::CheckSameNode;
using differential::CheckSameRows;
using differential::RandomMap;
using testing::MapBuilder;

TEST_CASE(
    "a brief composed from the likelihood-1 groups' memos equals the plain search's but for ties of paths") {
  size_t composed = 0;  // briefs whose search entered a memoised group
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    auto engine = Engine::FromModel(RandomMap(1500, seed, 5, true));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    // Every group is memoised, however little it reaches, so that the small map exercises them all.
    const BriefMemos memos = BriefMemos::Build(g, 1);
    const auto groups = CertainGroups(g, BriefMemos::kGroupMembers);
    REQUIRE(!groups.empty());  // the random rings (overlapping ones make one group)
    REQUIRE(memos.groups() == groups.size());
    std::vector<uint8_t> member(g.node_count(), 0);
    for (const auto& group : groups) {
      for (uint32_t m : group) member[m] = 1;
    }
    std::mt19937 rng(seed);
    for (uint32_t v = seed; v < g.node_count(); v += 4) {  // a quarter of the nodes, every kind
      std::vector<uint32_t> seeds = {v};
      if (v % 9 == 0) seeds.push_back(static_cast<uint32_t>(rng() % g.node_count()));
      if (seeds.size() == 2 && seeds[0] == seeds[1]) seeds.pop_back();
      CAPTURE(v);
      BlastResult plain = ComputeBlastRadius(g, seeds, {});
      BlastResult fast = ComputeBlastRadius(g, seeds, {}, &memos);
      CheckSameBriefButPaths(fast, plain, /*same_via=*/false);
      CheckMostLikelyPaths(fast);
      composed +=
          std::any_of(fast.compromised.begin(), fast.compromised.end(),
                      [&](const CompromisedNode& c) { return c.controlled && member[g.Find(c.id())]; });
      // Options the memos cannot serve run the plain search: the same brief, paths and all.
      if (v % 7 == 0) {
        BlastOptions bounded;
        bounded.min_likelihood = 0.4;
        std::vector<reference::FullPath> paths;
        BlastResult slow = reference::ReferenceBlastRadius(g, seeds, bounded, &paths);
        CheckSameBrief(ComputeBlastRadius(g, seeds, bounded, &memos), slow, paths);
      }
    }
  }
  CHECK(composed > 100);
}

TEST_CASE(
    "the fast brief equals the reference brief: compromise paths, exposure, provenance, records, severity") {
  size_t pivots = 0;  // nodes more likely read than controlled, whose paths on go by their admin/code edge
  for (uint32_t seed : {4u, 5u}) {
    CAPTURE(seed);
    auto engine = Engine::FromModel(RandomMap(seed == 4 ? 400 : 1500, seed));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    std::mt19937 rng(seed);
    for (int q = 0; q < 40; ++q) {
      std::vector<uint32_t> seeds = {static_cast<uint32_t>(rng() % g.node_count())};
      if (q % 6 == 0) seeds.push_back((seeds[0] + 7) % g.node_count());
      BlastOptions options;
      if (q % 4 == 1) options.min_likelihood = 0.4;
      if (q % 5 == 2) options.max_depth = 2;
      CAPTURE(q);
      std::vector<reference::FullPath> paths;
      BlastResult slow = reference::ReferenceBlastRadius(g, seeds, options, &paths);
      BlastResult fast = ComputeBlastRadius(g, seeds, options);
      CheckSameBrief(fast, slow, paths);
      for (const auto& c : fast.compromised) pivots += c.pivot >= 0;
    }
    // Every vendor of the small map, hubs included.
    if (seed == 4) {
      for (uint32_t v = 0; v < g.node_count(); ++v) {
        if (g.node(v).kind != core::NodeKind::kVendor) continue;
        std::vector<reference::FullPath> paths;
        BlastResult slow = reference::ReferenceBlastRadius(g, {v}, {}, &paths);
        CheckSameBrief(ComputeBlastRadius(g, {v}, {}), slow, paths);
      }
    }
  }
  CHECK(pivots > 0);  // the random maps exercise the separate pivot edge of the compact paths
}

TEST_CASE("search leases lend the pool's idle workspace of the graph's size, and the pool keeps one size") {
  const AccessSearch* lent = nullptr;
  {
    SearchLease a(1234);
    lent = &*a;
  }  // back in the pool, which now holds workspaces of 1234 nodes only
  const size_t idle = SearchLease::Idle();
  CHECK(idle >= 1);
  {
    SearchLease b(1234);
    CHECK(&*b == lent);  // the one returned last
    CHECK(SearchLease::Idle() == idle - 1);
    SearchLease c(1234);  // in use at once: another workspace
    CHECK(&*c != lent);
    CHECK(c->nodes() == 1234);
  }
  CHECK(SearchLease::Idle() == std::max<size_t>(idle, 2));
  {
    SearchLease other(99);  // another size: a new workspace
    CHECK(other->nodes() == 99);
    CHECK(SearchLease::Idle() == std::max<size_t>(idle, 2));
  }
  CHECK(SearchLease::Idle() == 1);  // returning it freed those of 1234 nodes
  {
    std::vector<SearchLease> many;
    for (size_t i = 0; i < SearchLease::kMaxIdle + 3; ++i) many.emplace_back(99);
  }
  CHECK(SearchLease::Idle() == SearchLease::kMaxIdle);
}

TEST_CASE("a reused search workspace answers every query as a fresh search does") {
  auto engine = Engine::FromModel(RandomMap(2000, 11));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  AccessSearch search(g.node_count());
  std::mt19937 rng(5);
  for (int q = 0; q < 60; ++q) {
    std::vector<uint32_t> seeds = {static_cast<uint32_t>(rng() % g.node_count())};
    if (q % 5 == 0) seeds.push_back((seeds[0] + 1) % g.node_count());
    BlastOptions options;
    if (q % 3 == 1) options.min_likelihood = 0.4;
    if (q % 7 == 2) options.max_depth = 2;
    search.Run(g, seeds, options);
    // The reference: a fresh vector per query.
    AccessSearch fresh(g.node_count());
    fresh.Run(g, seeds, options);
    size_t reached = 0;
    for (uint32_t v = 0; v < g.node_count(); ++v) {
      const Reach &a = search.at(v), &b = fresh.at(v);
      reached += b.reached();
      REQUIRE(a.controlled_cost == b.controlled_cost);
      REQUIRE(a.exposed_cost == b.exposed_cost);
      REQUIRE(a.controlled_edge == b.controlled_edge);
      REQUIRE(a.exposed_edge == b.exposed_edge);
      REQUIRE(a.integrity == b.integrity);
    }
    CHECK(search.touched().size() == reached);
  }
  // Briefs do not depend on the queries before them.
  auto first = ComputeBlastRadius(g, {3}, {});
  ComputeBlastRadius(g, {g.node_count() - 1}, {});
  auto again = ComputeBlastRadius(g, {3}, {});
  CHECK(first.compromised.size() == again.compromised.size());
  CHECK(first.exposed.size() == again.exposed.size());
  CHECK(first.severity.score == again.severity.score);
}

TEST_CASE(
    "a brief's per-category sums and marks start clean whatever the briefs before it on the thread held") {
  // The per-category sums, exposed slots and related-category marks are kept per thread and reset only where
  // the last brief wrote: a brief holding few categories after one holding many (and the reverse) must still
  // equal the reference, not-exposed list and severity included.
  auto engine = Engine::FromModel(RandomMap(1500, 5));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  uint32_t widest = 0;
  size_t widest_categories = 0;
  std::vector<uint32_t> narrow;  // nodes whose brief exposes one to three categories
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    const size_t exposed = ComputeBlastRadius(g, {v}, {}).exposed.size();
    if (exposed > widest_categories) widest = v, widest_categories = exposed;
    if (exposed >= 1 && exposed <= 3 && narrow.size() < 40) narrow.push_back(v);
  }
  REQUIRE(widest_categories >= 10);
  REQUIRE(narrow.size() >= 10);
  for (uint32_t v : narrow) {
    CAPTURE(v);
    for (uint32_t seed : {widest, v}) {
      std::vector<reference::FullPath> paths;
      BlastResult slow = reference::ReferenceBlastRadius(g, {seed}, {}, &paths);
      CheckSameBrief(ComputeBlastRadius(g, {seed}, {}), slow, paths);
    }
  }
}

TEST_CASE(
    "per-snapshot held records, held subjects and interned subjects equal the per-category trace of every "
    "node") {
  for (uint32_t seed : {6u, 7u, 8u}) {
    CAPTURE(seed);
    // Seed 8: 150 subjects, so a held-subject row is three words.
    auto engine = Engine::FromModel(RandomMap(seed == 6 ? 300 : 1200, seed, seed == 8 ? 150 : 5));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    CHECK(g.subject_words() == (seed == 8 ? 3u : 1u));
    size_t checked = 0, known = 0, with_subjects = 0;
    for (uint32_t v = 0; v < g.node_count(); ++v) {
      const std::vector<int> held = g.Held(v).Indices();
      const auto values = g.HeldValues(v);
      REQUIRE(values.size() == held.size());
      for (size_t i = 0; i < held.size(); ++i) {
        CAPTURE(v);
        CAPTURE(held[i]);
        REQUIRE(values[i] < g.value_count());
        const CategoryTrace trace = TraceCategory(g, v, held[i]);
        CHECK(g.ValueRecords(values[i]) == trace.records);
        const auto subjects = g.ValueSubjects(values[i]);
        REQUIRE(subjects.size() == g.subject_words());
        std::vector<std::string> names;
        for (size_t k = 0; k < g.subject_count(); ++k) {
          if ((subjects[k / 64] >> (k % 64)) & 1u) names.push_back(g.SubjectName(static_cast<uint32_t>(k)));
        }
        CHECK(names == trace.subjects);
        ++checked;
        if (g.ValueRecords(values[i]) >= 0) ++known;
        if (!names.empty()) ++with_subjects;
      }
    }
    // The values are interned: no two alike, and far fewer than the (node, category) pairs naming them.
    std::set<std::vector<uint64_t>> distinct;
    for (uint32_t k = 0; k < g.value_count(); ++k) {
      const auto subjects = g.ValueSubjects(k);
      std::vector<uint64_t> value(subjects.begin(), subjects.end());
      value.push_back(static_cast<uint64_t>(g.ValueRecords(k)));
      distinct.insert(value);
    }
    CHECK(distinct.size() == g.value_count());
    CHECK(g.value_count() < checked / 2);
    CHECK(with_subjects > 100);
    CHECK(with_subjects < checked);
    CHECK(checked > 1000);  // the maps hold enough for the comparison to mean something
    CHECK(known > 0);
    CHECK(known < checked);
    const core::Model& m = g.model();
    for (uint32_t i = 0; i < m.holdings.size(); ++i) {
      std::vector<std::string> names;
      for (uint32_t k : g.HoldingSubjects(i)) names.push_back(g.SubjectName(k));
      CHECK(names == core::ToStrings(m.holdings[i].subjects));
    }
    for (uint32_t i = 0; i < m.flows.size(); ++i) {
      std::vector<std::string> names;
      for (uint32_t k : g.FlowSubjects(i)) names.push_back(g.SubjectName(k));
      CHECK(names == core::ToStrings(m.flows[i].subjects));
    }
    for (size_t k = 1; k < g.subject_count(); ++k)
      CHECK(g.SubjectName(static_cast<uint32_t>(k - 1)) < g.SubjectName(static_cast<uint32_t>(k)));
  }
}

// A big brief fills its compromised nodes on two threads (blast_radius.h); lowering the threshold runs that
// path on every brief of a small map, which must give exactly the one-thread brief.
TEST_CASE("held() as sparse rows equals the fixpoint of stores, named flows and \"*\" flows over the model") {
  for (uint32_t seed : {11u, 12u}) {
    CAPTURE(seed);
    auto engine = Engine::FromModel(RandomMap(seed == 11 ? 300 : 1500, seed));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    const core::Model& m = g.model();
    const core::Taxonomy& t = m.taxonomy;
    // The simple fixpoint (SPEC §4) over the model's text: a node holds what it stores and what flows name
    // into it, and everything held by the sources of its "*" flows, until nothing changes.
    std::vector<std::set<int>> held(g.node_count());
    auto node = [&](const std::string& id) { return static_cast<uint32_t>(g.Find(id)); };
    for (const core::Holding& h : m.holdings) {
      for (const auto& key : h.categories) held[node(h.node)].insert(t.Index(key));
    }
    for (const core::Flow& f : m.flows) {
      for (const auto& key : f.categories) held[node(f.to)].insert(t.Index(key));
    }
    size_t star = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (const core::Flow& f : m.flows) {
        if (!f.forwards_all) continue;
        ++star;
        const std::set<int> from = held[node(f.from)];
        for (int c : from) changed |= held[node(f.to)].insert(c).second;
      }
    }
    CHECK(star > 0);
    size_t wide = 0;
    for (uint32_t v = 0; v < g.node_count(); ++v) {
      CAPTURE(v);
      const std::vector<int> expected(held[v].begin(), held[v].end());
      REQUIRE(g.Held(v).Indices() == expected);
      CHECK(g.Held(v).size() == expected.size());
      CHECK(g.Held(v).Empty() == expected.empty());
      std::vector<uint64_t> bits(g.words(), 0);
      g.Held(v).OrInto(bits.data());
      for (int c = 0; c < static_cast<int>(t.size()); ++c) {
        CHECK(g.Held(v).Has(c) == (held[v].count(c) > 0));
        CHECK(((bits[static_cast<size_t>(c) / 64] >> (c % 64)) & 1u) == held[v].count(c));
      }
      wide += expected.size() > 4;
    }
    CHECK(wide > 0);  // some nodes hold many categories through "*" chains
  }
}

TEST_CASE("briefs assembled on two threads equal the briefs assembled on one") {
  auto engine = Engine::FromModel(RandomMap(4000, 9));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  struct Threshold {  // restores the default however the test ends
    ~Threshold() { parallel_brief_nodes = kParallelBriefNodes; }
  } restore;
  size_t biggest = 0, compared = 0;
  for (uint32_t v = 0; v < g.node_count();
       v += 20) {  // every 20th: the JSON of big briefs is slow under ASan
    CAPTURE(g.node(v).id);
    // Two threads first: their per-thread buffers then still hold the previous seed's brief, so an item
    // that neither thread wrote shows.
    parallel_brief_nodes = 1;
    const BlastResult two = ComputeBlastRadius(g, {v}, {});
    parallel_brief_nodes = SIZE_MAX;
    const BlastResult one = ComputeBlastRadius(g, {v}, {});
    REQUIRE(one.compromised.size() == two.compromised.size());
    REQUIRE(one.hops.size() == two.hops.size());
    for (size_t i = 0; i < one.compromised.size(); ++i) {
      const CompromisedNode &a = one.compromised[i], &b = two.compromised[i];
      CheckSameNode(a, b);
      CHECK(a.hop == b.hop);
      CHECK(a.parent == b.parent);
      CHECK(a.pivot == b.pivot);
      CHECK(a.pivot_parent == b.pivot_parent);
    }
    CHECK(one.hops == two.hops);                  // the same edges of the model, in the same places
    CHECK(BlastToJson(one) == BlastToJson(two));  // paths, holders, subjects, severity: everything
    biggest = std::max(biggest, one.compromised.size());
    ++compared;
  }
  CHECK(compared == 200);
  CHECK(biggest > 2 * 1024);  // briefs of several chunks of nodes (1024 each)
}

// Composed from memos (every group memoised), a big memo's entries are lowered on two threads too.
TEST_CASE("composed briefs assembled on two threads equal the composed briefs assembled on one") {
  struct Threshold {  // restores the default however the test ends
    ~Threshold() { parallel_brief_nodes = kParallelBriefNodes; }
  } restore;
  auto grouped = Engine::FromModel(RandomMap(4000, 9, 5, true));
  REQUIRE(grouped.ok());
  const core::Graph& gg = grouped.value()->graph();
  const BriefMemos memos = BriefMemos::Build(gg, 1);
  REQUIRE(!memos.empty());
  size_t composed_big = 0;
  for (uint32_t v = 0; v < gg.node_count(); v += 200) {
    CAPTURE(gg.node(v).id);
    parallel_brief_nodes = 1;  // two threads first, as above
    const BlastResult two = ComputeBlastRadius(gg, {v}, {}, &memos);
    parallel_brief_nodes = SIZE_MAX;
    const BlastResult one = ComputeBlastRadius(gg, {v}, {}, &memos);
    CHECK(BlastToJson(one) == BlastToJson(two));
    composed_big += one.compromised.size() > 1024;
  }
  CHECK(composed_big > 0);
}

// A big brief stages each node's path edges in its own element of `compromised` (two threads, a half each),
// then fills its hops in chunks of 1,024 (two threads, from a shared counter). Held to the reference, not
// only to the one-thread brief: after a big brief on the same thread, small ones, then big ones again (a
// stale place, chunk start or staged edge shows), plain and composed from the memos.
TEST_CASE("big briefs staged in their result on two threads equal the reference brief, between small ones") {
  struct Threshold {  // restores the default however the test ends
    ~Threshold() { parallel_brief_nodes = kParallelBriefNodes; }
  } restore;
  parallel_brief_nodes = 1;
  size_t big = 0, composed = 0;
  for (bool groups : {false, true}) {
    CAPTURE(groups);
    auto engine = Engine::FromModel(RandomMap(4000, 9, 5, groups));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    const BriefMemos memos = BriefMemos::Build(g, 1);
    REQUIRE(memos.empty() == !groups);
    for (uint32_t v = 0; v < g.node_count(); v += 61) {
      CAPTURE(g.node(v).id);
      std::vector<reference::FullPath> paths;
      const BlastResult slow = reference::ReferenceBlastRadius(g, {v}, {}, &paths);
      const BlastResult fast = ComputeBlastRadius(g, {v}, {}, groups ? &memos : nullptr);
      if (groups) {  // composed: a most likely path, maybe another one than the reference's
        CheckSameBriefButPaths(fast, slow, /*same_via=*/false);
        CheckMostLikelyPaths(fast);
      } else {
        CheckSameBrief(fast, slow, paths);
      }
      size_t hops = 0;
      for (size_t i = 0; i < fast.compromised.size(); ++i) hops += fast.compromised[i].hop >= 0;
      for (const CompromisedNode& c : fast.compromised) hops += c.pivot >= 0;
      CHECK(hops == fast.hops.size());  // every hop written once, by its node
      big += fast.compromised.size() > 2 * 1024;
      composed += groups && fast.compromised.size() > 2 * 1024;
    }
  }
  CHECK(big > 1);  // briefs of several chunks of nodes (1,024 each), plain and composed
  CHECK(composed > 0);
}

TEST_CASE("an engine warmed up memoises the big groups and its briefs compose them") {
  // A random map plus a ring of ten systems that control each other for certain, administering 4,500 more
  // (which hold data, and some of which read each other), entered by vendors and systems below likelihood 1.
  MapBuilder m;
  m.model = RandomMap(1200, 11, 5, true);
  const std::vector<std::string> cats = {"user.contact.email", "user.financial.credit_card",
                                         "system.operations"};
  for (int k = 0; k < 10; ++k) m.Node("ring" + std::to_string(k));
  for (int k = 0; k < 10; ++k) {
    m.Access("ring" + std::to_string(k), "ring" + std::to_string((k + 1) % 10),
             k % 2 ? Privilege::kAdmin : Privilege::kCode);
  }
  for (int i = 0; i < 4500; ++i) {
    const std::string id = "far" + std::to_string(i);
    m.Node(id);
    m.Stores(id, {cats[i % 3]}, i % 4 ? 100 * i : -1, {"subj" + std::to_string(i % 5)});
    m.Access("ring" + std::to_string(i % 10), id, i % 3 ? Privilege::kAdmin : Privilege::kRead,
             i % 7 ? 1.0 : 0.9);
    if (i % 5 == 0) m.Access(id, "far" + std::to_string((i * 31 + 7) % 4500), Privilege::kWrite, 0.5);
  }
  for (int k = 0; k < 40; ++k) {
    m.Access("v" + std::to_string(5 + k), "ring" + std::to_string(k % 10), Privilege::kCode,
             k % 2 ? 0.5 : 0.8);
    m.Access("s" + std::to_string(k * 13), "ring" + std::to_string((k * 3) % 10), Privilege::kAdmin, 0.9);
  }
  auto engine = Engine::FromModel(std::move(m.model));
  REQUIRE(engine.ok());
  const Engine& e = *engine.value();
  const core::Graph& g = e.graph();
  CHECK(e.brief_memos() == nullptr);  // a one-shot engine does not build them
  CHECK(e.rank_memos() == nullptr);
  e.Warm();
  REQUIRE(e.brief_memos());
  CHECK(e.rank_memos() != nullptr);
  REQUIRE(e.brief_memos()->groups() > 0);  // some ring's search reaches more than BriefMemos::kMinReach nodes
  CHECK(e.brief_memos()->entries() >= BriefMemos::kMinReach);
  size_t big = 0;
  for (uint32_t v = 0; v < g.node_count(); v += 47) {
    CAPTURE(v);
    auto fast = e.Blast({g.node(v).id});
    REQUIRE(fast.ok());
    BlastResult plain = ComputeBlastRadius(g, {v}, {});
    plain.snapshot = fast.value().snapshot;
    CheckSameBriefButPaths(fast.value(), plain, /*same_via=*/false);
    CheckMostLikelyPaths(fast.value());
    big += fast.value().compromised.size() >= BriefMemos::kMinReach;
  }
  CHECK(big > 0);
  // A ranking alone does not build the brief memos (a one-shot `blastmap rank` would pay for them only to
  // spare the searches of the groups): its memos of the groups then come from its own searches, and its
  // rows equal those of the warmed engine, whose group memos came from the brief memos.
  auto other = Engine::FromModel(g.model());
  REQUIRE(other.ok());
  CHECK(other.value()->brief_memos() == nullptr);
  RankOptions all;
  all.kind = std::nullopt;
  const RankResult alone = other.value()->Rank(all);
  CHECK(other.value()->brief_memos() == nullptr);
  CHECK(other.value()->rank_memos() != nullptr);
  CheckSameRows(alone, e.Rank(all));
  CheckSameRows(alone, RankNodesReference(g, all));
}

}  // namespace blastmap::query
