// Reading one flow, access or holding of a snapshot by its position (Store::LoadFlow and the others), and
// the store as a lean graph's ElementSource.
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/element_source.h"
#include "core/sqlite_util.h"
#include "core/store.h"
#include "core/store_rows.h"

namespace blastmap::core {

// The three lookups, prepared on first use and kept: each is a primary-key search of (snapshot, pos).
struct Store::ElementReads {
  explicit ElementReads(sqlite3* db) : flow(db), access(db), holding(db) {}
  Status Prepare() {
    auto select = [](const char* columns, const char* table) {
      return std::string("SELECT ") + columns + " FROM " + table + " WHERE snapshot = ?1 AND pos = ?2";
    };
    const char* doing = "preparing the element reads";
    BLASTMAP_RETURN_IF_ERROR(flow.Prepare(select(store_detail::kFlowColumns, "flows").c_str(), doing));
    BLASTMAP_RETURN_IF_ERROR(access.Prepare(select(store_detail::kAccessColumns, "accesses").c_str(), doing));
    return holding.Prepare(select(store_detail::kHoldingColumns, "holdings").c_str(), doing);
  }
  sql::Stmt flow, access, holding;
};

Store::Store(sqlite3* db) : db_(db) {}

// The element reads' statements are finalized (by their destructors) before the connection closes.
Store::~Store() {
  reads_.reset();
  sqlite3_close_v2(db_);
}

namespace {

// Steps `stmt` bound to (id, pos) to its one row and makes the element of it with `of`, which may fail.
template <typename Element, typename Of>
Result<Element> ReadOne(sqlite3* db, sql::Stmt& stmt, int64_t id, uint32_t pos, const char* what, Of&& of) {
  const std::string doing =
      std::string("reading ") + what + " " + std::to_string(pos) + " of snapshot " + std::to_string(id);
  stmt.Bind(id, static_cast<int64_t>(pos));
  const int rc = stmt.Step();
  Result<Element> out =
      rc == SQLITE_ROW ? of(stmt)
      : rc == SQLITE_DONE
          ? Result<Element>(Status::Error("store " + sql::PathOf(db) + ": " + doing + ": there is none"))
          : Result<Element>(stmt.Error(doing));
  stmt.Reset();
  return out;
}

}  // namespace

Result<Flow> Store::LoadFlow(int64_t id, uint32_t pos) {
  BLASTMAP_RETURN_IF_ERROR(EnsureReads());
  return ReadOne<Flow>(db_, reads_->flow, id, pos, "flow",
                       [](const sql::Stmt& row) -> Result<Flow> { return store_detail::FlowOf(row); });
}

Result<Access> Store::LoadAccess(int64_t id, uint32_t pos) {
  BLASTMAP_RETURN_IF_ERROR(EnsureReads());
  return ReadOne<Access>(db_, reads_->access, id, pos, "access", [&](const sql::Stmt& row) -> Result<Access> {
    auto access = store_detail::AccessOf(row);
    if (!access) {
      return Status::Error("store " + sql::PathOf(db_) + ": access " + std::to_string(pos) +
                           " has unknown privilege '" + row.Text(2) + "' (the store is damaged)");
    }
    return *access;
  });
}

Result<Holding> Store::LoadHolding(int64_t id, uint32_t pos) {
  BLASTMAP_RETURN_IF_ERROR(EnsureReads());
  return ReadOne<Holding>(
      db_, reads_->holding, id, pos, "holding",
      [](const sql::Stmt& row) -> Result<Holding> { return store_detail::HoldingOf(row); });
}

Status Store::EnsureReads() {
  if (reads_) return Status::Ok();
  auto reads = std::make_unique<ElementReads>(db_);
  BLASTMAP_RETURN_IF_ERROR(reads->Prepare());
  reads_ = std::move(reads);
  return Status::Ok();
}

namespace {

// A store's snapshot as a lean graph's source: a few read-only connections, each serving one read at a time.
// A read takes an idle connection, opens one more while fewer than `limit` are open, or waits for one to
// come back; so concurrent renders of a server do not queue behind each other's lookups (about 20 µs
// each), nor behind a whole model's read (seconds at 10^6).
class StoreSource : public ElementSource {
 public:
  StoreSource(std::string path, std::unique_ptr<Store> first, int64_t snapshot, size_t limit)
      : path_(std::move(path)), snapshot_(snapshot), limit_(limit) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }
  Result<Flow> ReadFlow(uint32_t pos) const override {
    return With<Flow>([&](Store& store) { return store.LoadFlow(snapshot_, pos); });
  }
  Result<Access> ReadAccess(uint32_t pos) const override {
    return With<Access>([&](Store& store) { return store.LoadAccess(snapshot_, pos); });
  }
  Result<Holding> ReadHolding(uint32_t pos) const override {
    return With<Holding>([&](Store& store) { return store.LoadHolding(snapshot_, pos); });
  }
  Result<Model> ReadModel() const override {
    return With<Model>([&](Store& store) { return store.LoadSnapshot(snapshot_); });
  }

 private:
  // Runs `read` on a connection of the pool's and gives the connection back, also when `read` throws.
  template <typename T, typename Read>
  Result<T> With(Read&& read) const {
    auto store = Take();
    if (!store.ok()) return store.status();
    struct GiveBack {
      const StoreSource* source;
      std::unique_ptr<Store> store;
      ~GiveBack() { source->Give(std::move(store)); }
    } lease{this, store.take()};
    return read(*lease.store);
  }
  Result<std::unique_ptr<Store>> Take() const {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < limit_; });
    if (!idle_.empty()) {
      std::unique_ptr<Store> store = std::move(idle_.back());
      idle_.pop_back();
      return store;
    }
    ++open_;  // counted before it is open, so that no other read opens one past the limit meanwhile
    lock.unlock();
    auto store = Store::Open(path_, /*read_only=*/true);
    if (!store.ok()) {
      lock.lock();
      --open_;
      returned_.notify_one();
      return store.status();
    }
    return store.take();
  }
  void Give(std::unique_ptr<Store> store) const {
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(store));
    }
    returned_.notify_one();
  }

  const std::string path_;
  const int64_t snapshot_;
  const size_t limit_;
  mutable std::mutex mu_;
  mutable std::condition_variable returned_;
  mutable std::vector<std::unique_ptr<Store>> idle_;
  mutable size_t open_ = 0;
};

}  // namespace

Result<std::shared_ptr<const ElementSource>> StoreElements(const std::string& path, int64_t snapshot,
                                                           size_t connections) {
  if (connections == 0) connections = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  auto store = Store::Open(path, /*read_only=*/true);
  if (!store.ok()) return store.status();
  return std::shared_ptr<const ElementSource>(
      std::make_shared<StoreSource>(path, store.take(), snapshot, connections));
}

}  // namespace blastmap::core
