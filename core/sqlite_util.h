// Thin RAII helpers over the SQLite C API for the store: errors as Status, prepared statements with
// typed binding, and a transaction that rolls back unless committed. Internal to core/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/status.h"

// Returns from the enclosing function when `expr` yields an error Status.
#define BLASTMAP_RETURN_IF_ERROR(expr)    \
  do {                                    \
    ::blastmap::core::Status _s = (expr); \
    if (!_s.ok()) return _s;              \
  } while (0)

namespace blastmap::core::sql {

inline std::string PathOf(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  return file ? file : "";
}

// "store PATH: doing: sqlite message". Built before anything else touches the connection,
// since a later call (a ROLLBACK) replaces sqlite3_errmsg.
inline Status SqlError(sqlite3* db, std::string_view doing) {
  return Status::Error("store " + PathOf(db) + ": " + std::string(doing) + ": " + sqlite3_errmsg(db));
}

inline Status Exec(sqlite3* db, const char* sql, std::string_view doing) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(db, doing);
  return Status::Ok();
}

// Owns one prepared statement of one connection; finalized on destruction.
class Stmt {
 public:
  explicit Stmt(sqlite3* db) : db_(db) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Status Prepare(const char* sql, std::string_view doing) {
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr) != SQLITE_OK) return SqlError(db_, doing);
    return Status::Ok();
  }

  // Binds args to ?1..?N. Text is bound SQLITE_STATIC: callers bind and step within one full
  // expression (Run) or keep the values alive while they step, and every step rebinds all parameters.
  template <typename... Args>
  void Bind(const Args&... args) {
    int index = 0;
    (BindOne(++index, args), ...);
  }

  // Binds, runs a statement that returns no row, and resets it for the next row.
  template <typename... Args>
  Status Run(std::string_view doing, const Args&... args) {
    Bind(args...);
    if (sqlite3_step(stmt_) != SQLITE_DONE) {
      Status error = SqlError(db_, doing);
      sqlite3_reset(stmt_);
      return error;
    }
    sqlite3_reset(stmt_);
    return Status::Ok();
  }

  int Step() { return sqlite3_step(stmt_); }
  void Reset() { sqlite3_reset(stmt_); }
  Status Error(std::string_view doing) const { return SqlError(db_, doing); }

  bool Null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  // The text of `col` without a copy, valid until the next Step or Reset.
  std::string_view View(int col) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return text ? std::string_view(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }
  int64_t Records(int col) const { return Null(col) ? kUnknownRecords : Int(col); }

 private:
  void BindOne(int i, std::string_view v) {
    // A null pointer would bind SQL NULL; an empty string must stay ''.
    sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindOne(int i, const std::string& v) { BindOne(i, std::string_view(v)); }
  void BindOne(int i, const char* v) { BindOne(i, std::string_view(v)); }
  void BindOne(int i, const Symbol& v) { BindOne(i, std::string_view(v)); }
  void BindOne(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindOne(int i, int v) { sqlite3_bind_int(stmt_, i, v); }
  void BindOne(int i, bool v) { sqlite3_bind_int(stmt_, i, v ? 1 : 0); }
  void BindOne(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void BindOne(int i, std::nullptr_t) { sqlite3_bind_null(stmt_, i); }
  template <typename T>
  void BindOne(int i, const std::optional<T>& v) {
    if (v) {
      BindOne(i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Rolls back on destruction unless committed, so every early return leaves the store as it was.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (active_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Status Begin(const char* sql, std::string_view doing) {
    BLASTMAP_RETURN_IF_ERROR(Exec(db_, sql, doing));
    active_ = true;
    return Status::Ok();
  }
  Status Commit(std::string_view doing) {
    BLASTMAP_RETURN_IF_ERROR(Exec(db_, "COMMIT", doing));
    active_ = false;
    return Status::Ok();
  }
  // Ends the transaction now, keeping nothing of it.
  Status Rollback(std::string_view doing) {
    if (!active_) return Status::Ok();
    active_ = false;
    return Exec(db_, "ROLLBACK", doing);
  }

 private:
  sqlite3* db_;
  bool active_ = false;
};

}  // namespace blastmap::core::sql
