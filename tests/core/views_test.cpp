// The per-customer views of SPEC §2.5 through the engine: order.record / order.update_status /
// customer.orders, ticket.add / ticket.update / customer.tickets, opportunity.add / opportunity.update /
// customer.opportunities — each command's errors (rule ids and field paths), the view orders and totals.
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kId = "018f0000-0000-7000-8000-000000000001";
constexpr std::string_view kOther = "018f0000-0000-7000-8000-000000000002";

std::string oid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "018f0000-0000-7000-8000-%012d", n);
  return buf;
}

class Views : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto [id, email] : {std::pair{kId, "ana@example.com"}, std::pair{kOther, "bo@example.com"}}) {
      auto r = run(boost::json::object{{"op", "customer.create"},
                                       {"id", id},
                                       {"customer_type_id", 1},
                                       {"first_name", "A"},
                                       {"email", email}});
      ASSERT_TRUE(r.ok()) << r.status;
    }
  }
  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }
  Result run(const boost::json::object& o) { return engine_.execute(o); }

  Result order(std::string_view id, boost::json::value total, std::string_view status = "Completed",
               std::string_view placed_at = "2026-01-04T09:30:00Z") {
    return run(boost::json::object{{"op", "order.record"},
                                   {"customer_id", kId},
                                   {"id", id},
                                   {"order_number", "#1001"},
                                   {"placed_at", placed_at},
                                   {"status", status},
                                   {"total", std::move(total)},
                                   {"item_count", 1}});
  }
  Result order_total(boost::json::value amount, std::string_view currency) {
    return order(oid(900), boost::json::object{{"amount", std::move(amount)}, {"currency", currency}});
  }
  static Violation only(const Result& r) {
    auto v = violations_of(r.status);
    EXPECT_EQ(v.size(), 1u) << r.status;
    return v.empty() ? Violation{} : v.front();
  }
  Result ticket(boost::json::object extra) {
    boost::json::object cmd{{"op", "ticket.add"}, {"customer_id", kId}, {"subject", "Parcel damaged"}};
    for (auto& [k, v] : extra) cmd[k] = v;
    return run(cmd);
  }
  Result opportunity(boost::json::object extra) {
    boost::json::object cmd{{"op", "opportunity.add"}, {"customer_id", kId}, {"subject", "Fleet renewal"}};
    for (auto& [k, v] : extra) cmd[k] = v;
    return run(cmd);
  }
  boost::json::object query(std::string_view op, boost::json::object extra = {}) {
    extra["op"] = op;
    extra["customer_id"] = kId;
    Result r = run(extra);
    EXPECT_TRUE(r.ok()) << r.status;
    return r.ok() ? r.result.as_object() : boost::json::object{};
  }

  FixedClock clock_{parse_timestamp("2026-01-05T10:00:00.000Z").value()};
  MemoryStore store_;
  Engine engine_{store_, {}, &clock_};
};

// ---- Money input of order.record -------------------------------------------------------------------------

TEST_F(Views, OrderTotalAcceptsIntegerMinorUnits) {
  auto r = order_total(1999, "USD");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("total"), boost::json::parse(R"({"amount":1999,"currency":"USD"})"));
}

TEST_F(Views, OrderTotalAcceptsDecimalTextInTheCurrencyDigits) {
  auto r = order_total("19.99", "USD");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("total"), boost::json::parse(R"({"amount":1999,"currency":"USD"})"));
}

TEST_F(Views, OrderTotalInYenTakesWholeYen) {
  auto r = order_total("1999", "JPY");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("total").at("amount"), 1999);
}

TEST_F(Views, OrderTotalInYenRefusesDecimals) {
  auto v = only(order_total("19.99", "JPY"));
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.too_many_decimals");
  EXPECT_EQ(v.message, "total.amount '19.99' has more decimals than JPY's 0");
}

TEST_F(Views, OrderTotalInBahrainiDinarTakesThreeDigits) {
  auto r = order_total("1.5", "BHD");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("total").at("amount"), 1500);
}

TEST_F(Views, OrderTotalAcceptsALowerCaseCurrencyCode) {
  auto r = order_total("5", "eur");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("total"), boost::json::parse(R"({"amount":500,"currency":"EUR"})"));
}

