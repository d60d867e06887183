// A thin RAII layer over the SQLite C API for the SQLite store: a connection with its cache of prepared
// statements (each SQL text is a static constant, prepared once per connection with
// SQLITE_PREPARE_PERSISTENT and keyed by its address), a statement guard that binds, steps and resets,
// and the mapping of SQLite result codes to the library's errors.
//
//   auto conn = SqliteConnection::open("x.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options);
//   auto stmt = (*conn)->prepare(kSelectSomething);     // StatusOr<Stmt>
//   stmt->bind_id(1, id);
//   while (true) { auto row = stmt->step(); if (!row.ok()) return row.status(); if (!*row) break; ... }
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/sqlite_store.hpp"

namespace leadcustomers::detail {

// The library error for SQLite result code `rc` on `db`: BUSY/LOCKED -> RESOURCE_EXHAUSTED (store.busy),
// FULL -> RESOURCE_EXHAUSTED (store.full), READONLY -> FAILED_PRECONDITION, CONSTRAINT_FOREIGNKEY ->
// FAILED_PRECONDITION (store.foreign_key), everything else INTERNAL. `what` names the operation.
[[nodiscard]] absl::Status sqlite_error(sqlite3* db, int rc, std::string_view what);
// `sql` for an error message: at most 160 bytes, then "… (N bytes of SQL)" (a compiled segment rule can be
// kilobytes long; a message is for people).
[[nodiscard]] std::string sql_excerpt(std::string_view sql);

// A prepared statement borrowed from a connection's cache; reset when the guard goes away. Text and blob
// binds are SQLITE_STATIC: the bound memory must outlive the last step().
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (stmt_) sqlite3_reset(stmt_);
  }

  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }
  void bind_int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_bool(int i, bool v) { sqlite3_bind_int(stmt_, i, v ? 1 : 0); }
  void bind_text(int i, std::string_view v) {
    // A null data pointer would bind SQL NULL; an empty string stays an empty string.
    sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind_text(int i, const std::optional<std::string>& v) {
    if (v) {
      bind_text(i, std::string_view(*v));
    } else {
      bind_null(i);
    }
  }
  template <typename Tag>
  void bind_id(int i, const Id<Tag>& id) {
    sqlite3_bind_blob(stmt_, i, id.uuid().data, 16, SQLITE_STATIC);
  }
  template <typename Tag>
  void bind_id(int i, const std::optional<Id<Tag>>& id) {
    if (id) {
      bind_id(i, *id);
    } else {
      bind_null(i);
    }
  }
  void bind_blob(int i, const void* data, int size) {
    sqlite3_bind_blob(stmt_, i, data, size, SQLITE_STATIC);
  }
  // Unix microseconds (the store's time unit).
  void bind_time(int i, absl::Time t) { bind_int(i, absl::ToUnixMicros(t)); }
  void bind_time(int i, const std::optional<absl::Time>& t) {
    if (t) {
      bind_time(i, *t);
    } else {
      bind_null(i);
    }
  }

  // true: a row is ready; false: done. Errors are mapped with sqlite_error and carry the raw code in rc().
  [[nodiscard]] absl::StatusOr<bool> step();
  // Steps a statement that returns no rows.
  [[nodiscard]] absl::Status run();
  // The raw (extended) result code of the last failed step, 0 otherwise.
  [[nodiscard]] int rc() const { return rc_; }

  [[nodiscard]] bool is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  [[nodiscard]] int64_t col_int(int c) const { return sqlite3_column_int64(stmt_, c); }
  [[nodiscard]] bool col_bool(int c) const { return sqlite3_column_int(stmt_, c) != 0; }
  [[nodiscard]] std::string_view col_view(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))) : std::string_view();
  }
  [[nodiscard]] std::string col_text(int c) const { return std::string(col_view(c)); }
  [[nodiscard]] std::optional<std::string> col_opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_text(c);
  }
  [[nodiscard]] absl::Time col_time(int c) const { return absl::FromUnixMicros(col_int(c)); }
  [[nodiscard]] std::optional<absl::Time> col_opt_time(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_time(c);
  }
  template <typename IdT>
  [[nodiscard]] IdT col_id(int c) const {
    boost::uuids::uuid u{};
    const void* p = sqlite3_column_blob(stmt_, c);
    if (p && sqlite3_column_bytes(stmt_, c) == 16) std::memcpy(u.data, p, 16);
    return IdT(u);
  }
  template <typename IdT>
  [[nodiscard]] std::optional<IdT> col_opt_id(int c) const {
    if (is_null(c)) return std::nullopt;
    return col_id<IdT>(c);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int rc_ = 0;
};

// A statement of SQL built at run time (a segment rule compiled to SQL: fixed fragments, every value a
// parameter), not cached: reset, then finalized, when it goes away.
class DynamicStmt {
 public:
  DynamicStmt(sqlite3* db, sqlite3_stmt* stmt) : raw_(stmt), stmt_(db, stmt) {}
  Stmt& operator*() { return stmt_; }
  Stmt* operator->() { return &stmt_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> raw_;  // declared first: finalized after stmt_'s reset
  Stmt stmt_;
};

// One sqlite3 connection, used by one thread at a time, with its prepared-statement cache.
class SqliteConnection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*; NOMUTEX is added) and applies the per-connection settings:
  // busy_timeout, foreign_keys=ON, synchronous, cache_size. Journal mode is set by the store.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                                              int flags,
                                                                              const SqliteOptions& options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // The cached statement for `sql`, which must be a string constant (the cache is keyed by its address).
  [[nodiscard]] absl::StatusOr<Stmt> prepare(const char* sql);
  // Prepares SQL built at run time (see DynamicStmt), without caching.
  [[nodiscard]] absl::StatusOr<DynamicStmt> prepare_dynamic(const std::string& sql);
  // Runs static SQL text (pragmas, DDL, transaction control) without caching.
  [[nodiscard]] absl::Status exec(const char* sql);
  // Runs a cached statement that returns no rows.
  [[nodiscard]] absl::Status run(const char* sql);
  // True while a transaction is open.
  [[nodiscard]] bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  [[nodiscard]] sqlite3* handle() const { return db_; }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  [[nodiscard]] int64_t changes() const { return sqlite3_changes64(db_); }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  absl::flat_hash_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace leadcustomers::detail
