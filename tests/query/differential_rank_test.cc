// Differential tests of ranking: the shared-work ranking (its memos of hubs and likelihood-1 groups, built
// once per engine, on one or more threads) gives exactly the rows of the simple reference, one full blast
// radius per vendor, on generated maps (tests/query/differential.h). The brief's: differential_brief_test.cc.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "query/blast_radius.h"
#include "query/brief_memo.h"
#include "query/cancel.h"
#include "query/engine.h"
#include "query/rank.h"
#include "query/rank_memos.h"
#include "query/rank_shared.h"
#include "tests/query/differential.h"

namespace blastmap::query {

using core::Privilege;
using differential::CheckSameRow;
using differential::CheckSameRows;
using differential::RandomMap;

// The engine of a map's model.
std::unique_ptr<Engine> EngineOf(core::Model model) {
  auto engine = Engine::FromModel(std::move(model));
  REQUIRE(engine.ok());
  return engine.take();
}

// What the tests of the shared ranking below compare against, over the engine of a map it builds: every node
// of its graph, the reference ranking's rows by id, and brief memos with every likelihood-1 group memoised
// (however little it reaches).
struct EveryNodeReference {
  explicit EveryNodeReference(core::Model model)
      : engine(EngineOf(std::move(model))), g(engine->graph()), brief(BriefMemos::Build(g, 1)) {
    RankOptions all;
    all.kind = std::nullopt;
    reference = RankNodesReference(g, all);
    for (const auto& row : reference.rows) by_id[row.id] = &row;
    nodes.resize(g.node_count());
    for (uint32_t v = 0; v < g.node_count(); ++v) nodes[v] = v;
  }
  EveryNodeReference(const EveryNodeReference&) = delete;  // by_id points into reference
  EveryNodeReference& operator=(const EveryNodeReference&) = delete;

  // The brief memos when `from_brief`, else null (memos built without them).
  const BriefMemos* BriefIf(bool from_brief) const { return from_brief ? &brief : nullptr; }

  // One row per node, each the reference's.
  void Check(const std::vector<RankRow>& rows) const {
    REQUIRE(rows.size() == nodes.size());
    for (const RankRow& a : rows) {
      INFO(a.id);
      CheckSameRow(a, *by_id.at(a.id));
    }
  }

  std::unique_ptr<Engine> engine;
  const core::Graph& g;
  BriefMemos brief;
  RankResult reference;
  std::map<std::string, const RankRow*> by_id;
  std::vector<uint32_t> nodes;
};

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
  // 150 subjects: the jurisdictions come from subject rows of three words (Graph::ValueSubjects).
  auto engine = Engine::FromModel(RandomMap(600, 9, 150));
  REQUIRE(engine.ok());
  CheckSameRows(RankNodes(engine.value()->graph(), {}), RankNodesReference(engine.value()->graph(), {}));
}

TEST_CASE(
    "a rank row carries its candidate's own brief figures: id, name, kind, severity and level, counts") {
  // The rows are narrow (RankRow: a Symbol, a Text, a static level name, 32-bit counts); both ways of
  // ranking fill them alike, so they are held here to the brief of each candidate itself.
  auto engine = Engine::FromModel(RandomMap(600, 5));
  REQUIRE(engine.ok());
  const Engine& e = *engine.value();
  RankOptions all;
  all.kind = std::nullopt;
  for (const RankResult& ranked : {RankNodes(e.graph(), all), RankNodesReference(e.graph(), all)}) {
    REQUIRE(ranked.rows.size() == e.graph().node_count());
    std::map<std::string, size_t> levels;
    for (const RankRow& row : ranked.rows) {
      const int64_t found = e.graph().Find(row.id);
      REQUIRE(found >= 0);
      const uint32_t v = static_cast<uint32_t>(found);
      const core::Node& node = e.graph().node(v);
      CHECK(row.name == node.name);
      CHECK(row.kind == node.kind);
      const BlastResult brief = ComputeBlastRadius(e.graph(), {v}, all.blast);
      CAPTURE(row.id);
      CHECK(row.severity.score == brief.severity.score);
      CHECK(row.severity.level == brief.severity.level);
      CHECK(row.severity.data == brief.severity.data);
      CHECK(row.severity.volume == brief.severity.volume);
      CHECK(row.severity.jurisdiction == brief.severity.jurisdiction);
      CHECK(row.exposed_nodes == brief.compromised.size());
      CHECK(row.categories == brief.exposed.size());
      size_t restricted = 0;
      for (const auto& c : brief.exposed) restricted += c.sensitivity == core::Sensitivity::kRestricted;
      CHECK(row.restricted == restricted);
      ++levels[std::string(row.severity.level)];
    }
    CHECK(levels.size() >= 3);  // the rows span several levels, so a wrong level name shows
  }
}

