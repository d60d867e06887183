#include "leadcustomers/secret.hpp"

#include <sodium.h>

#include <array>
#include <string>

#include "detail/secret_memo.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers {
namespace {

// The generic crypto_pwhash_* names are what the brief and the SPEC speak of; these asserts pin that they
// are Argon2id's, so a libsodium that changed its default algorithm would fail the build, not the logins.
static_assert(crypto_pwhash_ALG_DEFAULT == crypto_pwhash_ALG_ARGON2ID13);
static_assert(crypto_pwhash_OPSLIMIT_INTERACTIVE == crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
static_assert(crypto_pwhash_MEMLIMIT_INTERACTIVE == crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
static_assert(crypto_pwhash_STRBYTES == crypto_pwhash_argon2id_STRBYTES);

constexpr std::string_view kArgon2idPrefix = crypto_pwhash_argon2id_STRPREFIX;  // "$argon2id$"

// sodium_init() once per process; a function-local static is initialised exactly once even when several
// threads arrive together (C++11 [stmt.dcl]/4). 0 = initialised now, 1 = already was, -1 = failed.
bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// libsodium wants a NUL-terminated hash of fewer than crypto_pwhash_STRBYTES bytes (it calls strlen on it).
// Empty when `encoded_hash` cannot be one of ours: too long, an embedded NUL, or not Argon2id.
using HashBuffer = std::array<char, crypto_pwhash_STRBYTES>;
bool to_c_hash(std::string_view encoded_hash, HashBuffer& out) {
  if (encoded_hash.size() >= out.size()) return false;
  if (encoded_hash.find('\0') != std::string_view::npos) return false;
  if (!encoded_hash.starts_with(kArgon2idPrefix)) return false;
  encoded_hash.copy(out.data(), encoded_hash.size());
  out[encoded_hash.size()] = '\0';
  return true;
}

// libsodium reads `passwd` only when the length is non-zero, but never hand it a null pointer anyway.
const char* secret_ptr(std::string_view secret) { return secret.data() != nullptr ? secret.data() : ""; }

thread_local const detail::SecretMemo* t_memo = nullptr;

}  // namespace

HashLimits HashLimits::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

HashLimits HashLimits::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

HashLimits HashLimits::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

absl::StatusOr<std::string> hash_secret(std::string_view secret, const HashLimits& limits) {
  if (t_memo) {
    for (const auto& h : *t_memo) {
      if (h.limits == limits && h.secret == secret) return h.hash;
    }
  }
  // Limits are configuration, not the secret: refuse them by name before libsodium does it silently.
  if (limits.ops_limit < crypto_pwhash_OPSLIMIT_MIN || limits.ops_limit > crypto_pwhash_OPSLIMIT_MAX) {
    return field_error(ErrorCode::invalid_argument, "ops_limit", "secret.ops_limit",
                       detail::cat("Argon2id ops_limit ", limits.ops_limit, " is outside libsodium's range ",
                                   static_cast<uint64_t>(crypto_pwhash_OPSLIMIT_MIN), "..",
                                   static_cast<uint64_t>(crypto_pwhash_OPSLIMIT_MAX)));
  }
  if (limits.mem_limit < crypto_pwhash_MEMLIMIT_MIN || limits.mem_limit > crypto_pwhash_MEMLIMIT_MAX) {
    return field_error(
        ErrorCode::invalid_argument, "mem_limit", "secret.mem_limit",
        detail::cat("Argon2id mem_limit ", limits.mem_limit, " bytes is outside libsodium's range ",
                    static_cast<uint64_t>(crypto_pwhash_MEMLIMIT_MIN), "..",
                    static_cast<uint64_t>(crypto_pwhash_MEMLIMIT_MAX), " bytes"));
  }
  if (secret.size() > crypto_pwhash_PASSWD_MAX) {
    // Unreachable in practice (4 GiB); the message gives the length only, never the secret.
    return make_error(ErrorCode::invalid_argument,
                      detail::cat("secret of ", secret.size(), " bytes is longer than libsodium accepts"));
  }
  if (!sodium_ready()) return make_error(ErrorCode::internal, "libsodium could not be initialised");

  HashBuffer out{};
  if (crypto_pwhash_str_alg(out.data(), secret_ptr(secret), secret.size(), limits.ops_limit, limits.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // With the limits checked above the only failure left is allocating mem_limit bytes.
    return make_error(ErrorCode::internal, detail::cat("out of memory for an Argon2id hash of mem_limit ",
                                                       limits.mem_limit, " bytes"));
  }
  return std::string(out.data());
}

bool verify_secret(std::string_view encoded_hash, std::string_view secret) {
  HashBuffer hash;
  if (!to_c_hash(encoded_hash, hash) || !sodium_ready()) return false;
  // Recomputes the hash with the salt and limits stored in `hash` and compares with sodium_memcmp.
  return crypto_pwhash_str_verify(hash.data(), secret_ptr(secret), secret.size()) == 0;
}

bool needs_rehash(std::string_view encoded_hash, const HashLimits& limits) {
  HashBuffer hash;
  // A hash that is not a well-formed Argon2id one cannot be kept either way: say "re-hash".
  if (!to_c_hash(encoded_hash, hash) || !sodium_ready()) return true;
  return crypto_pwhash_str_needs_rehash(hash.data(), limits.ops_limit, limits.mem_limit) != 0;
}

namespace detail {

bool remember_secret(SecretMemo& memo, std::string_view secret, const HashLimits& limits) {
  for (const auto& h : memo) {
    if (h.limits == limits && h.secret == secret) return true;
  }
  auto hash = hash_secret(secret, limits);
  if (!hash.ok()) return false;
  memo.push_back({std::string(secret), limits, std::move(*hash)});
  return true;
}

ScopedSecretMemo::ScopedSecretMemo(const SecretMemo* memo) : saved_(t_memo) { t_memo = memo; }
ScopedSecretMemo::~ScopedSecretMemo() { t_memo = saved_; }

}  // namespace detail
}  // namespace leadcustomers
