#include "leadcustomers/email.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "detail/utf8_scan.hpp"
#include "idn2.h"
#include "leadcustomers/text.hpp"
#include "utf8proc.h"

namespace leadcustomers {
namespace {

// The quoted address for a message, built only when a refusal needs it (the success path never does).
struct Shown {
  std::string_view address;
  std::string operator()() const { return quoted(address); }
};

// RFC 5321 §4.5.3.1: local part 64 octets, domain 255 octets on the wire (253 as text, without the root
// dot and length bytes), label 63 octets, path 256 octets including "<" and ">", so 254 for the address.
constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;
constexpr size_t kMaxLabel = 63;
constexpr size_t kMaxAddress = 254;

struct Idn2Deleter {
  void operator()(uint8_t* p) const { idn2_free(p); }
};

// What the checks of check() need to know of an octet, found for a whole address in one pass.
enum OctetClass : uint8_t {
  kQuote = 1,       // '"'
  kParen = 2,       // '(' or ')'
  kAsciiSpace = 4,  // SP, HT, LF, VT, FF, CR
  kHigh = 8,        // >= 0x80
  kNotAtext = 16,   // ASCII, neither RFC 5322 atext nor '.'
  kNotLdh = 32,     // ASCII, not a letter, digit, '-' or '.'
};

constexpr std::array<uint8_t, 256> kOctetClass = [] {
  std::array<uint8_t, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    uint8_t v = 0;
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c == '"') v |= kQuote;
    if (c == '(' || c == ')') v |= kParen;
    if (c == ' ' || (c >= 0x09 && c <= 0x0D)) v |= kAsciiSpace;
    if (c >= 0x80) {
      v |= kHigh;
    } else {
      bool special = false;
      for (char x : std::string_view("!#$%&'*+-/=?^_`{|}~")) special |= c == static_cast<unsigned char>(x);
      if (!alnum && !special && c != '.') v |= kNotAtext;
      if (!alnum && c != '-' && c != '.') v |= kNotLdh;
    }
    t[c] = v;
  }
  return t;
}();

// RFC 5322 §3.2.3 atext.
bool is_atext(unsigned char c) { return c != '.' && (kOctetClass[c] & (kHigh | kNotAtext)) == 0; }

// ASCII white space (SP, HT, LF, VT, FF, CR) or a Unicode space/line/paragraph separator (Zs, Zl, Zp).
bool has_white_space(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return true;
      ++i;
      continue;
    }
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;  // callers pass valid UTF-8 only
    auto cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
      return true;
    i += static_cast<size_t>(n);
  }
  return false;
}

// Why a dot-atom local part is malformed, or empty when it is a dot-atom.
std::string dot_atom_problem(std::string_view local) {
  if (local.front() == '.') return "starts with a dot";
  if (local.back() == '.') return "ends with a dot";
  for (size_t i = 0; i < local.size(); ++i) {
    auto c = static_cast<unsigned char>(local[i]);
    if (c == '.') {
      if (local[i + 1] == '.') return "has two dots in a row";
    } else if (!is_atext(c)) {
      if (c < 0x20 || c == 0x7F) return detail::cat("contains the control character U+", detail::hex(c));
      return detail::cat("contains the character '", static_cast<char>(c), "'");
    }
  }
  return {};
}

struct Refusal {
  const char* rule;
  std::string message;
};

struct IdnResult {
  int rc = IDN2_OK;
  std::string a_labels;  // when rc is IDN2_OK
};

