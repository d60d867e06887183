// The per-customer views of SPEC §2.5 besides sales history (order_ops.cpp): support tickets (ticket.add,
// ticket.update, customer.tickets) and opportunities (opportunity.add, opportunity.update,
// customer.opportunities), and the Money input shared with the orders. Tickets and opportunities are records
// of their own, not part of the customer aggregate: writing one never changes the customer's version
// (docs/decisions-views.md).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "detail/strings.hpp"
#include "engine/view_input.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {

namespace {
// The shortest text that reads back as `v` (std::to_chars): 19.99, 1, 1e+20.
std::string shortest(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
}  // namespace

absl::StatusOr<MoneyField> read_money(FieldReader& f, std::string_view key, std::string_view op,
                                      Diagnostics& d) {
  MoneyField out;
  auto obj = f.object(key);
  if (!obj.present) return out;
  out.present = true;
  if (obj.null) {
    out.null = true;
    return out;
  }
  const std::string base = f.path(key);
  const std::string amount_path = cat(base, ".amount");
  const std::string currency_path = cat(base, ".currency");
  FieldReader mf(*obj.value, base);
  const boost::json::value* amount = mf.raw("amount");
  auto currency = mf.str("currency");
  if (amount && !amount->is_null() && !amount->is_number() && !amount->is_string()) {
    mf.wrong_type("amount", "an integer (minor units) or a decimal string");
  }
  LC_RETURN_IF_ERROR(mf.finish(op));

  // The currency first (a decimal text needs its digits), its violations reported after the amount's.
  Diagnostics dc;
  bool ok = true;
  const CurrencyInfo* info = nullptr;
  if (!currency.has_value()) {
    dc.error(currency_path, "money.currency_required", cat(currency_path, " (an ISO 4217 code) is required"));
    ok = false;
  } else {
    std::string code = ascii_upper(trim(currency.value));
    bool alpha3 = code.size() == 3 &&
                  std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    info = alpha3 ? find_currency(code) : nullptr;
    if (!alpha3) {
      dc.error(currency_path, "money.currency_invalid",
               cat(currency_path, " ", quoted(currency.value), " is not an ISO 4217 code"));
      ok = false;
    } else if (!info) {
      dc.error(currency_path, "money.currency_unknown",
               cat(currency_path, " ", quoted(currency.value), " is not a currency of ISO 4217"));
      ok = false;
    }
  }

  // A value and a flag rather than std::optional: GCC 12 at -O2 reports a false "may be used uninitialized"
  // on the optional's payload here.
  int64_t minor = 0;
  bool has_minor = false;
  if (!amount || amount->is_null()) {
    d.error(amount_path, "money.amount_required",
            cat(amount_path, " is required (integer minor units, or decimal text such as \"19.99\")"));
  } else if (amount->is_int64()) {
    minor = amount->as_int64();
    has_minor = true;
  } else if (amount->is_uint64()) {
    d.error(amount_path, "money.overflow",
            cat(amount_path, " ", amount->as_uint64(), " does not fit 64-bit minor units"));
  } else if (amount->is_double()) {
    // Boost.JSON reads an integer beyond int64/uint64 (1e20, 100000000000000000000, -9223372036854775809)
    // as a double: a whole number that does not fit is an overflow (or negative), not a float.
    const double v = amount->as_double();
    const bool whole = std::isfinite(v) && std::trunc(v) == v;
    // -2^63 itself fits int64, but Boost.JSON would have read that integer as int64: this double came from
    // a smaller one.
    const bool fits = v > -0x1p63 && v < 0x1p63;
    if (whole && !fits && v < 0) {
      d.error(amount_path, "money.negative", cat(amount_path, " ", shortest(v), " is negative"));
    } else if (whole && !fits) {
      d.error(amount_path, "money.overflow",
              cat(amount_path, " ", shortest(v), " does not fit 64-bit minor units"));
    } else {
      d.error(
          amount_path, "money.float",
          cat(amount_path, " ", shortest(v),
              " is a floating-point number; give integer minor units (1999) or decimal text (\"19.99\")"));
    }
  } else if (info) {
    std::string_view text = amount->as_string();
    AmountError why{};
    std::optional<int64_t> parsed = parse_decimal_amount(text, info->digits, &why);
    if (parsed) {
      minor = *parsed;
      has_minor = true;
    } else {
      std::string reason;
      switch (why) {
        case AmountError::invalid:
          reason = "is not a decimal number (digits, an optional '.' and fraction, an optional leading '-')";
          break;
        case AmountError::exponent:
          reason = "has an exponent; write the decimal number";
          break;
        case AmountError::too_many_decimals:
          reason = cat("has more decimals than ", info->code, "'s ", info->digits);
          break;
        case AmountError::overflow:
          reason = "does not fit 64-bit minor units";
          break;
      }
      d.error(amount_path, std::string(money_rule(why)), cat(amount_path, " ", quoted(text), " ", reason));
    }
  }
  // (A decimal text with an unknown currency cannot be read: its digits are unknown. The currency's
  // violation says why.)
  if (has_minor && minor < 0) {
    d.error(
        amount_path, "money.negative",
        cat(amount_path, " ", amount->is_string() ? std::string(amount->as_string()) : std::to_string(minor),
            " is negative"));
    has_minor = false;
  }
  d.merge(dc);
  if (ok && has_minor) out.value = Money{minor, info->code};
  return out;
}

absl::Status refuse_total_overflow(std::string_view path, const Money& adding, std::string_view what,
                                   std::optional<int64_t> existing) {
  std::optional<int64_t> sum = existing ? add_amounts(*existing, adding.amount) : std::nullopt;
  if (sum) return absl::OkStatus();
  const std::string& code = adding.currency;
  Diagnostics d;
  d.error(
      path, "money.overflow",
      cat(path, " ", code, " ", format_amount(adding), " would take the total of this customer's ", what,
          " in ", code, " past ", code, " ", format_amount(Money{std::numeric_limits<int64_t>::max(), code}),
          " (64-bit minor units); they already total ",
          existing ? cat(code, " ", format_amount(Money{*existing, code})) : std::string("more")));
  return validation_failed(d);
}

std::optional<absl::Time> read_past_timestamp(std::string_view field, std::string_view text, absl::Time now,
                                              Diagnostics& d) {
  TimestampError why{};
  auto t = parse_timestamp(text, &why);
  if (!t && why == TimestampError::out_of_range) {
    d.error(field, "timestamp.out_of_range",
            cat(field, " ", quoted(text), " is outside the years ", kMinTimestampYear, " to ",
                kMaxTimestampYear));
    return std::nullopt;
  }
  if (!t) {
    d.error(field, "timestamp.invalid", cat(field, " ", quoted(text), " is not an RFC 3339 timestamp"));
    return std::nullopt;
  }
  // Another system's clock may run a little ahead of ours (history synced from a shop): a few minutes are
  // allowed; a wrong year or day is not.
  constexpr absl::Duration kClockSkew = absl::Minutes(5);
  if (*t > now + kClockSkew) {
    d.error(field, "timestamp.in_future",
            cat(field, " ", quoted(text), " is later than now (", format_timestamp(now),
                ") by more than the 5 minutes allowed for clock skew"));
    return std::nullopt;
  }
  return t;
}

absl::StatusOr<CustomerAggregate> load_owner(OpContext& ctx, const CustomerName& name,
                                             const CustomerId& owner, std::string_view record_field,
                                             std::string_view what, std::string_view record_id) {
  if (!name.customer_id.present && !name.email.present) {
    auto agg = ctx.tx.load_customer(owner);
    if (!agg.ok()) return agg.status();
    if (!*agg)
      return make_error(ErrorCode::internal, cat("the owner of ", what, " ", record_id, " is missing"));
    return std::move(**agg);
  }
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  if (loaded->customer.id != owner) {
    return field_error(ErrorCode::not_found, record_field, cat(what, ".not_found"),
                       cat("customer ", loaded->customer.id.str(), " has no ", what, " ", record_id));
  }
  return loaded;
}

namespace {

constexpr size_t kMaxSubject = 255;

absl::Status actor_not_allowed(const OpContext& ctx, std::string_view why) {
  return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                     cat("actor ", to_string(ctx.actor), " may not use ", ctx.op, ": ", why));
}

absl::Status refuse_erased(const CustomerAggregate& agg, std::string_view what) {
  if (!agg.customer.erased) return absl::OkStatus();
  return field_error(ErrorCode::failed_precondition, "customer_id", "customer.erased",
                     cat("an erased customer gets no new ", what));
}

// `id` of an add command: a caller-supplied UUID or a fresh one.
template <typename IdT>
std::optional<IdT> read_new_id(const Patch<std::string>& p, Diagnostics& d) {
  if (!p.has_value()) return IdT::generate();
  auto id = IdT::parse(p.value);
  if (!id) d.error("id", "id.invalid", cat("id ", quoted(p.value), " is not a UUID"));
  return id;
}

// The `<what>_id` of an update command.
template <typename IdT>
absl::StatusOr<IdT> read_record_id(const Patch<std::string>& p, std::string_view field) {
  if (!p.has_value()) {
    return field_error(ErrorCode::invalid_argument, field, "command.field_required",
                       cat(field, " is required"));
  }
  auto id = IdT::parse(p.value);
  if (!id)
    return field_error(ErrorCode::invalid_argument, field, "id.invalid",
                       cat(field, " ", quoted(p.value), " is not a UUID"));
  return *id;
}

void read_subject(const Patch<std::string>& p, std::string& out, std::string_view prefix, Diagnostics& d) {
  if (!p.has_value()) {
    d.error("subject", cat(prefix, ".subject_required"), "subject is required");
    return;
  }
  if (auto v = clean_text(p.value, "subject", {.max_code_points = kMaxSubject}, d)) {
    if (v->empty()) d.error("subject", cat(prefix, ".subject_required"), "subject is required");
    out = *v;
  }
}

template <typename E, typename Parse>
void read_enum(const Patch<std::string>& p, std::string_view field, std::string_view rule,
               std::string_view allowed, Parse parse, E& out, Diagnostics& d) {
  if (!p.present) return;
  if (p.null) {
    d.error(field, cat(rule, "_required"), cat(field, " cannot be null"));
    return;
  }
  if (auto v = parse(p.value)) {
    out = *v;
  } else {
    d.error(field, cat(rule, "_unknown"), cat(field, " ", quoted(p.value), " is not ", allowed));
  }
}

// ---- tickets
// ------------------------------------------------------------------------------------------------

constexpr std::string_view kTicketStatuses = "Open, Pending or Closed";
constexpr std::string_view kTicketPriorities = "Low, Normal, High or Urgent";

struct TicketInput {
  Patch<std::string> subject, status, priority;
};

TicketInput read_ticket_input(FieldReader& f) {
  return {f.str("subject"), f.str("status"), f.str("priority")};
}

void apply_ticket_input(const TicketInput& in, Ticket& t, bool add, Diagnostics& d) {
  if (add || in.subject.present) read_subject(in.subject, t.subject, "ticket", d);
  read_enum(in.status, "status", "ticket.status", kTicketStatuses, parse_ticket_status, t.status, d);
  read_enum(in.priority, "priority", "ticket.priority", kTicketPriorities, parse_ticket_priority, t.priority,
            d);
}

std::optional<absl::Time> read_created_at(const Patch<std::string>& p, const OpContext& ctx, Diagnostics& d) {
  if (!p.has_value()) return std::nullopt;
  return read_past_timestamp("created_at", p.value, ctx.now, d);
}

// An add with an existing id: the stored record when the command says the same (timestamps only when the
// command gives created_at), else ALREADY_EXISTS.
template <typename T>
bool same_record(T stored, const T& wanted, bool created_given) {
  stored.updated_at = wanted.updated_at;
  if (!created_given) stored.created_at = wanted.created_at;
  return stored == wanted;
}

absl::StatusOr<boost::json::value> op_ticket_add(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto id_field = f.str("id");
  TicketInput in = read_ticket_input(f);
  auto created = f.str("created_at");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  Diagnostics d;
  Ticket t;
  auto id = read_new_id<TicketId>(id_field, d);
  apply_ticket_input(in, t, true, d);
  auto created_at = read_created_at(created, ctx, d);
  if (!d.ok()) return validation_failed(d);
  t.id = *id;
  t.created_at = created_at.value_or(ctx.now);
  t.updated_at = t.created_at;
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  t.customer_id = loaded->customer.id;
  auto existing = ctx.tx.load_ticket(t.id);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (same_record(**existing, t, created_at.has_value())) return ticket_document(**existing);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("ticket ", t.id.str(), " already exists with different content"));
  }
  LC_RETURN_IF_ERROR(refuse_erased(*loaded, "tickets"));
  LC_RETURN_IF_ERROR(ctx.tx.put_ticket(t));
  return ticket_document(t);
}

