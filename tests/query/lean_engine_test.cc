// A lean engine (query::Engine::Residency::kLean, core::Graph::lean) answers exactly as a whole one: the
// same briefs in every format, the same node details, paths, views, replays, rankings and who-holds, while
// reading only the elements it renders; the queries that walk the whole model read it on first use.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/element_source.h"
#include "core/graph.h"
#include "query/brief_memo.h"
#include "query/engine.h"
#include "query/render.h"
#include "query/who_holds.h"
#include "tests/core/store_fixtures.h"
#include "tests/query/differential.h"

namespace blastmap::query {
namespace {

using core::store_testing::OpenStore;
using core::store_testing::SaveOk;
using core::store_testing::TempPath;

// RandomMap with text on its elements (mechanisms, descriptions, purposes), so that reading an element
// from the store instead of the model shows.
core::Model TextMap(uint32_t nodes, uint32_t seed) {
  core::Model m = differential::RandomMap(nodes, seed, 5, /*groups=*/true);
  const char* mechanisms[] = {"sso", "api key", "ssh key", ""};
  for (size_t i = 0; i < m.accesses.size(); ++i) {
    m.accesses[i].mechanism = mechanisms[i % 4];
    if (i % 3 == 0) m.accesses[i].description = "access " + std::to_string(i);
  }
  for (size_t i = 0; i < m.flows.size(); ++i) {
    if (i % 2 == 0) m.flows[i].purpose = "analytics.reporting";
    if (i % 5 == 0) m.flows[i].description = "flow " + std::to_string(i);
  }
  for (size_t i = 0; i < m.nodes.size(); i += 7) {
    m.nodes[i].attrs["role"] = {"sub-processor"};
    m.nodes[i].attrs["notice_hours"] = {"48"};
  }
  return m;
}

struct Engines {
  TempPath path;
  std::unique_ptr<Engine> whole, lean;
};

void Open(Engines& e, const core::Model& model) {
  {
    auto store = OpenStore(e.path.str());
    SaveOk(*store, model, "lean test");
  }
  auto whole = Engine::Open(e.path.str(), std::nullopt, "", Engine::Residency::kWhole);
  auto lean = Engine::Open(e.path.str(), std::nullopt);
  REQUIRE(whole.ok());
  REQUIRE(lean.ok());
  e.whole = whole.take();
  e.lean = lean.take();
  REQUIRE(!e.whole->graph().lean());
  REQUIRE(e.lean->graph().lean());
  CHECK(e.lean->graph().resident().flows.empty());
  CHECK(e.lean->graph().resident().accesses.empty());
  CHECK(e.lean->graph().resident().holdings.empty());
  CHECK(e.lean->graph().flow_count() == model.flows.size());
  CHECK(e.lean->graph().access_count() == model.accesses.size());
  CHECK(e.lean->graph().holding_count() == model.holdings.size());
}

TEST_CASE("a lean engine renders every brief, node, path and view exactly as a whole one, reading no model") {
  for (uint32_t seed : {3u, 11u}) {
    const core::Model model = TextMap(240, seed);
    Engines e;
    Open(e, model);
    const core::Graph& g = e.lean->graph();
    for (uint32_t v = 0; v < g.node_count(); v += 9) {
      const std::string id = g.node(v).id;
      INFO("seed " << seed << ", node " << id);
      auto a = e.whole->Blast({id});
      auto b = e.lean->Blast({id});
      REQUIRE(a.ok());
      REQUIRE(b.ok());
      CHECK(BlastToJson(a.value()) == BlastToJson(b.value()));
      CHECK(BlastToTable(a.value(), false) == BlastToTable(b.value(), false));
      CHECK(BlastToMarkdown(a.value(), e.whole->graph()) == BlastToMarkdown(b.value(), g));
      CHECK(BlastToHtml(a.value(), e.whole->graph()) == BlastToHtml(b.value(), g));
      auto show_a = e.whole->Show(id);
      auto show_b = e.lean->Show(id);
      REQUIRE(show_a.ok());
      REQUIRE(show_b.ok());
      CHECK(NodeToJson(show_a.value()) == NodeToJson(show_b.value()));
      const std::string to = g.node((v * 7 + 3) % g.node_count()).id;
      auto paths_a = e.whole->Paths(id, to);
      auto paths_b = e.lean->Paths(id, to);
      REQUIRE(paths_a.ok());
      REQUIRE(paths_b.ok());
      CHECK(PathsToJson(paths_a.value()) == PathsToJson(paths_b.value()));
    }
    for (std::string focus : {"", "s1", "v4"}) {
      GraphViewOptions options;
      auto view_a = e.whole->View(focus, options);
      auto view_b = e.lean->View(focus, options);
      REQUIRE(view_a.ok());
      REQUIRE(view_b.ok());
      CHECK(GraphViewToJson(e.whole->graph(), view_a.value()) == GraphViewToJson(g, view_b.value()));
    }
    CHECK(RankToJson(e.whole->Rank()) == RankToJson(e.lean->Rank()));
    auto holds_a = e.whole->WhoHolds("user.contact.email");
    auto holds_b = e.lean->WhoHolds("user.contact.email");
    REQUIRE(holds_a.ok());
    REQUIRE(holds_b.ok());
    CHECK(WhoHoldsToJson(holds_a.value()) == WhoHoldsToJson(holds_b.value()));
    core::Incident incident;
    incident.id = "test";
    incident.roles = {"sub-processor"};
    incident.access = {core::Privilege::kRead, core::Privilege::kCode};
    incident.mechanisms = {"key"};
    auto replay_a = e.whole->Replay(incident);
    auto replay_b = e.lean->Replay(incident);
    REQUIRE(replay_a.ok());
    REQUIRE(replay_b.ok());
    CHECK(ReplayToJson(replay_a.value()) == ReplayToJson(replay_b.value()));
    // Fourth parties: records and subjects from the graph's held values, not traced through the model.
    const std::vector<ConcentrationRow> fourth = e.lean->Concentration(1);
    CHECK(!fourth.empty());
    CHECK(ConcentrationToJson(e.whole->Concentration(1)) == ConcentrationToJson(fourth));
    // None of it needed the whole model.
    CHECK(!g.whole_read());
  }
}

TEST_CASE(
    "a lean engine reads its whole model on first need, once, and answers what-if and queries as a whole "
    "one") {
  const core::Model model = TextMap(160, 5);
  Engines e;
  Open(e, model);
  Overlay overlay;
  auto what_a = e.whole->WhatIf(overlay, {"v5"});
  REQUIRE(!e.lean->graph().whole_read());
  auto what_b = e.lean->WhatIf(overlay, {"v5"});
  REQUIRE(what_a.ok());
  REQUIRE(what_b.ok());
  CHECK(e.lean->graph().whole_read());
  CHECK(WhatIfToJson(what_a.value()) == WhatIfToJson(what_b.value()));
  const core::Model& whole = e.lean->graph().model();
  CHECK(&whole == &e.lean->graph().model());  // read once, then kept
  CHECK(whole.flows.size() == model.flows.size());
  // Elements are then read from it: the same as from the store.
  for (uint32_t i = 0; i < model.flows.size(); i += 13)
    CHECK(e.lean->graph().flow(i).where.line == model.flows[i].where.line);
  auto q_a = e.whole->Query(
      "vendors where role = sub-processor show id, role\nblast v5 where sensitivity >= confidential show "
      "category, records, via");
  auto q_b = e.lean->Query(
      "vendors where role = sub-processor show id, role\nblast v5 where sensitivity >= confidential show "
      "category, records, via");
  REQUIRE(q_a.ok());
  REQUIRE(q_b.ok());
  CHECK(QueryToJson(q_a.value()) == QueryToJson(q_b.value()));
}

TEST_CASE("a lean engine reads its whole model to list more than kReadWholeAbove nodes, not to list fewer") {
  Engines e;
  Open(e, differential::RandomMap(12000, 1));
  auto r = e.lean->Blast({"v0"});  // a hub: admin on a fifth of the systems
  REQUIRE(r.ok());
  REQUIRE(r.value().compromised.size() > kReadWholeAbove);
  const std::string capped = BlastToJson(r.value(), 100);
  CHECK(!e.lean->graph().whole_read());
  auto w = e.whole->Blast({"v0"});
  REQUIRE(w.ok());
  CHECK(capped == BlastToJson(w.value(), 100));
  CHECK(BlastToJson(r.value()) == BlastToJson(w.value()));
  CHECK(e.lean->graph().whole_read());
}

// A source whose every read fails, as a store removed or damaged after the load would.
class FailingSource : public core::ElementSource {
 public:
  core::Result<core::Flow> ReadFlow(uint32_t) const override { return core::Status::Error("flows gone"); }
  core::Result<core::Access> ReadAccess(uint32_t) const override {
    return core::Status::Error("accesses gone");
  }
  core::Result<core::Holding> ReadHolding(uint32_t) const override {
    return core::Status::Error("holdings gone");
  }
  core::Result<core::Model> ReadModel() const override { return core::Status::Error("model gone"); }
};

TEST_CASE(
    "a lean graph whose source fails throws ElementReadError naming the failure, never a wrong element") {
  auto graph = core::Graph::Build(TextMap(40, 2));
  REQUIRE(graph.ok());
  core::Graph g = graph.take();
  const core::Flow first = g.flow(0);
  g.MakeLean(std::make_shared<FailingSource>());
  CHECK(g.lean());
  CHECK(g.flow_count() > 0);
  CHECK_THROWS_WITH_AS(g.flow(0), "flows gone", core::ElementReadError);
  CHECK_THROWS_WITH_AS(g.access(0), "accesses gone", core::ElementReadError);
  CHECK_THROWS_WITH_AS(g.holding(0), "holdings gone", core::ElementReadError);
  CHECK_THROWS_WITH_AS(g.model(), "model gone", core::ElementReadError);
  CHECK(!g.whole_read());
  CHECK(first.where.line > 0);
}

TEST_CASE("a store's elements are read right by many threads at once, through a few connections") {
  const core::Model model = TextMap(300, 11);
  TempPath path;
  int64_t id = 0;
  {
    auto store = OpenStore(path.str());
    id = SaveOk(*store, model, "pool test");
  }
  auto opened = core::StoreElements(path.str(), id, /*connections=*/3);
  REQUIRE(opened.ok());
  const core::ElementSource& source = *opened.value();
  std::atomic<size_t> reads{0}, failed{0}, wrong{0};
  // Each thread reads every element, in its own order, twice; one more reads the whole model meanwhile.
  // Every element of one table, read in thread k's order (position i * step + k), checked by `same`.
  auto read_all = [&](const auto& want, size_t step, size_t k, auto&& read, auto&& same) {
    for (size_t i = 0; i < want.size(); ++i) {
      const auto pos = static_cast<uint32_t>((i * step + k) % want.size());
      auto got = read(pos);
      if (!got.ok())
        ++failed;
      else if (!same(got.value(), want[pos]))
        ++wrong;
    }
    reads += want.size();
  };
  auto reader = [&](size_t k) {
    for (size_t round = 0; round < 2; ++round) {
      read_all(
          model.flows, 7, k, [&](uint32_t pos) { return source.ReadFlow(pos); },
          [](const core::Flow& f, const core::Flow& want) {
            return f.from == want.from && f.to == want.to && f.purpose == want.purpose &&
                   f.description == want.description && f.where.line == want.where.line;
          });
      read_all(
          model.accesses, 5, k, [&](uint32_t pos) { return source.ReadAccess(pos); },
          [](const core::Access& a, const core::Access& want) {
            return a.from == want.from && a.to == want.to && a.privilege == want.privilege &&
                   a.mechanism == want.mechanism && a.description == want.description;
          });
      read_all(
          model.holdings, 3, k, [&](uint32_t pos) { return source.ReadHolding(pos); },
          [](const core::Holding& h, const core::Holding& want) {
            return h.node == want.node && h.categories == want.categories && h.records == want.records;
          });
    }
  };
  std::vector<std::thread> threads;
  for (size_t k = 0; k < 6; ++k) threads.emplace_back(reader, k);
  threads.emplace_back([&] {
    auto m = source.ReadModel();
    if (!m.ok() || m.value().flows.size() != model.flows.size() ||
        m.value().nodes.size() != model.nodes.size())
      ++failed;
  });
  for (auto& t : threads) t.join();
  CHECK(reads == 12 * (model.flows.size() + model.accesses.size() + model.holdings.size()));
  CHECK(failed == 0);
  CHECK(wrong == 0);
  CHECK(!model.flows.empty());
  CHECK(!model.holdings.empty());
}

TEST_CASE("a brief, a ranking and who-holds read no element: only renderers do") {
  auto built = core::Graph::Build(TextMap(300, 7));
  REQUIRE(built.ok());
  core::Graph lean = built.take();
  lean.MakeLean(std::make_shared<FailingSource>());  // any read throws
  auto g = std::make_shared<const core::Graph>(std::move(lean));
  const BriefMemos memos = BriefMemos::Build(*g);
  for (uint32_t v = 0; v < g->node_count(); ++v) {
    CHECK_NOTHROW((void)ComputeBlastRadius(g, {v}, {}));
    CHECK_NOTHROW((void)ComputeBlastRadius(g, {v}, {}, &memos));
  }
  CHECK_NOTHROW((void)RankNodes(*g, {}));
  CHECK_NOTHROW((void)WhoHolds(*g, g->taxonomy().Index("user.contact.email")));
}

}  // namespace
}  // namespace blastmap::query
