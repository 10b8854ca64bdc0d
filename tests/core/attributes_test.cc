// core::Attributes: a node's attributes as a 4-byte handle to an interned, immutable list of (key, values)
// pairs (docs/performance-changes.md, "Interned attributes (session 16)").
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/symbol_list.h"

namespace blastmap::core {
namespace {

std::vector<std::pair<std::string, std::vector<std::string>>> Entries(const Attributes& attrs) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& [key, values] : attrs) out.emplace_back(key.str(), ToStrings(values));
  return out;
}

using Want = std::vector<std::pair<std::string, std::vector<std::string>>>;

}  // namespace

TEST_CASE("equal attributes are one pooled list, however they were built") {
  Attributes a;
  a["type"] = {"service"};
  a["owner"] = {"team-7"};
  Attributes b = {{"owner", {"team-7"}}, {"type", {"service"}}};
  Attributes c;
  c.Append("type", "service");
  c.Set("owner", SymbolList{"team-7"});
  CHECK(sizeof(Attributes) == 4);
  CHECK(a == b);
  CHECK(b == c);
  CHECK(a.begin() == b.begin());  // the same entries, at the same address
  CHECK(a.begin() == c.begin());
  Attributes d = {{"owner", {"team-8"}}, {"type", {"service"}}};
  CHECK_FALSE(a == d);
  CHECK_FALSE(a == Attributes());
}

TEST_CASE("changing attributes copies on write: the other attributes that shared the list keep theirs") {
  Attributes a = {{"owner", {"team-1"}}, {"type", {"service"}}};
  Attributes b = a;
  const Attributes::value_type* shared = a.begin();
  b["owner"] = {"team-2"};
  b.Append("type", "database");
  b["tier"] = {"1"};
  CHECK(Entries(a) == Want{{"owner", {"team-1"}}, {"type", {"service"}}});
  CHECK(Entries(b) == Want{{"owner", {"team-2"}}, {"tier", {"1"}}, {"type", {"service", "database"}}});
  // The entries read before the change are still there, unchanged.
  CHECK(shared == a.begin());
  CHECK(shared[0].first == "owner");
  CHECK(ToStrings(shared[0].second) == std::vector<std::string>{"team-1"});
  CHECK(a.size() == 2);
  CHECK(b.size() == 3);
}

TEST_CASE("attributes read like a map ordered by key, the values in the order given") {
  Attributes attrs = {{"type", {"service"}}, {"country", {"US", "EU"}}, {"type", {"ignored"}}, {"notes", {}}};
  CHECK(Entries(attrs) == Want{{"country", {"US", "EU"}}, {"notes", {}}, {"type", {"service"}}});
  CHECK(attrs.size() == 3);
  CHECK_FALSE(attrs.empty());
  CHECK(attrs.count("country") == 1);
  CHECK(attrs.count("notes") == 1);  // a key without values is kept
  CHECK(attrs.count("tier") == 0);
  CHECK(attrs.find("tier") == attrs.end());
  REQUIRE(attrs.find("country") != attrs.end());
  CHECK(attrs.find("country")->first == "country");
  CHECK(ToStrings(attrs.at("country")) == std::vector<std::string>{"US", "EU"});
  CHECK_THROWS_AS(attrs.at("tier"), std::out_of_range);
  CHECK(attrs.Get("tier").empty());
  // Reading through operator[] neither adds the key nor changes the list.
  const Attributes before = attrs;
  CHECK(attrs["tier"].empty());
  const SymbolList& country = attrs["country"];
  CHECK(ToStrings(country) == std::vector<std::string>{"US", "EU"});
  CHECK(attrs == before);
  // Setting keys out of order keeps the key order; setting a key again replaces its values.
  Attributes built;
  for (const char* key : {"zone", "alpha", "mid", "alpha"}) built[key] = {std::string(key) + "-1", "x"};
  built["mid"] = std::vector<Symbol>{};
  CHECK(Entries(built) == Want{{"alpha", {"alpha-1", "x"}}, {"mid", {}}, {"zone", {"zone-1", "x"}}});
  // One proxy assigned to another assigns the values, not the proxy.
  built["copy"] = built["zone"];
  CHECK(ToStrings(built.at("copy")) == std::vector<std::string>{"zone-1", "x"});
  CHECK(Attributes().empty());
  CHECK(Attributes().size() == 0);
  CHECK(Attributes().begin() == Attributes().end());
}

TEST_CASE("attributes interned from several threads at once are one list each") {
  constexpr int kThreads = 4;
  constexpr int kSets = 2000;
  // Each thread builds the same sets, key by key in its own order, as loaders and importers do.
  auto build = [](int i, int t) {
    Attributes attrs;
    const std::string owner = "attrs-team-" + std::to_string(i % 700);
    const std::string type = i % 3 == 0 ? "service" : "database";
    if (t % 2 == 0) {
      attrs["owner"] = {owner};
      attrs["type"] = {type};
      attrs.Append("tags", "t" + std::to_string(i));
    } else {
      attrs.Append("tags", "t" + std::to_string(i));
      attrs["type"] = {type};
      attrs["owner"] = {owner};
    }
    return attrs;
  };
  std::vector<std::vector<Attributes>> seen(kThreads, std::vector<Attributes>(kSets));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSets; ++i) seen[t][i] = build(i, t);
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<const Attributes::value_type*> distinct;
  for (int i = 0; i < kSets; ++i) {
    CAPTURE(i);
    for (int t = 1; t < kThreads; ++t) CHECK(seen[t][i] == seen[0][i]);
    distinct.insert(seen[0][i].begin());
    CHECK(Entries(seen[0][i]) == Want{{"owner", {"attrs-team-" + std::to_string(i % 700)}},
                                      {"tags", {"t" + std::to_string(i)}},
                                      {"type", {i % 3 == 0 ? "service" : "database"}}});
  }
  CHECK(distinct.size() == kSets);
}

}  // namespace blastmap::core
