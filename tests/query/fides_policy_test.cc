// Fides policies (docs/importers/fides.md#policies): read from an imported tree or a policy file, checked
// key by key, and evaluated on the privacy declarations with Fides' ANY/ALL/NONE/OTHER over hierarchies.
#include <doctest/doctest.h>

#include "core/graph.h"
#include "importers/policy_reader.h"
#include "query/policy_check.h"
#include "tests/importers/import_helpers.h"

namespace blastmap::query {
namespace {

using importers::testing::Fixture;
using importers::testing::TempTree;

// One system with three declarations and a referenced dataset, written as Fides writes them.
const char* kTree = R"(system:
  - fides_key: app
    name: App
    system_type: Application
    privacy_declarations:
      - name: Ads
        data_categories: [user.contact.email, user.device.ip_address]
        data_use: marketing.advertising.first_party
        data_subjects: [customer]
      - name: Accounts
        data_categories: [user.contact]
        data_use: essential.service
        data_subjects: [customer, employee]
      - name: Care
        data_categories: [system.operations]
        data_use: essential.service.operations.support
        data_subjects: [customer]
        dataset_references: [tickets]
dataset:
  - fides_key: tickets
    collections:
      - name: tickets
        data_categories: [system.operations]
        fields:
          - name: notes
            data_categories: [user.health_and_medical]
)";

core::Graph GraphOf(const TempTree& tree) {
  auto imported = importers::ImportPath(tree.root() + "/map.yml");
  REQUIRE_MESSAGE(imported.ok(), imported.status().message());
  auto g = core::Graph::Build(imported.value().model);
  REQUIRE(g.ok());
  return g.take();
}

std::string Rule(const std::string& categories, const std::string& uses, const std::string& subjects) {
  auto part = [](const char* name, const std::string& selector) {
    auto space = selector.find(' ');
    return std::string("        ") + name + ":\n          matches: " + selector.substr(0, space) +
           "\n          values: [" + (space == std::string::npos ? "" : selector.substr(space + 1)) + "]\n";
  };
  return "policy:\n  - fides_key: p\n    rules:\n      - name: r\n" + part("data_categories", categories) +
         part("data_uses", uses) + part("data_subjects", subjects);
}

// "declaration: categories | uses | subjects" for each violation of a one-rule policy.
std::vector<std::string> Violations(const core::Graph& g, TempTree& tree, const std::string& policy) {
  auto file = importers::ReadPolicyFile(tree.Write("policy.yml", policy), g.taxonomy());
  REQUIRE_MESSAGE(file.ok(), file.status().message());
  CheckResult r;
  CheckFidesPolicies(g, file.value().fides, r);
  std::vector<std::string> out;
  for (const auto& v : r.violations) {
    REQUIRE(v.fides);
    std::string s = v.fides->declaration + (v.fides->dataset.empty() ? "" : "@" + v.fides->dataset) + ":";
    for (const auto* keys : {&v.fides->categories, &v.fides->uses, &v.fides->subjects}) {
      for (size_t i = 0; i < keys->size(); ++i) s += (i ? "," : " ") + (*keys)[i];
      s += keys == &v.fides->subjects ? "" : " |";
    }
    out.push_back(s);
  }
  return out;
}

std::string ErrorOf(const core::Graph& g, TempTree& tree, const std::string& policy) {
  auto file = importers::ReadPolicyFile(tree.Write("policy.yml", policy), g.taxonomy());
  return file.ok() ? "" : tree.Relative(file.status().message());
}

using List = std::vector<std::string>;

}  // namespace

