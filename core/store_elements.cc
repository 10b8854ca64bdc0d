// Reading one flow, access or holding of a snapshot by its position (Store::LoadFlow and the others), and
// the store as a lean graph's ElementSource.
#include <sqlite3.h>

#include <mutex>
#include <string>

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

// A store's snapshot as a lean graph's source: one connection, one read at a time.
class StoreSource : public ElementSource {
 public:
  StoreSource(std::unique_ptr<Store> store, int64_t snapshot)
      : store_(std::move(store)), snapshot_(snapshot) {}
  Result<Flow> ReadFlow(uint32_t pos) const override {
    std::lock_guard lock(mu_);
    return store_->LoadFlow(snapshot_, pos);
  }
  Result<Access> ReadAccess(uint32_t pos) const override {
    std::lock_guard lock(mu_);
    return store_->LoadAccess(snapshot_, pos);
  }
  Result<Holding> ReadHolding(uint32_t pos) const override {
    std::lock_guard lock(mu_);
    return store_->LoadHolding(snapshot_, pos);
  }
  Result<Model> ReadModel() const override {
    std::lock_guard lock(mu_);
    return store_->LoadSnapshot(snapshot_);
  }

 private:
  mutable std::mutex mu_;
  std::unique_ptr<Store> store_;
  int64_t snapshot_;
};

}  // namespace

Result<std::shared_ptr<const ElementSource>> StoreElements(const std::string& path, int64_t snapshot) {
  auto store = Store::Open(path, /*read_only=*/true);
  if (!store.ok()) return store.status();
  return std::shared_ptr<const ElementSource>(std::make_shared<StoreSource>(store.take(), snapshot));
}

}  // namespace blastmap::core

#undef BLASTMAP_RETURN_IF_ERROR