TEST_CASE("a ranking lists every candidate once in the metric's order, and a limit keeps its first rows") {
  auto engine = Engine::FromModel(RandomMap(2000, 4));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  for (auto by : {RankMetric::kSeverity, RankMetric::kRecords, RankMetric::kRestricted, RankMetric::kReach}) {
    CAPTURE(static_cast<int>(by));
    RankOptions options;
    options.by = by;
    const RankResult full = RankNodes(g, options);
    std::vector<std::string> ids, vendors;
    for (const auto& row : full.rows) ids.push_back(row.id);
    for (uint32_t v = 0; v < g.node_count(); ++v) {
      if (g.node(v).kind == core::NodeKind::kVendor) vendors.push_back(g.node(v).id);
    }
    std::sort(ids.begin(), ids.end());
    std::sort(vendors.begin(), vendors.end());
    REQUIRE(ids == vendors);
    auto primary = [&](const RankRow& r) {
      switch (by) {
        case RankMetric::kSeverity: return r.severity.score;
        case RankMetric::kRecords: return static_cast<double>(r.records);
        case RankMetric::kRestricted: return static_cast<double>(r.restricted);
        case RankMetric::kReach: return static_cast<double>(r.controlled);
      }
      return 0.0;
    };
    for (size_t i = 1; i < full.rows.size(); ++i) {
      const RankRow &a = full.rows[i - 1], &b = full.rows[i];
      const auto key = [&](const RankRow& r) {
        return std::make_tuple(-primary(r), -r.severity.score, -r.records, std::string_view(r.id));
      };
      REQUIRE(key(a) < key(b));
    }
    options.limit = 7;
    const RankResult top = RankNodes(g, options);
    CHECK(top.candidates == full.rows.size());
    REQUIRE(top.rows.size() == 7);
    for (size_t i = 0; i < top.rows.size(); ++i) CheckSameRow(top.rows[i], full.rows[i]);
  }
}

TEST_CASE("shared ranking memoises hubs and likelihood-1 groups, entered below likelihood 1 too, exactly") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    // Every node: hubs and group members are ranked from their own memos. The groups' memos also come from
    // the brief memos.
    const EveryNodeReference every(RandomMap(2000, seed, 5, true));
    const core::Graph& g = every.g;
    const std::vector<uint32_t>& vendors = every.nodes;
    for (unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(threads);
      SharedRankStats stats;
      std::vector<RankRow> rows =
          threads < 3 ? SharedRankRows(g, vendors, threads, &stats)
                      : SharedRankRows(*BuildRankMemos(g, 2, &stats, &every.brief), vendors, 2);
      if (threads == 3) CHECK(stats.from_brief == every.brief.groups());
      // Both kinds of memo are in play: the comparison below covers vendors stopping at them.
      CHECK(stats.groups > 0);
      CHECK(stats.grouped >= stats.groups * 8);
      CHECK(stats.hubs > 0);
      every.Check(rows);
    }
  }
}

