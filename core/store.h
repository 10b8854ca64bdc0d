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

struct SnapshotInfo {
  int64_t id = 0;
  std::string created_at;  // UTC, ISO 8601
  std::string source;      // what was imported (a path)
  int64_t nodes = 0;
  int64_t flows = 0;
  int64_t accesses = 0;
};

// One open store file. Not thread-safe: give each thread its own Store.
class Store {
 public:
  // Opens (and when writable creates) the store at `path`. read_only opens an existing file only,
  // and fails with a clear message when it does not exist or is not a blastmap store.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, bool read_only);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Writes `model` as a new snapshot in one transaction and returns its id. On any error nothing
  // is written (the transaction is rolled back) and the store holds exactly the previous snapshots.
  Result<int64_t> SaveSnapshot(const Model& model, const std::string& source);

  // Every snapshot, oldest first.
  Result<std::vector<SnapshotInfo>> ListSnapshots();
  // The newest snapshot's id; an error ("the store holds no snapshot; run 'blastmap import' first") when
  // empty.
  Result<int64_t> LatestSnapshot();
  // The whole model of snapshot `id`, taxonomy included and finalized; an error when it does not exist.
  Result<Model> LoadSnapshot(int64_t id);

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace blastmap::core
