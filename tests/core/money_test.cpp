// Money (SPEC §2): the compiled-in currency list, decimal parsing that respects each currency's minor-unit
// digits, and formatting — never floating point.
#include <cstdint>
#include <string>

#include "gtest/gtest.h"
#include "leadcustomers/money.hpp"

namespace leadcustomers {
namespace {

std::optional<int64_t> parse(std::string_view text, int digits, AmountError* e = nullptr) {
  return parse_decimal_amount(text, digits, e);
}

AmountError error_of(std::string_view text, int digits) {
  AmountError e{};
  EXPECT_FALSE(parse(text, digits, &e).has_value()) << text;
  return e;
}

TEST(Currency, ListHasDigitsOfUsdJpyAndBhd) {
  ASSERT_NE(find_currency("USD"), nullptr);
  EXPECT_EQ(find_currency("USD")->digits, 2);
  EXPECT_EQ(find_currency("JPY")->digits, 0);
  EXPECT_EQ(find_currency("BHD")->digits, 3);
  EXPECT_EQ(std::string(find_currency("EUR")->name), "Euro");
  EXPECT_EQ(std::string(find_currency("EUR")->numeric), "978");
}

TEST(Currency, LookupIsExactUpperCase) {
  EXPECT_EQ(find_currency("usd"), nullptr);
  EXPECT_EQ(find_currency("US"), nullptr);
  EXPECT_EQ(find_currency("ZZZ"), nullptr);
}

TEST(Currency, CodesThatAreNoMoneyAreNotListed) {
  for (const char* code : {"XXX", "XTS", "XAU", "XDR"}) EXPECT_EQ(find_currency(code), nullptr) << code;
  EXPECT_NE(find_currency("XOF"), nullptr);  // the West African CFA franc is money
}

TEST(Currency, ListIsSortedAndUnique) {
  auto all = currencies();
  ASSERT_GT(all.size(), 150u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(std::string(all[i - 1].code), std::string(all[i].code));
}

TEST(MoneyParse, TwoDigitCurrencyTakesCents) {
  EXPECT_EQ(parse("19.99", 2), 1999);
  EXPECT_EQ(parse("19.9", 2), 1990);
  EXPECT_EQ(parse("19", 2), 1900);
  EXPECT_EQ(parse("0.05", 2), 5);
}

TEST(MoneyParse, ZeroDigitCurrencyTakesWholeUnits) {
  EXPECT_EQ(parse("1999", 0), 1999);
  EXPECT_EQ(error_of("19.99", 0), AmountError::too_many_decimals);
}

TEST(MoneyParse, ThreeDigitCurrencyTakesThousandths) {
  EXPECT_EQ(parse("1.5", 3), 1500);
  EXPECT_EQ(parse("1.234", 3), 1234);
  EXPECT_EQ(error_of("1.2345", 3), AmountError::too_many_decimals);
}

TEST(MoneyParse, ZerosPastTheDigitsAreExact) {
  EXPECT_EQ(parse("19.990", 2), 1999);
  EXPECT_EQ(parse("1999.00", 0), 1999);
  EXPECT_EQ(error_of("19.991", 2), AmountError::too_many_decimals);
}

TEST(MoneyParse, NegativeAmountsParse) {
  EXPECT_EQ(parse("-5.25", 2), -525);
  EXPECT_EQ(parse("-0", 2), 0);
}

TEST(MoneyParse, ExponentIsItsOwnError) {
  EXPECT_EQ(error_of("1e3", 2), AmountError::exponent);
  EXPECT_EQ(error_of("1.5E2", 2), AmountError::exponent);
}

TEST(MoneyParse, MalformedTextIsInvalid) {
  for (const char* text :
       {"", "-", ".5", "5.", "1,000.00", " 1.00", "1.00 ", "+1", "$1", "1.2.3", "--1", "abc"})
    EXPECT_EQ(error_of(text, 2), AmountError::invalid) << text;
}

TEST(MoneyParse, OverflowIsRefusedAtTheInt64Boundary) {
  EXPECT_EQ(parse("92233720368547758.07", 2), INT64_MAX);
  EXPECT_EQ(error_of("92233720368547758.08", 2), AmountError::overflow);
  EXPECT_EQ(parse("-92233720368547758.08", 2), INT64_MIN);
  EXPECT_EQ(error_of("99999999999999999999999", 0), AmountError::overflow);
}

TEST(MoneyParse, RuleIdsAreStable) {
  EXPECT_EQ(money_rule(AmountError::invalid), "money.amount_invalid");
  EXPECT_EQ(money_rule(AmountError::exponent), "money.exponent");
  EXPECT_EQ(money_rule(AmountError::too_many_decimals), "money.too_many_decimals");
  EXPECT_EQ(money_rule(AmountError::overflow), "money.overflow");
}

TEST(MoneyFormat, UsesTheCurrencyDigits) {
  EXPECT_EQ(format_amount({1999, "USD"}), "19.99");
  EXPECT_EQ(format_amount({5, "USD"}), "0.05");
  EXPECT_EQ(format_amount({1999, "JPY"}), "1999");
  EXPECT_EQ(format_amount({1500, "BHD"}), "1.500");
  EXPECT_EQ(format_amount({-525, "EUR"}), "-5.25");
  EXPECT_EQ(format_amount({INT64_MIN, "USD"}), "-92233720368547758.08");
}

TEST(MoneyFormat, RoundTripsThroughParse) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{123456}, INT64_MAX}) {
    for (const char* code : {"USD", "JPY", "BHD"}) {
      EXPECT_EQ(parse(format_amount({v, code}), find_currency(code)->digits), v) << v << " " << code;
    }
  }
}

TEST(MoneySum, AddDetectsOverflow) {
  EXPECT_EQ(add_amounts(1, 2), 3);
  EXPECT_EQ(add_amounts(INT64_MAX, 1), std::nullopt);
}

}  // namespace
}  // namespace leadcustomers