TEST_F(Views, OrderTotalRefusesAFloat) {
  auto r = order_total(19.99, "USD");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only(r);
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.float");
}

TEST_F(Views, OrderTotalRefusesAnExponent) {
  auto v = only(order_total("1e3", "USD"));
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.exponent");
}

TEST_F(Views, OrderTotalRefusesMalformedText) {
  auto v = only(order_total("1,000.00", "USD"));
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.amount_invalid");
}

TEST_F(Views, OrderTotalRefusesOverflowAsTextAndAsInteger) {
  EXPECT_EQ(only(order_total("92233720368547758.08", "USD")).rule, "money.overflow");
  EXPECT_EQ(only(order_total(boost::json::value(uint64_t{9223372036854775808u}), "USD")).rule,
            "money.overflow");
}

TEST_F(Views, OrderTotalOfAWholeNumberBeyondInt64IsOverflowNotFloat) {
  // Boost.JSON reads integers beyond int64/uint64 as doubles; they are still whole numbers.
  for (const char* amount : {"1e20", "100000000000000000000"}) {
    auto v =
        only(run(R"({"op":"order.record","customer_id":")" + std::string(kId) + R"(","id":")" + oid(900) +
                 R"(","order_number":"#1","placed_at":"2026-01-04T09:30:00Z","status":"Completed",)"
                 R"("item_count":1,"total":{"currency":"USD","amount":)" +
                 amount + "}}"));
    EXPECT_EQ(v.field, "total.amount");
    EXPECT_EQ(v.rule, "money.overflow");
    EXPECT_EQ(v.message, "total.amount 1e+20 does not fit 64-bit minor units");
  }
  auto v = only(order_total(18446744073709551616.0, "USD"));
  EXPECT_EQ(v.rule, "money.overflow");
  EXPECT_EQ(v.message, "total.amount 18446744073709551616 does not fit 64-bit minor units");
  auto below =
      only(run(R"({"op":"order.record","customer_id":")" + std::string(kId) + R"(","id":")" + oid(900) +
               R"(","order_number":"#1","placed_at":"2026-01-04T09:30:00Z","status":"Completed",)"
               R"("item_count":1,"total":{"currency":"USD","amount":-9223372036854775809}})"));
  EXPECT_EQ(below.field, "total.amount");
  EXPECT_EQ(below.rule, "money.negative");
  EXPECT_EQ(below.message, "total.amount -9223372036854775808 is negative");
}

TEST_F(Views, OrderTotalFloatIsEchoedInItsShortestForm) {
  auto v = only(order_total(19.99, "USD"));
  EXPECT_EQ(v.rule, "money.float");
  EXPECT_EQ(v.message,
            "total.amount 19.99 is a floating-point number; give integer minor units (1999) or decimal text "
            "(\"19.99\")");
  auto one = only(order_total(1.0, "USD"));
  EXPECT_EQ(one.rule, "money.float");
  EXPECT_EQ(one.message,
            "total.amount 1 is a floating-point number; give integer minor units (1999) or decimal text "
            "(\"19.99\")");
  EXPECT_EQ(only(order_total(-1.5, "USD")).rule, "money.float");
}

TEST_F(Views, OrderTotalRefusesANegativeAmount) {
  auto v = only(order_total("-5.00", "USD"));
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.negative");
  EXPECT_EQ(v.message, "total.amount -5.00 is negative");
}

TEST_F(Views, OrderTotalRefusesAnUnknownCurrency) {
  auto v = only(order_total(100, "ZZZ"));
  EXPECT_EQ(v.field, "total.currency");
  EXPECT_EQ(v.rule, "money.currency_unknown");
}

TEST_F(Views, OrderTotalRefusesACodeThatIsNoMoney) {
  EXPECT_EQ(only(order_total(100, "XAU")).rule, "money.currency_unknown");
}

TEST_F(Views, OrderTotalNeedsBothAmountAndCurrency) {
  auto r = order(oid(900), boost::json::object{});
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 2u) << r.status;
  EXPECT_EQ(v[0].field, "total.amount");
  EXPECT_EQ(v[0].rule, "money.amount_required");
  EXPECT_EQ(v[1].field, "total.currency");
  EXPECT_EQ(v[1].rule, "money.currency_required");
}

