// The Backstage catalog importer: entities, relations, the blastmap.io annotations, Locations, errors.
#include <doctest/doctest.h>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

std::string Component(const std::string& name, const std::string& annotations = "",
                      const std::string& spec = "") {
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name + "\n" +
         (annotations.empty() ? "" : "  annotations:\n" + annotations) + "spec:\n  type: service\n" + spec;
}

}  // namespace

TEST_CASE("backstage: components, resources, relations and annotations map onto the model") {
  auto r = ImportPath(Fixture("backstage/catalog-info.yaml"));  // the Location pulls in the rest
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  CHECK(r.value().files.size() == 3);
  SUBCASE("ids are entity refs; a component of an external type or marked vendor is a vendor") {
    const core::Node* checkout = m.FindNode("component:default/checkout");
    REQUIRE(checkout);
    CHECK(checkout->name == "Checkout");
    CHECK(core::ToStrings(checkout->attrs.at("owner")) == std::vector<std::string>{"group:default/web-team"});
    CHECK(core::ToStrings(checkout->attrs.at("system")) == std::vector<std::string>{"system:default/shop"});
    CHECK(checkout->where.line == 5);  // after the byte order mark, still line 5
    CHECK(core::ToStrings(m.FindNode("resource:default/orders-db")->attrs.at("type")) == std::vector<std::string>{"database"});
    CHECK(m.FindNode("component:default/stripe")->kind == core::NodeKind::kVendor);
    CHECK_FALSE(m.FindNode("api:default/payments-api"));  // APIs carry data; they hold none
  }
  SUBCASE("blastmap.io/stores is a holding, free-text names through the taxonomy") {
    CHECK(Held(m, "resource:default/orders-db") == std::vector<std::string>{"user.behavior.purchase_history",
                                                                            "user.contact.address",
                                                                            "user.contact.email"});
  }
  SUBCASE("blastmap.io/flow.<id> sends data to a node of any format; unknown, it is a vendor") {
    const core::Flow* f = FindFlow(m, "component:default/checkout", "mixpanel");
    REQUIRE(f);
    CHECK(core::ToStrings(f->categories) ==
          std::vector<std::string>{"user.contact.email", "user.name", "user.device.ip_address"});
    CHECK(f->records == 250000);
    CHECK(f->purpose == "analytics.reporting");
    CHECK(core::ToStrings(f->subjects) == std::vector<std::string>{"customer"});
    CHECK(m.FindNode("mixpanel")->kind == core::NodeKind::kVendor);
  }
  SUBCASE("a consumer sends a provider what the API's annotation lists; dependsOn is an access edge") {
    const core::Flow* api = FindFlow(m, "component:default/checkout", "component:default/payments");
    REQUIRE(api);
    CHECK(core::ToStrings(api->categories) == std::vector<std::string>{"user.financial.credit_card", "user.contact.email"});
    CHECK(FindAccess(m, "component:default/checkout", "resource:default/orders-db")->privilege ==
          core::Privilege::kWrite);
    CHECK(FindAccess(m, "resource:default/orders-db", "component:default/checkout"));  // a cycle
    CHECK(FindAccess(m, "component:default/payments", "component:default/stripe"));
  }
  SUBCASE("URL targets are never fetched; templates are skipped") {
    CHECK(HasWarning(r.value(),
                     "catalog-info.yaml:10:7: warning: location target "
                     "'https://github.com/shopco/infra/blob/main/catalog-info.yaml' is a URL"));
    CHECK(HasWarning(r.value(), "catalog-info.yaml:44:7: warning: Template entities are not used"));
  }
}

TEST_CASE("backstage: every error names file:line:col") {
  CHECK(ErrorOf("c.yaml", Component("web")) == "");
  CHECK(ErrorOf("c.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\n") ==
        "c.yaml:1:1: catalog entity: 'kind' and 'metadata' are required");
  CHECK(ErrorOf("c.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Componnt\nmetadata: {name: x}\n") ==
        "c.yaml:2:7: unknown entity kind 'Componnt' (did you mean 'component'?)");
  CHECK(ErrorOf("c.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {title: x}\n") ==
        "c.yaml:3:11: metadata: 'name' is required");
  CHECK(ErrorOf("c.yaml", Component("web") + "---\n" + Component("Web")) ==
        "c.yaml:11:9: entity 'component:default/web' is declared twice (first at c.yaml:4:9)");
  CHECK(ErrorOf("c.yaml", Component("web", "    blastmap.io/kind: vendr\n")) ==
        "c.yaml:6:23: blastmap.io/kind 'vendr' is not vendor or system (did you mean 'vendor'?)");
  CHECK(ErrorOf("c.yaml", Component("web", "    blastmap.io/store: user.name\n")) ==
        "c.yaml:6:5: unknown annotation 'blastmap.io/store' (did you mean 'blastmap.io/stores'?) "
        "(blastmap.io/flow.<node id> sends data to that node)");
  CHECK(ErrorOf("c.yaml", Component("web", "    blastmap.io/stores: \"Emial address\"\n")) ==
        "c.yaml:6:25: 'Emial address' names no data category (did you mean 'Email Address'?)");
  CHECK(ErrorOf("c.yaml", Component("web", "    blastmap.io/records: many\n")) ==
        "c.yaml:6:26: blastmap.io/records: expected an integer, found 'many'");
  CHECK(ErrorOf("c.yaml",
                Component("web", "", "  consumesApis: [payment-api]\n") +
                    "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: payments-api}\n") ==
        "c.yaml:7:18: API 'api:default/payment-api' is not in the catalog (did you mean "
        "'api:default/payments-api'?)");
  CHECK(ErrorOf("c.yaml",
                Component("web", "", "  dependsOn: [resource:orders]\n") +
                    "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: order}\n") ==
        "c.yaml:7:15: access to 'resource:default/orders' names no known node (did you mean "
        "'resource:default/order'?)");
  CHECK(ErrorOf("c.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\n"
                "spec:\n  targets: [./missing.yaml]\n") ==
        "c.yaml:5:13: '" + std::string("missing.yaml") + "' is not a readable file");
}

}  // namespace blastmap::importers
