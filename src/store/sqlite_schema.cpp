#include "store/sqlite_schema.hpp"

#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/sqlite_store.hpp"

namespace leadcustomers::detail {
namespace {

// Version 1. Ids are 16-byte BLOBs (UUID bytes, so BLOB order is id order), times are INTEGER Unix
// microseconds, enums are their wire spelling. Every table but the two catalogs is keyed by the customer
// id first, so it can later be distributed by that column. The *_fold columns and phone_digits hold the
// search keys (search_match.hpp), recomputed on every write of the customer row. CHECKs spell enums with OR:
// `x IN (list)` builds an ephemeral index on every execution of an INSERT, which costs more than the row.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE schema_version (
  version    INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL
);

CREATE TABLE customer_types (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status = 'Active' OR status = 'Inactive' OR status = 'Archived'),
  is_default INTEGER NOT NULL,
  tax_exempt INTEGER NOT NULL
);
INSERT INTO customer_types (id, name, status, is_default, tax_exempt) VALUES (1, 'Default', 'Active', 1, 0);

CREATE TABLE companies (
  id         BLOB PRIMARY KEY,
  name       TEXT NOT NULL,
  name_fold  TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status = 'Active' OR status = 'Inactive' OR status = 'Archived'),
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX companies_name_fold ON companies (name_fold);

CREATE TABLE customers (
  id                          BLOB PRIMARY KEY,
  customer_type_id            INTEGER NOT NULL REFERENCES customer_types (id),
  status                      TEXT NOT NULL CHECK (status = 'Active' OR status = 'Inactive' OR status = 'Archived'),
  first_name                  TEXT NOT NULL,
  last_name                   TEXT NOT NULL,
  email                       TEXT NOT NULL,
  email_key                   TEXT NOT NULL,
  phone                       TEXT,
  phone_extension             TEXT,
  fax                         TEXT,
  fax_extension               TEXT,
  company_id                  BLOB REFERENCES companies (id),
  newsletter_subscribed       INTEGER NOT NULL,
  newsletter_opt_in_level     TEXT,
  newsletter_source           TEXT,
  newsletter_updated_at       INTEGER,
  tags                        TEXT NOT NULL,  -- JSON array of strings
  note                        TEXT,
  tax_exempt                  INTEGER,
  attributes                  TEXT NOT NULL,  -- JSON object of strings
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL,
  version                     INTEGER NOT NULL,
  erased                      INTEGER NOT NULL,
  default_shipping_address_id BLOB,
  default_billing_address_id  BLOB,
  first_fold                  TEXT NOT NULL,
  last_fold                   TEXT NOT NULL,
  full_fold                   TEXT NOT NULL,
  phone_digits                TEXT NOT NULL   -- '|'-joined digits of every phone of the aggregate
) WITHOUT ROWID;
-- The e-mail key is unique among non-archived, non-erased customers (SPEC §2.1, §4.1).
CREATE UNIQUE INDEX customers_live_email ON customers (email_key) WHERE status <> 'Archived' AND erased = 0;
-- Look-up of archived customers by e-mail and e-mail prefix search.
CREATE INDEX customers_email ON customers (email_key) WHERE erased = 0;
CREATE INDEX customers_first_fold ON customers (first_fold);
CREATE INDEX customers_last_fold ON customers (last_fold);
CREATE INDEX customers_full_fold ON customers (full_fold);
CREATE INDEX customers_company ON customers (company_id) WHERE company_id IS NOT NULL;

CREATE TABLE addresses (
  customer_id     BLOB NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  id              BLOB NOT NULL,
  position        INTEGER NOT NULL,  -- order of the address book
  name            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status = 'Active' OR status = 'Inactive'),
  region          TEXT NOT NULL,
  state           TEXT,
  phone           TEXT,
  phone_extension TEXT,
  address1        TEXT NOT NULL,
  address2        TEXT,
  city            TEXT,
  zip             TEXT,
  business_name   TEXT,
  PRIMARY KEY (customer_id, id)
) WITHOUT ROWID;
-- Address ids are unique across customers: the engine looks an id's owner up before it is used.
CREATE INDEX addresses_id ON addresses (id);