TEST_F(Views, OrderTotalOfAnotherJsonTypeIsMalformed) {
  auto r = order_total(true, "USD");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::invalid_argument);
  EXPECT_EQ(only(r).field, "total.amount");
}

// ---- order.record idempotence and order.update_status ---------------------------------------------------

TEST_F(Views, OrderRecordWithTheSameContentReturnsTheStoredOrder) {
  ASSERT_TRUE(order_total("19.99", "USD").ok());
  auto again = order_total(1999, "USD");  // the same order in the other input shape
  ASSERT_TRUE(again.ok()) << again.status;
  EXPECT_EQ(again.result.at("total").at("amount"), 1999);
}

TEST_F(Views, OrderRecordWithOtherContentIsAlreadyExists) {
  ASSERT_TRUE(order_total(1999, "USD").ok());
  auto r = order_total(1999, "EUR");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::already_exists);
  EXPECT_EQ(only(r).rule, "id.taken");
}

Result update_status(Engine& e, std::string_view id, std::string_view status) {
  return e.execute(boost::json::object{{"op", "order.update_status"}, {"order_id", id}, {"status", status}});
}

TEST_F(Views, OrderMovesForwardThroughItsStatuses) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Pending").ok());
  for (const char* s : {"Processing", "Shipped", "Completed", "Refunded"}) {
    auto r = update_status(engine_, oid(1), s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.status;
    EXPECT_EQ(r.result.at("status"), s);
  }
}

TEST_F(Views, RefundedOrderIsFinal) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Refunded").ok());
  auto r = update_status(engine_, oid(1), "Completed");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  auto v = only(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "order.status_transition");
  EXPECT_EQ(v.message, "order #1001 cannot go from Refunded to Completed (Cancelled and Refunded are final)");
}

TEST_F(Views, ShippedOrderCannotBeCancelledOrGoBack) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Shipped").ok());
  EXPECT_EQ(only(update_status(engine_, oid(1), "Cancelled")).rule, "order.status_transition");
  EXPECT_EQ(only(update_status(engine_, oid(1), "Processing")).rule, "order.status_transition");
}

TEST_F(Views, PendingOrderCannotBeRefunded) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Pending").ok());
  EXPECT_EQ(only(update_status(engine_, oid(1), "Refunded")).rule, "order.status_transition");
  EXPECT_TRUE(update_status(engine_, oid(1), "Cancelled").ok());
}

TEST_F(Views, UpdateStatusToTheSameStatusChangesNothing) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Refunded").ok());
  EXPECT_TRUE(update_status(engine_, oid(1), "Refunded").ok());
}

TEST_F(Views, UpdateStatusOfAnUnknownOrderIsNotFound) {
  auto r = update_status(engine_, oid(7), "Shipped");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(only(r).field, "order_id");
  EXPECT_EQ(only(r).rule, "order.not_found");
}

TEST_F(Views, UpdateStatusNamingAnotherCustomerIsNotFound) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Pending").ok());
  auto r = run(boost::json::object{
      {"op", "order.update_status"}, {"customer_id", kOther}, {"order_id", oid(1)}, {"status", "Shipped"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(only(r).rule, "order.not_found");
}

TEST_F(Views, UpdateStatusRefusesAnUnknownStatus) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Pending").ok());
  Result r = update_status(engine_, oid(1), "Lost");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "order.status_unknown");
  EXPECT_EQ(v.message, "status 'Lost' is not Pending, Processing, Shipped, Completed, Cancelled or Refunded");
  // The error's message has the field first, like every validation failure.
  EXPECT_EQ(r.status.message(),
            "status: status 'Lost' is not Pending, Processing, Shipped, Completed, Cancelled or Refunded "
            "(order.status_unknown)");
}

// ---- placed_at
// ----------------------------------------------------------------------------------------------

TEST_F(Views, OrderPlacedInTheFutureIsRefusedLikeATicket) {
  auto money = boost::json::object{{"amount", 100}, {"currency", "USD"}};
  auto v = only(order(oid(1), money, "Completed", "2099-01-01T00:00:00Z"));
  EXPECT_EQ(v.field, "placed_at");
  EXPECT_EQ(v.rule, "timestamp.in_future");
  EXPECT_EQ(
      v.message,
      "placed_at '2099-01-01T00:00:00Z' is later than now (2026-01-05T10:00:00.000Z) by more than the 5 "
      "minutes allowed for clock skew");
  // Five minutes ahead is a shop's clock running fast; one millisecond more is the future.
  EXPECT_EQ(only(order(oid(1), money, "Completed", "2026-01-05T10:05:00.001Z")).rule, "timestamp.in_future");
  EXPECT_TRUE(order(oid(1), money, "Completed", "2026-01-05T10:05:00.000Z").ok());
}

