#include "leadcustomers/phone.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "detail/phone_memo.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "re2/re2.h"

namespace leadcustomers {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr char kUnparseable[] = "phone.unparseable";
constexpr char kNotPossible[] = "phone.not_possible";
constexpr char kNotValid[] = "phone.not_valid";
constexpr char kMangled[] = "phone.spreadsheet_mangled";

// ---- Newer metadata ------------------------------------------------------------------------------------
// The installed libphonenumber parses and formats every number, but its compiled-in metadata may predate
// number ranges opened since (Debian 12: 8.12.57, 2022). A number it calls invalid, or of an impossible
// length, is also checked against the number-type patterns and lengths of libphonenumber's own newer
// metadata (scripts/gen_phone_overlay.py; docs/decisions-phone.md): valid there is valid.

struct OverlayRow {
  const char* region;
  int calling_code;
  const char* type;
  const char* pattern;
  const char* lengths;
};

constexpr OverlayRow kOverlay[] = {
#include "phone_overlay_data.inc"
};

class NewerMetadata {
 public:
  static const NewerMetadata& instance() {
    static const NewerMetadata m;
    return m;
  }

  // Whether the national significant number `nsn` of calling code `cc` has a type in the newer metadata.
  [[nodiscard]] bool valid(int cc, std::string_view nsn) const {
    auto it = by_calling_code_.find(cc);
    if (it == by_calling_code_.end()) return false;
    for (const auto& t : it->second) {
      if (std::find(t->lengths.begin(), t->lengths.end(), static_cast<int>(nsn.size())) == t->lengths.end())
        continue;
      std::call_once(t->once, [&] { t->re = std::make_unique<re2::RE2>(t->row->pattern, re2::RE2::Quiet); });
      if (t->re->ok() && re2::RE2::FullMatch(re2::StringPiece(nsn.data(), nsn.size()), *t->re)) return true;
    }
    return false;
  }

 private:
  struct Type {
    const OverlayRow* row;
    std::vector<int> lengths;
    mutable std::once_flag once;  // patterns are compiled when a number of their calling code first needs one
    mutable std::unique_ptr<re2::RE2> re;
  };

  NewerMetadata() {
    for (const auto& row : kOverlay) {
      auto t = std::make_unique<Type>();
      t->row = &row;
      for (std::string_view l = row.lengths; !l.empty();) {
        size_t comma = l.find(',');
        int n = 0;
        for (char c : l.substr(0, comma)) n = n * 10 + (c - '0');
        t->lengths.push_back(n);
        l = comma == std::string_view::npos ? std::string_view() : l.substr(comma + 1);
      }
      by_calling_code_[row.calling_code].push_back(std::move(t));
    }
  }

  absl::flat_hash_map<int, std::vector<std::unique_ptr<Type>>> by_calling_code_;
};

bool valid_in_newer_metadata(const PhoneNumberUtil& util, const PhoneNumber& number) {
  std::string nsn;
  util.GetNationalSignificantNumber(number, &nsn);
  return NewerMetadata::instance().valid(number.country_code(), nsn);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// Number of ASCII digits at the start of `s`.
size_t digit_run(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  return n;
}

// What a spreadsheet leaves of a number it stored as a float: scientific notation (`9.19961E+11`, the
// digits after the sixth are gone) or a float rendering of an integer (`2015550123.0`). Such values are
// refused, never guessed back.
bool is_spreadsheet_mangled(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  size_t int_digits = digit_run(s);
  if (int_digits == 0) return false;
  s.remove_prefix(int_digits);
  if (s.empty()) return false;
  if (s.front() == '.' || s.front() == ',') {
    size_t frac = digit_run(s.substr(1));
    if (frac == 0) return false;
    std::string_view fraction = s.substr(1, frac);
    s.remove_prefix(1 + frac);
    // `2015550123.0`: a float rendering; a short run like `555.0` is too small to be a phone anyway.
    if (s.empty()) return int_digits >= 6 && fraction.find_first_not_of('0') == std::string_view::npos;
  }
  if (s.front() != 'E' && s.front() != 'e') return false;
  s.remove_prefix(1);
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  size_t exp_digits = digit_run(s);
  return exp_digits > 0 && exp_digits == s.size();
}

// Drops an extension label that has no digits after it (`+1 201 555 0124 ext.`, `… x`, `…;ext=`, `… #`).
// libphonenumber would otherwise read `ext` as the keypad digits 398, or refuse the whole number. A label
// glued to a preceding letter is part of a word (`1-800-FEDEX`), not a label, and is kept.
std::string_view drop_dangling_extension_label(std::string_view s) {
  size_t end = s.size();
  while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '.' || s[end - 1] == ':' ||
                     s[end - 1] == '='))
    --end;
  static constexpr std::string_view kLabels[] = {"extension", "extn", "ext", "x", "#"};
  for (std::string_view label : kLabels) {
    if (end <= label.size()) continue;  // a label alone is no number; libphonenumber refuses it
    size_t start = end - label.size();
    if (!iequals(s.substr(start, label.size()), label)) continue;
    if (is_alpha(s[start - 1])) continue;
    while (start > 0 &&
           (s[start - 1] == ' ' || s[start - 1] == '\t' || s[start - 1] == ',' || s[start - 1] == ';'))
      --start;
    return s.substr(0, start);
  }
  return s;
}

