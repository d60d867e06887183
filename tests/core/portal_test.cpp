// portal.set_login / portal.verify_answer / portal.verify_password (SPEC §2.4), through the engine.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/portal_login.hpp"
#include "leadcustomers/secret.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kId = "018f0000-0000-7000-8000-000000000001";
constexpr std::string_view kEmail = "ana.example@example.com";

absl::Time t0() { return parse_timestamp("2026-01-05T10:00:00.000Z").value(); }

EngineOptions fast_options() {
  EngineOptions o;
  o.hash_limits = HashLimits::minimum();  // < 1 ms a hash, so the suite stays fast
  return o;
}

class Portal : public ::testing::Test {
 protected:
  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }
  Result run(const boost::json::object& o) { return engine_.execute(o); }

  void create_customer(std::string_view status = "Active") {
    auto r = run(boost::json::object{{"op", "customer.create"},
                                     {"id", kId},
                                     {"customer_type_id", 1},
                                     {"first_name", "Ana"},
                                     {"last_name", "Example"},
                                     {"email", kEmail},
                                     {"status", status}});
    ASSERT_TRUE(r.ok()) << r.status;
  }
  Result set_login(std::string_view question, std::string_view answer, std::string_view password) {
    return run(boost::json::object{{"op", "portal.set_login"},
                                   {"customer_id", kId},
                                   {"secret_question", question},
                                   {"secret_answer", answer},
                                   {"password", password}});
  }
  void create_with_login() {
    create_customer();
    auto r = set_login("Name of your first pet?", "Blue Whale", "correct horse battery");
    ASSERT_TRUE(r.ok()) << r.status;
  }
  Result verify_answer(std::string_view answer, std::string_view email = kEmail) {
    return run(boost::json::object{{"op", "portal.verify_answer"}, {"email", email}, {"answer", answer}});
  }
  Result verify_password(std::string_view password, std::string_view email = kEmail) {
    return run(
        boost::json::object{{"op", "portal.verify_password"}, {"email", email}, {"password", password}});
  }
  CustomerAggregate stored() {
    auto agg = engine_.get_customer(*CustomerId::parse(kId));
    EXPECT_TRUE(agg.ok()) << agg.status();
    return agg.ok() ? *agg : CustomerAggregate{};
  }
  static Violation only_violation(const Result& r) {
    auto v = violations_of(r.status);
    EXPECT_EQ(v.size(), 1u) << r.status;
    return v.empty() ? Violation{} : v.front();
  }

  FixedClock clock_{t0()};
  MemoryStore store_;
  Engine engine_{store_, fast_options(), &clock_};
};

// ---- portal.set_login ----------------------------------------------------------------------------------

TEST_F(Portal, SetLoginReturnsTheDocumentWithQuestionButNoSecret) {
  create_customer();
  auto r = set_login("Name of your first pet?", "Blue Whale", "correct horse battery");
  ASSERT_TRUE(r.ok()) << r.status;
  const auto& portal = r.result.at("portal").as_object();
  EXPECT_EQ(portal.at("has_login"), true);
  EXPECT_EQ(portal.at("secret_question"), "Name of your first pet?");
  EXPECT_EQ(portal.at("locked_until"), nullptr);
  EXPECT_EQ(r.result.at("version"), 2);
  EXPECT_EQ(boost::json::serialize(r.result).find("argon2"), std::string::npos);
}

TEST_F(Portal, SetLoginStoresOnlyArgon2idHashes) {
  create_with_login();
  auto agg = stored();
  ASSERT_TRUE(agg.portal.answer_hash && agg.portal.password_hash);
  EXPECT_TRUE(agg.portal.answer_hash->starts_with("$argon2id$"));
  EXPECT_TRUE(agg.portal.password_hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_secret(*agg.portal.answer_hash, "blue whale"));
  EXPECT_TRUE(verify_secret(*agg.portal.password_hash, "correct horse battery"));
}

