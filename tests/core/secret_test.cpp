#include "leadcustomers/secret.hpp"

#include <sodium.h>

#include <array>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/error.hpp"
#include "support/test_support.hpp"

namespace leadcustomers {
namespace {

// Minimum limits (1 pass, 8 KiB) keep each hash well under a millisecond.
const HashLimits kFast = HashLimits::minimum();

std::string hash_or_die(std::string_view secret, const HashLimits& limits = kFast) {
  auto h = hash_secret(secret, limits);
  EXPECT_TRUE(h.ok()) << h.status();
  return h.ok() ? *h : std::string();
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, sep);) out.push_back(cell);
  return out;
}

TEST(HashLimits, InteractiveIsLibsodiumsTwoPassesOf64MiB) {
  EXPECT_EQ(HashLimits::interactive(), (HashLimits{2, 64u * 1024 * 1024}));
}

TEST(HashLimits, MinimumIsOnePassOf8KiB) { EXPECT_EQ(HashLimits::minimum(), (HashLimits{1, 8u * 1024})); }

TEST(HashLimits, ModerateIsThreePassesOf256MiB) {
  EXPECT_EQ(HashLimits::moderate(), (HashLimits{3, 256u * 1024 * 1024}));
}

TEST(Secret, HashVerifiesAgainstTheSameSecret) {
  std::string h = hash_or_die("correct horse battery");
  EXPECT_TRUE(verify_secret(h, "correct horse battery"));
}

TEST(Secret, WrongSecretDoesNotVerify) {
  std::string h = hash_or_die("correct horse battery");
  EXPECT_FALSE(verify_secret(h, "correct horse batterx"));
  EXPECT_FALSE(verify_secret(h, "Correct horse battery"));
  EXPECT_FALSE(verify_secret(h, "correct horse battery "));
  EXPECT_FALSE(verify_secret(h, ""));
}

TEST(Secret, HashIsArgon2idWithTheLimitsInItsParameters) {
  std::string h = hash_or_die("correct horse battery");
  EXPECT_TRUE(h.starts_with("$argon2id$")) << h;
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << h;
  std::string slow = hash_or_die("correct horse battery", {2, 16 * 1024});
  EXPECT_TRUE(slow.starts_with("$argon2id$v=19$m=16,t=2,p=1$")) << slow;
}

TEST(Secret, TwoHashesOfTheSameSecretDifferBySalt) {
  std::string a = hash_or_die("correct horse battery");
  std::string b = hash_or_die("correct horse battery");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_secret(a, "correct horse battery"));
  EXPECT_TRUE(verify_secret(b, "correct horse battery"));
}

TEST(Secret, HashDoesNotContainTheSecret) {
  // Longer than the base64 salt and digest pieces could contain by chance.
  const std::string secret = "ThisIsTheSecret";
  std::string h = hash_or_die(secret);
  EXPECT_EQ(h.find(secret), std::string::npos) << h;
}

TEST(Secret, VerifiesAHashMadeWithOtherLimits) {
  std::string h = hash_or_die("correct horse battery", {2, 16 * 1024});
  EXPECT_TRUE(verify_secret(h, "correct horse battery"));
}

TEST(Secret, NeedsRehashWhenMadeWithOtherLimits) {
  std::string h = hash_or_die("correct horse battery");
  EXPECT_TRUE(needs_rehash(h, {2, 8 * 1024}));
  EXPECT_TRUE(needs_rehash(h, {1, 16 * 1024}));
  EXPECT_TRUE(needs_rehash(h, HashLimits::interactive()));
}

TEST(Secret, NoRehashWhenMadeWithTheSameLimits) {
  std::string h = hash_or_die("correct horse battery");
  EXPECT_FALSE(needs_rehash(h, kFast));
}

TEST(Secret, NeedsRehashComparesMemoryInWholeKibibytes) {
  // libsodium stores m in KiB (rounded down), so 8 KiB + 512 B is the same cost as 8 KiB.
  std::string h = hash_or_die("correct horse battery");
  EXPECT_FALSE(needs_rehash(h, {1, 8 * 1024 + 512}));
}

TEST(Secret, MalformedHashDoesNotVerify) {
  std::string good = hash_or_die("pw");
  std::string flipped = good;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  std::string with_nul = good;
  with_nul.insert(10, 1, '\0');
  const std::vector<std::string> malformed = {
      "",
      "garbage",
      "$argon2id$",
      "$argon2id$v=19$m=8,t=1,p=1$",
      good.substr(0, good.size() - 5),
      flipped,
      with_nul,
      good + std::string(200, 'A'),
      std::string(1000, '$'),
      "$argon2id$v=19$m=99999999999999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
  };
  for (const auto& h : malformed) EXPECT_FALSE(verify_secret(h, "pw")) << h;
}

