// End to end for the foreign formats: the built binary imports each fixture, then `blast` gives the
// expected exposure; a failed import of any format leaves the store byte for byte as it was.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli/run_command.h"

namespace {

namespace fs = std::filesystem;

using blastmap::testing::Run;
using blastmap::testing::RunCommand;

using blastmap::testing::Blastmap;
using blastmap::testing::ReadFile;

std::string Fixture(const std::string& rel) {
  return std::string(BLASTMAP_SOURCE_DIR) + "/tests/importers/fixtures/" + rel;
}

// A fresh store path, removed with its WAL files at the end of the test.
struct TempDb {
  TempDb() {
    static int counter = 0;
    path = (fs::temp_directory_path() /
            ("blastmap_imp_e2e_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db"))
               .string();
  }
  ~TempDb() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }
  std::string path;
};

// Imports `args` into a fresh store and returns the exposed categories of `blast seeds`.
std::set<std::string> Exposed(const std::string& import_args, const std::string& seeds) {
  TempDb db;
  Run imported = Blastmap("import " + import_args + " --db " + db.path);
  REQUIRE_MESSAGE(imported.code == 0, imported.out);
  Run blast = Blastmap("blast " + seeds + " --format json --db " + db.path, false);
  REQUIRE_MESSAGE(blast.code == 0, blast.out);
  std::set<std::string> out;
  const nlohmann::json brief = nlohmann::json::parse(blast.out);
  for (const auto& e : brief["exposed"]) out.insert(e["category"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("import fides, then blast: a third-party system exposes what the systems send it") {
  CHECK(Exposed(Fixture("fides"), "klaviyo") ==
        std::set<std::string>{"user.contact.email", "user.contact.email.hashed", "user.name"});
  // Through a legacy system_dependencies edge, which forwards everything the pipeline holds.
  CHECK(Exposed(Fixture("fides/legacy.yml"), "legacy_crm") ==
        std::set<std::string>{"user.authorization.credentials", "user.contact.email",
                              "user.device.ip_address", "user.name"});
}

TEST_CASE(
    "import threagile, then blast: the cloud provider reaches everything it hosts and what they reach") {
  CHECK(Exposed(Fixture("threagile"), "payment-provider") ==
        std::set<std::string>{"user.financial.credit_card.card_data"});
  CHECK(Exposed(Fixture("threagile"), "cloud") ==
        std::set<std::string>{"data_asset.customer_orders", "data_asset.product_catalog",
                              "user.contact.customer_contacts", "user.financial.credit_card.card_data"});
}

TEST_CASE("import cyclonedx, then blast: a provider's service exposes what flows into it") {
  CHECK(Exposed(Fixture("cyclonedx"), "stripe") == std::set<std::string>{"user.financial.credit_card"});
  CHECK(Exposed(Fixture("cyclonedx"), "segment") ==
        std::set<std::string>{"user.behavior", "user.contact.email"});
}

TEST_CASE("import backstage, then blast: an annotated vendor and a compromised component") {
  CHECK(Exposed(Fixture("backstage/catalog-info.yaml") + " --format backstage", "mixpanel") ==
        std::set<std::string>{"user.contact.email", "user.device.ip_address", "user.name"});
}

TEST_CASE("import a CSV inventory, then blast a sub-processor two vendors share") {
  CHECK(Exposed(Fixture("csv/vendors.csv"), "google-cloud") ==
        std::set<std::string>{"user.contact.email", "user.device.ip_address", "user.location.imprecise",
                              "user.name", "user.behavior.browsing_history"});
}

TEST_CASE("several formats and several paths make one snapshot") {
  CHECK(Exposed(Fixture("mixed"), "amazon-web-services") ==
        std::set<std::string>{"user.contact.email", "user.name"});
  TempDb db;
  Run r = Blastmap("import " + Fixture("csv/mapped/inventory.csv") + " " + Fixture("fides/systems.yml") +
                   " " + Fixture("fides/taxonomy.yml") + " " + Fixture("fides/datasets.yml") + " --csv-map " +
                   Fixture("csv/mapping.yaml") + " --db " + db.path);
  REQUIRE_MESSAGE(r.code == 0, r.out);
  CHECK(r.out.find("imported 4 files (1 csv, 3 fides)") != std::string::npos);
  Run blast = Blastmap("blast twilio --format json --db " + db.path, false);
  std::set<std::string> exposed;
  const nlohmann::json brief = nlohmann::json::parse(blast.out);
  for (const auto& e : brief["exposed"]) exposed.insert(e["category"].get<std::string>());
  CHECK(exposed == std::set<std::string>{"user.behavior.purchase_history", "user.contact.email"});
}

TEST_CASE("a failed import of any format exits 2, names file:line:col and leaves the store unchanged") {
  TempDb db;
  REQUIRE(Blastmap("import " + Fixture("fides") + " --db " + db.path).code == 0);
  const std::string before = ReadFile(db.path);
  fs::path dir = fs::temp_directory_path() / ("blastmap_imp_bad_" + std::to_string(getpid()));
  fs::create_directories(dir);
  struct Case {
    std::string name, text, expected;
  };
  std::vector<Case> cases = {
      {"f.yml", "system:\n  - fides_key: a\n    egress: [{fides_key: b, data_categories: [user.emial]}]\n",
       "f.yml:3:47: unknown data category 'user.emial'"},
      {"t.yaml", "technical_assets:\n  A:\n    id: a\n    type: proces\n",
       "t.yaml:4:11: technical asset type"},
      {"b.json", "{\"bomFormat\": \"CycloneDX\", \"services\": [{\"bom-ref\": \"s\"}]}",
       "b.json:1:41: service: 'name'"},
      {"c.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {title: x}\n",
       "c.yaml:3:11:"},
      {"v.csv", "Vendor,Tier\nAcme,9\n", "v.csv:2:6: tier '9'"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    fs::path file = dir / c.name;
    std::ofstream(file, std::ios::binary) << c.text;
    Run r = Blastmap("import " + file.string() + " --db " + db.path);
    CHECK(r.code == 2);
    CHECK(r.out.find(file.string().substr(0, file.string().size() - c.name.size()) + c.expected) !=
          std::string::npos);
    CHECK(r.out.find("the store was not changed") != std::string::npos);
    CHECK(ReadFile(db.path) == before);
    fs::remove(file);
  }
  fs::remove_all(dir);
}