TEST_F(Portal, SetLoginPasswordAlone) {
  create_customer();
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "password":"correct horse battery"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.at("portal").at("has_login"), true);
  EXPECT_EQ(r.result.at("portal").at("secret_question"), nullptr);
  EXPECT_TRUE(verify_password("correct horse battery").ok());
}

TEST_F(Portal, SetLoginRefusesAPasswordOfSevenCodePoints) {
  create_customer();
  auto r = set_login("Q?", "A", "Ab3$567");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "password");
  EXPECT_EQ(v.rule, "password.too_short");
  EXPECT_EQ(v.message, "password is 7 characters long (at least 8)");
}

TEST_F(Portal, SetLoginCountsPasswordLengthInCodePoints) {
  create_customer();
  EXPECT_TRUE(set_login("Q?", "A", "ñññññññø").ok());  // 8 code points, 16 bytes
}

TEST_F(Portal, SetLoginRefusesAPasswordOf257CodePoints) {
  create_customer();
  EXPECT_TRUE(set_login("Q?", "A", std::string(256, 'x')).ok());
  auto r = set_login("Q?", "A", std::string(257, 'x'));
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "password");
  EXPECT_EQ(v.rule, "password.too_long");
}

TEST_F(Portal, SetLoginRefusesAControlCharacterInThePassword) {
  create_customer();
  auto r = set_login("Q?", "A", "correct\thorse");
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "password");
  EXPECT_EQ(v.rule, "text.control_character");
}

TEST_F(Portal, SetLoginRefusesInvalidUtf8InTheAnswer) {
  create_customer();
  auto r = set_login("Q?", "bad \xC3\x28", "correct horse battery");
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "secret_answer");
  EXPECT_EQ(v.rule, "text.invalid_utf8");
}

TEST_F(Portal, SetLoginRefusesAQuestionOf201CodePoints) {
  create_customer();
  EXPECT_TRUE(set_login(std::string(200, 'q'), "A", "correct horse battery").ok());
  auto r = set_login(std::string(201, 'q'), "A", "correct horse battery");
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "secret_question");
  EXPECT_EQ(v.rule, "text.too_long");
}

TEST_F(Portal, SetLoginRefusesAnAnswerThatIsOnlyWhiteSpace) {
  create_customer();
  auto r = set_login("Q?", " \t ", "correct horse battery");
  // A tab is a control character; plain spaces fold to nothing.
  EXPECT_EQ(only_violation(r).rule, "text.control_character");
  r = set_login("Q?", "    ", "correct horse battery");
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "secret_answer");
  EXPECT_EQ(v.rule, "secret_answer.required");
}

TEST_F(Portal, SetLoginRefusesAQuestionWithoutAnswer) {
  create_customer();
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "secret_question":"Q?"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "secret_answer");
  EXPECT_EQ(v.rule, "secret_answer.required");
}

TEST_F(Portal, SetLoginWithNothingToSetIsRefused) {
  create_customer();
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  EXPECT_EQ(only_violation(r).rule, "portal.nothing_to_set");
}

TEST_F(Portal, SetLoginNullRemovesThePassword) {
  create_with_login();
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "password":null})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_FALSE(stored().portal.password_hash.has_value());
  EXPECT_EQ(error_code_of(verify_password("correct horse battery").status), ErrorCode::unauthenticated);
  EXPECT_TRUE(verify_answer("blue whale").ok());
}

TEST_F(Portal, SetLoginUnknownCustomerIsNotFound) {
  auto r = set_login("Q?", "A", "correct horse battery");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::not_found);
  EXPECT_EQ(only_violation(r).field, "customer_id");
}

TEST_F(Portal, SetLoginByTheCustomerOfAnInactiveAccountIsRefused) {
  create_customer("Inactive");
  auto r = run(R"({"op":"portal.set_login","actor":"customer",
                   "customer_id":"018f0000-0000-7000-8000-000000000001","password":"correct horse battery"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "customer.not_active");
}

TEST_F(Portal, SetLoginRecordsAHistoryEntryWithoutSecrets) {
  create_with_login();
  auto h = stored().history;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].event, "portal_login_changed");
  EXPECT_EQ(h[1].reason, "secret question and answer set; password set");
}

