// The address book: address.add / address.update / address.remove / address.set_default, and the address
// rules used by customer.create's inline `addresses`. The five invariants of SPEC §2.3 are enforced here, in
// the core, so every store inherits them.
#include <algorithm>
#include <array>

#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "engine/location.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

bool is_placeholder(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kPlaceholders{"n/a", "na", "none", "null", "-", ".", "0"};
  auto lower = ascii_lower(s);
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), lower) != kPlaceholders.end();
}

// Applies `in` to `a` (absent = unchanged, null = cleared) and validates the whole address.
bool build_address(OpContext& ctx, Address& a, const AddressInput& in, Diagnostics& d) {
  size_t before = d.errors().size();
  auto text = [&](const Patch<std::string>& p, std::string_view field, TextRules rules,
                  std::optional<std::string>& target) {
    if (!p.present) return;
    if (p.null) {
      target.reset();
      return;
    }
    if (auto v = clean_text(p.value, field, rules, d)) target = v->empty() ? std::nullopt : std::optional(*v);
  };
  std::optional<std::string> name = a.name.empty() ? std::nullopt : std::optional(a.name);
  text(in.name, "name", {.max_code_points = 255}, name);
  if (!name) {
    if (d.errors().size() == before) d.error("name", "address.name_required", "name is required");
  } else {
    a.name = *name;
  }
  if (in.status.present) {
    auto s = in.status.null ? std::optional<AddressStatus>() : parse_address_status(in.status.value);
    if (!s) {
      d.error(
          "status", "status.unknown",
          cat("status ", quoted(in.status.null ? "null" : in.status.value), " is not Active or Inactive"));
    } else {
      a.status = *s;
    }
  }
  std::optional<std::string> address1 = a.address1.empty() ? std::nullopt : std::optional(a.address1);
  size_t before1 = d.errors().size();
  text(in.address1, "address1", {.max_code_points = 255, .line_breaks = LineBreaks::one}, address1);
  if (!address1) {
    if (d.errors().size() == before1) d.error("address1", "address1.required", "address1 is required");
  } else {
    a.address1 = *address1;
  }
  text(in.address2, "address2", {.max_code_points = 255, .line_breaks = LineBreaks::one}, a.address2);
  if (a.address2 && is_placeholder(*a.address2)) {
    d.warn("address2", "address2.placeholder",
           cat("placeholder ", quoted(*a.address2), " in address2 was removed"));
    a.address2.reset();
  }
  text(in.city, "city", {.max_code_points = 100}, a.city);
  text(in.business_name, "business_name", {.max_code_points = 255}, a.business_name);
  std::optional<std::string> region = a.region.empty() ? std::nullopt : std::optional(a.region);
  text(in.region, "region", {.max_code_points = 100}, region);
  text(in.state, "state", {.max_code_points = 100}, a.state);
  text(in.zip, "zip", {.max_code_points = 32}, a.zip);
  if (!region) {
    d.error("region", "region.required", "region is required");
  } else if (auto loc = resolve_location(*region, a.state, a.city, a.zip, d)) {
    a.region = loc->region;
    a.state = loc->state;
    a.zip = loc->zip;
  }
  if (in.phone.present) {
    if (in.phone.null) {
      a.phone.reset();
    } else if (auto v = clean_text(in.phone.value, "phone", {.max_code_points = 64}, d)) {
      a.phone = v->empty() ? std::nullopt
                           : parse_phone(*v, a.region.empty() ? ctx.engine.options.default_region : a.region,
                                         "phone", d);
    }
  }
  return d.errors().size() == before;
}

void fill_defaults(CustomerAggregate& agg, const Address& a) {
  if (a.status != AddressStatus::active) return;
  if (!agg.customer.default_shipping_address_id) agg.customer.default_shipping_address_id = a.id;
  if (!agg.customer.default_billing_address_id) agg.customer.default_billing_address_id = a.id;
}

