// Engine::Warm: the per-snapshot memos built while other threads already ask for briefs and rankings give
// the same answers as the plain search, before, during and after the build.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "query/blast_radius.h"
#include "query/brief_memo.h"
#include "query/rank.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {
namespace {

using core::Privilege;
using testing::MapBuilder;

// Everything of a brief that ties of equally likely paths cannot change: the nodes in order with their
// likelihoods, the exposure and the severity.
std::string Summary(const BlastResult& r) {
  std::string out;
  for (const auto& c : r.compromised)
    out += c.id() + "@" + std::to_string(c.likelihood) + (c.controlled ? "c " : " ");
  for (const auto& e : r.exposed)
    out += e.category() + ":" + std::to_string(e.likelihood) + ":" + std::to_string(e.records_sum) + " ";
  return out + std::to_string(r.severity.data);
}

TEST_CASE("briefs and rankings asked while the engine warms up equal the plain search's") {
  // Ten systems that control each other for certain, administering 4,200 more, entered by 30 vendors.
  MapBuilder m;
  const std::vector<std::string> cats = {"user.contact.email", "user.financial.credit_card",
                                         "system.operations"};
  for (int k = 0; k < 10; ++k) m.Node("ring" + std::to_string(k));
  for (int k = 0; k < 10; ++k)
    m.Access("ring" + std::to_string(k), "ring" + std::to_string((k + 1) % 10), Privilege::kAdmin);
  for (int i = 0; i < 4200; ++i) {
    const std::string id = "far" + std::to_string(i);
    m.Node(id);
    m.Stores(id, {cats[i % 3]}, 10 * i + 1);
    m.Access("ring" + std::to_string(i % 10), id, i % 4 ? Privilege::kAdmin : Privilege::kRead,
             i % 9 ? 1.0 : 0.8);
  }
  std::vector<std::string> vendors;
  for (int k = 0; k < 30; ++k) {
    vendors.push_back("v" + std::to_string(k));
    m.Node(vendors.back(), core::NodeKind::kVendor);
    m.Access(vendors.back(), "ring" + std::to_string(k % 10), Privilege::kCode, 0.5 + 0.01 * k);
    if (k % 3 == 0) m.Access(vendors.back(), "far" + std::to_string(k * 7), Privilege::kAdmin, 0.95);
  }
  auto engine = Engine::FromModel(std::move(m.model));
  REQUIRE(engine.ok());
  const Engine& e = *engine.value();
  std::vector<std::string> expected;
  for (const auto& v : vendors) {
    expected.push_back(
        Summary(ComputeBlastRadius(e.graph(), {static_cast<uint32_t>(e.graph().Find(v))}, {})));
  }
  RankOptions vendors_only;
  vendors_only.kind = core::NodeKind::kVendor;
  const RankResult plain_rank = RankNodesReference(e.graph(), vendors_only);

  std::vector<std::vector<std::string>> seen(3);
  std::vector<RankResult> ranks(2);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (const auto& v : vendors) seen[t].push_back(Summary(e.Blast({v}).take()));
      }
    });
  }
  for (size_t t = 0; t < ranks.size(); ++t) threads.emplace_back([&, t] { ranks[t] = e.Rank(vendors_only); });
  threads.emplace_back([&] { e.Warm(); });
  for (auto& th : threads) th.join();

  REQUIRE(e.brief_memos());
  CHECK(e.brief_memos()->groups() == 1);
  for (const auto& s : seen) {
    REQUIRE(s.size() == 3 * vendors.size());
    for (size_t i = 0; i < s.size(); ++i) CHECK(s[i] == expected[i % vendors.size()]);
  }
  for (const auto& r : ranks) {
    REQUIRE(r.rows.size() == vendors.size());
    REQUIRE(plain_rank.rows.size() == vendors.size());
    for (size_t i = 0; i < r.rows.size(); ++i) {
      CHECK(r.rows[i].id == plain_rank.rows[i].id);
      CHECK(r.rows[i].severity.data == plain_rank.rows[i].severity.data);
      CHECK(r.rows[i].exposed_nodes == plain_rank.rows[i].exposed_nodes);
    }
  }
  // Warmed, a brief composes the group's memo and still says the same.
  for (size_t i = 0; i < vendors.size(); ++i) CHECK(Summary(e.Blast({vendors[i]}).take()) == expected[i]);
}

}  // namespace
}  // namespace blastmap::query
