#include "core/store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "tests/core/store_fixtures.h"

namespace blastmap::core {

using namespace store_testing;
namespace fs = std::filesystem;

TEST_CASE("a saved model loads back field by field, provenance and taxonomy included") {
  TempPath path;
  const Model model = SampleModel();
  {
    auto store = OpenStore(path.str());
    CHECK(SaveOk(*store, model, "datasets/acme") == 1);
  }
  // A fresh connection: nothing can come from a cache of the saving one.
  auto store = OpenStore(path.str(), /*read_only=*/true);
  const Model loaded = LoadOk(*store, 1);
  CheckSameModel(loaded, model);

  // The details most likely to be lost, spelled out against literals rather than the source model.
  CHECK(core::ToStrings(loaded.nodes[2].attrs.at("country")) == std::vector<std::string>{"US", "EU"});
  CHECK(loaded.nodes[2].attrs.count("notes") == 1);
  CHECK(loaded.nodes[2].attrs.at("notes").empty());
  CHECK(loaded.holdings[1].categories.empty());
  CHECK(loaded.holdings[1].records == kUnknownRecords);
  CHECK(loaded.flows[0].forwards_all);
  CHECK(loaded.flows[0].records == kUnknownRecords);
  CHECK(loaded.accesses[0].likelihood == 0.4);
  CHECK(loaded.accesses[0].privilege == Privilege::kAdmin);
  const Taxonomy& t = loaded.taxonomy;
  const Category* contact = t.Find("user.contact");
  const Category* email = t.Find("user.contact.email");
  REQUIRE(contact != nullptr);
  REQUIRE(email != nullptr);
  CHECK_FALSE(contact->declared_sensitivity.has_value());
  CHECK_FALSE(contact->declared_tags.has_value());
  CHECK(contact->sensitivity == Sensitivity::kConfidential);  // inherited from user
  CHECK(contact->flags == (static_cast<uint32_t>(Flag::kFinancial) | static_cast<uint32_t>(Flag::kChildren)));
  CHECK(contact->tags == std::vector<std::string>{"gdpr", "ccpa"});
  REQUIRE(email->declared_tags.has_value());
  CHECK(email->declared_tags->empty());
  CHECK(email->tags.empty());
  CHECK(t.Find("user.health")->sensitivity == Sensitivity::kRestricted);
  CHECK(t.IsAncestorOrSelf(t.Index("user"), t.Index("user.contact.email")));
  CHECK(t.HasSubjectKind("employee"));
  CHECK(t.HasDataUse("marketing"));
  CHECK(t.severity().critical == 61);
}

TEST_CASE("each snapshot id loads the model saved under it, and the list counts them") {
  TempPath path;
  auto store = OpenStore(path.str());
  const Model a = SampleModel();
  const Model b = OtherModel();
  CHECK(SaveOk(*store, a, "datasets/a") == 1);
  CHECK(SaveOk(*store, b, "datasets/b") == 2);

  CheckSameModel(LoadOk(*store, 1), a);
  CheckSameModel(LoadOk(*store, 2), b);
  CHECK(LoadOk(*store, 2).FindNode("web") == nullptr);

  auto list = store->ListSnapshots();
  REQUIRE(list.ok());
  REQUIRE(list.value().size() == 2);
  const SnapshotInfo& first = list.value()[0];
  const SnapshotInfo& second = list.value()[1];
  CHECK(first.id == 1);
  CHECK(first.source == "datasets/a");
  CHECK(first.nodes == 4);
  CHECK(first.flows == 2);
  CHECK(first.accesses == 1);
  CHECK(second.id == 2);
  CHECK(second.source == "datasets/b");
  CHECK(second.nodes == 1);
  CHECK(second.flows == 0);
  CHECK(second.accesses == 0);
  // UTC ISO 8601: 2024-05-01T12:00:00Z
  REQUIRE(second.created_at.size() == 20);
  CHECK(second.created_at[10] == 'T');
  CHECK(second.created_at.back() == 'Z');

  auto latest = store->LatestSnapshot();
  REQUIRE(latest.ok());
  CHECK(latest.value() == 2);
}

TEST_CASE("an empty store has no latest snapshot, and a missing id is an error naming what exists") {
  TempPath path;
  auto store = OpenStore(path.str());
  auto latest = store->LatestSnapshot();
  REQUIRE_FALSE(latest.ok());
  CHECK(latest.status().message() == "the store holds no snapshot; run 'blastmap import' first");
  auto missing = store->LoadSnapshot(7);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "snapshot 7 does not exist (the store holds no snapshot)");
  CHECK(ListIds(*store).empty());

