// The customer core through the command engine: creation rules, updates, status transitions, types,
// companies, consent, search and paging — exact codes, field paths and rule ids.
#include <string>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

class CustomerCommands : public ::testing::Test {
 protected:
  CustomerCommands() : clock_(absl::FromUnixSeconds(1767607200)), engine_(store_, options(), &clock_) {}

  static EngineOptions options() {
    EngineOptions o;
    o.hash_limits = HashLimits::minimum();
    return o;
  }

  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }

  static std::string code(const Result& r) { return std::string(error_code_name(error_code_of(r.status))); }
  static Violation first(const Result& r) {
    auto v = violations_of(r.status);
    return v.empty() ? Violation{} : v.front();
  }
  static std::string str(const Result& r, std::string_view key) {
    return std::string(r.result.as_object().at(key).as_string());
  }

  Result create_ana() {
    return run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
                   "first_name":"Ana","last_name":"Example","email":"ana.example@example.com"})");
  }

  MemoryStore store_;
  FixedClock clock_;
  Engine engine_;
};

TEST_F(CustomerCommands, CreateReturnsTheFullDocumentWithNullsForAbsentValues) {
  auto r = create_ana();
  ASSERT_TRUE(r.ok()) << r.status;
  const auto& doc = r.result.as_object();
  EXPECT_EQ(doc.at("id").as_string(), "018f0000-0000-7000-8000-000000000001");
  EXPECT_EQ(doc.at("status").as_string(), "Active");
  EXPECT_EQ(doc.at("version").as_int64(), 1);
  EXPECT_TRUE(doc.at("phone").is_null());
  EXPECT_TRUE(doc.at("company_id").is_null());
  EXPECT_EQ(boost::json::serialize(doc.at("newsletter")),
            R"({"subscribed":false,"opt_in_level":null,"source":null,"updated_at":null})");
  EXPECT_EQ(doc.at("created_at").as_string(), "2026-01-05T10:00:00.000Z");
  EXPECT_FALSE(doc.at("erased").as_bool());
}

TEST_F(CustomerCommands, CreateRequiresCustomerTypeId) {
  auto r = run(R"({"op":"customer.create","first_name":"Ana","email":"ana@example.com"})");
  EXPECT_EQ(code(r), "VALIDATION_FAILED");
  EXPECT_EQ(first(r).field, "customer_type_id");
  EXPECT_EQ(first(r).rule, "customer_type_id.required");
}

TEST_F(CustomerCommands, ReportsEveryViolationAtOnce) {
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"","last_name":"",
                   "email":"not-an-email","fax":"9.19961E+11"})");
  ASSERT_EQ(code(r), "VALIDATION_FAILED");
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].field, "first_name");
  EXPECT_EQ(v[0].rule, "name.required");
  EXPECT_EQ(v[1].field, "email");
  EXPECT_EQ(v[1].rule, "email.missing_at");
  EXPECT_EQ(v[2].field, "fax");
  EXPECT_EQ(v[2].rule, "phone.spreadsheet_mangled");
}

TEST_F(CustomerCommands, WrongTypeInsideArraysAndObjectsIsInvalidArgument) {
  auto tags = run(
      R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"a@example.com","tags":[7]})");
  EXPECT_EQ(code(tags), "INVALID_ARGUMENT");
  EXPECT_EQ(first(tags).field, "tags[0]");
  EXPECT_EQ(first(tags).rule, "command.wrong_type");
  auto refs = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"a@example.com",
                      "external_refs":[{"system":"shopify","id":7022551234}]})");
  EXPECT_EQ(code(refs), "INVALID_ARGUMENT");
  EXPECT_EQ(first(refs).field, "external_refs[0].id");
  auto attrs = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"a@example.com",
                       "attributes":{"magento.gender":1}})");
  EXPECT_EQ(code(attrs), "INVALID_ARGUMENT");
  EXPECT_EQ(first(attrs).field, "attributes.magento.gender");
}

TEST_F(CustomerCommands, UnknownFieldIsRefusedNamingIt) {
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana","email":"a@example.com",
                   "emial":"typo@example.com"})");
  EXPECT_EQ(code(r), "INVALID_ARGUMENT");
  EXPECT_EQ(first(r).field, "emial");
  EXPECT_EQ(first(r).rule, "command.unknown_field");
}

