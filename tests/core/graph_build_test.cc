// The graph's id index (core/flat_index.h) and what Graph::Build resolves through it: node lookups, the
// id ranks, and the first unknown end reported as a declaration would be.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "core/flat_index.h"
#include "core/graph.h"

namespace blastmap::core {
namespace {

std::vector<std::string> RandomIds(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> ids;
  for (size_t i = 0; i < count; ++i) {
    std::string id;
    const size_t length = rng() % 24;  // empty, short (in the string) and long ids
    for (size_t k = 0; k < length; ++k) {
      id.push_back(static_cast<char>(rng() % 4 == 0 ? 'a' + rng() % 3 : rng() % 256));
    }
    ids.push_back(id);
  }
  return ids;
}

Model SmallModel() {
  Model m;
  Category c;
  c.key = "user";
  m.taxonomy.AddCategory(c);
  REQUIRE(m.taxonomy.Finalize().ok());
  for (const char* id : {"zeta", "alpha", "alphabet-soup-system", "alphabet-soup", "b", ""}) {
    Node n;
    n.id = id;
    m.nodes.push_back(n);
  }
  Flow& f = m.flows.emplace_back();
  f.from = "zeta";
  f.to = "alpha";
  f.categories = {"user"};
  f.where = {"flows.yaml", 3, 5};
  m.accesses.push_back({"b", "alphabet-soup", "", 1.0, "", {"access.yaml", 7, 2}, Privilege::kAdmin});
  m.holdings.push_back({"alphabet-soup-system", {"user"}, {}, {"stores.yaml", 2, 1}, 10});
  return m;
}

}  // namespace

TEST_CASE("the flat index finds every key it was built over, the first of repeated keys, and nothing else") {
  std::vector<std::string> ids = RandomIds(5000, 7);
  ids.push_back(ids[10]);  // repeated: the first position is kept
  auto key_of = [&](uint32_t i) { return std::string_view(ids[i]); };
  FlatIndex index;
  index.Build(static_cast<uint32_t>(ids.size()), key_of);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto first = std::find(ids.begin(), ids.end(), ids[i]) - ids.begin();
    REQUIRE(index.Find(ids[i], key_of) == first);
  }
  std::vector<std::string> others = RandomIds(3000, 8);
  std::vector<std::string_view> queries;
  for (const auto& id : ids) queries.push_back(id);
  for (const auto& id : others) queries.push_back(id);
  std::vector<int64_t> found(queries.size());
  index.FindMany(queries, found, key_of, [](uint32_t) {});
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto it = std::find(ids.begin(), ids.end(), queries[i]);
    REQUIRE(found[i] == (it == ids.end() ? -1 : it - ids.begin()));
    REQUIRE(index.Find(queries[i], key_of) == found[i]);
  }
  FlatIndex empty;
  CHECK(empty.Find("x", key_of) == -1);
  std::vector<int64_t> none(1, 0);
  std::vector<std::string_view> x = {"x"};
  empty.FindMany(x, none, key_of, [](uint32_t) {});
  CHECK(none[0] == -1);
}

TEST_CASE("the flat index packs position and hash bits into 4-byte slots at every width") {
  // A slot keeps position + 1 in bit_width(n) bits and hash bits above them: sizes on each side of a
  // power of two, where the position takes one bit more, find every key and no other.
  for (uint32_t n : {1u, 2u, 3u, 4u, 7u, 8u, 9u, 255u, 256u, 257u, 4095u, 4096u, 4097u}) {
    CAPTURE(n);
    std::vector<std::string> ids = RandomIds(n, n);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const auto count = static_cast<uint32_t>(ids.size());
    auto key_of = [&](uint32_t i) { return std::string_view(ids[i]); };
    FlatIndex index;
    index.Build(count, key_of);
    CHECK(index.HeapBytes() == std::bit_ceil(std::max<size_t>(size_t{count} * 2, 16)) * 4);
    for (uint32_t i = 0; i < count; ++i) REQUIRE(index.Find(ids[i], key_of) == i);
    for (const std::string& other : RandomIds(64, n + 1000)) {
      if (!std::binary_search(ids.begin(), ids.end(), other)) REQUIRE(index.Find(other, key_of) == -1);
    }
  }
}

