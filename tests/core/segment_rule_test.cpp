// The segment rule language (docs/segments.md): parse errors with their positions, precedence, types,
// evaluation of every fact, the day windows at their exact boundaries, explain, and the ten built-ins.
#include "leadcustomers/segment_rule.hpp"

#include <string>
#include <string_view>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/segment.hpp"

namespace leadcustomers {
namespace {

absl::Time now() { return parse_timestamp("2026-06-30T12:00:00.000Z").value(); }

struct RuleFailure {
  std::string rule;
  std::string message;
};

RuleFailure failure(std::string_view text) {
  auto r = parse_segment_rule(text);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return {};
  EXPECT_EQ(error_code_of(r.status()), ErrorCode::validation_failed);
  auto v = violations_of(r.status());
  EXPECT_EQ(v.size(), 1u);
  if (v.empty()) return {};
  EXPECT_EQ(v[0].field, "rule");
  return {v[0].rule, v[0].message};
}

SegmentRule parse(std::string_view text) {
  auto r = parse_segment_rule(text);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SegmentRule{};
}

CustomerFacts active() {
  CustomerFacts f;
  f.status = Status::active;
  f.created_at = now() - absl::Hours(24 * 400);
  return f;
}

CustomerFacts::OrderFact order(absl::Time at, OrderStatus s = OrderStatus::completed, int64_t amount = 1000,
                               std::string currency = "USD") {
  return {at, s, Money{amount, std::move(currency)}};
}

bool holds(std::string_view rule, const CustomerFacts& f, absl::Time at = now()) {
  return evaluate(parse(rule), f, at);
}

// ---- parse errors: rule id, field, column and offset ----

TEST(SegmentRuleParse, UnknownFactGivesItsColumnAndOffset) {
  auto f = failure(R"(region = "US" and regoin = "CA")");
  EXPECT_EQ(f.rule, "segment.rule_unknown_fact");
  EXPECT_EQ(
      f.message,
      "rule 'region = \"US\" and regoin = \"CA\"': column 19 (offset 18): unknown fact 'regoin' (facts: "
      "status, customer_type_id, company, region, state, subscribed, has_tag, created_in_last, "
      "order_count, orders_in_last, lifetime_value)");
}

// ---- nesting depth (kMaxRuleDepth = 16) ----

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SegmentRuleParse, SixteenNotsParseAndTheSeventeenthIsTooDeep) {
  EXPECT_EQ(kMaxRuleDepth, 16);
  SegmentRule ok = parse(repeat("not ", 16) + "subscribed");
  CustomerFacts f = active();
  EXPECT_FALSE(evaluate(ok, f, now()));  // an even number of nots: subscribed, and f is not
  std::string deep = repeat("not ", 17) + "subscribed";
  auto fl = failure(deep);
  EXPECT_EQ(fl.rule, "segment.rule_too_deep");
  EXPECT_EQ(
      fl.message,
      "rule '" + deep + "': column 65 (offset 64): more than 16 nested parentheses and nots (at most 16)");
}

TEST(SegmentRuleParse, SixteenParenthesesParseAndTheSeventeenthIsTooDeep) {
  CustomerFacts f = active();
  f.subscribed = true;
  EXPECT_TRUE(holds(repeat("(", 16) + "subscribed" + repeat(")", 16), f));
  std::string deep = repeat("(", 17) + "subscribed" + repeat(")", 17);
  auto fl = failure(deep);
  EXPECT_EQ(fl.rule, "segment.rule_too_deep");
  EXPECT_EQ(
      fl.message,
      "rule '" + deep + "': column 17 (offset 16): more than 16 nested parentheses and nots (at most 16)");
}

// `levels` alternating or/and chains: "a or (a and (a or (… b)))"; the innermost clause is `b`.
std::string alternating(int levels, std::string_view a, std::string_view b) {
  std::string out, close;
  for (int i = 0; i < levels; ++i) {
    out += std::string(a) + (i % 2 == 0 ? " or " : " and ");
    if (i + 1 < levels) {
      out += "(";
      close += ")";
    }
  }
  return out + std::string(b) + close;
}

TEST(SegmentRuleParse, SixteenAndOrLevelsParseAndTheSeventeenthIsTooDeep) {
  CustomerFacts f = active();
  EXPECT_TRUE(holds(alternating(16, "order_count = 0", "subscribed"), f));
  std::string deep = alternating(17, "order_count = 0", "subscribed");
  auto fl = failure(deep);
  EXPECT_EQ(fl.rule, "segment.rule_too_deep");
  // The innermost chain (level 17) starts after 16 "order_count = 0 or (" / "… and (" prefixes.
  size_t offset = deep.rfind("order_count = 0");
  ASSERT_NE(offset, std::string::npos);
  EXPECT_EQ(fl.message, "rule '" + deep.substr(0, 80) + "…': column " + std::to_string(offset + 1) +
                            " (offset " + std::to_string(offset) +
                            "): this clause is nested more than 16 and/or/not levels deep (at most 16; a or "
                            "b and c is two levels)");
}

TEST(SegmentRuleParse, AndInsideOrIsALevelButTheSameChainInParenthesesIsNot) {
  // Eight parenthesized groups of "x or y and (…)": two levels each.
  std::string rule;
  std::string close;
  for (int i = 0; i < 8; ++i) {
    rule += "order_count = 0 or subscribed and (";
    close += ")";
  }
  SegmentRule ok = parse(rule + "order_count = 0" + close);
  EXPECT_TRUE(evaluate(ok, active(), now()));
  EXPECT_EQ(failure("order_count = 0 or subscribed and (" + rule + "order_count = 0" + close + ")").rule,
            "segment.rule_too_deep");
  // 16 parentheses of the same chain kind are one level: only the parenthesis count limits them.
  std::string same = repeat("subscribed and (", 16) + "order_count = 0" + repeat(")", 16);
  CustomerFacts f = active();
  f.subscribed = true;
  EXPECT_TRUE(holds(same, f));
}

TEST(SegmentRuleParse, MissingValueAtTheEndIsASyntaxError) {
  auto f = failure("status = ");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(f.message,
            "rule 'status = ': column 10 (offset 9): expected a fact or a value, found the end of the rule");
}

TEST(SegmentRuleParse, UnterminatedStringPointsAtItsQuote) {
  auto f = failure(R"(region = "US)");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(f.message,
            "rule 'region = \"US': column 10 (offset 9): unterminated string (a string ends with \")");
}

