// The account lifecycle (SPEC §3): customer.cancel_account, customer.erase, customer.delete, order.record,
// and the queries customer.history and customer.consent.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/secret.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kId = "018f0000-0000-7000-8000-000000000001";
constexpr std::string_view kEmail = "ana.example@example.com";
constexpr std::string_view kOrderId = "018f0000-0000-7000-8000-0000000000d1";

absl::Time t0() { return parse_timestamp("2026-01-05T10:00:00.000Z").value(); }

class Lifecycle : public ::testing::Test {
 protected:
  static EngineOptions options() {
    EngineOptions o;
    o.hash_limits = HashLimits::minimum();
    return o;
  }
  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }
  Result run(const boost::json::object& o) { return engine_.execute(o); }
  Result as(std::string_view actor, boost::json::object o) {
    o["actor"] = actor;
    return engine_.execute(o);
  }

  // A customer with everything SPEC §3's erase must drop.
  void create_full_customer() {
    auto r = run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
      "first_name":"Ana","last_name":"Example","email":"ana.example@example.com","phone":"+12015550123",
      "fax":"+12015550124","newsletter":true,"tags":["vip"],"note":"Prefers mornings",
      "attributes":{"magento.dob":"1980-01-01"},"external_refs":[{"system":"shopify","id":"7022551234"}],
      "addresses":[{"id":"018f0000-0000-7000-8000-000000000a01","name":"Ana Example","region":"US",
                    "state":"MA","address1":"12 Example Street","city":"Cambridge","zip":"02138"}]})");
    ASSERT_TRUE(r.ok()) << r.status;
    r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                "secret_question":"Pet?","secret_answer":"Blue Whale","password":"correct horse battery"})");
    ASSERT_TRUE(r.ok()) << r.status;
  }
  void create_customer(std::string_view id = kId, std::string_view email = kEmail) {
    auto r = run(boost::json::object{{"op", "customer.create"},
                                     {"id", id},
                                     {"customer_type_id", 1},
                                     {"first_name", "Ana"},
                                     {"email", email}});
    ASSERT_TRUE(r.ok()) << r.status;
  }
  Result record_order(std::string_view id = kOrderId, int64_t amount = 1999) {
    return run(boost::json::object{{"op", "order.record"},
                                   {"customer_id", kId},
                                   {"id", id},
                                   {"order_number", "#1001"},
                                   {"placed_at", "2026-01-04T09:30:00Z"},
                                   {"status", "Completed"},
                                   {"total", {{"amount", amount}, {"currency", "usd"}}},
                                   {"item_count", 2}});
  }
  Result get(std::string_view id = kId) {
    return run(boost::json::object{{"op", "customer.get"}, {"customer_id", id}});
  }
  CustomerAggregate stored() {
    auto agg = engine_.get_customer(*CustomerId::parse(kId));
    EXPECT_TRUE(agg.ok()) << agg.status();
    return agg.ok() ? *agg : CustomerAggregate{};
  }
  static Violation only_violation(const Result& r) {
    auto v = violations_of(r.status);
    EXPECT_EQ(v.size(), 1u) << r.status;
    return v.empty() ? Violation{} : v.front();
  }

  FixedClock clock_{t0()};
  MemoryStore store_;
  Engine engine_{store_, options(), &clock_};
};

const boost::json::object kCancel{{"op", "customer.cancel_account"}, {"customer_id", kId}};

// ---- customer.cancel_account -----------------------------------------------------------------------------

TEST_F(Lifecycle, CancelAccountMakesTheCustomerInactive) {
  create_customer();
  auto r = as("customer", kCancel);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("status"), "Inactive");
  EXPECT_EQ(r.result.at("version"), 2);
}

TEST_F(Lifecycle, CancelAccountUnsubscribesWithSourceCustomerPortal) {
  create_full_customer();
  clock_.advance(absl::Hours(1));
  auto r = as("customer", kCancel);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("newsletter"), (boost::json::object{{"subscribed", false},
                                                            {"opt_in_level", nullptr},
                                                            {"source", "customer_portal"},
                                                            {"updated_at", "2026-01-05T11:00:00.000Z"}}));
  auto ledger = stored().consent;
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_TRUE(ledger[1].from);
  EXPECT_FALSE(ledger[1].to);
  EXPECT_EQ(ledger[1].source, ConsentSource::customer_portal);
  EXPECT_EQ(ledger[1].actor, Actor::customer);
}

