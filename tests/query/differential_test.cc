// Differential tests: the fast paths (shared-work ranking, the reusable search workspace) give exactly the
// answers of the simple reference (one full blast radius per vendor) on generated maps.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <random>
#include <thread>
#include <chrono>

#include "query/access_path.h"
#include "query/blast_radius.h"
#include "query/brief_memo.h"
#include "query/cancel.h"
#include "query/compromise.h"
#include "query/rank.h"
#include "query/rank_shared.h"
#include "query/render.h"
#include "tests/query/map_builder.h"
#include "tests/query/reference_blast.h"

namespace blastmap::query {
namespace {

using core::Privilege;
using testing::MapBuilder;

// A random map with the shapes that matter: power-law fan-out, "*" chains with cycles, hubs with admin on
// many systems, vendors holding tokens on hubs, likelihoods below 1, read/write edges, records and subjects.
// `subject_count` subjects (jurisdictions cycling through five sets); more than 64 makes the per-snapshot
// subject bit rows (Graph::HeldSubjects) several words wide. With `groups`, also rings of systems that
// control each other with likelihood 1 (memoised as groups by shared ranking), entered by vendors and
// systems with likelihoods below 1.
core::Model RandomMap(uint32_t nodes, uint32_t seed, uint32_t subject_count = 5, bool groups = false) {
  MapBuilder m;
  std::mt19937 rng(seed);
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const std::vector<std::string> cats = {"user.name",
                                         "user.contact.email",
                                         "user.contact",
                                         "user.financial.credit_card",
                                         "user.health_and_medical",
                                         "system.authentication",
                                         "user.device.ip_address",
                                         "user.government_id.passport_number",
                                         "user.behavior",
                                         "user.location.precise",
                                         "user.unique_id",
                                         "system.operations",
                                         "user.childrens",
                                         "user"};
  const uint32_t vendors = nodes / 4, systems = nodes - vendors, hubs = 3;
  auto sys = [](uint32_t i) { return "s" + std::to_string(i); };
  auto ven = [](uint32_t i) { return "v" + std::to_string(i); };
  for (uint32_t i = 0; i < systems; ++i) m.Node(sys(i));
  for (uint32_t i = 0; i < vendors; ++i) m.Node(ven(i), core::NodeKind::kVendor);
  const std::vector<std::vector<std::string>> jurisdictions = {{"EU"}, {"US"}, {"UK", "US-CA"}, {}, {"CA"}};
  for (uint32_t i = 0; i < subject_count; ++i) m.Subject("subj" + std::to_string(i), jurisdictions[i % 5]);
  auto some_cats = [&] {
    std::vector<std::string> out;
    for (uint32_t k = 1 + pick(3); k > 0; --k) out.push_back(cats[pick(static_cast<uint32_t>(cats.size()))]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  auto records = [&]() -> int64_t { return chance(0.3) ? -1 : static_cast<int64_t>(pick(1000000)); };
  auto subjects = [&]() -> std::vector<std::string> {
    if (chance(0.3)) return {};
    return {"subj" + std::to_string(pick(subject_count))};
  };
  const std::vector<double> likelihoods = {1.0, 1.0, 1.0, 0.5, 0.3, 0.9};
  auto likelihood = [&] { return likelihoods[pick(static_cast<uint32_t>(likelihoods.size()))]; };
  for (uint32_t i = 0; i < systems; ++i) {
    if (chance(0.8)) m.Stores(sys(i), some_cats(), records(), subjects());
    for (uint32_t k = chance(0.1) ? 6 : pick(3); k > 0; --k) {
      std::string to = chance(0.5) ? sys(pick(systems)) : ven(hubs + pick(vendors - hubs));
      if (to == sys(i)) continue;
      if (chance(0.08)) {
        m.Flow(sys(i), to, {"*"});
      } else {
        m.Flow(sys(i), to, some_cats(), records(), subjects());
      }
    }
    for (uint32_t k = chance(0.1) ? 10 : pick(3); k > 0; --k) {
      uint32_t to = pick(systems);
      if (to == i) continue;
      auto p = static_cast<Privilege>(pick(4));
      m.Access(sys(i), sys(to), p, likelihood());
    }
  }
  for (uint32_t i = 0; i < vendors; ++i) {
    if (i >= hubs) {
      uint32_t to = pick(vendors);
      if (to != i) m.Flow(ven(i), ven(to), {"*"});  // sub-processor chains, cycles included
      if (chance(0.2)) m.Access(ven(i), ven(pick(hubs)), Privilege::kAdmin, chance(0.8) ? 1.0 : 0.5);
      if (chance(0.5))
        m.Access(ven(i), sys(pick(systems)), chance(0.5) ? Privilege::kRead : Privilege::kCode, likelihood());
      if (chance(0.1)) m.Stores(ven(i), some_cats(), records(), subjects());
    } else {
      for (uint32_t k = 0; k < systems / 5; ++k) {
        m.Access(ven(i), sys(pick(systems)), Privilege::kAdmin, k % 7 == 0 ? 0.9 : 1.0);
      }
    }
  }
  for (uint32_t ring = 0; groups && ring < 3; ++ring) {
    const uint32_t size = 8 + pick(12), first = pick(systems - size);
    for (uint32_t k = 0; k < size; ++k) {
      m.Access(sys(first + k), sys(first + (k + 1) % size), k % 2 ? Privilege::kAdmin : Privilege::kCode, 1.0);
    }
    for (uint32_t k = 0; k < 12; ++k) {
      m.Access(ven(hubs + pick(vendors - hubs)), sys(first + pick(size)), Privilege::kCode, chance(0.5) ? 0.3 : 0.8);
      m.Access(sys(pick(systems)), sys(first + pick(size)), Privilege::kAdmin, 0.9);
    }
  }
  return std::move(m.model);
}

void CheckSameRow(const RankRow& a, const RankRow& b) {
  REQUIRE(a.id == b.id);
  CHECK(a.controlled == b.controlled);
  CHECK(a.exposed_nodes == b.exposed_nodes);
  CHECK(a.categories == b.categories);
  CHECK(a.restricted == b.restricted);
  CHECK(a.records == b.records);
  CHECK(a.severity.score == b.severity.score);
  CHECK(a.severity.level == b.severity.level);
  CHECK(a.severity.data == b.severity.data);
  CHECK(a.severity.volume == b.severity.volume);
  CHECK(a.severity.jurisdiction == b.severity.jurisdiction);
}

void CheckSameRows(const RankResult& fast, const RankResult& reference) {
  REQUIRE(fast.rows.size() == reference.rows.size());
  CHECK(fast.candidates == reference.candidates);
  for (size_t i = 0; i < fast.rows.size(); ++i) {
    INFO("row " << i << ": " << fast.rows[i].id << " vs " << reference.rows[i].id);
    CheckSameRow(fast.rows[i], reference.rows[i]);
  }
}

void CheckSameHops(const std::vector<FlowHop>& a, const std::vector<FlowHop>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].kind == b[i].kind);
    CHECK(a[i].from == b[i].from);
    CHECK(a[i].to == b[i].to);
    CHECK(a[i].categories == b[i].categories);
    CHECK(a[i].where.ToString() == b[i].where.ToString());
  }
}

// The paths rebuilt from the compact brief (query/access_path.h) against the reference's full paths.
void CheckSamePaths(const BlastResult& a, const std::vector<reference::FullPath>& paths) {
  REQUIRE(a.compromised.size() == paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    INFO("node " << a.compromised[i].id());
    CHECK(PathOf(a, i) == paths[i].path);
    const std::vector<const AccessHop*> hops = HopsOf(a, i);
    CHECK(HopCount(a, i) == hops.size());
    REQUIRE(hops.size() == paths[i].hops.size());
    for (size_t h = 0; h < hops.size(); ++h) {
      const AccessHop &x = *hops[h], &y = paths[i].hops[h];
      CHECK(x.from == y.from);
      CHECK(x.to == y.to);
      CHECK(x.privilege == y.privilege);
      CHECK(x.mechanism == y.mechanism);
      CHECK(x.likelihood == y.likelihood);
      CHECK(x.where.ToString() == y.where.ToString());
    }
  }
}

// What two briefs say of one compromised node, but for its path (compared separately) and, unless
// `same_via`, the privilege its path ends in (equally likely paths may end differently).
void CheckSameNode(const CompromisedNode& x, const CompromisedNode& y, bool same_via = true) {
  REQUIRE(x.id() == y.id());
  CHECK(x.name() == y.name());
  CHECK(x.kind() == y.kind());
  CHECK(x.likelihood == y.likelihood);
  if (same_via) CHECK(x.via == y.via);
  CHECK(x.controlled == y.controlled);
  CHECK(x.integrity == y.integrity);
}

// Everything two briefs say but the access paths: nodes (in order), exposure, provenance, severity.
void CheckSameBriefButPaths(const BlastResult& a, const BlastResult& b, bool same_via = true) {
  CHECK(a.seeds == b.seeds);
  REQUIRE(a.compromised.size() == b.compromised.size());
  for (size_t i = 0; i < a.compromised.size(); ++i) CheckSameNode(a.compromised[i], b.compromised[i], same_via);
  REQUIRE(a.exposed.size() == b.exposed.size());
  for (size_t i = 0; i < a.exposed.size(); ++i) {
    const auto &x = a.exposed[i], &y = b.exposed[i];
    REQUIRE(x.category == y.category);
    CHECK(x.holders == y.holders);
    CHECK(HolderIds(a, x) == HolderIds(b, y));
    CHECK(x.likelihood == y.likelihood);
    CHECK(x.records_max == y.records_max);
    CHECK(x.records_sum == y.records_sum);
    CHECK(x.subjects == y.subjects);
    CHECK(x.jurisdictions == y.jurisdictions);
    CheckSameHops(x.provenance, y.provenance);
  }
  REQUIRE(a.not_exposed_sensitive.size() == b.not_exposed_sensitive.size());
  for (size_t i = 0; i < a.not_exposed_sensitive.size(); ++i) {
    CHECK(a.not_exposed_sensitive[i].category == b.not_exposed_sensitive[i].category);
    CHECK(a.not_exposed_sensitive[i].held_at == b.not_exposed_sensitive[i].held_at);
  }
  CHECK(a.severity.score == b.severity.score);
  CHECK(a.severity.level == b.severity.level);
  CHECK(a.severity.data == b.severity.data);
}

void CheckSameBrief(const BlastResult& a, const BlastResult& b, const std::vector<reference::FullPath>& paths) {
  CheckSamePaths(a, paths);
  CheckSameBriefButPaths(a, b);
}

// Every compromised node's path is a most likely one: it starts at a seed, its hops chain up to the node,
// the likelihoods of its edges multiply (add, as costs) to the node's, and `via` names its last edge.
void CheckMostLikelyPaths(const BlastResult& r) {
  for (size_t i = 0; i < r.compromised.size(); ++i) {
    const CompromisedNode& c = r.compromised[i];
    INFO("node " << c.id());
    const std::vector<const AccessHop*> hops = HopsOf(r, i);
    if (hops.empty()) {
      CHECK(c.via == Via::kSeed);
      CHECK(std::find(r.seeds.begin(), r.seeds.end(), c.id()) != r.seeds.end());
      continue;
    }
    CHECK(std::find(r.seeds.begin(), r.seeds.end(), hops.front()->from) != r.seeds.end());
    core::LikelihoodCost cost = 0;
    for (size_t h = 0; h < hops.size(); ++h) {
      if (h + 1 < hops.size()) CHECK(hops[h]->to == hops[h + 1]->from);
      if (h + 1 < hops.size()) CHECK(core::Pivots(hops[h]->privilege));
      cost = core::AddCost(cost, core::CostOf(hops[h]->likelihood));
    }
    CHECK(hops.back()->to == c.id());
    CHECK(core::LikelihoodOf(cost) == c.likelihood);
    CHECK(c.via == reference::ViaOf(hops.back()->privilege));
  }
}

}  // namespace