bool is_default(const CustomerAggregate& agg, const AddressId& id) {
  return agg.customer.default_shipping_address_id == id || agg.customer.default_billing_address_id == id;
}

absl::Status refuse_erased(const CustomerAggregate& agg) {
  if (!agg.customer.erased) return absl::OkStatus();
  return field_error(ErrorCode::failed_precondition, "customer_id", "customer.erased",
                     "an erased customer has no address book");
}

absl::StatusOr<AddressId> read_address_id(const Patch<std::string>& p) {
  if (!p.has_value()) {
    return field_error(ErrorCode::invalid_argument, "address_id", "address.id_required",
                       "address_id is required");
  }
  auto id = AddressId::parse(p.value);
  if (!id) {
    return field_error(ErrorCode::invalid_argument, "address_id", "id.invalid",
                       cat("address_id ", quoted(p.value), " is not a UUID"));
  }
  return *id;
}

absl::StatusOr<boost::json::value> op_address_add(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  AddressInput in = read_address_input(ctx.fields);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  LC_RETURN_IF_ERROR(refuse_erased(*loaded));
  CustomerAggregate agg = *loaded;
  Diagnostics d;
  // Idempotent: the same id with the same content is a no-op.
  if (in.id.has_value()) {
    if (auto id = AddressId::parse(in.id.value); id && agg.find_address(*id)) {
      Address probe = *agg.find_address(*id);
      Address candidate;
      candidate.id = probe.id;
      candidate.customer_id = probe.customer_id;
      Diagnostics scratch;
      if (build_address(ctx, candidate, in, scratch) && candidate == probe) {
        ctx.warnings = scratch.warnings();
        return address_document(probe);
      }
      return field_error(ErrorCode::already_exists, "id", "id.taken",
                         cat("address ", id->str(), " already exists with different content"));
    }
  }
  if (in.id.has_value()) {
    if (auto id = AddressId::parse(in.id.value)) {
      auto owner = ctx.tx.find_address_owner(*id);
      if (!owner.ok()) return owner.status();
      if (*owner && **owner != agg.customer.id) {
        return field_error(ErrorCode::already_exists, "id", "id.taken",
                           cat("address ", id->str(), " belongs to another customer"));
      }
    }
  }
  if (agg.addresses.size() >= ctx.engine.options.max_addresses) {
    return field_error(ErrorCode::resource_exhausted, "addresses", "address.limit",
                       cat("a customer has at most ", ctx.engine.options.max_addresses, " addresses"));
  }
  if (!add_address(ctx, agg, in, d)) return validation_failed(d);
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  ctx.warnings = d.warnings();
  return address_document(agg.addresses.back());
}

absl::StatusOr<boost::json::value> op_address_update(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  auto address_id = ctx.fields.str("address_id");
  AddressInput in = read_address_input(ctx.fields);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  if (in.id.present) {
    return field_error(ErrorCode::invalid_argument, "id", "command.unknown_field",
                       "address.update names the address by address_id; its id cannot change");
  }
  auto id = read_address_id(address_id);
  if (!id.ok()) return id.status();
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  LC_RETURN_IF_ERROR(refuse_erased(*loaded));
  CustomerAggregate agg = *loaded;
  Address* a = agg.find_address(*id);
  if (!a) {
    return field_error(ErrorCode::not_found, "address_id", "address.not_found",
                       cat("customer has no address ", id->str()));
  }
  Diagnostics d;
  if (!build_address(ctx, *a, in, d)) return validation_failed(d);
  if (a->status != AddressStatus::active && is_default(agg, a->id)) {
    return field_error(
        ErrorCode::failed_precondition, "status", "address.is_default",
        cat("address ", id->str(), " is a default address; make another address default first"));
  }
  fill_defaults(agg, *a);
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  ctx.warnings = d.warnings();
  return address_document(*agg.find_address(*id));
}

