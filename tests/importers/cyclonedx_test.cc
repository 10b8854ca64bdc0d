// The CycloneDX importer: services, providers, data flows, trust zones, dependencies, and every error.
#include <doctest/doctest.h>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

// One service per line, so that positions are easy to read.
std::string Bom(const std::string& services, const std::string& extra = "") {
  return "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n"
         "\"metadata\": {\"supplier\": {\"name\": \"Us\"}, \"component\": {\"bom-ref\": \"app\", \"name\": "
         "\"App\"}},\n"
         "\"services\": [\n" +
         services + "\n]" + extra + "}\n";
}

}  // namespace

TEST_CASE("cyclonedx: services, providers, data flows and dependencies map onto the model") {
  auto r = ImportPath(Fixture("cyclonedx"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  SUBCASE("the BOM's own component is a system; another organisation's service a vendor") {
    CHECK(m.FindNode("shop-backend")->kind == core::NodeKind::kSystem);
    const core::Node* stripe = m.FindNode("stripe");
    REQUIRE(stripe);
    CHECK(stripe->kind == core::NodeKind::kVendor);
    CHECK(stripe->name == "Stripe Payments API");
    CHECK(core::ToStrings(stripe->attrs.at("provider")) == std::vector<std::string>{"Stripe, Inc."});
    CHECK(core::ToStrings(stripe->attrs.at("trust_zone")) == std::vector<std::string>{"external"});
    CHECK(core::ToStrings(stripe->attrs.at("crosses_trust_boundary")) == std::vector<std::string>{"true"});
    CHECK(core::ToStrings(stripe->attrs.at("contacts")) == std::vector<std::string>{"security@stripe.com"});
    CHECK(m.FindNode("orders-api")->kind == core::NodeKind::kSystem);    // provided by the BOM's supplier
    CHECK(m.FindNode("stripe-radar")->kind == core::NodeKind::kVendor);  // nested: inherits the provider
    CHECK(core::ToStrings(m.FindNode("stripe-radar")->attrs.at("part_of")) == std::vector<std::string>{"stripe"});
  }
  SUBCASE("inbound data flows from our side into the service, outbound back, classifications as categories") {
    const core::Flow* card = FindFlow(m, "shop-backend", "stripe");
    REQUIRE(card);
    CHECK(core::ToStrings(card->categories) == std::vector<std::string>{"user.financial.credit_card"});  // "PCI"
    const core::Flow* back = FindFlow(m, "stripe", "shop-backend");
    REQUIRE(back);
    CHECK(core::ToStrings(back->categories) == std::vector<std::string>{"user.contact.email"});  // "Email address"
    CHECK(core::ToStrings(FindFlow(m, "shop-backend", "stripe-radar")->categories) ==
          std::vector<std::string>{"user.device.ip_address"});
    CHECK(FindFlow(m, "segment", "shop-backend"));  // bi-directional
    CHECK(FindFlow(m, "shop-backend", "segment"));
    CHECK(core::ToStrings(FindFlow(m, "newsletter-app", "mailchimp")->categories) ==
          std::vector<std::string>{"user"});  // 1.4 "PII"
  }
  SUBCASE("1.5 source and destination name bom-refs; URLs are skipped with a warning") {
    CHECK(FindFlow(m, "orders-api", "segment"));
    CHECK(FindFlow(m, "orders-api", "worker"));  // a component becomes a system when data flows to it
    CHECK(HasWarning(r.value(),
                     "bom.json:54:48: warning: data flow endpoint 'https://hooks.example.com/orders' "
                     "is a URL, not a bom-ref; skipped"));
  }
  SUBCASE("whoever depends on an authenticated service holds its credentials") {
    CHECK(FindAccess(m, "shop-backend", "stripe")->privilege == core::Privilege::kWrite);
    CHECK(FindAccess(m, "worker", "orders-api"));
    CHECK(FindAccess(m, "shop-backend", "orders-api"));
    CHECK(FindAccess(m, "newsletter-app", "mailchimp"));  // no dependencies: the BOM's component
  }
}

TEST_CASE("cyclonedx: every error names file:line:col") {
  CHECK(
      ErrorOf(
          "b.json",
          Bom(R"({"bom-ref": "s", "name": "S", "data": [{"flow": "inbound", "classification": "PII"}]})")) ==
      "");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "s"})")) == "b.json:4:1: service: 'name' is required");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "app", "name": "S"})")) ==
        "b.json:4:13: bom-ref 'app' is used twice (first at b.json:2:67)");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "s", "name": "S", "authenticatd": true})")) ==
        "b.json:4:31: service: unknown key 'authenticatd' (did you mean 'authenticated'?)");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "s", "name": "S", "data": [{"flow": "in"}]})")) ==
        "b.json:4:40: data: 'flow' and 'classification' are required");
  CHECK(ErrorOf(
            "b.json",
            Bom(R"({"bom-ref": "s", "name": "S", "data": [{"flow": "inboud", "classification": "PII"}]})")) ==
        "b.json:4:49: flow 'inboud' is not inbound, outbound, bi-directional or unknown (did you mean "
        "'inbound'?)");
  CHECK(
      ErrorOf(
          "b.json",
          Bom(R"({"bom-ref": "s", "name": "S", "data": [{"flow": "inbound", "classification": "Emial address"}]})")) ==
      "b.json:4:78: classification 'Emial address' names no data category (did you mean 'Email Address'?)");
  CHECK(
      ErrorOf(
          "b.json",
          Bom(R"({"bom-ref": "s", "name": "S", "data": [{"flow": "outbound", "classification": "PII", "destination": ["ap"]}]})")) ==
      "b.json:4:102: 'ap' is not a bom-ref of this BOM (did you mean 'app'?)");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "s", "name": "S"})",
                              R"(, "dependencies": [{"ref": "app", "dependsOn": ["ss"]}])")) ==
        "b.json:5:50: 'ss' is not a bom-ref of this BOM (did you mean 's'?)");
  CHECK(ErrorOf("b.json", Bom(R"({"bom-ref": "s", "name": "S"})", R"(, "dependencies": [{"ref": "apq"}])")) ==
        "b.json:5:29: 'apq' is not a bom-ref of this BOM (did you mean 'app'?)");
  CHECK(
      ErrorOf(
          "b.json",
          R"({"bomFormat": "CycloneDX", "services": [{"name": "S", "data": [{"flow": "inbound", "classification": "PII"}]}]})") ==
      "b.json:1:64: data flow of 's' names no source and the BOM has no metadata.component to stand for our "
      "side");
  CHECK(ErrorOf("b.json", "{\"bomFormat\": \"CycloneDX\",\n \"services\": [}\n") ==
        "b.json:2:15: invalid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or "
        "a literal");
}

}  // namespace blastmap::importers