TEST_F(Portal, SetLoginHonoursExpectedVersion) {
  create_customer();
  auto r = run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                   "expected_version":7,"password":"correct horse battery"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::conflict);
  EXPECT_EQ(only_violation(r).field, "expected_version");
}

// ---- verification ----------------------------------------------------------------------------------------

TEST_F(Portal, VerifyAnswerReturnsVerifiedTrue) {
  create_with_login();
  auto r = verify_answer("Blue Whale");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, (boost::json::object{{"verified", true}}));
}

TEST_F(Portal, VerifyAnswerFoldsCaseAndWhiteSpace) {
  create_with_login();
  EXPECT_TRUE(verify_answer("  blue   WHALE ").ok());
}

TEST_F(Portal, VerifyAnswerAppliesNfkc) {
  create_with_login();
  EXPECT_TRUE(verify_answer("\xEF\xBC\xA2lue whale").ok());  // U+FF22 FULLWIDTH LATIN CAPITAL LETTER B
}

TEST_F(Portal, AnswerSetWithOddFormVerifiesPlainForm) {
  create_customer();
  ASSERT_TRUE(set_login("Street?",
                        "  Stra\xC3\x9F"
                        "e   EINS ",
                        "correct horse battery")
                  .ok());
  EXPECT_TRUE(verify_answer("strasse eins").ok());  // case fold: ß -> ss
}

TEST_F(Portal, VerifyPasswordReturnsVerifiedTrue) {
  create_with_login();
  auto r = verify_password("correct horse battery");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result, (boost::json::object{{"verified", true}}));
}

TEST_F(Portal, PasswordIsCaseAndSpaceSensitive) {
  create_with_login();
  EXPECT_EQ(error_code_of(verify_password("Correct horse battery").status), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_of(verify_password("correct horse battery ").status), ErrorCode::unauthenticated);
}

TEST_F(Portal, PasswordVerifiesInAnyCanonicallyEquivalentForm) {
  create_customer();
  ASSERT_TRUE(set_login("Q?", "A", "caf\xC3\xA9 au lait").ok());  // é precomposed
  EXPECT_TRUE(verify_password("cafe\xCC\x81 au lait").ok());      // e + combining acute
}

TEST_F(Portal, VerifyLooksTheLoginUpCaseInsensitively) {
  create_with_login();
  EXPECT_TRUE(verify_password("correct horse battery", "ANA.Example@Example.COM").ok());
}

TEST_F(Portal, UnknownEmailAndWrongSecretGiveTheSameAnswer) {
  create_with_login();
  auto wrong = verify_password("incorrect horse");
  auto unknown = verify_password("correct horse battery", "nobody@example.com");
  EXPECT_EQ(error_code_of(wrong.status), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_of(unknown.status), ErrorCode::unauthenticated);
  EXPECT_EQ(wrong.status.message(), "the e-mail or the password is not correct");
  EXPECT_EQ(unknown.status.message(), wrong.status.message());
  EXPECT_TRUE(violations_of(wrong.status).empty());
  EXPECT_TRUE(violations_of(unknown.status).empty());
  EXPECT_EQ(boost::json::serialize(result_to_json(wrong)), boost::json::serialize(result_to_json(unknown)));
}

TEST_F(Portal, WrongAnswerIsUnauthenticated) {
  create_with_login();
  auto r = verify_answer("Grey Whale");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::unauthenticated);
  EXPECT_EQ(r.status.message(), "the e-mail or the secret answer is not correct");
}

TEST_F(Portal, CustomerWithoutLoginIsUnauthenticatedAndNotCounted) {
  create_customer();
  auto r = verify_password("correct horse battery");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::unauthenticated);
  EXPECT_EQ(stored().portal.failed_attempts, 0);
}

TEST_F(Portal, AnswerAgainstALoginWithOnlyAPasswordIsAFailedAttempt) {
  create_customer();
  ASSERT_TRUE(run(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "password":"correct horse battery"})")
                  .ok());
  EXPECT_EQ(error_code_of(verify_answer("anything").status), ErrorCode::unauthenticated);
  EXPECT_EQ(stored().portal.failed_attempts, 1);
}

