// customer_type.*, company.*, customer.create / checkout.create_customer / customer.update /
// customer.set_status, newsletter.set, and the queries customer.get / customer.search.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "detail/text_fast.hpp"
#include "engine/context.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/email.hpp"
#include "leadcustomers/phone.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

constexpr size_t kMaxTags = 250;
constexpr size_t kMaxAttributes = 100;
constexpr size_t kMaxExternalRefs = 50;  // one per linked system; each is looked up in the store

// ---------------------------------------------------------------------------------------------------
// Customer fields shared by create, checkout and update.

struct CustomerInput {
  Patch<int64_t> customer_type_id;
  // Views into the command, which outlives the input.
  Patch<std::string_view> status, first_name, last_name, email, phone, fax, company_id, note;
  Patch<bool> newsletter, tax_exempt;
  Patch<const boost::json::array*> tags, external_refs, addresses;
  Patch<const boost::json::object*> attributes;
};

CustomerInput read_customer_input(FieldReader& f, bool with_type, bool with_status, bool with_addresses) {
  CustomerInput in;
  if (with_type) in.customer_type_id = f.int64("customer_type_id");
  if (with_status) in.status = f.view("status");
  in.first_name = f.view("first_name");
  in.last_name = f.view("last_name");
  in.email = f.view("email");
  in.phone = f.view("phone");
  in.fax = f.view("fax");
  in.company_id = f.view("company_id");
  in.newsletter = f.boolean("newsletter");
  in.tags = f.array("tags");
  in.note = f.view("note");
  in.tax_exempt = f.boolean("tax_exempt");
  in.attributes = f.object("attributes");
  in.external_refs = f.array("external_refs");
  if (with_addresses) in.addresses = f.array("addresses");
  // Element types are part of the command's shape: a wrong one is INVALID_ARGUMENT like a top-level one.
  auto wrong = [&](const std::string& path, std::string_view expected, const boost::json::value& v) {
    f.problem(path, "command.wrong_type",
              cat("field '", path, "' must be ", expected, ", not ", json_kind(v), " ",
                  boost::json::serialize(v).substr(0, 80)));
  };
  if (in.tags.has_value()) {
    for (size_t i = 0; i < in.tags.value->size(); ++i) {
      const auto& t = (*in.tags.value)[i];
      if (!t.is_string()) wrong(cat("tags[", i, "]"), "a string", t);
    }
  }
  if (in.attributes.has_value()) {
    for (const auto& [k, v] : *in.attributes.value) {
      if (!v.is_string() && !v.is_null())
        wrong(cat("attributes.", std::string_view(k)), "a string or null", v);
    }
  }
  if (in.external_refs.has_value()) {
    for (size_t i = 0; i < in.external_refs.value->size(); ++i) {
      const auto& r = (*in.external_refs.value)[i];
      std::string path = cat("external_refs[", i, "]");
      if (!r.is_object()) {
        wrong(path, "an object {system, id}", r);
        continue;
      }
      for (const auto& [k, v] : r.as_object()) {
        if (k != "system" && k != "id") {
          f.problem(cat(path, ".", std::string_view(k)), "command.unknown_field",
                    cat("an external ref has no field '", std::string_view(k), "'"));
        } else if (!v.is_string()) {
          wrong(cat(path, ".", std::string_view(k)), "a string", v);
        }
      }
    }
  }
  if (in.addresses.has_value()) {
    for (size_t i = 0; i < in.addresses.value->size(); ++i) {
      const auto& a = (*in.addresses.value)[i];
      if (!a.is_object()) wrong(cat("addresses[", i, "]"), "an object", a);
    }
  }
  return in;
}

std::optional<Phone> phone_field(OpContext& ctx, const Patch<std::string_view>& p, std::string_view field,
                                 const std::string& region, Diagnostics& d) {
  if (!p.has_value()) return std::nullopt;
  auto cleaned = clean_text(p.value, field, {.max_code_points = 64}, d);
  if (!cleaned || cleaned->empty()) return std::nullopt;
  (void)ctx;
  return parse_phone(*cleaned, region, field, d);
}

// How much of the aggregate apply_customer_input() fills in. Either way every check runs and records the
// same violations: Fill::checks only leaves out the copies no check reads (names, note, tags and attributes
// as stored; the tags' and attributes' de-duplication, which only their "too many" rules read, is done
// when there are more of them than the limit). Engine::validate uses it for a create whose answer does
// not show the aggregate.
enum class Fill { whole, checks };

