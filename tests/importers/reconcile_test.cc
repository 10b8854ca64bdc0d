// Several formats in one snapshot: format detection, and ids reconciled across formats.
#include <doctest/doctest.h>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

const std::string kNativeMixpanel = "vendors:\n  - id: mixpanel\n    name: Mixpanel\n    country: US\n";
const std::string kFidesMixpanel =
    "system:\n  - fides_key: mixpanel\n    name: Mixpanel\n    system_type: Third Party\n";
const std::string kCsvMixpanel = "Vendor,Country\nMixpanel,US\n";

}  // namespace

TEST_CASE("formats are detected by content, and --format reads every file as one format") {
  auto r = ImportPath(Fixture("mixed"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  CHECK(r.value().formats == std::vector<std::string>{"backstage", "native", "csv"});
  ImportOptions fides;
  fides.format = "fides";
  CHECK(ErrorOf("m.yaml", kNativeMixpanel, fides) ==
        "m.yaml:1:1: fides resource file: unknown key 'vendors'");
  ImportOptions bad;
  bad.format = "fidez";
  CHECK(ErrorOf("m.yaml", kNativeMixpanel, bad) == "unknown format 'fidez' (did you mean 'fides'?)");
  SUBCASE("a document no format recognises is read as native, which names its unknown keys") {
    CHECK(ErrorOf("m.yaml", "sytems: []\n") ==
          "m.yaml:1:1: manifest: unknown key 'sytems' (did you mean 'systems'?)");
  }
}

TEST_CASE("the same id from two formats merges when the declarations agree") {
  auto r = ImportPath(Fixture("mixed"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  // Backstage names 'mixpanel' (an implied vendor), the CSV declares it: one vendor with the CSV's
  // attributes.
  const core::Node* mixpanel = m.FindNode("mixpanel");
  REQUIRE(mixpanel);
  CHECK(mixpanel->name == "Mixpanel");
  CHECK(core::ToStrings(mixpanel->attrs.at("country")) == std::vector<std::string>{"US"});
  CHECK(mixpanel->where.file.find("vendors.csv") != std::string::npos);
  // The native manifest and the CSV's sub-processor column name the same hosting vendor.
  const core::Node* aws = m.FindNode("amazon-web-services");
  REQUIRE(aws);
  CHECK(core::ToStrings(aws->attrs.at("role")) == std::vector<std::string>{"hosting"});
  CHECK(core::ToStrings(aws->attrs.at("certifications")) == std::vector<std::string>{"SOC2", "ISO27001"});
  int count = 0;
  for (const auto& n : m.nodes) count += n.id == "mixpanel" || n.id == "amazon-web-services";
  CHECK(count == 2);

  CHECK(ErrorOfTree({{"a.yaml", kNativeMixpanel}, {"b.csv", kCsvMixpanel}, {"c.yaml", kFidesMixpanel}}) ==
        "");
  TempTree tree;
  tree.Write("a.yaml", kNativeMixpanel);
  tree.Write("b.csv", "Vendor,Country,Tier\nMixpanel,US,2\n");
  auto merged = ImportPath(tree.root());
  REQUIRE(merged.ok());
  const core::Node* n = merged.value().model.FindNode("mixpanel");
  CHECK(core::ToStrings(n->attrs.at("tier")) == std::vector<std::string>{"2"});
  CHECK(n->attrs.at("sources").size() == 2);
}

TEST_CASE("the same id from two formats with different attributes is an error naming both places") {
  CHECK(ErrorOfTree({{"a.yaml", kNativeMixpanel}, {"b.csv", "Vendor,Country\nMixpanel,FR\n"}}) ==
        "b.csv:2:1: 'mixpanel' is declared with two values of country, 'US' and 'FR' (native at a.yaml:2:9, "
        "csv here)");
  CHECK(ErrorOfTree({{"a.yaml", "systems:\n  - id: mixpanel\n"}, {"b.csv", kCsvMixpanel}}) ==
        "b.csv:2:1: 'mixpanel' is declared as a system and as a vendor (native at a.yaml:2:9, csv here)");
  CHECK(ErrorOfTree(
            {{"a.yaml", "vendors:\n  - id: mixpanel\n    name: MixPanel Inc\n"}, {"b.csv", kCsvMixpanel}}) ==
        "b.csv:2:1: 'mixpanel' is declared with two names, 'MixPanel Inc' and 'Mixpanel' (native at "
        "a.yaml:2:9, csv "
        "here)");
  CHECK(ErrorOfTree({{"a.yaml", "subjects:\n  - {id: customer, kind: employee}\n"},
                     {"b.csv", "Vendor,Data Categories,Data Subjects\nAcme,Email,Customers\n"}}) ==
        "b.csv:2:12: subject 'customer' is of kind 'customer' here but of kind 'employee' at a.yaml:2:10");
  SUBCASE("inside one format a duplicate stays an error") {
    CHECK(ErrorOfTree({{"a.yaml", kNativeMixpanel}, {"b.yaml", kNativeMixpanel}}) ==
          "b.yaml:2:9: duplicate id 'mixpanel' (first declared at a.yaml:2:9)");
  }
}

}  // namespace blastmap::importers

namespace blastmap::importers {

TEST_CASE("several paths are one import; a file named twice is read once; --format picks the files") {
  using namespace testing;
  TempTree tree;
  std::string native = tree.Write("a/m.yaml", "systems:\n  - id: web\n");
  std::string csv = tree.Write("b/v.csv", "Vendor,Data Categories,Source\nAcme,Email,web\n");
  tree.Write("b/columns.yaml", "columns:\n  vendor: Vendor\n");
  ImportOptions options;
  options.csv_map = tree.root() + "/b/columns.yaml";  // inside an imported directory: skipped as a manifest
  auto r = ImportPaths({tree.root() + "/a", tree.root() + "/b", native}, options);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  CHECK(r.value().files.size() == 2);
  CHECK(FindFlow(r.value().model, "web", "acme"));
  ImportOptions only_csv;
  only_csv.format = "csv";
  auto c = ImportPaths({tree.root() + "/b"}, only_csv);  // the mapping file is YAML: not read as CSV
  REQUIRE_FALSE(c.ok());                                 // 'web' is declared by the native file only
  CHECK(tree.Relative(c.status().message()) == "b/v.csv:2:1: flow from 'web' names no known node");
}

TEST_CASE("messages cut long values instead of echoing them") {
  using namespace testing;
  std::string value(500, 'x');
  CHECK(ErrorOf("m.yaml", "systems: " + value + "\n") ==
        "m.yaml:1:10: systems: expected a list, found '" + std::string(77, 'x') + "...'");
}

}  // namespace blastmap::importers