TEST_F(Portal, VerifyWithoutTheSecretIsAValidationError) {
  auto r = run(R"({"op":"portal.verify_password","email":"ana.example@example.com"})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::validation_failed);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "password");
  EXPECT_EQ(v.rule, "password.required");
}

TEST_F(Portal, TheLoginFollowsTheEmail) {
  create_with_login();
  ASSERT_TRUE(run(R"({"op":"customer.update","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "email":"ana.new@example.com"})")
                  .ok());
  EXPECT_TRUE(verify_password("correct horse battery", "ana.new@example.com").ok());
  EXPECT_EQ(error_code_of(verify_password("correct horse battery").status), ErrorCode::unauthenticated);
}

// ---- lockout and the clock -------------------------------------------------------------------------------

TEST_F(Portal, FiveFailuresLockTheLoginForFifteenMinutes) {
  create_with_login();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(error_code_of(verify_password("wrong password").status), ErrorCode::unauthenticated) << i;
  }
  auto r = verify_password("correct horse battery");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::permission_denied);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "email");
  EXPECT_EQ(v.rule, "portal.locked");
  EXPECT_EQ(v.message, "the login is locked until 2026-01-05T10:15:00.000Z after 5 failed attempts");
  EXPECT_EQ(stored().portal.locked_until, t0() + absl::Minutes(15));
}

TEST_F(Portal, FourFailuresDoNotLock) {
  create_with_login();
  for (int i = 0; i < 4; ++i) (void)verify_password("wrong password");
  EXPECT_TRUE(verify_password("correct horse battery").ok());
}

TEST_F(Portal, LockedLoginRefusesAWrongSecretWithPermissionDeniedToo) {
  create_with_login();
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  EXPECT_EQ(error_code_of(verify_password("wrong password").status), ErrorCode::permission_denied);
  EXPECT_EQ(error_code_of(verify_answer("grey whale").status), ErrorCode::permission_denied);
}

TEST_F(Portal, TheLockHoldsUntilItsLastMillisecond) {
  create_with_login();
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  clock_.advance(absl::Minutes(15) - absl::Milliseconds(1));
  EXPECT_EQ(error_code_of(verify_password("correct horse battery").status), ErrorCode::permission_denied);
  clock_.advance(absl::Milliseconds(1));
  EXPECT_TRUE(verify_password("correct horse battery").ok());
  EXPECT_FALSE(stored().portal.locked_until.has_value());
}

TEST_F(Portal, AfterALockExpiresAFullRunOfFailuresIsNeededAgain) {
  create_with_login();
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  clock_.advance(absl::Minutes(15));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(error_code_of(verify_password("wrong password").status), ErrorCode::unauthenticated) << i;
  }
  EXPECT_EQ(error_code_of(verify_password("wrong password").status), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_of(verify_password("correct horse battery").status), ErrorCode::permission_denied);
}

TEST_F(Portal, ASuccessResetsTheCount) {
  create_with_login();
  for (int i = 0; i < 4; ++i) (void)verify_password("wrong password");
  ASSERT_TRUE(verify_password("correct horse battery").ok());
  EXPECT_EQ(stored().portal.failed_attempts, 0);
  for (int i = 0; i < 4; ++i) (void)verify_password("wrong password");
  EXPECT_TRUE(verify_password("correct horse battery").ok());
}

TEST_F(Portal, AnswerAndPasswordFailuresShareOneCount) {
  create_with_login();
  for (int i = 0; i < 3; ++i) (void)verify_password("wrong password");
  for (int i = 0; i < 2; ++i) (void)verify_answer("grey whale");
  EXPECT_EQ(error_code_of(verify_answer("blue whale").status), ErrorCode::permission_denied);
}

TEST_F(Portal, LockingIsRecordedInTheHistory) {
  create_with_login();
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  auto h = stored().history;
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].event, "portal_locked");
  EXPECT_EQ(h[2].at, t0());
  EXPECT_EQ(h[2].reason, "locked until 2026-01-05T10:15:00.000Z after 5 consecutive failed attempts");
}