TEST_CASE("a built graph finds nodes by id, ranks ids as strings order them and resolves every end") {
  auto g = Graph::Build(SmallModel());
  REQUIRE(g.ok());
  const Graph& graph = g.value();
  std::vector<std::string> sorted;
  for (uint32_t v = 0; v < graph.node_count(); ++v) {
    CHECK(graph.Find(graph.node(v).id) == v);
    sorted.push_back(graph.node(v).id);
  }
  CHECK(graph.Find("alphabet") == -1);
  CHECK(graph.Find("zet") == -1);
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t v = 0; v < graph.node_count(); ++v) {
    CHECK(sorted[graph.IdRank(v)] == graph.node(v).id);
  }
  CHECK(graph.FlowSource(0) == 0);
  CHECK(graph.FlowTarget(0) == 1);
  CHECK(graph.AccessSource(0) == 4);
  CHECK(graph.HoldingsOf(2).size() == 1);
  CHECK(graph.Held(1).Has(0));
  REQUIRE(graph.HeldValues(2).size() == 1);
  CHECK(graph.ValueRecords(graph.HeldValues(2)[0]) == 10);
}

TEST_CASE("the interned subjects' jurisdictions are sorted, distinct bits of their declarations") {
  Model m = SmallModel();
  m.holdings[0].subjects = {"staff", "customers"};
  m.flows[0].subjects = {"visitors", "customers"};  // visitors: named, never declared
  Subject customers, staff, unnamed;
  customers.id = "customers";
  customers.jurisdictions = {"US-CA", "EU", "UK"};
  staff.id = "staff";
  staff.jurisdictions = {"UK", "DE"};
  unnamed.id = "partners";  // declared, named by nothing: not interned, its jurisdiction neither
  unnamed.jurisdictions = {"JP"};
  m.subjects = {customers, staff, unnamed};
  auto g = Graph::Build(std::move(m));
  REQUIRE(g.ok());
  const Graph& graph = g.value();
  REQUIRE(graph.subject_count() == 3);
  CHECK(graph.SubjectName(0) == "customers");
  CHECK(graph.SubjectName(1) == "staff");
  CHECK(graph.SubjectName(2) == "visitors");
  REQUIRE(graph.jurisdiction_words() == 1);
  const std::vector<std::string> names = {"DE", "EU", "UK", "US-CA"};
  for (uint32_t b = 0; b < names.size(); ++b) CHECK(graph.JurisdictionName(b) == names[b]);
  auto spelled = [&](uint32_t k) {
    std::vector<std::string> out;
    ForEachBit(graph.SubjectJurisdictions(k), [&](int b) { out.push_back(graph.JurisdictionName(b)); });
    return out;
  };
  CHECK(spelled(0) == std::vector<std::string>{"EU", "UK", "US-CA"});
  CHECK(spelled(1) == std::vector<std::string>{"DE", "UK"});
  CHECK(spelled(2).empty());
}

TEST_CASE("a node stores the union of its holdings' categories; flows and holdings keep their own") {
  Model m = SmallModel();
  m.taxonomy = Taxonomy();
  for (const char* key : {"user", "contact", "health", "location"}) {
    Category c;
    c.key = key;
    m.taxonomy.AddCategory(c);
  }
  REQUIRE(m.taxonomy.Finalize().ok());
  const int user = m.taxonomy.Index("user"), health = m.taxonomy.Index("health");
  const int contact = m.taxonomy.Index("contact"), location = m.taxonomy.Index("location");
  m.holdings.push_back({"alphabet-soup-system", {"health", "user", "health"}, {}, {"stores.yaml", 4, 1}, 3});
  m.holdings.push_back({"b", {"location"}, {}, {"stores.yaml", 6, 1}, 1});
  m.flows[0].categories = {"location", "contact"};
  Flow star = m.flows[0];
  star.categories = {};
  star.forwards_all = true;
  star.from = "alphabet-soup-system";
  star.to = "zeta";
  m.flows.push_back(star);
  auto g = Graph::Build(std::move(m));
  REQUIRE(g.ok());
  const Graph& graph = g.value();
  CHECK(graph.Stored(2).Indices() == std::vector<int>{std::min(user, health), std::max(user, health)});
  CHECK(graph.Stored(4).Indices() == std::vector<int>{location});
  CHECK(graph.Stored(0).Empty());
  CHECK(graph.HoldingCategories(1).size() == 2);
  CHECK(graph.HoldingCategories(2).Has(location));
  CHECK(graph.FlowCategories(0).Indices() ==
        std::vector<int>{std::min(location, contact), std::max(location, contact)});
  CHECK(graph.FlowCategories(1).Empty());
  // held: zeta gets what alphabet-soup-system holds through "*", alpha what zeta's flow names.
  CHECK(graph.Held(0).Indices() == graph.Stored(2).Indices());
  CHECK(graph.Held(1).Indices() == graph.FlowCategories(0).Indices());
}

