// Stores and commands through the C ABI: open/close, lc_execute, and the typed hot-path getters.
#include <memory>

#include "boost/json.hpp"
#include "capi_internal.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

std::unique_ptr<lc_store> wrap(std::unique_ptr<Store> store, const lc_options& options) {
  auto s = std::make_unique<lc_store>();
  s->store = std::move(store);
  s->engine = std::make_unique<Engine>(*s->store, options.engine);
  s->max_input_bytes = options.max_input_bytes;
  return s;
}

lc_status deliver_customer(const absl::StatusOr<CustomerAggregate>& found, lc_result** out, lc_error** err) {
  if (!found.ok()) return fail(err, found.status());
  if (out) deliver(out, boost::json::serialize(customer_document(*found)));
  return LC_OK;
}

}  // namespace
}  // namespace leadcustomers::detail

namespace lc = leadcustomers;
namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_store_open_memory(const lc_options* options, lc_store** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (!out) return lcd::fail(err, lcd::null_argument("out"));
    *out = nullptr;
    *out = lcd::wrap(std::make_unique<lc::MemoryStore>(), lcd::options_or_defaults(options)).release();
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_store_open_sqlite(const char* path, size_t path_len, const lc_options* options, lc_store** out,
                               lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (!out) return lcd::fail(err, lcd::null_argument("out"));
    *out = nullptr;
    auto file = lcd::input_text(path, path_len, "path", lcd::kMaxKeyBytes);
    if (!file.ok()) return lcd::fail(err, file.status());
    if (file->empty() || file->find('\0') != std::string_view::npos) {
      return lcd::fail(err, lc::field_error(lc::ErrorCode::invalid_argument, "path", "capi.invalid_path",
                                            "path must be a non-empty file name without NUL bytes"));
    }
    const lc_options& o = lcd::options_or_defaults(options);
    auto store = lcd::open_sqlite_store(*file, o.engine);
    if (!store.ok()) return lcd::fail(err, store.status());
    *out = lcd::wrap(std::move(*store), o).release();
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

void lc_store_close(lc_store* store) noexcept { delete store; }

bool lc_store_supports(const lc_store* store, const char* op, size_t op_len) noexcept {
  try {
    if (!store) return false;
    auto name = lcd::input_text(op, op_len, "op", lcd::kMaxKeyBytes);
    return name.ok() && store->engine->supports(*name);
  } catch (...) {
    return false;
  }
}

lc_status lc_execute(lc_store* store, const char* command, size_t command_len, lc_result** out,
                     lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    if (!store) return lcd::fail(err, lcd::null_argument("store"));
    auto text = lcd::input_text(command, command_len, "command", store->max_input_bytes);
    if (!text.ok()) return lcd::fail(err, text.status());
    lc::Result r = store->engine->execute_text(*text);
    if (!r.ok()) return lcd::fail(err, r.status);
    if (out) lcd::deliver(out, boost::json::serialize(r.result), std::move(r.warnings));
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_customer_get(lc_store* store, const char* id, size_t id_len, lc_result** out,
                          lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    if (!store) return lcd::fail(err, lcd::null_argument("store"));
    auto text = lcd::input_text(id, id_len, "customer_id", lcd::kMaxKeyBytes);
    if (!text.ok()) return lcd::fail(err, text.status());
    auto parsed = lc::CustomerId::parse(*text);
    if (!parsed) {
      // The same refusal as the engine's customer.get.
      return lcd::fail(err, lc::field_error(lc::ErrorCode::invalid_argument, "customer_id", "id.invalid",
                                            lcd::cat("customer_id ", lc::quoted(*text), " is not a UUID")));
    }
    return lcd::deliver_customer(store->engine->get_customer(*parsed), out, err);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_customer_get_by_email(lc_store* store, const char* email, size_t email_len, lc_result** out,
                                   lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    if (!store) return lcd::fail(err, lcd::null_argument("store"));
    auto text = lcd::input_text(email, email_len, "email", lcd::kMaxKeyBytes);
    if (!text.ok()) return lcd::fail(err, text.status());
    return lcd::deliver_customer(store->engine->get_customer_by_email(*text), out, err);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

}  // extern "C"
