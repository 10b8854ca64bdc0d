// What the differential tests share: a generator of random maps with the shapes that matter, and checks that
// two briefs, or two rankings, say exactly the same. differential_brief_test.cc and differential_rank_test.cc
// hold the fast paths to the simple reference (tests/query/reference_blast.h) with them.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/likelihood.h"
#include "query/access_path.h"
#include "query/blast_radius.h"
#include "query/rank.h"
#include "tests/query/map_builder.h"
#include "tests/query/reference_blast.h"

namespace blastmap::query::differential {

using core::Privilege;
using testing::MapBuilder;

// A random map with the shapes that matter: power-law fan-out, "*" chains with cycles, hubs with admin on
// many systems, vendors holding tokens on hubs, likelihoods below 1, read/write edges, records and subjects.
// `subject_count` subjects (jurisdictions cycling through five sets); more than 64 makes the per-snapshot
// subject bit rows (Graph::ValueSubjects) several words wide. With `groups`, also rings of systems that
// control each other with likelihood 1 (memoised as groups by shared ranking), entered by vendors and
// systems with likelihoods below 1.
inline core::Model RandomMap(uint32_t nodes, uint32_t seed, uint32_t subject_count = 5, bool groups = false) {
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
      m.Access(sys(first + k), sys(first + (k + 1) % size), k % 2 ? Privilege::kAdmin : Privilege::kCode,
               1.0);
    }
    for (uint32_t k = 0; k < 12; ++k) {
      m.Access(ven(hubs + pick(vendors - hubs)), sys(first + pick(size)), Privilege::kCode,
               chance(0.5) ? 0.3 : 0.8);
      m.Access(sys(pick(systems)), sys(first + pick(size)), Privilege::kAdmin, 0.9);
    }
  }
  return std::move(m.model);
}

inline void CheckSameRow(const RankRow& a, const RankRow& b) {
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

inline void CheckSameRows(const RankResult& fast, const RankResult& reference) {
  REQUIRE(fast.rows.size() == reference.rows.size());
  CHECK(fast.candidates == reference.candidates);
  for (size_t i = 0; i < fast.rows.size(); ++i) {
    INFO("row " << i << ": " << fast.rows[i].id << " vs " << reference.rows[i].id);
    CheckSameRow(fast.rows[i], reference.rows[i]);
  }
}

// The same hops, read through each brief's graph (they may be two graphs of one map).
inline void CheckSameHops(const BlastResult& ra, const std::vector<FlowHop>& a, const BlastResult& rb,
                          const std::vector<FlowHop>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const HopText x = ReadHop(*ra.source, a[i]), y = ReadHop(*rb.source, b[i]);
    CHECK(x.kind == y.kind);
    CHECK(x.from == y.from);
    CHECK(x.to == y.to);
    CHECK(x.categories == y.categories);
    CHECK(x.where.ToString() == y.where.ToString());
  }
}

// The paths rebuilt from the compact brief (query/access_path.h) against the reference's full paths.
inline void CheckSamePaths(const BlastResult& a, const std::vector<reference::FullPath>& paths) {
  REQUIRE(a.compromised.size() == paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    INFO("node " << a.compromised[i].id());
    CHECK(PathOf(a, i) == paths[i].path);
    const std::vector<AccessHop> hops = HopsOf(a, i);
    CHECK(HopCount(a, i) == hops.size());
    REQUIRE(hops.size() == paths[i].hops.size());
    for (size_t h = 0; h < hops.size(); ++h) {
      const AccessHop &x = hops[h], &y = paths[i].hops[h];
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
inline void CheckSameNode(const CompromisedNode& x, const CompromisedNode& y, bool same_via = true) {
  REQUIRE(x.id() == y.id());
  CHECK(x.name() == y.name());
  CHECK(x.kind() == y.kind());
  CHECK(x.likelihood == y.likelihood);
  if (same_via) CHECK(x.via == y.via);
  CHECK(x.controlled == y.controlled);
  CHECK(x.integrity == y.integrity);
}

// Everything two briefs say but the access paths: nodes (in order), exposure, provenance, severity.
inline void CheckSameBriefButPaths(const BlastResult& a, const BlastResult& b, bool same_via = true) {
  CHECK(a.seeds == b.seeds);
  REQUIRE(a.compromised.size() == b.compromised.size());
  for (size_t i = 0; i < a.compromised.size(); ++i)
    CheckSameNode(a.compromised[i], b.compromised[i], same_via);
  REQUIRE(a.exposed.size() == b.exposed.size());
  for (size_t i = 0; i < a.exposed.size(); ++i) {
    const auto &x = a.exposed[i], &y = b.exposed[i];
    REQUIRE(x.category() == y.category());
    CHECK(x.index == y.index);
    CHECK(x.holders == y.holders);
    CHECK(HolderIds(a, x) == HolderIds(b, y));
    CHECK(x.likelihood == y.likelihood);
    CHECK(x.records_max == y.records_max);
    CHECK(x.records_sum == y.records_sum);
    CHECK(x.subjects == y.subjects);
    CHECK(x.jurisdictions() == y.jurisdictions());
    CheckSameHops(a, x.provenance, b, y.provenance);
  }
  REQUIRE(a.not_exposed_sensitive.size() == b.not_exposed_sensitive.size());
  for (size_t i = 0; i < a.not_exposed_sensitive.size(); ++i) {
    CHECK(a.not_exposed_sensitive[i].category() == b.not_exposed_sensitive[i].category());
    CHECK(a.not_exposed_sensitive[i].held_at() == b.not_exposed_sensitive[i].held_at());
  }
  CHECK(a.severity.score == b.severity.score);
  CHECK(a.severity.level == b.severity.level);
  CHECK(a.severity.data == b.severity.data);
}

inline void CheckSameBrief(const BlastResult& a, const BlastResult& b,
                           const std::vector<reference::FullPath>& paths) {
  CheckSamePaths(a, paths);
  CheckSameBriefButPaths(a, b);
}

// Every compromised node's path is a most likely one: it starts at a seed, its hops chain up to the node,
// the likelihoods of its edges multiply (add, as costs) to the node's, and `via` names its last edge.
inline void CheckMostLikelyPaths(const BlastResult& r) {
  for (size_t i = 0; i < r.compromised.size(); ++i) {
    const CompromisedNode& c = r.compromised[i];
    INFO("node " << c.id());
    const std::vector<AccessHop> hops = HopsOf(r, i);
    if (hops.empty()) {
      CHECK(c.via == Via::kSeed);
      CHECK(std::find(r.seeds.begin(), r.seeds.end(), c.id()) != r.seeds.end());
      continue;
    }
    CHECK(std::find(r.seeds.begin(), r.seeds.end(), hops.front().from) != r.seeds.end());
    core::LikelihoodCost cost = 0;
    for (size_t h = 0; h < hops.size(); ++h) {
      if (h + 1 < hops.size()) CHECK(hops[h].to == hops[h + 1].from);
      if (h + 1 < hops.size()) CHECK(core::Pivots(hops[h].privilege));
      cost = core::AddCost(cost, core::CostOf(hops[h].likelihood));
    }
    CHECK(hops.back().to == c.id());
    CHECK(core::LikelihoodOf(cost) == c.likelihood);
    CHECK(c.via == reference::ViaOf(hops.back().privilege));
  }
}

}  // namespace blastmap::query::differential
