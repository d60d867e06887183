// lc_options: engine settings set key by key (pinned keys, SQLite/zstd style), copied when used.
#include <memory>

#include "capi_internal.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/secret.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

absl::Status out_of_range(lc_option key, int64_t value, int64_t lo, int64_t hi) {
  return field_error(ErrorCode::invalid_argument, "value", "option.out_of_range",
                     cat("option ", key, " must be in ", lo, "..", hi, ", not ", value));
}

absl::Status set_int(lc_options& o, lc_option key, int64_t value) {
  auto in = [&](int64_t lo, int64_t hi) { return value >= lo && value <= hi; };
  switch (key) {
    case LC_OPTION_MAX_ADDRESSES:
      if (!in(1, 100000)) return out_of_range(key, value, 1, 100000);
      o.engine.max_addresses = static_cast<size_t>(value);
      return absl::OkStatus();
    case LC_OPTION_MAX_INPUT_BYTES:
      if (!in(1, static_cast<int64_t>(kMaxInputLimit))) {
        return out_of_range(key, value, 1, static_cast<int64_t>(kMaxInputLimit));
      }
      o.max_input_bytes = static_cast<uint64_t>(value);
      return absl::OkStatus();
    case LC_OPTION_LOCKOUT_ATTEMPTS:
      if (!in(1, 1000)) return out_of_range(key, value, 1, 1000);
      o.engine.lockout_attempts = static_cast<int>(value);
      return absl::OkStatus();
    case LC_OPTION_LOCKOUT_SECONDS:
      if (!in(1, 31536000)) return out_of_range(key, value, 1, 31536000);
      o.engine.lockout_duration = absl::Seconds(value);
      return absl::OkStatus();
    case LC_OPTION_HASH_COST:
      switch (value) {
        case LC_HASH_COST_INTERACTIVE:
          o.engine.hash_limits = HashLimits::interactive();
          return absl::OkStatus();
        case LC_HASH_COST_MODERATE:
          o.engine.hash_limits = HashLimits::moderate();
          return absl::OkStatus();
        case LC_HASH_COST_MINIMUM:
          o.engine.hash_limits = HashLimits::minimum();
          return absl::OkStatus();
        default:
          return out_of_range(key, value, LC_HASH_COST_INTERACTIVE, LC_HASH_COST_MINIMUM);
      }
    case LC_OPTION_DEFAULT_REGION:
      return field_error(ErrorCode::invalid_argument, "key", "option.wrong_type",
                         cat("option ", key, " takes a string; use lc_options_set_string"));
    default:
      return field_error(ErrorCode::invalid_argument, "key", "option.unknown",
                         cat("unknown option key ", key));
  }
}

absl::Status set_string(lc_options& o, lc_option key, std::string_view value) {
  switch (key) {
    case LC_OPTION_DEFAULT_REGION: {
      bool alpha2 = value.size() == 2 && ((value[0] | 0x20) >= 'a' && (value[0] | 0x20) <= 'z') &&
                    ((value[1] | 0x20) >= 'a' && (value[1] | 0x20) <= 'z');
      if (!alpha2) {
        return field_error(ErrorCode::invalid_argument, "value", "option.out_of_range",
                           cat("default region ", quoted(value), " is not an ISO 3166-1 alpha-2 code"));
      }
      o.engine.default_region = ascii_upper(value);
      return absl::OkStatus();
    }
    case LC_OPTION_MAX_ADDRESSES:
    case LC_OPTION_MAX_INPUT_BYTES:
    case LC_OPTION_LOCKOUT_ATTEMPTS:
    case LC_OPTION_LOCKOUT_SECONDS:
    case LC_OPTION_HASH_COST:
      return field_error(ErrorCode::invalid_argument, "key", "option.wrong_type",
                         cat("option ", key, " takes an integer; use lc_options_set_int"));
    default:
      return field_error(ErrorCode::invalid_argument, "key", "option.unknown",
                         cat("unknown option key ", key));
  }
}

}  // namespace

const lc_options& options_or_defaults(const lc_options* options) noexcept {
  static const lc_options defaults;
  return options ? *options : defaults;
}

}  // namespace leadcustomers::detail

namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_options_new(lc_options** out, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (!out) return lcd::fail(err, lcd::null_argument("out"));
    *out = nullptr;
    *out = new lc_options();
    return LC_OK;
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

void lc_options_free(lc_options* options) noexcept { delete options; }

lc_status lc_options_set_int(lc_options* options, lc_option key, int64_t value, lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (!options) return lcd::fail(err, lcd::null_argument("options"));
    auto s = lcd::set_int(*options, key, value);
    return s.ok() ? LC_OK : lcd::fail(err, s);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_options_set_string(lc_options* options, lc_option key, const char* value, size_t len,
                                lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (!options) return lcd::fail(err, lcd::null_argument("options"));
    auto text = lcd::input_text(value, len, "value", lcd::kMaxKeyBytes);
    if (!text.ok()) return lcd::fail(err, text.status());
    auto s = lcd::set_string(*options, key, *text);
    return s.ok() ? LC_OK : lcd::fail(err, s);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

}  // extern "C"