// Applies the customer-level fields of `in` to `agg` (create: absent means default; update: absent means
// unchanged, null clears). Every violation goes to `d`; uniqueness and references are checked here too.
absl::Status apply_customer_input(OpContext& ctx, const CustomerInput& in, CustomerAggregate& agg,
                                  bool create, Diagnostics& d, Fill fill = Fill::whole) {
  auto& c = agg.customer;
  const bool whole = fill == Fill::whole;
  std::string scratch;  // clean_text_view's general path
  // Type.
  if (in.customer_type_id.present) {
    if (in.customer_type_id.null) {
      d.error("customer_type_id", "customer_type_id.required", "customer_type_id cannot be cleared");
    } else if (!create && in.customer_type_id.value == c.customer_type_id) {
      // unchanged
    } else {
      auto type = ctx.tx.load_customer_type(in.customer_type_id.value);
      if (!type.ok()) return type.status();
      if (!*type) {
        d.error("customer_type_id", "customer_type.not_found",
                cat("customer type ", in.customer_type_id.value, " does not exist"));
      } else if ((*type)->status != Status::active) {
        d.error("customer_type_id", "customer_type.not_active",
                cat("customer type ", in.customer_type_id.value, " is ", to_string((*type)->status)));
      } else {
        c.customer_type_id = in.customer_type_id.value;
      }
    }
  }
  // Names. `empty` follows what `target` holds (or would hold, under Fill::checks).
  auto name_field = [&](const Patch<std::string_view>& p, std::string_view field, std::string& target,
                        bool& empty) {
    if (!p.present) return;
    if (p.null) {
      target.clear();
      empty = true;
      return;
    }
    if (auto v = detail::clean_text_view(p.value, field, {.max_code_points = 100}, d, scratch)) {
      empty = v->empty();
      if (whole) target.assign(v->data(), v->size());
    }
  };
  size_t errors_before = d.errors().size();
  bool first_empty = c.first_name.empty(), last_empty = c.last_name.empty();
  name_field(in.first_name, "first_name", c.first_name, first_empty);
  name_field(in.last_name, "last_name", c.last_name, last_empty);
  if (d.errors().size() == errors_before && first_empty && last_empty) {
    d.error(in.first_name.present || !in.last_name.present ? "first_name" : "last_name", "name.required",
            "first_name or last_name must be non-empty");
  }
  // E-mail.
  if (in.email.present || create) {
    if (!in.email.has_value()) {
      d.error("email", "email.required", "email is required");
    } else if (auto e = parse_email(in.email.value, "email", d)) {
      if (create || e->key != c.email_key || e->address != c.email) {
        bool unique_scope = c.status != Status::archived;
        if (unique_scope && e->key != c.email_key) {
          auto other = ctx.tx.find_live_by_email_key(e->key);
          if (!other.ok()) return other.status();
          if (*other && **other != c.id) {
            return field_error(ErrorCode::already_exists, "email", "email.taken",
                               cat("e-mail ", quoted(e->address), " is already used by another customer"));
          }
        }
        c.email = std::move(e->address);
        c.email_key = std::move(e->key);
      }
    }
  }
  // Company.
  if (in.company_id.present) {
    if (in.company_id.null) {
      c.company_id.reset();
    } else if (auto id = CompanyId::parse(in.company_id.value); !id) {
      d.error("company_id", "id.invalid", cat("company_id ", quoted(in.company_id.value), " is not a UUID"));
    } else if (c.company_id != *id) {
      auto company = ctx.tx.load_company(*id);
      if (!company.ok()) return company.status();
      if (!*company) {
        d.error("company_id", "company.not_found", cat("company ", id->str(), " does not exist"));
      } else if ((*company)->status != Status::active) {
        d.error("company_id", "company.not_active",
                cat("company ", quoted((*company)->name), " is ", to_string((*company)->status),
                    "; only an Active company can be assigned"));
      } else {
        c.company_id = *id;
      }
    }
  }
  // Tags.
  if (in.tags.present) {
    c.tags.clear();
    if (!in.tags.null) {
      // Distinct tags are kept, and counted for tags.too_many: no count can pass the limit when the list
      // does not, so under Fill::checks such a list is only checked.
      const bool keep = whole || in.tags.value->size() > kMaxTags;
      // Folded forms of the tags kept so far; a linear search is cheaper than a hash set at the usual counts,
      // and a set takes over past a few (a list of 100k tags would otherwise cost n²).
      absl::InlinedVector<std::string, 8> seen;
      absl::flat_hash_set<std::string> seen_set;
      constexpr size_t kLinearTags = 16;
      if (keep) c.tags.reserve(in.tags.value->size());
      size_t i = 0;
      const TextRules tag_rules{.max_code_points = 255};
      for (const auto& t : *in.tags.value) {
        const size_t index = i++;
        if (!t.is_string()) {
          std::string field = cat("tags[", index, "]");
          d.error(field, "command.wrong_type", cat(field, " must be a string"));
          continue;
        }
        std::string_view raw = t.get_string();
        // The field's path is built only when clean_text may need it for a violation.
        auto v = clean_as_is(raw, tag_rules)
                     ? std::optional<std::string_view>(raw)
                     : detail::clean_text_view(raw, cat("tags[", index, "]"), tag_rules, d, scratch);
        if (!v || v->empty() || !keep) continue;
        std::string folded = fold_answer(*v);
        if (seen.size() < kLinearTags) {
          if (std::find(seen.begin(), seen.end(), folded) != seen.end()) continue;
          seen.push_back(std::move(folded));
        } else {
          if (seen_set.empty()) seen_set.insert(seen.begin(), seen.end());
          if (!seen_set.insert(std::move(folded)).second) continue;
        }
        c.tags.emplace_back(*v);
      }
      if (c.tags.size() > kMaxTags) {
        d.error("tags", "tags.too_many",
                cat("has ", c.tags.size(), " distinct tags (at most ", kMaxTags, ")"));
      }
    }
  }
  // Note.
  if (in.note.present) {
    if (in.note.null) {
      c.note.reset();
    } else if (auto v = detail::clean_text_view(in.note.value, "note",
                                                {.max_code_points = 5000, .line_breaks = LineBreaks::any}, d,
                                                scratch)) {
      if (whole) c.note = v->empty() ? std::nullopt : std::optional<std::string>(*v);
    }
  }
  if (in.tax_exempt.present)
    c.tax_exempt = in.tax_exempt.null ? std::nullopt : std::optional(in.tax_exempt.value);
  // Attributes.
  if (in.attributes.present) {
    c.attributes.clear();
    if (!in.attributes.null) {
      // As for tags: the attributes are counted (after their keys are cleaned) only where the raw ones may
      // pass the limit.
      const bool keep = whole || in.attributes.value->size() > kMaxAttributes;
      std::string value_scratch;
      const TextRules key_rules{.max_code_points = 255};
      const TextRules value_rules{.max_code_points = 1000, .line_breaks = LineBreaks::any};
      for (const auto& [k, v] : *in.attributes.value) {
        // The field's path appears only in violations: built when one may be recorded.
        std::string field;
        auto field_path = [&]() -> const std::string& {
          if (field.empty()) field = cat("attributes.", std::string_view(k));
          return field;
        };
        auto key = clean_as_is(k, key_rules)
                       ? std::optional<std::string_view>(std::string_view(k))
                       : detail::clean_text_view(k, field_path(), key_rules, d, scratch);
        if (!key) continue;
        if (key->empty()) {
          d.error(field_path(), "attributes.empty_key", "attribute keys must be non-empty");
          continue;
        }
        if (v.is_null()) continue;
        if (!v.is_string()) {
          d.error(field_path(), "command.wrong_type", cat(field_path(), " must be a string"));
          continue;
        }
        std::string_view raw = v.get_string();
        auto value = clean_as_is(raw, value_rules)
                         ? std::optional<std::string_view>(raw)
                         : detail::clean_text_view(raw, field_path(), value_rules, d, value_scratch);
        if (value && keep) c.attributes.insert_or_assign(std::string(*key), std::string(*value));
      }
      if (c.attributes.size() > kMaxAttributes) {
        d.error("attributes", "attributes.too_many",
                cat("has ", c.attributes.size(), " attributes (at most ", kMaxAttributes, ")"));
      }
    }
  }
  // External refs.
  if (in.external_refs.present) {
    std::vector<ExternalRef> refs;
    if (!in.external_refs.null && in.external_refs.value->size() > kMaxExternalRefs) {
      d.error("external_refs", "external_refs.too_many",
              cat("has ", in.external_refs.value->size(), " external refs (at most ", kMaxExternalRefs, ")"));
    } else if (!in.external_refs.null) {
      size_t i = 0;
      for (const auto& item : *in.external_refs.value) {
        std::string field = cat("external_refs[", i++, "]");
        if (!item.is_object()) {
          d.error(field, "command.wrong_type", cat(field, " must be an object {system, id}"));
          continue;
        }
        FieldReader rf(item.as_object(), field);
        auto system = rf.str("system");
        auto id = rf.str("id");
        if (auto s = rf.finish("external_refs"); !s.ok()) {
          for (auto v : violations_of(s)) d.mutable_errors().push_back(v);
          continue;
        }
        if (!system.has_value() || !id.has_value()) {
          d.error(field, "external_ref.incomplete", "an external ref needs 'system' and 'id'");
          continue;
        }
        auto sys = clean_text(system.value, field + ".system", {.max_code_points = 64}, d);
        auto rid = clean_text(id.value, field + ".id", {.max_code_points = 255}, d);
        if (!sys || !rid) continue;
        if (sys->empty() || rid->empty()) {
          d.error(field, "external_ref.incomplete", "an external ref needs a non-empty 'system' and 'id'");
          continue;
        }
        ExternalRef ref{ascii_lower(*sys), *rid};
        if (std::find(refs.begin(), refs.end(), ref) != refs.end()) continue;
        auto owner = ctx.tx.find_by_external_ref(ref.system, ref.id);
        if (!owner.ok()) return owner.status();
        if (*owner && **owner != c.id) {
          return field_error(
              ErrorCode::already_exists, field, "external_ref.taken",
              cat("external ref ", ref.system, " ", quoted(ref.id), " already belongs to another customer"));
        }
        refs.push_back(std::move(ref));
      }
    }
    c.external_refs = std::move(refs);
  }
  return absl::OkStatus();
}

// Phones are parsed after addresses so their default region can follow the default billing address.
void apply_customer_phones(OpContext& ctx, const CustomerInput& in, CustomerAggregate& agg, Diagnostics& d) {
  if (!in.phone.present && !in.fax.present) return;
  std::string region = customer_phone_region(ctx, agg);
  if (in.phone.present) {
    agg.customer.phone = in.phone.null ? std::nullopt : phone_field(ctx, in.phone, "phone", region, d);
  }
  if (in.fax.present) {
    agg.customer.fax = in.fax.null ? std::nullopt : phone_field(ctx, in.fax, "fax", region, d);
  }
}

// Compares two aggregates' content, ignoring what a repeated create cannot reproduce (times, version,
// generated address ids).
bool same_content(CustomerAggregate a, CustomerAggregate b) {
  for (auto* x : {&a, &b}) {
    x->customer.created_at = x->customer.updated_at = absl::UnixEpoch();
    x->customer.version = 0;
    x->customer.newsletter.updated_at.reset();
    x->history.clear();
    for (auto& e : x->consent) e.at = absl::UnixEpoch();
    for (auto& addr : x->addresses) addr.id = AddressId();
    x->customer.default_billing_address_id.reset();
    x->customer.default_shipping_address_id.reset();
  }
  return a == b;
}

// The create itself, once the command's shape is checked and the id known. Under Fill::checks (the dry run
// of a create without an id, whose answer is {"valid", "id"}) the aggregate is only filled as far as its
// checks need; should the id nevertheless be taken, it starts over with Fill::whole, for the comparison
// with the stored customer. The same checks run either way, in the same order.
absl::StatusOr<boost::json::value> create_customer_as(OpContext& ctx, bool checkout, const CustomerInput& in,
                                                      const CustomerId& id, Fill fill) {
  Diagnostics d;
  CustomerAggregate agg;
  auto& c = agg.customer;
  c.id = id;
  if (checkout) {
    c.customer_type_id = 1;
  } else if (!in.customer_type_id.has_value()) {
    d.error("customer_type_id", "customer_type_id.required", "customer_type_id is required");
  }
  c.status = Status::active;
  if (in.status.has_value()) {
    auto s = parse_status(in.status.value);
    if (!s) {
      d.error("status", "status.unknown",
              cat("status ", quoted(in.status.value), " is not Active, Inactive or Archived"));
    } else {
      c.status = *s;
    }
  }
  if (c.status != Status::active && ctx.actor == Actor::customer) {
    return field_error(ErrorCode::permission_denied, "status", "status.transition_not_allowed",
                       "a customer can only create an Active account");
  }
  // No check reads the times; under Fill::checks the clock is then not read at all.
  if (fill == Fill::whole) c.created_at = c.updated_at = ctx.now;
  c.version = 1;
  LC_RETURN_IF_ERROR(apply_customer_input(ctx, in, agg, true, d, fill));
  if (in.addresses.has_value()) {
    size_t i = 0;
    for (const auto& item : *in.addresses.value) {
      std::string path = cat("addresses[", i++, "]");
      if (!item.is_object()) {
        d.error(path, "command.wrong_type", cat(path, " must be an object"));
        continue;
      }
      FieldReader af(item.as_object(), path);
      AddressInput ain = read_address_input(af);
      if (auto s = af.finish(ctx.op); !s.ok()) return s;
      Diagnostics::Scope scope(d, path);
      add_address(ctx, agg, ain, d);
    }
  }
  apply_customer_phones(ctx, in, agg, d);
  if (in.newsletter.has_value() && fill == Fill::whole) {  // nothing to check: a consent entry is recorded
    ConsentSource source = checkout ? ConsentSource::storefront_checkout : source_for_actor(ctx.actor);
    std::optional<OptInLevel> level;
    if (in.newsletter.value) {
      level = (source == ConsentSource::storefront_checkout || source == ConsentSource::customer_portal)
                  ? OptInLevel::single
                  : OptInLevel::unknown;
    }
    set_consent(agg, in.newsletter.value, level, source, ctx.actor, ctx.now);
  }
  if (!d.ok()) {
    // An id that is taken (an inline address of another customer) is ALREADY_EXISTS, as for address.add.
    bool taken = std::any_of(d.errors().begin(), d.errors().end(),
                             [](const Violation& v) { return v.rule == "id.taken"; });
    if (taken)
      return make_error(ErrorCode::already_exists, detail::to_std(validation_failed(d).message()),
                        d.errors());
    return validation_failed(d);
  }

  auto existing = ctx.tx.load_customer(c.id);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (fill != Fill::whole) return create_customer_as(ctx, checkout, in, id, Fill::whole);
    if (same_content(**existing, agg)) {
      ctx.warnings = d.warnings();
      return customer_document(**existing);
    }
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("customer ", c.id.str(), " already exists with different content"));
  }
  if (ctx.dry_run) {
    ctx.warnings = d.warnings();
    // {"valid": true, "id": "<uuid>"}, built without a temporary std::string.
    char id_text[detail::kUuidTextSize];
    detail::write_uuid_text(c.id.uuid(), id_text);
    boost::json::object answer;
    answer.reserve(2);
    answer.emplace("valid", true);
    answer.emplace("id", boost::json::string_view(id_text, sizeof id_text));
    return answer;
  }
  agg.history.push_back({ctx.now, ctx.actor, "created", std::nullopt, c.status, ""});
  LC_RETURN_IF_ERROR(ctx.tx.put_customer(agg, nullptr));
  ctx.warnings = d.warnings();
  if (ctx.abridged) {
    boost::json::array addresses;
    for (const auto& a : agg.addresses) addresses.push_back(boost::json::object{{"id", a.id.str()}});
    return boost::json::object{
        {"id", c.id.str()}, {"version", c.version}, {"addresses", std::move(addresses)}};
  }
  return customer_document(agg);
}

absl::StatusOr<boost::json::value> create_customer(OpContext& ctx, bool checkout) {
  auto& f = ctx.fields;
  auto id_field = f.view("id");
  CustomerInput in = read_customer_input(f, !checkout, !checkout, true);
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  CustomerId id;
  if (id_field.has_value()) {
    auto parsed = CustomerId::parse(id_field.value);
    if (!parsed)
      return field_error(ErrorCode::invalid_argument, "id", "id.invalid",
                         cat("id ", quoted(id_field.value), " is not a UUID"));
    id = *parsed;
  } else {
    id = CustomerId::generate();
  }
  // A dry run answers only {"valid", "id"} unless the id is that of a stored customer (the answer is then
  // its document, or id.taken): with a new id nothing it would build is read.
  const Fill fill = ctx.dry_run && !id_field.has_value() ? Fill::checks : Fill::whole;
  return create_customer_as(ctx, checkout, in, id, fill);
}

absl::StatusOr<boost::json::value> op_customer_create(OpContext& ctx) { return create_customer(ctx, false); }
absl::StatusOr<boost::json::value> op_checkout_create(OpContext& ctx) { return create_customer(ctx, true); }

absl::StatusOr<boost::json::value> op_customer_update(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, false);
  CustomerInput in = read_customer_input(f, true, false, false);
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  if (loaded->customer.erased) {
    return field_error(ErrorCode::failed_precondition, "customer_id", "customer.erased",
                       "an erased customer cannot be changed");
  }
  if (ctx.actor == Actor::customer && loaded->customer.status != Status::active) {
    return field_error(ErrorCode::failed_precondition, "status", "customer.not_active",
                       "an Inactive or Archived account cannot change itself");
  }
  CustomerAggregate agg = *loaded;
  Diagnostics d;
  LC_RETURN_IF_ERROR(apply_customer_input(ctx, in, agg, false, d));
  apply_customer_phones(ctx, in, agg, d);
  if (in.newsletter.has_value() && in.newsletter.value != agg.customer.newsletter.subscribed) {
    ConsentSource source = source_for_actor(ctx.actor);
    std::optional<OptInLevel> level;
    if (in.newsletter.value)
      level = source == ConsentSource::customer_portal ? OptInLevel::single : OptInLevel::unknown;
    set_consent(agg, in.newsletter.value, level, source, ctx.actor, ctx.now);
  }
  if (!d.ok()) return validation_failed(d);
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  ctx.warnings = d.warnings();
  return changed_customer(ctx, agg);
}

// SPEC §3: which actor may make which transition.
absl::Status check_transition(Actor actor, Status from, Status to, bool via_cancel) {
  auto deny = [&](std::string_view why) {
    return field_error(ErrorCode::permission_denied, "status", "status.transition_not_allowed",
                       cat(to_string(actor), " may not change status from ", to_string(from), " to ",
                           to_string(to), ": ", why));
  };
  switch (actor) {
    case Actor::staff:
      return absl::OkStatus();
    case Actor::customer:
      if (from == Status::active && to == Status::inactive && via_cancel) return absl::OkStatus();
      return deny("a customer can only deactivate the account with customer.cancel_account");
    case Actor::system:
      if (from == Status::active && to == Status::inactive) return absl::OkStatus();
      return deny("the system can only deactivate an Active customer");
  }
  return deny("unknown actor");
}

}  // namespace

absl::Status change_status(OpContext& ctx, CustomerAggregate& agg, Status to, std::string reason,
                           bool via_cancel) {
  auto& c = agg.customer;
  if (c.status == to) return absl::OkStatus();
  LC_RETURN_IF_ERROR(check_transition(ctx.actor, c.status, to, via_cancel));
  if (c.erased) {
    return field_error(ErrorCode::failed_precondition, "status", "customer.erased",
                       "an erased customer cannot be restored");
  }
  if (c.status == Status::archived) {
    auto other = ctx.tx.find_live_by_email_key(c.email_key);
    if (!other.ok()) return other.status();
    if (*other && **other != c.id) {
      return field_error(ErrorCode::already_exists, "email", "email.taken",
                         cat("cannot restore: e-mail ", quoted(c.email),
                             " now belongs to another customer that is not archived"));
    }
  }
  agg.history.push_back({ctx.now, ctx.actor, "status_changed", c.status, to, std::move(reason)});
  c.status = to;
  return absl::OkStatus();
}

namespace {

absl::StatusOr<boost::json::value> op_set_status(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto status = f.str("status");
  auto reason = f.str("reason");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (!status.has_value())
    return field_error(ErrorCode::validation_failed, "status", "status.required", "status is required");
  auto to = parse_status(status.value);
  if (!to) {
    return field_error(ErrorCode::validation_failed, "status", "status.unknown",
                       cat("status ", quoted(status.value), " is not Active, Inactive or Archived"));
  }
  Diagnostics d;
  std::string why;
  if (reason.has_value()) {
    auto r = clean_text(reason.value, "reason", {.max_code_points = 1000, .line_breaks = LineBreaks::any}, d);
    if (!r) return validation_failed(d);
    why = *r;
  }
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  CustomerAggregate agg = *loaded;
  LC_RETURN_IF_ERROR(change_status(ctx, agg, *to, why, false));
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return customer_document(agg);
}

absl::StatusOr<boost::json::value> op_newsletter_set(OpContext& ctx) {
  auto& f = ctx.fields;
  CustomerName name = read_customer_name(f, true);
  auto subscribed = f.boolean("subscribed");
  auto source = f.str("source");
  auto level = f.str("opt_in_level");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  Diagnostics d;
  if (!subscribed.has_value())
    d.error("subscribed", "newsletter.subscribed_required", "subscribed (true/false) is required");
  std::optional<ConsentSource> src;
  if (!source.has_value()) {
    d.error("source", "newsletter.source_required", "source is required");
  } else if (!(src = parse_consent_source(source.value))) {
    d.error("source", "newsletter.source_unknown",
            cat("source ", quoted(source.value), " is not a consent source"));
  }
  std::optional<OptInLevel> lvl;
  if (level.has_value()) {
    if (!(lvl = parse_opt_in_level(level.value))) {
      d.error("opt_in_level", "newsletter.opt_in_level_unknown",
              cat("opt_in_level ", quoted(level.value), " is not single, confirmed or unknown"));
    }
  }
  if (!d.ok()) return validation_failed(d);
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  LC_RETURN_IF_ERROR(check_version(ctx, *loaded));
  if (loaded->customer.erased) {
    return field_error(ErrorCode::failed_precondition, "customer_id", "customer.erased",
                       "an erased customer cannot be changed");
  }
  CustomerAggregate agg = *loaded;
  if (subscribed.value && !lvl) lvl = OptInLevel::unknown;
  if (!subscribed.value) lvl.reset();
  set_consent(agg, subscribed.value, lvl, src, ctx.actor, ctx.now);
  LC_RETURN_IF_ERROR(save_customer(ctx, agg, *loaded));
  return changed_customer(ctx, agg);
}

absl::StatusOr<boost::json::value> op_customer_get(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  return customer_document(*loaded);
}

absl::StatusOr<boost::json::value> op_customer_search(OpContext& ctx) {
  auto& f = ctx.fields;
  auto text = f.str("text");
  auto status = f.str("status");
  auto type = f.int64("customer_type_id");
  auto company = f.str("company_id");
  auto region = f.str("region");
  auto limit = f.int64("limit");
  auto cursor = f.str("cursor");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  SearchQuery q;
  Diagnostics d;
  if (text.has_value()) {
    if (auto t = clean_text(text.value, "text", {.max_code_points = 255}, d)) q.text = *t;
  }
  if (status.has_value()) {
    q.status = parse_status(status.value);
    if (!q.status)
      d.error("status", "status.unknown", cat("status ", quoted(status.value), " is not a status"));
  }
  if (type.has_value()) q.customer_type_id = type.value;
  if (company.has_value()) {
    q.company_id = CompanyId::parse(company.value);
    if (!q.company_id)
      d.error("company_id", "id.invalid", cat("company_id ", quoted(company.value), " is not a UUID"));
  }
  if (region.has_value()) q.region = ascii_upper(trim(region.value));
  if (limit.has_value()) {
    if (limit.value < 1 || limit.value > 1000) {
      d.error("limit", "limit.out_of_range", cat("limit ", limit.value, " is not between 1 and 1000"));
    } else {
      q.limit = static_cast<size_t>(limit.value);
    }
  }
  if (cursor.has_value() && !cursor.value.empty()) {
    q.after = CustomerId::parse(cursor.value);
    if (!q.after)
      d.error("cursor", "cursor.invalid",
              cat("cursor ", quoted(cursor.value), " is not a cursor of this store"));
  }
  if (!d.ok()) return validation_failed(d);
  ++q.limit;  // one more tells whether there is a next page
  auto ids = ctx.tx.search(q);
  if (!ids.ok()) return ids.status();
  --q.limit;
  boost::json::array customers;
  bool more = ids->size() > q.limit;
  if (more) ids->resize(q.limit);
  for (const auto& id : *ids) {
    auto agg = ctx.tx.load_customer(id);
    if (!agg.ok()) return agg.status();
    if (*agg) customers.push_back(customer_document(**agg));
  }
  boost::json::object out;
  out["customers"] = std::move(customers);
  out["next_cursor"] =
      more && !ids->empty() ? boost::json::value(ids->back().str()) : boost::json::value(nullptr);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Customer types and companies.

absl::StatusOr<boost::json::value> put_type(OpContext& ctx, bool create) {
  auto& f = ctx.fields;
  auto id = f.int64("id");
  auto name = f.str("name");
  auto status = f.str("status");
  auto is_default = f.boolean("is_default");
  auto tax_exempt = f.boolean("tax_exempt");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer) {
    return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                       "a customer cannot manage customer types");
  }
  auto types = ctx.tx.list_customer_types();
  if (!types.ok()) return types.status();
  Diagnostics d;
  CustomerType t;
  std::optional<CustomerType> existing;
  if (id.has_value()) {
    if (id.value < 1)
      return field_error(ErrorCode::validation_failed, "id", "customer_type.id_invalid",
                         cat("customer type id ", id.value, " must be >= 1"));
    for (const auto& x : *types)
      if (x.id == id.value) existing = x;
  } else if (!create) {
    return field_error(ErrorCode::validation_failed, "id", "customer_type.id_required", "id is required");
  }
  if (!create && !existing) {
    return field_error(ErrorCode::not_found, "id", "customer_type.not_found",
                       cat("customer type ", id.value, " does not exist"));
  }
  if (existing && !create) {
    t = *existing;
  } else {
    int64_t next = 1;
    for (const auto& x : *types) next = std::max(next, x.id + 1);
    t.id = id.has_value() ? id.value : next;
  }
  if (name.present) {
    if (name.null) {
      d.error("name", "customer_type.name_required", "name is required");
    } else if (auto v = clean_text(name.value, "name", {.max_code_points = 100}, d)) {
      if (v->empty()) d.error("name", "customer_type.name_required", "name is required");
      t.name = *v;
    }
  } else if (create) {
    d.error("name", "customer_type.name_required", "name is required");
  }
  if (status.has_value()) {
    auto s = parse_status(status.value);
    if (!s) {
      d.error("status", "status.unknown",
              cat("status ", quoted(status.value), " is not Active, Inactive or Archived"));
    } else {
      t.status = *s;
    }
  }
  if (is_default.has_value()) t.is_default = is_default.value;
  if (tax_exempt.has_value()) t.tax_exempt = tax_exempt.value;
  if (!d.ok()) return validation_failed(d);
  if (t.id == 1 && t.status != Status::active) {
    return field_error(ErrorCode::failed_precondition, "status", "customer_type.protected",
                       "customer type 1 always exists and stays Active");
  }
  if (t.is_default && t.status != Status::active) {
    return field_error(ErrorCode::failed_precondition, "is_default", "customer_type.default_not_active",
                       "only an Active customer type can be the default");
  }
  for (const auto& x : *types) {
    if (x.id != t.id && fold_answer(x.name) == fold_answer(t.name)) {
      return field_error(ErrorCode::already_exists, "name", "customer_type.name_taken",
                         cat("customer type name ", quoted(t.name), " is already used by type ", x.id));
    }
  }
  if (create && existing) {
    if (*existing == t) return customer_type_document(*existing);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("customer type ", t.id, " already exists with different content"));
  }
  if (t.is_default) {
    for (auto x : *types) {
      if (x.id != t.id && x.is_default) {
        x.is_default = false;
        LC_RETURN_IF_ERROR(ctx.tx.put_customer_type(x));
      }
    }
  }
  LC_RETURN_IF_ERROR(ctx.tx.put_customer_type(t));
  return customer_type_document(t);
}

absl::StatusOr<boost::json::value> op_type_create(OpContext& ctx) { return put_type(ctx, true); }
absl::StatusOr<boost::json::value> op_type_update(OpContext& ctx) { return put_type(ctx, false); }

absl::StatusOr<boost::json::value> put_company(OpContext& ctx, bool create) {
  auto& f = ctx.fields;
  auto id = f.str("id");
  auto name = f.str("name");
  auto status = f.str("status");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer)
    return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                       "a customer cannot manage companies");
  Diagnostics d;
  Company c;
  std::optional<Company> existing;
  if (id.has_value()) {
    auto parsed = CompanyId::parse(id.value);
    if (!parsed)
      return field_error(ErrorCode::invalid_argument, "id", "id.invalid",
                         cat("id ", quoted(id.value), " is not a UUID"));
    auto loaded = ctx.tx.load_company(*parsed);
    if (!loaded.ok()) return loaded.status();
    existing = *loaded;
    c.id = *parsed;
  } else if (create) {
    c.id = CompanyId::generate();
  } else {
    return field_error(ErrorCode::validation_failed, "id", "company.id_required", "id is required");
  }
  if (!create) {
    if (!existing)
      return field_error(ErrorCode::not_found, "id", "company.not_found",
                         cat("company ", c.id.str(), " does not exist"));
    c = *existing;
  } else {
    c.created_at = ctx.now;
  }
  if (name.present) {
    if (auto v = name.null ? std::optional<std::string>("")
                           : clean_text(name.value, "name", {.max_code_points = 255}, d)) {
      if (v->empty()) d.error("name", "company.name_required", "name is required");
      c.name = *v;
    }
  } else if (create) {
    d.error("name", "company.name_required", "name is required");
  }
  if (status.has_value()) {
    auto s = parse_status(status.value);
    if (!s) {
      d.error("status", "status.unknown",
              cat("status ", quoted(status.value), " is not Active, Inactive or Archived"));
    } else {
      c.status = *s;
    }
  }
  if (!d.ok()) return validation_failed(d);
  if (c.status != Status::archived) {
    auto all = ctx.tx.list_companies();
    if (!all.ok()) return all.status();
    for (const auto& x : *all) {
      if (x.id != c.id && x.status != Status::archived && fold_answer(x.name) == fold_answer(c.name)) {
        return field_error(ErrorCode::already_exists, "name", "company.name_taken",
                           cat("company name ", quoted(c.name), " is already used by company ", x.id.str()));
      }
    }
  }
  if (create && existing) {
    Company cmp = c;
    cmp.created_at = existing->created_at;
    if (cmp == *existing) return company_document(*existing);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("company ", c.id.str(), " already exists with different content"));
  }
  LC_RETURN_IF_ERROR(ctx.tx.put_company(c));
  return company_document(c);
}

absl::StatusOr<boost::json::value> op_company_create(OpContext& ctx) { return put_company(ctx, true); }
absl::StatusOr<boost::json::value> op_company_update(OpContext& ctx) { return put_company(ctx, false); }

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Shared helpers (context.hpp).

CustomerName read_customer_name(FieldReader& f, bool allow_email) {
  CustomerName n;
  n.customer_id = f.str("customer_id");
  if (allow_email) n.email = f.str("email");
  return n;
}

absl::StatusOr<std::optional<CustomerId>> find_by_email(StoreTx& tx, std::string_view email) {
  std::string key = email_lookup_key(email);
  auto live = tx.find_live_by_email_key(key);
  if (!live.ok() || *live) return live;
  return tx.find_archived_by_email_key(key);
}

absl::StatusOr<CustomerAggregate> load_customer(OpContext& ctx, const CustomerName& name) {
  std::optional<CustomerId> id;
  if (name.customer_id.has_value()) {
    id = CustomerId::parse(name.customer_id.value);
    if (!id) {
      return field_error(ErrorCode::invalid_argument, "customer_id", "id.invalid",
                         cat("customer_id ", quoted(name.customer_id.value), " is not a UUID"));
    }
  } else if (name.email.has_value()) {
    auto found = find_by_email(ctx.tx, name.email.value);
    if (!found.ok()) return found.status();
    if (!*found) {
      return field_error(ErrorCode::not_found, "email", "customer.not_found",
                         cat("no customer with e-mail ", quoted(name.email.value)));
    }
    id = **found;
  } else {
    return field_error(
        ErrorCode::invalid_argument, "customer_id", "customer.name_required",
        cat("'", ctx.op, "' needs customer_id", ctx.op == "customer.update" ? "" : " or email"));
  }
  auto agg = ctx.tx.load_customer(*id);
  if (!agg.ok()) return agg.status();
  if (!*agg) {
    return field_error(ErrorCode::not_found, "customer_id", "customer.not_found",
                       cat("no customer ", id->str()));
  }
  return std::move(**agg);
}

absl::Status check_version(const OpContext& ctx, const CustomerAggregate& agg) {
  if (ctx.expected_version && *ctx.expected_version != agg.customer.version) {
    return field_error(ErrorCode::conflict, "expected_version", "version.conflict",
                       cat("expected version ", *ctx.expected_version, " but the customer is at version ",
                           agg.customer.version));
  }
  return absl::OkStatus();
}

absl::Status save_customer(OpContext& ctx, CustomerAggregate& after, const CustomerAggregate& before,
                           SaveMode mode) {
  after.customer.version = before.customer.version;
  after.customer.updated_at = before.customer.updated_at;
  if (after == before) return absl::OkStatus();
  if (mode == SaveMode::unversioned) return ctx.tx.put_customer(after, &before);
  after.customer.version = before.customer.version + 1;
  after.customer.updated_at = ctx.now;
  return ctx.tx.put_customer(after, &before);
}

std::string customer_phone_region(const OpContext& ctx, const CustomerAggregate& agg) {
  if (const auto* billing = agg.default_billing()) return billing->region;
  return ctx.engine.options.default_region;
}

ConsentSource source_for_actor(Actor actor) {
  switch (actor) {
    case Actor::staff:
      return ConsentSource::back_office;
    case Actor::customer:
      return ConsentSource::customer_portal;
    case Actor::system:
      return ConsentSource::api;
  }
  return ConsentSource::api;
}

void set_consent(CustomerAggregate& agg, bool subscribed, std::optional<OptInLevel> level,
                 std::optional<ConsentSource> source, Actor actor, absl::Time now) {
  auto& n = agg.customer.newsletter;
  bool asked = n.updated_at.has_value();
  if (asked && n.subscribed == subscribed && n.opt_in_level == level) return;
  agg.consent.push_back({now, n.subscribed, subscribed, level, source, actor});
  n.subscribed = subscribed;
  n.opt_in_level = level;
  n.source = source;
  n.updated_at = now;
}

void add_customer_ops(OpTable& t) {
  t["customer_type.create"] = {true, op_type_create};
  t["customer_type.update"] = {true, op_type_update};
  t["company.create"] = {true, op_company_create};
  t["company.update"] = {true, op_company_update};
  t["customer.create"] = {true, op_customer_create};
  t["checkout.create_customer"] = {true, op_checkout_create};
  t["customer.update"] = {true, op_customer_update};
  t["customer.set_status"] = {true, op_set_status};
  t["newsletter.set"] = {true, op_newsletter_set};
  t["customer.get"] = {false, op_customer_get};
  t["customer.search"] = {false, op_customer_search};
}

}  // namespace leadcustomers::detail
