// The bridge from the address rules to the region catalog: resolves region and state, normalizes the zip and
// checks the per-country rules (state / zip / city required, zip pattern, state zip prefixes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leadcustomers/error.hpp"

namespace leadcustomers::detail {

struct Location {
  std::string region;                // alpha-2
  std::optional<std::string> state;  // full code
  std::optional<std::string> zip;    // normalized
};

// Violations go to `d` on the fields "region", "state", "city", "zip" (under d's scope). `city` is the
// cleaned city (nullopt or "" when absent) and is only checked for presence.
std::optional<Location> resolve_location(std::string_view region, const std::optional<std::string>& state,
                                         const std::optional<std::string>& city,
                                         const std::optional<std::string>& zip, Diagnostics& d);

// The English name of a subdivision code ("US-CA" -> "California"), when the catalog has it.
std::optional<std::string> subdivision_name(std::string_view code);

}  // namespace leadcustomers::detail
