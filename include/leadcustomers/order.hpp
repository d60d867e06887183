// Sales history records (SPEC §2.5): orders with Money totals in int64 minor units.
//
//   Order o;
//   o.total = Money{1999, "USD"};
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "leadcustomers/ids.hpp"

namespace leadcustomers {

// An amount in minor units of an ISO 4217 currency. Never floating point.
struct Money {
  int64_t amount = 0;
  std::string currency;
  friend bool operator==(const Money&, const Money&) = default;
};

enum class OrderStatus { pending, processing, shipped, completed, cancelled, refunded };
[[nodiscard]] std::string_view to_string(OrderStatus v);
[[nodiscard]] std::optional<OrderStatus> parse_order_status(std::string_view s);
// Processing, Shipped and Completed orders count towards lifetime value.
[[nodiscard]] bool counts_towards_lifetime_value(OrderStatus s);

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

}  // namespace leadcustomers
