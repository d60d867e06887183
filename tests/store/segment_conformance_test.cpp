// The segment part of the store conformance suite (SPEC §6): the segment commands and views against every
// store — MemoryStore (the core's evaluation) and SqliteStore on a file and in memory (the rule compiled to
// SQL). Kept beside conformance_test.cpp, with the same three stores.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "leadcustomers/clock.hpp"
#include "leadcustomers/error.hpp"
#include "store/store_fixtures.hpp"

namespace leadcustomers {
namespace {

using leadcustomers::testing::make_store;
using leadcustomers::testing::ScratchDir;

constexpr const char* kSegment = "018f0000-0000-7000-8000-00000000a001";
constexpr const char* kSegment2 = "018f0000-0000-7000-8000-00000000a002";

std::string customer_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "018f0000-0000-7000-8000-%012d", n);
  return buf;
}

std::string order_id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "018f0000-0000-7000-8000-0000000d%04d", n);
  return buf;
}

class SegmentConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = make_store(GetParam(), dir_);
    ASSERT_NE(store_, nullptr);
    EngineOptions options;
    options.hash_limits = HashLimits::minimum();
    engine_ = std::make_unique<Engine>(*store_, options, &clock_);
  }

  Result exec(const boost::json::object& cmd) { return engine_->execute(cmd); }

  void create(int n, std::string_view region = "", boost::json::object extra = {}) {
    boost::json::object cmd{{"op", "customer.create"}, {"id", customer_id(n)},
                            {"customer_type_id", 1},   {"first_name", "Ana"},
                            {"last_name", "Example"},  {"email", "c" + std::to_string(n) + "@example.com"}};
    if (!region.empty()) {
      boost::json::object a{{"name", "Ana Example"},
                            {"region", region},
                            {"address1", "1 Main Street"},
                            {"city", "Springfield"}};
      if (region == "US") {
        a["state"] = "MA";
        a["zip"] = "02139";
      } else if (region == "DE") {
        a["zip"] = "10115";
      }
      cmd["addresses"] = boost::json::array{a};
    }
    for (auto& [k, v] : extra) cmd[k] = v;
    Result r = exec(cmd);
    ASSERT_TRUE(r.ok()) << r.status;
  }

  void order(int customer, int n, absl::Time placed_at, std::string_view status, int64_t amount,
             std::string_view currency = "USD") {
    Result r = exec({{"op", "order.record"},
                     {"customer_id", customer_id(customer)},
                     {"id", order_id(n)},
                     {"order_number", std::to_string(1000 + n)},
                     {"placed_at", format_timestamp(placed_at)},
                     {"status", status},
                     {"total", {{"amount", amount}, {"currency", currency}}},
                     {"item_count", 1}});
    ASSERT_TRUE(r.ok()) << r.status;
  }

  Result create_segment(std::string_view id, std::string_view rule, std::string_view status = "Active") {
    return exec({{"op", "segment.create"},
                 {"id", id},
                 {"name", "Big US spenders"},
                 {"status", status},
                 {"description", "US customers with $500+"},
                 {"rule", rule}});
  }

  // All members, paging with `limit`; the pages' sizes go to `pages`.
  std::vector<std::string> members(std::string_view segment, int limit = 1000,
                                   std::vector<size_t>* pages = nullptr) {
    std::vector<std::string> out;
    std::string cursor;
    for (int guard = 0; guard < 100; ++guard) {
      boost::json::object q{{"op", "segment.members"}, {"segment_id", segment}, {"limit", limit}};
      if (!cursor.empty()) q["cursor"] = cursor;
      Result r = exec(q);
      EXPECT_TRUE(r.ok()) << r.status;
      if (!r.ok()) break;
      const auto& page = r.result.at("members").as_array();
      if (pages) pages->push_back(page.size());
      for (const auto& m : page) out.emplace_back(m.as_string());
      const auto& next = r.result.at("next_cursor");
      if (!next.is_string()) break;
      cursor = std::string(next.as_string());
    }
    return out;
  }

  std::vector<std::string> segments_of(int n) {
    Result r = exec({{"op", "customer.segments"}, {"customer_id", customer_id(n)}});
    EXPECT_TRUE(r.ok()) << r.status;
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (const auto& s : r.result.at("segments").as_array()) out.emplace_back(s.at("id").as_string());
    return out;
  }

  absl::Time now() const { return clock_.now(); }

  ScratchDir dir_;
  FixedClock clock_{parse_timestamp("2026-06-30T12:00:00.000Z").value()};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(SegmentConformance, CustomSegmentRoundTripsAndUpdatesWithAVersion) {
  Result created = create_segment(kSegment, R"(region = "US" and lifetime_value("USD") >= 50000)");
  ASSERT_TRUE(created.ok()) << created.status;
  EXPECT_EQ(
      boost::json::serialize(created.result),
      R"({"id":"018f0000-0000-7000-8000-00000000a001","name":"Big US spenders","status":"Active",)"
      R"("description":"US customers with $500+","rule":"region = \"US\" and lifetime_value(\"USD\") >= 50000",)"
      R"("builtin":false,"version":1,"created_at":"2026-06-30T12:00:00.000Z","updated_at":"2026-06-30T12:00:00.000Z"})");
  // The same create again is the stored segment; other content under the same id is ALREADY_EXISTS.
  Result again = create_segment(kSegment, R"(region = "US" and lifetime_value("USD") >= 50000)");
  ASSERT_TRUE(again.ok()) << again.status;
  EXPECT_EQ(again.result.at("version").as_int64(), 1);
  Result other = create_segment(kSegment, R"(region = "CA")");
  EXPECT_EQ(error_code_of(other.status), ErrorCode::already_exists);
  EXPECT_EQ(violations_of(other.status)[0].field, "id");
  clock_.advance(absl::Minutes(5));
  Result updated = exec({{"op", "segment.update"},
                         {"segment_id", kSegment},
                         {"expected_version", 1},
                         {"name", "US whales"},
                         {"status", "Inactive"}});
  ASSERT_TRUE(updated.ok()) << updated.status;
  EXPECT_EQ(updated.result.at("version").as_int64(), 2);
  EXPECT_EQ(updated.result.at("updated_at").as_string(), "2026-06-30T12:05:00.000Z");
  Result listed = exec({{"op", "segment.list"}});
  ASSERT_TRUE(listed.ok()) << listed.status;
  const auto& all = listed.result.at("segments").as_array();
  ASSERT_EQ(all.size(), 11u);
  EXPECT_EQ(all[0].at("id").as_string(), "builtin.non_purchasers_180d");
  EXPECT_EQ(boost::json::serialize(all[10]), boost::json::serialize(updated.result));
}

