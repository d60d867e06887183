// Import behaviour on small inline files: one behaviour per test. Addresses here are valid everywhere
// (Cambridge MA 02138, Hoboken NJ 07030), so these tests do not depend on the region catalog's rule ids.
#include "leadcustomers/importer.hpp"

#include <map>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kHeader =
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags\n";

std::string shopify(std::string_view rows) { return std::string(kHeader) + std::string(rows); }

class ImportTest : public ::testing::Test {
 protected:
  ImportResult run(const std::string& text, ImportFormat format = ImportFormat::shopify,
                   ImportOptions options = {}) {
    options.format = format;
    std::istringstream in(text);
    auto r = import_customers(engine_, in, options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ImportResult{};
  }
  absl::Status run_status(const std::string& text, ImportFormat format, ImportOptions options = {}) {
    options.format = format;
    std::istringstream in(text);
    return import_customers(engine_, in, options).status();
  }
  // The reject file an import of `text` writes.
  std::string rejects_of(const std::string& text, ImportFormat format, ImportOptions options = {}) {
    std::ostringstream out;
    options.rejects = &out;
    run(text, format, options);
    return out.str();
  }
  Result get(std::string_view email) {
    return engine_.execute(boost::json::object{{"op", "customer.get"}, {"email", email}});
  }
  boost::json::object doc(std::string_view email) {
    auto r = get(email);
    EXPECT_TRUE(r.ok()) << email << ": " << r.status;
    return r.ok() ? r.result.as_object() : boost::json::object{};
  }
  static std::vector<std::string> rules(const ImportRow& row) {
    std::vector<std::string> out;
    for (const auto& v : row.violations) out.push_back(v.rule);
    return out;
  }
  static std::vector<std::string> fields(const ImportRow& row) {
    std::vector<std::string> out;
    for (const auto& v : row.violations) out.push_back(v.field);
    return out;
  }

  MemoryStore store_;
  Engine engine_{store_};
};

using Strings = std::vector<std::string>;

// ---- Shopify rows ---------------------------------------------------------------------------------------

TEST_F(ImportTest, ImportsShopifyRowWithItsDefaultAddress) {
  auto r = run(shopify(
      "7022551234,Ana,Example,ana@example.com,yes,Acme,12 Example Street,Flat 3,Cambridge,MA,US,02138,"
      "+1 617-555-0101,,no,10.00,2,Likes tea,no,\"vip, wholesale\"\n"));
  EXPECT_EQ(r.rows_read, 1);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.created, 1);
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["first_name"], "Ana");
  EXPECT_EQ(c["last_name"], "Example");
  EXPECT_EQ(c["version"], 1);
  EXPECT_EQ(c["note"], "Likes tea");
  EXPECT_EQ(c["tax_exempt"], false);
  EXPECT_EQ(c["tags"], (boost::json::array{"vip", "wholesale"}));
  EXPECT_EQ(c["external_refs"],
            (boost::json::array{boost::json::object{{"system", "shopify"}, {"id", "7022551234"}}}));
  EXPECT_EQ(c["attributes"], (boost::json::object{{"shopify.Accepts SMS Marketing", "no"}}));
  const auto& a = c["addresses"].as_array().at(0).as_object();
  EXPECT_EQ(a.at("name"), "Ana Example");
  EXPECT_EQ(a.at("business_name"), "Acme");
  EXPECT_EQ(a.at("address1"), "12 Example Street");
  EXPECT_EQ(a.at("address2"), "Flat 3");
  EXPECT_EQ(a.at("zip"), "02138");
  EXPECT_EQ(a.at("state"), "US-MA");
  EXPECT_EQ(c["default_shipping_address_id"], a.at("id"));
  EXPECT_EQ(c["default_billing_address_id"], a.at("id"));
}

TEST_F(ImportTest, YesConsentBecomesSubscribedWithLevelUnknownAndSourceImport) {
  run(shopify(",Ana,Example,ana@example.com,yes,,,,,,,,,,,,,,,\n"));
  auto n = doc("ana@example.com")["newsletter"].as_object();
  EXPECT_EQ(n["subscribed"], true);
  EXPECT_EQ(n["opt_in_level"], "unknown");
  EXPECT_EQ(n["source"], "import");
}

