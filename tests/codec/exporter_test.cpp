#include "leadcustomers/exporter.hpp"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/csv_reader.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

Result run(Engine& engine, const boost::json::object& cmd) {
  auto r = engine.execute(cmd);
  EXPECT_TRUE(r.ok()) << r.status;
  return r;
}

// Imports `text` into the engine's store; the import itself must succeed.
ImportResult import_text(Engine& engine, const std::string& text, ImportFormat format) {
  std::istringstream in(text);
  ImportOptions options;
  options.format = format;
  auto r = import_customers(engine, in, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ImportResult{};
}

// A store with two customers: one with a full record (address, consent, tags, refs), one bare.
void fill(Engine& engine) {
  run(engine,
      boost::json::object{
          {"op", "customer.create"},
          {"customer_type_id", 1},
          {"first_name", "Ana"},
          {"last_name", "Example"},
          {"email", "ana@example.com"},
          {"phone", "+1 617 555 0101 x12"},
          {"newsletter", true},
          {"tags", boost::json::array{"vip", "wholesale"}},
          {"note", "two\nlines"},
          {"tax_exempt", true},
          {"attributes", boost::json::object{{"magento.dob", "1973-12-15"}}},
          {"external_refs", boost::json::array{boost::json::object{{"system", "shopify"}, {"id", "42"}}}},
          {"addresses", boost::json::array{boost::json::object{{"name", "Ana Example"},
                                                               {"address1", "12 Example Street"},
                                                               {"city", "Cambridge"},
                                                               {"state", "MA"},
                                                               {"region", "US"},
                                                               {"zip", "02138"},
                                                               {"business_name", "Acme, Inc"}},
                                           boost::json::object{{"name", "Ana Work"},
                                                               {"address1", "1 Sample Road"},
                                                               {"city", "Hoboken"},
                                                               {"state", "NJ"},
                                                               {"region", "US"},
                                                               {"zip", "07030"},
                                                               {"status", "Inactive"}}}}});
  run(engine, boost::json::object{{"op", "customer.create"},
                                  {"customer_type_id", 1},
                                  {"first_name", "Ben"},
                                  {"email", "ben@example.org"}});
}

TEST(Exporter, JsonlWritesOneCustomerDocumentPerLine) {
  MemoryStore store;
  Engine engine(store);
  fill(engine);
  std::ostringstream out;
  auto n = export_customers(store, ExportFormat::jsonl, out);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<std::string> emails;
  while (std::getline(lines, line)) {
    auto doc = boost::json::parse(line).as_object();
    emails.emplace_back(doc.at("email").as_string());
    EXPECT_EQ(line.find("hash"), std::string::npos);
  }
  EXPECT_EQ(emails, (std::vector<std::string>{"ana@example.com", "ben@example.org"}));
}

TEST(Exporter, JsonlExportImportedIntoAnEmptyStoreGivesBackTheSameDocuments) {
  MemoryStore first;
  Engine engine(first);
  fill(engine);
  std::ostringstream exported;
  ASSERT_TRUE(export_customers(first, ExportFormat::jsonl, exported).ok());

  MemoryStore second;
  Engine engine2(second);
  std::istringstream in(exported.str());
  ImportOptions options;
  options.format = ImportFormat::jsonl;
  auto r = import_customers(engine2, in, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->accepted, 2);
  EXPECT_TRUE(r->warnings.empty());
  std::ostringstream again;
  ASSERT_TRUE(export_customers(second, ExportFormat::jsonl, again).ok());
  EXPECT_EQ(again.str(), exported.str());
}

// ---- --with-secret-hashes (SPEC §2.4) ---------------------------------------------------------------------

class SecretHashExport : public ::testing::Test {
 protected:
  static EngineOptions fast() {
    EngineOptions o;
    o.hash_limits = HashLimits::minimum();
    return o;
  }
  void SetUp() override {
    fill(engine_);
    run(engine_, boost::json::object{{"op", "portal.set_login"},
                                     {"email", "ana@example.com"},
                                     {"secret_question", "Favourite jam?"},
                                     {"secret_answer", "Quasar Marmalade"},
                                     {"password", "Zebra-Okapi-77"}});
  }
  std::string export_jsonl(Store& store, bool with_hashes) {
    ExportOptions o;
    o.with_secret_hashes = with_hashes;
    std::ostringstream out;
    auto n = export_customers(store, ExportFormat::jsonl, out, o);
    EXPECT_TRUE(n.ok()) << n.status();
    return out.str();
  }
  static ImportResult import_into(Engine& engine, const std::string& text) {
    return import_text(engine, text, ImportFormat::jsonl);
  }
  static Result verify(Engine& engine, std::string_view op, std::string_view key, std::string_view secret) {
    return engine.execute(boost::json::object{{"op", op}, {"email", "ana@example.com"}, {key, secret}});
  }

  MemoryStore store_;
  Engine engine_{store_, fast()};
};

TEST_F(SecretHashExport, HashesAreExportedOnlyWhenAskedAndImportBackIntoAWorkingLogin) {
  std::string plain = export_jsonl(store_, false);
  EXPECT_EQ(plain.find("hash"), std::string::npos);
  std::string with = export_jsonl(store_, true);
  auto ana = boost::json::parse(with.substr(0, with.find('\n'))).as_object();
  const auto& portal = ana.at("portal").as_object();
  EXPECT_TRUE(portal.at("password_hash").as_string().starts_with("$argon2id$"));
  EXPECT_TRUE(portal.at("secret_answer_hash").as_string().starts_with("$argon2id$"));
  EXPECT_EQ(portal.at("secret_question"), "Favourite jam?");
  for (std::string_view secret : {"Zebra-Okapi-77", "Quasar Marmalade", "quasar marmalade"})
    EXPECT_EQ(with.find(secret), std::string::npos) << secret;

  MemoryStore second;
  Engine engine2(second, fast());
  auto r = import_into(engine2, with);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.warned, 0);
  EXPECT_TRUE(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-77").ok());
  EXPECT_TRUE(verify(engine2, "portal.verify_answer", "answer", "  quasar   MARMALADE ").ok());
  EXPECT_EQ(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-78").status.code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(export_jsonl(second, true), with);
  EXPECT_EQ(export_jsonl(second, false), plain);
}

TEST_F(SecretHashExport, AnExportWithoutHashesSaysTheLoginIsNotRestored) {
  MemoryStore second;
  Engine engine2(second, fast());
  auto r = import_into(engine2, export_jsonl(store_, false));
  EXPECT_EQ(r.accepted, 2);
  ASSERT_EQ(r.warned, 1);
  const auto& row = r.rows.at(0);
  ASSERT_EQ(row.violations.size(), 1u);
  EXPECT_EQ(row.violations[0].field, "portal");
  EXPECT_EQ(row.violations[0].rule, "import.login_not_restored");
  EXPECT_EQ(row.violations[0].message,
            "the document's portal login (password and secret answer) has no hash to restore; export with "
            "--with-secret-hashes to carry it; imported without it");
  auto doc = engine2.execute(boost::json::object{{"op", "customer.get"}, {"email", "ana@example.com"}});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc.result.at("portal").at("has_login"), false);
  EXPECT_EQ(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-77").status.code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SecretHashExport, AHashNotMadeByThisLibraryIsNotImportedAndNotRepeated) {
  std::string with = export_jsonl(store_, true);
  std::string line = with.substr(0, with.find('\n'));
  auto doc = boost::json::parse(line).as_object();
  doc["portal"].as_object()["password_hash"] = "$2y$10$abcdefghijklmnopqrstuu5Zl6cY0v2pPq";
  MemoryStore second;
  Engine engine2(second, fast());
  auto r = import_into(engine2, boost::json::serialize(doc) + "\n");
  ASSERT_EQ(r.accepted, 1);
  const auto& v = r.rows.at(0).violations;
  // One warning: the hash was carried but is not ours (not "export with --with-secret-hashes").
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "portal.password_hash");
  EXPECT_EQ(v[0].rule, "password.foreign_hash");
  EXPECT_EQ(v[0].message.find("$2y$"), std::string::npos);
  // The answer's hash was ours: that half of the login works.
  EXPECT_TRUE(verify(engine2, "portal.verify_answer", "answer", "Quasar Marmalade").ok());
  EXPECT_EQ(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-77").status.code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(SecretHashExport, HashesFillTheLoginOfACustomerImportedBeforeWithoutIt) {
  MemoryStore second;
  Engine engine2(second, fast());
  import_into(engine2, export_jsonl(store_, false));
  auto r = import_into(engine2, export_jsonl(store_, true));
  EXPECT_EQ(r.updated, 1);  // Ana: her login filled in
  EXPECT_EQ(r.unchanged, 1);
  EXPECT_EQ(r.warned, 0);
  EXPECT_TRUE(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-77").ok());
  EXPECT_TRUE(verify(engine2, "portal.verify_answer", "answer", "Quasar Marmalade").ok());

  // A login the customer has here is kept; a different one in a file is reported, not imported over it.
  run(engine_, boost::json::object{
                   {"op", "portal.set_login"}, {"email", "ana@example.com"}, {"password", "Other-Pass-99"}});
  auto again = import_into(engine2, export_jsonl(store_, true));
  ASSERT_EQ(again.warned, 1);
  ASSERT_EQ(again.rows.at(0).violations.size(), 1u);
  EXPECT_EQ(again.rows[0].violations[0].field, "portal");
  EXPECT_EQ(again.rows[0].violations[0].rule, "import.login_kept");
  EXPECT_EQ(again.rows[0].violations[0].message,
            "the customer already has a portal password here; the file's is not imported over it");
  EXPECT_TRUE(verify(engine2, "portal.verify_password", "password", "Zebra-Okapi-77").ok());
}

TEST(Exporter, ShopifyCsvGuardsCellsASpreadsheetWouldRunAndImportsThemBack) {
  MemoryStore store;
  Engine engine(store);
  run(engine, boost::json::object{{"op", "customer.create"},
                                  {"customer_type_id", 1},
                                  {"first_name", "=HYPERLINK(\"http://x.test\",\"pay\")"},
                                  {"last_name", "@SUM(A1)"},
                                  {"email", "eve@example.com"},
                                  {"note", "-2+3"}});
  std::ostringstream out;
  ASSERT_TRUE(export_customers(store, ExportFormat::shopify, out).ok());
  std::istringstream in(out.str());
  CsvReader reader(in);
  CsvRecord header, eve;
  ASSERT_TRUE(reader.next(header));
  ASSERT_TRUE(reader.next(eve));
  EXPECT_EQ(eve.cells[1], "'=HYPERLINK(\"http://x.test\",\"pay\")");
  EXPECT_EQ(eve.cells[2], "'@SUM(A1)");
  EXPECT_EQ(eve.cells[17], "'-2+3");

  MemoryStore second;
  Engine engine2(second);
  ASSERT_EQ(import_text(engine2, out.str(), ImportFormat::shopify).accepted, 1);
  auto doc = engine2.execute(boost::json::object{{"op", "customer.get"}, {"email", "eve@example.com"}});
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc.result.at("first_name"), "=HYPERLINK(\"http://x.test\",\"pay\")");
  EXPECT_EQ(doc.result.at("last_name"), "@SUM(A1)");
  EXPECT_EQ(doc.result.at("note"), "-2+3");
}

TEST(Exporter, AValueThatStartsWithAnApostropheBeforeAFormulaComesBackWhole) {
  // "=e@…" and "'=e@…" are two customers: guarded as "'=e@…" and "''=e@…", they stay two.
  MemoryStore store;
  Engine engine(store);
  for (std::string_view email : {"=e@example.com", "'=e@example.com"}) {
    run(engine, boost::json::object{{"op", "customer.create"},
                                    {"customer_type_id", 1},
                                    {"first_name", email.front() == '=' ? "One" : "Two"},
                                    {"last_name", "''+already"},
                                    {"email", email}});
  }
  std::ostringstream out;
  ASSERT_TRUE(export_customers(store, ExportFormat::shopify, out).ok());
  EXPECT_NE(out.str().find(",'''+already,''=e@example.com,"), std::string::npos) << out.str();
  MemoryStore second;
  Engine engine2(second);
  auto r = import_text(engine2, out.str(), ImportFormat::shopify);
  EXPECT_EQ(r.created, 2);
  for (std::string_view email : {"=e@example.com", "'=e@example.com"}) {
    auto doc = engine2.execute(boost::json::object{{"op", "customer.get"}, {"email", email}});
    ASSERT_TRUE(doc.ok()) << email;
    EXPECT_EQ(std::string_view(doc.result.at("email").as_string()), email);
    EXPECT_EQ(doc.result.at("first_name"), email.front() == '=' ? "One" : "Two");
    EXPECT_EQ(doc.result.at("last_name"), "''+already");
  }
}

TEST(Exporter, ShopifyCsvUsesTheCurrentLayoutAndGuardsNumericZipsAndPhones) {
  MemoryStore store;
  Engine engine(store);
  fill(engine);
  std::ostringstream out;
  ASSERT_TRUE(export_customers(store, ExportFormat::shopify, out).ok());
  std::istringstream in(out.str());
  CsvReader reader(in);
  CsvRecord header, ana, ben;
  ASSERT_TRUE(reader.next(header));
  ASSERT_TRUE(reader.next(ana));
  ASSERT_TRUE(reader.next(ben));
  EXPECT_EQ(header.cells.size(), 20u);
  EXPECT_EQ(header.cells[0], "Customer ID");
  EXPECT_EQ(header.cells[19], "Tags");
  EXPECT_EQ(ana.cells, (std::vector<std::string>{"42",
                                                 "Ana",
                                                 "Example",
                                                 "ana@example.com",
                                                 "yes",
                                                 "Acme, Inc",
                                                 "12 Example Street",
                                                 "",
                                                 "Cambridge",
                                                 "MA",
                                                 "US",
                                                 "'02138",
                                                 "",
                                                 "'+16175550101 x12",
                                                 "",
                                                 "",
                                                 "",
                                                 "two\nlines",
                                                 "yes",
                                                 "vip, wholesale"}));
  EXPECT_EQ(ben.cells[1], "Ben");
  EXPECT_EQ(ben.cells[4], "");  // never asked
}

TEST(Exporter, ShopifyExportImportsBackAsShopify) {
  MemoryStore first;
  Engine engine(first);
  fill(engine);
  std::ostringstream exported;
  ASSERT_TRUE(export_customers(first, ExportFormat::shopify, exported).ok());
  MemoryStore second;
  Engine engine2(second);
  EXPECT_EQ(import_text(engine2, exported.str(), ImportFormat::shopify).accepted, 2);
  auto ana = engine2.execute(boost::json::object{{"op", "customer.get"}, {"email", "ana@example.com"}});
  ASSERT_TRUE(ana.ok());
  const auto& a = ana.result.as_object().at("addresses").as_array().at(0).as_object();
  EXPECT_EQ(a.at("zip"), "02138");
  EXPECT_EQ(a.at("business_name"), "Acme, Inc");
}

TEST(Exporter, PagesThroughMoreCustomersThanOnePage) {
  MemoryStore store;
  Engine engine(store);
  for (int i = 0; i < 7; ++i) {
    run(engine, boost::json::object{{"op", "customer.create"},
                                    {"customer_type_id", 1},
                                    {"first_name", "C"},
                                    {"email", "c" + std::to_string(i) + "@example.com"}});
  }
  std::ostringstream out;
  auto n = export_customers(store, ExportFormat::jsonl, out, 3);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7);
}

TEST(Exporter, FormatNames) {
  EXPECT_EQ(parse_export_format("jsonl"), ExportFormat::jsonl);
  EXPECT_EQ(parse_export_format("shopify"), ExportFormat::shopify);
  EXPECT_FALSE(parse_export_format("csv").has_value());
}

}  // namespace
}  // namespace leadcustomers