  SaveOk(*store, OtherModel(), "one");
  CHECK(store->LoadSnapshot(7).status().message() ==
        "snapshot 7 does not exist (the store holds snapshot 1)");
  SaveOk(*store, OtherModel(), "two");
  CHECK(store->LoadSnapshot(0).status().message() ==
        "snapshot 0 does not exist (the store holds snapshots 1..2)");
}

TEST_CASE("opening a missing store read-only fails, names the path and creates nothing") {
  TempPath path;
  auto store = Store::Open(path.str(), /*read_only=*/true);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message() == "no store at " + path.str() + "; run 'blastmap import' first");
  CHECK_FALSE(fs::exists(path.str()));
}

TEST_CASE("opening a file that is not a SQLite database fails, names the path and leaves the file alone") {
  TempPath path;
  std::string garbage;
  for (int i = 0; i < 100; ++i) garbage += "this is a text file, not a blastmap store\n";
  { std::ofstream(path.str()) << garbage; }
  for (bool read_only : {false, true}) {
    INFO("read_only=" << read_only);
    auto store = Store::Open(path.str(), read_only);
    REQUIRE_FALSE(store.ok());
    INFO(store.status().message());
    CHECK(store.status().message().find(path.str()) != std::string::npos);
    CHECK(store.status().message().find("not a blastmap store") != std::string::npos);
  }
  std::stringstream after;
  after << std::ifstream(path.str()).rdbuf();
  CHECK(after.str() == garbage);
}

TEST_CASE("opening a SQLite database of another application fails and adds no table to it") {
  TempPath path;
  {
    RawDb raw(path.str());
    raw.Exec("CREATE TABLE people (name TEXT)");
  }
  for (bool read_only : {false, true}) {
    INFO("read_only=" << read_only);
    auto store = Store::Open(path.str(), read_only);
    REQUIRE_FALSE(store.ok());
    INFO(store.status().message());
    CHECK(store.status().message().find(path.str()) != std::string::npos);
    CHECK(store.status().message().find("not a blastmap store") != std::string::npos);
  }
  RawDb raw(path.str());
  CHECK(raw.Count("SELECT count(*) FROM sqlite_master") == 1);
}

TEST_CASE("a store of another schema version is refused") {
  TempPath path;
  OpenStore(path.str());
  {
    RawDb raw(path.str());
    raw.Exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  auto store = Store::Open(path.str(), /*read_only=*/true);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find("schema version '99'") != std::string::npos);
}

