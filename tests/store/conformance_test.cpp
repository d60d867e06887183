// The store conformance suite (SPEC §6): the same tests against every store — MemoryStore, SqliteStore on a
// file, SqliteStore in memory. Commands go through the Engine (the rules live there once); the StoreTx tests
// pin what a store itself must do (round trips, uniqueness, savepoints, paging). Every case of
// ../shared/cases runs against each store too.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "leadcustomers/case_runner.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/document.hpp"
#include "store/store_fixtures.hpp"
#include "support/test_support.hpp"

namespace leadcustomers {
namespace {

using leadcustomers::testing::make_store;
using leadcustomers::testing::ScratchDir;

constexpr const char* kId1 = "018f0000-0000-7000-8000-000000000001";
constexpr const char* kId2 = "018f0000-0000-7000-8000-000000000002";
constexpr const char* kId3 = "018f0000-0000-7000-8000-000000000003";
constexpr const char* kCompany = "018f0000-0000-7000-8000-00000000c001";

std::string id_n(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "018f0000-0000-7000-8000-%012d", n);
  return buf;
}

boost::json::object address_json(std::string_view name = "Ana Example") {
  return {{"name", name},        {"region", "US"}, {"state", "MA"}, {"address1", "12 Example Street"},
          {"city", "Cambridge"}, {"zip", "02139"}};
}

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = make_store(GetParam(), dir_);
    ASSERT_NE(store_, nullptr);
    EngineOptions options;
    options.hash_limits = HashLimits::minimum();
    engine_ = std::make_unique<Engine>(*store_, options, &clock_);
  }

  Result exec(const boost::json::object& cmd) { return engine_->execute(cmd); }

  Result create(std::string_view id, std::string_view first, std::string_view last, std::string_view email,
                boost::json::object extra = {}) {
    boost::json::object cmd{{"op", "customer.create"}, {"id", id},          {"customer_type_id", 1},
                            {"first_name", first},     {"last_name", last}, {"email", email}};
    for (auto& [k, v] : extra) cmd[k] = v;
    return exec(cmd);
  }

  // Ids of a customer.search result, and its next_cursor ("" when null).
  std::pair<std::vector<std::string>, std::string> search(boost::json::object query) {
    query["op"] = "customer.search";
    Result r = exec(query);
    EXPECT_TRUE(r.ok()) << r.status;
    std::vector<std::string> ids;
    std::string cursor;
    if (!r.ok()) return {ids, cursor};
    for (const auto& c : r.result.at("customers").as_array()) ids.emplace_back(c.at("id").as_string());
    const auto& next = r.result.at("next_cursor");
    if (next.is_string()) cursor = std::string(next.as_string());
    return {ids, cursor};
  }

  CustomerAggregate get(std::string_view id) {
    auto agg = engine_->get_customer(*CustomerId::parse(id));
    EXPECT_TRUE(agg.ok()) << agg.status();
    return agg.ok() ? *agg : CustomerAggregate{};
  }

  ScratchDir dir_;
  FixedClock clock_{parse_timestamp("2026-01-05T10:00:00.000Z").value()};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
};

#define LC_EXPECT_OK(expr) EXPECT_EQ((expr), absl::OkStatus())

std::string violation_field(const Result& r) {
  auto v = violations_of(r.status);
  return v.empty() ? "" : v[0].field;
}

std::string violation_rule(const Result& r) {
  auto v = violations_of(r.status);
  return v.empty() ? "" : v[0].rule;
}

// ---------------------------------------------------------------------------------------------------
// Commands through the engine.

TEST_P(StoreConformance, CreatedCustomerReadsBackAsTheSameDocument) {
  Result created =
      create(kId1, "Zoë", "O’Example", "Zoe@Example.com",
             {{"tags", boost::json::array{"vip", "b2b"}},
              {"attributes", boost::json::object{{"magento.dob", "1980-01-02"}}},
              {"note", "line one\nline two"},
              {"newsletter", true},
              {"addresses", boost::json::array{address_json()}},
              {"external_refs",
               boost::json::array{boost::json::object{{"system", "shopify"}, {"id", "7022551234"}}}}});
  ASSERT_TRUE(created.ok()) << created.status;
  Result by_id = exec({{"op", "customer.get"}, {"customer_id", kId1}});
  ASSERT_TRUE(by_id.ok()) << by_id.status;
  EXPECT_EQ(boost::json::serialize(by_id.result), boost::json::serialize(created.result));
  Result by_email = exec({{"op", "customer.get"}, {"email", "zoe@example.com"}});
  ASSERT_TRUE(by_email.ok()) << by_email.status;
  EXPECT_EQ(by_email.result.at("id").as_string(), kId1);
  EXPECT_EQ(by_email.result.at("version").as_int64(), 1);
}

TEST_P(StoreConformance, AggregateKeepsHistoryAndConsentLedger) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com", {{"newsletter", true}}).ok());
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(
      exec({{"op", "newsletter.set"}, {"customer_id", kId1}, {"subscribed", false}, {"source", "api"}}).ok());
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(
      exec({{"op", "customer.set_status"}, {"customer_id", kId1}, {"status", "Inactive"}, {"reason", "r"}})
          .ok());
  auto agg = get(kId1);
  ASSERT_EQ(agg.consent.size(), 2u);
  EXPECT_TRUE(agg.consent[0].to);
  EXPECT_FALSE(agg.consent[1].to);
  EXPECT_EQ(agg.consent[1].source, ConsentSource::api);
  ASSERT_EQ(agg.history.size(), 2u);
  EXPECT_EQ(agg.history[0].event, "created");
  EXPECT_EQ(agg.history[1].event, "status_changed");
  EXPECT_EQ(agg.history[1].to, Status::inactive);
  EXPECT_EQ(agg.history[1].at, parse_timestamp("2026-01-05T10:02:00.000Z").value());
  EXPECT_EQ(agg.customer.version, 3);
}

TEST_P(StoreConformance, EmailTakenIgnoringCaseIsAlreadyExistsOnEmail) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  Result r = create(kId2, "Ana", "Other", "ANA@Example.com");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  EXPECT_EQ(violation_field(r), "email");
  EXPECT_EQ(exec({{"op", "customer.get"}, {"customer_id", kId2}}).status.code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreConformance, ArchivedCustomerFreesItsEmailAndStaysFindable) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(exec({{"op", "customer.set_status"}, {"customer_id", kId1}, {"status", "Archived"}}).ok());
  Result archived = exec({{"op", "customer.get"}, {"email", "ana@example.com"}});
  ASSERT_TRUE(archived.ok());
  EXPECT_EQ(archived.result.at("id").as_string(), kId1);
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(create(kId2, "Ana", "Again", "ana@example.com").ok());
  Result live = exec({{"op", "customer.get"}, {"email", "ana@example.com"}});
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live.result.at("id").as_string(), kId2);
  // Archive the second too: the most recently archived one answers.
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(exec({{"op", "customer.set_status"}, {"customer_id", kId2}, {"status", "Archived"}}).ok());
  Result latest = exec({{"op", "customer.get"}, {"email", "ana@example.com"}});
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest.result.at("id").as_string(), kId2);
}

