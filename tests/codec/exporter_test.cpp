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

TEST(Exporter, ShopifyCsvUsesTheCurrentLayoutAndGuardsNumericZips) {
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
                                                 "+16175550101 x12",
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
  std::istringstream in(exported.str());
  ImportOptions options;
  options.format = ImportFormat::shopify;
  auto r = import_customers(engine2, in, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->accepted, 2);
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
