#include "core/symbol.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/model.h"

namespace blastmap::core {

TEST_CASE("equal strings intern to the same Symbol, different strings to different ones") {
  const std::string text = "tree/systems/s000001.yaml";
  Symbol a(text);
  Symbol b(std::string_view("tree/systems/s000001.yaml"));
  Symbol c("tree/systems/s000001.yaml");
  Symbol d("tree/systems/s000002.yaml");
  CHECK(a.data() == b.data());
  CHECK(b.data() == c.data());
  CHECK(a == b);
  CHECK(a != d);
  CHECK(a.data() != text.data());  // the pool's copy, not the caller's
  CHECK(a.str() == text);
  CHECK(a.size() == text.size());
  CHECK(std::string(a.c_str()) == text);
  const std::string& as_string = a;
  CHECK(&as_string == &a.str());
  std::string_view as_view = a;
  CHECK(as_view == text);
}

TEST_CASE("the default Symbol and the interned empty string are the same empty Symbol") {
  Symbol none;
  Symbol empty("");
  CHECK(none.empty());
  CHECK(none.size() == 0);
  CHECK(none == empty);
  CHECK(none.data() == empty.data());
  CHECK(none == "");
  CHECK(none.str().empty());
  CHECK(std::string(none.c_str()).empty());
  CHECK(Symbol("x") != none);
}

TEST_CASE("Symbols compare with Symbols and strings in the strings' order") {
  Symbol apple("apple"), banana("banana");
  CHECK(apple < banana);
  CHECK(banana > apple);
  CHECK(apple <= Symbol("apple"));
  CHECK(apple == std::string("apple"));
  CHECK(std::string("apple") == apple);
  CHECK(apple == std::string_view("apple"));
  CHECK(apple == "apple");
  CHECK("apple" == apple);
  CHECK(apple != "apples");
  CHECK(apple < std::string("apples"));
  CHECK(std::string("b") > apple);
  CHECK(apple < "b");
  // A Symbol created after another still orders by text, not by address.
  Symbol aardvark("aardvark");
  std::vector<Symbol> v = {banana, apple, aardvark};
  std::sort(v.begin(), v.end());
  CHECK(v == std::vector<Symbol>{"aardvark", "apple", "banana"});
  std::set<Symbol> s(v.begin(), v.end());
  CHECK(s.begin()->str() == "aardvark");
}

TEST_CASE("Symbols concatenate, print, hash and look up like the strings they replace") {
  Symbol id("s1");
  CHECK(id + "/x" == "s1/x");
  CHECK("node '" + id + "'" == "node 's1'");
  CHECK(std::string("a") + id == "as1");
  CHECK(id + std::string("b") == "s1b");
  CHECK(id + ':' == "s1:");
  CHECK(id + id == "s1s1");
  std::ostringstream out;
  out << id << "|" << Symbol();
  CHECK(out.str() == "s1|");
  std::unordered_set<Symbol> hashed = {id, Symbol("s1"), Symbol("s2")};
  CHECK(hashed.size() == 2);
  std::map<std::string, int> by_string = {{"s1", 7}};
  CHECK(by_string.find(id)->second == 7);
  CHECK(id.starts_with("s"));
  CHECK(id.find('1') == 1);
  CHECK(id.substr(1) == "1");
}

TEST_CASE("threads interning the same strings at once agree on every Symbol") {
  constexpr int kThreads = 4;
  constexpr int kStrings = 5000;
  std::vector<std::vector<const char*>> seen(kThreads, std::vector<const char*>(kStrings));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen] {
      // Each thread walks the strings in its own order, so they race to add the same ones.
      for (int k = 0; k < kStrings; ++k) {
        const int i = (t % 2 == 0) ? k : kStrings - 1 - k;
        seen[t][i] = Symbol("symbol-test-concurrent-" + std::to_string(i)).data();
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<const char*> distinct;
  for (int i = 0; i < kStrings; ++i) {
    for (int t = 1; t < kThreads; ++t) CHECK(seen[t][i] == seen[0][i]);
    distinct.insert(seen[0][i]);
    CHECK(std::string(seen[0][i]) == "symbol-test-concurrent-" + std::to_string(i));
  }
  CHECK(distinct.size() == kStrings);
  CHECK(Symbol::PoolSize() >= kStrings);
}

TEST_CASE("node attributes keep one entry per key, in key order, like the std::map they replace") {
  Attributes a = {{"tier", {"2"}}, {"country", {"US", "EU"}}, {"tier", {"9"}}};
  CHECK(a.size() == 2);
  CHECK(ToStrings(a.at("tier")) == std::vector<std::string>{"2"});  // the first of a repeated key
  a.Append("dpa", "yes");
  a.Append("country", "UK");
  a["active_from"] = {"2020-01-01"};
  std::vector<std::string> keys;
  for (const auto& [key, values] : a) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"active_from", "country", "dpa", "tier"});
  CHECK(ToStrings(a.find("country")->second) == std::vector<std::string>{"US", "EU", "UK"});
  CHECK(a.find("owner") == a.end());
  CHECK(a.count("dpa") == 1);
  CHECK(a.count("owner") == 0);
  CHECK_THROWS_AS(a.at("owner"), std::out_of_range);
  const Attributes& same = a;
  CHECK(same.find("tier") != same.end());
  CHECK(a == Attributes{{"dpa", {"yes"}}, {"tier", {"2"}}, {"active_from", {"2020-01-01"}},
                        {"country", {"US", "EU", "UK"}}});
  CHECK(Attributes().empty());
}

}  // namespace blastmap::core