std::string_view possibility_reason(PhoneNumberUtil::ValidationResult r) {
  switch (r) {
    case PhoneNumberUtil::IS_POSSIBLE:
      return "possible";
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return "a local number without its area code";
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return "an unknown country calling code";
    case PhoneNumberUtil::TOO_SHORT:
      return "too short";
    case PhoneNumberUtil::INVALID_LENGTH:
      return "of a length no number there has";
    case PhoneNumberUtil::TOO_LONG:
      return "too long";
  }
  return "not possible";
}

thread_local const detail::PhoneMemo* t_memo = nullptr;

std::optional<Phone> parse_uncached(std::string_view raw, std::string_view default_region,
                                    std::string_view field, Diagnostics& d) {
  if (!is_valid_utf8(raw)) {
    d.error(field, "text.invalid_utf8", detail::cat("phone number ", quoted(raw), " is not valid UTF-8"));
    return std::nullopt;
  }
  std::string_view value = trim(raw);
  // The apostrophe a spreadsheet user types so that the cell stays text (`'+1 601-701-5114`).
  std::string_view text = value;
  if (!text.empty() && text.front() == '\'') text = trim(text.substr(1));
  if (text.empty()) return std::nullopt;  // blank: the optional field is absent

  if (is_spreadsheet_mangled(text)) {
    d.error(
        field, kMangled,
        detail::cat("phone number ", quoted(value),
                    " was turned into a number by a spreadsheet and its digits are lost; enter it again"));
    return std::nullopt;
  }

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string region = ascii_upper(default_region);
  const bool region_known = util.GetCountryCodeForRegion(region) != 0;
  const std::string number_text(drop_dangling_extension_label(text));

  PhoneNumber number;
  switch (util.Parse(number_text, region_known ? region : std::string("ZZ"), &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (!region_known && number_text.find('+') == std::string::npos &&
          number_text.find("\uFF0B") == std::string::npos) {  // no plus, ASCII or full-width
        d.error(field, kUnparseable,
                detail::cat("phone number ", quoted(value), " has no country code (+…) and the region ",
                            quoted(default_region), " is not known"));
      } else {
        d.error(
            field, kNotPossible,
            detail::cat("phone number ", quoted(value), " is not possible: no country has its calling code"));
      }
      return std::nullopt;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      d.error(field, kNotPossible,
              detail::cat("phone number ", quoted(value), " is not possible: too short"));
      return std::nullopt;
    case PhoneNumberUtil::TOO_LONG_NSN:
      d.error(field, kNotPossible, detail::cat("phone number ", quoted(value), " is not possible: too long"));
      return std::nullopt;
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      d.error(field, kUnparseable, detail::cat("phone number ", quoted(value), " is not a phone number"));
      return std::nullopt;
  }

  // A number of a length dialled only locally (US `555 0123`) lacks its area code, so it has no E.164
  // form; unless the metadata knows it as a whole number (Canada's `310-1234` service numbers).
  const auto possible = util.IsPossibleNumberWithReason(number);
  const bool valid =
      ((possible == PhoneNumberUtil::IS_POSSIBLE || possible == PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY) &&
       util.IsValidNumber(number)) ||
      valid_in_newer_metadata(util, number);
  if (possible != PhoneNumberUtil::IS_POSSIBLE && !valid) {
    d.error(field, kNotPossible,
            detail::cat("phone number ", quoted(value), " is not possible: ", possibility_reason(possible)));
    return std::nullopt;
  }

  Phone phone;
  util.Format(number, PhoneNumberUtil::E164, &phone.e164);
  if (number.has_extension() && !number.extension().empty()) phone.extension = number.extension();
  if (!valid) {
    d.warn(field, kNotValid,
           detail::cat("phone number ", quoted(value), " (", phone.e164,
                       ") has a possible length but is not an assigned number range"));
  }
  return phone;
}

}  // namespace

std::optional<Phone> parse_phone(std::string_view raw, std::string_view default_region,
                                 std::string_view field, Diagnostics& d) {
  if (t_memo) {
    for (const auto& p : *t_memo) {
      if (p.text != raw || p.region != default_region) continue;
      for (const auto& f : p.findings) {
        if (f.error) {
          d.error(field, f.rule, f.message);
        } else {
          d.warn(field, f.rule, f.message);
        }
      }
      return p.phone;
    }
  }
  return parse_uncached(raw, default_region, field, d);
}

namespace detail {

void remember_phone(PhoneMemo& memo, std::string_view text, std::string_view region) {
  for (const auto& p : memo) {
    if (p.text == text && p.region == region) return;
  }
  Diagnostics d;
  PhoneParse p{std::string(text), std::string(region), parse_uncached(text, region, "", d), {}};
  for (const auto& v : d.errors()) p.findings.push_back({true, v.rule, v.message});
  for (const auto& v : d.warnings()) p.findings.push_back({false, v.rule, v.message});
  memo.push_back(std::move(p));
}

ScopedPhoneMemo::ScopedPhoneMemo(const PhoneMemo* memo) : saved_(t_memo) { t_memo = memo; }
ScopedPhoneMemo::~ScopedPhoneMemo() { t_memo = saved_; }

}  // namespace detail
}  // namespace leadcustomers