TEST_CASE("every member of a cycle of '*' flows, and what it forwards to, holds the cycle's traced values") {
  // zeta -> alpha -> b -> zeta forward everything: one component, its values kept per member beside the
  // member's own held row; alphabet-soup is downstream of it.
  Model m = SmallModel();
  m.holdings.push_back({"alpha", {"user"}, {}, {"stores.yaml", 8, 1}, 7});
  m.holdings.push_back({"b", {"user"}, {}, {"stores.yaml", 9, 1}, 12});
  for (auto [from, to] :
       {std::pair{"zeta", "alpha"}, {"alpha", "b"}, {"b", "zeta"}, {"b", "alphabet-soup"}}) {
    Flow star = m.flows[0];
    star.categories = {};
    star.forwards_all = true;
    star.from = from;
    star.to = to;
    m.flows.push_back(star);
  }
  auto g = Graph::Build(std::move(m));
  REQUIRE(g.ok());
  const Graph& graph = g.value();
  for (uint32_t v : {0u, 1u, 4u, 3u}) {  // zeta, alpha, b, alphabet-soup
    CAPTURE(v);
    REQUIRE(graph.HeldValues(v).size() == 1);
    CHECK(graph.ValueRecords(graph.HeldValues(v)[0]) == 12);
  }
  REQUIRE(graph.HeldValues(2).size() == 1);  // alphabet-soup-system: its own store only
  CHECK(graph.ValueRecords(graph.HeldValues(2)[0]) == 10);
  CHECK(graph.HeldValues(5).empty());
}

TEST_CASE("every access keeps its privilege and cost, however many distinct likelihoods there are") {
  for (size_t distinct : {1u, 5u, 63u, 64u, 200u}) {
    CAPTURE(distinct);
    Model m = SmallModel();
    const Access first = m.accesses.front();
    m.accesses.clear();
    std::vector<double> likelihoods;
    for (size_t i = 0; i < 3 * distinct + 7; ++i) {
      Access a = first;
      // Repeated likelihoods (one in three comes back), 1 and 0 among them, privileges in turn.
      const size_t k = i % 3 == 2 ? i / 7 % distinct : i / 3 % distinct;
      a.likelihood = k == 0 ? 1.0 : k == 1 ? 0.0 : 1.0 / (1.0 + static_cast<double>(k));
      a.privilege = static_cast<Privilege>(i % 4);
      m.accesses.push_back(a);
      likelihoods.push_back(a.likelihood);
    }
    auto g = Graph::Build(std::move(m));
    REQUIRE(g.ok());
    const Graph& graph = g.value();
    for (uint32_t i = 0; i < likelihoods.size(); ++i) {
      CAPTURE(i);
      CHECK(graph.AccessCost(i) == CostOf(likelihoods[i]));
      CHECK(graph.AccessPrivilege(i) == static_cast<Privilege>(i % 4));
      CHECK(graph.AccessSource(i) == 4);
    }
  }
}

