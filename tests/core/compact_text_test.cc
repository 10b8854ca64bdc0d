// core::Text and core::SymbolList, the compact members of the model (docs/performance-changes.md, "Compact
// text and lists (session 7)").
#include "core/compact_text.h"

#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/symbol_list.h"

namespace blastmap::core {

static_assert(sizeof(Text) == 8);
static_assert(sizeof(Symbol) == 4);
static_assert(sizeof(SymbolList) == 4);

TEST_CASE("Text holds any string, compares and prints like std::string, and copies independently") {
  CHECK(Text().empty());
  CHECK(Text("").empty());
  CHECK(Text().view() == "");
  const std::string long_text = "Payroll export to the bank, nightly over SFTP (see the runbook)";
  const std::string with_nul("a\0b", 3);
  for (const std::string& s : {std::string("x"), std::string("Okta"), long_text, with_nul}) {
    Text t = s;
    CHECK(t == s);
    CHECK(t.str() == s);
    CHECK(t.size() == s.size());
    CHECK(std::string_view(t) == s);
    std::ostringstream out;
    out << t;
    CHECK(out.str() == s);
  }
  Text a = long_text;
  Text b = a;
  CHECK(a == b);
  CHECK(a.data() != b.data());  // a deep copy
  b = "other";
  CHECK(a == long_text);
  Text c = std::move(b);
  CHECK(c == "other");
  CHECK(b.empty());  // NOLINT: moved-from is empty, as documented
  c = c;
  CHECK(c == "other");
  CHECK(Text("a") < Text("b"));
  CHECK(Text("abc") > std::string("abb"));
  CHECK((Text("x") <=> Text("x")) == std::strong_ordering::equal);
  CHECK(Text("node ") + std::string("a") == "node a");
  CHECK(std::string("a ") + Text("node") == "a node");
  CHECK(Text("Salesloft (Drift)").find("Drift") == 11);
}

TEST_CASE("a Text made from a Symbol reads the Symbol's string, and behaves as any other Text") {
  const Symbol id = "vendor-with-a-long-identifier";
  Text name = id;
  CHECK(name == "vendor-with-a-long-identifier");
  CHECK(name.data() == id.data());  // shares the pooled string: no block of its own
  Text copy = name;
  CHECK(copy == name);
  CHECK(Text(Symbol()).empty());
  CHECK(name == Text(std::string(id)));  // equal to the owned text of the same characters
  name = "renamed";
  CHECK(copy == "vendor-with-a-long-identifier");
  CHECK(id == "vendor-with-a-long-identifier");
}

TEST_CASE("equal SymbolLists are one pooled list; order and length matter") {
  const std::vector<Symbol> keys = {"user.contact.email", "user.financial", "system.authentication"};
  SymbolList a = keys;
  SymbolList b = {Symbol("user.contact.email"), Symbol("user.financial"), Symbol("system.authentication")};
  CHECK(a == b);
  CHECK(a.data() == b.data());
  CHECK(a == keys);
  CHECK(a.vector() == keys);
  CHECK(a.size() == 3);
  CHECK(a[1] == "user.financial");
  CHECK(a.front() == "user.contact.email");
  CHECK(a.back() == "system.authentication");
  CHECK(std::vector<Symbol>(a.begin(), a.end()) == keys);
  CHECK_FALSE(a == SymbolList({Symbol("user.financial"), Symbol("user.contact.email"),
                               Symbol("system.authentication")}));
  CHECK_FALSE(a == SymbolList({Symbol("user.contact.email"), Symbol("user.financial")}));
  CHECK(SymbolList().empty());
  CHECK(SymbolList(std::vector<Symbol>{}) == SymbolList());
  CHECK(SymbolList(std::vector<Symbol>{""}).size() == 1);  // a list of one empty string is not empty
  CHECK(ToStrings(a) ==
        std::vector<std::string>{"user.contact.email", "user.financial", "system.authentication"});

  std::vector<Symbol> many;  // longer than an arena block
  for (int i = 0; i < 20000; ++i) many.push_back(Symbol(std::to_string(i % 300) + "k"));
  SymbolList big = many;
  CHECK(big.size() == many.size());
  CHECK(big == many);
  CHECK(big == SymbolList(many));
}

TEST_CASE("threads interning the same SymbolLists at once agree on every list") {
  constexpr int kLists = 20000, kThreads = 4;
  auto list = [](int i) {
    std::vector<Symbol> out;
    for (int k = 0; k <= i % 5; ++k) out.push_back(Symbol(std::to_string((i * 7 + k) % 997) + "cat"));
    return out;
  };
  std::vector<std::vector<const Symbol*>> seen(kThreads, std::vector<const Symbol*>(kLists));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen, &list] {
      for (int j = 0; j < kLists; ++j) {
        const int i = t % 2 ? kLists - 1 - j : j;  // two orders, racing to add the same lists
        seen[t][i] = SymbolList(list(i)).data();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<const Symbol*> distinct;
  for (int i = 0; i < kLists; ++i) {
    for (int t = 1; t < kThreads; ++t) CHECK(seen[t][i] == seen[0][i]);
    distinct.insert(seen[0][i]);
    CHECK(SymbolList(list(i)).vector() == list(i));
  }
  std::set<std::vector<Symbol>> lists;
  for (int i = 0; i < kLists; ++i) lists.insert(list(i));
  CHECK(distinct.size() == lists.size());
  CHECK(SymbolList::PoolSize() >= lists.size());
}

TEST_CASE("SymbolLists longer than a block of the pool, and the lists after them, keep their Symbols") {
  // A list of more words than a block (symbol_list_pool::kBlockWords) spans consecutive block numbers.
  std::vector<std::vector<Symbol>> lists;
  for (size_t n :
       {size_t{1}, size_t{9000}, size_t{3}, size_t{4095}, size_t{4096}, size_t{2}, size_t{20000}}) {
    std::vector<Symbol> list;
    for (size_t i = 0; i < n; ++i)
      list.push_back(Symbol("long-list-" + std::to_string(n) + "-" + std::to_string(i)));
    lists.push_back(list);
  }
  // Then many short ones: each shard's next lists go in what is left of the long lists' last blocks.
  for (int i = 0; i < 5000; ++i) lists.push_back({Symbol("after-" + std::to_string(i)), Symbol("x")});
  std::vector<SymbolList> interned;
  for (const auto& list : lists) interned.emplace_back(list);
  for (size_t k = 0; k < lists.size(); ++k) {
    CAPTURE(k);
    CHECK(interned[k].size() == lists[k].size());
    CHECK(interned[k].vector() == lists[k]);
    CHECK(SymbolList(lists[k]) == interned[k]);
  }
  CHECK(sizeof(SymbolList) == 4);
  CHECK(SymbolList().empty());
  CHECK(SymbolList().size() == 0);
}

TEST_CASE("the model's elements hold their text and lists compactly") {
  // Padding: the bools and enums share the last 8 bytes (docs/performance-changes.md).
  CHECK(sizeof(Node) == 32);
  CHECK(sizeof(Attributes) == 4);
  CHECK(sizeof(Holding) == 32);
  CHECK(sizeof(Flow) == 64);
  CHECK(sizeof(Attributes::value_type) == 8);
  CHECK(sizeof(Access) == 48);
  Attributes attrs;
  attrs.Append("contacts", "a@example.com");
  attrs.Append("contacts", "b@example.com");
  CHECK(ToStrings(attrs.at("contacts")) == std::vector<std::string>{"a@example.com", "b@example.com"});
}

}  // namespace blastmap::core