TEST(SegmentRuleParse, UnclosedParenthesisNamesWhereItOpened) {
  auto f = failure(R"(subscribed and (status = "Active")");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(
      f.message,
      "rule 'subscribed and (status = \"Active\"': column 34 (offset 33): expected ')' to close the '(' at "
      "column 16, found the end of the rule");
}

TEST(SegmentRuleParse, ColumnCountsCodePointsOffsetCountsBytes) {
  auto f = failure(R"(state = "É" and nope)");
  EXPECT_EQ(f.rule, "segment.rule_unknown_fact");

  EXPECT_NE(f.message.find("column 17 (offset 17): unknown fact 'nope'"), std::string::npos);
}

TEST(SegmentRuleParse, TrailingTokensAreRefused) {
  auto f = failure(R"(subscribed subscribed)");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(
      f.message,
      "rule 'subscribed subscribed': column 12 (offset 11): unexpected 'subscribed' (expected and, or, or "
      "the end of the rule)");
}

TEST(SegmentRuleParse, UnexpectedCharacterIsNamed) {
  auto f = failure(R"(order_count >= 1 & subscribed)");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(f.message,
            "rule 'order_count >= 1 & subscribed': column 18 (offset 17): unexpected character '&'");
}

TEST(SegmentRuleParse, StringFactComparedWithIntegerIsATypeError) {
  auto f = failure("region = 5");
  EXPECT_EQ(f.rule, "segment.rule_type");
  EXPECT_EQ(
      f.message,
      "rule 'region = 5': column 10 (offset 9): region is a string and cannot be compared with an integer 5");
}

TEST(SegmentRuleParse, IntegerFactComparedWithStringIsATypeError) {
  auto f = failure(R"(lifetime_value("USD") >= "50000")");
  EXPECT_EQ(f.rule, "segment.rule_type");
  EXPECT_NE(
      f.message.find("column 26 (offset 25): lifetime_value is an integer and cannot be compared with a "
                     "string \"50000\""),
      std::string::npos);
}

TEST(SegmentRuleParse, OrderingAStringIsATypeErrorAtTheOperator) {
  auto f = failure(R"(status < "Active")");
  EXPECT_EQ(f.rule, "segment.rule_type");
  EXPECT_EQ(
      f.message,
      "rule 'status < \"Active\"': column 8 (offset 7): status is a string: only = and != apply, not <");
}