TEST_F(Portal, StaffSettingNewSecretsClearsTheLock) {
  create_with_login();
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  ASSERT_TRUE(set_login("Q?", "A", "a brand new password").ok());
  EXPECT_FALSE(stored().portal.locked_until.has_value());
  EXPECT_TRUE(verify_password("a brand new password").ok());
}

TEST(PortalOptions, LockoutAttemptsAndDurationAreConfigurable) {
  FixedClock clock(t0());
  MemoryStore store;
  EngineOptions options = fast_options();
  options.lockout_attempts = 2;
  options.lockout_duration = absl::Minutes(1);
  Engine engine(store, options, &clock);
  auto exec = [&](std::string_view json) { return engine.execute(boost::json::parse(json).as_object()); };
  ASSERT_TRUE(exec(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana",
                       "email":"ana@example.com"})")
                  .ok());
  ASSERT_TRUE(
      exec(R"({"op":"portal.set_login","email":"ana@example.com","password":"correct horse battery"})").ok());
  const char* wrong = R"({"op":"portal.verify_password","email":"ana@example.com","password":"nope nope"})";
  const char* right =
      R"({"op":"portal.verify_password","email":"ana@example.com","password":"correct horse battery"})";
  EXPECT_EQ(error_code_of(exec(wrong).status), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_of(exec(wrong).status), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_of(exec(right).status), ErrorCode::permission_denied);
  clock.advance(absl::Minutes(1));
  EXPECT_TRUE(exec(right).ok());
}

// ---- attempts and version --------------------------------------------------------------------------------

TEST_F(Portal, AttemptsNeverChangeVersionOrUpdatedAt) {
  create_with_login();
  auto before = stored().customer;
  clock_.advance(absl::Minutes(1));
  (void)verify_password("wrong password");
  EXPECT_EQ(stored().portal.failed_attempts, 1);         // the failure is stored...
  EXPECT_EQ(stored().customer.version, before.version);  // ...without a new version
  ASSERT_TRUE(verify_password("correct horse battery").ok());
  for (int i = 0; i < 5; ++i) (void)verify_answer("grey whale");
  EXPECT_TRUE(stored().portal.locked_until.has_value());
  auto after = stored().customer;
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.updated_at, before.updated_at);
}

TEST_F(Portal, FailureIsCountedEvenThoughTheCommandFails) {
  create_with_login();
  (void)verify_answer("grey whale");
  (void)verify_answer("grey whale");
  EXPECT_EQ(stored().portal.failed_attempts, 2);
}

TEST_F(Portal, ConflictingExpectedVersionWithTheRightSecretChangesNothing) {
  create_with_login();
  (void)verify_password("wrong password");
  auto r = run(R"({"op":"portal.verify_password","email":"ana.example@example.com",
                   "password":"correct horse battery","expected_version":99})");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::conflict);
  EXPECT_EQ(stored().portal.failed_attempts, 1);
}

// ---- inactive and archived customers ---------------------------------------------------------------------

TEST_F(Portal, CorrectSecretOfAnInactiveCustomerIsFailedPreconditionOnStatus) {
  create_with_login();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Inactive"})")
                  .ok());
  auto r = verify_password("correct horse battery");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  auto v = only_violation(r);
  EXPECT_EQ(v.field, "status");
  EXPECT_EQ(v.rule, "customer.not_active");
  EXPECT_EQ(r.status.message(), "the account is Inactive; it cannot log in");
}

TEST_F(Portal, WrongSecretOfAnInactiveCustomerIsStillUnauthenticated) {
  create_with_login();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Inactive"})")
                  .ok());
  EXPECT_EQ(error_code_of(verify_password("wrong password").status), ErrorCode::unauthenticated);
}

