// Secrets (portal password, secret answer): Argon2id hashes only, via libsodium crypto_pwhash_str.
//
//   HashLimits limits = HashLimits::interactive();
//   std::string h = hash_secret("correct horse battery", limits).value();
//   bool ok = verify_secret(h, "correct horse battery");       // constant-time inside libsodium
//   bool rehash = needs_rehash(h, limits);                      // made with other limits?
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace leadcustomers {

struct HashLimits {
  uint64_t ops_limit;
  size_t mem_limit;
  // libsodium's interactive limits (2 ops, 64 MiB): the default.
  static HashLimits interactive();
  // libsodium's minimum limits: for tests only, so the suite stays fast.
  static HashLimits minimum();
  // libsodium's moderate limits.
  static HashLimits moderate();
  friend bool operator==(const HashLimits&, const HashLimits&) = default;
};

// An Argon2id encoded hash ("$argon2id$v=19$m=...") of `secret`. INTERNAL on out-of-memory.
[[nodiscard]] absl::StatusOr<std::string> hash_secret(std::string_view secret, const HashLimits& limits);
// True when `secret` matches `encoded_hash` (constant-time comparison inside libsodium).
[[nodiscard]] bool verify_secret(std::string_view encoded_hash, std::string_view secret);
// True when `encoded_hash` was made with limits other than `limits` (re-hash at next success).
[[nodiscard]] bool needs_rehash(std::string_view encoded_hash, const HashLimits& limits);

}  // namespace leadcustomers
