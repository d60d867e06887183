#include "store/sqlite_db.hpp"

#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {

std::string sql_excerpt(std::string_view sql) {
  constexpr size_t kShown = 160;
  if (sql.size() <= kShown) return std::string(sql);
  // The SQL is ASCII (fixed fragments; values are bound parameters), but cut on a character boundary anyway.
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0) == 0x80) --cut;
  return cat(sql.substr(0, cut), "… (", sql.size(), " bytes of SQL)");
}

absl::Status sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = cat("SQLite: ", what, ": ", message ? message : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(ErrorCode::resource_exhausted,
                        cat(text, " (another connection held the lock longer than the busy timeout)"),
                        {{"", "store.busy", text}});
    case SQLITE_FULL:
      return make_error(ErrorCode::resource_exhausted, text, {{"", "store.full", text}});
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return make_error(ErrorCode::failed_precondition, text, {{"", "store.unavailable", text}});
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return make_error(ErrorCode::failed_precondition, text, {{"", "store.foreign_key", text}});
      }
      return make_error(ErrorCode::internal, text);
    default:
      return make_error(ErrorCode::internal, text);
  }
}

absl::StatusOr<bool> Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  rc_ = sqlite3_extended_errcode(db_);
  return sqlite_error(db_, rc_, sql_excerpt(sqlite3_sql(stmt_)));
}

absl::Status Stmt::run() {
  auto r = step();
  if (!r.ok()) return r.status();
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path, int flags,
                                                                         const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    auto status = sqlite_error(db, rc, cat("open ", quoted(path)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Statement and savepoint journals (one per bulk command) stay in memory instead of temp files.
  if (auto s = conn->exec("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY"); !s.ok()) return s;
  if (auto s =
          conn->exec(options.synchronous == SqliteOptions::Synchronous::full ? "PRAGMA synchronous = FULL"
                                                                             : "PRAGMA synchronous = NORMAL");
      !s.ok()) {
    return s;
  }
  // cache_size takes a negative number for KiB; the value is an integer, not text from a caller.
  std::string cache =
      cat("PRAGMA cache_size = -", options.cache_size_kib > 0 ? options.cache_size_kib : 2000);
  if (auto s = conn->exec(cache.c_str()); !s.ok()) return s;
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

absl::StatusOr<Stmt> SqliteConnection::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(db_, it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, cat("prepare ", sql_excerpt(sql)));
  cache_.emplace(sql, stmt);
  return Stmt(db_, stmt);
}

absl::StatusOr<DynamicStmt> SqliteConnection::prepare_dynamic(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, cat("prepare ", sql_excerpt(sql)));
  return DynamicStmt(db_, stmt);
}

absl::Status SqliteConnection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return sqlite_error(db_, sqlite3_extended_errcode(db_), sql_excerpt(sql));
  return absl::OkStatus();
}

absl::Status SqliteConnection::run(const char* sql) {
  auto stmt = prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->run();
}

}  // namespace leadcustomers::detail
