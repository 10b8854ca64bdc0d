// What the store tests share: temporary store paths, a raw SQLite connection, a sample model with every
// kind of row, and a field-by-field comparison of models.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/store.h"

namespace blastmap::core::store_testing {

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

inline std::unique_ptr<Store> OpenStore(const std::string& path, bool read_only = false) {
  auto store = Store::Open(path, read_only);
  INFO(store.status().message());
  REQUIRE(store.ok());
  return store.take();
}

inline Model LoadOk(Store& store, int64_t id) {
  auto model = store.LoadSnapshot(id);
  INFO(model.status().message());
  REQUIRE(model.ok());
  return model.take();
}

inline int64_t SaveOk(Store& store, const Model& model, const std::string& source) {
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

inline Category MakeCategory(std::string key, int line) {
  Category c;
  c.key = std::move(key);
  c.file = "taxonomy/categories.yaml";
  c.line = line;
  return c;
}

// Two systems, two vendors, every kind of edge, and a small taxonomy with inheritance.
inline Model SampleModel() {
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
inline Model OtherModel() {
  Model m;
  m.taxonomy.AddCategory(MakeCategory("system", 1));
  REQUIRE(m.taxonomy.Finalize().ok());
  Node& billing = m.nodes.emplace_back();
  billing.id = "billing";
  billing.name = "Billing";
  billing.where = {"b.yaml", 1, 1};
  return m;
}

inline void CheckSameWhere(const Provenance& a, const Provenance& b) {
  CHECK(a.file == b.file);
  CHECK(a.line == b.line);
  CHECK(a.col == b.col);
}

inline void CheckSameModel(const Model& got, const Model& want) {
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

inline std::vector<int64_t> Ids(const std::vector<SnapshotInfo>& snapshots) {
  std::vector<int64_t> ids;
  for (const auto& s : snapshots) ids.push_back(s.id);
  return ids;
}

inline std::vector<int64_t> ListIds(Store& store) {
  auto list = store.ListSnapshots();
  INFO(list.status().message());
  REQUIRE(list.ok());
  return Ids(list.value());
}

}  // namespace blastmap::core::store_testing
