// minimise, diff, policy check and export on small hand-made maps.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "importers/policy_reader.h"
#include "query/blast_radius.h"
#include "query/diff.h"
#include "query/export.h"
#include "query/minimise.h"
#include "query/policy_check.h"
#include "query/render.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {

using core::NodeKind;
using core::Privilege;
using testing::MapBuilder;

namespace {

core::Graph GraphOf(const MapBuilder& m) {
  auto g = core::Graph::Build(m.model);
  REQUIRE(g.ok());
  return g.take();
}

MinimiseResult Min(const MapBuilder& m, const std::string& vendor, const std::string& goal_text) {
  core::Graph g = GraphOf(m);
  auto goal = ParseGoal(goal_text, g.taxonomy());
  REQUIRE_MESSAGE(goal.ok(), goal.status().message());
  return Minimise(g, static_cast<uint32_t>(g.Find(vendor)), goal.value(), {});
}

// The smallest number of (flow, category) cuts that meets the goal, by trying every subset of candidate
// cuts (every flow paired with every forbidden category), for checking minimality on small maps.
size_t BruteForceMinimum(const MapBuilder& m, const std::string& vendor, const std::string& goal_text) {
  core::Graph g = GraphOf(m);
  auto goal = ParseGoal(goal_text, g.taxonomy()).take();
  uint32_t v = static_cast<uint32_t>(g.Find(vendor));
  MinimiseResult base = Minimise(g, v, goal, {});
  std::vector<Cut> candidates;
  for (uint32_t f = 0; f < g.model().flows.size(); ++f) {
    if (g.model().flows[f].required) continue;
    for (const auto& key : base.forbidden) {
      Cut c;
      c.flow = f;
      c.category = key;
      candidates.push_back(c);
    }
  }
  REQUIRE(candidates.size() <= 16);
  size_t best = SIZE_MAX;
  for (uint32_t mask = 0; mask < (1u << candidates.size()); ++mask) {
    std::vector<Cut> chosen;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (mask >> i & 1) chosen.push_back(candidates[i]);
    }
    if (chosen.size() >= best) continue;
    auto after = core::Graph::Build(ApplyCuts(g, chosen));
    REQUIRE(after.ok());
    BlastResult r = ComputeBlastRadius(after.value(), {v}, {});
    bool ok = std::none_of(r.exposed.begin(), r.exposed.end(), [&](const ExposedCategory& e) {
      return Forbids(goal, g.taxonomy(), g.taxonomy().Index(e.category()));
    });
    if (ok) best = chosen.size();
  }
  return best;
}

}  // namespace

TEST_CASE("minimise cuts the one narrow flow rather than the many behind it, and the cut really works") {
  // Three systems feed a hub, the hub forwards everything to the vendor: cutting the forward is 1 cut,
  // cutting the inputs would be 3.
  MapBuilder m;
  m.Node("a").Node("b").Node("c").Node("hub").Node("v", NodeKind::kVendor);
  m.Flow("a", "hub", {"user.contact.email"});
  m.Flow("b", "hub", {"user.contact.email"});
  m.Flow("c", "hub", {"user.contact.email", "user.name"});
  m.Flow("hub", "v", {"*"});
  MinimiseResult r = Min(m, "v", "no user.contact");
  CHECK(r.achievable);
  REQUIRE(r.cuts.size() == 1);
  CHECK(r.cuts[0].from == "hub");
  CHECK(r.cuts[0].forward);
  CHECK(r.cuts[0].category == "user.contact.email");
  CHECK(r.verified);
  CHECK(r.cuts.size() == BruteForceMinimum(m, "v", "no user.contact"));
}

TEST_CASE("minimise never cuts a required flow: it cuts around it, or says the goal cannot be met") {
  MapBuilder m;
  m.Node("a").Node("b").Node("hub").Node("v", NodeKind::kVendor);
  m.Flow("a", "hub", {"user.contact.email"});
  m.Flow("b", "hub", {"user.contact.email"});
  m.Flow("hub", "v", {"*"});
  m.model.flows.back().required = true;
  MinimiseResult r = Min(m, "v", "no user.contact.email");
  CHECK(r.achievable);
  CHECK(r.cuts.size() == 2);  // both inputs, since the forward is required
  for (const auto& c : r.cuts) CHECK(c.to == "hub");
  CHECK(r.verified);
  CHECK(r.cuts.size() == BruteForceMinimum(m, "v", "no user.contact.email"));

  m.model.flows[0].required = true;
  MinimiseResult blocked = Min(m, "v", "no user.contact.email");
  CHECK(!blocked.achievable);
  REQUIRE(blocked.blockers.size() == 1);
  CHECK(blocked.blockers[0].find("required flow a -> hub") != std::string::npos);
  CHECK(blocked.blockers[0].find("required flow hub -> v") != std::string::npos);
}

