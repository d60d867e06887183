#include "leadcustomers/money.hpp"

#include <algorithm>
#include <iterator>

#include "detail/strings.hpp"

namespace leadcustomers {
namespace {

#include "currency_data.inc"

}  // namespace

const CurrencyInfo* find_currency(std::string_view code) {
  const auto* end = std::end(kCurrencies);
  const auto* it = std::lower_bound(
      std::begin(kCurrencies), end, code,
      [](const CurrencyInfo& c, std::string_view k) { return std::string_view(c.code) < k; });
  return it != end && std::string_view(it->code) == code ? it : nullptr;
}

std::span<const CurrencyInfo> currencies() { return kCurrencies; }

std::string_view money_rule(AmountError e) {
  switch (e) {
    case AmountError::invalid:
      return "money.amount_invalid";
    case AmountError::exponent:
      return "money.exponent";
    case AmountError::too_many_decimals:
      return "money.too_many_decimals";
    case AmountError::overflow:
      return "money.overflow";
  }
  return "money.amount_invalid";
}

std::optional<int64_t> parse_decimal_amount(std::string_view text, int digits, AmountError* error) {
  auto fail = [&](AmountError e) -> std::optional<int64_t> {
    if (error) *error = e;
    return std::nullopt;
  };
  if (digits < 0 || digits > 18) return fail(AmountError::invalid);
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.find_first_of("eE") != std::string_view::npos) return fail(AmountError::exponent);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction)))
    return fail(AmountError::invalid);
  // Zeros past the currency's digits are exact; anything else would need rounding.
  while (fraction.size() > static_cast<size_t>(digits) && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > static_cast<size_t>(digits)) return fail(AmountError::too_many_decimals);
  // Accumulate as a negative number so INT64_MIN's magnitude fits; refuse anything beyond.
  int64_t value = 0;
  auto push = [&](char c) {
    int d = c - '0';
    if (value < (INT64_MIN + d) / 10) return false;
    value = value * 10 - d;
    return true;
  };
  for (char c : whole)
    if (!push(c)) return fail(AmountError::overflow);
  for (char c : fraction)
    if (!push(c)) return fail(AmountError::overflow);
  for (size_t i = fraction.size(); i < static_cast<size_t>(digits); ++i)
    if (!push('0')) return fail(AmountError::overflow);
  if (negative) return value;
  if (value == INT64_MIN) return fail(AmountError::overflow);
  return -value;
}

std::string format_amount(const Money& m) {
  const CurrencyInfo* c = find_currency(m.currency);
  const int digits = c ? c->digits : 2;
  // Work on the magnitude as unsigned so INT64_MIN prints too.
  uint64_t magnitude =
      m.amount < 0 ? uint64_t{0} - static_cast<uint64_t>(m.amount) : static_cast<uint64_t>(m.amount);
  std::string text = std::to_string(magnitude);
  if (digits > 0) {
    if (text.size() <= static_cast<size_t>(digits))
      text.insert(0, static_cast<size_t>(digits) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<size_t>(digits), 1, '.');
  }
  if (m.amount < 0) text.insert(0, 1, '-');
  return text;
}

std::optional<int64_t> add_amounts(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

}  // namespace leadcustomers
