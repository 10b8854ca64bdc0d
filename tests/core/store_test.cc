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

namespace blastmap::core {
namespace {

namespace fs = std::filesystem;

// A unique store path under the temp directory; the store and its WAL side files go at scope end.
class TempPath {
 public:
  TempPath() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = (fs::temp_directory_path() /
             ("blastmap_store_test_" + std::to_string(random()) + "_" + std::to_string(counter++) + ".db"))
                .string();
  }
  ~TempPath() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_ + suffix, ec);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

std::unique_ptr<Store> OpenStore(const std::string& path, bool read_only = false) {
  auto store = Store::Open(path, read_only);
  INFO(store.status().message());
  REQUIRE(store.ok());
  return store.take();
}

Model LoadOk(Store& store, int64_t id) {
  auto model = store.LoadSnapshot(id);
  INFO(model.status().message());
  REQUIRE(model.ok());
  return model.take();
}

int64_t SaveOk(Store& store, const Model& model, const std::string& source) {
  auto id = store.SaveSnapshot(model, source);
  INFO(id.status().message());
  REQUIRE(id.ok());
  return id.value();
}

// A raw SQLite connection, for what the Store API cannot do (triggers, locks, inspection).
class RawDb {
 public:
  explicit RawDb(const std::string& path) { REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK); }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  void Exec(const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    INFO(sql << ": " << (error ? error : ""));
    sqlite3_free(error);
    REQUIRE(rc == SQLITE_OK);
  }
  int64_t Count(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
};

Category MakeCategory(std::string key, int line) {
  Category c;
  c.key = std::move(key);
  c.file = "taxonomy/categories.yaml";
  c.line = line;
  return c;
}

// Two systems, two vendors, every kind of edge, and a small taxonomy with inheritance.
Model SampleModel() {
  Model m;
  Taxonomy& t = m.taxonomy;
  Category user = MakeCategory("user", 3);
  user.name = "User data";
  user.description = "Data about people";
  user.declared_sensitivity = Sensitivity::kConfidential;
  user.declared_flags = static_cast<uint32_t>(Flag::kFinancial) | static_cast<uint32_t>(Flag::kChildren);
  user.declared_tags = std::vector<std::string>{"gdpr", "ccpa"};
  Category contact = MakeCategory("user.contact", 9);  // inherits everything
  contact.name = "Contact";
  Category email = MakeCategory("user.contact.email", 14);
  email.declared_tags = std::vector<std::string>{};  // declared empty: drops the inherited tags
  Category health = MakeCategory("user.health", 20);
  health.declared_sensitivity = Sensitivity::kRestricted;
  // Added children first: the store must not depend on the declaration order.
  t.AddCategory(email);
  t.AddCategory(health);
  t.AddCategory(contact);
  t.AddCategory(user);
  t.AddSubjectKind({"customer", "Customer", "Buys from us"});
  t.AddSubjectKind({"employee", "Employee", ""});
  t.AddDataUse({"marketing", "Marketing", "Advertising and analytics"});
  SeverityWeights& w = t.severity();
  w.sensitivity = {{"restricted", 7.5}, {"public", 0.25}};
  w.flags = {{"health", 3.0}};
  w.jurisdictions = {{"EU", 1.5}, {"default", 1.0}};
  w.breadth = 0.3;
  w.volume_per_decade = 0.75;
  w.medium = 12;
  w.high = 30.5;
  w.critical = 61;
  REQUIRE(t.Finalize().ok());

  auto add_node = [&m](std::string id, NodeKind kind, std::string name, Attributes attrs, Provenance where) {
    Node& n = m.nodes.emplace_back();
    n.id = std::move(id);
    n.kind = kind;
    n.name = std::move(name);
    n.attrs = std::move(attrs);
    n.where = std::move(where);
  };
  add_node("web", NodeKind::kSystem, "Web shop", {{"owner", {"platform"}}, {"tier", {"1"}}},
           {"systems.yaml", 4, 3});
  add_node("crm", NodeKind::kSystem, "crm", {}, {"systems.yaml", 12, 0});
  add_node("mixpanel", NodeKind::kVendor, "Mixpanel",
           {{"country", {"US", "EU"}}, {"dpa", {"yes"}}, {"notes", {}}}, {"vendors.yaml", 2, 5});
  add_node("zendesk", NodeKind::kVendor, "Zendesk", {{"country", {"IE"}}}, {"vendors.yaml", 0, 0});

  Holding& web_holds = m.holdings.emplace_back();
  web_holds.node = "web";
  web_holds.categories = {"user.contact.email", "user.health"};
  web_holds.subjects = {"customers"};
  web_holds.records = 120000;
  web_holds.where = {"systems.yaml", 7, 5};
  Holding& crm_holds = m.holdings.emplace_back();  // empty lists, unknown records
  crm_holds.node = "crm";
  crm_holds.where = {"systems.yaml", 15, 5};

  Flow& everything = m.flows.emplace_back();
  everything.from = "web";
  everything.to = "crm";
  everything.forwards_all = true;
  everything.where = {"flows.yaml", 1, 3};
  Flow& analytics = m.flows.emplace_back();
  analytics.from = "web";
  analytics.to = "mixpanel";
  analytics.categories = {"user.contact.email", "user.contact"};
  analytics.subjects = {"customers"};
  analytics.purpose = "marketing";
  analytics.records = 5000;
  analytics.transport = "https";
  analytics.required = true;
  analytics.description = "product analytics";
  analytics.where = {"flows.yaml", 5, 3};

  Access& admin = m.accesses.emplace_back();
  admin.from = "zendesk";
  admin.to = "crm";
  admin.privilege = Privilege::kAdmin;
  admin.mechanism = "api token";
  admin.likelihood = 0.4;
  admin.description = "support agents' admin token";
  admin.where = {"access.yaml", 2, 7};

  Subject& customers = m.subjects.emplace_back();
  customers.id = "customers";
  customers.kind = "customer";
  customers.name = "Customers";
  customers.jurisdictions = {"EU", "UK", "US-CA"};
  customers.records = 250000;
  customers.where = {"subjects.yaml", 1, 3};
  return m;
}

// A different, smaller map: tells snapshots apart.
Model OtherModel() {
  Model m;
  m.taxonomy.AddCategory(MakeCategory("system", 1));
  REQUIRE(m.taxonomy.Finalize().ok());
  Node& billing = m.nodes.emplace_back();
  billing.id = "billing";
  billing.name = "Billing";
  billing.where = {"b.yaml", 1, 1};
  return m;
}

void CheckSameWhere(const Provenance& a, const Provenance& b) {
  CHECK(a.file == b.file);
  CHECK(a.line == b.line);
  CHECK(a.col == b.col);
}

void CheckSameModel(const Model& got, const Model& want) {
  REQUIRE(got.nodes.size() == want.nodes.size());
  for (size_t i = 0; i < want.nodes.size(); ++i) {
    INFO("node " << i);
    CHECK(got.nodes[i].id == want.nodes[i].id);
    CHECK(got.nodes[i].kind == want.nodes[i].kind);
    CHECK(got.nodes[i].name == want.nodes[i].name);
    CHECK(got.nodes[i].attrs == want.nodes[i].attrs);
    CheckSameWhere(got.nodes[i].where, want.nodes[i].where);
  }
  REQUIRE(got.holdings.size() == want.holdings.size());
  for (size_t i = 0; i < want.holdings.size(); ++i) {
    INFO("holding " << i);
    CHECK(got.holdings[i].node == want.holdings[i].node);
    CHECK(got.holdings[i].categories == want.holdings[i].categories);
    CHECK(got.holdings[i].subjects == want.holdings[i].subjects);
    CHECK(got.holdings[i].records == want.holdings[i].records);
    CheckSameWhere(got.holdings[i].where, want.holdings[i].where);
  }
  REQUIRE(got.flows.size() == want.flows.size());
  for (size_t i = 0; i < want.flows.size(); ++i) {
    INFO("flow " << i);
    const Flow& g = got.flows[i];
    const Flow& w = want.flows[i];
    CHECK(g.from == w.from);
    CHECK(g.to == w.to);
    CHECK(g.forwards_all == w.forwards_all);
    CHECK(g.categories == w.categories);
    CHECK(g.subjects == w.subjects);
    CHECK(g.purpose == w.purpose);
    CHECK(g.records == w.records);
    CHECK(g.transport == w.transport);
    CHECK(g.required == w.required);
    CHECK(g.description == w.description);
    CheckSameWhere(g.where, w.where);
  }
  REQUIRE(got.accesses.size() == want.accesses.size());
  for (size_t i = 0; i < want.accesses.size(); ++i) {
    INFO("access " << i);
    const Access& g = got.accesses[i];
    const Access& w = want.accesses[i];
    CHECK(g.from == w.from);
    CHECK(g.to == w.to);
    CHECK(g.privilege == w.privilege);
    CHECK(g.mechanism == w.mechanism);
    CHECK(g.likelihood == w.likelihood);  // REAL keeps the exact double
    CHECK(g.description == w.description);
    CheckSameWhere(g.where, w.where);
  }
  REQUIRE(got.subjects.size() == want.subjects.size());
  for (size_t i = 0; i < want.subjects.size(); ++i) {
    INFO("subject " << i);
    CHECK(got.subjects[i].id == want.subjects[i].id);
    CHECK(got.subjects[i].kind == want.subjects[i].kind);
    CHECK(got.subjects[i].name == want.subjects[i].name);
    CHECK(got.subjects[i].jurisdictions == want.subjects[i].jurisdictions);
    CHECK(got.subjects[i].records == want.subjects[i].records);
    CheckSameWhere(got.subjects[i].where, want.subjects[i].where);
  }

  const Taxonomy& gt = got.taxonomy;
  const Taxonomy& wt = want.taxonomy;
  REQUIRE(gt.size() == wt.size());
  for (size_t i = 0; i < wt.size(); ++i) {
    const Category& g = gt.categories()[i];
    const Category& w = wt.categories()[i];
    INFO("category " << w.key);
    CHECK(g.key == w.key);
    CHECK(g.parent == w.parent);
    CHECK(g.name == w.name);
    CHECK(g.description == w.description);
    CHECK(g.declared_sensitivity == w.declared_sensitivity);
    CHECK(g.declared_flags == w.declared_flags);
    CHECK(g.declared_tags == w.declared_tags);
    CHECK(g.sensitivity == w.sensitivity);
    CHECK(g.flags == w.flags);
    CHECK(g.tags == w.tags);
    CHECK(g.file == w.file);
    CHECK(g.line == w.line);
    CHECK(gt.Parent(static_cast<int>(i)) == wt.Parent(static_cast<int>(i)));
  }
  REQUIRE(gt.subject_kinds().size() == wt.subject_kinds().size());
  for (size_t i = 0; i < wt.subject_kinds().size(); ++i) {
    CHECK(gt.subject_kinds()[i].key == wt.subject_kinds()[i].key);
    CHECK(gt.subject_kinds()[i].name == wt.subject_kinds()[i].name);
    CHECK(gt.subject_kinds()[i].description == wt.subject_kinds()[i].description);
  }
  REQUIRE(gt.data_uses().size() == wt.data_uses().size());
  for (size_t i = 0; i < wt.data_uses().size(); ++i) {
    CHECK(gt.data_uses()[i].key == wt.data_uses()[i].key);
    CHECK(gt.data_uses()[i].name == wt.data_uses()[i].name);
    CHECK(gt.data_uses()[i].description == wt.data_uses()[i].description);
  }
  const SeverityWeights& gw = gt.severity();
  const SeverityWeights& ww = wt.severity();
  CHECK(gw.sensitivity == ww.sensitivity);
  CHECK(gw.flags == ww.flags);
  CHECK(gw.jurisdictions == ww.jurisdictions);
  CHECK(gw.breadth == ww.breadth);
  CHECK(gw.volume_per_decade == ww.volume_per_decade);
  CHECK(gw.medium == ww.medium);
  CHECK(gw.high == ww.high);
  CHECK(gw.critical == ww.critical);
}

std::vector<int64_t> Ids(const std::vector<SnapshotInfo>& snapshots) {
  std::vector<int64_t> ids;
  for (const auto& s : snapshots) ids.push_back(s.id);
  return ids;
}

std::vector<int64_t> ListIds(Store& store) {
  auto list = store.ListSnapshots();
  INFO(list.status().message());
  REQUIRE(list.ok());
  return Ids(list.value());
}

}  // namespace

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
  CHECK(loaded.nodes[2].attrs.at("country") == std::vector<std::string>{"US", "EU"});
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

TEST_CASE("a schema 2 store is read as it is, migrated by a writable open, and older ones are refused") {
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