TEST_CASE("minimise: data at rest on an exposed node cannot be cut; goals by sensitivity and flags") {
  MapBuilder m;
  m.Node("app").Node("v", NodeKind::kVendor).Node("w", NodeKind::kVendor);
  m.Stores("v", {"user.financial.credit_card"});
  m.Flow("app", "w", {"user.financial.credit_card", "user.name", "user.contact.email"});
  MinimiseResult stored = Min(m, "v", "no sensitivity >= restricted");
  CHECK(!stored.achievable);
  CHECK(stored.blockers[0].find("v stores user.financial.credit_card") != std::string::npos);

  MinimiseResult two = Min(m, "w", "no sensitivity >= confidential");
  CHECK(two.achievable);
  CHECK(two.cuts.size() == 3);
  CHECK(two.verified);
  MinimiseResult flag = Min(m, "w", "no flags contains financial");
  CHECK(flag.cuts.size() == 1);
  CHECK(Min(m, "w", "no user.health_and_medical").cuts.empty());
}

TEST_CASE("minimise on a diamond with a cycle matches the brute-force minimum") {
  MapBuilder m;
  m.Node("src").Node("x").Node("y").Node("z").Node("v", NodeKind::kVendor).Node("u", NodeKind::kVendor);
  m.Stores("src", {"user.contact.phone_number"});
  m.Flow("src", "x", {"*"}).Flow("src", "y", {"*"}).Flow("x", "y", {"*"}).Flow("y", "x", {"*"});
  m.Flow("x", "z", {"*"}).Flow("y", "z", {"*"}).Flow("z", "v", {"*"});
  m.Flow("x", "u", {"user.contact.phone_number"});
  m.Access("v", "u", Privilege::kRead);
  MinimiseResult r = Min(m, "v", "no user.contact");
  CHECK(r.achievable);
  CHECK(r.verified);
  CHECK(r.cuts.size() == BruteForceMinimum(m, "v", "no user.contact"));
  CHECK(r.cuts.size() == 2);  // z -> v (or src's two forwards... ) plus x -> u read by v
}

TEST_CASE("goal errors point at the column") {
  MapBuilder m;
  m.Node("a");
  core::Graph g = GraphOf(m);
  CHECK(ParseGoal("user.contact", g.taxonomy())
            .status()
            .message()
            .rfind("goal:1:1: a goal starts with 'no'", 0) == 0);
  CHECK(ParseGoal("no user.contct", g.taxonomy()).status().message() ==
        "goal:1:4: unknown category 'user.contct' (did you mean 'user.contact'?)");
  CHECK(ParseGoal("no sensitivty >= restricted", g.taxonomy())
            .status()
            .message()
            .rfind("goal:1:4: unknown column 'sensitivty' (did you mean 'sensitivity'?)", 0) == 0);
}

TEST_CASE("diff reports added, removed and changed elements and each vendor's blast delta, and gates") {
  MapBuilder a;
  a.Node("app").Node("crm", NodeKind::kVendor).Node("old", NodeKind::kVendor);
  a.Flow("app", "crm", {"user.name"});
  a.Flow("app", "old", {"user.contact.email"});
  MapBuilder b;
  b.Node("app").Node("crm", NodeKind::kVendor).Node("new", NodeKind::kVendor);
  b.Flow("app", "crm", {"user.name", "user.financial.credit_card"});
  b.Flow("app", "new", {"user.contact.email"});
  core::Graph ga = GraphOf(a), gb = GraphOf(b);
  DiffResult d = DiffMaps(ga, gb, "old", "new");
  auto find = [&](const std::string& element, const std::string& key) -> const Change* {
    for (const auto& c : d.changes) {
      if (c.element == element && c.key == key) return &c;
    }
    return nullptr;
  };
  REQUIRE(find("node", "new"));
  CHECK(find("node", "new")->kind == Change::Kind::kAdded);
  REQUIRE(find("node", "old"));
  CHECK(find("node", "old")->kind == Change::Kind::kRemoved);
  REQUIRE(find("flow", "app -> crm"));
  CHECK(find("flow", "app -> crm")->detail == "+user.financial.credit_card");
  REQUIRE(!d.vendors.empty());
  CHECK(d.vendors[0].id == "crm");  // the largest increase first
  CHECK(d.vendors[0].new_restricted == std::vector<std::string>{"user.financial.credit_card"});
  CHECK(d.vendors[0].score_after > d.vendors[0].score_before);
  CHECK(GateFailures(d, FailOn::kNewRestricted).size() == 1);
  CHECK(!GateFailures(d, FailOn::kSeverityIncrease).empty());
  CHECK(!GateFailures(d, FailOn::kAny).empty());
  DiffResult same = DiffMaps(ga, ga, "a", "a");
  CHECK(same.changes.empty());
  CHECK(same.vendors.empty());
  CHECK(GateFailures(same, FailOn::kAny).empty());
}