TEST_F(CustomerCommands, UnknownOpIsInvalidArgument) {
  auto r = run(R"({"op":"customer.explode"})");
  EXPECT_EQ(code(r), "INVALID_ARGUMENT");
  EXPECT_EQ(first(r).rule, "command.unknown_op");
  EXPECT_EQ(first(r).message, "unknown op 'customer.explode'");
}

TEST_F(CustomerCommands, NamesFromTheCommandAreEscapedInMessages) {
  // A right-to-left override or an ESC in an op or field name must not reorder or drive a log or terminal.
  auto op = run("{\"op\":\"cust\u202Eomer\\u001b\"}");
  EXPECT_EQ(first(op).message, "unknown op 'cust\\u{202E}omer\\u{1B}'");
  auto field =
      run("{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Ana\","
          "\"email\":\"a@example.com\",\"na\u202Eme\":1}");
  EXPECT_EQ(first(field).rule, "command.unknown_field");
  EXPECT_EQ(first(field).message, "'customer.create' has no field 'na\\u{202E}me'");
}

TEST_F(CustomerCommands, BadJsonIsInvalidArgumentNotACrash) {
  auto line = engine_.execute_json("{\"op\": ");
  EXPECT_EQ(line.rfind(R"({"ok":false,"error":{"code":"INVALID_ARGUMENT")", 0), 0u) << line;
}

TEST_F(CustomerCommands, BadJsonSaysWhereTheParserStopped) {
  auto message = [&](std::string_view text) {
    Result r = engine_.execute_text(text);
    EXPECT_EQ(error_code_of(r.status), ErrorCode::invalid_argument);
    auto v = violations_of(r.status);
    EXPECT_EQ(v.size(), 1u);
    if (v.size() == 1) {
      EXPECT_EQ(v[0].field, "");
      EXPECT_EQ(v[0].rule, "command.bad_json");
      EXPECT_EQ(v[0].message, std::string(r.status.message()));
    }
    return std::string(r.status.message());
  };
  EXPECT_EQ(message(R"({"op":"customer.get","email":"a@example.com",})"),
            "the command is not valid JSON: syntax error at column 46 (byte offset 45)");
  // Columns count characters; offsets count bytes ("é" is two).
  EXPECT_EQ(message(R"({"é":1 2})"),
            "the command is not valid JSON: syntax error at column 8 (byte offset 8)");
  EXPECT_EQ(message(R"({"op":"customer.get"} x)"),
            "the command is not valid JSON: extra data at column 23 (byte offset 22)");
  EXPECT_EQ(message("{\"op\": "),
            "the command is not valid JSON: incomplete JSON at column 8 (byte offset 7)");
  EXPECT_EQ(message("\xEF\xBB\xBF{}"),
            "the command is not valid JSON: syntax error at column 1 (byte offset 0)");
}

// Large lists and objects cost linear time and answer with a bounded error (a 1 MB command of 100k made-up
// members, tags or attributes used to take seconds and answer megabytes).
TEST_F(CustomerCommands, RepeatedKeyIsFoundAmongManyMembers) {
  std::string attributes;
  for (int i = 0; i < 40; ++i) attributes += "\"k" + std::to_string(i) + "\":\"v\",";
  auto doc = boost::json::parse(engine_.execute_json(
      R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"t@example.com","attributes":{)" +
      attributes + R"("k7":"again"}})"));
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("field").as_string(), "attributes.k7");
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("rule").as_string(), "command.duplicate_field");
}

TEST_F(CustomerCommands, UnknownFieldsAreNamedUpToFiftyThenCounted) {
  boost::json::object cmd{
      {"op", "customer.create"}, {"customer_type_id", 1}, {"first_name", "A"}, {"email", "t@example.com"}};
  for (int i = 0; i < 60; ++i) cmd["u" + std::to_string(i)] = 1;
  auto r = engine_.execute(cmd);
  const auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 51u);
  EXPECT_EQ(v[0], (Violation{"u0", "command.unknown_field", "'customer.create' has no field 'u0'"}));
  EXPECT_EQ(v[49].field, "u49");
  EXPECT_EQ(v[50], (Violation{"", "command.unknown_field",
                              "'customer.create' has 10 more unknown fields (the first 50 are named)"}));
}