TEST_F(ImportTest, BlankConsentCellChangesNothing) {
  run(shopify(",Ana,Example,ana@example.com,yes,,,,,,,,,,,,,,,\n"));
  run(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(doc("ana@example.com")["newsletter"].as_object()["subscribed"], true);
  run(shopify(",Ana,Example,ana@example.com,no,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(doc("ana@example.com")["newsletter"].as_object()["subscribed"], false);
}

TEST_F(ImportTest, BlankConsentOnNewCustomerLeavesItNeverAsked) {
  run(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  auto n = doc("ana@example.com")["newsletter"].as_object();
  EXPECT_EQ(n["updated_at"], nullptr);
  EXPECT_EQ(n["source"], nullptr);
}

TEST_F(ImportTest, RemovesApostropheGuardFromZipPhoneAndId) {
  run(
      shopify("'7022551234,Ana,Example,ana@example.com,,,12 Example Street,,Cambridge,MA,US,'02138,"
              "'+1 617-555-0101,'+1 617-555-0102,,,,,,\n"));
  auto c = doc("ana@example.com");
  const auto& a = c["addresses"].as_array().at(0).as_object();
  EXPECT_EQ(a.at("zip"), "02138");
  EXPECT_EQ(a.at("phone").as_object().at("e164"), "+16175550101");
  EXPECT_EQ(c["phone"].as_object()["e164"], "+16175550102");
  EXPECT_EQ(c["external_refs"].as_array().at(0).as_object().at("id"), "7022551234");
}

TEST_F(ImportTest, KeepsLeadingZeroOfUnquotedZip) {
  run(shopify(",Ben,Sample,ben@example.org,,,1 Sample Road,,Hoboken,NJ,US,07030,,,,,,,,\n"));
  EXPECT_EQ(doc("ben@example.org")["addresses"].as_array().at(0).as_object().at("zip"), "07030");
}

TEST_F(ImportTest, RefusesSpreadsheetMangledCustomerId) {
  auto r = run(shopify("7.02255E+12,Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"external_ref.spreadsheet_mangled"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"external_refs[0].id"});
  EXPECT_FALSE(get("ana@example.com").ok());
}

TEST_F(ImportTest, RefusesSpreadsheetMangledZip) {
  auto r =
      run(shopify(",Ana,Example,ana@example.com,,,12 Example Street,,Cambridge,MA,US,2.138E+03,,,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"zip.spreadsheet_mangled"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"addresses[0].zip"});
}

TEST_F(ImportTest, ReportsEveryViolationOfARecordAtOnce) {
  auto r = run(shopify("7.02255E+12,Ana,Example,ana@example.com,,,,,,,,,,9.19961E+11,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), (Strings{"external_ref.spreadsheet_mangled", "phone.spreadsheet_mangled"}));
  EXPECT_EQ(fields(r.rows[0]), (Strings{"external_refs[0].id", "phone"}));
}

TEST_F(ImportTest, SplitsTagsOnCommas) {
  run(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\" vip ,, newsletter,VIP\"\n"));
  EXPECT_EQ(doc("ana@example.com")["tags"], (boost::json::array{"vip", "newsletter"}));
}

TEST_F(ImportTest, ReadsPre2022LayoutWithProvinceAndCountryNames) {
  auto r =
      run("First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,Country "
          "Code,Zip,"
          "Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
          "Ana,Example,ana@example.com,,12 Example Street,,Cambridge,Massachusetts,MA,United "
          "States,US,'02138,,yes,"
          "0.00,0,,,no\n");
  EXPECT_EQ(r.accepted, 1);
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["newsletter"].as_object()["subscribed"], true);
  EXPECT_EQ(c["addresses"].as_array().at(0).as_object().at("state"), "US-MA");
  EXPECT_EQ(c["addresses"].as_array().at(0).as_object().at("region"), "US");
}

TEST_F(ImportTest, HeaderOrderDoesNotMatter) {
  auto r =
      run("Email,Default Address Zip,Last Name,Default Address Country Code,First Name,"
          "Default Address Province Code,Default Address City,Default Address Address1\n"
          "ana@example.com,02138,Example,US,Ana,MA,Cambridge,12 Example Street\n");
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(doc("ana@example.com")["addresses"].as_array().at(0).as_object().at("city"), "Cambridge");
}

TEST_F(ImportTest, UnknownColumnWarnsOnceForTheWholeFile) {
  auto r = run("Email,First Name,Favourite Colour\na@example.com,A,blue\nb@example.com,B,red\n");
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.warned, 0);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].field, "Favourite Colour");
  EXPECT_EQ(r.warnings[0].rule, "import.unknown_column");
}

TEST_F(ImportTest, MetafieldColumnsBecomeAttributes) {
  run("Email,First Name,Loyalty tier (customer.metafields.custom.loyalty)\na@example.com,A,gold\n");
  EXPECT_EQ(doc("a@example.com")["attributes"],
            (boost::json::object{{"shopify.metafields.custom.loyalty", "gold"}}));
}

TEST_F(ImportTest, FileWithoutEmailColumnIsRefused) {
  auto s = run_status("First Name,Last Name\nAna,Example\n", ImportFormat::shopify);
  EXPECT_EQ(error_code_of(s), ErrorCode::invalid_argument);
  ASSERT_EQ(violations_of(s).size(), 1u);
  EXPECT_EQ(violations_of(s)[0].rule, "import.missing_column");
  EXPECT_EQ(violations_of(s)[0].field, "Email");
}

TEST_F(ImportTest, NewsletterOnlyRowIsRejectedForMissingName) {
  auto r = run(shopify(",,,news@example.com,yes,,,,,,,,,,,,,,,newsletter\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"name.required"});
  EXPECT_EQ(r.rows[0].email, "news@example.com");
}

TEST_F(ImportTest, RowWithoutEmailIsRejected) {
  auto r = run(shopify(",Ana,Example,,,,,,,,,,,+16175550101,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"email.required"});
  EXPECT_FALSE(r.rows[0].email.has_value());
}

TEST_F(ImportTest, AddressPlaceholderIsDroppedWithAWarning) {
  auto r =
      run(shopify(",Ana,Example,ana@example.com,,,12 Example Street,N/a,Cambridge,MA,US,02138,,,,,,,,\n"));
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.warned, 1);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_FALSE(r.rows[0].rejected);
  EXPECT_EQ(rules(r.rows[0]), Strings{"address2.placeholder"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"addresses[0].address2"});
  EXPECT_EQ(r.by_rule.at("address2.placeholder"), 1);
}

TEST_F(ImportTest, AddressWithoutStreetCityOrZipIsNotImported) {
  auto r = run(shopify(",Ana,Example,ana@example.com,,,,,,,US,,,,,,,,,\n"));
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(rules(r.rows.at(0)), Strings{"import.address_incomplete"});
  EXPECT_TRUE(doc("ana@example.com")["addresses"].as_array().empty());
}

// ---- CSV structure --------------------------------------------------------------------------------------

TEST_F(ImportTest, RowWithTooFewCellsIsRejectedNotShifted) {
  auto r = run("Email,First Name,Last Name\na@example.com,A\n");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"csv.cell_count"});
  EXPECT_EQ(r.rows[0].email, "a@example.com");
}

TEST_F(ImportTest, RowWithMoreNonEmptyCellsIsRejected) {
  auto r = run("Email,First Name\na@example.com,A,extra\n");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"csv.cell_count"});
}

TEST_F(ImportTest, TrailingEmptyCellsPastTheHeaderAreAccepted) {
  auto r = run("Email,First Name\na@example.com,A,,\n");
  EXPECT_EQ(r.accepted, 1);
}

TEST_F(ImportTest, InvalidUtf8RowIsRejectedWithItsByteOffset) {
  std::string text = "Email,First Name\na@example.com,Jos\xE9\n";
  auto r = run(text);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"text.invalid_utf8"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"first_name"});
  EXPECT_NE(r.rows[0].violations[0].message.find("byte offset 34"), std::string::npos)
      << r.rows[0].violations[0].message;
}

TEST_F(ImportTest, LineIsThePhysicalLineWhereTheRecordStarts) {
  auto r = run("Email,First Name,Note\r\na@example.com,A,\"two\r\nlines\"\r\n\r\nb@example.com,,x\r\n");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(r.rows[0].line, 5);
  EXPECT_EQ(doc("a@example.com")["note"], "two\nlines");
}

TEST_F(ImportTest, SemicolonFileIsRead) {
  auto r = run("Email;First Name;Last Name\na@example.com;Ana;Example\n");
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(doc("a@example.com")["last_name"], "Example");
}

TEST_F(ImportTest, BlankLinesAndRowsOfDelimitersAreNotRecords) {
  auto r = run("Email,First Name\n\n,\na@example.com,A\n");
  EXPECT_EQ(r.rows_read, 1);
}

// ---- Re-import: upsert ----------------------------------------------------------------------------------

TEST_F(ImportTest, ReimportUpdatesByEmailKeyAndBlankNeverErases) {
  run(shopify(
      ",Ana,Example,ana@example.com,,,12 Example Street,,Cambridge,MA,US,02138,,,,,,Note one,,vip\n"));
  auto r = run(shopify(",,,ANA@example.com,,,,,,,,,,+1 617-555-0199,,,,,,\n"));
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.unchanged, 0);
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["first_name"], "Ana");
  EXPECT_EQ(c["last_name"], "Example");
  EXPECT_EQ(c["note"], "Note one");
  EXPECT_EQ(c["tags"], (boost::json::array{"vip"}));
  EXPECT_EQ(c["phone"].as_object()["e164"], "+16175550199");
  EXPECT_EQ(c["addresses"].as_array().size(), 1u);
  EXPECT_EQ(c["version"], 2);
}