TEST_F(Lifecycle, CancelAccountOfANeverAskedCustomerLeavesTheNewsletterNeverAsked) {
  create_customer();
  auto r = as("customer", kCancel);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("newsletter").at("source"), nullptr);
  EXPECT_TRUE(stored().consent.empty());
}

TEST_F(Lifecycle, CancelAccountIsRecordedInTheHistory) {
  create_customer();
  clock_.advance(absl::Minutes(5));
  ASSERT_TRUE(as("customer", kCancel).ok());
  auto h = stored().history;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].event, "status_changed");
  EXPECT_EQ(h[1].actor, Actor::customer);
  EXPECT_EQ(h[1].from, Status::active);
  EXPECT_EQ(h[1].to, Status::inactive);
  EXPECT_EQ(h[1].reason, "account cancelled by the customer");
  EXPECT_EQ(h[1].at, t0() + absl::Minutes(5));
}

TEST_F(Lifecycle, CancelAccountByStaffIsPermissionDenied) {
  create_customer();
  auto r = as("staff", kCancel);
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "actor");
  EXPECT_EQ(v.rule, "actor.not_allowed");
  EXPECT_EQ(stored().customer.status, Status::active);
}

TEST_F(Lifecycle, CancelAccountTwiceChangesNothingTheSecondTime) {
  create_customer();
  ASSERT_TRUE(as("customer", kCancel).ok());
  auto r = as("customer", kCancel);
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("version"), 2);
}

TEST_F(Lifecycle, CancelAccountOfAnArchivedCustomerIsPermissionDenied) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived"})")
                  .ok());
  auto r = as("customer", kCancel);
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "status.transition_not_allowed");
}

TEST_F(Lifecycle, TheCustomerMayNotSetStatusDirectly) {
  create_customer();
  auto r = as("customer", {{"op", "customer.set_status"}, {"customer_id", kId}, {"status", "Inactive"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "status.transition_not_allowed");
}

TEST_F(Lifecycle, TheCustomerMayNotReactivateAfterCancelling) {
  create_customer();
  ASSERT_TRUE(as("customer", kCancel).ok());
  auto r = as("customer", {{"op", "customer.set_status"}, {"customer_id", kId}, {"status", "Active"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  EXPECT_EQ(stored().customer.status, Status::inactive);
}

// ---- archive / restore (history of every transition) ------------------------------------------------------

TEST_F(Lifecycle, RestoreIsRefusedWhenTheEmailWasTakenMeanwhile) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived","reason":"duplicate"})")
                  .ok());
  create_customer("018f0000-0000-7000-8000-000000000002");
  auto r = run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "status":"Active"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "email");
  EXPECT_EQ(v.rule, "email.taken");
}

TEST_F(Lifecycle, HistoryListsEveryTransitionWithActorReasonAndTime) {
  create_customer();
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived","reason":"moved away"})")
                  .ok());
  clock_.advance(absl::Minutes(1));
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "actor":"staff","status":"Active","reason":"came back"})")
                  .ok());
  auto r = run(R"({"op":"customer.history","email":"ana.example@example.com"})");
  ASSERT_TRUE(r.ok()) << r.status;
  auto expected = boost::json::parse(R"({"customer_id":"018f0000-0000-7000-8000-000000000001","history":[
    {"at":"2026-01-05T10:00:00.000Z","actor":"staff","event":"created","from":null,"to":"Active","reason":""},
    {"at":"2026-01-05T10:01:00.000Z","actor":"staff","event":"status_changed","from":"Active","to":"Archived",
     "reason":"moved away"},
    {"at":"2026-01-05T10:02:00.000Z","actor":"staff","event":"status_changed","from":"Archived","to":"Active",
     "reason":"came back"}]})");
  EXPECT_EQ(r.result, expected);
}

