// What-if overlays: each edit's effect on the brief, errors that name the edit, and the delta.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "importers/overlay_reader.h"
#include "query/render.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {

using core::NodeKind;
using core::Privilege;
using testing::MapBuilder;

namespace {

MapBuilder SmallMap() {
  MapBuilder m;
  m.Node("web").Node("db").Node("mixpanel", NodeKind::kVendor).Node("gcp", NodeKind::kVendor);
  m.Node("okta", NodeKind::kVendor);
  m.Stores("db", {"user.financial.credit_card"}, 100);
  m.Flow("web", "mixpanel", {"user.contact.email", "user.name", "user.unique_id"}, 1000);
  m.Flow("mixpanel", "gcp", {"*"});
  m.Access("okta", "db", Privilege::kRead, 0.9);
  return m;
}

Overlay Parse(const std::string& yaml) {
  auto overlay = importers::ReadOverlay("overlay.yaml", yaml, false);
  REQUIRE_MESSAGE(overlay.ok(), overlay.status().message());
  return overlay.take();
}

WhatIfResult Run(const MapBuilder& m, const std::string& yaml, std::vector<std::string> seeds) {
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  auto result = engine.value()->WhatIf(Parse(yaml), seeds);
  REQUIRE_MESSAGE(result.ok(), result.status().message());
  return result.take();
}

std::string ErrorOf(const MapBuilder& m, const std::string& yaml) {
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  auto result = engine.value()->WhatIf(Parse(yaml), {"mixpanel"});
  REQUIRE_FALSE(result.ok());
  return result.status().message();
}

}  // namespace

TEST_CASE("dropping a category from a flow removes it from the blast, downstream too") {
  auto r =
      Run(SmallMap(),
          "what_if:\n  - drop_category: {from: web, to: mixpanel, category: user.contact.email}\n", {"gcp"});
  CHECK(r.delta.categories_removed == std::vector<std::string>{"user.contact.email"});
  CHECK(r.delta.categories_added.empty());
  CHECK(r.before.exposed.size() == 3);
  CHECK(r.after.exposed.size() == 2);
  CHECK(r.delta.after.score < r.delta.before.score);
}

TEST_CASE("pseudonymising swaps a category for its pseudonymous form") {
  auto r =
      Run(SmallMap(), "what_if:\n  - pseudonymise: {from: web, to: mixpanel, category: user.unique_id}\n",
          {"mixpanel"});
  CHECK(r.delta.categories_removed == std::vector<std::string>{"user.unique_id"});
  CHECK(r.delta.categories_added == std::vector<std::string>{"user.unique_id.pseudonymous"});
}

TEST_CASE("removing a vendor or a flow, and changing access, change what is reached") {
  auto flow = Run(SmallMap(), "what_if:\n  - remove_flow: {from: mixpanel, to: gcp}\n", {"gcp"});
  CHECK(flow.after.exposed.empty());
  auto vendor = Run(SmallMap(), "what_if:\n  - remove_vendor: mixpanel\n", {"mixpanel"});
  CHECK(vendor.after.exposed.empty());
  CHECK(vendor.after.compromised.empty());
  CHECK(vendor.delta.nodes_removed == std::vector<std::string>{"mixpanel"});
  auto likelihood =
      Run(SmallMap(), "what_if:\n  - set_likelihood: {from: okta, to: db, likelihood: 0.2}\n", {"okta"});
  REQUIRE(likelihood.after.exposed.size() == 1);
  CHECK(likelihood.after.exposed[0].likelihood == doctest::Approx(0.2));
  auto access = Run(SmallMap(), "what_if:\n  - remove_access: {from: okta, to: db}\n", {"okta"});
  CHECK(access.after.exposed.empty());
}

TEST_CASE("adding a vendor with its flows shows what it would hold") {
  auto r = Run(SmallMap(),
               "what_if:\n  - add:\n      vendors:\n        - id: newcrm\n          flows:\n"
               "            - {from: web, categories: [user.contact.phone_number]}\n",
               {"newcrm"});
  CHECK(r.before.seeds == std::vector<std::string>{"newcrm"});
  CHECK(r.delta.categories_added == std::vector<std::string>{"user.contact.phone_number"});
}

