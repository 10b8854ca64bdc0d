// The SQLite store: every import is one new snapshot of a whole Model, written in one transaction;
// queries load a snapshot (the latest unless told otherwise) back into a Model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

struct sqlite3;

namespace blastmap::core {

class Graph;  // core/graph.h
namespace sql {
class Transaction;
}  // namespace sql

struct SnapshotInfo {
  int64_t id = 0;
  std::string created_at;  // UTC, ISO 8601
  std::string source;      // what was imported (a path)
  int64_t nodes = 0;
  int64_t flows = 0;
  int64_t accesses = 0;
};

class SnapshotWriter;

// One open store file. Not thread-safe: give each thread its own Store.
class Store {
 public:
  // Opens (and when writable creates) the store at `path`. read_only opens an existing file only,
  // and fails with a clear message when it does not exist or is not a blastmap store. A writable open
  // migrates a store of the previous schema version in place, unless `migrate` is false: then it fails.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, bool read_only, bool migrate = true);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes `model` as a new snapshot in one transaction and returns its id. On any error nothing
  // is written (the transaction is rolled back) and the store holds exactly the previous snapshots.
  Result<int64_t> SaveSnapshot(const Model& model, const std::string& source);

  // Starts writing a new snapshot in one transaction whose rows may be added before the whole model is
  // known (an import adds the rows of the files it has read while later files parse). Holds the store's
  // write lock (other writers wait, readers do not) until the writer commits or is destroyed; nothing is
  // visible to readers before the commit. The writer borrows this Store and must not outlive it, and the
  // Store is not used for anything else meanwhile. An error (the store is read-only, or locked past the
  // busy timeout) writes nothing.
  Result<std::unique_ptr<SnapshotWriter>> BeginSnapshot(const std::string& source);

  // Every snapshot, oldest first.
  Result<std::vector<SnapshotInfo>> ListSnapshots();
  // The newest snapshot's id; an error ("the store holds no snapshot; run 'blastmap import' first") when
  // empty.
  Result<int64_t> LatestSnapshot();
  // The whole model of snapshot `id`, taxonomy included and finalized; an error when it does not exist.
  Result<Model> LoadSnapshot(int64_t id);
  // One flow (access, holding) of snapshot `id` by its position, its index in the model's vector: what a
  // lean graph reads when it renders one (core/element_source.h). A prepared primary-key lookup, kept for
  // the next read. An error when there is no such element.
  Result<Flow> LoadFlow(int64_t id, uint32_t pos);
  Result<Access> LoadAccess(int64_t id, uint32_t pos);
  Result<Holding> LoadHolding(int64_t id, uint32_t pos);
  // The lean graph (Graph::lean) of snapshot `id`, its elements read from this store's file
  // (StoreElements), built from the store's columns without ever holding the snapshot's flows, accesses and
  // holdings: its arrays are the same as Graph::Build(LoadSnapshot(id))'s. An error when the snapshot does
  // not exist, when the store has no file (an in-memory one), or naming where a row refers to an unknown
  // node or category (a damaged store).
  Result<Graph> LoadGraph(int64_t id);

 private:
  struct ElementReads;  // the prepared statements of LoadFlow, LoadAccess and LoadHolding (store_elements.cc)
  explicit Store(sqlite3* db);
  Status EnsureReads();
  // Begins `tx`, a read transaction, and checks that snapshot `id` exists.
  Status BeginLoad(int64_t id, sql::Transaction& tx);
  sqlite3* db_;
  std::unique_ptr<ElementReads> reads_;
};

// A snapshot being written (Store::BeginSnapshot). Rows are added table by table in model order: the
// n-th Add of a Node is model.nodes[n], and so on. Commit writes what was not added and makes the
// snapshot visible; destroying the writer without a successful Commit rolls everything back, so the store
// holds exactly the snapshots it held before.
class SnapshotWriter {
 public:
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Each adds the next row of its table. An error (an SQLite error, or a list element holding the unit
  // separator) leaves the rows added before; the caller Restarts or drops the writer.
  Status Add(const Node& node);
  Status Add(const Subject& subject);
  Status Add(const Holding& holding);
  Status Add(const Flow& flow);
  Status Add(const Access& access);
  // Forgets every row added (Commit then writes the whole model). An error is kept and returned by Commit.
  Status Restart();
  // The rows added since the start or the last Restart (node attributes not counted).
  size_t rows() const;
  // Writes the rows of `model` past those added (the rows added must be the first rows of its tables),
  // the rest of the model, and commits; returns the snapshot's id. On any error nothing is written, and
  // the writer is spent either way.
  Result<int64_t> Commit(const Model& model);

 private:
  friend class Store;
  struct Impl;
  explicit SnapshotWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace blastmap::core