CREATE TABLE external_refs (
  customer_id BLOB NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  system      TEXT NOT NULL,
  ref_id      TEXT NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX external_refs_system_ref ON external_refs (system, ref_id);

CREATE TABLE consent_ledger (
  customer_id     BLOB NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  at              INTEGER NOT NULL,
  from_subscribed INTEGER NOT NULL,
  to_subscribed   INTEGER NOT NULL,
  opt_in_level    TEXT,
  source          TEXT,
  actor           TEXT NOT NULL,
  PRIMARY KEY (customer_id, seq)
) WITHOUT ROWID;

CREATE TABLE customer_history (
  customer_id BLOB NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  event       TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT,
  reason      TEXT NOT NULL,
  PRIMARY KEY (customer_id, seq)
) WITHOUT ROWID;

CREATE TABLE portal_logins (
  customer_id     BLOB PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
  secret_question TEXT,
  answer_hash     TEXT,  -- Argon2id (crypto_pwhash_str), never a secret
  password_hash   TEXT,  -- Argon2id (crypto_pwhash_str), never a secret
  failed_attempts INTEGER NOT NULL,
  locked_until    INTEGER
) WITHOUT ROWID;

CREATE TABLE orders (
  customer_id     BLOB NOT NULL REFERENCES customers (id),
  id              BLOB NOT NULL,
  order_number    TEXT NOT NULL,
  placed_at       INTEGER NOT NULL,
  status          TEXT NOT NULL,
  total_amount    INTEGER NOT NULL,
  total_currency  TEXT NOT NULL,
  item_count      INTEGER NOT NULL,
  PRIMARY KEY (customer_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX orders_id ON orders (id);
CREATE INDEX orders_placed ON orders (customer_id, placed_at, id);
)sql";

// Version 2: the per-customer views (SPEC §2.5). Tickets and opportunities are keyed by customer id first
// (the views read one customer's rows; the later PostgreSQL store distributes by that column), with a unique
// index on the id for look-ups by id. They reference the customer without cascading: the engine refuses to
// delete a customer that has any (docs/decisions-views.md). orders_tally covers the per-currency summary of
// customer.orders (GROUP BY currency, status in index order, no table access).
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE tickets (
  customer_id BLOB NOT NULL REFERENCES customers (id),
  id          BLOB NOT NULL,
  subject     TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status = 'Open' OR status = 'Pending' OR status = 'Closed'),
  priority    TEXT NOT NULL CHECK (priority = 'Low' OR priority = 'Normal' OR priority = 'High' OR
                                   priority = 'Urgent'),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (customer_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX tickets_id ON tickets (id);

CREATE TABLE opportunities (
  customer_id     BLOB NOT NULL REFERENCES customers (id),
  id              BLOB NOT NULL,
  subject         TEXT NOT NULL,
  stage           TEXT NOT NULL,
  amount          INTEGER,  -- minor units; NULL with amount_currency when the opportunity has no amount
  amount_currency TEXT,
  expected_close  TEXT,     -- YYYY-MM-DD
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (customer_id, id),
  CHECK ((amount IS NULL) = (amount_currency IS NULL))
) WITHOUT ROWID;
CREATE UNIQUE INDEX opportunities_id ON opportunities (id);

CREATE INDEX orders_tally ON orders (customer_id, total_currency, status, placed_at, total_amount);
)sql";

// Version 3: custom segments (built-ins live in the core). Segment ids are text: custom ids are lower-case
// UUIDs, and the same column could hold any later id scheme. The segment facts' order subqueries
// (orders_in_last, lifetime_value) are served by v2's covering index orders_tally.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE segments (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status = 'Active' OR status = 'Inactive'),
  description TEXT NOT NULL,
  rule        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr SqliteMigration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
};
static_assert(kMigrations[std::size(kMigrations) - 1].version == SqliteStore::kSchemaVersion);

absl::StatusOr<bool> has_table(SqliteConnection& conn, const char* sql) {
  auto stmt = conn.prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt->step();
}

constexpr const char* kHasVersionTable =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'";
constexpr const char* kHasAnyTable =
    "SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
constexpr const char* kMaxVersion = "SELECT coalesce(max(version), 0) FROM schema_version";
constexpr const char* kApplicationId = "PRAGMA application_id";
constexpr const char* kRecordVersion =
    "INSERT INTO schema_version (version, applied_at) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

absl::Status not_ours(const char* why) {
  return make_error(ErrorCode::failed_precondition,
                    cat("the file is not a LeadCustomers database (", why, "); refusing to change it"),
                    {{"", "store.not_leadcustomers", "the file is not a LeadCustomers database"}});
}

}  // namespace

