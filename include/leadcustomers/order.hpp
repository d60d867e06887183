// Sales history records (SPEC §2.5): orders with Money totals in int64 minor units, the status transitions
// of order.update_status, and the per-currency summary of a customer's orders (count, lifetime value, first
// and last order) — the one place that says which statuses count towards lifetime value.
//
//   Order o;
//   o.total = Money{1999, "USD"};
//   if (!order_transition_allowed(o.status, OrderStatus::shipped)) { ... }
//   std::vector<CurrencySummary> s = summarize_orders(tallies);   // tallies from StoreTx::tally_orders
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/money.hpp"

namespace leadcustomers {

enum class OrderStatus { pending, processing, shipped, completed, cancelled, refunded };
[[nodiscard]] std::string_view to_string(OrderStatus v);
[[nodiscard]] std::optional<OrderStatus> parse_order_status(std::string_view s);
// Processing, Shipped and Completed orders count towards lifetime value (SPEC §2.5); Pending, Cancelled and
// Refunded do not. Every store and view uses this one rule.
[[nodiscard]] bool counts_towards_lifetime_value(OrderStatus s);
// Whether order.update_status may move an order from `from` to `to` (docs/decisions-views.md): forward
// only (Pending -> Processing -> Shipped -> Completed), Cancelled before shipping, Refunded once paid;
// Cancelled and Refunded are final. `from == to` is allowed (no change).
[[nodiscard]] bool order_transition_allowed(OrderStatus from, OrderStatus to);

struct Order {
  OrderId id;
  CustomerId customer_id;
  std::string order_number;
  absl::Time placed_at;
  OrderStatus status = OrderStatus::pending;
  Money total;
  int64_t item_count = 0;
  friend bool operator==(const Order&, const Order&) = default;
};

// A position in a customer's orders, newest first (placed_at desc, then id desc): a page starts after it.
struct OrderCursor {
  absl::Time placed_at;
  OrderId id;
  friend bool operator==(const OrderCursor&, const OrderCursor&) = default;
};
// Text form of a cursor for `next_cursor` ("<unix micros>.<order id>"), and its strict parse.
[[nodiscard]] std::string order_cursor_text(const OrderCursor& c);
[[nodiscard]] std::optional<OrderCursor> parse_order_cursor(std::string_view text);
// Whether `o` comes after `c` in the newest-first order.
[[nodiscard]] bool after_cursor(const Order& o, const OrderCursor& c);

// What a store counts per (currency, status) of one customer's orders: a GROUP BY in SQL, a loop in memory.
struct OrderTally {
  std::string currency;
  OrderStatus status = OrderStatus::pending;
  int64_t orders = 0;
  int64_t total = 0;  // sum of the totals, minor units
  absl::Time first_placed_at;
  absl::Time last_placed_at;
  friend bool operator==(const OrderTally&, const OrderTally&) = default;
};

// SPEC §5 `by_currency`: every order counts in `orders`, `first_order_at` and `last_order_at`; only the
// statuses of counts_towards_lifetime_value() add to `lifetime_value`.
struct CurrencySummary {
  std::string currency;
  int64_t orders = 0;
  int64_t lifetime_value = 0;  // minor units
  absl::Time first_order_at;
  absl::Time last_order_at;
  friend bool operator==(const CurrencySummary&, const CurrencySummary&) = default;
};
// Folds tallies (any order) into one summary per currency, in currency-code order. RESOURCE_EXHAUSTED (rule
// money.sum_overflow) when a lifetime value does not fit int64 minor units.
[[nodiscard]] absl::StatusOr<std::vector<CurrencySummary>> summarize_orders(const std::vector<OrderTally>& t);
// The tallies of a list of orders (what a store without SQL computes).
[[nodiscard]] absl::StatusOr<std::vector<OrderTally>> tally_orders(const std::vector<Order>& orders);

}  // namespace leadcustomers