// libidn2's answer for a domain with non-ASCII characters. The conversion is a pure function of its input
// and costs tens of microseconds, while the domains of a shop's customers repeat, so each thread remembers
// the answers for up to kIdnCacheSize domains (and starts over when that many are held).
const IdnResult& idn_lookup(std::string_view domain) {
  constexpr size_t kIdnCacheSize = 4096;
  thread_local absl::flat_hash_map<std::string, IdnResult> cache;
  if (auto it = cache.find(detail::to_absl(domain)); it != cache.end()) return it->second;
  if (cache.size() >= kIdnCacheSize) cache.clear();
  // libidn2 2.3.3 does not apply IDN2_NFC_INPUT to a decomposed input ("cafe" + U+0301 comes back as
  // xn--caf-mdc, not xn--caf-dma), so the stored form is made NFC here (SPEC §2), before the mapping.
  std::string composed = nfc(domain);
  uint8_t* raw_out = nullptr;
  IdnResult result;
  result.rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(composed.c_str()), &raw_out,
                             IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<uint8_t, Idn2Deleter> out(raw_out);
  if (result.rc == IDN2_OK) result.a_labels = reinterpret_cast<const char*>(out.get());
  return cache.emplace(std::string(domain), std::move(result)).first->second;
}

// Why libidn2 refused a domain with non-ASCII characters (NFC first, then its UTS #46 processing).
Refusal idn_refusal(int rc, const Shown& shown) {
  switch (rc) {
    case IDN2_TOO_BIG_LABEL:
    case IDN2_PUNYCODE_BIG_OUTPUT:  // libidn2 encodes into a 63-octet buffer: a longer A-label overflows it
      return Refusal{"email.label_too_long",
                     detail::cat("e-mail ", shown(), " has a domain label longer than ", kMaxLabel,
                                 " octets in its A-label (xn--) form")};
    case IDN2_TOO_BIG_DOMAIN:
      return Refusal{"email.domain_too_long", detail::cat("e-mail ", shown(), " has a domain longer than ",
                                                          kMaxDomain, " octets in its A-label (xn--) form")};
    default:
      return Refusal{"email.invalid_domain",
                     detail::cat("e-mail ", shown(),
                                 " has a domain that is not a valid internationalized "
                                 "domain name (",
                                 idn2_strerror(rc), ")")};
  }
}

// The first ASCII octet of `s` that is not a letter, digit, '-' or '.' (octets >= 0x80 are skipped).
std::optional<unsigned char> non_ldh(std::string_view s) {
  for (unsigned char c : s)
    if ((kOctetClass[c] & kNotLdh) != 0) return c;
  return std::nullopt;
}

Refusal bad_domain_character(unsigned char c, const Shown& shown) {
  std::string what = c < 0x20 || c == 0x7F ? detail::cat("the control character U+", detail::hex(c))
                                           : detail::cat("the character '", static_cast<char>(c), "'");
  return Refusal{"email.invalid_domain", detail::cat("e-mail ", shown(), " has ", what,
                                                     " in its domain (letters, digits, '-' and '.' only)")};
}

// Checks an ASCII domain (lower-case, A-labels) against the host-name rules; empty when it passes.
// `ldh_checked`: every octet is already known to be a letter, digit, '-' or '.'.
std::optional<Refusal> domain_problem(std::string_view domain, const Shown& shown, bool ldh_checked) {
  if (domain.size() > kMaxDomain) {
    return Refusal{"email.domain_too_long", detail::cat("e-mail ", shown(), " has a domain of ",
                                                        domain.size(), " octets (at most ", kMaxDomain, ")")};
  }
  size_t labels = 0;
  std::string_view last;
  for (size_t start = 0;;) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos ? domain.npos : dot - start);
    ++labels;
    last = label;
    if (label.empty()) {
      const char* where = start == 0                      ? "starts with a dot"
                          : dot == std::string_view::npos ? "ends with a dot"
                                                          : "has two dots in a row";
      return Refusal{"email.invalid_domain", detail::cat("e-mail ", shown(), " has a domain that ", where)};
    }
    if (label.size() > kMaxLabel) {
      return Refusal{"email.label_too_long", detail::cat("e-mail ", shown(), " has a domain label of ",
                                                         label.size(), " octets (at most ", kMaxLabel, ")")};
    }
    if (!ldh_checked) {
      if (auto bad = non_ldh(label)) return bad_domain_character(*bad, shown);
    }
    if (label.front() == '-' || label.back() == '-') {
      return Refusal{"email.invalid_domain",
                     detail::cat("e-mail ", shown(), " has a domain label that starts or ends with '-'")};
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) {
    return Refusal{"email.single_label_domain",
                   detail::cat("e-mail ", shown(),
                               " has a single-label domain (a name such as 'example.com' is needed)")};
  }
  bool numeric = true;
  for (unsigned char c : last) numeric &= c >= '0' && c <= '9';
  if (numeric) {
    return Refusal{"email.invalid_domain",
                   detail::cat("e-mail ", shown(),
                               " has an all-numeric top-level label (a bare IP address is "
                               "not a mail domain)")};
  }
  return std::nullopt;
}