TEST_F(Portal, CorrectAnswerOfAnArchivedCustomerIsFailedPreconditionOnStatus) {
  create_with_login();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Archived"})")
                  .ok());
  auto r = verify_answer("blue whale");
  EXPECT_EQ(error_code_of(r.status), ErrorCode::failed_precondition);
  EXPECT_EQ(only_violation(r).field, "status");
  EXPECT_EQ(r.status.message(), "the account is Archived; it cannot log in");
}

TEST_F(Portal, LockComesBeforeTheInactiveCheck) {
  create_with_login();
  ASSERT_TRUE(run(R"({"op":"customer.set_status","customer_id":"018f0000-0000-7000-8000-000000000001",
                      "status":"Inactive"})")
                  .ok());
  for (int i = 0; i < 5; ++i) (void)verify_password("wrong password");
  EXPECT_EQ(error_code_of(verify_password("correct horse battery").status), ErrorCode::permission_denied);
}

// ---- re-hashing ------------------------------------------------------------------------------------------

TEST_F(Portal, ASuccessReMakesAHashOfOlderLimits) {
  create_with_login();
  const HashLimits newer{2, 16u * 1024};
  std::string old_hash = *stored().portal.password_hash;
  ASSERT_TRUE(needs_rehash(old_hash, newer));
  EngineOptions options = fast_options();
  options.hash_limits = newer;
  Engine upgraded(store_, options, &clock_);
  auto r = upgraded.execute(boost::json::parse(R"({"op":"portal.verify_password",
      "email":"ana.example@example.com","password":"correct horse battery"})")
                                .as_object());
  ASSERT_TRUE(r.ok()) << r.status;
  auto agg = stored();
  EXPECT_FALSE(needs_rehash(*agg.portal.password_hash, newer));
  EXPECT_TRUE(verify_secret(*agg.portal.password_hash, "correct horse battery"));
  EXPECT_TRUE(needs_rehash(*agg.portal.answer_hash, newer));  // not verified, so not re-made
  EXPECT_EQ(agg.customer.version, 2);
}

TEST_F(Portal, AFailureDoesNotReMakeTheHash) {
  create_with_login();
  std::string old_hash = *stored().portal.password_hash;
  EngineOptions options = fast_options();
  options.hash_limits = HashLimits{2, 16u * 1024};
  Engine upgraded(store_, options, &clock_);
  (void)upgraded.execute(boost::json::parse(R"({"op":"portal.verify_password",
      "email":"ana.example@example.com","password":"wrong password"})")
                             .as_object());
  EXPECT_EQ(*stored().portal.password_hash, old_hash);
}

TEST_F(Portal, ASuccessWithCurrentLimitsKeepsTheHash) {
  create_with_login();
  std::string old_hash = *stored().portal.password_hash;
  ASSERT_TRUE(verify_password("correct horse battery").ok());
  EXPECT_EQ(*stored().portal.password_hash, old_hash);
}

// ---- the slow step runs before the transaction; the op re-checks what it found -------------------------

// A store that runs a hook once, right after the next read transaction ends: that is between an op's
// prepare step (which reads) and its own write transaction.
class BetweenStepsStore final : public Store {
 public:
  absl::Status write(absl::FunctionRef<absl::Status(StoreTx&)> fn) override { return inner_.write(fn); }
  absl::Status read(absl::FunctionRef<absl::Status(StoreTx&)> fn) override {
    auto s = inner_.read(fn);
    if (hook_) std::exchange(hook_, nullptr)();
    return s;
  }
  void after_next_read(std::function<void()> hook) { hook_ = std::move(hook); }

 private:
  MemoryStore inner_;
  std::function<void()> hook_;
};

class PortalRace : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(exec(R"({"op":"customer.create","customer_type_id":1,"first_name":"Ana",
                         "email":"ana@example.com"})")
                    .ok());
    ASSERT_TRUE(
        exec(R"({"op":"portal.set_login","email":"ana@example.com","password":"first password"})").ok());
  }
  Result exec(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }
  Result verify(std::string_view password) {
    return engine_.execute(
        {{"op", "portal.verify_password"}, {"email", "ana@example.com"}, {"password", password}});
  }
  FixedClock clock_{t0()};
  BetweenStepsStore store_;
  Engine engine_{store_, fast_options(), &clock_};
};