TEST_P(StoreConformance, RestoringArchivedCustomerWithTakenEmailIsAlreadyExists) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  ASSERT_TRUE(exec({{"op", "customer.set_status"}, {"customer_id", kId1}, {"status", "Archived"}}).ok());
  ASSERT_TRUE(create(kId2, "Ana", "Again", "ana@example.com").ok());
  Result r = exec({{"op", "customer.set_status"}, {"customer_id", kId1}, {"status", "Active"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  EXPECT_EQ(violation_field(r), "email");
  EXPECT_EQ(get(kId1).customer.status, Status::archived);
}

TEST_P(StoreConformance, StaleExpectedVersionIsConflictAndChangesNothing) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  ASSERT_TRUE(
      exec(
          {{"op", "customer.update"}, {"customer_id", kId1}, {"first_name", "Anna"}, {"expected_version", 1}})
          .ok());
  Result stale = exec(
      {{"op", "customer.update"}, {"customer_id", kId1}, {"first_name", "Hanna"}, {"expected_version", 1}});
  EXPECT_EQ(error_code_of(stale.status), ErrorCode::conflict);
  EXPECT_EQ(violation_field(stale), "expected_version");
  auto agg = get(kId1);
  EXPECT_EQ(agg.customer.first_name, "Anna");
  EXPECT_EQ(agg.customer.version, 2);
}

TEST_P(StoreConformance, VersionGrowsOnlyWhenSomethingChanges) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  ASSERT_TRUE(exec({{"op", "customer.update"}, {"customer_id", kId1}, {"first_name", "Ana"}}).ok());
  EXPECT_EQ(get(kId1).customer.version, 1);
  ASSERT_TRUE(exec({{"op", "customer.update"}, {"customer_id", kId1}, {"note", "hello"}}).ok());
  EXPECT_EQ(get(kId1).customer.version, 2);
}

TEST_P(StoreConformance, UnknownCustomerIsNotFound) {
  Result r = exec({{"op", "customer.get"}, {"customer_id", kId3}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(violation_field(r), "customer_id");
  Result by_email = exec({{"op", "customer.get"}, {"email", "nobody@example.com"}});
  EXPECT_EQ(error_code_of(by_email.status), ErrorCode::not_found);
  EXPECT_EQ(violation_field(by_email), "email");
}

TEST_P(StoreConformance, ExternalRefOfAnotherCustomerIsAlreadyExists) {
  boost::json::object refs{
      {"external_refs", boost::json::array{boost::json::object{{"system", "Shopify"}, {"id", "42"}}}}};
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com", refs).ok());
  Result r = create(kId2, "Bea", "Example", "bea@example.com", refs);
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  EXPECT_EQ(violation_field(r), "external_refs[0]");
  EXPECT_EQ(violation_rule(r), "external_ref.taken");
}

TEST_P(StoreConformance, AddressBookKeepsOrderAndDefaultsAcrossRemoval) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com",
                     {{"addresses", boost::json::array{address_json("First"), address_json("Second"),
                                                       address_json("Third")}}})
                  .ok());
  auto agg = get(kId1);
  ASSERT_EQ(agg.addresses.size(), 3u);
  const std::string first = agg.addresses[0].id.str();
  const std::string second = agg.addresses[1].id.str();
  EXPECT_EQ(agg.customer.default_shipping_address_id, agg.addresses[0].id);
  EXPECT_EQ(agg.customer.default_billing_address_id, agg.addresses[0].id);
  Result refused = exec({{"op", "address.remove"}, {"customer_id", kId1}, {"address_id", first}});
  EXPECT_EQ(error_code_of(refused.status), ErrorCode::failed_precondition);
  EXPECT_EQ(violation_rule(refused), "address.is_default");
  ASSERT_TRUE(exec({{"op", "address.remove"}, {"customer_id", kId1}, {"address_id", second}}).ok());
  ASSERT_TRUE(exec({{"op", "address.add"},
                    {"customer_id", kId1},
                    {"name", "Fourth"},
                    {"region", "US"},
                    {"state", "NY"},
                    {"address1", "1 Main St"},
                    {"city", "Albany"},
                    {"zip", "12207"}})
                  .ok());
  agg = get(kId1);
  std::vector<std::string> names;
  for (const auto& a : agg.addresses) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"First", "Third", "Fourth"}));
  EXPECT_EQ(agg.customer.version, 3);
}

TEST_P(StoreConformance, RecreatingTheSameIdWithOtherContentIsAlreadyExists) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  EXPECT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  Result other = create(kId1, "Bea", "Example", "ana@example.com");
  EXPECT_EQ(error_code_of(other.status), ErrorCode::already_exists);
  EXPECT_EQ(get(kId1).customer.first_name, "Ana");
}

// ---------------------------------------------------------------------------------------------------
// Search and paging.

TEST_P(StoreConformance, SearchPagesByIdWithoutRepeatsOrSkipsWhileOthersAreAdded) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(create(id_n(10 + i), "Ana", "Example", "ana" + std::to_string(i) + "@example.com").ok());
  }
  auto [page1, cursor1] = search({{"limit", 2}});
  EXPECT_EQ(page1, (std::vector<std::string>{id_n(11), id_n(12)}));
  EXPECT_EQ(cursor1, id_n(12));
  // Added meanwhile: one before the cursor (not in this pass), one after (it shows up at the end).
  ASSERT_TRUE(create(id_n(1), "Ana", "Early", "early@example.com").ok());
  ASSERT_TRUE(create(id_n(99), "Ana", "Late", "late@example.com").ok());
  auto [page2, cursor2] = search({{"limit", 2}, {"cursor", cursor1}});
  EXPECT_EQ(page2, (std::vector<std::string>{id_n(13), id_n(14)}));
  auto [page3, cursor3] = search({{"limit", 2}, {"cursor", cursor2}});
  EXPECT_EQ(page3, (std::vector<std::string>{id_n(15), id_n(99)}));
  EXPECT_EQ(cursor3, "");
}

TEST_P(StoreConformance, SearchMatchesFoldedNamePrefixes) {
  ASSERT_TRUE(create(kId1, "Zoë", "Smith", "z1@example.com").ok());
  ASSERT_TRUE(create(kId2, "Ann", "Zoeller", "z2@example.com").ok());
  ASSERT_TRUE(create(kId3, "Bob", "Brown", "z3@example.com").ok());
  EXPECT_EQ(search({{"text", "zoe"}}).first, (std::vector<std::string>{kId1, kId2}));
  EXPECT_EQ(search({{"text", "ZOË SM"}}).first, (std::vector<std::string>{kId1}));
  EXPECT_EQ(search({{"text", "smi"}}).first, (std::vector<std::string>{kId1}));
  EXPECT_EQ(search({{"text", "mith"}}).first, (std::vector<std::string>{}));
}