TEST_CASE("overlay errors name the edit's place and what is wrong") {
  CHECK(ErrorOf(SmallMap(), "what_if:\n  - remove_vendor: mixpanl\n") ==
        "overlay.yaml:2:5: remove_node: no node 'mixpanl' (did you mean 'mixpanel'?)");
  CHECK(ErrorOf(SmallMap(), "what_if:\n  - remove_flow: {from: web, to: gcp}\n") ==
        "overlay.yaml:2:5: remove_flow: no flow from 'web' to 'gcp'");
  CHECK(ErrorOf(SmallMap(),
                "what_if:\n  - drop_category: {from: web, to: mixpanel, category: user.payment}\n") ==
        "overlay.yaml:2:5: drop_category: the flow from 'web' to 'mixpanel' does not carry 'user.payment'");
  auto bad = importers::ReadOverlay("o.yaml", "what_if:\n  - remove_flwo: {from: a, to: b}\n", false);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "o.yaml:2:5: edit: unknown key 'remove_flwo' (did you mean 'remove_flow'?)");
  auto missing =
      importers::ReadOverlay("o.json", R"({"what_if": [{"drop_category": {"from": "a", "to": "b"}}]})", true);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "o.json:1:32: drop_category: 'category' is required");
}

TEST_CASE("what-if never changes the engine's own snapshot") {
  MapBuilder m = SmallMap();
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  auto before = engine.value()->Blast({"gcp"}).take();
  REQUIRE(engine.value()->WhatIf(Parse("what_if:\n  - remove_vendor: mixpanel\n"), {"gcp"}).ok());
  auto again = engine.value()->Blast({"gcp"}).take();
  CHECK(again.exposed.size() == before.exposed.size());
  CHECK(engine.value()->graph().Find("mixpanel") >= 0);
}

// A brief points into its graph's model (BlastResult::graph) instead of copying its strings: it, its copies
// and a what-if's briefs (over a graph built only for that call) must stay valid once the engine is gone.
// Under AddressSanitizer (the CI build) a dangling pointer fails the rendering after the engine is destroyed.
TEST_CASE("briefs, their copies and what-if briefs outlive the engine that computed them") {
  MapBuilder m = SmallMap();
  const std::string idp = "identity-provider-with-a-name-longer-than-any-short-string-buffer";
  m.Node(idp, NodeKind::kVendor).Access(idp, "okta", Privilege::kAdmin, 0.5);
  const std::string mechanism = "a federated admin role granted by a long-winded mechanism";
  m.model.accesses.back().mechanism = mechanism;
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  const std::weak_ptr<const core::Graph> graph = engine.value()->shared_graph();
  auto blast = engine.value()->Blast({idp});
  REQUIRE(blast.ok());
  auto what_if = engine.value()->WhatIf(Parse("what_if:\n  - remove_flow: {from: mixpanel, to: gcp}\n"), {idp});
  REQUIRE(what_if.ok());
  std::optional<BlastResult> brief = blast.take();
  std::optional<WhatIfResult> change = what_if.take();
  const std::string brief_json = BlastToJson(*brief), brief_table = BlastToTable(*brief, false);
  const std::string change_json = WhatIfToJson(*change);
  CHECK(brief->hops.size() == 2);  // idp -> okta -> db
  CHECK(brief_json.find(mechanism) != std::string::npos);
  CHECK(brief->graph == graph.lock());
  CHECK(change->before.graph == graph.lock());
  REQUIRE(change->after.graph != nullptr);
  CHECK(change->after.graph != graph.lock());  // the what-if map's own graph
  const std::weak_ptr<const core::Graph> what_if_graph = change->after.graph;

  const std::optional<BlastResult> copy = brief;
  engine.value().reset();
  CHECK_FALSE(graph.expired());  // the briefs keep it
  CHECK(BlastToJson(*brief) == brief_json);
  CHECK(BlastToTable(*brief, false) == brief_table);
  CHECK(WhatIfToJson(*change) == change_json);

  brief.reset();  // the original goes; its copy still renders
  change.reset();
  CHECK(what_if_graph.expired());
  CHECK_FALSE(graph.expired());
  CHECK(BlastToJson(*copy) == brief_json);
}

}  // namespace blastmap::query
