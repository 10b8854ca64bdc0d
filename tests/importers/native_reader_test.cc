// Every kind of native-manifest error is reported as file:line:col with a clear message.
#include "importers/native_reader.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "importers/import.h"
#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {

using testing::TempTree;

// Imports `text` as one file `name` and returns the error message (empty when it imported).
std::string NativeError(const std::string& text, const std::string& name = "m.yaml") {
  return testing::ErrorOf(name, text);
}

const char* kValid = R"(subjects:
  - {id: api_user, kind: customer, jurisdictions: [US, EU]}
systems:
  - id: web
    type: frontend
    stores:
      - {categories: [user.contact.email], subjects: [api_user], records: 10}
    flows:
      - to: mixpanel
        categories: [user.contact.email]
        subjects: [api_user]
        purpose: analytics
vendors:
  - id: mixpanel
    dpa: 2023-04-01
    tier: 2
    flows:
      - {to: gcp, categories: "*"}
  - id: gcp
)";

}  // namespace

TEST_CASE("a valid manifest imports with its provenance") {
  TempTree tree;
  std::string path = tree.Write("m.yaml", kValid);
  auto r = ImportPath(path);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  CHECK(m.nodes.size() == 3);
  REQUIRE(m.flows.size() == 2);
  CHECK(m.flows[0].from == "web");
  CHECK(m.flows[0].where.file == path);
  CHECK(m.flows[0].where.line == 9);
  CHECK(m.flows[0].where.col == 9);
  CHECK(m.flows[1].forwards_all);
  CHECK(core::ToStrings(m.FindNode("mixpanel")->attrs.at("dpa")) == std::vector<std::string>{"2023-04-01"});
}

TEST_CASE("JSON manifests use the same schema as YAML") {
  std::string json = R"({"systems": [{"id": "web", "flows": [{"to": "v", "categories": ["user.name"]}]}],
 "vendors": [{"id": "v", "tier": 1}]})";
  CHECK(NativeError(json, "m.json") == "");
  CHECK(NativeError(R"({"systems": [{"id": "web", "colour": "red"}]})", "m.json") ==
        "m.json:1:28: system: unknown key 'colour'");
  SUBCASE("a JSON syntax error points at the offending character") {
    std::string msg = NativeError("{\"systems\": [\n  {\"id\": \"web\",}\n]}", "m.json");
    CHECK(msg.rfind("m.json:2:16: invalid JSON: ", 0) == 0);
  }
}

TEST_CASE("a YAML syntax error names file:line:col") {
  std::string msg = NativeError("systems:\n  - id: web\n    name: [unclosed\n");
  CHECK(msg.rfind("m.yaml:", 0) == 0);
  CHECK(msg.find("invalid YAML") != std::string::npos);
}

TEST_CASE("unknown keys are errors with a did-you-mean") {
  CHECK(NativeError("systems:\n  - id: web\n    onwer: team\n") ==
        "m.yaml:3:5: system: unknown key 'onwer' (did you mean 'owner'?)");
  CHECK(NativeError("sytems:\n  - id: web\n") ==
        "m.yaml:1:1: manifest: unknown key 'sytems' (did you mean 'systems'?)");
  CHECK(NativeError("vendors:\n  - id: v\n    type: database\n") == "m.yaml:3:5: vendor: unknown key 'type'");
}

TEST_CASE("dangling references name the place and suggest the id") {
  CHECK(NativeError("systems:\n  - id: web\n    flows:\n      - {to: mixpnl, categories: [user.name]}\n"
                    "vendors:\n  - id: mixpanel\n") ==
        "m.yaml:4:14: flow to 'mixpnl' names no known node (did you mean 'mixpanel'?)");
  CHECK(NativeError(
            "systems:\n  - id: web\n    stores:\n      - {categories: [user.name], subjects: [custmer]}\n"
            "subjects:\n  - {id: customer, kind: customer}\n") ==
        "m.yaml:4:46: subject 'custmer' is not declared under 'subjects' (did you mean 'customer'?)");
  CHECK(NativeError("access:\n  - {from: a, to: b, privilege: read}\nsystems:\n  - id: a\n") ==
        "m.yaml:2:19: access to 'b' names no known node");
}

