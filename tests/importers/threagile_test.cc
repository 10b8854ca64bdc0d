// The Threagile importer: what maps to what, includes, and every error it reports.
#include <doctest/doctest.h>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

// A small model; tests replace parts of it.
const std::string kModel = R"(threagile_version: 1.0.0
title: t
data_assets:
  Contacts:
    id: contacts
    tags: [user.contact]
    quantity: many
    confidentiality: confidential
technical_assets:
  App:
    id: app
    type: process
    data_assets_processed: [contacts]
    communication_links:
      To DB:
        target: db
        authentication: credentials
        data_assets_sent: [contacts]
  DB:
    id: db
    type: datastore
    data_assets_stored: [contacts]
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("threagile: assets, data assets, links, trust boundaries and includes map onto the model") {
  auto r = ImportPath(Fixture("threagile"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  CHECK(r.value().files.size() == 3);  // threagile.yaml and its two includes, each read once
  SUBCASE("data assets become categories: under a taxonomy tag, or under data_asset") {
    const auto* contacts = m.taxonomy.Find("user.contact.customer_contacts");
    REQUIRE(contacts);
    CHECK(contacts->sensitivity == core::Sensitivity::kRestricted);  // confidential
    CHECK(contacts->name == "Customer Contacts");
    CHECK(m.taxonomy.Find("data_asset.customer_orders")->sensitivity == core::Sensitivity::kConfidential);
    CHECK(m.taxonomy.Find("data_asset.product_catalog")->sensitivity == core::Sensitivity::kPublic);
    CHECK(m.taxonomy.Find("user.financial.credit_card.card_data")->flags ==
          m.taxonomy.Find("user.financial.credit_card")->flags);  // inherited from the tag
  }
  SUBCASE("technical assets: processes and datastores are systems, external entities vendors") {
    CHECK(m.FindNode("web-shop")->kind == core::NodeKind::kSystem);
    CHECK(core::ToStrings(m.FindNode("shop-db")->attrs.at("type")) == std::vector<std::string>{"database"});
    CHECK(m.FindNode("payment-provider")->kind == core::NodeKind::kVendor);
    CHECK(m.FindNode("customer-browser")->kind == core::NodeKind::kSystem);  // used by a human: a client
    CHECK(m.FindNode("ci")->kind == core::NodeKind::kVendor);                // tagged vendor
    CHECK(core::ToStrings(m.FindNode("web-shop")->attrs.at("shared_runtime")) == std::vector<std::string>{"k8s"});
    CHECK(Held(m, "shop-db") ==
          std::vector<std::string>{"data_asset.customer_orders", "user.contact.customer_contacts"});
    int64_t records = 0;
    for (const auto& h : m.holdings) records = h.node == "shop-db" ? h.records : records;
    CHECK(records == 10000000);  // very-many
  }
  SUBCASE("links: data sent and received are flows, authentication an access edge") {
    const core::Flow* sent = FindFlow(m, "web-shop", "shop-db");
    REQUIRE(sent);
    CHECK(sent->categories.size() == 2);
    CHECK(sent->transport == "jdbc-encrypted");
    const core::Flow* received = FindFlow(m, "shop-db", "web-shop");
    REQUIRE(received);
    CHECK(core::ToStrings(received->categories) == std::vector<std::string>{"data_asset.customer_orders"});
    CHECK(FindAccess(m, "web-shop", "shop-db")->privilege == core::Privilege::kWrite);
    CHECK(FindAccess(m, "web-shop", "shop-db")->mechanism == "credentials (technical-user)");
    CHECK(FindAccess(m, "ci", "web-shop")->privilege == core::Privilege::kAdmin);  // devops over ssh
  }
  SUBCASE("a cloud-provider trust boundary is the vendor hosting what it contains, nested boundaries too") {
    REQUIRE(m.FindNode("cloud"));
    CHECK(m.FindNode("cloud")->kind == core::NodeKind::kVendor);
    CHECK(FindAccess(m, "cloud", "web-shop")->privilege == core::Privilege::kAdmin);
    CHECK(FindAccess(m, "cloud", "shop-db"));
    CHECK_FALSE(m.FindNode("db-network"));  // a security group is no vendor
  }
}

TEST_CASE("threagile: every error names file:line:col") {
  CHECK(ErrorOf("t.yaml", kModel) == "");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "    quantity: many", "    quantity: lots")) ==
        "t.yaml:7:15: quantity 'lots' is not very-few, few, many or very-many");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "confidentiality: confidential", "confidentiality: secret")) ==
        "t.yaml:8:22: confidentiality 'secret' is not a Threagile level");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "    id: contacts\n", "")) ==
        "t.yaml:5:5: data asset 'Contacts': 'id' is required\n"
        "t.yaml:12:29: 'contacts' is not a data asset id\n"
        "t.yaml:17:28: 'contacts' is not a data asset id\n"
        "t.yaml:21:26: 'contacts' is not a data asset id");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "    id: db\n", "    id: app\n")) ==
        "t.yaml:20:9: technical asset id 'app' is used twice (first at t.yaml:11:9)");
  CHECK(
      ErrorOf("t.yaml", Replace(kModel, "data_assets_stored: [contacts]", "data_assets_stored: [contact]")) ==
      "t.yaml:22:26: 'contact' is not a data asset id (did you mean 'contacts'?)");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "type: datastore", "type: database")) ==
        "t.yaml:21:11: technical asset type 'database' is not external-entity, process or datastore");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "target: db", "target: dbb")) ==
        "t.yaml:16:17: flow to 'dbb' names no known node (did you mean 'db'?)\n"
        "t.yaml:16:17: access to 'dbb' names no known node (did you mean 'db'?)");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "        target: db\n", "")) ==
        "t.yaml:16:9: communication link 'To DB': 'target' is required");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "authentication: credentials", "authentication: password")) ==
        "t.yaml:17:25: authentication 'password' is not a Threagile authentication");
  CHECK(ErrorOf("t.yaml", Replace(kModel, "data_assets_sent:", "data_asset_sent:")) ==
        "t.yaml:18:9: communication link: unknown key 'data_asset_sent' (did you mean 'data_assets_sent'?)");
  CHECK(ErrorOf("t.yaml",
                Replace(kModel, "data_assets:\n", "data_assets: [contacts]\ndata_assets_unused:\n")) ==
        "t.yaml:3:14: data_assets: expected a mapping of titles to entries, found a list\n"
        "t.yaml:14:29: 'contacts' is not a data asset id\n"
        "t.yaml:19:28: 'contacts' is not a data asset id\n"
        "t.yaml:23:26: 'contacts' is not a data asset id");
  SUBCASE("trust boundaries and shared runtimes name known assets") {
    std::string tb = kModel +
                     "trust_boundaries:\n  Net:\n    id: net\n    type: network-cloud\n"
                     "    technical_assets_inside: [ap]\n    trust_boundaries_nested: [other]\n"
                     "shared_runtimes:\n  K8s:\n    id: k8s\n    technical_assets_running: [dbb]\n";
    CHECK(ErrorOf("t.yaml", tb) ==
          "t.yaml:26:11: trust boundary type 'network-cloud' is not a Threagile type\n"
          "t.yaml:27:31: 'ap' is not a technical asset id (did you mean 'app'?)\n"
          "t.yaml:28:31: 'other' is not a trust boundary id\n"
          "t.yaml:32:32: 'dbb' is not a technical asset id (did you mean 'db'?)");
  }
  SUBCASE("includes") {
    CHECK(ErrorOf("t.yaml", Replace(kModel, "title: t\n", "title: t\nincludes: [missing.yaml]\n")) ==
          "t.yaml:3:12: 'missing.yaml' is not a readable file");
    // An include cycle reads each file once.
    CHECK(ErrorOfTree({{"a.yaml", Replace(kModel, "title: t\n", "title: t\nincludes: [b.yaml]\n")},
                       {"b.yaml", "includes: [a.yaml]\nshared_runtimes: {}\n"}}) == "");
  }
  SUBCASE("a key the reader does not know and that is close to no known key is a warning") {
    TempTree tree;
    auto r = ImportPath(tree.Write("t.yaml", kModel + "risk_overrides: {}\n"));
    REQUIRE(r.ok());
    CHECK(tree.Relative(r.value().warnings.at(0)) ==
          "t.yaml:23:1: warning: threagile model: key 'risk_overrides' is not used by blastmap; ignored");
  }
}

}  // namespace blastmap::importers
