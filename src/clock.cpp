#include "leadcustomers/clock.hpp"

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "detail/absl_compat.hpp"

namespace leadcustomers {

absl::Time SystemClock::now() const { return absl::FromUnixMillis(absl::ToUnixMillis(absl::Now())); }

std::string format_timestamp(absl::Time t) {
  return std::string(absl::FormatTime("%Y-%m-%d%ET%H:%M:%E3SZ", t, absl::UTCTimeZone()));
}

std::optional<absl::Time> parse_timestamp(std::string_view text) {
  absl::Time t;
  std::string err;
  auto s = detail::to_absl(text);
  if (absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*SZ", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*Sz", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &err)) {
    return absl::FromUnixMillis(absl::ToUnixMillis(t));
  }
  return std::nullopt;
}

}  // namespace leadcustomers
