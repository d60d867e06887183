// No secret ever reaches the SQLite file, its WAL, or an export: only Argon2id hashes are stored.
#include <fstream>
#include <sstream>
#include <string>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/exporter.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "store/store_fixtures.hpp"

namespace leadcustomers {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SecretLeak, SqliteFileWalAndExportsHoldOnlyHashes) {
  testing::ScratchDir dir;
  const std::string path = dir.file("leak");
  const std::string answer = "Quasar Marmalade 7731";
  const std::string password = "Zebra-Okapi-Tundra-5521";
  std::string exports;
  {
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    EngineOptions o;
    o.hash_limits = HashLimits::minimum();
    Engine engine(**store, o);
    auto run = [&](const boost::json::object& cmd) { return engine.execute(cmd); };
    ASSERT_TRUE(run({{"op", "customer.create"},
                     {"id", "018f0000-0000-7000-8000-000000000001"},
                     {"customer_type_id", 1},
                     {"first_name", "Ana"},
                     {"email", "ana@example.com"}})
                    .ok());
    ASSERT_TRUE(run({{"op", "portal.set_login"},
                     {"customer_id", "018f0000-0000-7000-8000-000000000001"},
                     {"secret_question", "Favourite jam?"},
                     {"secret_answer", answer},
                     {"password", password}})
                    .ok());
    EXPECT_TRUE(
        run({{"op", "portal.verify_password"}, {"email", "ana@example.com"}, {"password", password}}).ok());
    EXPECT_FALSE(
        run({{"op", "portal.verify_answer"}, {"email", "ana@example.com"}, {"answer", "wrong"}}).ok());
    for (auto format : {ExportFormat::jsonl, ExportFormat::shopify}) {
      std::ostringstream out;
      ASSERT_TRUE(export_customers(**store, format, out).ok());
      exports += out.str();
    }
    // The store is still open: the newest pages may be only in the WAL.
    std::string live = file_bytes(path) + file_bytes(path + "-wal");
    EXPECT_NE(live.find("$argon2id$"), std::string::npos) << "the hashes are stored";
    EXPECT_NE(live.find("Favourite jam?"), std::string::npos)
        << "the question (not a secret) is readable here";
    for (const auto& secret :
         {answer, std::string("quasar marmalade"), password, std::string("Zebra-Okapi")}) {
      EXPECT_EQ(live.find(secret), std::string::npos) << "'" << secret << "' is in the database or its WAL";
      EXPECT_EQ(exports.find(secret), std::string::npos) << "'" << secret << "' is in an export";
    }
    EXPECT_EQ(exports.find("$argon2"), std::string::npos) << "exports carry no hashes by default";
  }
  std::string closed = file_bytes(path) + file_bytes(path + "-wal");
  EXPECT_EQ(closed.find(password), std::string::npos);
  EXPECT_EQ(closed.find(answer), std::string::npos);
}

}  // namespace
}  // namespace leadcustomers