TEST_F(ImportTest, ReimportOfTheSameFileChangesNothing) {
  std::string file =
      shopify("1,Ana,Example,ana@example.com,yes,,12 Example Street,,Cambridge,MA,US,02138,,,,,,,,vip\n");
  run(file);
  auto r = run(file);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.updated, 0);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.unchanged, 1);
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["version"], 1);
  EXPECT_EQ(c["addresses"].as_array().size(), 1u);
}

TEST_F(ImportTest, ReimportWithBlankAddressCellsAddsNoStrippedCopy) {
  run(
      shopify("7022550000001,Dana,Dupe,dana@example.com,yes,Acme,1 Main St,Apt 2,Boston,MA,US,'02110,"
              "'+1 617-555-0100,+16175550101,no,0.00,0,hello,no,vip\n"));
  auto r =
      run(shopify("7022550000001,Dana,Dupe,dana@example.com,,,1 Main St,,Boston,MA,US,'02110,,,,,,,,\n"));
  EXPECT_EQ(r.accepted, 1);
  auto c = doc("dana@example.com");
  const auto& addresses = c["addresses"].as_array();
  ASSERT_EQ(addresses.size(), 1u);
  EXPECT_EQ(addresses[0].as_object().at("business_name"), "Acme");
  EXPECT_EQ(addresses[0].as_object().at("address2"), "Apt 2");
  EXPECT_EQ(addresses[0].as_object().at("phone").as_object().at("e164"), "+16175550100");
  EXPECT_EQ(c["default_billing_address_id"], addresses[0].as_object().at("id"));
  EXPECT_EQ(c["version"], 1);
}

TEST_F(ImportTest, NewAddressOnReimportIsAddedAndBecomesTheDefault) {
  run(shopify(",Ana,Example,ana@example.com,,,12 Example Street,,Cambridge,MA,US,02138,,,,,,,,\n"));
  run(shopify(",Ana,Example,ana@example.com,,,1 Sample Road,,Hoboken,NJ,US,07030,,,,,,,,\n"));
  auto c = doc("ana@example.com");
  const auto& addresses = c["addresses"].as_array();
  ASSERT_EQ(addresses.size(), 2u);
  EXPECT_EQ(c["default_shipping_address_id"], addresses[1].as_object().at("id"));
  EXPECT_EQ(c["default_billing_address_id"], addresses[1].as_object().at("id"));
  EXPECT_EQ(c["version"], 2);
}