TEST_CASE("check: a policy that passes, one that fails, and filter errors at the policy's line and column") {
  MapBuilder m;
  m.Node("app").Node("ads", NodeKind::kVendor).Node("pay", NodeKind::kVendor);
  m.model.nodes[1].attrs["role"] = {"analytics"};
  m.model.nodes[2].attrs["dpa"] = {"no"};
  m.Flow("app", "ads", {"user.health_and_medical"});
  m.Flow("app", "pay", {"user.financial.credit_card"});
  core::Graph g = GraphOf(m);
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("blastmap_policy_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  std::string failing = write("fail.yaml",
                              "policy: 1\n"
                              "rules:\n"
                              "  - id: no-health-to-analytics\n"
                              "    flows:\n"
                              "      to: role = analytics\n"
                              "      carrying: flags contains health\n"
                              "  - id: restricted-needs-dpa\n"
                              "    level: warning\n"
                              "    flows: {to: kind = vendor and (dpa is missing or dpa = no), carrying: "
                              "sensitivity >= restricted}\n");
  auto policy = importers::ReadPolicy(failing);
  REQUIRE_MESSAGE(policy.ok(), policy.status().message());
  auto r = CheckPolicy(g, policy.value());
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  REQUIRE(r.value().violations.size() == 3);  // health is restricted too: app -> ads breaks both rules
  CHECK(r.value().violations[0].rule == "no-health-to-analytics");
  CHECK(r.value().violations[0].where.file == "flows.yaml");
  CHECK(r.value().violations[0].where.line == 10);
  CHECK(r.value().errors() == 1);

  std::string passing =
      write("pass.yaml",
            "policy: 1\nrules:\n  - id: no-children\n    flows: {carrying: flags contains children}\n"
            "  - id: shallow\n    nodes: depth > 3\n  - id: blast\n    blast: {at_least: critical}\n");
  auto ok = CheckPolicy(g, importers::ReadPolicy(passing).take());
  REQUIRE(ok.ok());
  CHECK(ok.value().violations.empty());

  std::string bad = write("bad.yaml", "policy: 1\nrules:\n  - id: typo\n    nodes: rol = analytics\n");
  auto err = CheckPolicy(g, importers::ReadPolicy(bad).take());
  REQUIRE(!err.ok());
  CHECK(err.status().message().rfind(bad + ":4:12: unknown column 'rol' (did you mean 'role'?)", 0) == 0);
  std::string quoted = write("quoted.yaml", "policy: 1\nrules:\n  - id: q\n    nodes: \"tier = \"\n");
  auto qerr = CheckPolicy(g, importers::ReadPolicy(quoted).take());
  REQUIRE(!qerr.ok());
  CHECK(qerr.status().message().rfind(quoted + ":4:20: expected a value", 0) == 0);
  std::string structure = write("structure.yaml", "policy: 1\nrules:\n  - id: x\n    level: fatal\n");
  auto serr = importers::ReadPolicy(structure);
  REQUIRE(!serr.ok());
  CHECK(serr.status().message().find(":4:12: level: expected error, warning or note, found 'fatal'") !=
        std::string::npos);
  CHECK(serr.status().message().find("give exactly one of flows, nodes or blast") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("export: a neighbourhood keeps only nearby nodes; a blast marks seed, controlled and exposed") {
  MapBuilder m;
  m.Node("app").Node("db").Node("far").Node("idp", NodeKind::kVendor);
  m.Flow("app", "db", {"user.name"}).Flow("db", "far", {"*"});
  m.Access("idp", "app", Privilege::kAdmin).Access("app", "db", Privilege::kRead);
  core::Graph g = GraphOf(m);
  ExportOptions around;
  around.around = "app";
  auto csv = ExportGraph(g, ExportFormat::kCsv, around);
  REQUIRE(csv.ok());
  CHECK(csv.value().find("far") == std::string::npos);
  CHECK(csv.value().find("flow,app,system,,db,system,,user.name,flows.yaml:10:3") != std::string::npos);
  ExportOptions blast;
  blast.blast = {"idp"};
  auto json = ExportGraph(g, ExportFormat::kJson, blast);
  REQUIRE(json.ok());
  CHECK(json.value().find("\"state\": \"seed\"") != std::string::npos);
  CHECK(json.value().find("\"state\": \"controlled\"") != std::string::npos);
  CHECK(json.value().find("\"state\": \"exposed\"") != std::string::npos);
  ExportOptions unknown;
  unknown.around = "ap";
  CHECK(ExportGraph(g, ExportFormat::kDot, unknown).status().message() ==
        "no node 'ap' (did you mean 'app'?)");
}

TEST_CASE("SARIF: a location's uri is the manifest path as an RFC 3986 URI reference") {
  CheckResult r;
  r.rules.push_back({"no-restricted", "", "error"});
  r.violations.push_back({"no-restricted", "error", "m", {"our maps #1/caf\xc3\xa9 100%.yaml", 7, 3}});
  r.violations.push_back({"no-restricted", "warning", "m", {"datasets/acme-ai/vendors/okta.yaml", 0, 0}});
  std::string sarif = CheckToSarif(r, "0.1.0");
  CHECK(sarif.find("\"uri\": \"our%20maps%20%231/caf%C3%A9%20100%25.yaml\"") != std::string::npos);
  CHECK(sarif.find("\"uri\": \"datasets/acme-ai/vendors/okta.yaml\"") != std::string::npos);
  CHECK(sarif.find("\"startLine\": 1") != std::string::npos);  // a line 0 is not a SARIF line
}

}  // namespace blastmap::query