TEST_CASE("Fides privacy declarations and policies round-trip through a snapshot") {
  TempPath path;
  Model model = SampleModel();
  model.declarations.push_back({"app", "Checkout", {"user.contact.email", "user.financial"},
                                "essential.service.payment_processing", {"customer"}, {"orders", "logs"},
                                {"fides/systems.yml", 12, 9}});
  model.declarations.push_back({"app", "", {}, "marketing", {}, {}, {"fides/systems.yml", 20, 9}});
  FidesPolicy policy{"shop_policy", "Shop", "What we allow", {}, {"fides/policy.yml", 2, 17}};
  policy.rules.push_back({"no marketing",
                          "contact data is not for marketing",
                          {"ANY", {"user.contact"}},
                          {"OTHER", {"essential", "functional.service"}},
                          {"NONE", {"employee"}},
                          {"fides/policy.yml", 5, 9}});
  policy.rules.push_back({"empty", "", {"ALL", {}}, {"ANY", {"marketing"}}, {"ANY", {"customer"}}, {}});
  model.fides_policies = {policy, FidesPolicy{"second", "", "", {}, {"fides/policy.yml", 30, 17}}};
  SaveOk(*OpenStore(path.str()), model, "fides");
  const Model loaded = LoadOk(*OpenStore(path.str(), /*read_only=*/true), 1);
  CheckSameModel(loaded, model);
  REQUIRE(loaded.declarations.size() == 2);
  const PrivacyDeclaration& d = loaded.declarations[0];
  CHECK(d.node == "app");
  CHECK(d.name == "Checkout");
  CHECK(d.categories == std::vector<std::string>{"user.contact.email", "user.financial"});
  CHECK(d.use == "essential.service.payment_processing");
  CHECK(d.subjects == std::vector<std::string>{"customer"});
  CHECK(d.datasets == std::vector<std::string>{"orders", "logs"});
  CHECK(d.where.ToString() == "fides/systems.yml:12:9");
  CHECK(loaded.declarations[1].categories.empty());
  REQUIRE(loaded.fides_policies.size() == 2);
  const FidesPolicy& p = loaded.fides_policies[0];
  CHECK(p.fides_key == "shop_policy");
  CHECK(p.name == "Shop");
  CHECK(p.description == "What we allow");
  CHECK(p.where.ToString() == "fides/policy.yml:2:17");
  REQUIRE(p.rules.size() == 2);
  CHECK(p.rules[0].name == "no marketing");
  CHECK(p.rules[0].description == "contact data is not for marketing");
  CHECK(p.rules[0].data_categories.matches == "ANY");
  CHECK(p.rules[0].data_categories.values == std::vector<std::string>{"user.contact"});
  CHECK(p.rules[0].data_uses.matches == "OTHER");
  CHECK(p.rules[0].data_uses.values == std::vector<std::string>{"essential", "functional.service"});
  CHECK(p.rules[0].data_subjects.matches == "NONE");
  CHECK(p.rules[0].data_subjects.values == std::vector<std::string>{"employee"});
  CHECK(p.rules[0].where.ToString() == "fides/policy.yml:5:9");
  CHECK(p.rules[1].data_categories.values.empty());
  CHECK(loaded.fides_policies[1].fides_key == "second");
  CHECK(loaded.fides_policies[1].rules.empty());
}