TEST_CASE("duplicate ids across files name both places") {
  TempTree tree;
  tree.Write("a/one.yaml", "vendors:\n  - id: mixpanel\n");
  tree.Write("b/two.yaml", "systems:\n  - id: web\n  - id: mixpanel\n");
  auto r = ImportPath(tree.root());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == tree.root() + "/b/two.yaml:3:9: duplicate id 'mixpanel' (first declared at " +
                                    tree.root() + "/a/one.yaml:2:9)");
}

TEST_CASE("unknown categories get a did-you-mean, and custom categories extend the taxonomy") {
  CHECK(NativeError("systems:\n  - id: web\n    stores: [user.contact.emial]\n") ==
        "m.yaml:3:14: unknown category 'user.contact.emial' (did you mean 'user.contact.email'?)");
  CHECK(NativeError("systems:\n  - id: web\n    stores: [user.browser_os]\n"
                    "categories:\n  - {key: user.browser_os, sensitivity: internal}\n") == "");
  CHECK(NativeError("categories:\n  - {key: user.nope.deeper}\n") ==
        "m.yaml:2:11: category 'user.nope.deeper' has no parent category 'user.nope' (did you mean "
        "'user.name'?)");
}

TEST_CASE("type errors say what was expected and what was found") {
  CHECK(NativeError("vendors:\n  - id: v\n    tier: high\n") ==
        "m.yaml:3:11: tier: expected an integer, found 'high'");
  CHECK(NativeError("systems: web\n") == "m.yaml:1:10: systems: expected a list, found 'web'");
  CHECK(NativeError("systems:\n  - id: [a, b]\n") == "m.yaml:2:9: id: expected a string, found a list");
  CHECK(NativeError("systems:\n  - id: a\n    access:\n      - {to: b, privilege: root}\n  - id: b\n") ==
        "m.yaml:4:28: privilege 'root' is not one of read, write, admin, code");
  CHECK(
      NativeError("systems:\n  - id: a\n    access:\n      - {to: b, privilege: read, likelihood: 1.5}\n  - "
                  "id: b\n") == "m.yaml:4:46: likelihood must be in (0, 1], found 1.5");
  CHECK(NativeError("systems:\n  - id: a\n    stores:\n      - {categories: [user.name], records: -3}\n") ==
        "m.yaml:4:44: records: must be 0 or more, found -3");
  CHECK(NativeError("vendors:\n  - id: v\n    dpa: maybe\n") ==
        "m.yaml:3:10: dpa: expected yes, no or a date YYYY-MM-DD, found 'maybe'");
}

TEST_CASE("self-loops, missing fields and duplicate keys are errors") {
  CHECK(NativeError("systems:\n  - id: a\n    flows:\n      - {to: a, categories: [user.name]}\n") ==
        "m.yaml:4:9: flow from 'a' to itself (a self-loop)");
  CHECK(NativeError("systems:\n  - name: nameless\n") == "m.yaml:2:5: system: 'id' is required");
  CHECK(NativeError("flows:\n  - {from: '', to: b, categories: [user.name]}\nsystems:\n  - id: b\n") ==
        "m.yaml:2:12: flow: 'from' is empty");
  CHECK(NativeError("subjects:\n  - {id: '', kind: customer}\n") == "m.yaml:2:10: subject: 'id' is empty");
  CHECK(NativeError("systems:\n  - id: a\n    flows:\n      - {to: b}\n  - id: b\n") ==
        "m.yaml:4:9: flow a -> b: 'categories' is required (a list, or \"*\")");
  CHECK(NativeError("systems:\n  - id: a\n    name: x\n    name: y\n") ==
        "m.yaml:4:5: system: key 'name' appears twice");
}

TEST_CASE("every problem of an import is reported together") {
  std::string msg = NativeError("systems:\n  - id: a\n    onwer: x\n  - id: b\n    tier: 1\n");
  CHECK(msg ==
        "m.yaml:3:5: system: unknown key 'onwer' (did you mean 'owner'?)\n"
        "m.yaml:5:5: system: unknown key 'tier'");
}