TEST_CASE("fides policies: each match mode over key hierarchies, all three parts needed") {
  TempTree tree;
  tree.Write("map.yml", kTree);
  core::Graph g = GraphOf(tree);

  SUBCASE("ANY: a rule on user.contact catches user.contact.email, not a parent of its values") {
    CHECK(Violations(g, tree, Rule("ANY user.contact", "ANY marketing", "ANY customer")) ==
          List{"Ads: user.contact.email | marketing.advertising.first_party | customer"});
    CHECK(Violations(g, tree, Rule("ANY user.contact.email", "ANY essential", "ANY customer")).empty());
  }
  SUBCASE("all three parts must match: categories and subjects alone do not violate") {
    CHECK(Violations(g, tree, Rule("ANY user.contact", "ANY functional", "ANY customer")).empty());
    CHECK(Violations(g, tree, Rule("ANY user.contact", "ANY marketing", "ANY employee")).empty());
  }
  SUBCASE("ALL: every declared key must match, and all of them are reported") {
    CHECK(Violations(g, tree, Rule("ALL user.contact, user.device", "ANY marketing", "ANY customer")) ==
          List{"Ads: user.contact.email,user.device.ip_address | marketing.advertising.first_party | customer"});
    CHECK(Violations(g, tree, Rule("ALL user.contact", "ANY marketing", "ANY customer")).empty());
    CHECK(Violations(g, tree, Rule("ANY user", "ANY essential", "ALL customer")) ==
          List{"Care@tickets: user.health_and_medical | essential.service.operations.support | customer"});
  }
  SUBCASE("NONE: fires when no declared key matches, reporting them all") {
    CHECK(Violations(g, tree, Rule("NONE user.financial", "ANY marketing", "ANY customer")) ==
          List{"Ads: user.contact.email,user.device.ip_address | marketing.advertising.first_party | customer"});
    CHECK(Violations(g, tree, Rule("NONE user.device", "ANY marketing", "ANY customer")).empty());
  }
  SUBCASE("OTHER: reports the declared keys outside the values") {
    CHECK(Violations(g, tree, Rule("OTHER user.contact", "ANY marketing", "ANY customer")) ==
          List{"Ads: user.device.ip_address | marketing.advertising.first_party | customer"});
    CHECK(Violations(g, tree, Rule("ANY user.contact", "OTHER marketing", "OTHER employee")) ==
          List{"Accounts: user.contact | essential.service | customer"});
  }
  SUBCASE("each level of a referenced dataset is evaluated with the declaration's use and subjects") {
    CHECK(Violations(g, tree, Rule("ANY user.health_and_medical", "ANY essential", "ANY customer")) ==
          List{"Care@tickets: user.health_and_medical | essential.service.operations.support | customer"});
    CHECK(Violations(g, tree, Rule("ANY system", "ANY essential.service.operations", "ANY customer")) ==
          List{"Care: system.operations | essential.service.operations.support | customer",
               "Care@tickets: system.operations | essential.service.operations.support | customer"});
  }
}

TEST_CASE("fides policies: a violation names the policy, rule, system, declaration and both locations") {
  TempTree tree;
  tree.Write("map.yml", kTree);
  core::Graph g = GraphOf(tree);
  auto file = importers::ReadPolicyFile(
      tree.Write("p.yml", Rule("ANY user.health_and_medical", "ANY essential", "ANY customer")), g.taxonomy());
  REQUIRE(file.ok());
  CheckResult r;
  CheckFidesPolicies(g, file.value().fides, r);
  REQUIRE(r.violations.size() == 1);
  REQUIRE(r.rules.size() == 1);
  const Violation& v = r.violations[0];
  CHECK(v.rule == "p/r");
  CHECK(r.rules[0].id == "p/r");
  CHECK(v.level == "error");
  CHECK(r.errors() == 1);
  CHECK(tree.Relative(v.where.ToString()) == "map.yml:14:9");  // the "Care" declaration
  CHECK(tree.Relative(v.fides->rule_at.ToString()) == "p.yml:4:9");
  CHECK(tree.Relative(v.fides->data_at.ToString()) == "map.yml:26:30");  // the field's data_categories
  CHECK(v.fides->policy == "p");
  CHECK(v.fides->system == "app");
  CHECK(v.fides->declaration == "Care");
  CHECK(tree.Relative(v.message) ==
        "declaration 'Care' of system app violates rule 'r' of Fides policy p: data categories "
        "(user.health_and_medical) for data uses (essential.service.operations.support) and subjects "
        "(customer) in dataset tickets (map.yml:26:30); rule at p.yml:4:9");
}

TEST_CASE("fides policies: the fixture tree's policy is kept with the map and passes; the example fails") {
  auto imported = importers::ImportPath(Fixture("fides"));
  REQUIRE_MESSAGE(imported.ok(), imported.status().message());
  const core::Model& m = imported.value().model;
  REQUIRE(m.fides_policies.size() == 1);
  const core::FidesPolicy& p = m.fides_policies[0];
  CHECK(p.fides_key == "shopco_policy");
  REQUIRE(p.rules.size() == 1);
  CHECK(p.rules[0].data_categories.values == List{"user.health_and_medical"});
  CHECK(m.declarations.size() == 5);  // storefront 2, klaviyo 1, analytics_pipeline 1, legacy_crm 1
  auto g = core::Graph::Build(m);
  REQUIRE(g.ok());
  CheckResult own;
  CheckFidesPolicies(g.value(), m.fides_policies, own);
  CHECK(own.violations.empty());
  CHECK(own.rules.size() == 1);

  auto example =
      importers::ReadPolicyFile(std::string(BLASTMAP_SOURCE_DIR) + "/docs/examples/fides_policy.yml",
                                g.value().taxonomy());
  REQUIRE_MESSAGE(example.ok(), example.status().message());
  CheckResult r;
  CheckFidesPolicies(g.value(), example.value().fides, r);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].rule == "shopco_marketing_policy/Reject direct marketing");
  CHECK(r.violations[0].fides->system == "klaviyo");
  CHECK(r.violations[0].fides->categories == List{"user.contact.email"});
  CHECK(r.violations[0].fides->uses == List{"marketing.communications.email"});
  CHECK(r.violations[0].where.line == 37);
}