TEST_F(Lifecycle, HistoryOfAnUnknownCustomerIsNotFound) {
  auto r = run(R"({"op":"customer.history","customer_id":"018f0000-0000-7000-8000-00000000ffff"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(only_violation(r).field, "customer_id");
}

// ---- customer.erase --------------------------------------------------------------------------------------

TEST_F(Lifecycle, EraseAnonymizesExactlyAsSpecSection3Says) {
  create_full_customer();
  ASSERT_TRUE(record_order().ok());
  auto r = run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_TRUE(r.ok()) << r.status;
  const auto& doc = r.result.as_object();
  EXPECT_EQ(doc.at("status"), "Archived");
  EXPECT_EQ(doc.at("erased"), true);
  EXPECT_EQ(doc.at("first_name"), "");
  EXPECT_EQ(doc.at("last_name"), "");
  EXPECT_EQ(doc.at("email"), "erased-018f0000-0000-7000-8000-000000000001@erased.invalid");
  EXPECT_EQ(doc.at("phone"), nullptr);
  EXPECT_EQ(doc.at("fax"), nullptr);
  EXPECT_EQ(doc.at("tags"), boost::json::array());
  EXPECT_EQ(doc.at("note"), nullptr);
  EXPECT_EQ(doc.at("attributes"), boost::json::object());
  EXPECT_EQ(doc.at("external_refs"), boost::json::array());
  EXPECT_EQ(doc.at("addresses"), boost::json::array());
  EXPECT_EQ(doc.at("default_shipping_address_id"), nullptr);
  EXPECT_EQ(doc.at("default_billing_address_id"), nullptr);
  EXPECT_EQ(
      doc.at("newsletter"),
      (boost::json::object{
          {"subscribed", false}, {"opt_in_level", nullptr}, {"source", nullptr}, {"updated_at", nullptr}}));
  EXPECT_EQ(doc.at("portal").at("has_login"), false);
  EXPECT_EQ(doc.at("portal").at("secret_question"), nullptr);
  EXPECT_EQ(doc.at("customer_type_id"), 1);
  auto agg = stored();
  EXPECT_EQ(agg.portal, PortalLogin{});
  EXPECT_TRUE(agg.consent.empty());
}

TEST_F(Lifecycle, EraseKeepsOrdersUnderTheCustomerId) {
  create_full_customer();
  ASSERT_TRUE(record_order().ok());
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  std::vector<Order> orders;
  ASSERT_TRUE(store_
                  .read([&](StoreTx& tx) -> absl::Status {
                    auto list = tx.list_orders(*CustomerId::parse(kId));
                    if (!list.ok()) return list.status();
                    orders = *list;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].id.str(), kOrderId);
}

TEST_F(Lifecycle, EraseFreesTheEmailAndItNoLongerFindsTheCustomer) {
  create_full_customer();
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  EXPECT_EQ(error_code_of(run(R"({"op":"customer.get","email":"ana.example@example.com"})").status),
            ErrorCode::not_found);
  EXPECT_EQ(error_code_of(run(R"({"op":"customer.get",
      "email":"erased-018f0000-0000-7000-8000-000000000001@erased.invalid"})")
                              .status),
            ErrorCode::not_found);
  auto r = run(R"({"op":"customer.create","customer_type_id":1,"first_name":"Someone",
                   "email":"ana.example@example.com","external_refs":[{"system":"shopify","id":"7022551234"}]})");
  EXPECT_TRUE(r.ok()) << r.status;
}

TEST_F(Lifecycle, EraseIsRecordedInTheHistory) {
  create_customer();
  clock_.advance(absl::Minutes(3));
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto h = stored().history;
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[1].event, "status_changed");
  EXPECT_EQ(h[1].from, Status::active);
  EXPECT_EQ(h[1].to, Status::archived);
  EXPECT_EQ(h[1].reason, "erased");
  EXPECT_EQ(h[2].event, "erased");
  EXPECT_EQ(h[2].at, t0() + absl::Minutes(3));
  EXPECT_EQ(h[2].actor, Actor::staff);
}

TEST_F(Lifecycle, EraseDropsEarlierFreeTextReasonsButKeepsTheEntries) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Inactive","reason":"Ana phoned from +1 201 555 0123"})")
                  .ok());
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto h = stored().history;
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[1].event, "status_changed");
  EXPECT_EQ(h[1].reason, "");
}

TEST_F(Lifecycle, AnErasedCustomerCannotBeRestored) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto r = run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "status":"Active"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "customer.erased");
}

TEST_F(Lifecycle, AnErasedCustomerCannotGetALogin) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "password":"correct horse battery"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  EXPECT_EQ(only_violation(r).rule, "customer.erased");
}

TEST_F(Lifecycle, ErasingTwiceChangesNothing) {
  create_customer();
  auto first = run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_TRUE(first.ok());
  auto second = run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.result, first.result);
}

TEST_F(Lifecycle, EraseOfAnArchivedCustomerAddsOnlyTheErasedEntry) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived"})")
                  .ok());
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto h = stored().history;
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].event, "erased");
  EXPECT_EQ(h[2].from, Status::archived);
}

