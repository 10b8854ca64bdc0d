#include "core/store.h"

#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/element_source.h"
#include "core/sqlite_util.h"
#include "core/store_rows.h"
#include "core/store_schema.h"

namespace blastmap::core {
namespace {

using sql::Exec;
using sql::PathOf;
using sql::SqlError;
using sql::Stmt;
using sql::Transaction;
using namespace store_detail;

std::optional<int64_t> RecordsValue(int64_t records) {
  return records == kUnknownRecords ? std::nullopt : std::optional<int64_t>(records);
}

Status SeparatorError(const std::string& where, std::string_view what) {
  return Status::Error((where.empty() ? "" : where + ": ") + std::string(what) +
                       " holds the unit separator character (0x1F), which a store cannot keep");
}

// Checks the file is a blastmap store, or makes an empty database one when writable.
Status PrepareStore(sqlite3* db, const std::string& path, bool read_only, bool migrate) {
  // The first statement reads the file header: a file that is not a database fails here.
  Stmt tables(db);
  if (!tables.Prepare("SELECT count(*) FROM sqlite_master", "reading the schema").ok() ||
      tables.Step() != SQLITE_ROW) {
    return Status::Error(path + " is not a blastmap store: " + sqlite3_errmsg(db));
  }
  const bool empty = tables.Int(0) == 0;
  tables.Reset();  // ends its read transaction: journal_mode cannot change inside one
  if (empty && read_only) return Status::Error(path + " is not a blastmap store: it is an empty database");

  if (!read_only) {
    // WAL lets readers see the previous or the new snapshot while an import commits, never half of one.
    BLASTMAP_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL", "switching to WAL"));
    BLASTMAP_RETURN_IF_ERROR(Exec(db, "PRAGMA synchronous=NORMAL", "setting synchronous=NORMAL"));
  }
  if (empty) {
    // IF NOT EXISTS and OR IGNORE keep this right when two processes create the same store at once.
    Transaction tx(db);
    BLASTMAP_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE", "creating the schema"));
    BLASTMAP_RETURN_IF_ERROR(Exec(db, kStoreSchemaSql, "creating the schema"));
    Stmt meta(db);
    BLASTMAP_RETURN_IF_ERROR(
        meta.Prepare("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", "creating the schema"));
    BLASTMAP_RETURN_IF_ERROR(meta.Run("writing meta", "application", kStoreApplication));
    const std::string version = std::to_string(kStoreSchemaVersion);
    BLASTMAP_RETURN_IF_ERROR(meta.Run("writing meta", "schema_version", version));
    return tx.Commit("creating the schema");
  }

  Stmt meta(db);
  if (!meta.Prepare("SELECT value FROM meta WHERE key = ?", "reading meta").ok()) {
    return Status::Error(path +
                         " is a SQLite database but not a blastmap store (it has no blastmap meta table)");
  }
  auto read = [&meta](const char* key) {
    meta.Bind(key);
    std::string value = meta.Step() == SQLITE_ROW ? meta.Text(0) : "";
    meta.Reset();
    return value;
  };
  const std::string application = read("application");
  if (application != kStoreApplication) {
    return Status::Error(path + " is a SQLite database but not a blastmap store (meta application is '" +
                         application + "')");
  }
  const std::string version = read("schema_version");
  meta.Reset();
  if (version == std::to_string(kStoreMigratableVersion) && !read_only && !migrate) {
    return Status::Error(path + " is a blastmap store of schema version " + version + " to migrate");
  }
  if (version == std::to_string(kStoreMigratableVersion) && !read_only) {
    // Adds the tables the newer schema has; the old snapshots keep no Fides declarations or policies.
    Transaction tx(db);
    BLASTMAP_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE", "migrating the schema"));
    BLASTMAP_RETURN_IF_ERROR(Exec(db, kStoreSchemaSql, "migrating the schema"));
    Stmt update(db);
    BLASTMAP_RETURN_IF_ERROR(
        update.Prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'", "migrating the schema"));
    BLASTMAP_RETURN_IF_ERROR(update.Run("writing meta", std::to_string(kStoreSchemaVersion)));
    return tx.Commit("migrating the schema");
  }
  // A read-only open of a migratable store reads it as it is (LoadRows skips the tables it lacks).
  if (version == std::to_string(kStoreMigratableVersion)) return Status::Ok();
  if (version != std::to_string(kStoreSchemaVersion)) {
    return Status::Error(path + " is a blastmap store of schema version '" + version +
                         "'; this blastmap reads version " + std::to_string(kStoreSchemaVersion) +
                         " (and migrates version " + std::to_string(kStoreMigratableVersion) +
                         "): re-import the manifests into a new store");
  }
  return Status::Ok();
}

// Writes the Fides privacy declarations and policies of `model` under snapshot `id`.
Status SaveFides(sqlite3* db, int64_t id, const Model& model) {
  std::string cats, subjects, datasets;
  Stmt decl(db), policy(db), rule(db);
  BLASTMAP_RETURN_IF_ERROR(
      decl.Prepare("INSERT INTO declarations(snapshot, pos, node, name, categories, use, subjects, datasets, "
                   "file, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "saving declarations"));
  for (size_t i = 0; i < model.declarations.size(); ++i) {
    const PrivacyDeclaration& d = model.declarations[i];
    if (!EncodeList(d.categories, &cats) || !EncodeList(d.subjects, &subjects) ||
        !EncodeList(d.datasets, &datasets)) {
      return SeparatorError(d.where.ToString(), "declaration '" + d.name + "'");
    }
    BLASTMAP_RETURN_IF_ERROR(decl.Run("inserting into declarations", id, Pos(i), d.node, d.name, cats, d.use,
                                      subjects, datasets, d.where.file, d.where.line, d.where.col));
  }
  BLASTMAP_RETURN_IF_ERROR(policy.Prepare(
      "INSERT INTO fides_policies(snapshot, pos, fides_key, name, description, file, line, col) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      "saving fides policies"));
  BLASTMAP_RETURN_IF_ERROR(rule.Prepare(
      "INSERT INTO fides_rules(snapshot, policy_pos, pos, name, description, categories_match, categories, "
      "uses_match, uses, subjects_match, subjects, file, line, col) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "saving fides policies"));
  for (size_t i = 0; i < model.fides_policies.size(); ++i) {
    const FidesPolicy& p = model.fides_policies[i];
    BLASTMAP_RETURN_IF_ERROR(policy.Run("inserting into fides_policies", id, Pos(i), p.fides_key, p.name,
                                        p.description, p.where.file, p.where.line, p.where.col));
    for (size_t j = 0; j < p.rules.size(); ++j) {
      const FidesRule& r = p.rules[j];
      if (!EncodeList(r.data_categories.values, &cats) || !EncodeList(r.data_uses.values, &datasets) ||
          !EncodeList(r.data_subjects.values, &subjects)) {
        return SeparatorError(r.where.ToString(), "fides rule '" + r.name + "'");
      }
      BLASTMAP_RETURN_IF_ERROR(rule.Run("inserting into fides_rules", id, Pos(i), Pos(j), r.name,
                                        r.description, r.data_categories.matches, cats, r.data_uses.matches,
                                        datasets, r.data_subjects.matches, subjects, r.where.file,
                                        r.where.line, r.where.col));
    }
  }
  return Status::Ok();
}

// Writes the taxonomy of a snapshot (`list` is a scratch buffer); the caller owns the transaction.
Status SaveTaxonomy(sqlite3* db, int64_t id, const Taxonomy& taxonomy, std::string& list_a) {
  Stmt category(db), kind(db), use(db), weight(db);
  BLASTMAP_RETURN_IF_ERROR(category.Prepare(
      "INSERT INTO categories(snapshot, pos, key, name, description, sensitivity, flags, tags, file, line) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      "saving the taxonomy"));
  BLASTMAP_RETURN_IF_ERROR(
      kind.Prepare("INSERT INTO subject_kinds(snapshot, pos, key, name, description) VALUES (?, ?, ?, ?, ?)",
                   "saving the taxonomy"));
  BLASTMAP_RETURN_IF_ERROR(
      use.Prepare("INSERT INTO data_uses(snapshot, pos, key, name, description) VALUES (?, ?, ?, ?, ?)",
                  "saving the taxonomy"));
  BLASTMAP_RETURN_IF_ERROR(
      weight.Prepare("INSERT INTO severity_weights(snapshot, section, key, value) VALUES (?, ?, ?, ?)",
                     "saving the taxonomy"));
  for (size_t i = 0; i < taxonomy.categories().size(); ++i) {
    const Category& c = taxonomy.categories()[i];
    std::optional<std::string_view> sensitivity, tags;
    std::optional<int64_t> flags;
    if (c.declared_sensitivity) sensitivity = SensitivityName(*c.declared_sensitivity);
    if (c.declared_flags) flags = static_cast<int64_t>(*c.declared_flags);
    if (c.declared_tags) {
      if (!EncodeList(*c.declared_tags, &list_a))
        return SeparatorError(c.file, "tags of category '" + c.key + "'");
      tags = list_a;
    }
    BLASTMAP_RETURN_IF_ERROR(category.Run("inserting into categories", id, Pos(i), c.key, c.name,
                                          c.description, sensitivity, flags, tags, c.file, c.line));
  }
  for (size_t i = 0; i < taxonomy.subject_kinds().size(); ++i) {
    const DataSubjectKind& k = taxonomy.subject_kinds()[i];
    BLASTMAP_RETURN_IF_ERROR(
        kind.Run("inserting into subject_kinds", id, Pos(i), k.key, k.name, k.description));
  }
  for (size_t i = 0; i < taxonomy.data_uses().size(); ++i) {
    const DataUse& u = taxonomy.data_uses()[i];
    BLASTMAP_RETURN_IF_ERROR(use.Run("inserting into data_uses", id, Pos(i), u.key, u.name, u.description));
  }
  for (const auto& [section, map] : WeightMaps(taxonomy.severity())) {
    for (const auto& [key, value] : *map) {
      BLASTMAP_RETURN_IF_ERROR(weight.Run("inserting into severity_weights", id, section, key, value));
    }
  }
  for (const auto& [key, value] : WeightScalars(taxonomy.severity())) {
    BLASTMAP_RETURN_IF_ERROR(weight.Run("inserting into severity_weights", id, "scalar", key, *value));
  }
  return Status::Ok();
}

// "(the store holds snapshots 1..M)", or that it holds none; for errors about a missing snapshot.
Result<std::string> HeldSnapshots(sqlite3* db) {
  Stmt range(db);
  BLASTMAP_RETURN_IF_ERROR(
      range.Prepare("SELECT count(*), min(id), max(id) FROM snapshots", "listing snapshots"));
  if (range.Step() != SQLITE_ROW) return range.Error("listing snapshots");
  if (range.Int(0) == 0) return std::string("(the store holds no snapshot)");
  if (range.Int(0) == 1) return "(the store holds snapshot " + std::to_string(range.Int(1)) + ")";
  return "(the store holds snapshots " + std::to_string(range.Int(1)) + ".." + std::to_string(range.Int(2)) +
         ")";
}

}  // namespace

// The open transaction of a snapshot being written and one prepared statement per streamed table.
struct SnapshotWriter::Impl {
  explicit Impl(sqlite3* db)
      : db(db), tx(db), node(db), attr(db), holding(db), flow(db), access(db), subject(db) {}

  // BEGIN IMMEDIATE, the snapshot's row (its counts and time are set by Commit) and the statements.
  Status Begin() {
    BLASTMAP_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE", "starting to save a snapshot"));
    Stmt snapshot(db);
    BLASTMAP_RETURN_IF_ERROR(
        snapshot.Prepare("INSERT INTO snapshots(created_at, source, nodes, flows, accesses) "
                         "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, 0, 0, 0)",
                         "saving a snapshot"));
    BLASTMAP_RETURN_IF_ERROR(snapshot.Run("inserting into snapshots", source));
    id = sqlite3_last_insert_rowid(db);
    nodes = subjects = holdings = flows = accesses = 0;
    if (prepared) return Status::Ok();
    BLASTMAP_RETURN_IF_ERROR(node.Prepare(
        "INSERT INTO nodes(snapshot, pos, id, kind, name, file, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "saving nodes"));
    BLASTMAP_RETURN_IF_ERROR(
        attr.Prepare("INSERT INTO node_attrs(snapshot, node_pos, key, ordinal, value) VALUES (?, ?, ?, ?, ?)",
                     "saving nodes"));
    BLASTMAP_RETURN_IF_ERROR(holding.Prepare(
        "INSERT INTO holdings(snapshot, pos, node, categories, subjects, records, file, line, col) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "saving holdings"));
    BLASTMAP_RETURN_IF_ERROR(flow.Prepare(
        "INSERT INTO flows(snapshot, pos, from_node, to_node, forwards_all, categories, subjects, purpose, "
        "records, transport, required, description, file, line, col, active_from, active_until) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "saving flows"));
    BLASTMAP_RETURN_IF_ERROR(
        access.Prepare("INSERT INTO accesses(snapshot, pos, from_node, to_node, privilege, mechanism, "
                       "likelihood, description, "
                       "file, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "saving accesses"));
    BLASTMAP_RETURN_IF_ERROR(subject.Prepare(
        "INSERT INTO subjects(snapshot, pos, id, kind, name, jurisdictions, records, file, line, col) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "saving subjects"));
    prepared = true;
    return Status::Ok();
  }

  Status Write(const Node& n) {
    const int64_t pos = Pos(nodes);
    BLASTMAP_RETURN_IF_ERROR(node.Run("inserting into nodes", id, pos, n.id, NodeKindName(n.kind), n.name,
                                      n.where.file, n.where.line, n.where.col));
    for (const auto& [key, values] : n.attrs) {
      // A key without values is still a declared key: one row with a NULL value keeps it.
      if (values.empty()) {
        BLASTMAP_RETURN_IF_ERROR(attr.Run("inserting into node_attrs", id, pos, key, 0, nullptr));
      }
      for (size_t j = 0; j < values.size(); ++j) {
        BLASTMAP_RETURN_IF_ERROR(attr.Run("inserting into node_attrs", id, pos, key, Pos(j), values[j]));
      }
    }
    ++nodes;
    return Status::Ok();
  }

  Status Write(const Holding& h) {
    if (!EncodeList(h.categories, &list_a) || !EncodeList(h.subjects, &list_b)) {
      return SeparatorError(h.where.ToString(), "holding on '" + h.node + "'");
    }
    BLASTMAP_RETURN_IF_ERROR(holding.Run("inserting into holdings", id, Pos(holdings), h.node, list_a, list_b,
                                         RecordsValue(h.records), h.where.file, h.where.line, h.where.col));
    ++holdings;
    return Status::Ok();
  }

  Status Write(const Flow& f) {
    if (!EncodeList(f.categories, &list_a) || !EncodeList(f.subjects, &list_b)) {
      return SeparatorError(f.where.ToString(), "flow '" + f.from + "' -> '" + f.to + "'");
    }
    BLASTMAP_RETURN_IF_ERROR(flow.Run("inserting into flows", id, Pos(flows), f.from, f.to, f.forwards_all,
                                      list_a, list_b, f.purpose, RecordsValue(f.records), f.transport,
                                      f.required, f.description, f.where.file, f.where.line, f.where.col,
                                      f.active_from, f.active_until));
    ++flows;
    return Status::Ok();
  }

  Status Write(const Access& a) {
    BLASTMAP_RETURN_IF_ERROR(access.Run("inserting into accesses", id, Pos(accesses), a.from, a.to,
                                        PrivilegeName(a.privilege), a.mechanism, a.likelihood, a.description,
                                        a.where.file, a.where.line, a.where.col));
    ++accesses;
    return Status::Ok();
  }

  Status Write(const Subject& s) {
    if (!EncodeList(s.jurisdictions, &list_a))
      return SeparatorError(s.where.ToString(), "subject '" + s.id + "'");
    BLASTMAP_RETURN_IF_ERROR(subject.Run("inserting into subjects", id, Pos(subjects), s.id, s.kind, s.name,
                                         list_a, RecordsValue(s.records), s.where.file, s.where.line,
                                         s.where.col));
    ++subjects;
    return Status::Ok();
  }

  // Writes rows[from..] of one table; `from` is how many were added.
  template <typename Row>
  Status WriteFrom(const std::vector<Row>& rows, size_t from) {
    if (from > rows.size()) {
      return Status::Error("store " + PathOf(db) + ": more rows were added than the model holds");
    }
    for (size_t i = from; i < rows.size(); ++i) BLASTMAP_RETURN_IF_ERROR(Write(rows[i]));
    return Status::Ok();
  }

  // The rest of `model` and the commit. The table order is the one a whole save writes in, so a model that
  // cannot be stored reports the same first problem however many rows were added before.
  Status Finish(const Model& model) {
    BLASTMAP_RETURN_IF_ERROR(WriteFrom(model.nodes, nodes));
    BLASTMAP_RETURN_IF_ERROR(WriteFrom(model.holdings, holdings));
    BLASTMAP_RETURN_IF_ERROR(WriteFrom(model.flows, flows));
    BLASTMAP_RETURN_IF_ERROR(WriteFrom(model.accesses, accesses));
    BLASTMAP_RETURN_IF_ERROR(WriteFrom(model.subjects, subjects));
    BLASTMAP_RETURN_IF_ERROR(SaveFides(db, id, model));
    BLASTMAP_RETURN_IF_ERROR(SaveTaxonomy(db, id, model.taxonomy, list_a));
    Stmt counts(db);
    BLASTMAP_RETURN_IF_ERROR(
        counts.Prepare("UPDATE snapshots SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), nodes = ?, "
                       "flows = ?, accesses = ? WHERE id = ?",
                       "saving a snapshot"));
    BLASTMAP_RETURN_IF_ERROR(counts.Run("updating snapshots", Pos(model.nodes.size()),
                                        Pos(model.flows.size()), Pos(model.accesses.size()), id));
    return tx.Commit("committing the snapshot");
  }

  // Rows go only into the snapshot's transaction: outside it (committed, or after a failed restart) each
  // insert would commit on its own.
  Status Ready() const {
    if (spent) return Status::Error("store " + PathOf(db) + ": the snapshot was already committed");
    return broken;
  }
  template <typename Row>
  Status Add(const Row& row) {
    BLASTMAP_RETURN_IF_ERROR(Ready());
    return Write(row);
  }

  sqlite3* db;
  std::string source;
  Transaction tx;
  Stmt node, attr, holding, flow, access, subject;
  bool prepared = false;
  int64_t id = 0;
  size_t nodes = 0, subjects = 0, holdings = 0, flows = 0, accesses = 0;  // rows written per table
  std::string list_a, list_b;                                             // encoded lists, reused across rows
  Status broken = Status::Ok();  // a failed Restart: the transaction is gone
  bool spent = false;
};

SnapshotWriter::SnapshotWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SnapshotWriter::~SnapshotWriter() = default;  // the Transaction rolls back unless committed

Status SnapshotWriter::Add(const Node& node) { return impl_->Add(node); }
Status SnapshotWriter::Add(const Subject& subject) { return impl_->Add(subject); }
Status SnapshotWriter::Add(const Holding& holding) { return impl_->Add(holding); }
Status SnapshotWriter::Add(const Flow& flow) { return impl_->Add(flow); }
Status SnapshotWriter::Add(const Access& access) { return impl_->Add(access); }

size_t SnapshotWriter::rows() const {
  return impl_->nodes + impl_->subjects + impl_->holdings + impl_->flows + impl_->accesses;
}

Status SnapshotWriter::Restart() {
  if (!impl_->broken.ok()) return impl_->broken;
  Status status = impl_->tx.Rollback("starting the snapshot again");
  if (status.ok()) status = impl_->Begin();
  if (!status.ok()) impl_->broken = status;
  return status;
}

Result<int64_t> SnapshotWriter::Commit(const Model& model) {
  BLASTMAP_RETURN_IF_ERROR(impl_->Ready());
  impl_->spent = true;
  Status status = impl_->Finish(model);
  if (!status.ok()) {
    (void)impl_->tx.Rollback("rolling back the snapshot");  // the error says what failed; best effort
    return status;
  }
  return impl_->id;
}

Result<std::unique_ptr<SnapshotWriter>> Store::BeginSnapshot(const std::string& source) {
  if (sqlite3_db_readonly(db_, "main") == 1) {
    return Status::Error("store " + PathOf(db_) + " is open read-only; cannot save a snapshot");
  }
  auto impl = std::make_unique<SnapshotWriter::Impl>(db_);
  impl->source = source;
  BLASTMAP_RETURN_IF_ERROR(impl->Begin());
  return std::unique_ptr<SnapshotWriter>(new SnapshotWriter(std::move(impl)));
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, bool read_only, bool migrate) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(path, ec)) {
    return Status::Error("no store at " + path + "; run 'blastmap import' first");
  }
  sqlite3* db = nullptr;
  // NOMUTEX: a Store is used by one thread at a time (store.h), so SQLite's own locking is pure cost.
  const int flags =
      SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // Owned from here: sqlite3_open_v2 hands back a handle to close even when it fails.
  std::unique_ptr<Store> store(new Store(db));
  if (rc != SQLITE_OK) {
    return Status::Error("cannot open store " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  BLASTMAP_RETURN_IF_ERROR(PrepareStore(db, path, read_only, migrate));
  return store;
}

// Store::Store and Store::~Store are in store_elements.cc, beside the element reads they own.

Result<int64_t> Store::SaveSnapshot(const Model& model, const std::string& source) {
  auto writer = BeginSnapshot(source);
  if (!writer.ok()) return writer.status();
  return writer.value()->Commit(model);
}

Result<std::vector<SnapshotInfo>> Store::ListSnapshots() {
  Stmt list(db_);
  BLASTMAP_RETURN_IF_ERROR(
      list.Prepare("SELECT id, created_at, source, nodes, flows, accesses FROM snapshots ORDER BY id",
                   "listing snapshots"));
  std::vector<SnapshotInfo> out;
  int rc;
  while ((rc = list.Step()) == SQLITE_ROW) {
    out.push_back({list.Int(0), list.Text(1), list.Text(2), list.Int(3), list.Int(4), list.Int(5)});
  }
  if (rc != SQLITE_DONE) return list.Error("listing snapshots");
  return out;
}

Result<int64_t> Store::LatestSnapshot() {
  Stmt latest(db_);
  BLASTMAP_RETURN_IF_ERROR(latest.Prepare("SELECT max(id) FROM snapshots", "finding the latest snapshot"));
  if (latest.Step() != SQLITE_ROW) return latest.Error("finding the latest snapshot");
  if (latest.Null(0)) return Status::Error("the store holds no snapshot; run 'blastmap import' first");
  return latest.Int(0);
}

Status Store::BeginLoad(int64_t id, Transaction& tx) {
  // One read transaction: every table is read from the same committed state.
  BLASTMAP_RETURN_IF_ERROR(tx.Begin("BEGIN", "starting to load a snapshot"));
  Stmt exists(db_);
  BLASTMAP_RETURN_IF_ERROR(exists.Prepare("SELECT 1 FROM snapshots WHERE id = ?", "loading a snapshot"));
  exists.Bind(id);
  const int rc = exists.Step();
  if (rc == SQLITE_DONE) {
    Result<std::string> held = HeldSnapshots(db_);
    if (!held.ok()) return held.status();
    return Status::Error("snapshot " + std::to_string(id) + " does not exist " + held.value());
  }
  if (rc != SQLITE_ROW) return exists.Error("loading a snapshot");
  return Status::Ok();
}

Result<Model> Store::LoadSnapshot(int64_t id) {
  Transaction tx(db_);
  BLASTMAP_RETURN_IF_ERROR(BeginLoad(id, tx));
  Model model;
  BLASTMAP_RETURN_IF_ERROR(LoadRows(db_, id, &model));
  BLASTMAP_RETURN_IF_ERROR(tx.Commit("finishing the load"));
  Status finalized = model.taxonomy.Finalize();
  if (!finalized.ok()) return Status::Error("snapshot " + std::to_string(id) + ": " + finalized.message());
  return model;
}

Result<Graph> Store::LoadGraph(int64_t id) {
  Transaction tx(db_);
  BLASTMAP_RETURN_IF_ERROR(BeginLoad(id, tx));
  const char* file = sqlite3_db_filename(db_, "main");
  if (file == nullptr || *file == '\0')
    return Status::Error("a lean graph reads its elements from the store's file, and this store has none");
  // Opened inside this read transaction: the snapshot exists, and is never changed once committed.
  auto source = StoreElements(file, id);
  if (!source.ok()) return source.status();
  Result<Graph> graph = LoadGraphRows(db_, id);
  if (!graph.ok()) return graph.status();
  BLASTMAP_RETURN_IF_ERROR(tx.Commit("finishing the load"));
  graph.value().MakeLean(source.take());
  return graph;
}

}  // namespace blastmap::core
