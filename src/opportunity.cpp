#include "leadcustomers/opportunity.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <utility>

#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers {
namespace {

constexpr std::array<std::pair<OpportunityStage, std::string_view>, 9> kStage{
    {{OpportunityStage::p50, "50%"},
     {OpportunityStage::p60, "60%"},
     {OpportunityStage::p70, "70%"},
     {OpportunityStage::p80, "80%"},
     {OpportunityStage::p90, "90%"},
     {OpportunityStage::closed_won, "Closed Won"},
     {OpportunityStage::closed_lost, "Closed Lost"},
     {OpportunityStage::unresponsive, "Unresponsive"},
     {OpportunityStage::postponed, "Postponed"}}};

}  // namespace

std::string_view to_string(OpportunityStage v) {
  for (const auto& [e, n] : kStage)
    if (e == v) return n;
  return {};
}

std::optional<OpportunityStage> parse_opportunity_stage(std::string_view s) {
  for (const auto& [e, n] : kStage)
    if (n == s) return e;
  return std::nullopt;
}

bool is_open(OpportunityStage s) { return static_cast<int>(s) <= static_cast<int>(OpportunityStage::p90); }

std::optional<absl::CivilDay> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto num = [&](size_t from, size_t len, int& out) {
    out = 0;
    for (size_t i = from; i < from + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || y < 1000) return std::nullopt;
  absl::CivilDay day(y, m, d);
  // CivilDay normalizes (2026-02-30 becomes 2026-03-02): a real date reads back unchanged.
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

std::string format_date(absl::CivilDay d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()), d.month(), d.day());
  return buf;
}

bool opportunity_view_less(const Opportunity& a, const Opportunity& b) {
  if (a.stage != b.stage) return a.stage < b.stage;
  if (a.expected_close != b.expected_close) {
    if (!a.expected_close) return false;  // undated last
    if (!b.expected_close) return true;
    return *a.expected_close < *b.expected_close;
  }
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

absl::StatusOr<std::vector<Money>> open_pipeline(const std::vector<Opportunity>& list) {
  std::map<std::string, int64_t> sums;
  for (const auto& o : list) {
    if (!is_open(o.stage) || !o.amount) continue;
    auto& sum = sums[o.amount->currency];
    auto next = add_amounts(sum, o.amount->amount);
    if (!next) {
      return field_error(
          ErrorCode::resource_exhausted, "open_pipeline", "money.sum_overflow",
          detail::cat("the open pipeline in ", o.amount->currency, " does not fit 64-bit minor units"));
    }
    sum = *next;
  }
  std::vector<Money> out;
  for (const auto& [code, amount] : sums) out.push_back(Money{amount, code});
  return out;
}

}  // namespace leadcustomers