TEST(Secret, NeedsRehashForMalformedHash) {
  EXPECT_TRUE(needs_rehash("", kFast));
  EXPECT_TRUE(needs_rehash("garbage", kFast));
  EXPECT_TRUE(needs_rehash("$argon2id$v=19$m=8,t=1,p=1$", kFast));
}

TEST(Secret, Argon2iHashIsNotAccepted) {
  // libsodium's crypto_pwhash_str_verify would take an Argon2i hash; ours are Argon2id only.
  std::array<char, crypto_pwhash_STRBYTES> out{};
  ASSERT_EQ(crypto_pwhash_str_alg(out.data(), "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                  crypto_pwhash_argon2i_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2I13),
            0);
  std::string h(out.data());
  ASSERT_TRUE(h.starts_with("$argon2i$")) << h;
  EXPECT_FALSE(verify_secret(h, "pw"));
  EXPECT_TRUE(needs_rehash(h, {crypto_pwhash_argon2i_OPSLIMIT_MIN, crypto_pwhash_argon2i_MEMLIMIT_MIN}));
}

TEST(Secret, ForeignMagentoPasswordHashDoesNotVerify) {
  std::string csv = testing::read_file(testing::data_file("magento2-customers/import-samples/customer.csv"));
  std::stringstream lines(csv);
  std::string header, row;
  ASSERT_TRUE(std::getline(lines, header));
  ASSERT_TRUE(std::getline(lines, row));
  auto names = split(header, ',');
  auto cells = split(row, ',');
  size_t col = 0;
  while (col < names.size() && names[col] != "password_hash") ++col;
  ASSERT_LT(col, names.size());
  ASSERT_LT(col, cells.size());
  const std::string& magento = cells[col];
  ASSERT_EQ(magento.substr(0, 8), "d708be3f");  // hash:salt:version, SHA-256 based
  EXPECT_FALSE(verify_secret(magento, ""));
  EXPECT_TRUE(needs_rehash(magento, HashLimits::interactive()));
}

TEST(Secret, EmptySecretHashesAndVerifiesOnlyItself) {
  std::string h = hash_or_die("");
  EXPECT_TRUE(h.starts_with("$argon2id$")) << h;
  EXPECT_TRUE(verify_secret(h, ""));
  EXPECT_TRUE(verify_secret(h, std::string_view()));
  EXPECT_FALSE(verify_secret(h, " "));
  EXPECT_FALSE(verify_secret(hash_or_die("x"), ""));
}

TEST(Secret, EmbeddedNulIsPartOfTheSecret) {
  std::string h = hash_or_die(std::string_view("ab\0cd", 5));
  EXPECT_TRUE(verify_secret(h, std::string_view("ab\0cd", 5)));
  EXPECT_FALSE(verify_secret(h, "ab"));
}

TEST(Secret, RefusesOpsLimitOutsideLibsodiumsRange) {
  auto h = hash_secret("correct horse battery", {0, 8 * 1024});
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(error_code_of(h.status()), ErrorCode::invalid_argument);
  EXPECT_EQ(violations_of(h.status()),
            (Violations{{"ops_limit", "secret.ops_limit",
                         "Argon2id ops_limit 0 is outside libsodium's range 1..4294967295"}}));
  EXPECT_EQ(std::string(h.status().message()).find("horse"), std::string::npos);
}

TEST(Secret, RefusesMemLimitOutsideLibsodiumsRange) {
  auto h = hash_secret("correct horse battery", {1, 1024});
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(error_code_of(h.status()), ErrorCode::invalid_argument);
  ASSERT_EQ(violations_of(h.status()).size(), 1u);
  EXPECT_EQ(violations_of(h.status())[0].field, "mem_limit");
  EXPECT_EQ(violations_of(h.status())[0].rule, "secret.mem_limit");
  EXPECT_EQ(std::string(h.status().message()).find("horse"), std::string::npos);
}

TEST(Secret, HashesAndVerifiesFromSeveralThreadsAtOnce) {
  // Hashing shares no state but the one-time sodium_init(); run alone (or under TSan) the first use races
  // here.
  std::vector<std::thread> threads;
  std::array<bool, 4> ok{};
  for (size_t i = 0; i < ok.size(); ++i) {
    threads.emplace_back([i, &ok] {
      std::string secret = "secret-" + std::to_string(i);
      auto h = hash_secret(secret, kFast);
      ok[i] = h.ok() && verify_secret(*h, secret) && !verify_secret(*h, "other");
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < ok.size(); ++i) EXPECT_TRUE(ok[i]) << i;
}

}  // namespace
}  // namespace leadcustomers
