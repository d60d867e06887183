// The account lifecycle of SPEC §3 beyond customer.set_status: customer.cancel_account (the customer closes
// their own account), customer.erase (anonymization that keeps linked records), customer.delete (only
// without orders, tickets or opportunities), and the queries
// customer.history and customer.consent (with `at`: "was this customer subscribed at time T?").
#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

absl::Status actor_not_allowed(const OpContext& ctx, std::string_view why) {
  return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                     cat("actor ", to_string(ctx.actor), " may not use ", ctx.op, ": ", why));
}

absl::StatusOr<boost::json::value> op_cancel_account(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  if (ctx.actor != Actor::customer) {
    return actor_not_allowed(ctx, "it is the customer's own action (staff use customer.set_status)");
  }
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  CustomerAggregate agg = *loaded;
  // Active -> Inactive; an Inactive account stays as it is (a repeated cancel is a no-op), an Archived one
  // is refused by the transition table (PERMISSION_DENIED).
  LC_RETURN_IF_ERROR(
      change_status(ctx, agg, Status::inactive, "account cancelled by the customer", /*via_cancel=*/true));
  if (agg.customer.newsletter.subscribed) {
    set_consent(agg, false, std::nullopt, ConsentSource::customer_portal, ctx.actor, ctx.now);
  }
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return customer_document(agg);
}

// SPEC §3: Archived and `erased`; personal data dropped; linked records (orders, tickets, opportunities)
// keep the customer id; the e-mail freed. The system-made values below are exempt from field validation.
void anonymize(CustomerAggregate& agg) {
  auto& c = agg.customer;
  c.erased = true;
  c.status = Status::archived;
  c.first_name.clear();
  c.last_name.clear();
  c.email = erased_email(c.id);
  c.email_key = ascii_lower(c.email);
  c.phone.reset();
  c.fax.reset();
  c.tags.clear();
  c.note.reset();
  c.attributes.clear();
  c.external_refs.clear();
  c.newsletter = Newsletter{};
  c.default_shipping_address_id.reset();
  c.default_billing_address_id.reset();
  agg.addresses.clear();
  agg.portal = PortalLogin{};
  agg.consent.clear();
}

absl::StatusOr<boost::json::value> op_erase(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  if (ctx.actor != Actor::staff) return actor_not_allowed(ctx, "only staff may erase a customer");
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  if (loaded->customer.erased) return customer_document(*loaded);  // erasing twice changes nothing
  CustomerAggregate agg = *loaded;
  Status from = agg.customer.status;
  // History keeps what happened and when (the proof of the erasure itself), but earlier reasons are free
  // text that staff may have filled with personal data.
  for (auto& h : agg.history) h.reason.clear();
  LC_RETURN_IF_ERROR(change_status(ctx, agg, Status::archived, "erased", /*via_cancel=*/false));
  anonymize(agg);
  agg.history.push_back({ctx.now, ctx.actor, "erased", from, Status::archived, ""});
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return customer_document(agg);
}

absl::StatusOr<boost::json::value> op_delete(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  if (ctx.actor != Actor::staff) return actor_not_allowed(ctx, "only staff may delete a customer");
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  const CustomerId id = loaded->customer.id;
  auto orders = ctx.tx.count_orders(id);
  if (!orders.ok()) return orders.status();
  if (*orders > 0) {
    return field_error(ErrorCode::failed_precondition, "customer_id", "customer.has_orders",
                       cat("customer ", id.str(), " has ", *orders, *orders == 1 ? " order" : " orders",
                           "; a customer with orders cannot be deleted: archive or erase it"));
  }
  // SPEC §3 forbids deleting a customer with orders; tickets and opportunities are kept the same way
  // (docs/decisions-views.md): deleting would orphan them or destroy them silently.
  auto tickets = ctx.tx.list_tickets(id);
  if (!tickets.ok()) return tickets.status();
  auto opportunities = ctx.tx.list_opportunities(id);
  if (!opportunities.ok()) return opportunities.status();
  if (!tickets->empty() || !opportunities->empty()) {
    return field_error(
        ErrorCode::failed_precondition, "customer_id", "customer.has_records",
        cat("customer ", id.str(), " has ", tickets->size(), " support ticket(s) and ", opportunities->size(),
            " opportunity(ies); such a customer cannot be deleted: "
            "archive or erase it"));
  }
  LC_RETURN_IF_ERROR(ctx.tx.delete_customer(id));
  return boost::json::object{{"id", id.str()}, {"deleted", true}};
}

absl::StatusOr<boost::json::value> op_history(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  boost::json::array entries;
  for (const auto& h : loaded->history) entries.push_back(history_document(h));
  return boost::json::object{{"customer_id", loaded->customer.id.str()}, {"history", std::move(entries)}};
}

boost::json::value level_json(const std::optional<OptInLevel>& l) {
  return l ? boost::json::value(to_string(*l)) : boost::json::value(nullptr);
}
boost::json::value source_json(const std::optional<ConsentSource>& s) {
  return s ? boost::json::value(to_string(*s)) : boost::json::value(nullptr);
}

absl::StatusOr<boost::json::value> op_consent(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  auto at_field = ctx.fields.str("at");
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  std::optional<absl::Time> at;
  if (at_field.has_value()) {
    at = parse_timestamp(at_field.value);
    if (!at) {
      return field_error(ErrorCode::validation_failed, "at", "timestamp.invalid",
                         cat("at ", quoted(at_field.value), " is not an RFC 3339 timestamp"));
    }
  }
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  const auto& n = loaded->customer.newsletter;
  boost::json::array ledger;
  for (const auto& e : loaded->consent) ledger.push_back(consent_document(e));
  boost::json::object out{
      {"customer_id", loaded->customer.id.str()},
      {"newsletter",
       boost::json::object{{"subscribed", n.subscribed},
                           {"opt_in_level", level_json(n.opt_in_level)},
                           {"source", source_json(n.source)},
                           {"updated_at", n.updated_at ? boost::json::value(format_timestamp(*n.updated_at))
                                                       : boost::json::value(nullptr)}}},
      {"ledger", std::move(ledger)},
      {"state_at", nullptr}};
  if (at) {
    // The state at T is what the last entry made at or before T set; before any entry, never asked.
    const ConsentEntry* decided = nullptr;
    for (const auto& e : loaded->consent)
      if (e.at <= *at) decided = &e;
    out["state_at"] = boost::json::object{
        {"at", format_timestamp(*at)},
        {"subscribed", decided ? decided->to : false},
        {"opt_in_level", decided ? level_json(decided->opt_in_level) : nullptr},
        {"source", decided ? source_json(decided->source) : nullptr},
        {"since", decided ? boost::json::value(format_timestamp(decided->at)) : boost::json::value(nullptr)}};
  }
  return out;
}

}  // namespace

void add_lifecycle_ops(OpTable& t) {
  t["customer.cancel_account"] = {true, op_cancel_account};
  t["customer.erase"] = {true, op_erase};
  t["customer.delete"] = {true, op_delete};
  t["customer.history"] = {false, op_history};
  t["customer.consent"] = {false, op_consent};
}

}  // namespace leadcustomers::detail