TEST(SegmentRuleParse, BareIntegerFactIsNotACondition) {
  auto f = failure("order_count");
  EXPECT_EQ(f.rule, "segment.rule_type");
  EXPECT_EQ(
      f.message,
      "rule 'order_count': column 1 (offset 0): order_count is an integer, not a condition: compare it (e.g. "
      "order_count >= 1)");
}

TEST(SegmentRuleParse, TwoFactsCannotBeCompared) {
  EXPECT_EQ(failure("order_count = customer_type_id").rule, "segment.rule_type");
  EXPECT_EQ(failure("1 = 1").rule, "segment.rule_type");
}

TEST(SegmentRuleParse, UnknownStatusValueIsRefused) {
  auto f = failure(R"(status = "active")");
  EXPECT_EQ(f.rule, "segment.rule_value");
  EXPECT_EQ(f.message,
            "rule 'status = \"active\"': column 10 (offset 9): status 'active' is not Active, Inactive or "
            "Archived");
}

TEST(SegmentRuleParse, DaysOutOfRangeIsRefusedAtTheArgument) {
  auto f = failure("orders_in_last(40000) >= 1");
  EXPECT_EQ(f.rule, "segment.rule_value");
  EXPECT_EQ(f.message,
            "rule 'orders_in_last(40000) >= 1': column 16 (offset 15): orders_in_last(40000): days must be "
            "between 0 "
            "and 36500");
}

TEST(SegmentRuleParse, CurrencyMustBeThreeLetters) {
  auto f = failure(R"(lifetime_value("US$") > 0)");
  EXPECT_EQ(f.rule, "segment.rule_value");
  EXPECT_NE(f.message.find("column 16 (offset 15): lifetime_value: currency 'US$' is not an ISO 4217 code"),
            std::string::npos);
}

TEST(SegmentRuleParse, CompanyMustBeAUuidOrEmpty) {
  EXPECT_EQ(failure(R"(company = "Acme")").rule, "segment.rule_value");
  auto ok = parse(R"(company = "018F0000-0000-7000-8000-00000000C001")");
  EXPECT_EQ(ok.root.value.text, "018f0000-0000-7000-8000-00000000c001");
}

TEST(SegmentRuleParse, FactWithoutItsArgumentIsASyntaxError) {
  auto f = failure("lifetime_value >= 1");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_EQ(f.message,
            "rule 'lifetime_value >= 1': column 16 (offset 15): lifetime_value takes a currency: "
            "lifetime_value(\"USD\")");
  EXPECT_EQ(failure("region(1) = \"US\"").rule, "segment.rule_syntax");
}

TEST(SegmentRuleParse, IntegerOutOfRangeIsASyntaxError) {
  auto f = failure("order_count > 99999999999999999999");
  EXPECT_EQ(f.rule, "segment.rule_syntax");
  EXPECT_NE(f.message.find("column 15 (offset 14): integer 99999999999999999999 is out of range"),
            std::string::npos);
}

TEST(SegmentRuleParse, EmptyRuleIsASyntaxError) {
  EXPECT_EQ(failure("").rule, "segment.rule_syntax");
  EXPECT_EQ(failure("()").rule, "segment.rule_syntax");
}

// ---- precedence and shape ----

TEST(SegmentRulePrecedence, AndBindsTighterThanOr) {
  auto r = parse(R"(subscribed or has_tag("a") and has_tag("b"))");
  ASSERT_EQ(r.root.kind, RuleNode::Kind::any_of);
  ASSERT_EQ(r.root.operands.size(), 2u);
  EXPECT_EQ(r.root.operands[1].kind, RuleNode::Kind::all_of);
  CustomerFacts f = active();
  f.subscribed = true;  // (a or b) and c would be false: no tag b
  EXPECT_TRUE(evaluate(r, f, now()));
}

TEST(SegmentRulePrecedence, NotBindsTighterThanAnd) {
  auto r = parse(R"(not subscribed and has_tag("b"))");
  ASSERT_EQ(r.root.kind, RuleNode::Kind::all_of);
  EXPECT_EQ(r.root.operands[0].kind, RuleNode::Kind::negation);
  CustomerFacts f = active();  // not subscribed, no tag b: not (a and b) would be true
  EXPECT_FALSE(evaluate(r, f, now()));
}

