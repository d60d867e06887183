// Time: an injectable clock (tests and segments pass "now") and the RFC 3339 form every document uses
// (UTC, `Z`, millisecond precision: `2026-01-05T10:00:00.000Z`).
//
//   FixedClock clock(parse_timestamp("2026-01-05T10:00:00.000Z").value());
//   clock.advance(absl::Minutes(15));
//   std::string t = format_timestamp(clock.now());
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace leadcustomers {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual absl::Time now() const = 0;
};

// The system clock, truncated to milliseconds (what documents carry).
class SystemClock final : public Clock {
 public:
  [[nodiscard]] absl::Time now() const override;
};

// A clock that stands still until set or advanced.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(absl::Time t) : now_(t) {}
  [[nodiscard]] absl::Time now() const override { return now_; }
  void set(absl::Time t) { now_ = t; }
  void advance(absl::Duration d) { now_ += d; }

 private:
  absl::Time now_;
};

// `2026-01-05T10:00:00.000Z`, the year always with four digits.
[[nodiscard]] std::string format_timestamp(absl::Time t);

// The years a timestamp may fall in (UTC), both included: RFC 3339 writes years with exactly four digits,
// and nothing a back office records (orders, tickets, consent, imported history) predates 1900.
inline constexpr int kMinTimestampYear = 1900;
inline constexpr int kMaxTimestampYear = 9999;

// Why parse_timestamp refused a text.
enum class TimestampError {
  invalid,       // not RFC 3339 (nor a plain date): rule timestamp.invalid
  out_of_range,  // a real timestamp outside kMinTimestampYear..kMaxTimestampYear: timestamp.out_of_range
};

// Accepts RFC 3339 with any offset and fraction (and a plain date `2026-01-05` as midnight UTC) whose UTC
// year is within kMinTimestampYear..kMaxTimestampYear; the result is truncated to milliseconds. On
// failure `error` (when given) says why.
[[nodiscard]] std::optional<absl::Time> parse_timestamp(std::string_view text,
                                                        TimestampError* error = nullptr);

}  // namespace leadcustomers