TEST_F(CustomerCommands, TagsRepeatedPastTheFirstFewAreStillFoldedTogether) {
  boost::json::array tags;
  for (int i = 0; i < 30; ++i) tags.push_back(boost::json::string("Tag " + std::to_string(i)));
  tags.push_back("TAG 3");
  tags.push_back("tag 25");
  auto r = engine_.execute(boost::json::object{{"op", "customer.create"},
                                               {"customer_type_id", 1},
                                               {"first_name", "A"},
                                               {"email", "t@example.com"},
                                               {"tags", tags}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("tags").as_array().size(), 30u);
}

TEST_F(CustomerCommands, ViolationsAreListedUpToAHundredThenCounted) {
  boost::json::array tags;
  for (int i = 0; i < 150; ++i) tags.push_back(1);
  auto r = engine_.execute(boost::json::object{{"op", "customer.create"},
                                               {"customer_type_id", 1},
                                               {"first_name", "A"},
                                               {"email", "t@example.com"},
                                               {"tags", tags}});
  const auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 101u);
  EXPECT_EQ(v[0],
            (Violation{"tags[0]", "command.wrong_type", "field 'tags[0]' must be a string, not number 1"}));
  EXPECT_EQ(v[100], (Violation{"", "violations.truncated", "50 more violations (the first 100 are listed)"}));
}

TEST_F(CustomerCommands, MoreThanFiftyExternalRefsAreRefused) {
  boost::json::array refs;
  for (int i = 0; i < 51; ++i)
    refs.push_back(boost::json::object{{"system", "s"}, {"id", std::to_string(i)}});
  auto r = engine_.execute(boost::json::object{{"op", "customer.create"},
                                               {"customer_type_id", 1},
                                               {"first_name", "A"},
                                               {"email", "t@example.com"},
                                               {"external_refs", refs}});
  EXPECT_EQ(first(r),
            (Violation{"external_refs", "external_refs.too_many", "has 51 external refs (at most 50)"}));
  refs.pop_back();
  auto fifty = engine_.execute(boost::json::object{{"op", "customer.create"},
                                                   {"customer_type_id", 1},
                                                   {"first_name", "A"},
                                                   {"email", "t@example.com"},
                                                   {"external_refs", refs}});
  EXPECT_TRUE(fifty.ok()) << fifty.status;
}

TEST_F(CustomerCommands, RepeatedKeyIsRefusedNamingIt) {
  auto line = engine_.execute_json(
      R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"t@example.com","first_name":"B"})");
  auto doc = boost::json::parse(line).as_object();
  EXPECT_EQ(doc.at("error").at("code").as_string(), "INVALID_ARGUMENT");
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("field").as_string(), "first_name");
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("rule").as_string(), "command.duplicate_field");
  auto nested = boost::json::parse(engine_.execute_json(
      R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"t@example.com",
          "addresses":[{"name":"A","region":"DE"},{"name":"A","name":"B"}]})"));
  EXPECT_EQ(nested.at("error").at("violations").at(0).at("field").as_string(), "addresses[1].name");
}

TEST_F(CustomerCommands, InvalidUtf8InTheTextNamesTheField) {
  auto line = engine_.execute_json(
      "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"An\xff"
      "a\",\"email\":\"a@example.com\"}");
  auto doc = boost::json::parse(line).as_object();
  EXPECT_EQ(doc.at("error").at("code").as_string(), "INVALID_ARGUMENT");
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("field").as_string(), "first_name");
  EXPECT_EQ(doc.at("error").at("violations").at(0).at("rule").as_string(), "text.invalid_utf8");
}

TEST_F(CustomerCommands, RepeatedCreateWithSameIdAndContentIsIdempotent) {
  ASSERT_TRUE(create_ana().ok());
  clock_.advance(absl::Minutes(1));
  auto again = create_ana();
  ASSERT_TRUE(again.ok()) << again.status;
  EXPECT_EQ(again.result.as_object().at("version").as_int64(), 1);
  auto different = run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001",
      "customer_type_id":1,"first_name":"Bob","email":"bob@example.com"})");
  EXPECT_EQ(code(different), "ALREADY_EXISTS");
  EXPECT_EQ(first(different).field, "id");
}