TEST_P(StoreConformance, SearchMatchesEmailPrefixButNotErasedOrMiddle) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "qa.lead@example.com").ok());
  ASSERT_TRUE(create(kId2, "Bea", "Example", "QA.Team@example.org").ok());
  EXPECT_EQ(search({{"text", "qa.t"}}).first, (std::vector<std::string>{kId2}));
  EXPECT_EQ(search({{"text", "qa."}}).first, (std::vector<std::string>{kId1, kId2}));
  EXPECT_EQ(search({{"text", "example.com"}}).first, (std::vector<std::string>{}));
}

TEST_P(StoreConformance, SearchMatchesCompanyNamePrefix) {
  ASSERT_TRUE(exec({{"op", "company.create"}, {"id", kCompany}, {"name", "Ácme Tools"}}).ok());
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com", {{"company_id", kCompany}}).ok());
  ASSERT_TRUE(create(kId2, "Bea", "Example", "bea@example.com").ok());
  EXPECT_EQ(search({{"text", "acme to"}}).first, (std::vector<std::string>{kId1}));
  EXPECT_EQ(search({{"company_id", kCompany}}).first, (std::vector<std::string>{kId1}));
}

TEST_P(StoreConformance, SearchMatchesPhoneDigitsAnywhereInTheNumber) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com", {{"phone", "+1 201 555 0123"}}).ok());
  ASSERT_TRUE(create(kId2, "Bea", "Example", "bea@example.com", {{"phone", "+1 617 555 0199"}}).ok());
  EXPECT_EQ(search({{"text", "555-01"}}).first, (std::vector<std::string>{kId1, kId2}));
  EXPECT_EQ(search({{"text", "(201) 555"}}).first, (std::vector<std::string>{kId1}));
  EXPECT_EQ(search({{"text", "999"}}).first, (std::vector<std::string>{}));
}

TEST_P(StoreConformance, SearchFiltersByStatusTypeAndRegion) {
  ASSERT_TRUE(exec({{"op", "customer_type.create"}, {"id", 2}, {"name", "Wholesale"}}).ok());
  ASSERT_TRUE(
      create(kId1, "Ana", "Example", "ana@example.com", {{"addresses", boost::json::array{address_json()}}})
          .ok());
  ASSERT_TRUE(create(kId2, "Bea", "Example", "bea@example.com", {{"customer_type_id", 2}}).ok());
  boost::json::object de{
      {"name", "Cem"}, {"region", "DE"}, {"address1", "Str. 1"}, {"city", "Berlin"}, {"zip", "10115"}};
  ASSERT_TRUE(
      create(kId3, "Cem", "Example", "cem@example.com", {{"addresses", boost::json::array{de}}}).ok());
  ASSERT_TRUE(exec({{"op", "customer.set_status"}, {"customer_id", kId3}, {"status", "Inactive"}}).ok());
  EXPECT_EQ(search({{"status", "Inactive"}}).first, (std::vector<std::string>{kId3}));
  EXPECT_EQ(search({{"customer_type_id", 2}}).first, (std::vector<std::string>{kId2}));
  EXPECT_EQ(search({{"region", "us"}}).first, (std::vector<std::string>{kId1}));
  EXPECT_EQ(search({{"region", "DE"}, {"text", "cem"}}).first, (std::vector<std::string>{kId3}));
  EXPECT_EQ(search({{"status", "Active"}, {"text", "example"}}).first,
            (std::vector<std::string>{kId1, kId2}));
}

// ---------------------------------------------------------------------------------------------------
// Transactions, savepoints and the bulk path.

