// Opportunities (SPEC §2.5): a sales opportunity of a customer with a stage from the fixed list, an optional
// amount (Money) and an optional expected close date; the order of the `customer.opportunities` view (stage
// in list order, then expected close — undated last — then newest) and its open pipeline per currency.
//
//   Opportunity o;
//   o.stage = OpportunityStage::p70;
//   bool open = is_open(o.stage);                        // true: 50% … 90% are open
//   auto pipeline = open_pipeline(list);                 // StatusOr<vector<Money>>, one per currency
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/money.hpp"

namespace leadcustomers {

// In list order: `50%` `60%` `70%` `80%` `90%` `Closed Won` `Closed Lost` `Unresponsive` `Postponed`.
enum class OpportunityStage { p50, p60, p70, p80, p90, closed_won, closed_lost, unresponsive, postponed };
[[nodiscard]] std::string_view to_string(OpportunityStage v);
[[nodiscard]] std::optional<OpportunityStage> parse_opportunity_stage(std::string_view s);
// The first five stages (50% … 90%) are open.
[[nodiscard]] bool is_open(OpportunityStage s);

struct Opportunity {
  OpportunityId id;
  CustomerId customer_id;
  std::string subject;
  OpportunityStage stage = OpportunityStage::p50;
  std::optional<Money> amount;
  std::optional<absl::CivilDay> expected_close;
  absl::Time created_at;
  absl::Time updated_at;
  friend bool operator==(const Opportunity&, const Opportunity&) = default;
};

// Strict "YYYY-MM-DD" (a real calendar day, years 1000–9999) and its text form.
[[nodiscard]] std::optional<absl::CivilDay> parse_date(std::string_view text);
[[nodiscard]] std::string format_date(absl::CivilDay d);

// The view order of `customer.opportunities` (see the header comment): a strict total order.
[[nodiscard]] bool opportunity_view_less(const Opportunity& a, const Opportunity& b);
// The sum of the open opportunities' amounts per currency, in currency-code order (opportunities without an
// amount add nothing). RESOURCE_EXHAUSTED (rule money.sum_overflow) when a sum does not fit int64.
[[nodiscard]] absl::StatusOr<std::vector<Money>> open_pipeline(const std::vector<Opportunity>& list);

}  // namespace leadcustomers
