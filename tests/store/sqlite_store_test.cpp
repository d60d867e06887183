// What only the SQLite store has: the file, its schema version and migrations, WAL, the database-level
// constraints, writing only what changed, threads and several handles (processes) on one file.
#include "leadcustomers/sqlite_store.hpp"

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leadcustomers/clock.hpp"
#include "store/sqlite_schema.hpp"
#include "store/store_fixtures.hpp"

namespace leadcustomers {
namespace {

using leadcustomers::testing::open_sqlite;
using leadcustomers::testing::run;
using leadcustomers::testing::ScratchDir;

// A raw connection for looking inside the file.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
              SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  // Runs `sql`; returns the SQLite result code.
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  // The first column of the first row as text ("" when none).
  std::string text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    std::string out;
    if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

boost::json::object create_cmd(std::string_view id, std::string_view email) {
  return {{"op", "customer.create"}, {"id", id},      {"customer_type_id", 1}, {"first_name", "Ana"},
          {"last_name", "Example"},  {"email", email}};
}

constexpr const char* kId1 = "018f0000-0000-7000-8000-000000000001";

TEST(SqliteStore, NewFileGetsSchemaVersionWalAndApplicationId) {
  ScratchDir dir;
  auto path = dir.file();
  { ASSERT_NE(open_sqlite(path), nullptr); }
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT max(version) FROM schema_version"), std::to_string(SqliteStore::kSchemaVersion));
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("PRAGMA application_id"), std::to_string(detail::kSqliteApplicationId));
  EXPECT_EQ(raw.text("SELECT name FROM customer_types WHERE id = 1"), "Default");
}

TEST(SqliteStore, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  ScratchDir dir;
  auto path = dir.file();
  {
    auto store = open_sqlite(path);
    Engine engine(*store);
    ASSERT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
  }
  auto store = open_sqlite(path);
  Engine engine(*store);
  auto agg = engine.get_customer_by_email("ana@example.com");
  ASSERT_TRUE(agg.ok()) << agg.status();
  EXPECT_EQ(agg->customer.id.str(), kId1);
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM schema_version"),
            std::to_string(detail::sqlite_migrations().size()));
}

// Schema version 2 (the per-customer views) over a version-1 file: the data stays and the new tables work.
TEST(SqliteStore, VersionOneFileMigratesToTheViewsSchemaKeepingItsOrders) {
  ScratchDir dir;
  auto path = dir.file();
  {
    auto conn =
        detail::SqliteConnection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, SqliteOptions{});
    ASSERT_TRUE(conn.ok());
    std::vector<detail::SqliteMigration> v1(detail::sqlite_migrations().begin(),
                                            detail::sqlite_migrations().begin() + 1);
    ASSERT_TRUE(detail::migrate(**conn, v1).ok());
    ASSERT_TRUE(
        (*conn)
            ->exec("INSERT INTO customers (id, customer_type_id, status, first_name, last_name, email, "
                   "email_key, newsletter_subscribed, tags, attributes, created_at, updated_at, version, "
                   "erased, first_fold, last_fold, full_fold, phone_digits) VALUES "
                   "(x'018f0000000070008000000000000001', 1, 'Active', 'Ana', '', 'ana@example.com', "
                   "'ana@example.com', 0, '[]', '{}', 0, 0, 1, 0, 'ana', '', 'ana', '')")
            .ok());
    ASSERT_TRUE((*conn)
                    ->exec("INSERT INTO orders VALUES (x'018f0000000070008000000000000001', "
                           "x'018f00000000700080000000000000d1', '#1', 0, 'Completed', 1999, 'USD', 1)")
                    .ok());
  }
  auto store = open_sqlite(path);
  ASSERT_NE(store, nullptr);
  Engine engine(*store);
  Result orders = engine.execute(boost::json::object{{"op", "customer.orders"}, {"customer_id", kId1}});
  ASSERT_TRUE(orders.ok()) << orders.status;
  EXPECT_EQ(orders.result.at("by_currency").at("USD").at("lifetime_value"), 1999);
  Result ticket = engine.execute(
      boost::json::object{{"op", "ticket.add"}, {"customer_id", kId1}, {"subject", "After the migration"}});
  EXPECT_TRUE(ticket.ok()) << ticket.status;
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT max(version) FROM schema_version"), std::to_string(SqliteStore::kSchemaVersion));
}