TEST_F(ImportTest, UpsertsByExternalRefWhenTheEmailChanged) {
  run(shopify("42,Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  auto r = run(shopify("42,Ana,Example,ana.new@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(r.updated, 1);
  EXPECT_FALSE(get("ana@example.com").ok());
  EXPECT_EQ(doc("ana.new@example.com")["external_refs"].as_array().size(), 1u);
  // The e-mail is also the portal login: the change is said.
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.rows[0].violations.size(), 1u);
  EXPECT_EQ(
      r.rows[0].violations[0],
      (Violation{"email", "import.email_changed",
                 "the customer found by its id or external ref had the e-mail 'ana@example.com'; e-mail "
                 "and portal login are now 'ana.new@example.com'"}));
  // The same e-mail in another case is the same login: nothing to say.
  auto same = run(shopify("42,Ana,Example,ANA.NEW@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(same.warned, 0);
}

TEST_F(ImportTest, ArchivedCustomerIsNotUpdatedByReimport) {
  run(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  std::string id(doc("ana@example.com")["id"].as_string());
  ASSERT_TRUE(engine_
                  .execute(boost::json::object{
                      {"op", "customer.set_status"}, {"customer_id", id}, {"status", "Archived"}})
                  .ok());
  auto r = run(shopify(",Ana,Again,ana@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(r.created, 1);
  EXPECT_NE(doc("ana@example.com")["id"], id.c_str());
  EXPECT_EQ(doc("ana@example.com")["last_name"], "Again");
}

TEST_F(ImportTest, DuplicateEmailInOneFileUpdatesTheFirstRecord) {
  auto r = run(shopify(
      ",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n,Ana,Changed,ana@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(r.created, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(doc("ana@example.com")["last_name"], "Changed");
}

// ---- Whole-record application ---------------------------------------------------------------------------

TEST_F(ImportTest, RejectedNewRecordStoresNothing) {
  auto r = run(shopify(",Ana,Example,ana@example.com,yes,,,,Cambridge,MA,US,02138,,,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"address1.required"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"addresses[0].address1"});
  EXPECT_FALSE(get("ana@example.com").ok());
}

TEST_F(ImportTest, RejectedUpdateLeavesTheStoredCustomerUntouched) {
  run(shopify(",Ana,Example,ana@example.com,no,,,,,,,,,,,,,,,\n"));
  auto r = run(shopify(",Ana,Changed,ana@example.com,yes,,,,Cambridge,MA,US,02138,,,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(fields(r.rows[0]), Strings{"addresses[0].address1"});
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["last_name"], "Example");
  EXPECT_EQ(c["newsletter"].as_object()["subscribed"], false);
  EXPECT_EQ(c["version"], 1);
}

TEST_F(ImportTest, OneBadRecordNeverLosesAnother) {
  ImportOptions o;
  o.batch_size = 2;
  auto r = run(shopify(",A,One,a@example.com,,,,,,,,,,,,,,,,\n,,,bad@example.com,,,,,,,,,,,,,,,,\n"
                       ",C,Three,c@example.com,,,,,,,,,,,,,,,,\n,D,Four,d@example.com,,,,,,,,,,,,,,,,\n"
                       ",E,Five,e@example.com,,,,,,,,,,,,,,,,\n"),
               ImportFormat::shopify, o);
  EXPECT_EQ(r.accepted, 4);
  EXPECT_EQ(r.rejected, 1);
  for (auto e : {"a@example.com", "c@example.com", "d@example.com", "e@example.com"})
    EXPECT_TRUE(get(e).ok()) << e;
}

TEST_F(ImportTest, CreatedCustomerIsVersionOneEvenWithConsentAndDefaults) {
  run(shopify(",Ana,Example,ana@example.com,yes,,12 Example Street,,Cambridge,MA,US,02138,,,,,,,,\n"));
  EXPECT_EQ(doc("ana@example.com")["version"], 1);
}

// ---- Dry run, result, rejects file ----------------------------------------------------------------------

TEST_F(ImportTest, DryRunValidatesAndStoresNothing) {
  ImportOptions o;
  o.dry_run = true;
  auto r = run(shopify(",A,One,a@example.com,,,,,,,,,,,,,,,,\n,,,bad@example.com,,,,,,,,,,,,,,,,\n"
                       ",A,Again,a@example.com,,,,,,,,,,,,,,,,\n"),
               ImportFormat::shopify, o);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.created, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_FALSE(get("a@example.com").ok());
}

TEST_F(ImportTest, ResultJsonHasExactlyTheSpecFields) {
  auto r = run(shopify(",A,One,a@example.com,,,,,,,,,,,,,,,,\n,,,bad@example.com,,,,,,,,,,,,,,,,\n"));
  auto j = import_result_json(r);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j) keys.emplace_back(k);
  EXPECT_EQ(keys,
            (Strings{"rows_read", "accepted", "warned", "rejected", "by_rule", "rows", "rows_truncated"}));
  EXPECT_EQ(j["rows_read"], 2);
  EXPECT_EQ(j["by_rule"], (boost::json::object{{"name.required", 1}}));
  EXPECT_EQ(j["rows"], (boost::json::array{boost::json::object{
                           {"line", 3},
                           {"status", "rejected"},
                           {"email", "bad@example.com"},
                           {"violations", boost::json::array{boost::json::object{
                                              {"field", "first_name"},
                                              {"rule", "name.required"},
                                              {"message", "first_name or last_name must be non-empty"}}}}}}));
  EXPECT_EQ(j["rows_truncated"], false);
}

TEST_F(ImportTest, ReportedRowsAreCappedAndTheCutIsSaid) {
  ImportOptions o;
  o.max_reported_rows = 2;
  auto r = run(shopify(",,,a@example.com,,,,,,,,,,,,,,,,\n,,,b@example.com,,,,,,,,,,,,,,,,\n"
                       ",,,c@example.com,,,,,,,,,,,,,,,,\n"),
               ImportFormat::shopify, o);
  EXPECT_EQ(r.rejected, 3);
  EXPECT_EQ(r.rows.size(), 2u);
  EXPECT_TRUE(r.rows_truncated);
  EXPECT_EQ(r.by_rule.at("name.required"), 3);
}

TEST_F(ImportTest, RuleCountsSeparateRejectedRecordsFromWarningsOnAcceptedOnes) {
  auto r =
      run(shopify(",Ana,Example,ana@example.com,,,12 Example Street,N/a,Cambridge,MA,US,02138,,,,,,,,\n"
                  ",,,b@example.com,,,,,,,,,,,,,,,,\n"
                  ",,,c@example.com,,,12 Example Street,N/a,Cambridge,MA,US,02138,,,,,,,,\n"));
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(r.rejected, 2);
  using Counts = std::map<std::string, int64_t>;
  EXPECT_EQ(r.rejected_by_rule, (Counts{{"address.name_required", 1}, {"name.required", 2}}));
  EXPECT_EQ(r.warned_by_rule, (Counts{{"address2.placeholder", 1}}));
  EXPECT_EQ(r.by_rule,
            (Counts{{"address.name_required", 1}, {"address2.placeholder", 1}, {"name.required", 2}}));
}

TEST_F(ImportTest, RejectsFileHoldsTheOriginalRowAndAnErrorColumn) {
  std::ostringstream rejects;
  ImportOptions o;
  o.rejects = &rejects;
  run("Email;First Name;Note\na@example.com;A;ok\nb@example.com;;\"x;y\"\n", ImportFormat::shopify, o);
  EXPECT_EQ(rejects.str(),
            "Email;First Name;Note;import_error\n"
            "b@example.com;;\"x;y\";first_name: name.required: first_name or last_name must be non-empty\n");
}

TEST_F(ImportTest, RejectsFilePutsTheErrorUnderItsHeadingWhenARowHasTooManyCells) {
  std::ostringstream rejects;
  ImportOptions o;
  o.rejects = &rejects;
  auto r = run("Email,First Name\nc@example.com,Cy,Dublin,Ireland\n", ImportFormat::shopify, o);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(
      rejects.str(),
      "Email,First Name,import_error\n"
      "c@example.com,Cy,csv.cell_count: line 2 has 4 non-empty cells but the header has 2; the row is not "
      "shifted to fit,Dublin,Ireland\n");
}

TEST_F(ImportTest, FixedRejectsFileImportsAgain) {
  std::ostringstream rejects;
  ImportOptions o;
  o.rejects = &rejects;
  run("Email,First Name\nb@example.com,\n", ImportFormat::shopify, o);
  std::string fixed = rejects.str();
  fixed.replace(fixed.find("b@example.com,"), 14, "b@example.com,Bea");
  auto r = run(fixed);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(doc("b@example.com")["first_name"], "Bea");
}

TEST_F(ImportTest, UsesTheStoreDefaultCustomerType) {
  ASSERT_TRUE(engine_
                  .execute(boost::json::object{
                      {"op", "customer_type.create"}, {"id", 7}, {"name", "Retail"}, {"is_default", true}})
                  .ok());
  run(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"));
  EXPECT_EQ(doc("ana@example.com")["customer_type_id"], 7);
}

TEST_F(ImportTest, UnknownCustomerTypeFailsTheImport) {
  ImportOptions o;
  o.customer_type_id = 99;
  auto s = run_status(shopify(",Ana,Example,ana@example.com,,,,,,,,,,,,,,,,\n"), ImportFormat::shopify, o);
  ASSERT_EQ(violations_of(s).size(), 1u);
  EXPECT_EQ(violations_of(s)[0].rule, "customer_type.not_found");
}

// ---- Shopify Transporter layout -------------------------------------------------------------------------

TEST_F(ImportTest, TransporterRowsAddAddressesAndMetafieldsToTheirCustomer) {
  auto r =
      run("First Name,Last Name,Email,Phone,Accepts Marketing,Tags,Note,Tax "
          "Exempt,Company,Address1,Address2,City,"
          "Province,Province Code,Zip,Country,Country Code,Metafield Namespace,Metafield Key,Metafield Value,"
          "Metafield Value Type\n"
          "Ana,Example,ana@example.com,,yes,,,,,12 Example Street,,Cambridge,,MA,02138,,US,,,,\n"
          "Ana,Example,ana@example.com,,,,,,,1 Sample Road,,Hoboken,,NJ,07030,,US,,,,\n"
          ",,ana@example.com,,,,,,,,,,,,,,,custom,size,M,string\n");
  EXPECT_EQ(r.rows_read, 1);
  EXPECT_EQ(r.accepted, 1);
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["addresses"].as_array().size(), 2u);
  EXPECT_EQ(c["attributes"], (boost::json::object{{"shopify.metafields.custom.size", "M"}}));
}

// ---- Magento --------------------------------------------------------------------------------------------

constexpr std::string_view kComposite =
    "email,_website,firstname,lastname,password_hash,dob,_address_city,_address_country_id,_address_"
    "firstname,"
    "_address_lastname,_address_postcode,_address_region,_address_street,_address_telephone,_address_fax,"
    "_address_default_billing_,_address_default_shipping_\n";

TEST_F(ImportTest, MagentoRowsWithoutEmailContinueThePreviousCustomer) {
  auto r = run(std::string(kComposite) +
                   "ana@example.com,base,Ana,Example,,,Cambridge,US,Ana,Example,02138,MA,"
                   "12 Example Street,,,,1\n"
                   ",,,,,,Hoboken,US,Ana,Work,07030,NJ,1 Sample Road,,,1,\n"
                   "ben@example.org,base,Ben,Sample,,,,,,,,,,,,,\n",
               ImportFormat::magento_composite);
  EXPECT_EQ(r.rows_read, 2);
  EXPECT_EQ(r.accepted, 2);
  auto c = doc("ana@example.com");
  const auto& a = c["addresses"].as_array();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].as_object().at("name"), "Ana Work");
  EXPECT_EQ(c["default_shipping_address_id"], a[0].as_object().at("id"));
  EXPECT_EQ(c["default_billing_address_id"], a[1].as_object().at("id"));
  EXPECT_TRUE(doc("ben@example.org")["addresses"].as_array().empty());
}

TEST_F(ImportTest, MagentoMultiLineStreetGivesAddress1AndAddress2) {
  run(std::string(kComposite) +
          "ana@example.com,base,Ana,Example,,,Cambridge,US,,,02138,MA,"
          "\"12 Example Street\nFlat 3\nBuilding B\",,,,\n",
      ImportFormat::magento_composite);
  auto c = doc("ana@example.com");
  const auto& a = c["addresses"].as_array().at(0).as_object();
  EXPECT_EQ(a.at("address1"), "12 Example Street");
  EXPECT_EQ(a.at("address2"), "Flat 3, Building B");
  EXPECT_EQ(a.at("name"), "Ana Example");
}

TEST_F(ImportTest, MagentoStreetGivenAsJsonArrayInACell) {
  ImportOptions o;
  o.mapping = boost::json::object{{"email", "email"},
                                  {"first", "first_name"},
                                  {"street", "addresses[0].street"},
                                  {"city", "addresses[0].city"},
                                  {"zip", "addresses[0].zip"},
                                  {"state", "addresses[0].state"},
                                  {"country", "addresses[0].region"}};
  run("email,first,street,city,zip,state,country\n"
      "ana@example.com,Ana,\"[\"\"12 Example Street\"\",\"\"\"\"]\",Cambridge,02138,MA,US\n",
      ImportFormat::generic, o);
  auto c = doc("ana@example.com");
  const auto& a = c["addresses"].as_array().at(0).as_object();
  EXPECT_EQ(a.at("address1"), "12 Example Street");
  EXPECT_EQ(a.at("address2"), nullptr);
}

TEST_F(ImportTest, MagentoPasswordHashIsNotImportedAndWarns) {
  auto r = run(std::string(kComposite) + "ana@example.com,base,Ana,Example,abc:def:1,,,,,,,,,,,,\n",
               ImportFormat::magento_composite);
  EXPECT_EQ(r.warned, 1);
  EXPECT_EQ(rules(r.rows.at(0)), Strings{"password.foreign_hash"});
  EXPECT_EQ(doc("ana@example.com")["portal"].as_object()["has_login"], false);
}

TEST_F(ImportTest, RejectsFileLeavesPasswordAndHashCellsBlank) {
  // Magento's password_hash and a plaintext password column of a generic file: the rejected rows come back
  // whole except for their secrets (SPEC §2.4: no secret is ever written out).
  std::string magento = rejects_of(std::string(kComposite) + "bad@,base,Ana,Example,abc:def:1,,,,,,,,,,,,\n",
                                   ImportFormat::magento_composite);
  EXPECT_EQ(magento.substr(magento.find('\n') + 1, 32), "bad@,base,Ana,Example,,,,,,,,,,,");
  EXPECT_EQ(magento.find("abc:def:1"), std::string::npos) << magento;
  // A row with too many cells cannot say which cell is the password: none of its cells is copied.
  std::string shifted =
      rejects_of(std::string(kComposite) + "jr@example.com,base,Smith, Jr,,,,,,,,,,,,,,s3cret-pw\n",
                 ImportFormat::magento_composite);
  EXPECT_EQ(shifted.find("s3cret-pw"), std::string::npos) << shifted;
  EXPECT_EQ(shifted.find("jr@example.com"), std::string::npos) << shifted;
  EXPECT_NE(shifted.find("csv.cell_count"), std::string::npos) << shifted;

  ImportOptions o;
  o.mapping = boost::json::object{{"Email", "email"}, {"Name", "first_name"}, {"Pass", "password"}};
  EXPECT_EQ(rejects_of("Email,Pass,Name\nno-at-sign,Zebra-Okapi-77,Bo\n", ImportFormat::generic, o),
            "Email,Pass,Name,import_error\n"
            "no-at-sign,,Bo,email: email.missing_at: e-mail 'no-at-sign' has no '@'\n");
}

TEST_F(ImportTest, JsonRejectLinesCarryNoSecrets) {
  ImportOptions o;
  o.mapping = boost::json::object{{"email", "email"}, {"name", "first_name"}, {"auth.pw", "password"}};
  EXPECT_EQ(rejects_of("{\"email\":\"no-at-sign\",\"name\":\"Bo\",\"auth\":{\"pw\":\"Zebra-Okapi-77\"}}\n",
                       ImportFormat::generic_json, o),
            "{\"email\":\"no-at-sign\",\"name\":\"Bo\",\"auth\":{\"pw\":null},\"import_error\":"
            "\"email: email.missing_at: e-mail 'no-at-sign' has no '@'\"}\n");

  std::string jsonl = rejects_of(
      "{\"email\":\"no-at-sign\",\"first_name\":\"Bo\",\"portal\":{\"secret_question\":\"Jam?\","
      "\"password_hash\":\"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA\"}}\n",
      ImportFormat::jsonl);
  EXPECT_EQ(jsonl.find("argon2"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find("\"secret_question\":\"Jam?\""), std::string::npos) << jsonl;

  // A line that is not JSON cannot be cleaned: with a secret mapping, or in a jsonl file, it is not copied.
  EXPECT_EQ(
      rejects_of("{\"email\":\"a@example.com\",\"auth\":{\"pw\":\"Zebra-Okapi-77\"\n",
                 ImportFormat::generic_json, o),
      "{\"raw\":null,\"import_error\":\"json.syntax: line 1 is not JSON: incomplete JSON; the line is not "
      "copied here: it could not be read to leave out its secrets (see the input)\"}\n");
  o.mapping = {};
  std::string broken =
      rejects_of("{\"email\":\"a@example.com\",\"portal\":{\"password_hash\":\"$argon2id$v=19$x\"\n",
                 ImportFormat::jsonl);
  EXPECT_EQ(broken.find("argon2"), std::string::npos) << broken;
  // The same with the member name and the hash spelled with \u escapes.
  std::string escaped = rejects_of(
      "{\"email\":\"a@example.com\",\"portal\":{\"password\\u005fha\\u0073h\":\"\\u0024argon2id$v=19$x\"\n",
      ImportFormat::jsonl);
  EXPECT_EQ(escaped.find("argon2"), std::string::npos) << escaped;
  EXPECT_NE(escaped.find("\"raw\":null"), std::string::npos) << escaped;
  // A broken line of our own document (perhaps a piece of a hash export) is never copied; a broken
  // generic-json line that names no secret is.
  EXPECT_NE(rejects_of("{\"email\":\"a@example.com\",\n", ImportFormat::jsonl).find("\"raw\":null"),
            std::string::npos);
  o.mapping = boost::json::object{{"email", "email"}, {"name", "first_name"}};
  EXPECT_EQ(rejects_of("{\"email\":\"a@example.com\",\n", ImportFormat::generic_json, o),
            "{\"raw\":\"{\\\"email\\\":\\\"a@example.com\\\",\",\"import_error\":\"json.syntax: line 1 is "
            "not JSON: incomplete JSON\"}\n");
}

TEST_F(ImportTest, JsonRejectLinesBlankEveryMemberNamedAsASecretAndEveryHash) {
  // Shopify JSON carries members the importer does not take (password, api_token, multipass_identifier):
  // a rejected customer's line keeps its data but none of those, at any depth, nor any hash.
  std::string shop = rejects_of(
      "{\"email\":\"bad-email\",\"first_name\":\"Bo\",\"password\":\"Zebra-Okapi-77\",\"api_token\":\"tok-"
      "1\","
      "\"addresses\":[{\"city\":\"Berlin\",\"Login "
      "PIN\":\"4711\"}],\"note\":\"$2y$10$abcdefghijklmnopqrstuv\"}\n",
      ImportFormat::shopify_json);
  for (std::string_view secret : {"Zebra-Okapi-77", "tok-1", "4711", "$2y$"})
    EXPECT_EQ(shop.find(secret), std::string::npos) << secret << " in " << shop;
  EXPECT_NE(shop.find("\"city\":\"Berlin\""), std::string::npos) << shop;
  EXPECT_NE(shop.find("\"password\":null"), std::string::npos) << shop;
  // Our own document: a plaintext portal password or a Magento hash in attributes go too; the
  // has_password flag and the secret question stay.
  std::string ours = rejects_of(
      "{\"email\":\"bad-email\",\"first_name\":\"Bo\",\"portal\":{\"has_password\":true,\"secret_question\":"
      "\"Jam?\",\"password\":\"Zebra-Okapi-77\"},\"attributes\":{\"magento.password_hash\":\"d708be:salt:1\"}"
      "}\n",
      ImportFormat::jsonl);
  for (std::string_view secret : {"Zebra-Okapi-77", "d708be"})
    EXPECT_EQ(ours.find(secret), std::string::npos) << secret << " in " << ours;
  EXPECT_NE(ours.find("\"has_password\":true"), std::string::npos) << ours;
  EXPECT_NE(ours.find("\"secret_question\":\"Jam?\""), std::string::npos) << ours;
}

TEST_F(ImportTest, AJsonLineWithInvalidUtf8IsNamedAsSuch) {
  auto r = run("{\"email\":\"a@example.com\",\"first_name\":\"\xff\"}\n", ImportFormat::jsonl);
  ASSERT_EQ(r.rejected, 1);
  ASSERT_EQ(r.rows.at(0).violations.size(), 1u);
  EXPECT_EQ(r.rows[0].violations[0].rule, "text.invalid_utf8");
  EXPECT_EQ(r.rows[0].violations[0].message, "line 1 is not valid UTF-8 at byte 39 of the line (byte 255)");
}

TEST_F(ImportTest, TwoColumnsOfOneNameAreRefusedAndAnEmptyFileSaysSo) {
  auto status =
      run_status("Email,First Name,Email\nann@example.com,Ann,other@example.com\n", ImportFormat::shopify);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(violations_of(status).size(), 1u);
  EXPECT_EQ(violations_of(status)[0].rule, "import.duplicate_column");
  EXPECT_EQ(
      violations_of(status)[0].message,
      "the header has column 'Email' twice (columns 1 and 3); which one holds the value cannot be told — "
      "rename or remove one");
  EXPECT_FALSE(get("ann@example.com").ok());
  EXPECT_FALSE(get("other@example.com").ok());

  auto empty = run("", ImportFormat::shopify);
  EXPECT_EQ(empty.rows_read, 0);
  ASSERT_EQ(empty.warnings.size(), 1u);
  EXPECT_EQ(empty.warnings[0].rule, "import.empty_file");
}

TEST_F(ImportTest, ColumnsNamedAsSecretsAndMisalignedRowsKeepSecretsOutOfReportsAndRejects) {
  // Shopify has no password column: `Password` is unknown (not imported), and its cells never written out.
  std::string shopify_rejects = rejects_of(
      "Email,First Name,Password,new_password\nbad@,Bo,Zebra-Okapi-77,Quasar-99\n", ImportFormat::shopify);
  EXPECT_EQ(shopify_rejects,
            "Email,First Name,Password,new_password,import_error\n"
            "bad@,Bo,,,email: email.domain_empty: e-mail 'bad@' has nothing after the '@'\n");
  // A row one cell short in a file with a password column: the cell in the e-mail's place may be the
  // password, so the record is reported without an e-mail.
  ImportOptions o;
  o.mapping = boost::json::object{{"Name", "first_name"}, {"Pass", "password"}, {"Email", "email"}};
  auto r = run("Name,Pass,Email\nBo,s3cret-pw\n", ImportFormat::generic, o);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_FALSE(r.rows.at(0).email.has_value());
  EXPECT_EQ(rules(r.rows[0]), Strings{"csv.cell_count"});
}

TEST_F(ImportTest, TwoColumnsGivingOneFieldAreReportedOnce) {
  auto r =
      run("Email,First Name,Address1,Default Address Address1,Default Address City,Default Address Country "
          "Code,Default Address Zip\n"
          "a@example.com,A,1 Old St,2 New St,Berlin,DE,10115\n",
          ImportFormat::shopify);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rule, "import.columns_overlap");
  EXPECT_EQ(r.warnings[0].field, "addresses[0].address1");
  EXPECT_EQ(
      r.warnings[0].message,
      "columns 'Address1' and 'Default Address Address1' both give addresses[0].address1; where a row fills "
      "both, only one value is kept");
}

TEST_F(ImportTest, HashesInAnyColumnOrMessageAreNeverRepeated) {
  // A bcrypt hash in a note, a Magento hash and an Argon2 hash in columns not named as secrets: the reject
  // file writes "[hash]" for each; a message that quotes such a value says "[hash]" too.
  const std::string bcrypt = "$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
  const std::string magento =
      "d708be3fe0fd17e20ca6aa1a9dbcc0cc2c3c87f6ea7c5bbb4a6ee7b4ad3e7f83:mgLqkqgTwLPLlCljzvF8hp67fNOOvOZb:1";
  std::string rejects = rejects_of(
      "Email,First Name,Note,Tags\nbad@,Bo,\"see " + bcrypt + "\"," + magento + "\n", ImportFormat::shopify);
  EXPECT_EQ(rejects,
            "Email,First Name,Note,Tags,import_error\n"
            "bad@,Bo,see [hash],[hash],email: email.domain_empty: e-mail 'bad@' has nothing after the '@'\n");
  auto r = run(shopify(",Bo,,zip@example.com,,,1 Main St,,Berlin,,DE," + bcrypt + ",,,,,,,,\n"));
  ASSERT_EQ(r.rejected, 1);
  bool quoted_zip = false;
  for (const auto& v : r.rows.at(0).violations) {
    EXPECT_EQ(v.message.find("$2y$"), std::string::npos) << v.message;
    quoted_zip |= v.message.find("[hash]") != std::string::npos;
  }
  EXPECT_TRUE(quoted_zip);
}

TEST_F(ImportTest, FormulaGuardApostropheIsRemovedFromAnyCell) {
  // What the Shopify export writes for a cell a spreadsheet would run: an apostrophe first. Any other
  // leading apostrophe is data (O'Brien's nickname 'Bo).
  auto r =
      run(shopify(",'=1+2,'-dash,a@example.com,,,,,,,,,,'+1 617 555 0101,,,,'@note,,\n"
                  ",'Bo,Smith,b@example.com,,,,,,,,,,,,,,,,\n"));
  ASSERT_EQ(r.accepted, 2);
  auto a = doc("a@example.com");
  EXPECT_EQ(a["first_name"], "=1+2");
  EXPECT_EQ(a["last_name"], "-dash");
  EXPECT_EQ(a["phone"].as_object()["e164"], "+16175550101");
  EXPECT_EQ(a["note"], "@note");
  EXPECT_EQ(doc("b@example.com")["first_name"], "'Bo");
}

TEST_F(ImportTest, MagentoUnmodelledColumnsBecomeAttributes) {
  run(std::string(kComposite) + "ana@example.com,base,Ana,Example,,1973-12-15,,,,,,,,,,,\n",
      ImportFormat::magento_composite);
  EXPECT_EQ(doc("ana@example.com")["attributes"],
            (boost::json::object{{"magento._website", "base"}, {"magento.dob", "1973-12-15"}}));
}

TEST_F(ImportTest, MagentoAddressFaxBecomesTheCustomerFax) {
  run(std::string(kComposite) +
          "ana@example.com,base,Ana,Example,,,Cambridge,US,,,02138,MA,"
          "12 Example Street,,+1 617 555 0150,,\n",
      ImportFormat::magento_composite);
  EXPECT_EQ(doc("ana@example.com")["fax"].as_object()["e164"], "+16175550150");
}

TEST_F(ImportTest, MagentoAdminWebsiteIsRejected) {
  auto r = run("email,_website,firstname,lastname\nana@example.com,admin,Ana,Example\n",
               ImportFormat::magento_customer);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"magento.admin_website"});
}

TEST_F(ImportTest, MagentoAddressFileNeedsAnExistingCustomer) {
  std::string file =
      "_website,_email,_entity_id,city,country_id,firstname,lastname,postcode,region,street,telephone,"
      "_address_default_billing_,_address_default_shipping_\n"
      "base,ana@example.com,7,Hoboken,US,Ana,Example,07030,NJ,1 Sample Road,,1,\n";
  auto r = run(file, ImportFormat::magento_address);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(rules(r.rows[0]), Strings{"customer.not_found"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"email"});

  run(shopify(",Ana,Example,ana@example.com,,,12 Example Street,,Cambridge,MA,US,02138,,,,,,,,\n"));
  r = run(file, ImportFormat::magento_address);
  EXPECT_EQ(r.accepted, 1);
  auto c = doc("ana@example.com");
  const auto& a = c["addresses"].as_array();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(c["default_billing_address_id"], a[1].as_object().at("id"));
  EXPECT_EQ(c["default_shipping_address_id"], a[0].as_object().at("id"));
}

// ---- Generic CSV ----------------------------------------------------------------------------------------

TEST_F(ImportTest, GenericMappingWithConstants) {
  ImportOptions o;
  o.mapping = boost::json::object{{"columns", boost::json::object{{"Mail", "email"},
                                                                  {"Name", "full_name"},
                                                                  {"Street", "addresses[0].address1"},
                                                                  {"Town", "addresses[0].city"},
                                                                  {"ST", "addresses[0].state"},
                                                                  {"ZIP", "addresses[0].zip"},
                                                                  {"Web", "attributes.web"},
                                                                  {"Skip", nullptr}}},
                                  {"constants", boost::json::object{{"addresses[0].region", "US"}}}};
  auto r =
      run("Mail,Name,Street,Town,ST,ZIP,Web,Skip\n"
          "ana@example.com,Ana Maria Example,12 Example Street,Cambridge,MA,02138,http://a.example,x\n",
          ImportFormat::generic, o);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_TRUE(r.warnings.empty());
  auto c = doc("ana@example.com");
  EXPECT_EQ(c["first_name"], "Ana Maria");
  EXPECT_EQ(c["last_name"], "Example");
  EXPECT_EQ(c["attributes"], (boost::json::object{{"web", "http://a.example"}}));
  EXPECT_EQ(c["addresses"].as_array().at(0).as_object().at("region"), "US");
}

TEST_F(ImportTest, GenericMappingWithAnUnknownTargetIsRefused) {
  ImportOptions o;
  o.mapping = boost::json::object{{"Mail", "email"}, {"Zip", "addresses[0].postcode"}};
  auto s = run_status("Mail,Zip\na@example.com,1\n", ImportFormat::generic, o);
  ASSERT_EQ(violations_of(s).size(), 1u);
  EXPECT_EQ(violations_of(s)[0].rule, "import.bad_mapping");
}

TEST_F(ImportTest, GenericMappingWithAMisspelledSettingIsRefused) {
  ImportOptions o;
  o.mapping = boost::json::object{{"columns", boost::json::object{{"Mail", "email"}}},
                                  {"constant", boost::json::object{{"addresses[0].region", "US"}}}};
  auto s = run_status("Mail\na@example.com\n", ImportFormat::generic, o);
  ASSERT_EQ(violations_of(s).size(), 1u);
  EXPECT_EQ(violations_of(s)[0].rule, "import.bad_mapping");
}

TEST_F(ImportTest, GenericMappingWithoutEmailIsRefused) {
  ImportOptions o;
  o.mapping = boost::json::object{{"Name", "full_name"}};
  auto s = run_status("Name\nAna\n", ImportFormat::generic, o);
  ASSERT_EQ(violations_of(s).size(), 1u);
  EXPECT_EQ(violations_of(s)[0].rule, "import.missing_column");
}

TEST_F(ImportTest, GenericActiveColumnSetsStatus) {
  ImportOptions o;
  o.mapping = boost::json::object{{"email", "email"}, {"firstname", "first_name"}, {"active", "active"}};
  run("email;firstname;active\na@example.com;A;0\n", ImportFormat::generic, o);
  EXPECT_EQ(doc("a@example.com")["status"], "Inactive");
}

// ---- JSON -----------------------------------------------------------------------------------------------

TEST_F(ImportTest, GenericJsonArrayWithWildcardAddresses) {
  ImportOptions o;
  o.mapping = boost::json::object{{"mail", "email"},
                                  {"name.first", "first_name"},
                                  {"places[*].street", "addresses[*].address1"},
                                  {"places[*].city", "addresses[*].city"},
                                  {"places[*].zip", "addresses[*].zip"},
                                  {"places[*].state", "addresses[*].state"},
                                  {"places[*].country", "addresses[*].region"}};
  auto r = run(R"([
  {"mail": "ana@example.com", "name": {"first": "Ana"},
   "places": [{"street": "12 Example Street", "city": "Cambridge", "zip": "02138", "state": "MA", "country": "US"},
              {"street": "1 Sample Road", "city": "Hoboken", "zip": "07030", "state": "NJ", "country": "US"}]},
  {"mail": "ben@example.org", "name": {"first": "Ben"}, "places": [{"zip": 7030, "street": "x", "city": "y",
   "state": "NJ", "country": "US"}]}
])",
               ImportFormat::generic_json, o);
  EXPECT_EQ(r.accepted, 1);
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(r.rows[0].line, 5);
  EXPECT_EQ(rules(r.rows[0]), Strings{"zip.not_text"});
  EXPECT_EQ(fields(r.rows[0]), Strings{"addresses[0].zip"});
  EXPECT_EQ(doc("ana@example.com")["addresses"].as_array().size(), 2u);
}

TEST_F(ImportTest, GenericJsonLinesReportTheirLines) {
  ImportOptions o;
  o.mapping = boost::json::object{{"email", "email"}, {"first", "first_name"}};
  auto r = run("{\"email\":\"a@example.com\",\"first\":\"A\"}\n\n{\"email\":\"b@example.com\"}\nnot json\n",
               ImportFormat::generic_json, o);
  EXPECT_EQ(r.rows_read, 3);
  EXPECT_EQ(r.accepted, 1);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].line, 3);
  EXPECT_EQ(r.rows[1].line, 4);
  EXPECT_EQ(rules(r.rows[1]), Strings{"json.syntax"});
}

TEST_F(ImportTest, GenericJsonRecordsPath) {
  ImportOptions o;
  o.mapping = boost::json::object{{"records", "data.customers"},
                                  {"fields", boost::json::object{{"email", "email"}, {"name", "full_name"}}}};
  auto r =
      run(R"({"data": {"customers": [{"email": "a@example.com", "name": "Ana Example"}]}, "errors": []})",
          ImportFormat::generic_json, o);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_EQ(doc("a@example.com")["last_name"], "Example");
}

TEST_F(ImportTest, UnmappedJsonMemberWarnsOnce) {
  ImportOptions o;
  o.mapping = boost::json::object{{"email", "email"}, {"first", "first_name"}};
  auto r =
      run(R"([{"email": "a@example.com", "first": "A", "ssn": "1"}, {"email": "b@example.com", "first": "B",
  "ssn": "2"}])",
          ImportFormat::generic_json, o);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].field, "ssn");
}

