// Secrets hashed ahead of time, so a slow Argon2id hash can run on a worker thread. The importer hashes a
// record's plaintext password on a worker (hash_secret is thread-safe) into a SecretMemo, then applies the
// record's portal.set_login on the writer thread with the memo installed: hash_secret answers from it when
// it holds the same secret and limits (a salted hash made a moment earlier is as good as a new one).
//
//   detail::SecretMemo memo;
//   detail::remember_secret(memo, "correct horse battery", HashLimits::interactive());  // any thread
//   detail::ScopedSecretMemo scope(&memo);
//   hash_secret("correct horse battery", HashLimits::interactive());  // no hashing
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leadcustomers/secret.hpp"

namespace leadcustomers::detail {

struct SecretHash {
  std::string secret;
  HashLimits limits;
  std::string hash;
};

// The hashes of one record.
using SecretMemo = std::vector<SecretHash>;

// Hashes `secret` and keeps the hash in `memo`; false when hashing failed (the engine then reports it).
bool remember_secret(SecretMemo& memo, std::string_view secret, const HashLimits& limits);

// Installs `memo` for hash_secret on this thread until destroyed (the previous one is restored).
class ScopedSecretMemo {
 public:
  explicit ScopedSecretMemo(const SecretMemo* memo);
  ~ScopedSecretMemo();
  ScopedSecretMemo(const ScopedSecretMemo&) = delete;
  ScopedSecretMemo& operator=(const ScopedSecretMemo&) = delete;

 private:
  const SecretMemo* saved_;
};

}  // namespace leadcustomers::detail
