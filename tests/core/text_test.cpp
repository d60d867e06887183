#include "leadcustomers/text.hpp"

#include "gtest/gtest.h"

namespace leadcustomers {
namespace {

TEST(Text, StoresNfcOfDecomposedInput) {
  Diagnostics d;
  auto v = clean_text("  Zoe\xCC\x88 ", "first_name", {.max_code_points = 100}, d);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "Zo\xC3\xAB");
  EXPECT_TRUE(d.ok());
}

TEST(Text, KeepsTypographicApostrophe) {
  Diagnostics d;
  auto v = clean_text("O’Example", "last_name", {.max_code_points = 100}, d);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "O’Example");
}

TEST(Text, RefusesInvalidUtf8WithRule) {
  Diagnostics d;
  EXPECT_FALSE(clean_text("Ana\xC3", "first_name", {.max_code_points = 100}, d).has_value());
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_EQ(d.errors()[0].field, "first_name");
  EXPECT_EQ(d.errors()[0].rule, "text.invalid_utf8");
}

TEST(Text, RefusesControlCharacters) {
  Diagnostics d;
  EXPECT_FALSE(clean_text("Ana\x07", "first_name", {.max_code_points = 100}, d).has_value());
  EXPECT_EQ(d.errors().at(0).rule, "text.control_character");
  Diagnostics c1;
  EXPECT_FALSE(clean_text("Ana\xC2\x85x", "first_name", {.max_code_points = 100}, c1).has_value());
  EXPECT_EQ(c1.errors().at(0).rule, "text.control_character");
}

TEST(Text, FoldsCrLfAndAllowsOneLineBreakInAddressLine) {
  Diagnostics d;
  auto v = clean_text("Flat 3\r\n12 Example Street", "address1",
                      {.max_code_points = 255, .line_breaks = LineBreaks::one}, d);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "Flat 3\n12 Example Street");
  Diagnostics two;
  EXPECT_FALSE(
      clean_text("a\rb\rc", "address1", {.max_code_points = 255, .line_breaks = LineBreaks::one}, two));
  EXPECT_EQ(two.errors().at(0).rule, "text.too_many_line_breaks");
}

TEST(Text, CountsCodePointsNotBytes) {
  Diagnostics d;
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "\xC3\xAB";
  EXPECT_TRUE(clean_text(hundred, "first_name", {.max_code_points = 100}, d).has_value());
  EXPECT_FALSE(clean_text(hundred + "x", "first_name", {.max_code_points = 100}, d).has_value());
  EXPECT_EQ(d.errors().at(0).rule, "text.too_long");
}

TEST(Text, FoldAnswerNormalizesCaseAndSpaces) {
  EXPECT_EQ(fold_answer("  Blue   WHALE "), "blue whale");
  EXPECT_EQ(fold_answer("\xEF\xBC\xA2lue whale"), "blue whale");  // full-width B (NFKC)
}

TEST(Text, FoldForMatchIgnoresDiacriticsAndCase) {
  EXPECT_EQ(fold_for_match("Qu\xC3\xA9"
                           "bec"),
            "quebec");
  EXPECT_EQ(fold_for_match("  NEW   York "), "new york");
}

}  // namespace
}  // namespace leadcustomers