TEST_F(CustomerCommands, EmailUniquenessIgnoresCaseAndArchivedCustomersDoNotBlock) {
  ASSERT_TRUE(create_ana().ok());
  auto dup = run(
      R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"ANA.example@EXAMPLE.com"})");
  EXPECT_EQ(code(dup), "ALREADY_EXISTS");
  EXPECT_EQ(first(dup).rule, "email.taken");
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived","reason":"left"})")
                  .ok());
  auto fresh =
      run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000002","customer_type_id":1,
                       "first_name":"Ana","email":"ana.example@example.com"})");
  ASSERT_TRUE(fresh.ok()) << fresh.status;
  auto get = run(R"({"op":"customer.get","email":"Ana.Example@example.com"})");
  EXPECT_EQ(str(get, "id"), "018f0000-0000-7000-8000-000000000002");
  // Restoring the archived one now collides on the e-mail.
  auto restore = run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                         "status":"Active"})");
  EXPECT_EQ(code(restore), "ALREADY_EXISTS");
  EXPECT_EQ(first(restore).field, "email");
}

TEST_F(CustomerCommands, LookupByEmailFallsBackToMostRecentlyArchived) {
  ASSERT_TRUE(create_ana().ok());
  ASSERT_TRUE(
      run(R"({"op":"customer.set_status","email":"ana.example@example.com","status":"Archived"})").ok());
  auto get = run(R"({"op":"customer.get","email":"ana.example@example.com"})");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(str(get, "status"), "Archived");
}

TEST_F(CustomerCommands, UpdateChangesOnlyGivenFieldsAndNullClears) {
  ASSERT_TRUE(run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
      "first_name":"Ana","last_name":"Example","email":"ana@example.com","note":"first","phone":"+12015550123"})")
                  .ok());
  auto r = run(R"({"op":"customer.update","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "last_name":"Sample","note":null})");
  ASSERT_TRUE(r.ok()) << r.status;
  const auto& doc = r.result.as_object();
  EXPECT_EQ(doc.at("first_name").as_string(), "Ana");
  EXPECT_EQ(doc.at("last_name").as_string(), "Sample");
  EXPECT_TRUE(doc.at("note").is_null());
  EXPECT_EQ(doc.at("phone").as_object().at("e164").as_string(), "+12015550123");
  EXPECT_EQ(doc.at("version").as_int64(), 2);
}

TEST_F(CustomerCommands, UpdateWithNoChangeKeepsVersion) {
  ASSERT_TRUE(create_ana().ok());
  auto r = run(
      R"({"op":"customer.update","customer_id":"018f0000-0000-7000-8000-000000000001","first_name":"Ana"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.result.as_object().at("version").as_int64(), 1);
}

TEST_F(CustomerCommands, ExpectedVersionMismatchIsConflictAndChangesNothing) {
  ASSERT_TRUE(create_ana().ok());
  auto r = run(R"({"op":"customer.update","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "first_name":"Bob","expected_version":7})");
  EXPECT_EQ(code(r), "CONFLICT");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(first(r).field, "expected_version");
  auto get = run(R"({"op":"customer.get","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  EXPECT_EQ(str(get, "first_name"), "Ana");
}

TEST_F(CustomerCommands, UpdateNamesTheCustomerOnlyByCustomerId) {
  ASSERT_TRUE(create_ana().ok());
  auto r = run(R"({"op":"customer.update","email":"new@example.com"})");
  EXPECT_EQ(code(r), "INVALID_ARGUMENT");
  EXPECT_EQ(first(r).field, "customer_id");
}

TEST_F(CustomerCommands, PossibleButInvalidPhoneIsAcceptedWithWarning) {
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana","email":"a@example.com",
                   "phone":"+1 123 456 7890"})");
  ASSERT_TRUE(r.ok()) << r.status;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].field, "phone");
  EXPECT_EQ(r.warnings[0].rule, "phone.not_valid");
}

TEST_F(CustomerCommands, SpreadsheetMangledPhoneIsRefused) {
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana","email":"a@example.com",
                   "fax":"9.19961E+11"})");
  EXPECT_EQ(code(r), "VALIDATION_FAILED");
  EXPECT_EQ(first(r).field, "fax");
  EXPECT_EQ(first(r).rule, "phone.spreadsheet_mangled");
}

