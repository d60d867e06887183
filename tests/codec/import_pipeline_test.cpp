// The import's parallel decoding (ImportOptions::decode_threads) gives exactly the serial import's results,
// and --import-passwords (SPEC §7) hashes plaintext password columns into the portal login.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/secret.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "support/test_support.hpp"

namespace leadcustomers {
namespace {

EngineOptions fast_hashing() {
  EngineOptions o;
  o.hash_limits = HashLimits::minimum();
  return o;
}

std::string sample_export() {
  return testing::read_file(std::filesystem::path(LC_SOURCE_DIR) / "examples/data/shopify-customers.csv");
}

struct Outcome {
  std::string result_json;
  std::string rejects;
  std::string customers;  // every customer's document without ids and times, in e-mail order
};

// Imports `text` into a fresh store with `threads` decode threads and `batch` records per batch.
Outcome import_with(Store& store, const std::string& text, size_t threads, size_t batch,
                    ImportFormat format = ImportFormat::shopify) {
  Engine engine(store, fast_hashing());
  ImportOptions options;
  options.format = format;
  options.decode_threads = threads;
  options.batch_size = batch;
  std::ostringstream rejects;
  options.rejects = &rejects;
  std::istringstream in(text);
  auto r = import_customers(engine, in, options);
  EXPECT_TRUE(r.ok()) << r.status();
  Outcome out;
  if (!r.ok()) return out;
  out.result_json = boost::json::serialize(import_result_json(*r));
  out.rejects = rejects.str();
  std::vector<std::string> docs;
  boost::json::value cursor = nullptr;
  do {
    boost::json::object q{{"op", "customer.search"}, {"text", ""}, {"limit", 1000}};
    if (!cursor.is_null()) q["cursor"] = cursor;
    auto page = engine.execute(q);
    EXPECT_TRUE(page.ok()) << page.status;
    if (!page.ok()) break;
    for (const auto& item : page.result.as_object().at("customers").as_array()) {
      auto d = item.as_object();
      for (const char* key : {"id", "created_at", "updated_at", "default_shipping_address_id",
                              "default_billing_address_id", "history", "consent"}) {
        d.erase(key);
      }
      if (auto* n = d.if_contains("newsletter"); n && n->is_object()) n->as_object().erase("updated_at");
      if (auto* a = d.if_contains("addresses"); a && a->is_array()) {
        for (auto& x : a->as_array()) {
          x.as_object().erase("id");
          x.as_object().erase("customer_id");
        }
      }
      docs.push_back(boost::json::serialize(d));
    }
    cursor = page.result.as_object().at("next_cursor");
  } while (!cursor.is_null());
  std::sort(docs.begin(), docs.end());
  for (const auto& d : docs) out.customers += d + "\n";
  return out;
}

TEST(ImportPipeline, ParallelDecodingGivesTheSerialResultsReportsAndCustomers) {
  const std::string text = sample_export();
  MemoryStore serial_store, parallel_store;
  Outcome serial = import_with(serial_store, text, 0, 500);
  Outcome parallel = import_with(parallel_store, text, 2, 7);  // many small batches in flight
  ASSERT_FALSE(serial.result_json.empty());
  EXPECT_NE(serial.rejects, "");  // the sample has rows that must be rejected
  EXPECT_NE(serial.customers, "");
  EXPECT_EQ(parallel.result_json, serial.result_json);
  EXPECT_EQ(parallel.rejects, serial.rejects);
  EXPECT_EQ(parallel.customers, serial.customers);
}

TEST(ImportPipeline, ParallelDecodingIntoSqliteGivesTheSerialResults) {
  const std::string text = sample_export();
  auto a = SqliteStore::open(":memory:");
  auto b = SqliteStore::open(":memory:");
  ASSERT_TRUE(a.ok() && b.ok());
  Outcome serial = import_with(**a, text, 0, 500);
  Outcome parallel = import_with(**b, text, 3, 64);
  EXPECT_EQ(parallel.result_json, serial.result_json);
  EXPECT_EQ(parallel.rejects, serial.rejects);
  EXPECT_EQ(parallel.customers, serial.customers);
}

TEST(ImportPipeline, PhonesParsedAheadGiveTheEngineOwnAnswerAndWarnings) {
  // A customer phone that follows the address's country, an address phone, and one that is only possible.
  const std::string text =
      "First Name,Last Name,Email,Default Address Address1,Default Address City,Default Address Province "
      "Code,"
      "Default Address Country Code,Default Address Zip,Default Address Phone,Phone\n"
      "Ana,Example,ana@example.com,12 Rue,Paris,,FR,75001,01 42 68 53 00,06 12 34 56 78\n"
      "Bo,Example,bo@example.com,1 Main St,Cambridge,MA,US,02138,+1 617-555-0101,617 555 01\n"
      "Cy,Example,cy@example.com,1 Main St,Cambridge,MA,US,02138,+1 200 555 0101,\n";
  MemoryStore s1, s2;
  Outcome serial = import_with(s1, text, 0, 500);
  Outcome parallel = import_with(s2, text, 2, 1);
  EXPECT_EQ(parallel.result_json, serial.result_json);
  EXPECT_EQ(parallel.customers, serial.customers);
  EXPECT_NE(serial.customers.find("+33612345678"), std::string::npos);
  EXPECT_NE(serial.result_json.find("phone.not_possible"), std::string::npos);
}

// ---- Speculative application -----------------------------------------------------------------------
// The decode workers apply each record ahead of its turn against an empty store; the applying thread keeps
// that result only when the store still answers the same. Records that meet earlier rows of the file or
// customers already stored must come out exactly as the serial import makes them.

constexpr std::string_view kShopifyHeader =
    "Customer ID,First Name,Last Name,Email,Phone,Default Address Address1,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,Tags\n";

TEST(ImportPipeline, RecordsMeetingEarlierRowsOrStoredCustomersGiveTheSerialResults) {
  const std::string first = std::string(kShopifyHeader) +
                            "101,Ana,Stored,ana@example.com,,1 Main St,Boston,MA,US,02108,a\n"
                            "102,Bo,Stored,bo@example.com,,2 Main St,Boston,MA,US,02108,b\n";
  const std::string second =
      std::string(kShopifyHeader) +
      "101,Ana,Again,ana@example.com,+1 617 555 0101,,,,,,again\n"     // stored: upsert by e-mail
      "201,Cy,New,cy@example.com,,3 Main St,Boston,MA,US,02108,\n"     // new
      "202,Cy,Twice,CY@Example.com,,4 Elm St,Salem,MA,US,01970,\n"     // same e-mail key as the row above
      "102,Bo,ByRef,bo.new@example.com,,,,,,,\n"                       // stored external ref, new e-mail
      "203,Dee,New,dee@example.com,,5 Main St,Boston,MA,US,02108,\n"   // new
      "203,Dee,SameRef,dee2@example.com,,,,,,,\n"                      // external ref of the row above
      "204,Eve,Bad,eve@@example.com,,,,,,,\n"                          // rejected
      "205,Fay,New,fay@example.com,,6 Main St,Boston,MA,US,02108,\n";  // new, after all of it
  MemoryStore s1, s2;
  auto s3 = SqliteStore::open(":memory:");
  ASSERT_TRUE(s3.ok());
  Outcome serial_first = import_with(s1, first, 0, 500);
  Outcome parallel_first = import_with(s2, first, 2, 1);
  Outcome sqlite_first = import_with(**s3, first, 2, 3);
  EXPECT_EQ(parallel_first.customers, serial_first.customers);
  EXPECT_EQ(sqlite_first.customers, serial_first.customers);
  Outcome serial = import_with(s1, second, 0, 500);
  for (size_t batch : {size_t{1}, size_t{2}, size_t{64}}) {
    MemoryStore m;
    ASSERT_EQ(import_with(m, first, 2, batch).customers, serial_first.customers);
    Outcome parallel = import_with(m, second, 2, batch);
    EXPECT_EQ(parallel.result_json, serial.result_json) << "batch " << batch;
    EXPECT_EQ(parallel.rejects, serial.rejects) << "batch " << batch;
    EXPECT_EQ(parallel.customers, serial.customers) << "batch " << batch;
  }
  Outcome sqlite = import_with(**s3, second, 2, 2);
  EXPECT_EQ(sqlite.result_json, serial.result_json);
  EXPECT_EQ(sqlite.customers, serial.customers);
  // The serial answer itself: the in-file repeat and the stored customers were updated, not duplicated.
  EXPECT_NE(serial.customers.find(R"("last_name":"Twice")"), std::string::npos);
  EXPECT_EQ(serial.customers.find(R"("last_name":"New","email":"cy@example.com")"), std::string::npos);
  EXPECT_NE(serial.result_json.find("email.invalid"), std::string::npos) << serial.result_json;
}

// A clock that moves one millisecond each time it is read, and tells its readers apart: the thread that
// made it (the one that calls import_customers and commits) reads 2026-01-01, any other thread 2027-01-01.
class TickingClock final : public Clock {
 public:
  [[nodiscard]] absl::Time now() const override {
    const int64_t base = std::this_thread::get_id() == owner_ ? kApplying : kOther;
    return absl::FromUnixMillis(base + ticks_.fetch_add(1));
  }
  static constexpr int64_t kApplying = 1767225600000;  // 2026-01-01T00:00:00Z
  static constexpr int64_t kOther = 1798761600000;     // 2027-01-01T00:00:00Z

