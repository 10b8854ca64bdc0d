#include "query/name_set.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/graph.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {
namespace {

using testing::MapBuilder;

// A graph whose holdings name `count` subjects ("s000".."s<count-1>"), each living in one of three places.
core::Graph SubjectsGraph(int count) {
  MapBuilder m;
  m.Node("app");
  std::vector<std::string> names;
  const std::vector<std::string> places = {"EU", "US", "UK"};
  for (int i = 0; i < count; ++i) {
    std::string name = std::to_string(1000 + i).substr(1);
    name = "s" + name;
    names.push_back(name);
    m.Subject(name, {places[i % 3]});
  }
  m.Stores("app", {"user.contact.email"}, 10, names);
  auto g = core::Graph::Build(m.model);
  REQUIRE(g.ok());
  return g.take();
}

std::vector<std::string> Strings(const NameSet& s) { return s.strings(); }

}  // namespace

TEST_CASE("a name set reads its bits as the graph's names, ascending, with their jurisdictions") {
  for (int count : {5, 150}) {  // in place (up to 128 subjects), and on the heap
    CAPTURE(count);
    const core::Graph g = SubjectsGraph(count);
    REQUIRE(g.subject_count() == static_cast<size_t>(count));
    const NameSet set = NameSet::Of(g, NameSet::Table::kSubjects,
                                    core::ToSymbols({"s004", "s001", "s004", "nobody", "s002"}));
    CHECK(Strings(set) == std::vector<std::string>{"s001", "s002", "s004"});
    CHECK(set.size() == 3);
    CHECK(!set.empty());
    CHECK(set.bits().size() == g.subject_words());
    // s001 lives in the US, s002 in the UK, s004 in the US.
    CHECK(Strings(set.Jurisdictions()) == std::vector<std::string>{"UK", "US"});
    CHECK(set.Jurisdictions().Jurisdictions().empty());  // places have no places
    std::vector<uint32_t> ids;
    set.ForEachId([&](uint32_t k) { ids.push_back(k); });
    CHECK(ids == std::vector<uint32_t>{1, 2, 4});
    if (count > 128) {
      const NameSet last = NameSet::Of(g, NameSet::Table::kSubjects, core::ToSymbols({"s149", "s064"}));
      CHECK(Strings(last) == std::vector<std::string>{"s064", "s149"});
    }

    // Copies and moves keep the names; the moved-from set is empty.
    NameSet copy = set;
    CHECK(copy == set);
    NameSet assigned;
    assigned = copy;
    CHECK(Strings(assigned) == Strings(set));
    NameSet moved = std::move(copy);
    CHECK(Strings(moved) == Strings(set));
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    assigned = std::move(moved);
    CHECK(Strings(assigned) == Strings(set));

    CHECK(NameSet().empty());
    CHECK(NameSet().size() == 0);
    CHECK(NameSet().begin() == NameSet().end());
    CHECK(!(NameSet::Of(g, NameSet::Table::kSubjects, core::ToSymbols({"s001"})) == set));
  }
}

TEST_CASE("name sets of two graphs are equal when they name the same names") {
  const core::Graph small = SubjectsGraph(5), large = SubjectsGraph(150);
  const auto names = core::ToSymbols({"s003", "s000"});
  const NameSet a = NameSet::Of(small, NameSet::Table::kSubjects, names);
  const NameSet b = NameSet::Of(large, NameSet::Table::kSubjects, names);
  CHECK(a.bits().size() != b.bits().size());
  CHECK(a == b);
  CHECK(!(a == NameSet::Of(large, NameSet::Table::kSubjects, core::ToSymbols({"s003"}))));
  CHECK(NameSet() == NameSet::Of(small, NameSet::Table::kSubjects, {}));
}

}  // namespace blastmap::query