TEST_F(CustomerCommands, CheckoutUsesTypeOneAndRefusesATypeId) {
  auto r = run(
      R"({"op":"checkout.create_customer","first_name":"Zoë","email":"zoe@example.com","newsletter":true})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("customer_type_id").as_int64(), 1);
  EXPECT_EQ(r.result.as_object().at("newsletter").as_object().at("source").as_string(),
            "storefront_checkout");
  EXPECT_EQ(r.result.as_object().at("newsletter").as_object().at("opt_in_level").as_string(), "single");
  auto refused = run(
      R"({"op":"checkout.create_customer","customer_type_id":2,"first_name":"Z","email":"z@example.com"})");
  EXPECT_EQ(code(refused), "INVALID_ARGUMENT");
  EXPECT_EQ(first(refused).field, "customer_type_id");
}

TEST_F(CustomerCommands, InactiveCustomerTypeCannotBeAssigned) {
  ASSERT_TRUE(run(R"({"op":"customer_type.create","id":2,"name":"Wholesale","status":"Inactive"})").ok());
  auto r = run(R"({"op":"customer.create","customer_type_id":2,"first_name":"A","email":"a@example.com"})");
  EXPECT_EQ(first(r).rule, "customer_type.not_active");
  auto missing =
      run(R"({"op":"customer.create","customer_type_id":9,"first_name":"A","email":"a@example.com"})");
  EXPECT_EQ(first(missing).rule, "customer_type.not_found");
}

TEST_F(CustomerCommands, TypeOneCannotBeArchivedAndDefaultMoves) {
  auto r = run(R"({"op":"customer_type.update","id":1,"status":"Archived"})");
  EXPECT_EQ(code(r), "FAILED_PRECONDITION");
  EXPECT_EQ(first(r).rule, "customer_type.protected");
  ASSERT_TRUE(run(R"({"op":"customer_type.create","id":2,"name":"Wholesale","is_default":true})").ok());
  auto one = run(R"({"op":"customer_type.update","id":1})");
  ASSERT_TRUE(one.ok());
  EXPECT_FALSE(one.result.as_object().at("is_default").as_bool());
  auto dup = run(R"({"op":"customer_type.create","name":"WHOLESALE"})");
  EXPECT_EQ(code(dup), "ALREADY_EXISTS");
  EXPECT_EQ(first(dup).rule, "customer_type.name_taken");
}

TEST_F(CustomerCommands, ArchivedCompanyCannotBeAssigned) {
  ASSERT_TRUE(run(R"({"op":"company.create","id":"018f0000-0000-7000-8000-0000000c0001","name":"Acme",
                      "status":"Archived"})")
                  .ok());
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"a@example.com",
                   "company_id":"018f0000-0000-7000-8000-0000000c0001"})");
  EXPECT_EQ(code(r), "VALIDATION_FAILED");
  EXPECT_EQ(first(r).field, "company_id");
  EXPECT_EQ(first(r).rule, "company.not_active");
}

TEST_F(CustomerCommands, CustomerActorMayNotReactivateOrArchive) {
  ASSERT_TRUE(create_ana().ok());
  auto r = run(
      R"({"op":"customer.set_status","actor":"customer","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "status":"Archived"})");
  EXPECT_EQ(code(r), "PERMISSION_DENIED");
  EXPECT_EQ(first(r).field, "status");
  auto sys = run(
      R"({"op":"customer.set_status","actor":"system","customer_id":"018f0000-0000-7000-8000-000000000001",
                     "status":"Inactive"})");
  ASSERT_TRUE(sys.ok());
  auto back = run(
      R"({"op":"customer.set_status","actor":"system","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Active"})");
  EXPECT_EQ(code(back), "PERMISSION_DENIED");
}

TEST_F(CustomerCommands, NewsletterUnsubscribeNeedsNoLevel) {
  ASSERT_TRUE(create_ana().ok());
  auto sub = run(R"({"op":"newsletter.set","email":"ana.example@example.com","subscribed":true,
                     "source":"customer_portal","opt_in_level":"confirmed"})");
  ASSERT_TRUE(sub.ok()) << sub.status;
  clock_.advance(absl::Hours(1));
  auto unsub =
      run(R"({"op":"newsletter.set","email":"ana.example@example.com","subscribed":false,"source":"api"})");
  ASSERT_TRUE(unsub.ok()) << unsub.status;
  EXPECT_EQ(
      boost::json::serialize(unsub.result.as_object().at("newsletter")),
      R"({"subscribed":false,"opt_in_level":null,"source":"api","updated_at":"2026-01-05T11:00:00.000Z"})");
  auto missing = run(R"({"op":"newsletter.set","email":"ana.example@example.com","subscribed":true})");
  EXPECT_EQ(first(missing).field, "source");
}