TEST(SqliteStore, RefusesANewerSchemaWithoutChangingTheFile) {
  ScratchDir dir;
  auto path = dir.file();
  { ASSERT_NE(open_sqlite(path), nullptr); }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("INSERT INTO schema_version VALUES (99, 'future'); PRAGMA wal_checkpoint(TRUNCATE);"),
              SQLITE_OK);
  }
  const std::string before = file_bytes(path);
  auto store = SqliteStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(error_code_of(store.status()), ErrorCode::failed_precondition);
  ASSERT_EQ(violations_of(store.status()).size(), 1u);
  EXPECT_EQ(violations_of(store.status())[0].rule, "store.schema_too_new");
  EXPECT_NE(std::string(store.status().message()).find("schema version 99"), std::string::npos);
  EXPECT_EQ(file_bytes(path), before);
}

TEST(SqliteStore, RefusesAForeignSqliteFile) {
  ScratchDir dir;
  auto path = dir.file();
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("CREATE TABLE notes (body TEXT)"), SQLITE_OK);
  }
  auto store = SqliteStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(error_code_of(store.status()), ErrorCode::failed_precondition);
  EXPECT_EQ(violations_of(store.status())[0].rule, "store.not_leadcustomers");
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_schema"), "1");
}

TEST(SqliteStore, RefusesAFileThatIsNotSqlite) {
  ScratchDir dir;
  auto path = dir.file();
  std::ofstream(path) << "this is not a database, just a text file long enough to have a header.......\n";
  auto store = SqliteStore::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(error_code_of(store.status()), ErrorCode::internal);
}

TEST(SqliteStore, MigratesForwardStepByStepInOneTransaction) {
  ScratchDir dir;
  auto path = dir.file();
  SqliteOptions options;
  auto conn = detail::SqliteConnection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options);
  ASSERT_TRUE(conn.ok());
  std::vector<detail::SqliteMigration> steps(detail::sqlite_migrations().begin(),
                                             detail::sqlite_migrations().end());
  ASSERT_TRUE(detail::migrate(**conn, steps).ok());
  const int next = SqliteStore::kSchemaVersion + 1;
  steps.push_back({next, "ALTER TABLE customers ADD COLUMN loyalty_tier TEXT"});
  ASSERT_TRUE(detail::migrate(**conn, steps).ok());
  // A failing step leaves the file at the version before it.
  steps.push_back({next + 1, "CREATE TABLE loyalty (x INTEGER); INSERT INTO nowhere VALUES (1);"});
  auto failed = detail::migrate(**conn, steps);
  EXPECT_EQ(error_code_of(failed), ErrorCode::internal);
  conn->reset();
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT max(version) FROM schema_version"), std::to_string(next));
  EXPECT_EQ(raw.text("SELECT count(*) FROM pragma_table_info('customers') WHERE name = 'loyalty_tier'"), "1");
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_schema WHERE name = 'loyalty'"), "0");
}

TEST(SqliteStore, DatabaseItselfRefusesASecondLiveEmailKey) {
  ScratchDir dir;
  auto path = dir.file();
  {
    auto store = open_sqlite(path);
    Engine engine(*store);
    ASSERT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
  }
  RawDb raw(path);
  const std::string copy =
      "INSERT INTO customers SELECT x'018f0000000070008000000000000002', customer_type_id, status, "
      "first_name, "
      "last_name, email, email_key, phone, phone_extension, fax, fax_extension, company_id, "
      "newsletter_subscribed, "
      "newsletter_opt_in_level, newsletter_source, newsletter_updated_at, tags, note, tax_exempt, "
      "attributes, "
      "created_at, updated_at, version, erased, default_shipping_address_id, default_billing_address_id, "
      "first_fold, last_fold, full_fold, phone_digits FROM customers";
  EXPECT_EQ(raw.exec(copy), SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.exec("UPDATE customers SET status = 'Archived'"), SQLITE_OK);
  EXPECT_EQ(raw.exec(copy), SQLITE_OK);
}