TEST_CASE("the first end naming no node is the error, at its declaration") {
  {
    Model m = SmallModel();
    m.flows.push_back(m.flows[0]);
    m.flows[1].to = "nobody";
    m.flows[1].where = {"flows.yaml", 9, 4};
    m.accesses[0].from = "nobody-else";
    auto g = Graph::Build(std::move(m));
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().message() == "flows.yaml:9:4: unknown node 'nobody'");
  }
  {
    Model m = SmallModel();
    m.accesses[0].to = "alphabet";
    auto g = Graph::Build(std::move(m));
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().message() == "access.yaml:7:2: unknown node 'alphabet'");
  }
  {
    // In declaration order: a holding's unknown category before a later holding's unknown node.
    Model m = SmallModel();
    m.holdings[0].categories = {"nothing"};
    m.holdings.push_back({"ghost", {"user"}, {}, {"stores.yaml", 5, 1}, 1});
    auto g = Graph::Build(std::move(m));
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().message() == "stores.yaml:2:1: unknown category 'nothing'");
    Model m2 = SmallModel();
    m2.holdings.push_back({"ghost", {"user"}, {}, {"stores.yaml", 5, 1}, 1});
    auto g2 = Graph::Build(std::move(m2));
    REQUIRE_FALSE(g2.ok());
    CHECK(g2.status().message() == "stores.yaml:5:1: unknown node 'ghost'");
    Model m3 = SmallModel();
    m3.flows[0].categories = {"user", "nothing-either"};
    auto g3 = Graph::Build(std::move(m3));
    REQUIRE_FALSE(g3.ok());
    CHECK(g3.status().message() == "flows.yaml:3:5: unknown category 'nothing-either'");
  }
}

TEST_CASE("each category's row of related sensitive categories holds exactly those related to it") {
  Model m = SmallModel();
  m.taxonomy = Taxonomy();
  // Restricted and confidential categories at every depth, some held and some not; Finalize makes the
  // parents from the dotted keys.
  const std::pair<const char*, Sensitivity> keys[] = {{"user", Sensitivity::kInternal},
                                                      {"user.contact", Sensitivity::kConfidential},
                                                      {"user.contact.email", Sensitivity::kRestricted},
                                                      {"user.contact.phone", Sensitivity::kConfidential},
                                                      {"user.health", Sensitivity::kRestricted},
                                                      {"user.health.genetic", Sensitivity::kRestricted},
                                                      {"system", Sensitivity::kConfidential},
                                                      {"system.logs", Sensitivity::kInternal}};
  for (const auto& [key, level] : keys) {
    Category c;
    c.key = key;
    c.declared_sensitivity = level;
    m.taxonomy.AddCategory(c);
  }
  REQUIRE(m.taxonomy.Finalize().ok());
  m.flows[0].categories = {"user.contact.phone"};
  m.holdings = {
      {"alphabet-soup-system", {"user.contact.email", "user.health"}, {}, {"stores.yaml", 2, 1}, 10},
      {"b", {"system.logs", "system"}, {}, {"stores.yaml", 3, 1}, 1}};
  auto built = Graph::Build(std::move(m));
  REQUIRE(built.ok());
  const Graph& g = built.value();
  const Taxonomy& t = g.taxonomy();
  // Held somewhere and sensitive, the restricted first, then in key order: email and health, then system
  // and phone; not user.contact nor user.health.genetic, which nobody holds.
  std::vector<std::string> candidates;
  for (int c : g.SensitiveHeld()) candidates.push_back(t.at(c).key);
  CHECK(candidates ==
        std::vector<std::string>{"user.contact.email", "user.health", "system", "user.contact.phone"});
  REQUIRE(g.sensitive_words() == 1);
  size_t related = 0;
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    const std::span<const uint64_t> row = g.RelatedSensitive(c);
    REQUIRE(row.size() == 1);
    for (size_t k = 0; k < g.SensitiveHeld().size(); ++k) {
      CAPTURE(t.at(c).key);
      CAPTURE(k);
      const bool bit = (row[0] >> k) & 1;
      CHECK(bit == t.Related(g.SensitiveHeld()[k], c));
      related += bit;
    }
    CHECK((row[0] >> g.SensitiveHeld().size()) == 0);  // no bit past the candidates
  }
  CHECK(related > 4);  // ancestors and descendants as well as each candidate itself
}

}  // namespace blastmap::core