TEST_CASE("a schema 2 store is read as it is, migrated by a writable open (unless told not to), and older ones are refused") {
  TempPath path;
  SaveOk(*OpenStore(path.str()), SampleModel(), "datasets/acme");
  {
    // What a blastmap of schema 2 wrote: no Fides tables.
    RawDb raw(path.str());
    raw.Exec("DROP TABLE declarations; DROP TABLE fides_policies; DROP TABLE fides_rules;"
             "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  }
  {
    auto store = OpenStore(path.str(), /*read_only=*/true);
    const Model loaded = LoadOk(*store, 1);
    CheckSameModel(loaded, SampleModel());
    CHECK(loaded.declarations.empty());
    CHECK(loaded.fides_policies.empty());
    RawDb raw(path.str());
    CHECK(raw.Count("SELECT value FROM meta WHERE key = 'schema_version'") == 2);  // read-only: unchanged
  }
  {
    // Unless told not to migrate (an import opens the store before it knows it will succeed).
    auto refused = Store::Open(path.str(), /*read_only=*/false, /*migrate=*/false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("schema version 2 to migrate") != std::string::npos);
    RawDb raw(path.str());
    CHECK(raw.Count("SELECT value FROM meta WHERE key = 'schema_version'") == 2);
    CHECK(raw.Count("SELECT count(*) FROM sqlite_master WHERE name = 'fides_rules'") == 0);
  }
  {
    auto store = OpenStore(path.str());
    CheckSameModel(LoadOk(*store, 1), SampleModel());
    Model fides = OtherModel();
    fides.fides_policies.push_back({"p", "", "", {}, {"p.yml", 1, 1}});
    CHECK(SaveOk(*store, fides, "fides") == 2);
  }
  {
    RawDb raw(path.str());
    CHECK(raw.Count("SELECT value FROM meta WHERE key = 'schema_version'") == 3);
    CHECK(raw.Count("SELECT count(*) FROM sqlite_master WHERE name = 'fides_rules'") == 1);
  }
  CHECK(LoadOk(*OpenStore(path.str(), /*read_only=*/true), 2).fides_policies.size() == 1);
  {
    RawDb raw(path.str());
    raw.Exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  auto old = Store::Open(path.str(), /*read_only=*/false);
  REQUIRE_FALSE(old.ok());
  CHECK(old.status().message().find("schema version '1'") != std::string::npos);
  CHECK(old.status().message().find("re-import") != std::string::npos);
}

TEST_CASE("a read-only store loads snapshots but refuses to save one") {
  TempPath path;
  SaveOk(*OpenStore(path.str()), SampleModel(), "datasets/acme");
  auto store = OpenStore(path.str(), /*read_only=*/true);
  CHECK(ListIds(*store) == std::vector<int64_t>{1});
  auto saved = store->SaveSnapshot(OtherModel(), "datasets/b");
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.status().message().find("read-only") != std::string::npos);
  CHECK(ListIds(*store) == std::vector<int64_t>{1});
  CheckSameModel(LoadOk(*store, 1), SampleModel());
}

TEST_CASE("a save that fails half-way leaves exactly the previous snapshots") {
  TempPath path;
  auto store = OpenStore(path.str());
  const Model a = SampleModel();
  SaveOk(*store, a, "datasets/a");
  {
    // Flows are written after the snapshot row and the nodes: failing them proves those are rolled back.
    RawDb raw(path.str());
    raw.Exec(
        "CREATE TRIGGER refuse_flows BEFORE INSERT ON flows BEGIN SELECT RAISE(ABORT, 'injected failure'); "
        "END");
  }
  auto saved = store->SaveSnapshot(SampleModel(), "datasets/b");
  REQUIRE_FALSE(saved.ok());
  INFO(saved.status().message());
  CHECK(saved.status().message().find("injected failure") != std::string::npos);
  CHECK(saved.status().message().find("flows") != std::string::npos);

  CHECK(ListIds(*store) == std::vector<int64_t>{1});
  RawDb raw(path.str());
  CHECK(raw.Count("SELECT count(*) FROM nodes WHERE snapshot <> 1") == 0);
  CHECK(raw.Count("SELECT count(*) FROM node_attrs WHERE snapshot <> 1") == 0);
  CHECK(raw.Count("SELECT count(*) FROM holdings WHERE snapshot <> 1") == 0);
  CheckSameModel(LoadOk(*store, 1), a);

  raw.Exec("DROP TRIGGER refuse_flows");
  CHECK(SaveOk(*store, OtherModel(), "datasets/b") == 2);
  CheckSameModel(LoadOk(*store, 2), OtherModel());
}

TEST_CASE("a list element holding the store's separator is refused, not silently split") {
  TempPath path;
  auto store = OpenStore(path.str());
  Model model = OtherModel();
  Flow& flow = model.flows.emplace_back();
  flow.from = flow.to = "billing";
  flow.categories = {std::string("a") + '\x1f' + "b"};
  flow.where = {"f.yaml", 3, 1};
  auto saved = store->SaveSnapshot(model, "x");
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.status().message().find("f.yaml:3:1") != std::string::npos);
  CHECK(saved.status().message().find("0x1F") != std::string::npos);
  CHECK(ListIds(*store).empty());
}

TEST_CASE("a save blocked by another writer's lock gives up after the busy timeout and changes nothing") {
  TempPath path;
  auto store = OpenStore(path.str());
  const Model a = SampleModel();
  SaveOk(*store, a, "datasets/a");

  RawDb other(path.str());
  other.Exec("BEGIN EXCLUSIVE");
  const auto start = std::chrono::steady_clock::now();
  auto saved = store->SaveSnapshot(OtherModel(), "datasets/b");
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(saved.ok());
  INFO(saved.status().message());
  CHECK(saved.status().message().find(path.str()) != std::string::npos);
  CHECK(saved.status().message().find("locked") != std::string::npos);
  CHECK(waited >= std::chrono::seconds(4));  // it waited for the lock instead of failing at once

  // Readers are not blocked by the writer, and see only the committed snapshot.
  CHECK(ListIds(*store) == std::vector<int64_t>{1});
  other.Exec("ROLLBACK");
  CHECK(ListIds(*store) == std::vector<int64_t>{1});
  CheckSameModel(LoadOk(*store, 1), a);
  CHECK(SaveOk(*store, OtherModel(), "datasets/b") == 2);
}

}  // namespace blastmap::core
