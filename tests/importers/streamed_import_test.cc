// An import that writes the store while it parses (ImportOptions::writer) writes exactly the store that
// importing first and saving afterwards writes, table by table; a failure anywhere, after rows were
// written, leaves the store as it was; another format than native makes it write the model whole.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/store.h"
#include "tests/core/store_fixtures.h"
#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {

using core::store_testing::OpenStore;
using core::store_testing::TempPath;
using testing::TempTree;

const char* const kTables[] = {"nodes",      "node_attrs",       "holdings",      "flows",     "accesses",
                               "subjects",   "categories",       "subject_kinds", "data_uses", "severity_weights",
                               "declarations", "fides_policies", "fides_rules"};

// Every row of every table of the store at `path` (the snapshots' creation time left out), in key order.
std::vector<std::string> Dump(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  auto read = [&](const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row = sql.substr(0, 40) + ":";
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row += "|" + (text ? std::string(reinterpret_cast<const char*>(text)) : std::string("NULL"));
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
  };
  read("SELECT id, source, nodes, flows, accesses FROM snapshots ORDER BY id");
  for (const char* table : kTables) read(std::string("SELECT * FROM ") + table);
  sqlite3_close(db);
  return out;
}

// `files` native manifests of a ring of systems (with attributes, a store, a flow and an access each).
void WriteRing(TempTree& tree, int files) {
  for (int i = 0; i < files; ++i) {
    const std::string id = "s" + std::to_string(i), next = "s" + std::to_string((i + 1) % files);
    char name[32];
    std::snprintf(name, sizeof name, "d%d/f%02d.yaml", i % 3, i);
    tree.Write(name, "systems:\n  - id: " + id + "\n    name: System " + std::to_string(i) +
                         "\n    owner: team-" + std::to_string(i % 4) + "\n    tags: [a, b]\n" +
                         "    stores: [{categories: [user.contact.email], records: " + std::to_string(i * 10) +
                         "}]\n    flows:\n      - {to: " + next + ", categories: [user.contact.email]}\n" +
                         "    access:\n      - {to: " + next + ", privilege: read}\n");
  }
}

// Imports `root` into a fresh store at `path` the way `blastmap import` does (writing while parsing);
// the rows added after each file, and the result.
struct Streamed {
  std::vector<size_t> rows_seen;
  core::Result<int64_t> id = core::Status::Error("not imported");
  std::string import_error;
};
Streamed ImportStreamed(const std::string& root, const std::string& path, ImportOptions options = {}) {
  Streamed out;
  auto store = OpenStore(path);
  auto writer = store->BeginSnapshot(root);
  REQUIRE(writer.ok());
  options.writer = writer.value().get();
  options.progress = [&](const ImportProgress&) { out.rows_seen.push_back(writer.value()->rows()); };
  auto imported = ImportPath(root, options);
  if (!imported.ok()) {
    out.import_error = imported.status().message();
    return out;  // the writer is dropped: everything rolls back
  }
  out.id = writer.value()->Commit(imported.value().model);
  return out;
}

// Imports `root` first, then saves the model (the way before the writer existed).
void ImportThenSave(const std::string& root, const std::string& path) {
  auto imported = ImportPath(root);
  INFO(imported.status().message());
  REQUIRE(imported.ok());
  auto store = OpenStore(path);
  REQUIRE(store->SaveSnapshot(imported.value().model, root).ok());
}

}  // namespace

TEST_CASE("writing while parsing gives the same store as importing then saving, row for row") {
  TempTree tree;
  WriteRing(tree, 40);
  tree.Write("categories.yaml", "categories:\n  - key: user.contact.email.work\n    name: Work email\n");
  TempPath streamed, saved;
  for (unsigned threads : {1u, 3u}) {
    CAPTURE(threads);
    TempPath path;
    ImportOptions options;
    options.threads = threads;
    Streamed s = ImportStreamed(tree.root(), path.str(), options);
    INFO(s.import_error);
    REQUIRE(s.id.ok());
    // The rows went in file by file, before the import ended: 3 rows per file after the first files.
    REQUIRE(s.rows_seen.size() == 41);
    CHECK(s.rows_seen.front() == 0);  // categories.yaml, the first file, declares no row
    CHECK(s.rows_seen[1] == 4);       // d0/f00.yaml: a node, a store, a flow, an access
    CHECK(s.rows_seen.back() == 40 * 4);
    if (threads == 3) {
      ImportStreamed(tree.root(), streamed.str());
      ImportThenSave(tree.root(), saved.str());
      const auto a = Dump(streamed.str()), b = Dump(saved.str());
      CHECK(a.size() > 40 * 5);
      CHECK(a == b);
    }
  }
}

