// The portal login rules of SPEC §2.4 that do not touch a store: the form a secret is hashed in (set and
// verify use the same function, so they can never drift), its length rules, and the lockout state machine.
// The commands that use them (portal.set_login, portal.verify_answer, portal.verify_password) live in
// src/engine/portal_ops.cpp.
//
//   Diagnostics d;
//   std::optional<std::string> a = secret_answer_form("  Blue   WHALE ", "secret_answer", d);  // "blue
//   whale" std::string h = hash_secret(*a, HashLimits::interactive()).value(); bool ok = verify_secret(h,
//   answer_candidate("blue whale"));                           // true
//
//   LockoutPolicy policy{.attempts = 5, .duration = absl::Minutes(15)};
//   if (is_locked(login, now)) { /* PERMISSION_DENIED, rule portal.locked */ }
//   bool just_locked = record_failure(login, policy, now);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers {

// Length limits, in code points of the form that is hashed.
inline constexpr size_t kSecretQuestionMax = 200;
inline constexpr size_t kSecretAnswerMax = 256;
inline constexpr size_t kPasswordMin = 8;
inline constexpr size_t kPasswordMax = 256;

// The form a secret answer is hashed in: NFKC, case-folded, trimmed, inner white space collapsed to one
// space. Refuses (one violation on `field`, never quoting the value) invalid UTF-8
// (`text.invalid_utf8`), control characters (`text.control_character`), an answer that is empty once
// folded (`secret_answer.required`) or longer than kSecretAnswerMax (`secret_answer.too_long`).
[[nodiscard]] std::optional<std::string> secret_answer_form(std::string_view raw, std::string_view field,
                                                            Diagnostics& d);

// The form a password is hashed in: NFC only (canonically equal input verifies; case, spaces and
// compatibility characters are significant). Refuses (one violation on `field`, never quoting the
// value) invalid UTF-8, control characters, fewer than kPasswordMin (`password.too_short`) or more than
// kPasswordMax code points (`password.too_long`).
[[nodiscard]] std::optional<std::string> password_form(std::string_view raw, std::string_view field,
                                                       Diagnostics& d);

// What a verification hashes: the same normalization as the *_form functions, without refusing anything
// (a candidate that could never have been set simply does not verify). Nullopt when the candidate cannot
// match any stored secret (invalid UTF-8, or longer than the limit), so the caller may skip the real hash.
[[nodiscard]] std::optional<std::string> answer_candidate(std::string_view raw);
[[nodiscard]] std::optional<std::string> password_candidate(std::string_view raw);

// Lockout after `attempts` consecutive failures for `duration` (SPEC §2.4: 5 and 15 minutes by default).
// `attempts` < 1 disables the lockout.
struct LockoutPolicy {
  int attempts = 5;
  absl::Duration duration = absl::Minutes(15);
};

// True while `login.locked_until` is later than `now`.
[[nodiscard]] bool is_locked(const PortalLogin& login, absl::Time now);
// Counts one failed attempt. When it reaches the policy's limit the login is locked until now + duration
// and the count starts again from zero (the next lock needs another full run of failures). Returns true
// when this failure locked the login. An expired lock is cleared first.
bool record_failure(PortalLogin& login, const LockoutPolicy& policy, absl::Time now);
// A correct secret: the count and any (expired) lock are cleared.
void record_success(PortalLogin& login);

}  // namespace leadcustomers
