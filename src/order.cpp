#include "leadcustomers/order.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers {

bool order_transition_allowed(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  if (from == to) return true;
  switch (from) {
    case S::pending:
      return to == S::processing || to == S::shipped || to == S::completed || to == S::cancelled;
    case S::processing:
      return to == S::shipped || to == S::completed || to == S::cancelled || to == S::refunded;
    case S::shipped:
      return to == S::completed || to == S::refunded;
    case S::completed:
      return to == S::refunded;
    case S::cancelled:
    case S::refunded:
      return false;
  }
  return false;
}

std::string order_cursor_text(const OrderCursor& c) {
  return detail::cat(absl::ToUnixMicros(c.placed_at), ".", c.id.str());
}

std::optional<OrderCursor> parse_order_cursor(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view micros = text.substr(0, dot);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(micros.data(), micros.data() + micros.size(), value);
  if (ec != std::errc() || end != micros.data() + micros.size()) return std::nullopt;
  auto id = OrderId::parse(text.substr(dot + 1));
  if (!id) return std::nullopt;
  return OrderCursor{absl::FromUnixMicros(value), *id};
}

bool after_cursor(const Order& o, const OrderCursor& c) {
  return o.placed_at < c.placed_at || (o.placed_at == c.placed_at && o.id < c.id);
}

absl::StatusOr<std::vector<CurrencySummary>> summarize_orders(const std::vector<OrderTally>& tallies) {
  std::map<std::string, CurrencySummary> by_currency;
  for (const auto& t : tallies) {
    auto [it, inserted] = by_currency.try_emplace(t.currency);
    CurrencySummary& s = it->second;
    if (inserted) {
      s.currency = t.currency;
      s.first_order_at = t.first_placed_at;
      s.last_order_at = t.last_placed_at;
    }
    s.orders += t.orders;
    s.first_order_at = std::min(s.first_order_at, t.first_placed_at);
    s.last_order_at = std::max(s.last_order_at, t.last_placed_at);
    if (counts_towards_lifetime_value(t.status)) {
      auto sum = add_amounts(s.lifetime_value, t.total);
      if (!sum) {
        return field_error(
            ErrorCode::resource_exhausted, "by_currency", "money.sum_overflow",
            detail::cat("the lifetime value in ", t.currency, " does not fit 64-bit minor units"));
      }
      s.lifetime_value = *sum;
    }
  }
  std::vector<CurrencySummary> out;
  out.reserve(by_currency.size());
  for (auto& [code, s] : by_currency) out.push_back(std::move(s));
  return out;
}

absl::StatusOr<std::vector<OrderTally>> tally_orders(const std::vector<Order>& orders) {
  std::map<std::pair<std::string, OrderStatus>, OrderTally> groups;
  for (const auto& o : orders) {
    auto [it, inserted] = groups.try_emplace({o.total.currency, o.status});
    OrderTally& t = it->second;
    if (inserted) {
      t.currency = o.total.currency;
      t.status = o.status;
      t.first_placed_at = o.placed_at;
      t.last_placed_at = o.placed_at;
    }
    ++t.orders;
    auto sum = add_amounts(t.total, o.total.amount);
    if (!sum) {
      return field_error(ErrorCode::resource_exhausted, "by_currency", "money.sum_overflow",
                         detail::cat("the orders in ", o.total.currency, " sum past 64-bit minor units"));
    }
    t.total = *sum;
    t.first_placed_at = std::min(t.first_placed_at, o.placed_at);
    t.last_placed_at = std::max(t.last_placed_at, o.placed_at);
  }
  std::vector<OrderTally> out;
  out.reserve(groups.size());
  for (auto& [key, t] : groups) out.push_back(std::move(t));
  return out;
}

}  // namespace leadcustomers
