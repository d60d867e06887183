// The segment commands' and queries' errors (SPEC §5): each op's refusals with their codes, rule ids and
// field paths. Behaviour shared by every store is in tests/store/segment_conformance_test.cpp.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kSegment = "018f0000-0000-7000-8000-00000000a001";

class SegmentOps : public ::testing::Test {
 protected:
  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }

  struct Refusal {
    ErrorCode code;
    std::string field;
    std::string rule;
  };
  Refusal refusal(std::string_view json) {
    Result r = run(json);
    EXPECT_FALSE(r.ok()) << json;
    auto v = violations_of(r.status);
    EXPECT_EQ(v.size(), 1u) << r.status;
    if (v.empty()) return {error_code_of(r.status), "", ""};
    return {error_code_of(r.status), v[0].field, v[0].rule};
  }

  void create_segment() {
    Result r = run(R"({"op":"segment.create","id":"018f0000-0000-7000-8000-00000000a001","name":"Subscribers",
      "rule":"subscribed"})");
    ASSERT_TRUE(r.ok()) << r.status;
  }

  MemoryStore store_;
  FixedClock clock_{parse_timestamp("2026-06-30T12:00:00.000Z").value()};
  Engine engine_{store_, EngineOptions{}, &clock_};
};

#define EXPECT_REFUSED(json, code_, field_, rule_) \
  do {                                             \
    auto rf = refusal(json);                       \
    EXPECT_EQ(rf.code, code_) << json;             \
    EXPECT_EQ(rf.field, field_) << json;           \
    EXPECT_EQ(rf.rule, rule_) << json;             \
  } while (0)

TEST_F(SegmentOps, CreateWithoutNameIsRefusedOnName) {
  EXPECT_REFUSED(R"({"op":"segment.create","rule":"subscribed"})", ErrorCode::validation_failed, "name",
                 "segment.name_required");
}

TEST_F(SegmentOps, CreateWithoutRuleIsRefusedOnRule) {
  EXPECT_REFUSED(R"({"op":"segment.create","name":"S","rule":"  "})", ErrorCode::validation_failed, "rule",
                 "segment.rule_required");
}

TEST_F(SegmentOps, CreateWithABadRuleGivesThePositionInTheTextAsSent) {
  Result r = run(R"({"op":"segment.create","name":"S","rule":"  subscribed and regoin = \"US\""})");
  ASSERT_FALSE(r.ok());
  auto v = violations_of(r.status);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "rule");
  EXPECT_EQ(v[0].rule, "segment.rule_unknown_fact");
  EXPECT_NE(v[0].message.find(
                "rule '  subscribed and regoin = \"US\"': column 18 (offset 17): unknown fact 'regoin'"),
            std::string::npos)
      << v[0].message;
}

TEST_F(SegmentOps, CreateRefusesArchivedStatus) {
  EXPECT_REFUSED(R"({"op":"segment.create","name":"S","rule":"subscribed","status":"Archived"})",
                 ErrorCode::validation_failed, "status", "segment.status_unknown");
}

TEST_F(SegmentOps, CreateRefusesAnIdThatIsNotAUuid) {
  EXPECT_REFUSED(R"({"op":"segment.create","id":"builtin.mine","name":"S","rule":"subscribed"})",
                 ErrorCode::validation_failed, "id", "id.invalid");
}

TEST_F(SegmentOps, CreateByTheCustomerActorIsPermissionDenied) {
  EXPECT_REFUSED(R"({"op":"segment.create","actor":"customer","name":"S","rule":"subscribed"})",
                 ErrorCode::permission_denied, "actor", "actor.not_allowed");
}

TEST_F(SegmentOps, CreateWithAnUnknownFieldIsInvalidArgument) {
  EXPECT_REFUSED(R"({"op":"segment.create","name":"S","rule":"subscribed","filter":"x"})",
                 ErrorCode::invalid_argument, "filter", "command.unknown_field");
}