TEST_F(Lifecycle, EraseByTheCustomerOrTheSystemIsPermissionDenied) {
  create_customer();
  for (auto actor : {"customer", "system"}) {
    auto r = as(actor, {{"op", "customer.erase"}, {"customer_id", kId}});
    EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied) << actor;
    EXPECT_EQ(only_violation(r).rule, "actor.not_allowed");
  }
  EXPECT_FALSE(stored().customer.erased);
}

// ---- customer.delete -------------------------------------------------------------------------------------

TEST_F(Lifecycle, DeleteRemovesACustomerWithoutOrders) {
  create_customer();
  auto r = run(R"({"op":"customer.delete","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, (boost::json::object{{"id", kId}, {"deleted", true}}));
  EXPECT_EQ(error_code_of(get().status), ErrorCode::not_found);
  create_customer("018f0000-0000-7000-8000-000000000002");  // the e-mail is free again
}

TEST_F(Lifecycle, DeleteOfACustomerWithOrdersIsFailedPrecondition) {
  create_customer();
  ASSERT_TRUE(record_order().ok());
  auto r = run(R"({"op":"customer.delete","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "customer_id");
  EXPECT_EQ(v.rule, "customer.has_orders");
  EXPECT_EQ(v.message,
            "customer 018f0000-0000-7000-8000-000000000001 has 1 order; a customer with orders cannot be "
            "deleted: archive or erase it");
  EXPECT_TRUE(get().ok());
}

TEST_F(Lifecycle, DeleteOfAnErasedCustomerWithOrdersIsStillRefused) {
  create_customer();
  ASSERT_TRUE(record_order().ok());
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto r = run(R"({"op":"customer.delete","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
}

TEST_F(Lifecycle, DeleteByTheCustomerIsPermissionDenied) {
  create_customer();
  auto r = as("customer", {{"op", "customer.delete"}, {"customer_id", kId}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  EXPECT_EQ(only_violation(r).field, "actor");
}

TEST_F(Lifecycle, DeleteHonoursExpectedVersion) {
  create_customer();
  auto r = run(R"({"op":"customer.delete","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "expected_version":2})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::conflict);
  EXPECT_TRUE(get().ok());
}

// ---- order.record ----------------------------------------------------------------------------------------

TEST_F(Lifecycle, OrderRecordReturnsTheOrder) {
  create_customer();
  auto r = record_order();
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, boost::json::parse(R"({"id":"018f0000-0000-7000-8000-0000000000d1",
      "customer_id":"018f0000-0000-7000-8000-000000000001","order_number":"#1001",
      "placed_at":"2026-01-04T09:30:00.000Z","status":"Completed","total":{"amount":1999,"currency":"USD"},
      "item_count":2})"));
}

TEST_F(Lifecycle, OrderRecordIsIdempotentById) {
  create_customer();
  ASSERT_TRUE(record_order().ok());
  EXPECT_TRUE(record_order().ok());
  auto r = record_order(kOrderId, 2500);
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "id");
  EXPECT_EQ(v.rule, "id.taken");
}

TEST_F(Lifecycle, OrderRecordDoesNotChangeTheCustomerVersion) {
  create_customer();
  ASSERT_TRUE(record_order().ok());
  EXPECT_EQ(stored().customer.version, 1);
}

TEST_F(Lifecycle, OrderRecordReportsEveryBadField) {
  create_customer();
  auto r = run(R"({"op":"order.record","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "id":"018f0000-0000-7000-8000-0000000000d1","order_number":" ","placed_at":"yesterday",
                   "status":"Done","total":{"amount":-1,"currency":"dollars"},"item_count":-2})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 6u) << r.status;
  EXPECT_EQ(v[0].rule, "order.number_required");
  EXPECT_EQ(v[1].field, "placed_at");
  EXPECT_EQ(v[1].rule, "timestamp.invalid");
  EXPECT_EQ(v[2].rule, "order.status_unknown");
  EXPECT_EQ(v[3].field, "total.amount");
  EXPECT_EQ(v[3].rule, "money.negative");
  EXPECT_EQ(v[4].field, "total.currency");
  EXPECT_EQ(v[4].rule, "money.currency_invalid");
  EXPECT_EQ(v[5].rule, "order.item_count_negative");
}

TEST_F(Lifecycle, OrderRecordRefusesAnUnknownFieldInTotal) {
  create_customer();
  auto r = run(R"({"op":"order.record","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "id":"018f0000-0000-7000-8000-0000000000d1","order_number":"1","placed_at":"2026-01-01",
                   "status":"Pending","total":{"amount":1,"currency":"USD","cents":1},"item_count":1})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::invalid_argument);
  EXPECT_EQ(only_violation(r).field, "total.cents");
}