 private:
  std::thread::id owner_ = std::this_thread::get_id();
  mutable std::atomic<int64_t> ticks_{0};
};

TEST(ImportPipeline, SpeculatedRecordsGetRealIdsAndTheTimeOfTheirTurnInFileOrder) {
  std::string text(kShopifyHeader);
  constexpr int kRows = 300;
  for (int i = 0; i < kRows; ++i) {
    text += "," + std::string("Row") + std::to_string(i) + ",Example,row" + std::to_string(i) +
            "@example.com,,1 Main St,Boston,MA,US,02108,\n";
  }
  MemoryStore store;
  TickingClock clock;
  Engine engine(store, fast_hashing(), &clock);
  ImportOptions options;
  options.format = ImportFormat::shopify;
  options.decode_threads = 2;
  options.batch_size = 16;
  std::istringstream in(text);
  auto r = import_customers(engine, in, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->accepted, kRows);
  std::string previous_id, previous_time;
  for (int i = 0; i < kRows; ++i) {
    auto got = engine.execute(
        boost::json::object{{"op", "customer.get"}, {"email", "row" + std::to_string(i) + "@example.com"}});
    ASSERT_TRUE(got.ok()) << got.status;
    const auto& c = got.result.as_object();
    const std::string id(c.at("id").as_string());
    const std::string created(c.at("created_at").as_string());
    // A provisional id has a zero timestamp (00000000-0000-7…); a real one carries the time it was made.
    EXPECT_NE(id.substr(0, 8), "00000000") << "row " << i << ": " << id;
    EXPECT_GT(id, previous_id) << "row " << i;         // ids sort in the order records were committed
    EXPECT_GT(created, previous_time) << "row " << i;  // each record read the clock at its turn
    EXPECT_EQ(c.at("updated_at").as_string(), created) << "row " << i;
    const auto& a = c.at("addresses").as_array();
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].as_object().at("customer_id").as_string(), id);
    EXPECT_EQ(c.at("default_billing_address_id"), a[0].as_object().at("id"));
    EXPECT_NE(std::string(a[0].as_object().at("id").as_string()).substr(0, 8), "00000000");
    previous_id = id;
    previous_time = created;
  }
}

