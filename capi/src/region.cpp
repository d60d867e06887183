// Region catalog look-ups through the C ABI.
//
// lc_region_resolve_state is built on src/engine/location.hpp (the same resolution the address rules use,
// so a state that resolves here is accepted on an address). Listing countries and a country's states needs
// the region catalog's own API, which is not in this tree yet: until it is wired (below, marked WIRE),
// those two return LC_UNIMPLEMENTED, as the header documents.
#include "boost/json.hpp"
#include "capi_internal.hpp"
#include "detail/strings.hpp"
#include "engine/location.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

// Violations of resolve_location() that are about the region or the state (it also checks per-country
// city and zip rules, which do not apply to a bare state look-up).
bool about_region_or_state(const Violation& v) { return v.field == "region" || v.field == "state"; }

}  // namespace
}  // namespace leadcustomers::detail

namespace lc = leadcustomers;
namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_region_countries(lc_result** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    // WIRE: serialize the catalog's countries as [{"code","name"}] ordered by code.
    return lcd::fail(err,
                     absl::UnimplementedError("the region catalog's country list is not part of this build"));
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_region_states(const char* region, size_t region_len, lc_result** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    auto code = lcd::input_text(region, region_len, "region", lcd::kMaxKeyBytes);
    if (!code.ok()) return lcd::fail(err, code.status());
    // WIRE: NOT_FOUND (field region) for an unknown country, else [{"code","name"}] ordered by code.
    return lcd::fail(err,
                     absl::UnimplementedError("the region catalog's state list is not part of this build"));
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_region_resolve_state(const char* region, size_t region_len, const char* state, size_t state_len,
                                  lc_result** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    auto code = lcd::input_text(region, region_len, "region", lcd::kMaxKeyBytes);
    if (!code.ok()) return lcd::fail(err, code.status());
    auto text = lcd::input_text(state, state_len, "state", lcd::kMaxKeyBytes);
    if (!text.ok()) return lcd::fail(err, text.status());
    lc::Diagnostics d;
    auto location = lcd::resolve_location(*code, std::string(*text), std::nullopt, std::nullopt, d);
    lc::Diagnostics relevant;
    for (const auto& v : d.errors()) {
      if (lcd::about_region_or_state(v)) relevant.mutable_errors().push_back(v);
    }
    if (relevant.ok() && (!location || !location->state)) {
      relevant.error("state", "state.unknown", lcd::cat("state ", lc::quoted(*text), " does not resolve"));
    }
    if (!relevant.ok()) return lcd::fail(err, lc::validation_failed(relevant));
    boost::json::object doc{{"code", *location->state}, {"name", nullptr}};
    if (auto name = lcd::subdivision_name(*location->state)) doc["name"] = *name;
    lcd::deliver(out, boost::json::serialize(doc));
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

}  // extern "C"
