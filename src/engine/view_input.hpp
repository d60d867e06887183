// Internals shared by the sales-history, ticket and opportunity commands: reading a Money field, a record's
// owner, and the registration of the order ops (order_ops.cpp) into add_view_ops (view_ops.cpp).
#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/context.hpp"
#include "leadcustomers/money.hpp"

namespace leadcustomers::detail {

// A Money field of a command: absent, null, or a value (nullopt value with violations in `d` when refused).
struct MoneyField {
  bool present = false;
  bool null = false;
  std::optional<Money> value;
};

// Reads the Money field `key` of `f` in either input shape of docs/decisions-views.md:
//   {"amount": 1999, "currency": "USD"}      integer minor units (the output form, SPEC §2)
//   {"amount": "19.99", "currency": "usd"}   decimal text in major units, at most the currency's digits
// Violations (VALIDATION_FAILED) go to `d` on `<key>.amount` / `<key>.currency`: money.amount_required,
// money.float, money.amount_invalid, money.exponent, money.too_many_decimals, money.overflow, money.negative,
// money.currency_required, money.currency_invalid (not three letters), money.currency_unknown. An unknown
// field inside the object or an amount of another JSON type is a malformed command: the returned error
// (INVALID_ARGUMENT). Call before f.finish().
absl::StatusOr<MoneyField> read_money(FieldReader& f, std::string_view key, std::string_view op,
                                      Diagnostics& d);

// Loads the customer named by the command when it names one (checking that it owns the record), else the
// record's owner `owner`. NOT_FOUND on `record_field` when the named customer does not own the record.
absl::StatusOr<CustomerAggregate> load_owner(OpContext& ctx, const CustomerName& name,
                                             const CustomerId& owner, std::string_view record_field,
                                             std::string_view what, std::string_view record_id);

// Refuses (money.overflow on `path`, VALIDATION_FAILED) adding `adding` to a customer whose `what` ("orders",
// "opportunities") in the same currency already total `existing` minor units (nullopt: already beyond
// int64), when the sum would not fit int64. Every per-currency sum a view shows (lifetime value, open
// pipeline, a segment's lifetime_value) is a part of that total, so none of them can overflow.
absl::Status refuse_total_overflow(std::string_view path, const Money& adding, std::string_view what,
                                   std::optional<int64_t> existing);

// A timestamp of a record's history (order `placed_at`, ticket/opportunity `created_at`): RFC 3339
// (timestamp.invalid), in the years of parse_timestamp (timestamp.out_of_range), and not later than `now`
// (timestamp.in_future: history has happened). nullopt with the violation in `d` when refused.
std::optional<absl::Time> read_past_timestamp(std::string_view field, std::string_view text, absl::Time now,
                                              Diagnostics& d);

void add_order_ops(OpTable& table);

}  // namespace leadcustomers::detail
