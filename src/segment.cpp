#include "leadcustomers/segment.hpp"

#include "boost/json.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

namespace {

Segment builtin(std::string_view id, std::string_view name, std::string_view description,
                std::string_view rule) {
  Segment s;
  s.id = std::string(id);
  s.name = std::string(name);
  s.description = std::string(description);
  s.rule = std::string(rule);
  s.builtin = true;
  s.created_at = absl::UnixEpoch();
  s.updated_at = absl::UnixEpoch();
  return s;
}

}  // namespace

// The rules are the reference: docs/segments.md repeats them. Every built-in is about Active customers.
const std::vector<Segment>& builtin_segments() {
  static const std::vector<Segment> segments = {
      builtin("builtin.non_purchasers_180d", "Non-purchasers (last 180 days)",
              "Active customers with no counted order (Processing, Shipped, Completed) in the last 180 days",
              R"(status = "Active" and orders_in_last(180) = 0)"),
      builtin("builtin.non_purchasers_90d", "Non-purchasers (last 90 days)",
              "Active customers with no counted order (Processing, Shipped, Completed) in the last 90 days",
              R"(status = "Active" and orders_in_last(90) = 0)"),
      builtin("builtin.orders_180d", "Customers with orders (last 180 days)",
              "Active customers with a counted order in the last 180 days",
              R"(status = "Active" and orders_in_last(180) >= 1)"),
      builtin("builtin.orders_120d", "Customers with orders (last 120 days)",
              "Active customers with a counted order in the last 120 days",
              R"(status = "Active" and orders_in_last(120) >= 1)"),
      builtin("builtin.orders_90d", "Customers with orders (last 90 days)",
              "Active customers with a counted order in the last 90 days",
              R"(status = "Active" and orders_in_last(90) >= 1)"),
      builtin("builtin.orders_30d", "Customers with orders (last 30 days)",
              "Active customers with a counted order in the last 30 days",
              R"(status = "Active" and orders_in_last(30) >= 1)"),
      builtin("builtin.new_90d", "New customers (last 90 days)",
              "Active customers created in the last 90 days", R"(status = "Active" and created_in_last(90))"),
      builtin("builtin.new_30d", "New customers (last 30 days)",
              "Active customers created in the last 30 days", R"(status = "Active" and created_in_last(30))"),
      builtin(
          "builtin.all_leads", "All leads",
          "Active customers who never placed an order (an order of any status, Cancelled included, counts "
          "as placed)",
          R"(status = "Active" and order_count = 0)"),
      builtin("builtin.all_customers", "All customers", "Every Active customer", R"(status = "Active")"),
  };
  return segments;
}

const Segment* find_builtin_segment(std::string_view id) {
  for (const auto& s : builtin_segments())
    if (s.id == id) return &s;
  return nullptr;
}

bool is_member(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now) {
  return !facts.erased && evaluate(rule, facts, now);
}

boost::json::object segment_document(const Segment& s) {
  auto time = [&](absl::Time t) {
    return s.builtin ? boost::json::value(nullptr) : boost::json::value(format_timestamp(t));
  };
  return {{"id", s.id},
          {"name", s.name},
          {"status", to_string(s.status)},
          {"description", s.description},
          {"rule", s.rule},
          {"builtin", s.builtin},
          {"version", s.version},
          {"created_at", time(s.created_at)},
          {"updated_at", time(s.updated_at)}};
}

// The reference implementation of StoreTx::segment_members: every customer after the cursor, in id order,
// evaluated in the core. Stores that can do better (SqliteStore compiles the rule to SQL) override it.
absl::StatusOr<std::vector<CustomerId>> StoreTx::segment_members(const SegmentRule& rule, absl::Time now,
                                                                 const std::optional<CustomerId>& after,
                                                                 size_t limit) {
  std::vector<CustomerId> out;
  SearchQuery q;
  q.limit = 500;
  q.after = after;
  while (out.size() < limit) {
    auto ids = search(q);
    if (!ids.ok()) return ids.status();
    for (const auto& id : *ids) {
      auto agg = load_customer(id);
      if (!agg.ok()) return agg.status();
      if (!*agg) continue;
      auto orders = list_orders(id);
      if (!orders.ok()) return orders.status();
      if (is_member(rule, customer_facts(**agg, *orders), now)) {
        out.push_back(id);
        if (out.size() == limit) break;
      }
    }
    if (ids->size() < q.limit) break;
    q.after = ids->back();
  }
  return out;
}

}  // namespace leadcustomers
