// rank, who-holds and paths on small hand-made maps.
#include <doctest/doctest.h>

#include "tests/query/map_builder.h"

namespace blastmap::query {

using core::NodeKind;
using core::Privilege;
using testing::MapBuilder;

namespace {
std::unique_ptr<Engine> EngineOf(const MapBuilder& m) {
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  return engine.take();
}
}  // namespace

TEST_CASE("rank orders vendors by severity, and by records, restricted data or reach when asked") {
  MapBuilder m;
  m.Node("app").Node("db").Node("cards", NodeKind::kVendor).Node("emails", NodeKind::kVendor);
  m.Node("idp", NodeKind::kVendor);
  m.Flow("app", "cards", {"user.financial.credit_card"}, 1000);
  m.Flow("app", "emails", {"user.contact.email"}, 5000000);
  m.Stores("db", {"user.name"}, 10);
  m.Access("idp", "app", Privilege::kAdmin).Access("idp", "db", Privilege::kAdmin);
  auto engine = EngineOf(m);
  RankResult by_severity = engine->Rank();
  REQUIRE(by_severity.rows.size() == 3);  // vendors only
  CHECK(by_severity.rows[0].id == "cards");
  CHECK(by_severity.rows[0].restricted == 1);
  RankOptions options;
  options.by = RankMetric::kRecords;
  CHECK(engine->Rank(options).rows[0].id == "emails");
  options.by = RankMetric::kReach;
  CHECK(engine->Rank(options).rows[0].id == "idp");
  CHECK(engine->Rank(options).rows[0].controlled == 3);
  options.kind = std::nullopt;
  options.limit = 2;
  RankResult all = engine->Rank(options);
  CHECK(all.candidates == 5);
  CHECK(all.rows.size() == 2);
}

TEST_CASE("who-holds matches the category along the hierarchy and names the vendors that would expose it") {
  MapBuilder m;
  m.Node("app")
      .Node("crm")
      .Node("v", NodeKind::kVendor)
      .Node("w", NodeKind::kVendor)
      .Node("x", NodeKind::kVendor);
  m.Stores("crm", {"user.contact"});
  m.Flow("app", "v", {"user.contact.email"});
  m.Flow("app", "w", {"user.contact.phone_number"});
  m.Access("x", "crm", Privilege::kRead, 0.4);
  auto engine = EngineOf(m);
  auto r = engine->WhoHolds("user.contact.email");
  REQUIRE(r.ok());
  std::vector<std::string> holders;
  for (const auto& h : r.value().holders) holders.push_back(h.id);
  CHECK(holders == std::vector<std::string>{"crm", "v"});  // crm holds the parent; w only a sibling
  REQUIRE(r.value().exposed_by.size() == 2);
  CHECK(r.value().exposed_by[0].id == "v");
  CHECK(r.value().exposed_by[1].id == "x");
  CHECK(r.value().exposed_by[1].likelihood == doctest::Approx(0.4));
  auto unknown = engine->WhoHolds("user.contact.emial");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message() ==
        "unknown category 'user.contact.emial' (did you mean 'user.contact.email'?)");
}

TEST_CASE("paths come shortest first, over flows and access edges, and honour the edge kind") {
  MapBuilder m;
  m.Node("a").Node("b").Node("c").Node("d");
  m.Flow("a", "b", {"user.name"}).Flow("b", "c", {"*"}).Flow("c", "d", {"user.name"});
  m.Access("a", "d", Privilege::kAdmin).Access("b", "d", Privilege::kRead);
  auto engine = EngineOf(m);
  auto both = engine->Paths("a", "d");
  REQUIRE(both.ok());
  REQUIRE(both.value().paths.size() == 3);
  CHECK(both.value().paths[0].size() == 1);
  CHECK(both.value().paths[0][0].access);
  CHECK(both.value().paths[1].size() == 2);
  CHECK(both.value().paths[2].size() == 3);
  CHECK(both.value().paths[2][1].categories == std::vector<std::string>{"*"});
  PathOptions flows;
  flows.edges = PathEdges::kFlows;
  auto only_flows = engine->Paths("a", "d", flows);
  REQUIRE(only_flows.value().paths.size() == 1);
  CHECK(only_flows.value().paths[0].size() == 3);
  PathOptions short_paths;
  short_paths.max_length = 2;
  CHECK(engine->Paths("a", "d", short_paths).value().paths.size() == 2);
  CHECK(engine->Paths("d", "a").value().paths.empty());
  CHECK_FALSE(engine->Paths("a", "zz").ok());
}

}  // namespace blastmap::query