TEST_F(CustomerCommands, AddressIdOfAnotherCustomerIsAlreadyExists) {
  constexpr char kAddress[] = R"({"id":"018f0000-0000-7000-8000-0000000001a1","name":"B","region":"DE",
                                  "address1":"1 Str","city":"Berlin","zip":"10115"})";
  ASSERT_TRUE(
      run(std::string(
              R"({"op":"customer.create","customer_type_id":1,"first_name":"B","email":"b1@example.com",
                                  "addresses":[)") +
          kAddress + "]}")
          .ok());
  auto inline_taken = run(std::string(R"({"op":"customer.create","customer_type_id":1,"first_name":"C",
                                          "email":"b2@example.com","addresses":[)") +
                          kAddress + "]}");
  EXPECT_EQ(code(inline_taken), "ALREADY_EXISTS");
  EXPECT_EQ(first(inline_taken).field, "addresses[0].id");
  ASSERT_TRUE(create_ana().ok());
  auto add = run(std::string(R"({"op":"address.add","customer_id":"018f0000-0000-7000-8000-000000000001",)") +
                 std::string(kAddress).substr(1));
  EXPECT_EQ(code(add), "ALREADY_EXISTS");
  EXPECT_EQ(first(add).field, "id");
}

TEST_F(CustomerCommands, AbridgedCreateInABulkTransactionAnswersIdsOnly) {
  Result r;
  ASSERT_TRUE(
      store_
          .write([&](StoreTx& tx) {
            r = engine_.execute_in(
                tx,
                boost::json::parse(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001",
                          "customer_type_id":1,"first_name":"Ana","email":"ana@example.com",
                          "addresses":[{"id":"018f0000-0000-7000-8000-000000000a01","name":"Ana","region":"DE",
                                        "address1":"1 Str","city":"Berlin","zip":"10115"}]})")
                    .as_object(),
                /*abridged=*/true);
            return r.status;
          })
          .ok());
  EXPECT_EQ(boost::json::serialize(r.result),
            R"({"id":"018f0000-0000-7000-8000-000000000001","version":1,)"
            R"("addresses":[{"id":"018f0000-0000-7000-8000-000000000a01"}]})");
  EXPECT_EQ(str(run(R"({"op":"customer.get","email":"ana@example.com"})"), "first_name"), "Ana");
}

TEST_F(CustomerCommands, ZipAsJsonNumberIsRefused) {
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"A","email":"a@example.com",
                   "addresses":[{"name":"A","region":"US","state":"NJ","address1":"1 Road","city":"Hoboken","zip":7030}]})");
  EXPECT_EQ(code(r), "INVALID_ARGUMENT");
  EXPECT_EQ(first(r).field, "addresses[0].zip");
}

TEST_F(CustomerCommands, SearchPagesByCursorWithoutRepeatsOrSkips) {
  for (int i = 0; i < 5; ++i) {
    auto r = run(
        boost::json::serialize(boost::json::object{{"op", "customer.create"},
                                                   {"customer_type_id", 1},
                                                   {"first_name", "Ana"},
                                                   {"last_name", "Page" + std::to_string(i)},
                                                   {"email", "ana" + std::to_string(i) + "@example.com"}}));
    ASSERT_TRUE(r.ok());
  }
  auto page1 = run(R"({"op":"customer.search","text":"ana","limit":2})");
  ASSERT_TRUE(page1.ok()) << page1.status;
  ASSERT_EQ(page1.result.as_object().at("customers").as_array().size(), 2u);
  std::string cursor(page1.result.as_object().at("next_cursor").as_string());
  // A customer added between pages sorts last and does not shift the next page.
  ASSERT_TRUE(
      run(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana","email":"late@example.com"})")
          .ok());
  auto page2 = run(R"({"op":"customer.search","text":"ana","limit":2,"cursor":")" + cursor + R"("})");
  const auto& c2 = page2.result.as_object().at("customers").as_array();
  ASSERT_EQ(c2.size(), 2u);
  EXPECT_EQ(c2[0].as_object().at("last_name").as_string(), "Page2");
  EXPECT_EQ(c2[1].as_object().at("last_name").as_string(), "Page3");
  auto by_email = run(R"({"op":"customer.search","text":"ana3@"})");
  EXPECT_EQ(by_email.result.as_object().at("customers").as_array().size(), 1u);
}

}  // namespace
}  // namespace leadcustomers