TEST_CASE("a directory is read recursively in sorted order, hidden entries skipped") {
  TempTree tree;
  tree.Write("vendors/b.yaml", "vendors:\n  - id: b\n");
  tree.Write("vendors/a.yml", "vendors:\n  - id: a\n");
  tree.Write(".hidden/x.yaml", "this is: [not valid");
  tree.Write("README.md", "not a manifest");
  auto r = ImportPath(tree.root());
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  REQUIRE(r.value().files.size() == 2);
  CHECK(r.value().model.nodes[0].id == "a");
  CHECK(r.value().model.nodes[1].id == "b");
  SUBCASE("an empty tree is an error") {
    TempTree empty;
    auto e = ImportPath(empty.root());
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message().find("no manifests") != std::string::npos);
  }
}

TEST_CASE("a NUL byte is reported, not read past") {
  std::string text = "systems:\n  - id: a";
  text.push_back('\0');
  CHECK(NativeError(text) == "m.yaml:2:10: the file contains a NUL byte; a manifest is text");
}

TEST_CASE("the default taxonomy has every fideslang key of SPEC §8 with inherited attributes") {
  auto t = LoadDefaultTaxonomy();
  REQUIRE_MESSAGE(t.ok(), t.status().message());
  for (const char* key :
       {"system.authentication", "user.account.username", "user.authorization.password",
        "user.contact.address.street", "user.demographic.sexual_orientation", "user.device.ip_address",
        "user.financial.credit_card", "user.government_id.passport_number", "user.health_and_medical.genetic",
        "user.location.imprecise", "user.name.last", "user.unique_id.pseudonymous", "user.workplace",
        "user.childrens", "user.user_sensor"}) {
    CHECK_MESSAGE(t.value().Find(key) != nullptr, key);
  }
  const auto* card = t.value().Find("user.financial.credit_card");
  REQUIRE(card);
  CHECK(card->sensitivity == core::Sensitivity::kRestricted);
  CHECK((card->flags & static_cast<uint32_t>(core::Flag::kFinancial)) != 0);
  const auto* password = t.value().Find("user.authorization.password");
  REQUIRE(password);
  CHECK((password->flags & static_cast<uint32_t>(core::Flag::kCredentials)) != 0);
  CHECK(t.value().subject_kinds().size() >= 15);
  CHECK(t.value().HasSubjectKind("patient"));
  CHECK(t.value().HasDataUse("analytics"));
}

TEST_CASE("ReserveAhead grows a full table to the estimated end, once a percent of the input is read") {
  NativeDeclarations into, next;
  into.accesses.resize(1000);
  into.accesses.shrink_to_fit();
  next.accesses.resize(10);
  ReserveAhead(into, next, 0.005);
  CHECK(into.accesses.capacity() == 1000);  // too early to estimate: left to the vector's own growth
  ReserveAhead(into, next, 0.5);
  CHECK(into.accesses.capacity() == 2121);  // 1,010 rows at half the input, and 5 %
  into.accesses.resize(2121);
  ReserveAhead(into, next, 0.99);
  CHECK(into.accesses.capacity() == 2651);  // the estimate (2,260) is under a quarter more: a quarter more
  // Room left, or nothing yet (AppendDeclarations then takes `next`'s buffer whole): nothing moves.
  into.flows.reserve(100);
  into.flows.resize(10);
  next.flows.resize(10);
  ReserveAhead(into, next, 0.5);
  CHECK(into.flows.capacity() == 100);
  next.nodes.resize(10);
  ReserveAhead(into, next, 0.5);
  CHECK(into.nodes.capacity() == 0);
  // An import's model is the same with the estimates (a tree of 200 files, each a percent of the input).
  TempTree tree;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "s" + std::to_string(i), to = "s" + std::to_string((i + 1) % 200);
    tree.Write("f" + std::to_string(1000 + i) + ".yaml",
               "systems:\n  - id: " + id + "\n    flows:\n      - {to: " + to +
                   ", categories: [user.name]}\n    access:\n      - {to: " + to + ", privilege: read}\n");
  }
  auto r = ImportPath(tree.root());
  REQUIRE(r.ok());
  const auto& m = r.value().model;
  REQUIRE(m.nodes.size() == 200);
  REQUIRE(m.flows.size() == 200);
  REQUIRE(m.accesses.size() == 200);
  for (int i = 0; i < 200; ++i) {
    CHECK(m.nodes[i].id == "s" + std::to_string(i));
    CHECK(m.flows[i].from == m.nodes[i].id);
    CHECK(m.accesses[i].to == m.nodes[(i + 1) % 200].id);
  }
}

}  // namespace blastmap::importers
