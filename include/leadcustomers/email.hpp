// E-mail addresses as SPEC §4.1 accepts them: an ASCII dot-atom local part (≤ 64 octets, `+` tags kept),
// `@`, a domain of at least two labels (≤ 253 octets, labels ≤ 63) converted to its A-label form with
// libidn2 (UTS #46). Stored form: the local part as typed, the domain lower-case A-label. The uniqueness
// key is the whole stored address lower-cased.
//
//   Diagnostics d;
//   auto e = parse_email("Ana.Example+shop@MÜNCHEN.example", "email", d);
//   // e->address == "Ana.Example+shop@xn--mnchen-3ya.example", e->key ==
//   "ana.example+shop@xn--mnchen-3ya.example"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leadcustomers/error.hpp"

namespace leadcustomers {

struct Email {
  std::string address;  // stored form
  std::string key;      // uniqueness / look-up key (lower-cased stored form)
};

// Parses and normalizes `raw` (trimmed first). On refusal adds exactly one violation on `field` whose rule
// says the kind of refusal: email.required, email.invalid_utf8, email.missing_at, email.local_empty,
// email.local_too_long, email.quoted_local, email.comment, email.whitespace, email.non_ascii_local,
// email.invalid_local, email.domain_empty, email.ip_literal, email.single_label_domain,
// email.domain_too_long, email.label_too_long, email.invalid_domain, email.too_long.
// When several apply, the first of these wins: required, invalid_utf8, missing_at, quoted_local (a '"'
// before the last '@'), comment ('(' or ')'), ip_literal (domain starts with '['), whitespace, local_empty,
// domain_empty, non_ascii_local, invalid_local, local_too_long, invalid_domain (an ASCII octet that is not
// a letter, digit, '-' or '.'), what libidn2 refuses (label_too_long, domain_too_long, invalid_domain), then
// on the A-label form: domain_too_long, label by label (empty label, label_too_long, bad octet or edge
// hyphen), single_label_domain, invalid_domain (all-numeric top-level label), and last too_long (stored
// address > 254 octets). Messages name the value with quoted().
[[nodiscard]] std::optional<Email> parse_email(std::string_view raw, std::string_view field, Diagnostics& d);

// The address grammar alone, on `address` exactly as given (no trimming: white space anywhere is refused
// with email.whitespace). parse_email() is trim + this; the is_email corpora are checked against this.
// Same rule ids and the same one-violation guarantee as parse_email().
[[nodiscard]] std::optional<Email> parse_email_address(std::string_view address, std::string_view field,
                                                       Diagnostics& d);

// The look-up key of an address as a caller typed it (best effort: domain IDNA-mapped when it parses,
// else the trimmed input lower-cased). Never fails; used by queries by e-mail.
[[nodiscard]] std::string email_lookup_key(std::string_view raw);

}  // namespace leadcustomers