TEST_CASE("a brief composed from the likelihood-1 groups' memos equals the plain search's but for ties of paths") {
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
      composed += std::any_of(fast.compromised.begin(), fast.compromised.end(), [&](const CompromisedNode& c) {
        return c.controlled && member[g.Find(c.id())];
      });
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

TEST_CASE("shared-work ranking gives exactly the rows of one full blast radius per vendor") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    for (uint32_t nodes : {300u, 2000u}) {
      CAPTURE(seed);
      CAPTURE(nodes);
      auto engine = Engine::FromModel(RandomMap(nodes, seed));
      REQUIRE(engine.ok());
      const core::Graph& g = engine.value()->graph();
      for (auto by : {RankMetric::kSeverity, RankMetric::kReach}) {
        RankOptions options;
        options.by = by;
        CheckSameRows(RankNodes(g, options), RankNodesReference(g, options));
      }
      RankOptions all;
      all.kind = std::nullopt;
      if (nodes <= 300) CheckSameRows(RankNodes(g, all), RankNodesReference(g, all));
    }
  }
  // 150 subjects: the jurisdictions come from subject rows of three words (Graph::HeldSubjects).
  auto engine = Engine::FromModel(RandomMap(600, 9, 150));
  REQUIRE(engine.ok());
  CheckSameRows(RankNodes(engine.value()->graph(), {}), RankNodesReference(engine.value()->graph(), {}));
}

