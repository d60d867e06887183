// Timestamps (SPEC §2: RFC 3339, UTC, milliseconds): the four-digit year and the range of years
// parse_timestamp accepts (kMinTimestampYear..kMaxTimestampYear, in UTC).
#include "leadcustomers/clock.hpp"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace leadcustomers {
namespace {

absl::Time utc(int64_t year, int month = 1, int day = 1) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, 0, 0, 0), absl::UTCTimeZone());
}

TEST(Clock, FormatAlwaysWritesAFourDigitYear) {
  EXPECT_EQ(format_timestamp(utc(2026, 1, 5) + absl::Hours(10)), "2026-01-05T10:00:00.000Z");
  EXPECT_EQ(format_timestamp(utc(999, 3, 4)), "0999-03-04T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(utc(0)), "0000-01-01T00:00:00.000Z");
}

TEST(Clock, ParseAcceptsTheYearsFrom1900To9999) {
  EXPECT_EQ(parse_timestamp("1900-01-01T00:00:00Z"), utc(1900));
  EXPECT_EQ(parse_timestamp("9999-12-31T23:59:59.999Z"), utc(10000) - absl::Milliseconds(1));
  EXPECT_EQ(parse_timestamp("1900-01-01"), utc(1900));
}

TEST(Clock, ParseRefusesYearsOutsideTheRangeInUtc) {
  for (const char* text : {"0000-01-01T00:00:00Z", "1899-12-31T23:59:59.999Z", "10000-01-01T00:00:00Z",
                           "9999-12-31T23:00:00-05:00", "1900-01-01T00:30:00+01:00", "0001-01-01"}) {
    TimestampError why = TimestampError::invalid;
    EXPECT_EQ(parse_timestamp(text, &why), std::nullopt) << text;
    EXPECT_EQ(why, TimestampError::out_of_range) << text;
  }
}

TEST(Clock, ParseSaysWhenTheTextIsNoTimestamp) {
  TimestampError why = TimestampError::out_of_range;
  EXPECT_EQ(parse_timestamp("2026-13-01T00:00:00Z", &why), std::nullopt);
  EXPECT_EQ(why, TimestampError::invalid);
}

}  // namespace
}  // namespace leadcustomers