TEST_F(ImportTest, ShopifyJsonCustomerObject) {
  auto r = run(R"({"customer": {"id": 207119551, "email": "bob@example.com", "first_name": "Bob",
    "last_name": "Norman", "accepts_marketing": true, "tags": "Buyer, Canadian", "tax_exempt": false,
    "state": "disabled", "addresses": [{"address1": "Chestnut Street 92", "city": "Louisville",
    "province": "Kentucky", "province_code": "KY", "country_code": "US", "zip": "40202", "name": "",
    "company": null, "default": true}]}})",
               ImportFormat::shopify_json);
  EXPECT_EQ(r.accepted, 1);
  auto c = doc("bob@example.com");
  EXPECT_EQ(c["tags"], (boost::json::array{"Buyer", "Canadian"}));
  EXPECT_EQ(c["external_refs"].as_array().at(0).as_object().at("id"), "207119551");
  EXPECT_EQ(c["newsletter"].as_object()["subscribed"], true);
  EXPECT_EQ(c["attributes"], (boost::json::object{{"shopify.state", "disabled"}}));
  const auto& a = c["addresses"].as_array().at(0).as_object();
  EXPECT_EQ(a.at("name"), "Bob Norman");
  EXPECT_EQ(a.at("state"), "US-KY");
}