std::span<const SqliteMigration> sqlite_migrations() { return kMigrations; }

absl::StatusOr<int> read_schema_version(SqliteConnection& conn) {
  auto app = conn.prepare(kApplicationId);
  if (!app.ok()) return app.status();
  auto row = app->step();
  if (!row.ok()) return row.status();
  int64_t application_id = *row ? app->col_int(0) : 0;
  auto versioned = has_table(conn, kHasVersionTable);
  if (!versioned.ok()) return versioned.status();
  if (!*versioned) {
    if (application_id != 0 && application_id != kSqliteApplicationId)
      return not_ours("foreign application_id");
    auto any = has_table(conn, kHasAnyTable);
    if (!any.ok()) return any.status();
    if (*any) return not_ours("it has tables but no schema_version");
    return 0;
  }
  if (application_id != kSqliteApplicationId) return not_ours("foreign application_id");
  auto max = conn.prepare(kMaxVersion);
  if (!max.ok()) return max.status();
  auto r = max->step();
  if (!r.ok()) return r.status();
  return static_cast<int>(max->col_int(0));
}

namespace {

absl::Status too_new(int found, int latest) {
  return make_error(ErrorCode::failed_precondition,
                    cat("the database has schema version ", found, ", newer than the ", latest,
                        " this library knows; open it with a newer LeadCustomers (the file was not changed)"),
                    {{"", "store.schema_too_new", cat("schema version ", found, " > ", latest)}});
}

int latest_of(std::span<const SqliteMigration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace

absl::Status check_schema(SqliteConnection& conn, std::span<const SqliteMigration> migrations) {
  if (auto s = conn.exec("BEGIN"); !s.ok()) return s;
  auto version = read_schema_version(conn);
  (void)conn.exec("ROLLBACK");
  if (!version.ok()) return version.status();
  if (*version > latest_of(migrations)) return too_new(*version, latest_of(migrations));
  return absl::OkStatus();
}

absl::Status migrate(SqliteConnection& conn, std::span<const SqliteMigration> migrations) {
  const int latest = latest_of(migrations);
  // A first look without the write lock: a newer or foreign file is refused before anything touches it.
  if (auto s = check_schema(conn, migrations); !s.ok()) return s;
  // Migrate under the write lock, re-reading the version: another process may have migrated meanwhile.
  if (auto s = conn.exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](absl::Status s) {
    if (conn.in_transaction()) (void)conn.exec("ROLLBACK");
    return s;
  };
  auto version = read_schema_version(conn);
  if (!version.ok()) return fail(version.status());
  if (*version > latest) return fail(too_new(*version, latest));
  if (*version == latest) return fail(absl::OkStatus());
  for (const auto& m : migrations) {
    if (m.version <= *version) continue;
    if (auto s = conn.exec(m.sql); !s.ok()) {
      return fail(make_error(ErrorCode::internal, cat("migration to schema version ", m.version, " failed: ",
                                                      to_std(s.message()), " (the file was not changed)")));
    }
    auto record = conn.prepare(kRecordVersion);
    if (!record.ok()) return fail(record.status());
    record->bind_int(1, m.version);
    if (auto s = record->run(); !s.ok()) return fail(s);
  }
  if (*version == 0) {
    std::string pragma = cat("PRAGMA application_id = ", kSqliteApplicationId);
    if (auto s = conn.exec(pragma.c_str()); !s.ok()) return fail(s);
  }
  if (auto s = conn.exec("COMMIT"); !s.ok()) return fail(s);
  return absl::OkStatus();
}

}  // namespace leadcustomers::detail