absl::StatusOr<boost::json::value> op_ticket_update(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto ticket_id = f.str("ticket_id");
  TicketInput in = read_ticket_input(f);
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return actor_not_allowed(ctx, "tickets are updated by staff or the system");
  auto id = read_record_id<TicketId>(ticket_id, "ticket_id");
  if (!id.ok()) return id.status();
  auto stored = ctx.tx.load_ticket(*id);
  if (!stored.ok()) return stored.status();
  if (!*stored) {
    return field_error(ErrorCode::not_found, "ticket_id", "ticket.not_found", cat("no ticket ", id->str()));
  }
  auto owner = load_owner(ctx, name, (*stored)->customer_id, "ticket_id", "ticket", id->str());
  if (!owner.ok()) return owner.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *owner));
  Ticket t = **stored;
  Diagnostics d;
  apply_ticket_input(in, t, false, d);
  if (!d.ok()) return validation_failed(d);
  if (t == **stored) return ticket_document(t);  // nothing changes: updated_at stays
  t.updated_at = ctx.now;
  LC_RETURN_IF_ERROR(ctx.tx.put_ticket(t));
  return ticket_document(t);
}

absl::StatusOr<boost::json::value> op_customer_tickets(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  auto list = ctx.tx.list_tickets(loaded->customer.id);
  if (!list.ok()) return list.status();
  std::sort(list->begin(), list->end(), ticket_view_less);
  boost::json::array tickets;
  int64_t unresolved = 0;
  for (const auto& t : *list) {
    tickets.push_back(ticket_document(t));
    if (t.status != TicketStatus::closed) ++unresolved;
  }
  return boost::json::object{{"customer_id", loaded->customer.id.str()},
                             {"tickets", std::move(tickets)},
                             {"unresolved", unresolved}};
}