// A random map with a cluster on top: 30 vendor hubs, each with admin on 12 systems, that control each
// other through s0 (hub -> s0 -> hub), so they are one pivot component with s0's; all of them reach a
// chain of 60 systems, so no other memoised component is at their level. Its units are then memoised two
// at a time (BuildMemos' batches), and vendors holding tokens on the hubs stop at those memos.
core::Model HubClusterMap(uint32_t seed) {
  testing::MapBuilder m;
  m.model = RandomMap(2000, seed, 5, true);
  std::mt19937 rng(seed);
  auto system = [&] { return "s" + std::to_string(rng() % 1500); };
  const std::vector<std::string> cats = {"user.contact.email", "user.financial.credit_card",
                                         "user.health_and_medical", "system.authentication"};
  for (int i = 0; i < 60; ++i) {
    m.Node("chain" + std::to_string(i));
    m.Stores("chain" + std::to_string(i), {cats[i % 4]}, 1000 * i);
    if (i > 0) m.Access("chain" + std::to_string(i - 1), "chain" + std::to_string(i), Privilege::kAdmin, 0.9);
  }
  const std::vector<double> likelihoods = {1.0, 0.9, 0.5};
  for (int i = 0; i < 30; ++i) {
    const std::string hub = "hub" + std::to_string(i);
    m.Node(hub, core::NodeKind::kVendor);
    for (int k = 0; k < 12; ++k) m.Access(hub, system(), Privilege::kAdmin, likelihoods[(i + k) % 3]);
    m.Access(hub, "s0", Privilege::kCode, 0.5);
    m.Access("s0", hub, Privilege::kAdmin, likelihoods[i % 3]);
    m.Access(hub, "chain0", Privilege::kAdmin, 0.9);
    m.Access(hub, system(), Privilege::kRead);
  }
  for (int i = 0; i < 40; ++i) {
    const std::string vendor = "token" + std::to_string(i);
    m.Node(vendor, core::NodeKind::kVendor);
    m.Access(vendor, "hub" + std::to_string(rng() % 30), i % 2 ? Privilege::kAdmin : Privilege::kCode,
             likelihoods[i % 3]);
    if (i % 3 == 0) m.Access(vendor, "hub" + std::to_string(rng() % 30), Privilege::kAdmin, 0.5);
  }
  return std::move(m.model);
}

TEST_CASE(
    "shared ranking memoises the hubs of a pivot component alone at its level on two threads, exactly") {
  for (uint32_t seed : {4u, 5u}) {
    CAPTURE(seed);
    const EveryNodeReference every(HubClusterMap(seed));
    for (bool from_brief : {false, true}) {
      CAPTURE(from_brief);
      SharedRankStats stats;
      std::vector<RankRow> rows =
          SharedRankRows(*BuildRankMemos(every.g, 2, &stats, every.BriefIf(from_brief)), every.nodes, 2);
      CHECK(stats.batched >= 28);
      every.Check(rows);
      // Ranked while the memos are built (one thread ranks the nodes in order, leaving those that stop at a
      // memo not built yet for the end), a few times: the rows are the same whatever the two threads' timing.
      size_t while_building = 0;
      for (int run = 0; run < 4; ++run) {
        SharedRankStats overlapped;
        std::shared_ptr<const RankMemos> built;
        rows = SharedRankRows(every.g, every.nodes, 2, &overlapped, every.BriefIf(from_brief), &built);
        while_building += overlapped.ranked_while_building;
        CHECK(built != nullptr);
        every.Check(rows);
        // The memos it kept rank alike afterwards.
        rows = SharedRankRows(*built, every.nodes, 2);
        every.Check(rows);
      }
      MESSAGE("rows ranked while the memos were built, in 4 runs: " << while_building);
    }
  }
}

TEST_CASE("a one-shot ranking whose pass ends before the memos lends its thread to the memos left, exactly") {
  // Every memo's build slowed, so the ranking thread goes through every candidate first (leaving most of
  // them for the end) and then builds memos too: within levels of several components and in the batches
  // of the hub cluster's component, alone at its level; with three threads, beside two builders.
  rank_memos::SetBuildDelayForTesting(std::chrono::milliseconds(2));
  struct Undelay {
    ~Undelay() { rank_memos::SetBuildDelayForTesting({}); }
  } undelay;
  for (uint32_t seed : {4u, 6u}) {
    CAPTURE(seed);
    const EveryNodeReference every(HubClusterMap(seed));
    for (unsigned threads : {2u, 3u}) {
      for (bool from_brief : {false, true}) {
        CAPTURE(threads);
        CAPTURE(from_brief);
        SharedRankStats stats;
        std::shared_ptr<const RankMemos> built;
        std::vector<RankRow> rows =
            SharedRankRows(every.g, every.nodes, threads, &stats, every.BriefIf(from_brief), &built);
        MESSAGE("memos " << stats.set_memos << ", built on the ranking thread's share " << stats.helped
                         << ", rows ranked while building " << stats.ranked_while_building);
        CHECK(stats.helped > 0);
        every.Check(rows);
        rows = SharedRankRows(*built, every.nodes, 2);
        every.Check(rows);
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

}  // namespace blastmap::query