// The whole grammar; returns the refusal instead of recording it so that exactly one is recorded.
// `valid_utf8`: the caller has already found `address` valid.
std::optional<Email> check(std::string_view address, std::optional<Refusal>& refusal,
                           bool valid_utf8 = false) {
  if (address.empty()) {
    refusal = Refusal{"email.required", "e-mail is required (the value '' is empty)"};
    return std::nullopt;
  }
  if (!valid_utf8 && !is_valid_utf8(address)) {
    refusal = Refusal{"email.invalid_utf8", detail::cat("e-mail ", quoted(address), " is not valid UTF-8")};
    return std::nullopt;
  }
  const Shown shown{address};  // quoted only when a refusal is built
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) {
    refusal = Refusal{"email.missing_at", detail::cat("e-mail ", shown(), " has no '@'")};
    return std::nullopt;
  }
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  // One pass classifies every octet of each part; the checks below test the classes in their order.
  uint8_t in_local = 0, in_domain = 0;
  for (unsigned char c : local) in_local |= kOctetClass[c];
  for (unsigned char c : domain) in_domain |= kOctetClass[c];
  const uint8_t in_address = in_local | in_domain;  // and the '@', which is in no class tested here
  // The constructs refused on purpose come first, so that the rule names the construct and not the
  // character that happens to be met first ("\"Joe Bloggs\"@x" is a quoted local part, not white space).
  if ((in_local & kQuote) != 0) {
    refusal = Refusal{
        "email.quoted_local",
        detail::cat("e-mail ", shown(), " has a quoted local part (only dot-atom local parts are accepted)")};
    return std::nullopt;
  }
  if ((in_address & kParen) != 0) {
    refusal = Refusal{"email.comment", detail::cat("e-mail ", shown(), " contains a comment in parentheses")};
    return std::nullopt;
  }
  if (!domain.empty() && domain.front() == '[') {
    refusal = Refusal{"email.ip_literal",
                      detail::cat("e-mail ", shown(), " has an IP-literal domain (a domain name is needed)")};
    return std::nullopt;
  }
  // ASCII white space is seen by the classes; Unicode separators need a look at the non-ASCII characters.
  if ((in_address & kAsciiSpace) != 0 || ((in_address & kHigh) != 0 && has_white_space(address))) {
    refusal = Refusal{"email.whitespace", detail::cat("e-mail ", shown(), " contains white space")};
    return std::nullopt;
  }
  if (local.empty()) {
    refusal = Refusal{"email.local_empty", detail::cat("e-mail ", shown(), " has nothing before the '@'")};
    return std::nullopt;
  }
  if (domain.empty()) {
    refusal = Refusal{"email.domain_empty", detail::cat("e-mail ", shown(), " has nothing after the '@'")};
    return std::nullopt;
  }
  if ((in_local & kHigh) != 0) {
    refusal =
        Refusal{"email.non_ascii_local",
                detail::cat("e-mail ", shown(), " has non-ASCII characters before the '@' (not accepted)")};
    return std::nullopt;
  }
  // A dot-atom for certain when every octet is atext or '.', with no dot at either end or twice in a row;
  // dot_atom_problem says what is wrong otherwise.
  const bool dot_atom = (in_local & kNotAtext) == 0 && local.front() != '.' && local.back() != '.' &&
                        local.find("..") == std::string_view::npos;
  if (auto problem = dot_atom ? std::string() : dot_atom_problem(local); !problem.empty()) {
    refusal = Refusal{"email.invalid_local",
                      detail::cat("e-mail ", shown(), ": the part before the '@' ", problem)};
    return std::nullopt;
  }
  if (local.size() > kMaxLocal) {
    refusal = Refusal{"email.local_too_long", detail::cat("e-mail ", shown(), " has a local part of ",
                                                          local.size(), " octets (at most ", kMaxLocal, ")")};
    return std::nullopt;
  }
  // Checked before libidn2 too: it would stop at a NUL, and pass other ASCII through unchanged anyway.
  if ((in_domain & kNotLdh) != 0) {
    refusal = bad_domain_character(*non_ldh(domain), shown);
    return std::nullopt;
  }
  // The stored form: the local part as given, '@', the domain lower-cased (ASCII) or in A-labels (IDN).
  Email email;
  if ((in_domain & kHigh) == 0) {
    email.address.resize(local.size() + 1 + domain.size());
    char* out = email.address.data();
    std::memcpy(out, local.data(), local.size());
    out[local.size()] = '@';
    detail::ascii_lower_copy(domain.data(), domain.size(), out + local.size() + 1);
  } else {
    const IdnResult& converted = idn_lookup(domain);
    if (converted.rc != IDN2_OK) {
      refusal = idn_refusal(converted.rc, shown);
      return std::nullopt;
    }
    email.address.reserve(local.size() + 1 + converted.a_labels.size());
    email.address.append(local).append(1, '@').append(converted.a_labels);
  }
  std::string_view stored_domain = std::string_view(email.address).substr(local.size() + 1);
  // An ASCII domain passed the octet check above and lower-casing keeps letters letters.
  if (auto problem = domain_problem(stored_domain, shown, (in_domain & kHigh) == 0)) {
    refusal = std::move(problem);
    return std::nullopt;
  }
  if (email.address.size() > kMaxAddress) {
    refusal = Refusal{"email.too_long", detail::cat("e-mail ", shown(), " is ", email.address.size(),
                                                    " octets long as stored (at most ", kMaxAddress, ")")};
    return std::nullopt;
  }
  email.key.resize(email.address.size());
  detail::ascii_lower_copy(email.address.data(), email.address.size(), email.key.data());
  return email;
}

}  // namespace