// ---- opportunities ----------------------------------------------------------------------------------------

constexpr std::string_view kStages =
    "one of 50%, 60%, 70%, 80%, 90%, Closed Won, Closed Lost, Unresponsive, Postponed";

struct OpportunityInput {
  Patch<std::string> subject, stage, expected_close;
  MoneyField amount;
};

absl::StatusOr<OpportunityInput> read_opportunity_input(OpContext& ctx, Diagnostics& d) {
  auto& f = ctx.fields;
  OpportunityInput in;
  in.subject = f.str("subject");
  in.stage = f.str("stage");
  in.expected_close = f.str("expected_close");
  auto amount = read_money(f, "amount", ctx.op, d);
  if (!amount.ok()) return amount.status();
  in.amount = *amount;
  return in;
}

void apply_opportunity_input(const OpportunityInput& in, Opportunity& o, bool add, Diagnostics& d) {
  if (add || in.subject.present) read_subject(in.subject, o.subject, "opportunity", d);
  read_enum(in.stage, "stage", "opportunity.stage", kStages, parse_opportunity_stage, o.stage, d);
  if (in.amount.present) o.amount = in.amount.value;  // null clears; a refused amount is in `d`
  if (in.expected_close.present) {
    if (in.expected_close.null) {
      o.expected_close.reset();
    } else if (auto day = parse_date(in.expected_close.value)) {
      o.expected_close = *day;
    } else {
      d.error("expected_close", "date.invalid",
              cat("expected_close ", quoted(in.expected_close.value), " is not a date (YYYY-MM-DD)"));
    }
  }
}