TEST_P(SegmentConformance, CustomerSegmentsListsTheActiveSegmentsItIsIn) {
  create(1, "US");
  order(1, 1, now() - absl::Hours(24 * 100), "Completed", 60000);
  ASSERT_TRUE(create_segment(kSegment, R"(region = "US" and lifetime_value("USD") >= 50000)").ok());
  ASSERT_TRUE(create_segment(kSegment2, R"(region = "US")", "Inactive").ok());
  EXPECT_EQ(segments_of(1), (std::vector<std::string>{"builtin.non_purchasers_90d", "builtin.orders_180d",
                                                      "builtin.orders_120d", "builtin.new_90d",
                                                      "builtin.new_30d", "builtin.all_customers", kSegment}));
  Result r = exec({{"op", "customer.segments"}, {"email", "c1@example.com"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(boost::json::serialize(r.result.at("segments").as_array()[5]),
            R"({"id":"builtin.all_customers","name":"All customers"})");
}

TEST_P(SegmentConformance, MembersPageByCustomerIdWithAStableCursor) {
  for (int n = 1; n <= 7; ++n) create(n, n % 3 == 0 ? "DE" : "US");
  ASSERT_TRUE(create_segment(kSegment, R"(region = "US")").ok());
  // Page one, then a new member joins behind the cursor: it appears once, on a later page.
  Result first = exec({{"op", "segment.members"}, {"segment_id", kSegment}, {"limit", 2}});
  ASSERT_TRUE(first.ok()) << first.status;
  EXPECT_EQ(boost::json::serialize(first.result.at("members")),
            "[\"" + customer_id(1) + "\",\"" + customer_id(2) + "\"]");
  EXPECT_EQ(first.result.at("next_cursor").as_string(), customer_id(2));
  create(8, "US");
  std::vector<std::string> rest;
  std::vector<size_t> pages;
  std::string cursor(first.result.at("next_cursor").as_string());
  while (!cursor.empty()) {
    Result r = exec({{"op", "segment.members"}, {"segment_id", kSegment}, {"limit", 2}, {"cursor", cursor}});
    ASSERT_TRUE(r.ok()) << r.status;
    pages.push_back(r.result.at("members").as_array().size());
    for (const auto& m : r.result.at("members").as_array()) rest.emplace_back(m.as_string());
    cursor =
        r.result.at("next_cursor").is_string() ? std::string(r.result.at("next_cursor").as_string()) : "";
  }
  EXPECT_EQ(rest, (std::vector<std::string>{customer_id(4), customer_id(5), customer_id(7), customer_id(8)}));
  EXPECT_EQ(pages, (std::vector<size_t>{2, 2}));
}

TEST_P(SegmentConformance, MembershipFollowsTheDataAndTheClockAtQueryTime) {
  create(1);
  create(2);
  EXPECT_EQ(members("builtin.orders_30d"), std::vector<std::string>{});
  EXPECT_EQ(members("builtin.all_leads"), (std::vector<std::string>{customer_id(1), customer_id(2)}));
  order(1, 1, now() - absl::Hours(1), "Shipped", 100);
  EXPECT_EQ(members("builtin.orders_30d"), std::vector<std::string>{customer_id(1)});
  EXPECT_EQ(members("builtin.all_leads"), std::vector<std::string>{customer_id(2)});
  clock_.advance(absl::Hours(24 * 30) - absl::Hours(1) - absl::Milliseconds(1));
  EXPECT_EQ(members("builtin.orders_30d"), std::vector<std::string>{customer_id(1)});
  clock_.advance(absl::Milliseconds(1));  // the order is now exactly 30 days old: out
  EXPECT_EQ(members("builtin.orders_30d"), std::vector<std::string>{});
  // Customer 1 ordered 30 days ago; customer 2 never did.
  EXPECT_EQ(members("builtin.non_purchasers_90d"), std::vector<std::string>{customer_id(2)});
  EXPECT_EQ(members("builtin.orders_90d"), std::vector<std::string>{customer_id(1)});
}

TEST_P(SegmentConformance, NewCustomersAtTheWindowBoundary) {
  create(1);  // created at the clock's time
  clock_.advance(absl::Hours(24 * 30));
  EXPECT_EQ(members("builtin.new_30d"), std::vector<std::string>{});
  EXPECT_EQ(members("builtin.new_90d"), std::vector<std::string>{customer_id(1)});
  clock_.advance(-absl::Milliseconds(1));
  EXPECT_EQ(members("builtin.new_30d"), std::vector<std::string>{customer_id(1)});
}

TEST_P(SegmentConformance, ArchivedCustomersFollowTheRuleErasedOnesAreInNoSegment) {
  create(1, "US");
  create(2, "US");
  ASSERT_TRUE(create_segment(kSegment, R"(region = "US" or region = "")").ok());
  ASSERT_TRUE(exec({{"op", "customer.set_status"},
                    {"customer_id", customer_id(1)},
                    {"status", "Archived"},
                    {"reason", "r"}})
                  .ok());
  ASSERT_TRUE(exec({{"op", "customer.erase"}, {"customer_id", customer_id(2)}}).ok());
  EXPECT_EQ(members(kSegment), std::vector<std::string>{customer_id(1)});
  EXPECT_EQ(members("builtin.all_customers"), std::vector<std::string>{});
  EXPECT_EQ(segments_of(2), std::vector<std::string>{});
  Result r = exec({{"op", "segment.explain"}, {"segment_id", kSegment}, {"customer_id", customer_id(2)}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_FALSE(r.result.at("member").as_bool());
  EXPECT_EQ(r.result.at("excluded").as_string(), "erased");
}

TEST_P(SegmentConformance, ExplainSaysWhichClauseDecided) {
  create(1, "US");
  order(1, 1, now() - absl::Hours(2), "Completed", 1200);
  order(1, 2, now() - absl::Hours(1), "Cancelled", 90000);
  ASSERT_TRUE(create_segment(kSegment, R"(region = "US" and lifetime_value("USD") >= 50000)").ok());
  Result r = exec({{"op", "segment.explain"}, {"segment_id", kSegment}, {"email", "c1@example.com"}});
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(
      boost::json::serialize(r.result),
      R"({"segment_id":"018f0000-0000-7000-8000-00000000a001","customer_id":"018f0000-0000-7000-8000-000000000001",)"
      R"("at":"2026-06-30T12:00:00.000Z","member":false,"rule":"region = \"US\" and lifetime_value(\"USD\") >= 50000",)"
      R"("excluded":null,"explain":{"clause":"region = \"US\" and lifetime_value(\"USD\") >= 50000","result":false,)"
      R"("op":"and","decided_by":[{"clause":"lifetime_value(\"USD\") >= 50000","result":false,)"
      R"j("fact":"lifetime_value(\"USD\")","actual":1200}]}})j");
}