TEST_F(Lifecycle, OrderRecordForAnUnknownCustomerIsNotFound) {
  EXPECT_EQ(error_code_of(record_order().status), ErrorCode::not_found);
}

// ---- customer.consent ------------------------------------------------------------------------------------

TEST_F(Lifecycle, ConsentAnswersWasSubscribedAtTimeT) {
  create_customer();               // 10:00, never asked
  clock_.advance(absl::Hours(1));  // 11:00 subscribe
  ASSERT_TRUE(run(R"({"op":"newsletter.set","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "subscribed":true,"source":"back_office","opt_in_level":"confirmed"})")
                  .ok());
  clock_.advance(absl::Hours(1));  // 12:00 cancel -> unsubscribe
  ASSERT_TRUE(as("customer", kCancel).ok());
  auto at = [&](std::string_view t) {
    auto r = run(boost::json::object{{"op", "customer.consent"}, {"customer_id", kId}, {"at", t}});
    EXPECT_TRUE(r.ok()) << r.status;
    return r.ok() ? r.result.at("state_at") : boost::json::value();
  };
  EXPECT_EQ(at("2026-01-05T10:30:00Z"), boost::json::parse(R"({"at":"2026-01-05T10:30:00.000Z",
      "subscribed":false,"opt_in_level":null,"source":null,"since":null})"));
  EXPECT_EQ(at("2026-01-05T11:00:00Z"), boost::json::parse(R"({"at":"2026-01-05T11:00:00.000Z",
      "subscribed":true,"opt_in_level":"confirmed","source":"back_office","since":"2026-01-05T11:00:00.000Z"})"));
  EXPECT_EQ(at("2026-01-05T12:30:00+01:00").at("subscribed"), true);  // 11:30 UTC
  EXPECT_EQ(at("2026-01-05T12:00:00Z"), boost::json::parse(R"({"at":"2026-01-05T12:00:00.000Z",
      "subscribed":false,"opt_in_level":null,"source":"customer_portal","since":"2026-01-05T12:00:00.000Z"})"));
}

TEST_F(Lifecycle, ConsentListsTheLedgerAndTheCurrentState) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"newsletter.set","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "subscribed":true,"source":"import"})")
                  .ok());
  auto r = run(R"({"op":"customer.consent","email":"ana.example@example.com"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, boost::json::parse(R"({"customer_id":"018f0000-0000-7000-8000-000000000001",
      "newsletter":{"subscribed":true,"opt_in_level":"unknown","source":"import",
                    "updated_at":"2026-01-05T10:00:00.000Z"},
      "ledger":[{"at":"2026-01-05T10:00:00.000Z","from":false,"to":true,"opt_in_level":"unknown",
                 "source":"import","actor":"staff"}],
      "state_at":null})"));
}

TEST_F(Lifecycle, CheckoutWithNewsletterRecordsSourceStorefrontCheckout) {
  auto r = run(R"({"op":"checkout.create_customer","id":"018f0000-0000-7000-8000-000000000001",
                   "first_name":"Ana","email":"ana.example@example.com","newsletter":true})");
  ASSERT_TRUE(r.ok()) << r.status;
  auto c = run(R"({"op":"customer.consent","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  ASSERT_TRUE(c.ok()) << c.status;
  const auto& ledger = c.result.at("ledger").as_array();
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].at("source"), "storefront_checkout");
  EXPECT_EQ(ledger[0].at("opt_in_level"), "single");
  EXPECT_EQ(ledger[0].at("to"), true);
}

TEST_F(Lifecycle, ConsentWithABadTimeIsAValidationError) {
  create_customer();
  auto r = run(R"({"op":"customer.consent","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "at":"last tuesday"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "at");
  EXPECT_EQ(v.rule, "timestamp.invalid");
}

TEST_F(Lifecycle, ErasedCustomerHasNoConsentEvidence) {
  create_full_customer();
  ASSERT_TRUE(run(R"({"op":"customer.erase","customer_id":"018f0000-0000-7000-8000-000000000001"})").ok());
  auto r = run(R"({"op":"customer.consent","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "at":"2026-01-05T10:00:00Z"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("ledger"), boost::json::array());
  EXPECT_EQ(r.result.at("state_at").at("subscribed"), false);
}

}  // namespace
}  // namespace leadcustomers