// The total of the amounts in `currency` of the customer's opportunities (any stage) other than `except`;
// nullopt when it does not fit int64.
absl::StatusOr<std::optional<int64_t>> opportunity_total(OpContext& ctx, const CustomerId& customer,
                                                         std::string_view currency,
                                                         const std::optional<OpportunityId>& except) {
  auto list = ctx.tx.list_opportunities(customer);
  if (!list.ok()) return list.status();
  std::optional<int64_t> total = 0;
  for (const auto& o : *list) {
    if (!o.amount || o.amount->currency != currency || (except && o.id == *except)) continue;
    total = add_amounts(*total, o.amount->amount);
    if (!total) break;
  }
  return total;
}

absl::Status refuse_pipeline_overflow(OpContext& ctx, const Opportunity& o,
                                      const std::optional<OpportunityId>& except) {
  if (!o.amount) return absl::OkStatus();
  auto total = opportunity_total(ctx, o.customer_id, o.amount->currency, except);
  if (!total.ok()) return total.status();
  return refuse_total_overflow("amount.amount", *o.amount, "opportunities", *total);
}

absl::StatusOr<boost::json::value> op_opportunity_add(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto id_field = f.str("id");
  auto created = f.str("created_at");
  Diagnostics d;
  auto in = read_opportunity_input(ctx, d);
  if (!in.ok()) return in.status();
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return actor_not_allowed(ctx, "opportunities are kept by staff or the system");
  Opportunity o;
  auto id = read_new_id<OpportunityId>(id_field, d);
  apply_opportunity_input(*in, o, true, d);
  auto created_at = read_created_at(created, ctx, d);
  if (!d.ok()) return validation_failed(d);
  o.id = *id;
  o.created_at = created_at.value_or(ctx.now);
  o.updated_at = o.created_at;
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  o.customer_id = loaded->customer.id;
  auto existing = ctx.tx.load_opportunity(o.id);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (same_record(**existing, o, created_at.has_value())) return opportunity_document(**existing);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("opportunity ", o.id.str(), " already exists with different content"));
  }
  LC_RETURN_IF_ERROR(refuse_erased(*loaded, "opportunities"));
  LC_RETURN_IF_ERROR(refuse_pipeline_overflow(ctx, o, std::nullopt));
  LC_RETURN_IF_ERROR(ctx.tx.put_opportunity(o));
  return opportunity_document(o);
}