TEST_P(SegmentConformance, EveryFactAgreesBetweenTheViews) {
  // One customer with every kind of fact; each rule's members and customer.segments must agree.
  Result company =
      exec({{"op", "company.create"}, {"id", "018f0000-0000-7000-8000-00000000c001"}, {"name", "Acme"}});
  ASSERT_TRUE(company.ok()) << company.status;
  create(1, "US",
         {{"company_id", "018f0000-0000-7000-8000-00000000c001"},
          {"newsletter", true},
          {"tags", boost::json::array{"vip"}}});
  create(2, "DE");
  order(1, 1, now() - absl::Hours(24 * 10), "Processing", 700, "EUR");
  order(2, 2, now() - absl::Hours(24 * 10), "Refunded", 700, "EUR");
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"(company = "018F0000-0000-7000-8000-00000000C001")", {customer_id(1)}},
      {R"(company = "")", {customer_id(2)}},
      {R"(company != "")", {customer_id(1)}},
      {R"(state = "US-MA")", {customer_id(1)}},
      {R"(state = "" and region = "DE")", {customer_id(2)}},
      {R"(subscribed = true)", {customer_id(1)}},
      {R"(not subscribed)", {customer_id(2)}},
      {R"(has_tag("vip"))", {customer_id(1)}},
      {R"(customer_type_id = 1 and order_count = 1)", {customer_id(1), customer_id(2)}},
      {R"(orders_in_last(11) = 1)", {customer_id(1)}},
      {R"(orders_in_last(10) = 0)", {customer_id(1), customer_id(2)}},
      {R"(lifetime_value("eur") = 700)", {customer_id(1)}},
      {R"(created_in_last(1) and not created_in_last(0))", {customer_id(1), customer_id(2)}},
  };
  int n = 0;
  for (const auto& [rule, expected] : cases) {
    std::string id = "018f0000-0000-7000-8000-00000000b" + std::string(3 - std::to_string(n).size(), '0') +
                     std::to_string(n);
    ++n;
    Result c = create_segment(id, rule);
    ASSERT_TRUE(c.ok()) << rule << ": " << c.status;
    EXPECT_EQ(members(id), expected) << rule;
    for (int k = 1; k <= 2; ++k) {
      auto in = segments_of(k);
      bool listed = std::find(in.begin(), in.end(), id) != in.end();
      bool expected_in = std::find(expected.begin(), expected.end(), customer_id(k)) != expected.end();
      EXPECT_EQ(listed, expected_in) << rule << " customer " << k;
    }
  }
}