TEST(SegmentRulePrecedence, ParenthesesOverridePrecedence) {
  CustomerFacts f = active();
  f.subscribed = true;
  EXPECT_FALSE(holds(R"((subscribed or has_tag("a")) and has_tag("b"))", f));
  EXPECT_TRUE(holds(R"(not (subscribed and has_tag("b")))", f));
}

TEST(SegmentRulePrecedence, ChainsAreFlattened) {
  auto r = parse(R"(subscribed and has_tag("a") and has_tag("b") or order_count = 0 or order_count > 5)");
  ASSERT_EQ(r.root.kind, RuleNode::Kind::any_of);
  ASSERT_EQ(r.root.operands.size(), 3u);
  EXPECT_EQ(r.root.operands[0].operands.size(), 3u);
}

TEST(SegmentRulePrecedence, KeywordsIgnoreCase) {
  CustomerFacts f = active();
  f.subscribed = true;
  EXPECT_TRUE(holds(R"(subscribed AND NOT has_tag("x") Or FALSE = subscribed)", f));
}

TEST(SegmentRuleParse, ValueOnTheLeftIsFlipped) {
  auto r = parse(R"(50000 <= lifetime_value("usd"))");
  ASSERT_EQ(r.root.kind, RuleNode::Kind::comparison);
  EXPECT_EQ(r.root.fact.fact, RuleFact::lifetime_value);
  EXPECT_EQ(r.root.fact.argument, "USD");
  EXPECT_EQ(r.root.op, CompareOp::ge);
  EXPECT_EQ(r.root.value.integer, 50000);
}

TEST(SegmentRuleParse, RegionAndStateLiteralsAreUpperCased) {
  CustomerFacts f = active();
  f.region = "US";
  f.state = "US-CA";
  EXPECT_TRUE(holds(R"(region = "us" and state = "us-ca")", f));
}

TEST(SegmentRuleParse, StringEscapes) {
  CustomerFacts f = active();
  f.tags = {R"(say "hi" \ bye)"};
  EXPECT_TRUE(holds(R"(has_tag("say \"hi\" \\ bye"))", f));
  EXPECT_EQ(failure(R"(has_tag("a\n"))").rule, "segment.rule_syntax");
}

// ---- facts ----

TEST(SegmentFacts, LifetimeValueCountsOnlyCountedOrdersInThatCurrency) {
  CustomerFacts f = active();
  f.orders = {order(now(), OrderStatus::completed, 30000),       order(now(), OrderStatus::shipped, 15000),
              order(now(), OrderStatus::processing, 5000),       order(now(), OrderStatus::pending, 90000),
              order(now(), OrderStatus::cancelled, 90000),       order(now(), OrderStatus::refunded, 90000),
              order(now(), OrderStatus::completed, 77000, "EUR")};
  EXPECT_EQ(fact_value({RuleFact::lifetime_value, 0, "USD"}, f, now()).integer, 50000);
  EXPECT_EQ(fact_value({RuleFact::lifetime_value, 0, "EUR"}, f, now()).integer, 77000);
  EXPECT_EQ(fact_value({RuleFact::lifetime_value, 0, "JPY"}, f, now()).integer, 0);
  EXPECT_EQ(fact_value({RuleFact::order_count, 0, ""}, f, now()).integer, 7);
  EXPECT_TRUE(holds(R"(lifetime_value("USD") >= 50000)", f));
  EXPECT_FALSE(holds(R"(lifetime_value("USD") > 50000)", f));
}

TEST(SegmentFacts, PrimaryAddressIsDefaultBillingThenDefaultShipping) {
  CustomerAggregate agg;
  Address ship;
  ship.id = AddressId::generate();
  ship.region = "CA";
  ship.state = "CA-QC";
  Address bill;
  bill.id = AddressId::generate();
  bill.region = "US";
  agg.addresses = {ship, bill};
  EXPECT_EQ(primary_address(agg), nullptr);
  agg.customer.default_shipping_address_id = ship.id;
  EXPECT_EQ(customer_facts(agg, {}).region, "CA");
  EXPECT_EQ(customer_facts(agg, {}).state, "CA-QC");
  agg.customer.default_billing_address_id = bill.id;
  EXPECT_EQ(customer_facts(agg, {}).region, "US");
  EXPECT_EQ(customer_facts(agg, {}).state, "");
}

