// Sales history (SPEC §2.5, §5): order.record (idempotent by id), order.update_status (the transitions of
// order_transition_allowed) and the query customer.orders (newest first with cursor paging, and per currency
// the order count, lifetime value and first/last order). Orders are records of their own: recording one never
// changes the customer's version.
#include "detail/strings.hpp"
#include "engine/view_input.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 1000;
constexpr std::string_view kStatuses = "Pending, Processing, Shipped, Completed, Cancelled or Refunded";

absl::Status actor_not_allowed(const OpContext& ctx, std::string_view why) {
  return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                     cat("actor ", to_string(ctx.actor), " may not use ", ctx.op, ": ", why));
}

absl::StatusOr<boost::json::value> op_order_record(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto id_field = f.str("id");
  auto number = f.str("order_number");
  auto placed_at = f.str("placed_at");
  auto status = f.str("status");
  auto item_count = f.int64("item_count");
  Diagnostics money;  // merged below, so violations come in field order
  auto total = read_money(f, "total", ctx.op, money);
  if (!total.ok()) return total.status();
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return actor_not_allowed(ctx, "orders are recorded by staff or the system");

  Diagnostics d;
  Order o;
  if (!id_field.has_value()) {
    d.error("id", "order.id_required", "id is required (order.record is idempotent by id)");
  } else if (auto id = OrderId::parse(id_field.value)) {
    o.id = *id;
  } else {
    d.error("id", "id.invalid", cat("id ", quoted(id_field.value), " is not a UUID"));
  }
  if (!number.has_value()) {
    d.error("order_number", "order.number_required", "order_number is required");
  } else if (auto v = clean_text(number.value, "order_number", {.max_code_points = 64}, d)) {
    if (v->empty()) d.error("order_number", "order.number_required", "order_number is required");
    o.order_number = *v;
  }
  if (!placed_at.has_value()) {
    d.error("placed_at", "order.placed_at_required", "placed_at is required");
  } else if (auto t = read_past_timestamp("placed_at", placed_at.value, ctx.now, d)) {
    o.placed_at = *t;
  }
  if (!status.has_value()) {
    d.error("status", "order.status_required", "status is required");
  } else if (auto s = parse_order_status(status.value)) {
    o.status = *s;
  } else {
    d.error("status", "order.status_unknown", cat("status ", quoted(status.value), " is not ", kStatuses));
  }
  d.merge(money);
  if (!total->present || total->null) {
    d.error("total", "order.total_required", "total {amount, currency} is required");
  } else if (total->value) {
    o.total = *total->value;
  }
  if (!item_count.has_value()) {
    d.error("item_count", "order.item_count_required", "item_count is required");
  } else if (item_count.value < 0) {
    d.error("item_count", "order.item_count_negative", cat("item_count ", item_count.value, " is negative"));
  } else {
    o.item_count = item_count.value;
  }
  if (!d.ok()) return validation_failed(d);

  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  o.customer_id = loaded->customer.id;
  auto existing = ctx.tx.load_order(o.id);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (**existing == o) return order_document(o);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("order ", o.id.str(), " already exists with different content"));
  }
  // The customer's orders in this currency, every status (a later status change may make any of them
  // count towards the lifetime value), must still total within int64.
  auto tallies = ctx.tx.tally_orders(o.customer_id);
  if (!tallies.ok()) return tallies.status();
  std::optional<int64_t> recorded = 0;
  for (const auto& t : *tallies) {
    if (t.currency == o.total.currency && recorded) recorded = add_amounts(*recorded, t.total);
  }
  LC_RETURN_IF_ERROR(refuse_total_overflow("total.amount", o.total, "orders", recorded));
  LC_RETURN_IF_ERROR(ctx.tx.put_order(o));
  return order_document(o);
}

