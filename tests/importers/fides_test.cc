// The fides (fideslang) importer: what maps to what, legacy 1.x keys, and every error it reports.
#include <doctest/doctest.h>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

const char* kSystem = R"(system:
  - fides_key: web
    name: Web
    system_type: Application
    privacy_declarations:
      - name: Accounts
        data_categories: [user.contact.email]
        data_use: essential.service
        data_subjects: [customer]
)";

}  // namespace

TEST_CASE("fides: systems, third-party systems, datasets and declarations map onto the model") {
  auto r = ImportPath(Fixture("fides"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  REQUIRE(m.FindNode("storefront"));
  CHECK(m.FindNode("storefront")->kind == core::NodeKind::kSystem);
  CHECK(core::ToStrings(m.FindNode("storefront")->attrs.at("type")) == std::vector<std::string>{"service"});
  CHECK(core::ToStrings(m.FindNode("storefront")->attrs.at("owner")) == std::vector<std::string>{"web-team"});
  CHECK(m.FindNode("klaviyo")->kind == core::NodeKind::kVendor);     // system_type Third Party, vendor_id
  CHECK(m.FindNode("legacy_crm")->kind == core::NodeKind::kVendor);  // system_type Third Party
  CHECK(core::ToStrings(m.FindNode("orders_db")->attrs.at("type")) == std::vector<std::string>{"database"});

  SUBCASE("privacy declarations are what a system holds, with their subjects") {
    CHECK(Held(m, "storefront") == std::vector<std::string>{"user.contact.address", "user.contact.email",
                                                            "user.contact.email.hashed",
                                                            "user.financial.credit_card"});
    REQUIRE(m.FindSubject("loyalty_member"));  // a data_subject extension
    CHECK(m.taxonomy.HasSubjectKind("loyalty_member"));
    CHECK(m.taxonomy.HasDataUse("marketing.loyalty"));
  }
  SUBCASE("dataset categories are additive over dataset, collections and nested fields") {
    CHECK(Held(m, "orders_db") == std::vector<std::string>{"system.operations", "user.contact.address.city",
                                                           "user.contact.address.street",
                                                           "user.contact.email", "user.financial.credit_card",
                                                           "user.payment"});
    const core::Access* ref = FindAccess(m, "storefront", "orders_db");
    REQUIRE(ref);  // dataset_references
    CHECK(ref->privilege == core::Privilege::kWrite);
  }
  SUBCASE("egress with categories, egress without them forwards everything, ingress echoes are kept once") {
    const core::Flow* f = FindFlow(m, "storefront", "klaviyo");
    REQUIRE(f);
    CHECK(core::ToStrings(f->categories) == std::vector<std::string>{"user.contact.email", "user.name"});
    CHECK(f->where.line == 11);
    CHECK(FindFlow(m, "storefront", "orders_db")->forwards_all);
    int back = 0;
    for (const auto& fl : m.flows) back += fl.from == "klaviyo" && fl.to == "storefront";
    CHECK(back == 1);
    int declared = 0;  // the Loyalty declaration's own egress
    for (const auto& fl : m.flows) {
      declared += fl.from == "storefront" && fl.to == "klaviyo" && fl.purpose == "marketing.loyalty";
    }
    CHECK(declared == 1);
  }
  SUBCASE(
      "the taxonomy extension refines the taxonomy; a re-declared default category keeps its attributes") {
    REQUIRE(m.taxonomy.Find("user.contact.email.hashed"));
    CHECK(m.taxonomy.Find("user.contact")->sensitivity == core::Sensitivity::kConfidential);
  }
  SUBCASE("a policy is validated and kept with the map, as are the privacy declarations") {
    REQUIRE(m.fides_policies.size() == 1);
    CHECK(m.fides_policies[0].fides_key == "shopco_policy");
    CHECK(m.fides_policies[0].rules[0].data_uses.values == std::vector<std::string>{"marketing"});
    CHECK_FALSE(HasWarning(r.value(), "policy"));
    auto it = std::find_if(m.declarations.begin(), m.declarations.end(),
                           [](const core::PrivacyDeclaration& d) { return d.name == "Checkout"; });
    REQUIRE(it != m.declarations.end());
    const core::PrivacyDeclaration& checkout = *it;
    CHECK(checkout.node == "storefront");
    CHECK(checkout.name == "Checkout");
    CHECK(checkout.use == "essential.service.payment_processing");
    CHECK(checkout.subjects == std::vector<std::string>{"customer"});
    CHECK(checkout.datasets == std::vector<std::string>{"orders_db"});
  }
}

TEST_CASE("fides: fideslang 1.x keys are mapped to current keys with a warning each") {
  auto r = ImportPath(Fixture("fides/legacy.yml"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  CHECK(Held(m, "analytics_pipeline") == std::vector<std::string>{"user.authorization.credentials",
                                                                  "user.contact.email",
                                                                  "user.device.ip_address"});
  const core::Flow* dep = FindFlow(m, "analytics_pipeline", "legacy_crm");
  REQUIRE(dep);  // system_dependencies
  CHECK(dep->forwards_all);
  CHECK(core::ToStrings(m.FindNode("legacy_crm")->attrs.at("data_locations")) == std::vector<std::string>{"USA"});
  CHECK(core::ToStrings(m.FindNode("analytics_pipeline")->attrs.at("responsibility")) ==
        std::vector<std::string>{"Processor"});
  std::string file = Fixture("fides/legacy.yml");
  CHECK(HasWarning(r.value(),
                   file + ":11:13: warning: fideslang 1.x category "
                          "'user.provided.identifiable.contact.email' mapped to 'user.contact.email'"));
  CHECK(HasWarning(r.value(), file + ":13:13: warning: fideslang 1.x category 'user.credentials' mapped to "
                                     "'user.authorization.credentials'"));
  CHECK(HasWarning(r.value(), file + ":14:19: warning: fideslang 1.x data use 'improve.system' mapped to "
                                     "'functional.service.improve'"));
  CHECK(HasWarning(r.value(),
                   file + ":7:26: warning: fideslang 1.x key 'system_dependencies' mapped to egress"));
  CHECK(HasWarning(r.value(), file + ":21:30: warning: fideslang 1.x key 'third_country_transfers'"));
  CHECK(HasWarning(r.value(), file + ":15:25: warning: 'data_qualifier' is a fideslang 1.x key; ignored"));
  CHECK(r.value().warnings.size() == 10);
}

TEST_CASE("fides: every error names file:line:col") {
  CHECK(ErrorOf("f.yml", "fides_key: web\nname: Web\n") ==
        "f.yml:1:1: a fides resource file lists its resources under their type (system:, dataset:, "
        "data_category:, ...), not at top level");
  CHECK(ErrorOf("f.yml", "dataset: []\nsytem: []\n") ==
        "f.yml:2:1: fides resource file: unknown key 'sytem' (did you mean 'system'?)");
  CHECK(ErrorOf("f.yml", "system:\n  - name: Web\n") == "f.yml:2:5: system: 'fides_key' is required");
  CHECK(ErrorOf("f.yml", "system:\n  - fides_key: ''\n") == "f.yml:2:16: system: 'fides_key' is empty");
  CHECK(ErrorOf("f.yml", "system:\n  - fides_key: web\n    privacy_declaration: []\n") ==
        "f.yml:3:5: system: unknown key 'privacy_declaration' (did you mean 'privacy_declarations'?)");
  SUBCASE("unknown and unmappable categories, uses and subjects suggest the nearest key") {
    std::string bad = kSystem;
    bad.replace(bad.find("user.contact.email"), 18, "user.contact.emial");
    CHECK(ErrorOf("f.yml", bad) ==
          "f.yml:7:27: unknown data category 'user.contact.emial' (did you mean 'user.contact.email'?)");
    bad = kSystem;
    bad.replace(bad.find("user.contact.email"), 18, "user.provided.identifiable.contact.emial");
    CHECK(ErrorOf("f.yml", bad) ==
          "f.yml:7:27: unknown data category 'user.provided.identifiable.contact.emial' (did you mean "
          "'user.provided.identifiable.contact.email'?)");
    bad = kSystem;
    bad.replace(bad.find("essential.service"), 17, "essential.servce");
    CHECK(ErrorOf("f.yml", bad) ==
          "f.yml:8:19: unknown data use 'essential.servce' (did you mean 'essential.service'?)");
    bad = kSystem;
    bad.replace(bad.find("[customer]"), 10, "[custmer]");
    CHECK(ErrorOf("f.yml", bad) ==
          "f.yml:9:25: subject kind 'custmer' is not a data subject of the taxonomy (did you mean "
          "'customer'?)");
  }
  SUBCASE("declarations need categories and a use") {
    CHECK(ErrorOf("f.yml",
                  "system:\n  - fides_key: web\n    privacy_declarations:\n      - name: x\n"
                  "        data_use: essential\n") ==
          "f.yml:4:9: privacy declaration: 'data_categories' is required");
    CHECK(ErrorOf("f.yml",
                  "system:\n  - fides_key: web\n    privacy_declarations:\n"
                  "      - data_categories: [user.name]\n") ==
          "f.yml:4:9: privacy declaration: 'data_use' is required");
  }
  SUBCASE("egress and ingress name known systems and datasets") {
    CHECK(ErrorOf("f.yml",
                  "system:\n  - fides_key: web\n    egress:\n      - {fides_key: klavio, type: system}\n"
                  "  - fides_key: klaviyo\n") ==
          "f.yml:4:21: flow to 'klavio' names no known node (did you mean 'klaviyo'?)");
    CHECK(ErrorOf("f.yml",
                  "system:\n  - fides_key: web\n    egress:\n      - {fides_key: db, type: databse}\n"
                  "dataset:\n  - fides_key: db\n") ==
          "f.yml:4:31: egress type 'databse' is not system or dataset (did you mean 'dataset'?)");
    CHECK(ErrorOf("f.yml",
                  "system:\n  - fides_key: web\n    dataset_references: [order_db]\n"
                  "dataset:\n  - fides_key: orders_db\n") ==
          "f.yml:3:26: access to 'order_db' names no known node (did you mean 'orders_db'?)");
  }
  SUBCASE("duplicates") {
    CHECK(ErrorOf("f.yml", "system:\n  - fides_key: web\n  - fides_key: web\n") ==
          "f.yml:3:16: duplicate id 'web' (first declared at f.yml:2:16)");
    CHECK(ErrorOf("f.yml",
                  "dataset:\n  - fides_key: db\n    collections:\n      - name: users\n"
                  "      - name: users\n") == "f.yml:5:15: collection 'users' appears twice in dataset 'db'");
    CHECK(ErrorOf("f.yml",
                  "dataset:\n  - fides_key: db\n    collections:\n      - name: users\n        fields:\n"
                  "          - name: email\n          - name: email\n") ==
          "f.yml:7:19: field 'users.email' appears twice");
  }
  SUBCASE("taxonomy extensions and policies") {
    CHECK(
        ErrorOf("f.yml", "data_category:\n  - fides_key: user.contact.pager\n    parent_key: user\n") ==
        "f.yml:3:17: parent_key 'user' is not the prefix of 'user.contact.pager' ('user.contact'); blastmap "
        "keys are hierarchical by their dots");
    CHECK(ErrorOf("f.yml", "data_category:\n  - fides_key: custom.thing\n") ==
          "f.yml:2:16: category 'custom.thing' has no parent category 'custom'");
    CHECK(ErrorOf("f.yml",
                  "policy:\n  - fides_key: p\n    rules:\n      - name: r\n        data_categories:\n"
                  "          matches: SOME\n          values: [user.nam]\n") ==
          "f.yml:6:20: matches 'SOME' is not ANY, ALL, NONE or OTHER\n"
          "f.yml:7:20: unknown data category 'user.nam' (did you mean 'user.name'?)\n"
          "f.yml:4:9: policy rule 'r': 'data_uses' is required\n"
          "f.yml:4:9: policy rule 'r': 'data_subjects' is required");
  }
}

}  // namespace blastmap::importers