TEST_F(Views, TimestampsOutsideTheYears1900To9999AreRefused) {
  auto money = boost::json::object{{"amount", 100}, {"currency", "USD"}};
  auto v = only(order(oid(1), money, "Completed", "0000-01-01T00:00:00Z"));
  EXPECT_EQ(v.field, "placed_at");
  EXPECT_EQ(v.rule, "timestamp.out_of_range");
  EXPECT_EQ(v.message, "placed_at '0000-01-01T00:00:00Z' is outside the years 1900 to 9999");
  auto t = only(ticket({{"created_at", "1899-12-31T23:59:59Z"}}));
  EXPECT_EQ(t.field, "created_at");
  EXPECT_EQ(t.rule, "timestamp.out_of_range");
  EXPECT_EQ(t.message, "created_at '1899-12-31T23:59:59Z' is outside the years 1900 to 9999");
  auto early = order(oid(1), money, "Completed", "1900-01-01T00:00:00Z");
  ASSERT_TRUE(early.ok()) << early.status;
  EXPECT_EQ(early.result.at("placed_at"), "1900-01-01T00:00:00.000Z");
}

// ---- totals beyond int64 ----------------------------------------------------------------------------------

TEST_F(Views, OrderThatWouldTakeTheCustomersTotalPastInt64IsRefused) {
  ASSERT_TRUE(order(oid(1), boost::json::object{{"amount", INT64_MAX}, {"currency", "USD"}}, "Pending").ok());
  // Even a Cancelled order counts: its status cannot come back, but a Pending one could become Completed.
  auto refused = order(oid(2), boost::json::object{{"amount", 1}, {"currency", "USD"}}, "Cancelled");
  EXPECT_EQ(error_code_of(refused.status), ErrorCode::validation_failed);
  auto v = only(refused);
  EXPECT_EQ(v.field, "total.amount");
  EXPECT_EQ(v.rule, "money.overflow");
  EXPECT_EQ(v.message,
            "total.amount USD 0.01 would take the total of this customer's orders in USD past USD "
            "92233720368547758.07 (64-bit minor units); they already total USD 92233720368547758.07");
  // Other currencies and other customers are not affected; the views still answer.
  EXPECT_TRUE(order(oid(3), boost::json::object{{"amount", INT64_MAX}, {"currency", "EUR"}}).ok());
  auto other = run(boost::json::object{{"op", "order.record"},
                                       {"customer_id", kOther},
                                       {"id", oid(4)},
                                       {"order_number", "#4"},
                                       {"placed_at", "2026-01-04T09:30:00Z"},
                                       {"status", "Completed"},
                                       {"total", {{"amount", 250}, {"currency", "USD"}}},
                                       {"item_count", 1}});
  EXPECT_TRUE(other.ok()) << other.status;
  auto orders = query("customer.orders");
  EXPECT_EQ(orders.at("by_currency").at("USD").at("orders"), 1);
  EXPECT_EQ(orders.at("by_currency").at("EUR").at("lifetime_value"), INT64_MAX);
}