absl::StatusOr<boost::json::value> op_order_update_status(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto order_id = f.str("order_id");
  auto status = f.str("status");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return actor_not_allowed(ctx, "orders are updated by staff or the system");
  if (!order_id.has_value()) {
    return field_error(ErrorCode::invalid_argument, "order_id", "command.field_required",
                       "order_id is required");
  }
  auto id = OrderId::parse(order_id.value);
  if (!id) {
    return field_error(ErrorCode::invalid_argument, "order_id", "id.invalid",
                       cat("order_id ", quoted(order_id.value), " is not a UUID"));
  }
  // Through Diagnostics, so the message reads "status: …" like every other validation failure.
  Diagnostics d;
  std::optional<OrderStatus> to;
  if (!status.has_value()) {
    d.error("status", "order.status_required", "status is required");
  } else if (to = parse_order_status(status.value); !to) {
    d.error("status", "order.status_unknown", cat("status ", quoted(status.value), " is not ", kStatuses));
  }
  if (!d.ok()) return validation_failed(d);
  auto stored = ctx.tx.load_order(*id);
  if (!stored.ok()) return stored.status();
  if (!*stored)
    return field_error(ErrorCode::not_found, "order_id", "order.not_found", cat("no order ", id->str()));
  auto owner = load_owner(ctx, name, (*stored)->customer_id, "order_id", "order", id->str());
  if (!owner.ok()) return owner.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *owner));
  Order o = **stored;
  if (o.status == *to) return order_document(o);
  if (!order_transition_allowed(o.status, *to)) {
    return field_error(
        ErrorCode::failed_precondition, "status", "order.status_transition",
        cat("order ", o.order_number, " cannot go from ", to_string(o.status), " to ", to_string(*to),
            o.status == OrderStatus::cancelled || o.status == OrderStatus::refunded
                ? " (Cancelled and Refunded are final)"
                : ""));
  }
  o.status = *to;
  LC_RETURN_IF_ERROR(ctx.tx.put_order(o));
  return order_document(o);
}

absl::StatusOr<boost::json::value> op_customer_orders(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto limit = f.int64("limit");
  auto cursor = f.str("cursor");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  Diagnostics d;
  int64_t page = kDefaultLimit;
  if (limit.has_value()) {
    if (limit.value < 1 || limit.value > kMaxLimit) {
      d.error("limit", "limit.out_of_range", cat("limit ", limit.value, " is not between 1 and ", kMaxLimit));
    } else {
      page = limit.value;
    }
  }
  std::optional<OrderCursor> after;
  if (cursor.has_value() && !cursor.value.empty()) {
    after = parse_order_cursor(cursor.value);
    if (!after) {
      d.error("cursor", "cursor.invalid",
              cat("cursor ", quoted(cursor.value), " is not a cursor of customer.orders"));
    }
  }
  if (!d.ok()) return validation_failed(d);
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  const CustomerId id = loaded->customer.id;
  // One more than the page tells whether there is a next page.
  auto orders = ctx.tx.page_orders(id, after, static_cast<size_t>(page) + 1);
  if (!orders.ok()) return orders.status();
  bool more = orders->size() > static_cast<size_t>(page);
  if (more) orders->resize(static_cast<size_t>(page));
  auto tallies = ctx.tx.tally_orders(id);
  if (!tallies.ok()) return tallies.status();
  auto summary = summarize_orders(*tallies);
  if (!summary.ok()) return summary.status();

  boost::json::array list;
  for (const auto& o : *orders) list.push_back(order_document(o));
  boost::json::object by_currency;
  for (const auto& s : *summary) {
    by_currency[s.currency] = boost::json::object{{"orders", s.orders},
                                                  {"lifetime_value", s.lifetime_value},
                                                  {"first_order_at", format_timestamp(s.first_order_at)},
                                                  {"last_order_at", format_timestamp(s.last_order_at)}};
  }
  boost::json::value next = nullptr;
  if (more) next = boost::json::string(order_cursor_text({orders->back().placed_at, orders->back().id}));
  return boost::json::object{{"customer_id", id.str()},
                             {"orders", std::move(list)},
                             {"next_cursor", std::move(next)},
                             {"by_currency", std::move(by_currency)}};
}

}  // namespace

void add_order_ops(OpTable& t) {
  t["order.record"] = {true, op_order_record};
  t["order.update_status"] = {true, op_order_update_status};
  t["customer.orders"] = {false, op_customer_orders};
}

}  // namespace leadcustomers::detail