TEST_P(SegmentConformance, RuleTextNeverReachesTheSql) {
  create(1, "US", {{"tags", boost::json::array{"x'); DROP TABLE customers; --"}}});
  ASSERT_TRUE(
      create_segment(kSegment, R"(has_tag("x'); DROP TABLE customers; --") or region = "' OR 1=1 --")").ok());
  EXPECT_EQ(members(kSegment), std::vector<std::string>{customer_id(1)});
  ASSERT_TRUE(create_segment(kSegment2, R"(region = "' OR 1=1 --")").ok());
  EXPECT_EQ(members(kSegment2), std::vector<std::string>{});
  EXPECT_EQ(members("builtin.all_customers"), std::vector<std::string>{customer_id(1)});
}

TEST_P(SegmentConformance, FailedSavepointUndoesASegmentWrite) {
  Segment s;
  s.id = kSegment;
  s.name = "One";
  s.rule = "subscribed";
  s.version = 1;
  auto status = store_->write([&](StoreTx& tx) -> absl::Status {
    EXPECT_TRUE(tx.put_segment(s).ok());
    Segment changed = s;
    changed.name = "Two";
    changed.version = 2;
    auto inner = tx.savepoint([&](StoreTx& t) -> absl::Status {
      EXPECT_TRUE(t.put_segment(changed).ok());
      return make_error(ErrorCode::internal, "undo");
    });
    EXPECT_FALSE(inner.ok());
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  auto read = store_->read([&](StoreTx& tx) -> absl::Status {
    auto loaded = tx.load_segment(kSegment);
    EXPECT_TRUE(loaded.ok() && *loaded && **loaded == s);
    auto all = tx.list_segments();
    EXPECT_TRUE(all.ok() && all->size() == 1u);
    EXPECT_TRUE(tx.put_segment(s).code() == absl::StatusCode::kInternal);
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
}

// Rules nested as deep as the language allows (kMaxRuleDepth = 16) run on every store: SQLite's parser has
// a fixed stack, and these are the shapes that use most of it (the order subqueries innermost, where the
// compiled SQL nests deepest). One level more is refused by segment.create, before any store sees it.
std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST_P(SegmentConformance, RulesAtTheDepthLimitRunOnEveryStore) {
  create(1);
  const std::string inner = R"(lifetime_value("USD") >= 0)";
  // 16 alternating or/and levels: "order_count >= 0 or (order_count >= 0 and (… lifetime_value(…) >= 0))".
  std::string alternating, close;
  for (int i = 0; i < 16; ++i) {
    alternating += i % 2 == 0 ? "order_count < 0 or " : "order_count >= 0 and ";
    if (i < 15) {
      alternating += "(";
      close += ")";
    }
  }
  alternating += inner + close;
  // 8 groups of "x or y and (…)": two levels per parenthesis.
  std::string mixed = repeat("order_count < 0 or order_count >= 0 and (", 8) + inner + repeat(")", 8);
  // 8 "not (… or" levels: a negation and a chain each.
  std::string negated = repeat("not (order_count < 0 or ", 8) + inner + repeat(")", 8);
  const std::vector<std::string> rules = {alternating,
                                          mixed,
                                          negated,
                                          repeat("not ", 16) + inner,
                                          repeat("(", 16) + inner + repeat(")", 16),
                                          repeat("not (", 8) + inner + repeat(")", 8)};
  int n = 0;
  for (const auto& rule : rules) {
    const std::string id = "018f0000-0000-7000-8000-00000000b00" + std::to_string(n++);
    Result created = create_segment(id, rule);
    ASSERT_TRUE(created.ok()) << rule << ": " << created.status;
    EXPECT_EQ(members(id), std::vector<std::string>{customer_id(1)}) << rule;
    Result explained = exec({{"op", "segment.explain"}, {"segment_id", id}, {"customer_id", customer_id(1)}});
    ASSERT_TRUE(explained.ok()) << explained.status;
    EXPECT_TRUE(explained.result.at("member").as_bool()) << rule;
  }
  for (const std::string& deeper : {repeat("not ", 17) + inner, repeat("(", 17) + inner + repeat(")", 17),
                                    "order_count < 0 or order_count >= 0 and (" + mixed + ")"}) {
    Result refused = create_segment(kSegment2, deeper);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(error_code_of(refused.status), ErrorCode::validation_failed);
    auto v = violations_of(refused.status);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].field, "rule");
    EXPECT_EQ(v[0].rule, "segment.rule_too_deep") << deeper;
  }
}

// A customer's per-currency total of all orders stays within int64 on every store (order.record refuses
// the order that would cross it), so SQLite's sum() in lifetime value, customer.orders and segments cannot
// overflow.
TEST_P(SegmentConformance, OrdersPastAnInt64TotalAreRefusedSoEverySumAnswers) {
  create(1);
  create(2);
  order(1, 1, now() - absl::Hours(1), "Completed", INT64_MAX);
  Result refused = exec({{"op", "order.record"},
                         {"customer_id", customer_id(1)},
                         {"id", order_id(2)},
                         {"order_number", "1002"},
                         {"placed_at", format_timestamp(now() - absl::Hours(1))},
                         {"status", "Pending"},
                         {"total", {{"amount", 1}, {"currency", "USD"}}},
                         {"item_count", 1}});
  ASSERT_FALSE(refused.ok());
  auto v = violations_of(refused.status);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "total.amount");
  EXPECT_EQ(v[0].rule, "money.overflow");
  order(2, 3, now() - absl::Hours(1), "Completed", 1);
  ASSERT_TRUE(create_segment(kSegment, R"(lifetime_value("USD") >= 1)").ok());
  EXPECT_EQ(members(kSegment), (std::vector<std::string>{customer_id(1), customer_id(2)}));
  Result orders = exec({{"op", "customer.orders"}, {"customer_id", customer_id(1)}});
  ASSERT_TRUE(orders.ok()) << orders.status;
  EXPECT_EQ(orders.result.at("by_currency").at("USD").at("lifetime_value"), INT64_MAX);
}

INSTANTIATE_TEST_SUITE_P(Stores, SegmentConformance,
                         ::testing::Values("memory", "sqlite_file", "sqlite_memory"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

}  // namespace
}  // namespace leadcustomers