TEST_CASE("shared ranking memoises hubs and likelihood-1 groups, entered below likelihood 1 too, exactly") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    auto engine = Engine::FromModel(RandomMap(2000, seed, 5, true));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    // Every node: hubs and group members are ranked from their own memos.
    std::vector<uint32_t> vendors(g.node_count());
    for (uint32_t v = 0; v < g.node_count(); ++v) vendors[v] = v;
    RankOptions all;
    all.kind = std::nullopt;
    RankResult reference = RankNodesReference(g, all);
    std::map<std::string, const RankRow*> by_id;
    for (const auto& row : reference.rows) by_id[row.id] = &row;
    // The groups' memos also come from the brief memos (every group memoised, however little it reaches).
    const BriefMemos brief = BriefMemos::Build(g, 1);
    for (unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(threads);
      SharedRankStats stats;
      std::vector<RankRow> rows =
          threads < 3 ? SharedRankRows(g, vendors, threads, &stats)
                      : SharedRankRows(*BuildRankMemos(g, 2, &stats, &brief), vendors, 2);
      if (threads == 3) CHECK(stats.from_brief == brief.groups());
      // Both kinds of memo are in play: the comparison below covers vendors stopping at them.
      CHECK(stats.groups > 0);
      CHECK(stats.grouped >= stats.groups * 8);
      CHECK(stats.hubs > 0);
      REQUIRE(rows.size() == vendors.size());
      for (const RankRow& a : rows) {
        INFO(a.id);
        CheckSameRow(a, *by_id.at(a.id));
      }
    }
  }
}