TEST_F(PortalRace, APasswordChangedAfterThePrepareStepIsTheOneVerified) {
  store_.after_next_read([&] {
    ASSERT_TRUE(
        exec(R"({"op":"portal.set_login","email":"ana@example.com","password":"second password"})").ok());
  });
  EXPECT_EQ(error_code_of(verify("first password").status), ErrorCode::unauthenticated);
  EXPECT_TRUE(verify("second password").ok());
}

TEST_F(PortalRace, ALoginSetAfterThePrepareStepOfACustomerWithoutOneIsVerified) {
  ASSERT_TRUE(
      exec(R"({"op":"customer.create","customer_type_id":1,"first_name":"Bo","email":"bo@example.com"})")
          .ok());
  store_.after_next_read([&] {
    ASSERT_TRUE(exec(R"({"op":"portal.set_login","email":"bo@example.com","password":"bo password"})").ok());
  });
  auto r = engine_.execute(
      {{"op", "portal.verify_password"}, {"email", "bo@example.com"}, {"password", "bo password"}});
  EXPECT_TRUE(r.ok()) << r.status;
}

TEST_F(PortalRace, ACustomerErasedAfterThePrepareStepIsUnauthenticated) {
  store_.after_next_read(
      [&] { ASSERT_TRUE(exec(R"({"op":"customer.erase","email":"ana@example.com"})").ok()); });
  EXPECT_EQ(error_code_of(verify("first password").status), ErrorCode::unauthenticated);
}

TEST_F(PortalRace, ALockSetAfterThePrepareStepWins) {
  store_.after_next_read([&] {
    for (int i = 0; i < 5; ++i) (void)verify("wrong password");
  });
  EXPECT_EQ(error_code_of(verify("first password").status), ErrorCode::permission_denied);
}

// ---- no secret leaks -------------------------------------------------------------------------------------

TEST_F(Portal, NoSecretEverAppearsInAResultAnErrorOrADocument) {
  const std::string answer = "Quasar Marmalade 7731";
  const std::string answer_folded = "quasar marmalade 7731";
  const std::string password = "Zebra-Okapi-Tundra-5521";
  const std::string short_password = "Qx7!vv";  // 6 characters: refused
  const std::string long_password = "Yttrium-" + std::string(260, 'k');
  std::vector<std::string> outputs;
  auto exec = [&](const boost::json::object& cmd) {
    auto line = engine_.execute_json(boost::json::serialize(cmd));
    outputs.push_back(line);
    return line;
  };
  auto exec_text = [&](std::string_view text) { outputs.push_back(engine_.execute_json(text)); };
  create_customer();
  boost::json::object set{{"op", "portal.set_login"},
                          {"customer_id", kId},
                          {"secret_question", "Favourite jam?"},
                          {"secret_answer", answer},
                          {"password", password}};
  exec(set);
  for (auto bad : {short_password, long_password, std::string("with\ttab-") + password}) {
    auto cmd = set;
    cmd["password"] = bad;
    exec(cmd);
  }
  auto bad_answer = set;
  bad_answer["secret_answer"] = answer + "\x01";
  exec(bad_answer);
  auto unknown_field = set;
  unknown_field["pasword"] = password;  // a typo'd field is refused by name, not by value
  exec(unknown_field);
  exec_text(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001","password":)" +
            std::string("\"") + password + "\"");  // truncated JSON
  for (const auto& p : {password, short_password, long_password, answer}) {
    exec({{"op", "portal.verify_password"}, {"email", kEmail}, {"password", p}});
    exec({{"op", "portal.verify_password"}, {"email", "nobody@example.com"}, {"password", p}});
    exec({{"op", "portal.verify_answer"}, {"email", kEmail}, {"answer", p}});
  }
  exec({{"op", "portal.verify_answer"}, {"email", kEmail}, {"answer", answer}});
  for (int i = 0; i < 6; ++i)
    exec({{"op", "portal.verify_password"}, {"email", kEmail}, {"password", "wrong!!!"}});
  exec({{"op", "portal.verify_password"}, {"email", kEmail}, {"password", password}});  // locked
  exec({{"op", "customer.get"}, {"customer_id", kId}});
  exec({{"op", "customer.get"}, {"email", kEmail}});
  exec({{"op", "customer.history"}, {"customer_id", kId}});
  exec({{"op", "customer.consent"}, {"customer_id", kId}});
  exec({{"op", "customer.search"}, {"text", "Ana"}});
  exec({{"op", "customer.set_status"}, {"customer_id", kId}, {"status", "Inactive"}});
  exec({{"op", "portal.verify_answer"}, {"email", kEmail}, {"answer", answer}});
  auto before_erase = stored();
  exec({{"op", "customer.erase"}, {"customer_id", kId}});
  exec({{"op", "customer.get"}, {"customer_id", kId}});

  ASSERT_GT(outputs.size(), 30u);
  for (const auto& out : outputs) {
    for (const auto& secret : {answer, answer_folded, password, short_password, long_password,
                               std::string("Yttrium"), std::string("Zebra-Okapi"), std::string("$argon2")}) {
      EXPECT_EQ(out.find(secret), std::string::npos) << "'" << secret << "' leaked in: " << out;
    }
  }
  // The stored aggregate holds hashes (and after the erase not even those), never plaintext, and no history
  // entry names a secret.
  ASSERT_TRUE(before_erase.portal.password_hash.has_value());
  EXPECT_EQ(before_erase.portal.password_hash->find("Zebra"), std::string::npos);
  for (const auto& h : before_erase.history) {
    EXPECT_EQ(h.reason.find("Zebra"), std::string::npos) << h.reason;
    EXPECT_EQ(h.reason.find("Quasar"), std::string::npos) << h.reason;
  }
  EXPECT_FALSE(stored().portal.password_hash.has_value());
}