TEST_F(Views, OpportunityThatWouldTakeTheCustomersTotalPastInt64IsRefused) {
  auto big =
      opportunity({{"id", oid(1)}, {"amount", {{"amount", "92233720368547758.07"}, {"currency", "USD"}}}});
  ASSERT_TRUE(big.ok()) << big.status;
  // Any stage counts (a closed opportunity can be reopened).
  auto v =
      only(opportunity({{"stage", "Closed Lost"}, {"amount", {{"amount", 25000}, {"currency", "usd"}}}}));
  EXPECT_EQ(v.field, "amount.amount");
  EXPECT_EQ(v.rule, "money.overflow");
  EXPECT_EQ(v.message,
            "amount.amount USD 250.00 would take the total of this customer's opportunities in USD past USD "
            "92233720368547758.07 (64-bit minor units); they already total USD 92233720368547758.07");
  // An update replaces the opportunity's own amount: lowering it, then adding 250, fits.
  auto lower = run(boost::json::object{{"op", "opportunity.update"},
                                       {"opportunity_id", oid(1)},
                                       {"amount", {{"amount", INT64_MAX - 25000}, {"currency", "USD"}}}});
  ASSERT_TRUE(lower.ok()) << lower.status;
  ASSERT_TRUE(opportunity({{"id", oid(2)}, {"amount", {{"amount", 25000}, {"currency", "USD"}}}}).ok());
  auto raise = only(run(boost::json::object{{"op", "opportunity.update"},
                                            {"opportunity_id", oid(1)},
                                            {"amount", {{"amount", INT64_MAX}, {"currency", "USD"}}}}));
  EXPECT_EQ(raise.field, "amount.amount");
  EXPECT_EQ(raise.rule, "money.overflow");
  EXPECT_EQ(query("customer.opportunities").at("open_pipeline").at("USD"), INT64_MAX);
}

// ---- customer.orders
// ---------------------------------------------------------------------------------------

TEST_F(Views, CustomerOrdersSumsLifetimeValueOfCountedStatusesPerCurrency) {
  auto money = [](int64_t a, const char* c) { return boost::json::object{{"amount", a}, {"currency", c}}; };
  ASSERT_TRUE(order(oid(1), money(1000, "USD"), "Completed", "2026-01-01T00:00:00Z").ok());
  ASSERT_TRUE(order(oid(2), money(2000, "USD"), "Shipped", "2026-01-02T00:00:00Z").ok());
  ASSERT_TRUE(order(oid(3), money(4000, "USD"), "Processing", "2026-01-03T00:00:00Z").ok());
  ASSERT_TRUE(order(oid(4), money(8000, "USD"), "Refunded", "2025-12-01T00:00:00Z").ok());
  ASSERT_TRUE(order(oid(5), money(16000, "USD"), "Cancelled", "2026-01-04T00:00:00Z").ok());
  ASSERT_TRUE(order(oid(6), money(32000, "USD"), "Pending", "2026-01-04T12:00:00Z").ok());
  ASSERT_TRUE(order(oid(7), money(500, "JPY"), "Completed", "2025-06-01T00:00:00Z").ok());
  auto r = query("customer.orders");
  EXPECT_EQ(r.at("by_currency"), boost::json::parse(R"({
      "JPY":{"orders":1,"lifetime_value":500,"first_order_at":"2025-06-01T00:00:00.000Z",
             "last_order_at":"2025-06-01T00:00:00.000Z"},
      "USD":{"orders":6,"lifetime_value":7000,"first_order_at":"2025-12-01T00:00:00.000Z",
             "last_order_at":"2026-01-04T12:00:00.000Z"}})"));
}

TEST_F(Views, CustomerOrdersOfACustomerWithoutOrdersIsEmpty) {
  auto r = query("customer.orders");
  EXPECT_EQ(r.at("orders"), boost::json::array());
  EXPECT_EQ(r.at("next_cursor"), nullptr);
  EXPECT_EQ(r.at("by_currency"), boost::json::object());
}

TEST_F(Views, CustomerOrdersPagesNewestFirstWithoutRepeatsOrSkips) {
  // Five orders, two of them at the same instant (the id breaks the tie).
  const char* times[] = {"2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-03T00:00:00Z",
                         "2026-01-02T00:00:00Z", "2026-01-04T00:00:00Z"};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        order(oid(i + 1), boost::json::object{{"amount", 100}, {"currency", "USD"}}, "Completed", times[i])
            .ok());
  }
  std::vector<std::string> seen;
  boost::json::value cursor = nullptr;
  int pages = 0;
  do {
    boost::json::object q{{"limit", 2}};
    if (cursor.is_string()) q["cursor"] = cursor;
    auto r = query("customer.orders", q);
    for (const auto& o : r.at("orders").as_array()) seen.emplace_back(o.at("id").as_string());
    cursor = r.at("next_cursor");
    ++pages;
  } while (cursor.is_string() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{oid(5), oid(3), oid(2), oid(4), oid(1)}));
}