TEST(SegmentFacts, CustomerFieldsAreRead) {
  CustomerAggregate agg;
  agg.customer.status = Status::inactive;
  agg.customer.customer_type_id = 3;
  agg.customer.company_id = CompanyId::parse("018f0000-0000-7000-8000-00000000c001");
  agg.customer.newsletter.subscribed = true;
  agg.customer.tags = {"vip"};
  CustomerFacts f = customer_facts(agg, {});
  EXPECT_TRUE(holds(R"(status = "Inactive" and customer_type_id = 3 and subscribed and has_tag("vip"))", f));
  EXPECT_TRUE(holds(R"(company = "018f0000-0000-7000-8000-00000000c001" and region = "" and state = "")", f));
  EXPECT_FALSE(holds(R"(company = "" or has_tag("VIP"))", f));
}

// ---- windows: (now - N days, now] ----

TEST(SegmentWindows, OrdersInLastExcludesExactlyNDaysAgoAndIncludesOneMicrosecondLater) {
  CustomerFacts f = active();
  const absl::Time edge = now() - absl::Hours(24 * 30);
  f.orders = {order(edge)};
  EXPECT_FALSE(holds("orders_in_last(30) >= 1", f));
  f.orders = {order(edge + absl::Microseconds(1))};
  EXPECT_TRUE(holds("orders_in_last(30) >= 1", f));
  f.orders = {order(now())};
  EXPECT_TRUE(holds("orders_in_last(30) >= 1", f));
  f.orders = {order(now() + absl::Microseconds(1))};  // not yet placed at "now"
  EXPECT_FALSE(holds("orders_in_last(30) >= 1", f));
}

TEST(SegmentWindows, OrdersInLastCountsOnlyCountedStatuses) {
  CustomerFacts f = active();
  f.orders = {order(now(), OrderStatus::pending), order(now(), OrderStatus::cancelled),
              order(now(), OrderStatus::refunded), order(now(), OrderStatus::shipped)};
  EXPECT_EQ(fact_value({RuleFact::orders_in_last, 30, ""}, f, now()).integer, 1);
}

TEST(SegmentWindows, CreatedInLastAtItsBoundaries) {
  CustomerFacts f = active();
  f.created_at = now() - absl::Hours(24 * 90);
  EXPECT_FALSE(holds("created_in_last(90)", f));
  f.created_at += absl::Microseconds(1);
  EXPECT_TRUE(holds("created_in_last(90)", f));
  f.created_at = now();
  EXPECT_TRUE(holds("created_in_last(90)", f));
  f.created_at = now() + absl::Microseconds(1);
  EXPECT_FALSE(holds("created_in_last(90)", f));
}

// ---- built-ins ----

bool in_builtin(std::string_view id, const CustomerFacts& f) {
  const Segment* s = find_builtin_segment(id);
  EXPECT_NE(s, nullptr) << id;
  if (!s) return false;
  return is_member(parse(s->rule), f, now());
}

TEST(BuiltinSegments, TheTenExistInSpecOrderAndParse) {
  std::vector<std::string> ids;
  for (const auto& s : builtin_segments()) {
    ids.push_back(s.id);
    EXPECT_TRUE(parse_segment_rule(s.rule).ok()) << s.id;
    EXPECT_TRUE(s.builtin);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"builtin.non_purchasers_180d", "builtin.non_purchasers_90d",
                                           "builtin.orders_180d", "builtin.orders_120d", "builtin.orders_90d",
                                           "builtin.orders_30d", "builtin.new_90d", "builtin.new_30d",
                                           "builtin.all_leads", "builtin.all_customers"}));
}

class OrderWindowBuiltins : public ::testing::TestWithParam<int> {};

TEST_P(OrderWindowBuiltins, OrdersAndNonPurchasersFlipOneMicrosecondInsideTheWindow) {
  const int days = GetParam();
  const std::string orders = "builtin.orders_" + std::to_string(days) + "d";
  const std::string non = "builtin.non_purchasers_" + std::to_string(days) + "d";
  const bool has_non = days == 180 || days == 90;
  CustomerFacts f = active();
  f.orders = {order(now() - absl::Hours(24 * days))};
  EXPECT_FALSE(in_builtin(orders, f));
  if (has_non) {
    EXPECT_TRUE(in_builtin(non, f));
  }
  f.orders = {order(now() - absl::Hours(24 * days) + absl::Microseconds(1))};
  EXPECT_TRUE(in_builtin(orders, f));
  if (has_non) {
    EXPECT_FALSE(in_builtin(non, f));
  }
  // A cancelled order in the window is not a purchase.
  f.orders = {order(now() - absl::Hours(1), OrderStatus::cancelled)};
  EXPECT_FALSE(in_builtin(orders, f));
  if (has_non) {
    EXPECT_TRUE(in_builtin(non, f));
  }
  // Only Active customers.
  f.orders = {order(now() - absl::Hours(1))};
  f.status = Status::inactive;
  EXPECT_FALSE(in_builtin(orders, f));
  if (has_non) {
    EXPECT_FALSE(in_builtin(non, f));
  }
}