TEST_F(SegmentOps, CreateWithoutIdGeneratesOne) {
  Result r = run(R"({"op":"segment.create","name":" Subscribers ","rule":"subscribed"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("id").as_string().size(), 36u);
  EXPECT_EQ(r.result.at("name").as_string(), "Subscribers");
  EXPECT_EQ(r.result.at("status").as_string(), "Active");
}

TEST_F(SegmentOps, UpdateOfABuiltinIsFailedPrecondition) {
  EXPECT_REFUSED(R"({"op":"segment.update","segment_id":"builtin.all_leads","name":"Leads"})",
                 ErrorCode::failed_precondition, "segment_id", "segment.builtin_read_only");
}

TEST_F(SegmentOps, UpdateOfAnUnknownSegmentIsNotFound) {
  EXPECT_REFUSED(R"({"op":"segment.update","segment_id":"018f0000-0000-7000-8000-00000000a0ff","name":"X"})",
                 ErrorCode::not_found, "segment_id", "segment.not_found");
}

TEST_F(SegmentOps, UpdateWithoutSegmentIdIsRefused) {
  EXPECT_REFUSED(R"({"op":"segment.update","name":"X"})", ErrorCode::validation_failed, "segment_id",
                 "segment.id_required");
}

TEST_F(SegmentOps, UpdateWithAStaleVersionIsConflict) {
  create_segment();
  EXPECT_REFUSED(R"({"op":"segment.update","segment_id":"018f0000-0000-7000-8000-00000000a001",
    "expected_version":7,"name":"X"})",
                 ErrorCode::conflict, "expected_version", "version.conflict");
}

TEST_F(SegmentOps, UpdateWithABadRuleIsRefusedAndChangesNothing) {
  create_segment();
  EXPECT_REFUSED(R"({"op":"segment.update","segment_id":"018f0000-0000-7000-8000-00000000A001",
    "rule":"order_count >= \"1\""})",
                 ErrorCode::validation_failed, "rule", "segment.rule_type");
  Result list = run(R"({"op":"segment.list"})");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.result.at("segments").as_array()[10].at("rule").as_string(), "subscribed");
}

TEST_F(SegmentOps, UpdateWithoutChangesKeepsTheVersion) {
  create_segment();
  Result r = run(R"({"op":"segment.update","segment_id":"018f0000-0000-7000-8000-00000000a001",
    "name":"Subscribers"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("version").as_int64(), 1);
}

TEST_F(SegmentOps, MembersRefuseALimitOutOfRangeAndABadCursor) {
  EXPECT_REFUSED(R"({"op":"segment.members","segment_id":"builtin.all_leads","limit":0})",
                 ErrorCode::validation_failed, "limit", "limit.out_of_range");
  EXPECT_REFUSED(R"({"op":"segment.members","segment_id":"builtin.all_leads","limit":1001})",
                 ErrorCode::validation_failed, "limit", "limit.out_of_range");
  EXPECT_REFUSED(R"({"op":"segment.members","segment_id":"builtin.all_leads","cursor":"nope"})",
                 ErrorCode::validation_failed, "cursor", "cursor.invalid");
}

TEST_F(SegmentOps, MembersOfAnUnknownSegmentIsNotFound) {
  EXPECT_REFUSED(R"({"op":"segment.members","segment_id":"builtin.vips"})", ErrorCode::not_found,
                 "segment_id", "segment.not_found");
}

TEST_F(SegmentOps, ExplainOfAnUnknownCustomerIsNotFound) {
  EXPECT_REFUSED(R"({"op":"segment.explain","segment_id":"builtin.all_leads","email":"nobody@example.com"})",
                 ErrorCode::not_found, "email", "customer.not_found");
}

TEST_F(SegmentOps, CustomerSegmentsOfAnUnknownCustomerIsNotFound) {
  EXPECT_REFUSED(R"({"op":"customer.segments","customer_id":"018f0000-0000-7000-8000-0000000000ff"})",
                 ErrorCode::not_found, "customer_id", "customer.not_found");
}

TEST_F(SegmentOps, BuiltinsAreListedWithTheirRules) {
  Result r = run(R"({"op":"segment.list"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(
      boost::json::serialize(r.result.at("segments").as_array()[8]),
      R"({"id":"builtin.all_leads","name":"All leads","status":"Active","description":"Active customers )"
      R"j(who never placed an order (an order of any status, Cancelled included, counts as placed)",)j"
      R"("rule":"status = \"Active\" and order_count = 0","builtin":true,"version":0,"created_at":null,)"
      R"("updated_at":null})");
}

}  // namespace
}  // namespace leadcustomers
