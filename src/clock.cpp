#include "leadcustomers/clock.hpp"

#include <cstdio>
#include <string>

#include "absl/time/clock.h"
#include "detail/absl_compat.hpp"

namespace leadcustomers {

absl::Time SystemClock::now() const { return absl::FromUnixMillis(absl::ToUnixMillis(absl::Now())); }

std::string format_timestamp(absl::Time t) {
  // %E4Y: always four digits (RFC 3339 has no other form; parse_timestamp keeps years in 1900..9999).
  return std::string(absl::FormatTime("%E4Y-%m-%d%ET%H:%M:%E3SZ", t, absl::UTCTimeZone()));
}

std::optional<absl::Time> parse_timestamp(std::string_view text, TimestampError* error) {
  absl::Time t;
  std::string err;
  auto s = detail::to_absl(text);
  if (absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*S%Ez", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*SZ", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d%ET%H:%M:%E*Sz", s, absl::UTCTimeZone(), &t, &err) ||
      absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &err)) {
    // The year in UTC (an offset can move 9999-12-31T23:00-05:00 into year 10000).
    const int64_t year = absl::ToCivilYear(t, absl::UTCTimeZone()).year();
    if (year < kMinTimestampYear || year > kMaxTimestampYear) {
      if (error) *error = TimestampError::out_of_range;
      return std::nullopt;
    }
    return absl::FromUnixMillis(absl::ToUnixMillis(t));
  }
  if (error) *error = TimestampError::invalid;
  return std::nullopt;
}

}  // namespace leadcustomers
