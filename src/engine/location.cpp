#include "engine/location.hpp"

#include "leadcustomers/region_catalog.hpp"

namespace leadcustomers::detail {

std::optional<Location> resolve_location(std::string_view region, const std::optional<std::string>& state,
                                         const std::optional<std::string>& city,
                                         const std::optional<std::string>& zip, Diagnostics& d) {
  LocationInput in;
  in.region = region;
  if (state) in.state = *state;
  if (city) in.city = *city;
  if (zip) in.zip = *zip;
  auto loc = RegionCatalog::instance().validate_location(in, d);
  if (!loc) return std::nullopt;
  Location out;
  out.region = loc->region;
  out.state = loc->state;
  out.zip = loc->zip;
  return out;
}

std::optional<std::string> subdivision_name(std::string_view code) {
  auto dash = code.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto sub = RegionCatalog::instance().lookup_state(code.substr(0, dash), code);
  if (!sub.ok()) return std::nullopt;
  return std::string(sub->name);
}

}  // namespace leadcustomers::detail