absl::StatusOr<boost::json::value> op_address_remove(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  auto address_id = ctx.fields.str("address_id");
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto id = read_address_id(address_id);
  if (!id.ok()) return id.status();
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  CustomerAggregate agg = *loaded;
  if (!agg.find_address(*id)) {
    return field_error(ErrorCode::not_found, "address_id", "address.not_found",
                       cat("customer has no address ", id->str()));
  }
  if (is_default(agg, *id)) {
    return field_error(
        ErrorCode::failed_precondition, "address_id", "address.is_default",
        cat("address ", id->str(), " is a default address; make another address default first"));
  }
  std::erase_if(agg.addresses, [&](const Address& a) { return a.id == *id; });
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return customer_document(agg);
}

absl::StatusOr<boost::json::value> op_address_set_default(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  auto address_id = ctx.fields.str("address_id");
  auto role = ctx.fields.str("role");
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto id = read_address_id(address_id);
  if (!id.ok()) return id.status();
  std::optional<AddressRole> r = role.has_value() ? parse_address_role(role.value) : std::nullopt;
  if (!r) {
    return field_error(
        ErrorCode::validation_failed, "role", "address.role_unknown",
        cat("role ", quoted(role.has_value() ? role.value : ""), " is not shipping or billing"));
  }
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  LC_RETURN_IF_ERROR(refuse_erased(*loaded));
  CustomerAggregate agg = *loaded;
  const Address* a = agg.find_address(*id);
  if (!a) {
    return field_error(ErrorCode::not_found, "address_id", "address.not_found",
                       cat("customer has no address ", id->str()));
  }
  if (a->status != AddressStatus::active) {
    return field_error(ErrorCode::failed_precondition, "address_id", "address.not_active",
                       cat("address ", id->str(), " is Inactive; only an Active address can be a default"));
  }
  (*r == AddressRole::shipping ? agg.customer.default_shipping_address_id
                               : agg.customer.default_billing_address_id) = *id;
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return changed_customer(ctx, agg);
}

}  // namespace

AddressInput read_address_input(FieldReader& f) {
  AddressInput in;
  in.id = f.str("id");
  in.name = f.str("name");
  in.status = f.str("status");
  in.region = f.str("region");
  in.state = f.str("state");
  in.phone = f.str("phone");
  in.address1 = f.str("address1");
  in.address2 = f.str("address2");
  in.city = f.str("city");
  in.zip = f.str("zip");
  in.business_name = f.str("business_name");
  return in;
}

bool add_address(OpContext& ctx, CustomerAggregate& agg, const AddressInput& in, Diagnostics& d) {
  Address a;
  a.customer_id = agg.customer.id;
  if (in.id.has_value()) {
    auto id = AddressId::parse(in.id.value);
    if (!id) {
      d.error("id", "id.invalid", cat("id ", quoted(in.id.value), " is not a UUID"));
      return false;
    }
    if (agg.find_address(*id)) {
      d.error("id", "id.taken", cat("address ", id->str(), " is given twice"));
      return false;
    }
    auto owner = ctx.tx.find_address_owner(*id);
    if (!owner.ok() || (*owner && **owner != agg.customer.id)) {
      d.error("id", "id.taken", cat("address ", id->str(), " belongs to another customer"));
      return false;
    }
    a.id = *id;
  } else {
    a.id = AddressId::generate();
  }
  if (agg.addresses.size() >= ctx.engine.options.max_addresses) {
    d.error("", "address.limit",
            cat("a customer has at most ", ctx.engine.options.max_addresses, " addresses"));
    return false;
  }
  if (!build_address(ctx, a, in, d)) return false;
  agg.addresses.push_back(a);
  fill_defaults(agg, a);
  return true;
}

void add_address_ops(OpTable& t) {
  t["address.add"] = {true, op_address_add};
  t["address.update"] = {true, op_address_update};
  t["address.remove"] = {true, op_address_remove};
  t["address.set_default"] = {true, op_address_set_default};
}

}  // namespace leadcustomers::detail