TEST(SqliteStore, UpdateWritesOnlyWhatChanged) {
  ScratchDir dir;
  auto path = dir.file();
  auto store = open_sqlite(path);
  Engine engine(*store);
  auto cmd = create_cmd(kId1, "ana@example.com");
  cmd["addresses"] = boost::json::array{boost::json::object{{"name", "Ana"},
                                                            {"region", "US"},
                                                            {"state", "MA"},
                                                            {"address1", "1 Main St"},
                                                            {"city", "Cambridge"},
                                                            {"zip", "02139"}}};
  ASSERT_TRUE(engine.execute(cmd).ok());
  RawDb raw(path);
  ASSERT_EQ(
      raw.exec(
          "CREATE TABLE writes (what TEXT);"
          "CREATE TRIGGER a_ins AFTER INSERT ON addresses BEGIN INSERT INTO writes VALUES ('address'); END;"
          "CREATE TRIGGER a_upd AFTER UPDATE ON addresses BEGIN INSERT INTO writes VALUES ('address'); END;"
          "CREATE TRIGGER a_del AFTER DELETE ON addresses BEGIN INSERT INTO writes VALUES ('address'); END;"
          "CREATE TRIGGER h_ins AFTER INSERT ON customer_history BEGIN INSERT INTO writes VALUES "
          "('history'); "
          "END;"
          "CREATE TRIGGER h_del AFTER DELETE ON customer_history BEGIN INSERT INTO writes VALUES "
          "('history'); "
          "END;"
          "CREATE TRIGGER c_upd AFTER UPDATE ON customers BEGIN INSERT INTO writes VALUES ('customer'); "
          "END;"),
      SQLITE_OK);
  ASSERT_TRUE(run(engine, R"({"op":"customer.update","customer_id":"018f0000-0000-7000-8000-000000000001",
                              "first_name":"Anna"})")
                  .ok());
  EXPECT_EQ(raw.text("SELECT group_concat(what, ',') FROM writes"), "customer");
  ASSERT_TRUE(run(engine, R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                              "status":"Inactive"})")
                  .ok());
  EXPECT_EQ(raw.text("SELECT group_concat(what, ',') FROM writes"), "customer,customer,history");
}

class SqliteThreads : public ::testing::TestWithParam<bool> {};

// A file store (writer + reader pool) and a ":memory:" store (one connection behind the writer's mutex).
TEST_P(SqliteThreads, ManyThreadsShareOneStore) {
  ScratchDir dir;
  auto store = open_sqlite(GetParam() ? dir.file() : ":memory:");
  Engine engine(*store);
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        boost::json::object cmd{
            {"op", "customer.create"}, {"customer_type_id", 1}, {"first_name", "T"}, {"email", email}};
        if (!engine.execute(cmd).ok()) ++failures;
        if (!engine.get_customer_by_email(email).ok()) ++failures;
        auto page = run(engine, R"({"op":"customer.search","limit":5})");
        if (!page.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto all = run(engine, R"({"op":"customer.search","limit":1000})");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all.result.at("customers").as_array().size(), static_cast<size_t>(kThreads * kEach));
}

INSTANTIATE_TEST_SUITE_P(FileAndMemory, SqliteThreads, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? "file" : "memory";
                         });

TEST(SqliteStore, TwoHandlesOnOneFileLoseNoUpdate) {
  ScratchDir dir;
  auto path = dir.file();
  auto a = open_sqlite(path);
  auto b = open_sqlite(path);
  Engine ea(*a), eb(*b);
  ASSERT_TRUE(ea.execute(create_cmd(kId1, "ana@example.com")).ok());
  // Both saw version 1; both try to change the note concurrently.
  std::atomic<int> ok{0}, conflict{0};
  auto update = [&](Engine& e, const char* note) {
    boost::json::object cmd{
        {"op", "customer.update"}, {"customer_id", kId1}, {"note", note}, {"expected_version", 1}};
    auto r = e.execute(cmd);
    if (r.ok()) ++ok;
    if (error_code_of(r.status) == ErrorCode::conflict) ++conflict;
  };
  std::thread ta([&] { update(ea, "from a"); });
  std::thread tb([&] { update(eb, "from b"); });
  ta.join();
  tb.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 1);
  auto agg = eb.get_customer(*CustomerId::parse(kId1));
  ASSERT_TRUE(agg.ok());
  EXPECT_EQ(agg->customer.version, 2);
}