TEST_P(StoreConformance, BulkPathUndoesOnlyTheFailingCommand) {
  std::vector<boost::json::object> commands = {
      {{"op", "customer.create"},
       {"id", kId1},
       {"customer_type_id", 1},
       {"first_name", "Ana"},
       {"email", "ana@example.com"}},
      {{"op", "customer.create"},
       {"id", kId2},
       {"customer_type_id", 1},
       {"first_name", "Dup"},
       {"email", "ANA@example.com"}},
      {{"op", "customer.create"},
       {"id", kId3},
       {"customer_type_id", 1},
       {"first_name", "Cem"},
       {"email", "cem@example.com"}},
  };
  std::vector<Result> results;
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    for (const auto& cmd : commands) {
      Result r;
      (void)tx.savepoint([&](StoreTx& t) {
        r = engine_->execute_in(t, cmd);
        return r.status;
      });
      results.push_back(std::move(r));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(error_code_of(results[1].status), ErrorCode::already_exists);
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(search({}).first, (std::vector<std::string>{kId1, kId3}));
}

CustomerAggregate bare_customer(std::string_view id, std::string_view email) {
  CustomerAggregate agg;
  agg.customer.id = *CustomerId::parse(id);
  agg.customer.first_name = "Ana";
  agg.customer.email = std::string(email);
  agg.customer.email_key = std::string(email);
  agg.customer.created_at = agg.customer.updated_at = parse_timestamp("2026-01-05T10:00:00.000Z").value();
  agg.customer.version = 1;
  return agg;
}

TEST_P(StoreConformance, FailedSavepointUndoesItsWritesAndKeepsEarlierOnes) {
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    EXPECT_TRUE(tx.put_customer(bare_customer(kId1, "a@example.com"), nullptr).ok());
    auto inner = tx.savepoint([&](StoreTx& t) -> absl::Status {
      EXPECT_TRUE(t.put_customer(bare_customer(kId2, "b@example.com"), nullptr).ok());
      auto nested = t.savepoint(
          [&](StoreTx& n) { return n.put_customer(bare_customer(kId3, "c@example.com"), nullptr); });
      EXPECT_TRUE(nested.ok());
      return absl::AbortedError("give up");
    });
    EXPECT_EQ(inner.code(), absl::StatusCode::kAborted);
    auto two = tx.load_customer(*CustomerId::parse(kId2));
    EXPECT_TRUE(two.ok() && !two->has_value());
    auto by_email = tx.find_live_by_email_key("b@example.com");
    EXPECT_TRUE(by_email.ok() && !by_email->has_value());
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(search({}).first, (std::vector<std::string>{kId1}));
}

TEST_P(StoreConformance, FailedWriteCallbackCommitsNothing) {
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    EXPECT_TRUE(tx.put_customer(bare_customer(kId1, "a@example.com"), nullptr).ok());
    return absl::InternalError("stop");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(search({}).first, (std::vector<std::string>{}));
}

TEST_P(StoreConformance, WritingInAReadTransactionIsInternal) {
  auto status = store_->read(
      [&](StoreTx& tx) { return tx.put_customer(bare_customer(kId1, "a@example.com"), nullptr); });
  EXPECT_EQ(error_code_of(status), ErrorCode::internal);
  EXPECT_EQ(status.message(), "write in a read transaction");
}

// ---------------------------------------------------------------------------------------------------
// The StoreTx contract itself.

CustomerAggregate full_customer() {
  const absl::Time t0 = parse_timestamp("2026-01-05T10:00:00.000Z").value();
  CustomerAggregate agg;
  auto& c = agg.customer;
  c.id = *CustomerId::parse(kId1);
  c.customer_type_id = 1;
  c.status = Status::inactive;
  c.first_name = "Zoë";
  c.last_name = "O’Example-Ñuñez";
  c.email = "Zoe+Shop@xn--mnchen-3ya.example";
  c.email_key = "zoe+shop@xn--mnchen-3ya.example";
  c.phone = Phone{"+12015550123", "136"};
  c.fax = Phone{"+12015550124", std::nullopt};
  c.newsletter = {true, OptInLevel::confirmed, ConsentSource::import, t0 + absl::Milliseconds(5)};
  c.tags = {"vip", "b2b", "ünïcode \"quoted\""};
  c.note = "line one\nline two";
  c.tax_exempt = false;
  c.attributes = {{"magento.dob", "1980-01-02"}, {"magento.gender", "f"}};
  c.external_refs = {{"shopify", "7022551234"}, {"magento", "17"}};
  c.created_at = t0;
  c.updated_at = t0 + absl::Seconds(90);
  c.version = 7;
  Address a1;
  a1.id = *AddressId::parse("018f0000-0000-7000-8000-000000000a01");
  a1.customer_id = c.id;
  a1.name = "Zoë Example";
  a1.region = "US";
  a1.state = "US-MA";
  a1.phone = Phone{"+16175550100", std::nullopt};
  a1.address1 = "12 Example Street";
  a1.address2 = "Apt 4";
  a1.city = "Cambridge";
  a1.zip = "02139";
  a1.business_name = "Example LLC";
  Address a2;
  a2.id = *AddressId::parse("018f0000-0000-7000-8000-000000000a02");
  a2.customer_id = c.id;
  a2.name = "Zoë at work";
  a2.status = AddressStatus::inactive;
  a2.region = "DE";
  a2.address1 = "Hauptstraße 1";
  agg.addresses = {a1, a2};
  c.default_shipping_address_id = a1.id;
  c.default_billing_address_id = a1.id;
  agg.portal = {"First pet?", "$argon2id$v=19$answer", std::nullopt, 2, t0 + absl::Minutes(15)};
  agg.consent = {
      {t0, false, true, OptInLevel::single, ConsentSource::storefront_checkout, Actor::customer},
      {t0 + absl::Seconds(1), true, true, OptInLevel::confirmed, ConsentSource::import, Actor::system}};
  agg.history = {
      {t0, Actor::staff, "created", std::nullopt, Status::active, ""},
      {t0 + absl::Seconds(90), Actor::staff, "status_changed", Status::active, Status::inactive, "why"}};
  return agg;
}

absl::StatusOr<std::optional<CustomerAggregate>> load(Store& store, std::string_view id) {
  absl::StatusOr<std::optional<CustomerAggregate>> out = std::optional<CustomerAggregate>();
  auto status = store.read([&](StoreTx& tx) -> absl::Status {
    out = tx.load_customer(*CustomerId::parse(id));
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status put(Store& store, const CustomerAggregate& after, const CustomerAggregate* before) {
  return store.write([&](StoreTx& tx) { return tx.put_customer(after, before); });
}

TEST_P(StoreConformance, PutThenLoadRoundTripsEveryField) {
  auto agg = full_customer();
  ASSERT_TRUE(put(*store_, agg, nullptr).ok());
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status();
  EXPECT_EQ(**loaded, agg);
}

TEST_P(StoreConformance, PutWithSnapshotAppliesEveryKindOfChange) {
  auto before = full_customer();
  ASSERT_TRUE(put(*store_, before, nullptr).ok());
  auto after = before;
  after.customer.first_name = "Zoe";
  after.customer.tags.clear();
  after.customer.attributes.clear();
  after.customer.external_refs = {{"magento", "17"}};
  after.customer.phone.reset();
  after.addresses.erase(after.addresses.begin());  // the second moves to position 0
  after.addresses[0].city = "Berlin";
  Address a3 = before.addresses[0];
  a3.id = *AddressId::parse("018f0000-0000-7000-8000-000000000a03");
  after.addresses.push_back(a3);
  after.portal = PortalLogin{};
  after.consent.pop_back();  // not a prefix: the ledger is rewritten
  after.history.push_back({parse_timestamp("2026-01-06T00:00:00.000Z").value(), Actor::system, "erased",
                           std::nullopt, std::nullopt, ""});
  after.customer.version = 8;
  ASSERT_TRUE(put(*store_, after, &before).ok());
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value()) << loaded.status();
  EXPECT_EQ(**loaded, after);
}

TEST_P(StoreConformance, PutWithoutSnapshotOverAnExistingIdReplacesIt) {
  auto first = full_customer();
  ASSERT_TRUE(put(*store_, first, nullptr).ok());
  auto replacement = bare_customer(kId1, "new@example.com");
  ASSERT_TRUE(put(*store_, replacement, nullptr).ok());
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ(**loaded, replacement);
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto old_ref = tx.find_by_external_ref("shopify", "7022551234");
    EXPECT_TRUE(old_ref.ok() && !old_ref->has_value());
    auto old_email = tx.find_live_by_email_key(first.customer.email_key);
    EXPECT_TRUE(old_email.ok() && !old_email->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

TEST_P(StoreConformance, PutWithoutSnapshotKeepingTheEmailReplacesIt) {
  auto first = full_customer();
  first.customer.status = Status::active;
  ASSERT_TRUE(put(*store_, first, nullptr).ok());
  auto replacement = bare_customer(kId1, first.customer.email);
  replacement.customer.email_key = first.customer.email_key;
  ASSERT_TRUE(put(*store_, replacement, nullptr).ok());
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ(**loaded, replacement);
}

TEST_P(StoreConformance, StoreRefusesASecondLiveCustomerWithTheSameEmailKey) {
  ASSERT_TRUE(put(*store_, bare_customer(kId1, "ana@example.com"), nullptr).ok());
  auto status = put(*store_, bare_customer(kId2, "ana@example.com"), nullptr);
  EXPECT_EQ(error_code_of(status), ErrorCode::already_exists);
  ASSERT_EQ(violations_of(status).size(), 1u);
  EXPECT_EQ(violations_of(status)[0].field, "email");
  EXPECT_EQ(violations_of(status)[0].rule, "email.taken");
  EXPECT_EQ(status.message(), "e-mail 'ana@example.com' is already taken");
  auto loaded = load(*store_, kId2);
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
}

TEST_P(StoreConformance, ArchivedAndErasedCustomersDoNotHoldTheEmailKey) {
  auto archived = bare_customer(kId1, "ana@example.com");
  archived.customer.status = Status::archived;
  auto erased = bare_customer(kId2, "ana@example.com");
  erased.customer.erased = true;
  auto live = bare_customer(kId3, "ana@example.com");
  ASSERT_TRUE(put(*store_, archived, nullptr).ok());
  ASSERT_TRUE(put(*store_, erased, nullptr).ok());
  ASSERT_TRUE(put(*store_, live, nullptr).ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto l = tx.find_live_by_email_key("ana@example.com");
    EXPECT_TRUE(l.ok() && *l == CustomerId::parse(kId3));
    auto a = tx.find_archived_by_email_key("ana@example.com");
    EXPECT_TRUE(a.ok() && *a == CustomerId::parse(kId1));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

TEST_P(StoreConformance, MostRecentlyUpdatedArchivedCustomerAnswersTheEmail) {
  auto older = bare_customer(kId2, "ana@example.com");
  older.customer.status = Status::archived;
  auto newer = bare_customer(kId1, "ana@example.com");
  newer.customer.status = Status::archived;
  newer.customer.updated_at += absl::Minutes(1);
  auto tie = bare_customer(kId3, "other@example.com");
  ASSERT_TRUE(put(*store_, older, nullptr).ok());
  ASSERT_TRUE(put(*store_, newer, nullptr).ok());
  ASSERT_TRUE(put(*store_, tie, nullptr).ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto a = tx.find_archived_by_email_key("ana@example.com");
    EXPECT_TRUE(a.ok() && *a == CustomerId::parse(kId1));
    auto none = tx.find_archived_by_email_key("other@example.com");
    EXPECT_TRUE(none.ok() && !none->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

TEST_P(StoreConformance, TakenExternalRefFailsThePutAndWritesNothing) {
  auto first = bare_customer(kId1, "a@example.com");
  first.customer.external_refs = {{"shopify", "1"}};
  ASSERT_TRUE(put(*store_, first, nullptr).ok());
  auto second = bare_customer(kId2, "b@example.com");
  second.customer.external_refs = {{"magento", "9"}, {"shopify", "1"}};
  auto status = put(*store_, second, nullptr);
  EXPECT_EQ(error_code_of(status), ErrorCode::already_exists);
  ASSERT_EQ(violations_of(status).size(), 1u);
  EXPECT_EQ(violations_of(status)[0].field, "external_refs");
  EXPECT_EQ(violations_of(status)[0].rule, "external_ref.taken");
  auto check = store_->read([&](StoreTx& tx) -> absl::Status {
    auto c = tx.load_customer(*CustomerId::parse(kId2));
    EXPECT_TRUE(c.ok() && !c->has_value());
    auto e = tx.find_live_by_email_key("b@example.com");
    EXPECT_TRUE(e.ok() && !e->has_value());
    auto r = tx.find_by_external_ref("magento", "9");
    EXPECT_TRUE(r.ok() && !r->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(check.ok());
}

TEST_P(StoreConformance, DeletedCustomerFreesItsEmailAndRefs) {
  auto agg = full_customer();
  agg.customer.status = Status::active;
  ASSERT_TRUE(put(*store_, agg, nullptr).ok());
  ASSERT_TRUE(store_->write([&](StoreTx& tx) { return tx.delete_customer(agg.customer.id); }).ok());
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto e = tx.find_live_by_email_key(agg.customer.email_key);
    EXPECT_TRUE(e.ok() && !e->has_value());
    auto r = tx.find_by_external_ref("shopify", "7022551234");
    EXPECT_TRUE(r.ok() && !r->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
  // The same id and e-mail can be stored again.
  EXPECT_TRUE(put(*store_, agg, nullptr).ok());
}

TEST_P(StoreConformance, CustomerTypesListInIdOrderWithTheDefaultType) {
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    EXPECT_TRUE(tx.put_customer_type({3, "Retail", Status::inactive, false, true}).ok());
    EXPECT_TRUE(tx.put_customer_type({2, "Wholesale", Status::active, false, false}).ok());
    EXPECT_TRUE(tx.put_customer_type({2, "Wholesale EU", Status::active, false, true}).ok());
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok());
  status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto types = tx.list_customer_types();
    EXPECT_TRUE(types.ok());
    EXPECT_EQ(*types, (std::vector<CustomerType>{{1, "Default", Status::active, true, false},
                                                 {2, "Wholesale EU", Status::active, false, true},
                                                 {3, "Retail", Status::inactive, false, true}}));
    auto missing = tx.load_customer_type(9);
    EXPECT_TRUE(missing.ok() && !missing->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

TEST_P(StoreConformance, TransactionReadsItsOwnTypeWritesAndNotRolledBackOnes) {
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    auto before = tx.load_customer_type(1);
    EXPECT_TRUE(before.ok() && before->has_value() && (*before)->name == "Default");
    auto missing = tx.load_customer_type(2);
    EXPECT_TRUE(missing.ok() && !missing->has_value());
    LC_EXPECT_OK(tx.put_customer_type({2, "Wholesale", Status::active, false, false}));
    auto added = tx.load_customer_type(2);
    EXPECT_TRUE(added.ok() && added->has_value() && (*added)->name == "Wholesale");
    (void)tx.savepoint([&](StoreTx& t) -> absl::Status {
      LC_EXPECT_OK(t.put_customer_type({1, "Renamed", Status::active, true, false}));
      auto renamed = t.load_customer_type(1);
      EXPECT_TRUE(renamed.ok() && renamed->has_value() && (*renamed)->name == "Renamed");
      return absl::AbortedError("undo the rename");
    });
    auto after = tx.load_customer_type(1);
    EXPECT_TRUE(after.ok() && after->has_value() && (*after)->name == "Default");
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_P(StoreConformance, CompaniesListInIdOrder) {
  const absl::Time t0 = parse_timestamp("2026-01-05T10:00:00.000Z").value();
  Company b{*CompanyId::parse("018f0000-0000-7000-8000-00000000c002"), "Beta", Status::active, t0};
  Company a{*CompanyId::parse("018f0000-0000-7000-8000-00000000c001"), "Alpha", Status::archived, t0};
  ASSERT_TRUE(store_
                  ->write([&](StoreTx& tx) -> absl::Status {
                    EXPECT_TRUE(tx.put_company(b).ok());
                    return tx.put_company(a);
                  })
                  .ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto list = tx.list_companies();
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(*list, (std::vector<Company>{a, b}));
    auto one = tx.load_company(b.id);
    EXPECT_TRUE(one.ok() && *one == b);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

TEST_P(StoreConformance, OrdersListNewestFirstThenByIdDescending) {
  ASSERT_TRUE(put(*store_, bare_customer(kId1, "a@example.com"), nullptr).ok());
  const absl::Time t0 = parse_timestamp("2026-01-05T10:00:00.000Z").value();
  auto customer = *CustomerId::parse(kId1);
  Order o1{*OrderId::parse("018f0000-0000-7000-8000-0000000000e1"),
           customer,
           "1001",
           t0,
           OrderStatus::completed,
           {1999, "USD"},
           2};
  Order o2{*OrderId::parse("018f0000-0000-7000-8000-0000000000e2"),
           customer,
           "1002",
           t0 + absl::Hours(1),
           OrderStatus::pending,
           {500, "EUR"},
           1};
  Order o3{*OrderId::parse("018f0000-0000-7000-8000-0000000000e3"),
           customer,
           "1003",
           t0,
           OrderStatus::refunded,
           {100, "USD"},
           1};
  ASSERT_TRUE(store_
                  ->write([&](StoreTx& tx) -> absl::Status {
                    for (const auto* o : {&o1, &o2, &o3}) EXPECT_TRUE(tx.put_order(*o).ok());
                    return absl::OkStatus();
                  })
                  .ok());
  o1.status = OrderStatus::refunded;
  ASSERT_TRUE(store_->write([&](StoreTx& tx) { return tx.put_order(o1); }).ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto list = tx.list_orders(customer);
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(*list, (std::vector<Order>{o2, o3, o1}));
    auto count = tx.count_orders(customer);
    EXPECT_TRUE(count.ok() && *count == 3);
    auto one = tx.load_order(o1.id);
    EXPECT_TRUE(one.ok() && *one == o1);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok());
}

// The savepoint cases a bulk path meets: one failing write after others, an update undone, a replace undone.
TEST_P(StoreConformance, FailedSavepointUndoesEveryKindOfWriteItMade) {
  auto original = full_customer();
  original.customer.status = Status::active;
  const absl::Time t0 = parse_timestamp("2026-01-05T10:00:00.000Z").value();
  Order order{*OrderId::parse("018f0000-0000-7000-8000-0000000000e1"),
              original.customer.id,
              "1001",
              t0,
              OrderStatus::completed,
              {1999, "USD"},
              2};
  ASSERT_TRUE(store_
                  ->write([&](StoreTx& tx) -> absl::Status {
                    LC_EXPECT_OK(tx.put_customer(original, nullptr));
                    return tx.put_order(order);
                  })
                  .ok());
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    // An update (with its snapshot), then a failure.
    auto updated = original;
    updated.customer.first_name = "Changed";
    updated.addresses.pop_back();
    updated.customer.external_refs = {{"shopify", "new"}};
    EXPECT_EQ(tx.savepoint([&](StoreTx& t) -> absl::Status {
                  LC_EXPECT_OK(t.put_customer(updated, &original));
                  return absl::AbortedError("undo the update");
                }).code(),
              absl::StatusCode::kAborted);
    // A replace (no snapshot) followed by more writes, then a failure.
    auto replacement = bare_customer(kId1, "other@example.com");
    EXPECT_EQ(tx.savepoint([&](StoreTx& t) -> absl::Status {
                  LC_EXPECT_OK(t.put_customer(replacement, nullptr));
                  LC_EXPECT_OK(t.put_customer(bare_customer(kId2, "b@example.com"), nullptr));
                  auto moved = order;
                  moved.status = OrderStatus::refunded;
                  LC_EXPECT_OK(t.put_order(moved));
                  LC_EXPECT_OK(t.put_customer_type({2, "Wholesale", Status::active, false, false}));
                  return absl::AbortedError("undo all four");
                }).code(),
              absl::StatusCode::kAborted);
    // A new customer, then a failure.
    EXPECT_EQ(tx.savepoint([&](StoreTx& t) -> absl::Status {
                  LC_EXPECT_OK(t.put_customer(bare_customer(kId3, "c@example.com"), nullptr));
                  return absl::AbortedError("undo the create");
                }).code(),
              absl::StatusCode::kAborted);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  auto loaded = load(*store_, kId1);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ(**loaded, original);
  EXPECT_EQ(search({}).first, (std::vector<std::string>{kId1}));
  auto check = store_->read([&](StoreTx& tx) -> absl::Status {
    auto o = tx.load_order(order.id);
    EXPECT_TRUE(o.ok() && *o == order);
    auto types = tx.list_customer_types();
    EXPECT_TRUE(types.ok() && types->size() == 1u);
    auto ref = tx.find_by_external_ref("shopify", "7022551234");
    EXPECT_TRUE(ref.ok() && *ref == original.customer.id);
    auto gone = tx.find_by_external_ref("shopify", "new");
    EXPECT_TRUE(gone.ok() && !gone->has_value());
    auto email = tx.find_live_by_email_key(original.customer.email_key);
    EXPECT_TRUE(email.ok() && *email == original.customer.id);
    return absl::OkStatus();
  });
  EXPECT_TRUE(check.ok());
}

TEST_P(StoreConformance, SucceededSavepointsKeepTheirWrites) {
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    for (const char* id : {kId1, kId2, kId3}) {
      auto email = std::string(id).substr(30) + "@example.com";
      LC_EXPECT_OK(
          tx.savepoint([&](StoreTx& t) { return t.put_customer(bare_customer(id, email), nullptr); }));
    }
    LC_EXPECT_OK(tx.savepoint([&](StoreTx& t) -> absl::Status {
      auto a = t.load_customer(*CustomerId::parse(kId1));
      if (!a.ok()) return a.status();
      auto changed = **a;
      changed.customer.note = "two writes";
      LC_EXPECT_OK(t.put_customer(changed, &**a));
      return t.put_customer_type({2, "Wholesale", Status::active, false, false});
    }));
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(search({}).first, (std::vector<std::string>{kId1, kId2, kId3}));
  EXPECT_EQ(get(kId1).customer.note, "two writes");
}

// ---------------------------------------------------------------------------------------------------
// The per-customer views (SPEC §2.5): tickets, opportunities, orders — the StoreTx methods and the views.

const absl::Time kT0 = parse_timestamp("2026-01-05T10:00:00.000Z").value();

Ticket sample_ticket(int n, TicketStatus status, absl::Time created) {
  Ticket t;
  t.id = *TicketId::parse(id_n(100 + n));
  t.customer_id = *CustomerId::parse(kId1);
  t.subject = "Ticket " + std::to_string(n) + " — ünïcode";
  t.status = status;
  t.priority = TicketPriority::urgent;
  t.created_at = created;
  t.updated_at = created + absl::Milliseconds(1);
  return t;
}

Opportunity sample_opportunity(int n, OpportunityStage stage, std::optional<Money> amount) {
  Opportunity o;
  o.id = *OpportunityId::parse(id_n(200 + n));
  o.customer_id = *CustomerId::parse(kId1);
  o.subject = "Opportunity " + std::to_string(n);
  o.stage = stage;
  o.amount = std::move(amount);
  o.created_at = kT0;
  o.updated_at = kT0;
  return o;
}

Order sample_order(int n, absl::Time placed, OrderStatus status, Money total) {
  return Order{*OrderId::parse(id_n(300 + n)),
               *CustomerId::parse(kId1),
               "#" + std::to_string(n),
               placed,
               status,
               std::move(total),
               n};
}

TEST_P(StoreConformance, TicketsAndOpportunitiesRoundTripAndListInIdOrder) {
  ASSERT_TRUE(put(*store_, bare_customer(kId1, "a@example.com"), nullptr).ok());
  Ticket t2 = sample_ticket(2, TicketStatus::pending, kT0);
  Ticket t1 = sample_ticket(1, TicketStatus::closed, kT0 + absl::Hours(1));
  Opportunity o2 = sample_opportunity(2, OpportunityStage::closed_lost, std::nullopt);
  Opportunity o1 = sample_opportunity(1, OpportunityStage::p80, Money{125050, "EUR"});
  o1.expected_close = absl::CivilDay(2026, 3, 31);
  ASSERT_TRUE(store_
                  ->write([&](StoreTx& tx) -> absl::Status {
                    LC_EXPECT_OK(tx.put_ticket(t2));
                    LC_EXPECT_OK(tx.put_ticket(t1));
                    LC_EXPECT_OK(tx.put_opportunity(o2));
                    return tx.put_opportunity(o1);
                  })
                  .ok());
  t1.status = TicketStatus::open;  // a put over an existing id replaces it
  o1.amount.reset();
  ASSERT_TRUE(store_->write([&](StoreTx& tx) { return tx.put_ticket(t1); }).ok());
  ASSERT_TRUE(store_->write([&](StoreTx& tx) { return tx.put_opportunity(o1); }).ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    auto tickets = tx.list_tickets(*CustomerId::parse(kId1));
    EXPECT_TRUE(tickets.ok());
    EXPECT_EQ(*tickets, (std::vector<Ticket>{t1, t2}));
    auto one = tx.load_ticket(t2.id);
    EXPECT_TRUE(one.ok() && *one == t2);
    auto opps = tx.list_opportunities(*CustomerId::parse(kId1));
    EXPECT_TRUE(opps.ok());
    EXPECT_EQ(*opps, (std::vector<Opportunity>{o1, o2}));
    auto none = tx.load_opportunity(*OpportunityId::parse(id_n(299)));
    EXPECT_TRUE(none.ok() && !none->has_value());
    auto other = tx.list_tickets(*CustomerId::parse(kId2));
    EXPECT_TRUE(other.ok() && other->empty());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_P(StoreConformance, OrderPagesFollowTheCursorAndTalliesGroupByCurrencyAndStatus) {
  ASSERT_TRUE(put(*store_, bare_customer(kId1, "a@example.com"), nullptr).ok());
  std::vector<Order> orders = {sample_order(1, kT0, OrderStatus::completed, {1000, "USD"}),
                               sample_order(2, kT0, OrderStatus::completed, {2000, "USD"}),
                               sample_order(3, kT0 + absl::Hours(1), OrderStatus::refunded, {4000, "USD"}),
                               sample_order(4, kT0 - absl::Hours(1), OrderStatus::pending, {300, "EUR"})};
  ASSERT_TRUE(store_
                  ->write([&](StoreTx& tx) -> absl::Status {
                    for (const auto& o : orders) LC_EXPECT_OK(tx.put_order(o));
                    return absl::OkStatus();
                  })
                  .ok());
  auto status = store_->read([&](StoreTx& tx) -> absl::Status {
    const auto c = *CustomerId::parse(kId1);
    auto first = tx.page_orders(c, std::nullopt, 2);
    EXPECT_TRUE(first.ok());
    EXPECT_EQ(*first, (std::vector<Order>{orders[2], orders[1]}));
    auto rest = tx.page_orders(c, OrderCursor{orders[1].placed_at, orders[1].id}, 10);
    EXPECT_TRUE(rest.ok());
    EXPECT_EQ(*rest, (std::vector<Order>{orders[0], orders[3]}));
    auto tallies = tx.tally_orders(c);
    EXPECT_TRUE(tallies.ok());
    std::sort(tallies->begin(), tallies->end(), [](const OrderTally& a, const OrderTally& b) {
      return std::tie(a.currency, a.status) < std::tie(b.currency, b.status);
    });
    EXPECT_EQ(*tallies,
              (std::vector<OrderTally>{
                  {"EUR", OrderStatus::pending, 1, 300, kT0 - absl::Hours(1), kT0 - absl::Hours(1)},
                  {"USD", OrderStatus::completed, 2, 3000, kT0, kT0},
                  {"USD", OrderStatus::refunded, 1, 4000, kT0 + absl::Hours(1), kT0 + absl::Hours(1)}}));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_P(StoreConformance, FailedSavepointUndoesTicketAndOpportunityWrites) {
  ASSERT_TRUE(put(*store_, bare_customer(kId1, "a@example.com"), nullptr).ok());
  Ticket t = sample_ticket(1, TicketStatus::open, kT0);
  Opportunity o = sample_opportunity(1, OpportunityStage::p50, Money{1, "USD"});
  ASSERT_TRUE(store_->write([&](StoreTx& tx) { return tx.put_ticket(t); }).ok());
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    EXPECT_EQ(tx.savepoint([&](StoreTx& sp) -> absl::Status {
                  auto changed = t;
                  changed.status = TicketStatus::closed;
                  LC_EXPECT_OK(sp.put_ticket(changed));
                  LC_EXPECT_OK(sp.put_ticket(sample_ticket(2, TicketStatus::open, kT0)));
                  LC_EXPECT_OK(sp.put_opportunity(o));
                  return absl::AbortedError("undo");
                }).code(),
              absl::StatusCode::kAborted);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  auto check = store_->read([&](StoreTx& tx) -> absl::Status {
    auto tickets = tx.list_tickets(*CustomerId::parse(kId1));
    EXPECT_TRUE(tickets.ok());
    EXPECT_EQ(*tickets, (std::vector<Ticket>{t}));
    auto opps = tx.list_opportunities(*CustomerId::parse(kId1));
    EXPECT_TRUE(opps.ok() && opps->empty());
    return absl::OkStatus();
  });
  EXPECT_TRUE(check.ok());
}

// The views through the engine, in every store.
TEST_P(StoreConformance, ViewsOfACustomerComeBackThroughTheQueries) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  auto run_ok = [&](std::string_view json) {
    Result r = exec(boost::json::parse(json).as_object());
    EXPECT_TRUE(r.ok()) << json << ": " << r.status;
    return r;
  };
  run_ok(R"({"op":"ticket.add","email":"ana@example.com","id":"018f0000-0000-7000-8000-000000000101",
             "subject":"Old question","status":"Closed","created_at":"2026-01-01T00:00:00Z"})");
  run_ok(R"({"op":"ticket.add","customer_id":"018f0000-0000-7000-8000-000000000001",
             "id":"018f0000-0000-7000-8000-000000000102","subject":"Where is my parcel?","priority":"High"})");
  run_ok(R"({"op":"opportunity.add","customer_id":"018f0000-0000-7000-8000-000000000001",
             "id":"018f0000-0000-7000-8000-000000000201","subject":"Renewal","stage":"80%",
             "amount":{"amount":"1500.00","currency":"USD"},"expected_close":"2026-02-15"})");
  run_ok(R"({"op":"opportunity.add","customer_id":"018f0000-0000-7000-8000-000000000001",
             "id":"018f0000-0000-7000-8000-000000000202","subject":"Upsell","stage":"Closed Won",
             "amount":{"amount":99900,"currency":"USD"}})");
  for (int i = 0; i < 3; ++i) {
    boost::json::object cmd{{"op", "order.record"},
                            {"customer_id", kId1},
                            {"id", id_n(301 + i)},
                            {"order_number", "#" + std::to_string(1001 + i)},
                            {"placed_at", "2026-01-0" + std::to_string(1 + i) + "T12:00:00Z"},
                            {"status", i == 1 ? "Refunded" : "Completed"},
                            {"total", {{"amount", "19.99"}, {"currency", i == 2 ? "JPY" : "USD"}}},
                            {"item_count", 1}};
    if (i == 2) cmd["total"] = boost::json::object{{"amount", "2000"}, {"currency", "JPY"}};
    Result r = exec(cmd);
    ASSERT_TRUE(r.ok()) << r.status;
  }
  run_ok(
      R"({"op":"order.update_status","order_id":"018f0000-0000-7000-8000-000000000301","status":"Refunded"})");

  Result tickets =
      run_ok(R"({"op":"customer.tickets","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_EQ(tickets.result.at("tickets").as_array().size(), 2u);
  EXPECT_EQ(tickets.result.at("tickets").at(0).at("subject"), "Where is my parcel?");
  EXPECT_EQ(tickets.result.at("tickets").at(1).at("status"), "Closed");

  Result opps = run_ok(R"({"op":"customer.opportunities","email":"ana@example.com"})");
  EXPECT_EQ(opps.result.at("opportunities").at(0).at("stage"), "80%");
  EXPECT_EQ(opps.result.at("opportunities").at(0).at("expected_close"), "2026-02-15");
  EXPECT_EQ(opps.result.at("open_pipeline"), boost::json::parse(R"({"USD":150000})"));

  Result page1 =
      run_ok(R"({"op":"customer.orders","customer_id":"018f0000-0000-7000-8000-000000000001","limit":2})");
  ASSERT_EQ(page1.result.at("orders").as_array().size(), 2u);
  EXPECT_EQ(page1.result.at("orders").at(0).at("order_number"), "#1003");
  EXPECT_EQ(page1.result.at("orders").at(1).at("order_number"), "#1002");
  ASSERT_TRUE(page1.result.at("next_cursor").is_string());
  boost::json::object next{{"op", "customer.orders"},
                           {"customer_id", kId1},
                           {"limit", 2},
                           {"cursor", page1.result.at("next_cursor")}};
  Result page2 = exec(next);
  ASSERT_TRUE(page2.ok()) << page2.status;
  ASSERT_EQ(page2.result.at("orders").as_array().size(), 1u);
  EXPECT_EQ(page2.result.at("orders").at(0).at("status"), "Refunded");
  EXPECT_EQ(page2.result.at("next_cursor"), nullptr);
  EXPECT_EQ(page1.result.at("by_currency"), boost::json::parse(R"({
      "JPY":{"orders":1,"lifetime_value":2000,"first_order_at":"2026-01-03T12:00:00.000Z",
             "last_order_at":"2026-01-03T12:00:00.000Z"},
      "USD":{"orders":2,"lifetime_value":0,"first_order_at":"2026-01-01T12:00:00.000Z",
             "last_order_at":"2026-01-02T12:00:00.000Z"}})"));
}

TEST_P(StoreConformance, ErasedCustomerKeepsOrdersTicketsAndOpportunities) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  ASSERT_TRUE(
      exec(boost::json::parse(R"({"op":"ticket.add","customer_id":"018f0000-0000-7000-8000-000000000001",
                                          "subject":"Help"})")
               .as_object())
          .ok());
  ASSERT_TRUE(
      exec(boost::json::parse(R"({"op":"opportunity.add","customer_id":"018f0000-0000-7000-8000-000000000001",
                                          "subject":"Deal","amount":{"amount":5,"currency":"USD"}})")
               .as_object())
          .ok());
  ASSERT_TRUE(
      exec(boost::json::parse(R"({"op":"order.record","customer_id":"018f0000-0000-7000-8000-000000000001",
      "id":"018f0000-0000-7000-8000-000000000301","order_number":"1","placed_at":"2026-01-01T00:00:00Z",
      "status":"Completed","total":{"amount":"1.00","currency":"USD"},"item_count":1})")
               .as_object())
          .ok());
  ASSERT_TRUE(exec(boost::json::object{{"op", "customer.erase"}, {"customer_id", kId1}}).ok());
  for (const char* op : {"customer.tickets", "customer.opportunities", "customer.orders"}) {
    Result r = exec(boost::json::object{{"op", op}, {"customer_id", kId1}});
    ASSERT_TRUE(r.ok()) << op << ": " << r.status;
    const char* key = std::string_view(op) == "customer.tickets"         ? "tickets"
                      : std::string_view(op) == "customer.opportunities" ? "opportunities"
                                                                         : "orders";
    EXPECT_EQ(r.result.at(key).as_array().size(), 1u) << op;
  }
}

TEST_P(StoreConformance, CustomerWithOnlyATicketCannotBeDeleted) {
  ASSERT_TRUE(create(kId1, "Ana", "Example", "ana@example.com").ok());
  ASSERT_TRUE(
      exec(boost::json::parse(R"({"op":"ticket.add","customer_id":"018f0000-0000-7000-8000-000000000001",
                                          "subject":"Help"})")
               .as_object())
          .ok());
  Result r = exec(boost::json::object{{"op", "customer.delete"}, {"customer_id", kId1}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  EXPECT_EQ(violation_rule(r), "customer.has_records");
  EXPECT_TRUE(exec(boost::json::object{{"op", "customer.get"}, {"customer_id", kId1}}).ok());
}

// ---------------------------------------------------------------------------------------------------
// The shared behaviour cases.

TEST_P(StoreConformance, EverySharedCaseHoldsOrIsSkipped) {
  auto folder = testing::shared_dir() / "cases";
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder << " is missing";
  auto files = case_files(folder);
  ASSERT_FALSE(files.empty()) << "no cases in " << folder;
  EngineOptions options;
  options.hash_limits = HashLimits::minimum();
  int passed = 0;
  for (const auto& file : files) {
    auto outcome = run_case_file(
        file, [&] { return make_store(GetParam(), dir_); }, options);
    switch (outcome.verdict) {
      case CaseVerdict::pass:
        ++passed;
        break;
      case CaseVerdict::skip:
        std::cout << "SKIP " << outcome.id << ": " << outcome.detail << "\n";
        break;
      case CaseVerdict::fail:
        ADD_FAILURE() << "FAIL " << outcome.id << ": " << outcome.detail;
        break;
    }
  }
  EXPECT_GT(passed, 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreConformance,
                         ::testing::Values("memory", "sqlite_file", "sqlite_memory"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

}  // namespace
}  // namespace leadcustomers
