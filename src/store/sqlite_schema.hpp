// The SQLite store's schema and its forward migrations. The version lives in the table `schema_version`
// (one row per applied migration); the file is marked with PRAGMA application_id so a foreign SQLite file
// is recognised. Migrations run in one BEGIN IMMEDIATE transaction, so two processes opening the same
// new file never both migrate it, and a failing migration leaves the file as it was.
//
//   auto status = migrate(conn, sqlite_migrations());   // on open
#pragma once

#include <span>
#include <string>

#include "absl/status/status.h"
#include "store/sqlite_db.hpp"

namespace leadcustomers::detail {

// "LCus": the PRAGMA application_id of a LeadCustomers database.
inline constexpr int kSqliteApplicationId = 0x4c437573;

// One step of the schema: the SQL that brings a version-1 database to `version`.
struct SqliteMigration {
  int version;
  const char* sql;
};

// The migrations of this library, in order; the last one's version is SqliteStore::kSchemaVersion.
std::span<const SqliteMigration> sqlite_migrations();

// The version recorded in the file: 0 for an empty file. Fails for a file that has tables but is not a
// LeadCustomers database (FAILED_PRECONDITION, store.not_leadcustomers). Reads only.
absl::StatusOr<int> read_schema_version(SqliteConnection& conn);

// Refuses, reading only, a database this library must not change: a newer schema version
// (FAILED_PRECONDITION, rule store.schema_too_new) or a foreign file (store.not_leadcustomers).
absl::Status check_schema(SqliteConnection& conn, std::span<const SqliteMigration> migrations);

// Brings the database to the last version of `migrations`. A database at a newer version is refused
// (FAILED_PRECONDITION, rule store.schema_too_new) and not touched.
absl::Status migrate(SqliteConnection& conn, std::span<const SqliteMigration> migrations);

}  // namespace leadcustomers::detail