// ---- the pure rules of portal_login.hpp ------------------------------------------------------------------

TEST(PortalLogin, AnswerFormIsFoldedAndCollapsed) {
  Diagnostics d;
  EXPECT_EQ(secret_answer_form("  Blue   WHALE ", "secret_answer", d), "blue whale");
  EXPECT_TRUE(d.ok());
}

TEST(PortalLogin, AnswerCandidateMatchesAnswerForm) {
  Diagnostics d;
  EXPECT_EQ(answer_candidate("\u00C9cole  NORMALE"), secret_answer_form("\u00E9cole normale", "a", d));
}

TEST(PortalLogin, PasswordFormKeepsCaseAndSpaces) {
  Diagnostics d;
  EXPECT_EQ(password_form(" Pass Word ", "password", d), " Pass Word ");
}

TEST(PortalLogin, CandidateOfInvalidUtf8CannotMatch) {
  EXPECT_EQ(password_candidate("abc\xFF"
                               "ghijkl"),
            std::nullopt);
  EXPECT_EQ(answer_candidate("abc\xFF"), std::nullopt);
}

TEST(PortalLogin, RecordFailureLocksAtTheLimitAndRestartsTheCount) {
  PortalLogin login;
  LockoutPolicy policy{.attempts = 3, .duration = absl::Minutes(2)};
  EXPECT_FALSE(record_failure(login, policy, t0()));
  EXPECT_FALSE(record_failure(login, policy, t0()));
  EXPECT_TRUE(record_failure(login, policy, t0()));
  EXPECT_EQ(login.failed_attempts, 0);
  EXPECT_EQ(login.locked_until, t0() + absl::Minutes(2));
  EXPECT_TRUE(is_locked(login, t0() + absl::Minutes(2) - absl::Milliseconds(1)));
  EXPECT_FALSE(is_locked(login, t0() + absl::Minutes(2)));
}

TEST(PortalLogin, ZeroAttemptsDisablesTheLockout) {
  PortalLogin login;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(record_failure(login, {.attempts = 0}, t0()));
  EXPECT_FALSE(is_locked(login, t0()));
}

}  // namespace
}  // namespace leadcustomers