INSTANTIATE_TEST_SUITE_P(Days, OrderWindowBuiltins, ::testing::Values(180, 120, 90, 30));

TEST(BuiltinSegments, NewCustomersAtTheirBoundaries) {
  for (int days : {90, 30}) {
    const std::string id = "builtin.new_" + std::to_string(days) + "d";
    CustomerFacts f = active();
    f.created_at = now() - absl::Hours(24 * days);
    EXPECT_FALSE(in_builtin(id, f)) << id;
    f.created_at += absl::Microseconds(1);
    EXPECT_TRUE(in_builtin(id, f)) << id;
    f.status = Status::archived;
    EXPECT_FALSE(in_builtin(id, f)) << id;
  }
}

TEST(BuiltinSegments, NonPurchasersIncludeCustomersWhoNeverOrdered) {
  CustomerFacts f = active();
  EXPECT_TRUE(in_builtin("builtin.non_purchasers_180d", f));
  EXPECT_TRUE(in_builtin("builtin.non_purchasers_90d", f));
}

TEST(BuiltinSegments, AllLeadsAreActiveCustomersWithoutAnyOrderCancelledIncluded) {
  CustomerFacts f = active();
  EXPECT_TRUE(in_builtin("builtin.all_leads", f));
  f.orders = {order(now() - absl::Hours(24 * 999), OrderStatus::cancelled)};
  EXPECT_FALSE(in_builtin("builtin.all_leads", f));
  f.orders.clear();
  f.status = Status::inactive;
  EXPECT_FALSE(in_builtin("builtin.all_leads", f));
}

TEST(BuiltinSegments, AllCustomersAreTheActiveOnes) {
  CustomerFacts f = active();
  EXPECT_TRUE(in_builtin("builtin.all_customers", f));
  f.status = Status::inactive;
  EXPECT_FALSE(in_builtin("builtin.all_customers", f));
}

TEST(BuiltinSegments, ErasedCustomersAreInNoSegment) {
  CustomerFacts f = active();
  f.status = Status::active;  // impossible after erase, but membership must not depend on it
  f.erased = true;
  for (const auto& s : builtin_segments()) EXPECT_FALSE(in_builtin(s.id, f)) << s.id;
}

// ---- explain ----

TEST(SegmentExplain, FalseAndListsTheFalseOperandWithItsActualValue) {
  CustomerFacts f = active();
  f.region = "US";
  f.orders = {order(now(), OrderStatus::completed, 1200)};
  auto r = parse(R"j(region = "US" and lifetime_value("USD") >= 50000)j");
  EXPECT_EQ(boost::json::serialize(explain(r, f, now())),
            R"j({"clause":"region = \"US\" and lifetime_value(\"USD\") >= 50000","result":false,"op":"and",)j"
            R"j("decided_by":[{"clause":"lifetime_value(\"USD\") >= 50000","result":false,)j"
            R"j("fact":"lifetime_value(\"USD\")","actual":1200}]})j");
}

TEST(SegmentExplain, TrueOrListsTheTrueOperandsAndNotItsOperand) {
  CustomerFacts f = active();
  f.subscribed = false;
  auto r = parse(R"j(not subscribed or (orders_in_last(30) >= 1))j");
  EXPECT_EQ(
      boost::json::serialize(explain(r, f, now())),
      R"j({"clause":"not subscribed or (orders_in_last(30) >= 1)","result":true,"op":"or",)j"
      R"j("decided_by":[{"clause":"not subscribed","result":true,"op":"not",)j"
      R"j("decided_by":[{"clause":"subscribed","result":false,"fact":"subscribed","actual":false}]}]})j");
}

}  // namespace
}  // namespace leadcustomers