TEST_CASE("fides policies: legacy keys are mapped with a warning, unknown keys are errors with file:line:col") {
  TempTree tree;
  tree.Write("map.yml", kTree);
  core::Graph g = GraphOf(tree);

  auto legacy = importers::ReadPolicyFile(
      tree.Write("legacy.yml", Rule("ANY user.provided.identifiable.contact.email", "ANY advertising",
                                    "ANY customer") +
                                   "        data_qualifier: aggregated\n"),
      g.taxonomy());
  REQUIRE_MESSAGE(legacy.ok(), legacy.status().message());
  CHECK(legacy.value().fides[0].rules[0].data_categories.values == List{"user.contact.email"});
  CHECK(legacy.value().fides[0].rules[0].data_uses.values == List{"marketing.advertising"});
  std::string warnings;
  for (const auto& w : legacy.value().warnings) warnings += tree.Relative(w) + "\n";
  CHECK(warnings.find("legacy.yml:7:20: warning: fideslang 1.x category "
                      "'user.provided.identifiable.contact.email' mapped to 'user.contact.email'") !=
        std::string::npos);
  CHECK(warnings.find("legacy.yml:10:20: warning: fideslang 1.x data use 'advertising' mapped to "
                      "'marketing.advertising'") != std::string::npos);
  CHECK(warnings.find("'data_qualifier' is a fideslang 1.x key; ignored") != std::string::npos);

  CHECK(ErrorOf(g, tree, Rule("ANY user.contact.emial", "ANY marketing", "ANY customer")) ==
        "policy.yml:7:20: unknown data category 'user.contact.emial' (did you mean 'user.contact.email'?)");
  CHECK(ErrorOf(g, tree, Rule("ANY user", "ANY marketing.advertsing", "ANY customer")) ==
        "policy.yml:10:20: unknown data use 'marketing.advertsing' (did you mean 'marketing.advertising'?)");
  CHECK(ErrorOf(g, tree, Rule("ANY user", "ANY marketing", "ANY custmer")) ==
        "policy.yml:13:20: unknown data subject 'custmer' (did you mean 'customer'?)");
  CHECK(ErrorOf(g, tree, Rule("ANYY user", "ANY marketing", "ANY customer")) ==
        "policy.yml:6:20: matches 'ANYY' is not ANY, ALL, NONE or OTHER (did you mean 'ANY'?)");
  CHECK(ErrorOf(g, tree,
                "policy:\n  - fides_key: p\n    rules:\n      - name: r\n        data_categories:\n"
                "          matches: ANY\n        data_uses: {matches: ANY, values: [marketing]}\n") ==
        "policy.yml:6:11: data_categories: 'values' is required\n"
        "policy.yml:4:9: policy rule 'r': 'data_subjects' is required");
  CHECK(ErrorOf(g, tree,
                "policy:\n  - fides_key: p\n    rules:\n"
                "      - {name: r, data_categories: {matches: ANY, values: [user]}, data_uses: {matches: ANY, "
                "values: [marketing]}, data_subjects: {matches: ANY, values: [customer]}}\n"
                "      - {name: r, data_categories: {matches: ANY, values: [user]}, data_uses: {matches: ANY, "
                "values: [marketing]}, data_subjects: {matches: ANY, values: [customer]}}\n"
                "  - {fides_key: p, rules: []}\n") ==
        "policy.yml:5:16: rule name 'r' is used twice in policy 'p'\n"
        "policy.yml:6:17: duplicate policy fides_key 'p' (first declared at policy.yml:2:16)");
  CHECK(ErrorOf(g, tree, "system: []\n") == "policy.yml: the file holds no fides policy resource");
}

TEST_CASE("fides policies: errors in a tree's policy fail the import with file:line:col") {
  TempTree tree;
  std::string policy = Rule("ANY user.contact", "ANY marketing", "ANY loyal_member");
  tree.Write("map.yml", std::string(kTree) + "data_subject:\n  - fides_key: loyalty_member\n" +
                            policy.substr(0, policy.size()));
  auto r = importers::ImportPath(tree.root());
  REQUIRE_FALSE(r.ok());
  CHECK(tree.Relative(r.status().message()) ==
        "map.yml:41:20: unknown data subject 'loyal_member' (did you mean 'loyalty_member'?)");
}

}  // namespace blastmap::query