absl::StatusOr<boost::json::value> op_opportunity_update(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto opportunity_id = f.str("opportunity_id");
  Diagnostics d;
  auto in = read_opportunity_input(ctx, d);
  if (!in.ok()) return in.status();
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return actor_not_allowed(ctx, "opportunities are kept by staff or the system");
  auto id = read_record_id<OpportunityId>(opportunity_id, "opportunity_id");
  if (!id.ok()) return id.status();
  auto stored = ctx.tx.load_opportunity(*id);
  if (!stored.ok()) return stored.status();
  if (!*stored) {
    return field_error(ErrorCode::not_found, "opportunity_id", "opportunity.not_found",
                       cat("no opportunity ", id->str()));
  }
  auto owner = load_owner(ctx, name, (*stored)->customer_id, "opportunity_id", "opportunity", id->str());
  if (!owner.ok()) return owner.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *owner));
  Opportunity o = **stored;
  apply_opportunity_input(*in, o, false, d);
  if (!d.ok()) return validation_failed(d);
  if (o == **stored) return opportunity_document(o);
  LC_RETURN_IF_ERROR(refuse_pipeline_overflow(ctx, o, o.id));
  o.updated_at = ctx.now;
  LC_RETURN_IF_ERROR(ctx.tx.put_opportunity(o));
  return opportunity_document(o);
}

absl::StatusOr<boost::json::value> op_customer_opportunities(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  auto list = ctx.tx.list_opportunities(loaded->customer.id);
  if (!list.ok()) return list.status();
  std::sort(list->begin(), list->end(), opportunity_view_less);
  auto pipeline = open_pipeline(*list);
  if (!pipeline.ok()) return pipeline.status();
  boost::json::array items;
  for (const auto& o : *list) items.push_back(opportunity_document(o));
  boost::json::object open;
  for (const auto& m : *pipeline) open[m.currency] = m.amount;
  return boost::json::object{{"customer_id", loaded->customer.id.str()},
                             {"opportunities", std::move(items)},
                             {"open_pipeline", std::move(open)}};
}

}  // namespace

void add_view_ops(OpTable& t) {
  t["ticket.add"] = {true, op_ticket_add};
  t["ticket.update"] = {true, op_ticket_update};
  t["customer.tickets"] = {false, op_customer_tickets};
  t["opportunity.add"] = {true, op_opportunity_add};
  t["opportunity.update"] = {true, op_opportunity_update};
  t["customer.opportunities"] = {false, op_customer_opportunities};
  add_order_ops(t);
}

}  // namespace leadcustomers::detail
