// Region catalog look-ups through the C ABI, over the region catalog
// (include/leadcustomers/region_catalog.hpp): the same resolution the address rules use, so a state that
// resolves here is accepted on an address.
#include "boost/json.hpp"
#include "capi_internal.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/region_catalog.hpp"
#include "leadcustomers/text.hpp"

namespace lc = leadcustomers;
namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_region_countries(lc_result** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    boost::json::array list;
    for (const auto& r : lc::RegionCatalog::instance().regions()) {
      list.push_back(boost::json::object{{"code", r.code}, {"alpha3", r.alpha3}, {"name", r.name}});
    }
    lcd::deliver(out, boost::json::serialize(list));
    return LC_OK;
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
    const auto& catalog = lc::RegionCatalog::instance();
    auto country = catalog.find_country(*code);
    if (!country.ok()) return lcd::fail(err, country.status());
    boost::json::array list;
    for (const auto& sub : catalog.states(country->code)) {
      list.push_back(boost::json::object{{"code", sub.code}, {"name", sub.name}});
    }
    lcd::deliver(out, boost::json::serialize(list));
    return LC_OK;
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
    auto sub = lc::RegionCatalog::instance().lookup_state(*code, *text);
    if (!sub.ok()) return lcd::fail(err, sub.status());
    lcd::deliver(out, boost::json::serialize(boost::json::object{{"code", sub->code}, {"name", sub->name}}));
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

}  // extern "C"