TEST_CASE("an import failing after rows were written leaves the store exactly as it was") {
  TempTree tree;
  WriteRing(tree, 40);
  TempPath path;
  ImportThenSave(tree.root(), path.str());
  const auto before = Dump(path.str());
  // The last file read is wrong: a syntax error, then (another run) a flow to nowhere, found only when
  // every file was read and the rows of the 39 others were written.
  for (const std::string& bad : {std::string("systems: [\n"),
                                 std::string("systems:\n  - id: z\n    flows: [{to: nowhere}]\n")}) {
    CAPTURE(bad);
    tree.Write("d9/zz.yaml", bad);
    Streamed s = ImportStreamed(tree.root(), path.str());
    REQUIRE_FALSE(s.import_error.empty());
    CHECK(tree.Relative(s.import_error).find("d9/zz.yaml:") != std::string::npos);
    REQUIRE(s.rows_seen.size() == 41);
    CHECK(s.rows_seen[39] == 40 * 4);  // written before the failure...
    CHECK(Dump(path.str()) == before);  // ...and rolled back: no snapshot 2, no row of it
  }
  // The store still takes the next snapshot as its second.
  tree.Write("d9/zz.yaml", "systems:\n  - id: z\n");
  Streamed s = ImportStreamed(tree.root(), path.str());
  REQUIRE(s.id.ok());
  CHECK(s.id.value() == 2);
}

TEST_CASE("a file of another format makes the import forget the rows written and write the model whole") {
  TempTree tree;
  WriteRing(tree, 6);
  // A CSV file after the native ones (files are read in sorted order): its vendor joins the map.
  tree.Write("z/vendors.csv", "Vendor,Data Categories,Country\nAcme Mail,user.contact.email,US\n");
  TempPath streamed, saved;
  Streamed s = ImportStreamed(tree.root(), streamed.str());
  INFO(s.import_error);
  REQUIRE(s.id.ok());
  REQUIRE(s.rows_seen.size() == 7);
  CHECK(s.rows_seen[5] == 6 * 4);
  CHECK(s.rows_seen[6] == 0);  // restarted at the CSV file
  ImportThenSave(tree.root(), saved.str());
  CHECK(Dump(streamed.str()) == Dump(saved.str()));
}

TEST_CASE("a snapshot writer commits the rows added and the rest of the model, or nothing") {
  TempPath path;
  auto store = OpenStore(path.str());
  const core::Model model = core::store_testing::SampleModel();
  REQUIRE(model.nodes.size() >= 2);
  {
    // Dropped without a commit: nothing is written.
    auto writer = store->BeginSnapshot("dropped");
    REQUIRE(writer.ok());
    REQUIRE(writer.value()->Add(model.nodes[0]).ok());
    REQUIRE(writer.value()->Add(model.flows[0]).ok());
  }
  CHECK(store->ListSnapshots().value().empty());
  auto writer = store->BeginSnapshot("added");
  REQUIRE(writer.ok());
  REQUIRE(writer.value()->Add(model.nodes[0]).ok());
  REQUIRE(writer.value()->Add(model.holdings[0]).ok());
  CHECK(writer.value()->rows() == 2);
  auto id = writer.value()->Commit(model);
  INFO(id.status().message());
  REQUIRE(id.ok());
  CHECK(id.value() == 1);
  core::store_testing::CheckSameModel(core::store_testing::LoadOk(*store, 1), model);
  CHECK_FALSE(writer.value()->Commit(model).ok());  // spent
  CHECK_FALSE(writer.value()->Add(model.nodes[1]).ok());  // and adds nothing outside its transaction
  CHECK(store->ListSnapshots().value().size() == 1);
  {
    core::store_testing::RawDb raw(path.str());
    CHECK(raw.Count("SELECT count(*) FROM nodes WHERE snapshot = 2") == 0);
  }

  // More rows added than the model holds: refused, nothing written.
  core::Model small;
  small.taxonomy = model.taxonomy;
  auto over = store->BeginSnapshot("over");
  REQUIRE(over.ok());
  REQUIRE(over.value()->Add(model.nodes[0]).ok());
  CHECK_FALSE(over.value()->Commit(small).ok());
  CHECK(store->ListSnapshots().value().size() == 1);
}

}  // namespace blastmap::importers
