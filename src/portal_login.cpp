#include "leadcustomers/portal_login.hpp"

#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"
#include "utf8proc.h"

namespace leadcustomers {
namespace {

using detail::cat;

// True when valid UTF-8 `s` holds a C0/C1 control character (line breaks and tabs included: nobody types
// them into a login form, and they are a classic way to smuggle different bytes past a comparison).
bool has_control_character(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return true;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return true;
    i += static_cast<size_t>(n);
  }
  return false;
}

// The common refusals. Messages name the field, never the value: it is a secret.
bool acceptable_text(std::string_view raw, std::string_view field, Diagnostics& d) {
  if (!is_valid_utf8(raw)) {
    d.error(field, "text.invalid_utf8", cat(field, " is not valid UTF-8"));
    return false;
  }
  if (has_control_character(raw)) {
    d.error(field, "text.control_character", cat(field, " contains a control character"));
    return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> secret_answer_form(std::string_view raw, std::string_view field, Diagnostics& d) {
  if (!acceptable_text(raw, field, d)) return std::nullopt;
  std::string folded = fold_answer(raw);
  if (folded.empty()) {
    d.error(field, "secret_answer.required", cat(field, " is empty"));
    return std::nullopt;
  }
  if (size_t n = code_point_count(folded); n > kSecretAnswerMax) {
    d.error(field, "secret_answer.too_long",
            cat(field, " is ", n, " characters long (at most ", kSecretAnswerMax, ")"));
    return std::nullopt;
  }
  return folded;
}

std::optional<std::string> password_form(std::string_view raw, std::string_view field, Diagnostics& d) {
  if (!acceptable_text(raw, field, d)) return std::nullopt;
  std::string form = nfc(raw);
  size_t n = code_point_count(form);
  if (n < kPasswordMin) {
    d.error(field, "password.too_short",
            cat(field, " is ", n, " characters long (at least ", kPasswordMin, ")"));
    return std::nullopt;
  }
  if (n > kPasswordMax) {
    d.error(field, "password.too_long",
            cat(field, " is ", n, " characters long (at most ", kPasswordMax, ")"));
    return std::nullopt;
  }
  return form;
}

std::optional<std::string> answer_candidate(std::string_view raw) {
  if (!is_valid_utf8(raw)) return std::nullopt;
  std::string folded = fold_answer(raw);
  if (code_point_count(folded) > kSecretAnswerMax) return std::nullopt;
  return folded;
}

std::optional<std::string> password_candidate(std::string_view raw) {
  if (!is_valid_utf8(raw)) return std::nullopt;
  std::string form = nfc(raw);
  if (code_point_count(form) > kPasswordMax) return std::nullopt;
  return form;
}

bool is_locked(const PortalLogin& login, absl::Time now) {
  return login.locked_until.has_value() && *login.locked_until > now;
}

bool record_failure(PortalLogin& login, const LockoutPolicy& policy, absl::Time now) {
  if (login.locked_until && *login.locked_until <= now) login.locked_until.reset();
  if (policy.attempts < 1) return false;
  ++login.failed_attempts;
  if (login.failed_attempts < policy.attempts) return false;
  login.failed_attempts = 0;
  login.locked_until = now + policy.duration;
  return true;
}

void record_success(PortalLogin& login) {
  login.failed_attempts = 0;
  login.locked_until.reset();
}

}  // namespace leadcustomers