std::optional<Email> parse_email_address(std::string_view address, std::string_view field, Diagnostics& d) {
  std::optional<Refusal> refusal;
  auto email = check(address, refusal);
  if (!email) d.error(field, refusal->rule, std::move(refusal->message));
  return email;
}

std::optional<Email> parse_email(std::string_view raw, std::string_view field, Diagnostics& d) {
  if (!is_valid_utf8(raw)) {
    d.error(field, "email.invalid_utf8", detail::cat("e-mail ", quoted(raw), " is not valid UTF-8"));
    return std::nullopt;
  }
  std::string_view trimmed = trim(raw);
  if (trimmed.empty()) {
    d.error(field, "email.required",
            detail::cat("e-mail is required (the value ", quoted(raw), " is empty)"));
    return std::nullopt;
  }
  // A trimmed view of valid UTF-8 is valid UTF-8 (trim strips whole code points).
  std::optional<Refusal> refusal;
  auto email = check(trimmed, refusal, true);
  if (!email) d.error(field, refusal->rule, std::move(refusal->message));
  return email;
}

std::string email_lookup_key(std::string_view raw) {
  Diagnostics scratch;
  if (auto email = parse_email(raw, "email", scratch)) return std::move(email->key);
  return ascii_lower(trim(raw));
}

}  // namespace leadcustomers