TEST_F(Views, CustomerOrdersRefusesABadCursorAndLimit) {
  auto r = run(
      boost::json::object{{"op", "customer.orders"}, {"customer_id", kId}, {"cursor", "nope"}, {"limit", 0}});
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 2u) << r.status;
  EXPECT_EQ(v[0].field, "limit");
  EXPECT_EQ(v[0].rule, "limit.out_of_range");
  EXPECT_EQ(v[1].field, "cursor");
  EXPECT_EQ(v[1].rule, "cursor.invalid");
}

TEST_F(Views, OrderRecordByACustomerActorIsPermissionDenied) {
  auto r = run(boost::json::object{{"op", "order.record"},
                                   {"actor", "customer"},
                                   {"customer_id", kId},
                                   {"id", oid(1)},
                                   {"order_number", "1"},
                                   {"placed_at", "2026-01-01"},
                                   {"status", "Pending"},
                                   {"total", {{"amount", 1}, {"currency", "USD"}}},
                                   {"item_count", 1}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
}

// ---- tickets
// -----------------------------------------------------------------------------------------------

TEST_F(Views, TicketAddReturnsTheTicketWithDefaults) {
  auto r = ticket({{"id", oid(1)}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, boost::json::parse(R"({"id":"018f0000-0000-7000-8000-000000000001",
      "customer_id":"018f0000-0000-7000-8000-000000000001","subject":"Parcel damaged","status":"Open",
      "priority":"Normal","created_at":"2026-01-05T10:00:00.000Z","updated_at":"2026-01-05T10:00:00.000Z"})"));
}

TEST_F(Views, TicketAddReportsEveryBadField) {
  auto r = ticket({{"subject", " "}, {"status", "Solved"}, {"priority", "Critical"}, {"created_at", "soon"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 4u) << r.status;
  EXPECT_EQ(v[0].field, "subject");
  EXPECT_EQ(v[0].rule, "ticket.subject_required");
  EXPECT_EQ(v[1].field, "status");
  EXPECT_EQ(v[1].rule, "ticket.status_unknown");
  EXPECT_EQ(v[2].field, "priority");
  EXPECT_EQ(v[2].rule, "ticket.priority_unknown");
  EXPECT_EQ(v[3].field, "created_at");
  EXPECT_EQ(v[3].rule, "timestamp.invalid");
}

TEST_F(Views, TicketSubjectIsLimitedTo255CodePoints) {
  auto v = only(ticket({{"subject", std::string(256, 'x')}}));
  EXPECT_EQ(v.field, "subject");
  EXPECT_EQ(v.rule, "text.too_long");
}

TEST_F(Views, TicketCreatedAtInTheFutureIsRefused) {
  auto v = only(ticket({{"created_at", "2026-02-01T00:00:00Z"}}));
  EXPECT_EQ(v.field, "created_at");
  EXPECT_EQ(v.rule, "timestamp.in_future");
  EXPECT_EQ(only(ticket({{"created_at", "2026-01-05T10:05:00.001Z"}})).rule, "timestamp.in_future");
  EXPECT_TRUE(ticket({{"created_at", "2026-01-05T10:05:00.000Z"}}).ok());
}

TEST_F(Views, TicketAddIsIdempotentById) {
  ASSERT_TRUE(ticket({{"id", oid(1)}}).ok());
  clock_.advance(absl::Hours(1));
  auto again = ticket({{"id", oid(1)}});
  ASSERT_TRUE(again.ok()) << again.status;
  EXPECT_EQ(again.result.at("created_at"), "2026-01-05T10:00:00.000Z");
  auto other = ticket({{"id", oid(1)}, {"priority", "High"}});
  EXPECT_EQ(error_code_of(other.status), ErrorCode::already_exists);
  EXPECT_EQ(only(other).rule, "id.taken");
}

TEST_F(Views, TicketUpdateChangesOnlyItsFieldsAndStampsUpdatedAt) {
  ASSERT_TRUE(ticket({{"id", oid(1)}, {"priority", "High"}}).ok());
  clock_.advance(absl::Hours(2));
  auto r = run(boost::json::object{{"op", "ticket.update"}, {"ticket_id", oid(1)}, {"status", "Pending"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("status"), "Pending");
  EXPECT_EQ(r.result.at("priority"), "High");
  EXPECT_EQ(r.result.at("updated_at"), "2026-01-05T12:00:00.000Z");
  EXPECT_EQ(r.result.at("created_at"), "2026-01-05T10:00:00.000Z");
}

TEST_F(Views, TicketUpdateWithoutChangeKeepsUpdatedAt) {
  ASSERT_TRUE(ticket({{"id", oid(1)}}).ok());
  clock_.advance(absl::Hours(2));
  auto r = run(boost::json::object{{"op", "ticket.update"}, {"ticket_id", oid(1)}, {"status", "Open"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("updated_at"), "2026-01-05T10:00:00.000Z");
}

TEST_F(Views, TicketUpdateOfAnUnknownTicketIsNotFound) {
  auto r = run(boost::json::object{{"op", "ticket.update"}, {"ticket_id", oid(9)}, {"status", "Closed"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(only(r).field, "ticket_id");
  EXPECT_EQ(only(r).rule, "ticket.not_found");
}

TEST_F(Views, TicketUpdateNeedsATicketId) {
  auto r = run(boost::json::object{{"op", "ticket.update"}, {"status", "Closed"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::invalid_argument);
  EXPECT_EQ(only(r).field, "ticket_id");
}

TEST_F(Views, TicketOfAnErasedCustomerCannotBeAdded) {
  ASSERT_TRUE(run(boost::json::object{{"op", "customer.erase"}, {"customer_id", kId}}).ok());
  auto r = ticket({});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  EXPECT_EQ(only(r).rule, "customer.erased");
}

TEST_F(Views, TicketCommandsDoNotChangeTheCustomerVersion) {
  ASSERT_TRUE(ticket({{"id", oid(1)}}).ok());
  auto r = run(boost::json::object{{"op", "customer.get"}, {"customer_id", kId}});
  EXPECT_EQ(r.result.at("version"), 1);
}

TEST_F(Views, TicketWithAStaleExpectedVersionIsConflict) {
  auto r = ticket({{"expected_version", 5}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::conflict);
}

TEST_F(Views, CustomerTicketsListsUnresolvedFirstThenNewest) {
  ASSERT_TRUE(ticket({{"id", oid(1)}, {"status", "Closed"}, {"created_at", "2026-01-04T00:00:00Z"}}).ok());
  ASSERT_TRUE(ticket({{"id", oid(2)}, {"status", "Open"}, {"created_at", "2026-01-01T00:00:00Z"}}).ok());
  ASSERT_TRUE(ticket({{"id", oid(3)}, {"status", "Pending"}, {"created_at", "2026-01-02T00:00:00Z"}}).ok());
  ASSERT_TRUE(ticket({{"id", oid(4)}, {"status", "Closed"}, {"created_at", "2026-01-03T00:00:00Z"}}).ok());
  ASSERT_TRUE(ticket({{"id", oid(5)}, {"status", "Open"}, {"created_at", "2026-01-02T00:00:00Z"}}).ok());
  auto r = query("customer.tickets");
  std::vector<std::string> ids;
  for (const auto& t : r.at("tickets").as_array()) ids.emplace_back(t.at("id").as_string());
  // 3 and 5 share created_at: the larger id first.
  EXPECT_EQ(ids, (std::vector<std::string>{oid(5), oid(3), oid(2), oid(1), oid(4)}));
  EXPECT_EQ(r.at("unresolved"), 3);
}

TEST_F(Views, DeletingACustomerWithATicketIsRefused) {
  ASSERT_TRUE(ticket({}).ok());
  auto r = run(boost::json::object{{"op", "customer.delete"}, {"customer_id", kId}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  EXPECT_EQ(only(r).rule, "customer.has_records");
}

// ---- opportunities
// -----------------------------------------------------------------------------------------

TEST_F(Views, OpportunityAddReturnsTheOpportunity) {
  auto r = opportunity({{"id", oid(1)},
                        {"stage", "70%"},
                        {"amount", {{"amount", "1250.50"}, {"currency", "EUR"}}},
                        {"expected_close", "2026-03-31"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, boost::json::parse(R"({"id":"018f0000-0000-7000-8000-000000000001",
      "customer_id":"018f0000-0000-7000-8000-000000000001","subject":"Fleet renewal","stage":"70%","is_open":true,
      "amount":{"amount":125050,"currency":"EUR"},"expected_close":"2026-03-31",
      "created_at":"2026-01-05T10:00:00.000Z","updated_at":"2026-01-05T10:00:00.000Z"})"));
}

TEST_F(Views, OpportunityStartsAtFiftyPercentWithoutAmountOrDate) {
  auto r = opportunity({});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("stage"), "50%");
  EXPECT_EQ(r.result.at("amount"), nullptr);
  EXPECT_EQ(r.result.at("expected_close"), nullptr);
}

TEST_F(Views, OpportunityAddReportsEveryBadField) {
  auto r = opportunity({{"subject", ""},
                        {"stage", "Won"},
                        {"amount", {{"amount", "12.345"}, {"currency", "USD"}}},
                        {"expected_close", "2026-02-30"}});
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 4u) << r.status;
  EXPECT_EQ(v[0].field, "amount.amount");
  EXPECT_EQ(v[0].rule, "money.too_many_decimals");
  EXPECT_EQ(v[1].field, "subject");
  EXPECT_EQ(v[1].rule, "opportunity.subject_required");
  EXPECT_EQ(v[2].field, "stage");
  EXPECT_EQ(v[2].rule, "opportunity.stage_unknown");
  EXPECT_EQ(v[3].field, "expected_close");
  EXPECT_EQ(v[3].rule, "date.invalid");
}

TEST_F(Views, OpportunityUpdateClearsAmountAndDateWithNull) {
  ASSERT_TRUE(opportunity({{"id", oid(1)},
                           {"amount", {{"amount", 100}, {"currency", "USD"}}},
                           {"expected_close", "2026-03-31"}})
                  .ok());
  auto r = run(boost::json::object{{"op", "opportunity.update"},
                                   {"opportunity_id", oid(1)},
                                   {"stage", "Closed Won"},
                                   {"amount", nullptr},
                                   {"expected_close", nullptr}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("stage"), "Closed Won");
  EXPECT_EQ(r.result.at("is_open"), false);
  EXPECT_EQ(r.result.at("amount"), nullptr);
  EXPECT_EQ(r.result.at("expected_close"), nullptr);
}

TEST_F(Views, OpportunityByTheCustomerActorIsPermissionDenied) {
  auto r = opportunity({{"actor", "customer"}});
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
}

TEST_F(Views, CustomerOpportunitiesListByStageWithOpenPipelinePerCurrency) {
  auto amount = [](int64_t a, const char* c) { return boost::json::object{{"amount", a}, {"currency", c}}; };
  ASSERT_TRUE(opportunity({{"id", oid(1)}, {"stage", "Closed Won"}, {"amount", amount(100000, "USD")}}).ok());
  ASSERT_TRUE(opportunity({{"id", oid(2)}, {"stage", "90%"}, {"amount", amount(5000, "USD")}}).ok());
  ASSERT_TRUE(opportunity({{"id", oid(3)}, {"stage", "50%"}, {"amount", amount(7000, "USD")}}).ok());
  ASSERT_TRUE(opportunity({{"id", oid(4)},
                           {"stage", "50%"},
                           {"amount", amount(300, "EUR")},
                           {"expected_close", "2026-02-01"}})
                  .ok());
  ASSERT_TRUE(opportunity({{"id", oid(5)}, {"stage", "Postponed"}, {"amount", amount(999, "EUR")}}).ok());
  ASSERT_TRUE(opportunity({{"id", oid(6)}, {"stage", "60%"}}).ok());
  auto r = query("customer.opportunities");
  std::vector<std::string> ids;
  for (const auto& o : r.at("opportunities").as_array()) ids.emplace_back(o.at("id").as_string());
  // Stage in list order; within 50%, the dated one first.
  EXPECT_EQ(ids, (std::vector<std::string>{oid(4), oid(3), oid(6), oid(2), oid(1), oid(5)}));
  EXPECT_EQ(r.at("open_pipeline"), boost::json::parse(R"({"EUR":300,"USD":12000})"));
}

TEST_F(Views, DeletingACustomerWithAnOpportunityIsRefused) {
  ASSERT_TRUE(opportunity({}).ok());
  auto r = run(boost::json::object{{"op", "customer.delete"}, {"customer_id", kId}});
  EXPECT_EQ(only(r).rule, "customer.has_records");
}

}  // namespace
}  // namespace leadcustomers