// Each of two processes applies `rounds` read-modify-write updates with expected_version, retrying on
// CONFLICT. Returns 0, or a description of what went wrong.
int update_rounds(const std::string& path, const std::string& who, int rounds, std::string* error) {
  auto store = SqliteStore::open(path);
  if (!store.ok()) {
    *error = std::string(store.status().message());
    return 1;
  }
  Engine engine(**store);
  for (int i = 0; i < rounds;) {
    auto agg = engine.get_customer(*CustomerId::parse(kId1));
    if (!agg.ok()) {
      *error = std::string(agg.status().message());
      return 2;
    }
    boost::json::object cmd{{"op", "customer.update"},
                            {"customer_id", kId1},
                            {"note", who + " " + std::to_string(i)},
                            {"expected_version", agg->customer.version}};
    auto r = engine.execute(cmd);
    if (r.ok()) {
      ++i;
    } else if (error_code_of(r.status) != ErrorCode::conflict) {
      *error = std::string(r.status.message());
      return 3;
    }
  }
  return 0;
}

TEST(SqliteStore, TwoProcessesOnOneFileLoseNoUpdate) {
  ScratchDir dir;
  auto path = dir.file();
  {
    auto store = open_sqlite(path);
    Engine engine(*store);
    ASSERT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
  }
  constexpr int kRounds = 40;
  pid_t pid = ::fork();
  if (pid == 0) {
    std::string error;
    int code = 1;
    try {
      code = update_rounds(path, "child", kRounds, &error);
    } catch (...) {
    }
    _exit(code);  // never return into the test framework
  }
  std::string error;
  EXPECT_EQ(update_rounds(path, "parent", kRounds, &error), 0) << error;
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  auto store = open_sqlite(path);
  Engine engine(*store);
  auto agg = engine.get_customer(*CustomerId::parse(kId1));
  ASSERT_TRUE(agg.ok());
  EXPECT_EQ(agg->customer.version, 1 + 2 * kRounds);
}

TEST(SqliteStore, WriterBlockedLongerThanTheBusyTimeoutIsResourceExhausted) {
  ScratchDir dir;
  auto path = dir.file();
  auto holder = open_sqlite(path);
  SqliteOptions impatient;
  impatient.busy_timeout_ms = 50;
  auto other = open_sqlite(path, impatient);
  std::atomic<bool> holding{false}, release{false};
  std::thread t([&] {
    (void)holder->write([&](StoreTx&) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return absl::OkStatus();
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Engine engine(*other);
  auto r = engine.execute(create_cmd(kId1, "ana@example.com"));
  release = true;
  t.join();
  EXPECT_EQ(error_code_of(r.status), ErrorCode::resource_exhausted);
  ASSERT_FALSE(violations_of(r.status).empty());
  EXPECT_EQ(violations_of(r.status)[0].rule, "store.busy");
  // Reads are never blocked by a writer (WAL), and the write succeeds once the lock is free.
  EXPECT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
}

TEST(SqliteStore, ReadersSeeACommittedSnapshotWhileAWriteIsOpen) {
  ScratchDir dir;
  auto store = open_sqlite(dir.file());
  Engine engine(*store);
  ASSERT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
  std::atomic<bool> seen_old{false};
  auto status = store->write([&](StoreTx& tx) -> absl::Status {
    auto agg = tx.load_customer(*CustomerId::parse(kId1));
    if (!agg.ok()) return agg.status();
    auto after = **agg;
    after.customer.first_name = "Changed";
    if (auto s = tx.put_customer(after, &**agg); !s.ok()) return s;
    std::thread reader([&] {
      auto r = engine.get_customer(*CustomerId::parse(kId1));
      seen_old = r.ok() && r->customer.first_name == "Ana";
    });
    reader.join();
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(seen_old.load());
  EXPECT_EQ(engine.get_customer(*CustomerId::parse(kId1))->customer.first_name, "Changed");
}

TEST(SqliteStore, FullSynchronousModeWorks) {
  ScratchDir dir;
  SqliteOptions options;
  options.synchronous = SqliteOptions::Synchronous::full;
  auto store = open_sqlite(dir.file(), options);
  Engine engine(*store);
  EXPECT_TRUE(engine.execute(create_cmd(kId1, "ana@example.com")).ok());
}

TEST(SqliteStore, InMemoryStoresAreSeparate) {
  auto a = open_sqlite(":memory:");
  auto b = open_sqlite(":memory:");
  Engine ea(*a), eb(*b);
  ASSERT_TRUE(ea.execute(create_cmd(kId1, "ana@example.com")).ok());
  EXPECT_TRUE(ea.get_customer_by_email("ana@example.com").ok());
  EXPECT_EQ(eb.get_customer_by_email("ana@example.com").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace leadcustomers
