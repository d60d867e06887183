// The segment rule language (SPEC §2.5, docs/segments.md): a small, typed expression over one customer's
// facts — comparisons, `and`/`or`/`not`, parentheses — parsed and type-checked once, then evaluated against
// the facts of a customer at an injected "now", or explained clause by clause.
//
//   auto rule = parse_segment_rule(R"(region = "US" and lifetime_value("USD") >= 50000)");
//   if (!rule.ok()) return rule.status();          // VALIDATION_FAILED on field `rule`, with the column
//   CustomerFacts facts = customer_facts(aggregate, orders);
//   bool member = evaluate(*rule, facts, now);
//   boost::json::value why = explain(*rule, facts, now);   // the clauses that decided, with actual values
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json/value.hpp"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/order.hpp"

namespace leadcustomers {

// The type of a fact or literal. Types never mix: a string fact compared with a number is refused.
enum class RuleType { boolean, integer, string };

// Every fact a rule may name (docs/segments.md gives each one's exact definition).
enum class RuleFact {
  status,            // string: "Active" | "Inactive" | "Archived"
  customer_type_id,  // integer
  company,           // string: the company id (lower-case UUID), "" when none
  region,            // string: ISO alpha-2 of the primary address, "" when none
  state,             // string: ISO 3166-2 code ("US-CA") of the primary address, "" when none
  subscribed,        // boolean: newsletter consent
  has_tag,           // boolean, has_tag("vip"): the customer carries exactly that tag
  created_in_last,   // boolean, created_in_last(days)
  order_count,       // integer: every recorded order, whatever its status
  orders_in_last,    // integer, orders_in_last(days): counted orders placed in the window
  lifetime_value,    // integer, lifetime_value("USD"): counted orders' totals in minor units
};

// The wire name of a fact ("lifetime_value").
[[nodiscard]] std::string_view to_string(RuleFact f);

enum class CompareOp { eq, ne, lt, le, gt, ge };
// "=", "!=", "<", "<=", ">", ">=".
[[nodiscard]] std::string_view to_string(CompareOp op);

// A literal of the rule, already normalized (region upper-cased, company id lower-cased, ...).
struct RuleValue {
  RuleType type = RuleType::boolean;
  bool boolean = false;
  int64_t integer = 0;
  std::string text;
  friend bool operator==(const RuleValue&, const RuleValue&) = default;
};

// A fact with its argument (days, currency or tag) when it takes one.
struct FactRef {
  RuleFact fact = RuleFact::status;
  int64_t days = 0;      // created_in_last, orders_in_last
  std::string argument;  // lifetime_value (currency, upper case), has_tag (the tag)
};

// One node of a parsed rule. `and`/`or` chains are flattened (a and b and c is one all_of of three), and a
// comparison always has the fact on the left (`5 < order_count` is stored as order_count > 5).
struct RuleNode {
  enum class Kind { all_of, any_of, negation, comparison, test };
  Kind kind = Kind::test;
  std::vector<RuleNode> operands;  // all_of / any_of: two or more; negation: one
  FactRef fact;                    // comparison, test (a bare boolean fact)
  CompareOp op = CompareOp::eq;    // comparison
  RuleValue value;                 // comparison
  size_t begin = 0;                // byte span of the clause in the rule text
  size_t end = 0;
};

// The deepest nesting a rule may have (docs/segments.md): at most this many `(`s and `not`s around any
// clause, and at most this many and/or/not levels above any clause (a negation is a level; an and/or chain
// is a level unless it sits directly in a chain of the same kind). Real rules need a handful; the cap keeps
// every store able to run every rule it accepts (SQLite's parser has a fixed stack: the compiled SQL of a
// rule at the cap is tested) and bounds the recursion of parsing and evaluation.
inline constexpr int kMaxRuleDepth = 16;

// A parsed, type-checked rule and its source text.
struct SegmentRule {
  std::string text;
  RuleNode root;
};

// Parses and type-checks `text`. A rule that does not parse is VALIDATION_FAILED on field `rule` with rule
// id segment.rule_syntax; an unknown fact segment.rule_unknown_fact; mixed types or an operator the type
// lacks segment.rule_type; a bad argument or literal (days out of 0..36500, a currency that is not three
// letters, an unknown status, a company that is not a UUID) segment.rule_value; nesting beyond
// kMaxRuleDepth segment.rule_too_deep (at the `(`, `not` or clause that crosses it). The message gives the
// 1-based column (in code points) and the 0-based byte offset of the error.
[[nodiscard]] absl::StatusOr<SegmentRule> parse_segment_rule(std::string_view text);

// The facts of one customer the language reads (built from its aggregate and its orders).
struct CustomerFacts {
  struct OrderFact {
    absl::Time placed_at;
    OrderStatus status = OrderStatus::pending;
    Money total;
  };
  CustomerId id;
  Status status = Status::active;
  int64_t customer_type_id = 1;
  std::string company;  // lower-case UUID or ""
  std::string region;   // of the primary address, or ""
  std::string state;    // of the primary address, or ""
  bool subscribed = false;
  std::vector<std::string> tags;
  absl::Time created_at;
  bool erased = false;
  std::vector<OrderFact> orders;
};

// The primary address of a customer for `region`/`state`: the default billing address, else the default
// shipping address, else none.
[[nodiscard]] const Address* primary_address(const CustomerAggregate& agg);

// The facts of `agg` with its `orders` (any order).
[[nodiscard]] CustomerFacts customer_facts(const CustomerAggregate& agg, const std::vector<Order>& orders);

// The value of one fact at `now`.
[[nodiscard]] RuleValue fact_value(const FactRef& fact, const CustomerFacts& facts, absl::Time now);

// Whether the rule holds for `facts` at `now` (the rule alone: excluding erased customers is the caller's).
[[nodiscard]] bool evaluate(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now);

// Why the rule holds or not: {"clause": source text, "result": bool, ...}. A comparison or test adds
// "fact" and "actual" (the fact's value); all_of/any_of/negation add "op" ("and"|"or"|"not") and
// "decided_by": the operands that decided — for a true `and` all of them, for a false `and` the false ones,
// for a true `or` the true ones, for a false `or` all of them, for `not` its operand.
[[nodiscard]] boost::json::value explain(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now);

// The text of a fact as a rule spells it (`lifetime_value("USD")`, `orders_in_last(30)`, `region`).
[[nodiscard]] std::string fact_text(const FactRef& fact);

}  // namespace leadcustomers
