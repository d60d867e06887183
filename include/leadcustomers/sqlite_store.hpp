// The SQLite store — the embedded default (SPEC §6): one database file (or ":memory:"), WAL, every
// Store::write one transaction (BEGIN IMMEDIATE), a versioned schema migrated forward on open, prepared
// statements only. It holds no rules: the engine applies commands to loaded aggregates; this store loads,
// locks and saves them, and the database enforces the same uniqueness as the in-memory store (a partial
// unique index on the e-mail key of non-archived, non-erased customers; external refs unique per system).
//
//   auto store = SqliteStore::open("leadcustomers.db");        // StatusOr<unique_ptr<SqliteStore>>
//   if (!store.ok()) return store.status();                    // e.g. a database of a newer schema
//   Engine engine(**store);
//   Result r = engine.execute(command);
//
// Thread safety: one SqliteStore may be used from any number of threads. Writers are serialized on one
// writer connection (a mutex, then BEGIN IMMEDIATE, which also serializes against other processes through
// SQLite's file lock and `busy_timeout`). Readers each borrow a connection of a small pool and read a
// consistent WAL snapshot concurrently with the writer. A ":memory:" database has a single connection, so
// its readers queue behind the writer's mutex.
//
// Bulk paths: StoreTx::savepoint is lazy here — a savepoint whose only write is one put_customer costs no
// SQL SAVEPOINT (the put is atomic and its undo is remembered instead). See docs/decisions-sqlite.md.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

struct SqliteOptions {
  // PRAGMA synchronous. NORMAL (default) in WAL mode never corrupts the file and loses no committed
  // transaction when the process dies; FULL also keeps the last transactions across a power loss or OS
  // crash, at the cost of an fsync per commit.
  enum class Synchronous { normal, full };
  Synchronous synchronous = Synchronous::normal;
  // How long a statement waits for another connection's (or process's) lock before failing with
  // RESOURCE_EXHAUSTED (rule store.busy).
  int busy_timeout_ms = 5000;
  // PRAGMA cache_size of each connection, in KiB (SQLite's own default is 2 MiB, too small for bulk loads).
  int cache_size_kib = 32768;
  // Idle reader connections kept open for reuse (more are opened while more threads read at once).
  size_t max_idle_readers = 4;
};

class SqliteStore final : public Store {
 public:
  // The schema version this library creates and migrates to.
  static constexpr int kSchemaVersion = 3;

  // Opens (creating when absent) the database at `path`, or a private in-memory database for ":memory:".
  // Runs the forward migrations up to kSchemaVersion in one transaction. Refuses, without changing the
  // file: a database whose schema version is newer than kSchemaVersion (FAILED_PRECONDITION, rule
  // store.schema_too_new), a file that is not a LeadCustomers database (FAILED_PRECONDITION, rule
  // store.not_leadcustomers), a file that is not SQLite at all (INTERNAL).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteStore>> open(std::string_view path,
                                                                         SqliteOptions options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // One BEGIN IMMEDIATE … COMMIT; ROLLBACK when `fn` fails or throws.
  [[nodiscard]] absl::Status write(absl::FunctionRef<absl::Status(StoreTx&)> fn) override;
  // One read transaction (a WAL snapshot) on a pooled reader connection.
  [[nodiscard]] absl::Status read(absl::FunctionRef<absl::Status(StoreTx&)> fn) override;

  // The path the store was opened with.
  [[nodiscard]] const std::string& path() const;

  struct Impl;

 private:
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadcustomers
