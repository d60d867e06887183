// Stateless validation through the C ABI. The rules live once, in the engine: a document is validated by
// applying `customer.create` to a throwaway in-memory store inside a write transaction that is always
// rolled back. The store is seeded (inside the same transaction) with the customer type and company the
// document names, so only rules about the document itself can fail — never "type 7 does not exist" or
// "e-mail taken", which depend on a real store's contents.
#include <memory>

#include "boost/json.hpp"
#include "capi_internal.hpp"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers::detail {
namespace {

constexpr std::string_view kAddressPrefix = "addresses[0]";

// The rejection that lets write() roll the throwaway transaction back.
absl::Status rollback() { return absl::CancelledError("validation only: rolled back"); }

absl::StatusOr<boost::json::object> parse_document(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec) {
    return field_error(ErrorCode::invalid_argument, "", "command.bad_json",
                       cat("the document is not valid JSON: ", ec.message()));
  }
  if (!value.is_object()) {
    return field_error(ErrorCode::invalid_argument, "", "command.not_object", "a document is a JSON object");
  }
  auto& object = value.as_object();
  if (object.contains("op")) {
    return field_error(ErrorCode::invalid_argument, "op", "command.unknown_field",
                       "a document has no field 'op'");
  }
  return std::move(object);
}

// Inserts the customer type and company `command` names into the throwaway transaction, so that their
// existence (a property of a store, not of the document) never fails validation.
absl::Status seed_references(StoreTx& tx, const boost::json::object& command, absl::Time now) {
  if (const auto* type = command.if_contains("customer_type_id"); type && type->is_int64()) {
    int64_t id = type->as_int64();
    auto existing = tx.load_customer_type(id);
    if (!existing.ok()) return existing.status();
    if (!*existing) {
      auto s = tx.put_customer_type(CustomerType{id, "validation", Status::active, false, false});
      if (!s.ok()) return s;
    }
  }
  if (const auto* company = command.if_contains("company_id"); company && company->is_string()) {
    if (auto id = CompanyId::parse(std::string_view(company->as_string()))) {
      auto s = tx.put_company(Company{*id, "validation", Status::active, now});
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

Result validate_create(const lc_options& options, const boost::json::object& command) {
  MemoryStore store;
  Engine engine(store, options.engine);
  Result result;
  auto s = store.write([&](StoreTx& tx) -> absl::Status {
    auto seeded = seed_references(tx, command, engine.clock().now());
    if (!seeded.ok()) return seeded;
    result = engine.execute_in(tx, command);
    return rollback();
  });
  if (result.ok() && !absl::IsCancelled(s)) result.status = s;  // the store itself failed
  return result;
}

// "addresses[0].zip" -> "zip", "addresses[0]" -> "".
std::string strip_address_prefix(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kAddressPrefix.size()) == kAddressPrefix) {
      i += kAddressPrefix.size();
      if (i < text.size() && text[i] == '.') ++i;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

Violations strip_address_prefix(Violations list) {
  for (auto& v : list) {
    v.field = strip_address_prefix(v.field);
    v.message = strip_address_prefix(v.message);
  }
  return list;
}

using Validator = lc_status (*)(const lc_options&, boost::json::object, lc_result**, lc_error**);

lc_status validate_customer(const lc_options& options, boost::json::object document, lc_result** out,
                            lc_error** err) {
  document["op"] = "customer.create";
  Result r = validate_create(options, document);
  if (!r.ok()) return fail(err, r.status);
  if (out) deliver(out, boost::json::serialize(r.result), std::move(r.warnings));
  return LC_OK;
}

lc_status validate_address(const lc_options& options, boost::json::object document, lc_result** out,
                           lc_error** err) {
  boost::json::object command{
      {"op", "customer.create"},           {"customer_type_id", 1},
      {"first_name", "Validation"},        {"last_name", "Only"},
      {"email", "validation@example.com"}, {"addresses", boost::json::array{std::move(document)}}};
  Result r = validate_create(options, command);
  if (!r.ok()) {
    return fail(err, make_error(error_code_of(r.status), strip_address_prefix(to_std(r.status.message())),
                                strip_address_prefix(violations_of(r.status))));
  }
  if (out) {
    boost::json::value address = nullptr;
    if (const auto* list = r.result.as_object().if_contains("addresses"); list && list->is_array()) {
      if (!list->as_array().empty()) address = list->as_array()[0];
    }
    deliver(out, boost::json::serialize(address), strip_address_prefix(std::move(r.warnings)));
  }
  return LC_OK;
}

lc_status run(Validator validator, const lc_options* options, const char* document, size_t document_len,
              lc_result** out, lc_error** err) noexcept {
  try {
    clear(err);
    if (out) *out = nullptr;
    const lc_options& o = options_or_defaults(options);
    auto text = input_text(document, document_len, "document", o.max_input_bytes);
    if (!text.ok()) return fail(err, text.status());
    auto parsed = parse_document(*text);
    if (!parsed.ok()) return fail(err, parsed.status());
    return validator(o, std::move(*parsed), out, err);
  } catch (...) {
    return fail_current_exception(err);
  }
}

}  // namespace
}  // namespace leadcustomers::detail

namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_validate_customer(const lc_options* options, const char* document, size_t document_len,
                               lc_result** out, lc_error** err) noexcept {
  return lcd::run(lcd::validate_customer, options, document, document_len, out, err);
}

lc_status lc_validate_address(const lc_options* options, const char* document, size_t document_len,
                              lc_result** out, lc_error** err) noexcept {
  return lcd::run(lcd::validate_address, options, document, document_len, out, err);
}

}  // extern "C"