// ---- --import-passwords ----------------------------------------------------------------------------

constexpr std::string_view kMagento =
    "email,_website,firstname,lastname,password\n"
    "ana@example.com,base,Ana,Example,correct horse battery\n";

class ImportPasswords : public ::testing::TestWithParam<size_t> {
 protected:
  ImportResult run(std::string_view text, bool import_passwords) {
    ImportOptions options;
    options.format = ImportFormat::magento_customer;
    options.import_passwords = import_passwords;
    options.decode_threads = GetParam();
    std::istringstream in{std::string(text)};
    auto r = import_customers(engine_, in, options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ImportResult{};
  }
  Result verify(std::string_view email, std::string_view password) {
    return engine_.execute(
        boost::json::object{{"op", "portal.verify_password"}, {"email", email}, {"password", password}});
  }

  MemoryStore store_;
  Engine engine_{store_, fast_hashing()};
};

TEST_P(ImportPasswords, PlaintextPasswordIsHashedIntoThePortalLoginWhenAsked) {
  auto r = run(kMagento, true);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.warned, 0);
  EXPECT_EQ(r.by_rule.count("password.not_imported"), 0u);
  EXPECT_TRUE(verify("ana@example.com", "correct horse battery").ok());
  EXPECT_EQ(error_code_of(verify("ana@example.com", "wrong horse battery").status),
            ErrorCode::unauthenticated);
}

TEST_P(ImportPasswords, PlaintextPasswordIsRefusedWithAWarningByDefault) {
  auto r = run(kMagento, false);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.by_rule.at("password.not_imported"), 1);
  EXPECT_EQ(error_code_of(verify("ana@example.com", "correct horse battery").status),
            ErrorCode::unauthenticated);
}

TEST_P(ImportPasswords, PasswordThePortalRefusesRejectsTheRecord) {
  auto r =
      run("email,_website,firstname,lastname,password\n"
          "bo@example.com,base,Bo,Example,short\n"
          "cy@example.com,base,Cy,Example,long enough password\n",
          true);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.accepted, 1);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].line, 2);
  ASSERT_EQ(r.rows[0].violations.size(), 1u);
  EXPECT_EQ(r.rows[0].violations[0].field, "password");
  EXPECT_EQ(r.rows[0].violations[0].rule, "password.too_short");
  auto bo = engine_.execute(boost::json::object{{"op", "customer.get"}, {"email", "bo@example.com"}});
  EXPECT_EQ(error_code_of(bo.status), ErrorCode::not_found);  // nothing of the record is stored
  EXPECT_TRUE(verify("cy@example.com", "long enough password").ok());
}

TEST_P(ImportPasswords, RowsWithoutAPasswordImportWithoutALogin) {
  auto r =
      run("email,_website,firstname,lastname,password\n"
          "dee@example.com,base,Dee,Example,\n",
          true);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.warned, 0);
  EXPECT_EQ(error_code_of(verify("dee@example.com", "anything at all").status), ErrorCode::unauthenticated);
}

INSTANTIATE_TEST_SUITE_P(SerialAndParallel, ImportPasswords, ::testing::Values(size_t{0}, size_t{2}));

}  // namespace
}  // namespace leadcustomers