TEST_CASE("an engine builds the shared work of ranking once; a cancelled build leaves none behind") {
  auto engine = Engine::FromModel(RandomMap(2000, 8, 5, true));
  REQUIRE(engine.ok());
  const Engine& e = *engine.value();
  const RankResult reference = RankNodesReference(e.graph(), {});
  {
    Cancel cancel(Cancel::Clock::now() - std::chrono::seconds(1));  // already past its deadline
    CancelScope scope(&cancel);
    CHECK_THROWS_AS(e.Rank(), Cancelled);
  }
  CheckSameRows(e.Rank(), reference);  // builds the memos
  CheckSameRows(e.Rank(), reference);  // reuses them
  // Concurrent rankings share the memos, and a bounded ranking does not use them.
  RankResult a, b;
  std::thread other([&] { a = e.Rank(); });
  b = e.Rank();
  other.join();
  CheckSameRows(a, reference);
  CheckSameRows(b, reference);
  RankOptions bounded;
  bounded.blast.max_depth = 2;
  CheckSameRows(e.Rank(bounded), RankNodesReference(e.graph(), bounded));
}

TEST_CASE("ranking with a likelihood or depth bound falls back to the reference and still agrees") {
  auto engine = Engine::FromModel(RandomMap(300, 7));
  REQUIRE(engine.ok());
  RankOptions options;
  options.blast.min_likelihood = 0.4;
  CheckSameRows(RankNodes(engine.value()->graph(), options),
                RankNodesReference(engine.value()->graph(), options));
  options.blast = {};
  options.blast.max_depth = 2;
  CheckSameRows(RankNodes(engine.value()->graph(), options),
                RankNodesReference(engine.value()->graph(), options));
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

TEST_CASE("per-snapshot held records, held subjects and interned subjects equal the per-category trace of every node") {
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
      const auto records = g.HeldRecords(v);
      const auto subjects = g.HeldSubjects(v);
      REQUIRE(records.size() == held.size());
      REQUIRE(subjects.size() == held.size() * g.subject_words());
      for (size_t i = 0; i < held.size(); ++i) {
        CAPTURE(v);
        CAPTURE(held[i]);
        const CategoryTrace trace = TraceCategory(g, v, held[i]);
        CHECK(records[i] == trace.records);
        std::vector<std::string> names;
        for (size_t k = 0; k < g.subject_count(); ++k) {
          if ((subjects[i * g.subject_words() + k / 64] >> (k % 64)) & 1u)
            names.push_back(g.SubjectName(static_cast<uint32_t>(k)));
        }
        CHECK(names == trace.subjects);
        ++checked;
        if (records[i] >= 0) ++known;
        if (!names.empty()) ++with_subjects;
      }
    }
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

// A big brief fills its compromised nodes on two threads (blast_radius.h); lowering the threshold runs that path on
// every brief of a small map, which must give exactly the one-thread brief.
TEST_CASE("briefs assembled on two threads equal the briefs assembled on one") {
  auto engine = Engine::FromModel(RandomMap(4000, 9));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  struct Threshold {  // restores the default however the test ends
    ~Threshold() { parallel_brief_nodes = kParallelBriefNodes; }
  } restore;
  size_t biggest = 0, compared = 0;
  for (uint32_t v = 0; v < g.node_count(); v += 20) {  // every 20th: the JSON of big briefs is slow under ASan
    CAPTURE(g.node(v).id);
    parallel_brief_nodes = SIZE_MAX;
    const BlastResult one = ComputeBlastRadius(g, {v}, {});
    parallel_brief_nodes = 1;
    const BlastResult two = ComputeBlastRadius(g, {v}, {});
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
    CHECK(one.hops == two.hops);  // the same edges of the model, in the same places
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
    parallel_brief_nodes = SIZE_MAX;
    const BlastResult one = ComputeBlastRadius(gg, {v}, {}, &memos);
    parallel_brief_nodes = 1;
    const BlastResult two = ComputeBlastRadius(gg, {v}, {}, &memos);
    CHECK(BlastToJson(one) == BlastToJson(two));
    composed_big += one.compromised.size() > 1024;
  }
  CHECK(composed_big > 0);
}

TEST_CASE("an engine warmed up memoises the big groups and its briefs compose them") {
  // A random map plus a ring of ten systems that control each other for certain, administering 4,500 more
  // (which hold data, and some of which read each other), entered by vendors and systems below likelihood 1.
  MapBuilder m;
  m.model = RandomMap(1200, 11, 5, true);
  const std::vector<std::string> cats = {"user.contact.email", "user.financial.credit_card", "system.operations"};
  for (int k = 0; k < 10; ++k) m.Node("ring" + std::to_string(k));
  for (int k = 0; k < 10; ++k) {
    m.Access("ring" + std::to_string(k), "ring" + std::to_string((k + 1) % 10), k % 2 ? Privilege::kAdmin : Privilege::kCode);
  }
  for (int i = 0; i < 4500; ++i) {
    const std::string id = "far" + std::to_string(i);
    m.Node(id);
    m.Stores(id, {cats[i % 3]}, i % 4 ? 100 * i : -1, {"subj" + std::to_string(i % 5)});
    m.Access("ring" + std::to_string(i % 10), id, i % 3 ? Privilege::kAdmin : Privilege::kRead, i % 7 ? 1.0 : 0.9);
    if (i % 5 == 0) m.Access(id, "far" + std::to_string((i * 31 + 7) % 4500), Privilege::kWrite, 0.5);
  }
  for (int k = 0; k < 40; ++k) {
    m.Access("v" + std::to_string(5 + k), "ring" + std::to_string(k % 10), Privilege::kCode, k % 2 ? 0.5 : 0.8);
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
  // A ranking builds the brief memos too (its memos of the groups come from them).
  auto other = Engine::FromModel(g.model());
  REQUIRE(other.ok());
  CHECK(other.value()->brief_memos() == nullptr);
  (void)other.value()->Rank();
  REQUIRE(other.value()->brief_memos());
  CHECK(other.value()->rank_memos() != nullptr);
  CHECK(other.value()->brief_memos()->groups() == e.brief_memos()->groups());
}

}  // namespace blastmap::query