TEST_F(ImportTest, ShopifyJsonEmailMarketingConsentState) {
  run(R"([{"id": 1, "email": "a@example.com", "first_name": "A",
           "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in"}}])",
      ImportFormat::shopify_json);
  EXPECT_EQ(doc("a@example.com")["newsletter"].as_object()["subscribed"], true);
}

// ---- The import.csv command -----------------------------------------------------------------------------

TEST_F(ImportTest, ImportCommandReturnsTheImportResult) {
  auto r = engine_.execute(
      boost::json::object{{"op", "import.csv"},
                          {"format", "shopify"},
                          {"csv", "Email,First Name,Colour\na@example.com,A,red\nb@example.com,,blue\n"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("accepted"), 1);
  EXPECT_EQ(r.result.as_object().at("rejected"), 1);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rule, "import.unknown_column");
  EXPECT_TRUE(get("a@example.com").ok());
}

TEST_F(ImportTest, ImportCommandDryRunStoresNothing) {
  auto r = engine_.execute(boost::json::object{{"op", "import.csv"},
                                               {"format", "shopify"},
                                               {"dry_run", true},
                                               {"csv", "Email,First Name\na@example.com,A\n"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("accepted"), 1);
  EXPECT_FALSE(get("a@example.com").ok());
}

TEST_F(ImportTest, ImportCommandTakesAMapping) {
  auto r = engine_.execute(boost::json::object{{"op", "import.csv"},
                                               {"format", "generic"},
                                               {"mapping", R"({"Mail": "email", "Given": "first_name"})"},
                                               {"csv", "Mail,Given\na@example.com,A\n"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(doc("a@example.com")["first_name"], "A");
}

TEST_F(ImportTest, ImportCommandRefusesAnUnknownFormat) {
  auto r = engine_.execute(boost::json::object{{"op", "import.csv"}, {"format", "excel"}, {"csv", ""}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(error_code_of(r.status), ErrorCode::invalid_argument);
  EXPECT_EQ(violations_of(r.status).at(0).rule, "import.unknown_format");
}

TEST_F(ImportTest, ImportCommandIsNotForCustomers) {
  auto r = engine_.execute(
      boost::json::object{{"op", "import.csv"}, {"actor", "customer"}, {"format", "shopify"}, {"csv", ""}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
}

TEST(ImportFormatNames, RoundTrip) {
  for (auto f : {ImportFormat::shopify, ImportFormat::shopify_json, ImportFormat::magento_customer,
                 ImportFormat::magento_address, ImportFormat::magento_composite, ImportFormat::generic,
                 ImportFormat::generic_json, ImportFormat::jsonl}) {
    EXPECT_EQ(parse_import_format(to_string(f)), f);
  }
  EXPECT_EQ(to_string(ImportFormat::magento_composite), "magento-composite");
  EXPECT_FALSE(parse_import_format("csv").has_value());
}

}  // namespace
}  // namespace leadcustomers
