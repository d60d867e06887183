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

TEST(Text, RefusesDirectionalOverridesEmbeddingsAndIsolates) {
  // "Ana" + RIGHT-TO-LEFT OVERRIDE + "gnp.exe": shown as "Anaexe.png". Every one of the nine is refused, on
  // the fast path (already NFC, no CR) and on the general one (a CRLF sends the text there).
  const std::vector<std::pair<std::string, std::string>> controls{
      {"\xE2\x80\xAA", "202A"}, {"\xE2\x80\xAB", "202B"}, {"\xE2\x80\xAC", "202C"},
      {"\xE2\x80\xAD", "202D"}, {"\xE2\x80\xAE", "202E"}, {"\xE2\x81\xA6", "2066"},
      {"\xE2\x81\xA7", "2067"}, {"\xE2\x81\xA8", "2068"}, {"\xE2\x81\xA9", "2069"}};
  for (const auto& [bytes, hex] : controls) {
    for (std::string tail : {"", "\r\nx"}) {
      Diagnostics d;
      EXPECT_FALSE(clean_text("Ana" + bytes + "gnp.exe" + tail, "note",
                              {.max_code_points = 100, .line_breaks = LineBreaks::any}, d)
                       .has_value())
          << hex;
      ASSERT_EQ(d.errors().size(), 1u) << hex;
      EXPECT_EQ(d.errors()[0].field, "note");
      EXPECT_EQ(d.errors()[0].rule, "text.bidi_control");
      // The value is named with the character escaped, so the message itself displays as it reads.
      EXPECT_EQ(d.errors()[0].message,
                "contains the directional formatting character U+" + hex +
                    ", which reorders how the text after it is displayed, in 'Ana\\u{" + hex + "}gnp.exe" +
                    (tail.empty() ? "'" : "\\u{A}x'"));
      EXPECT_EQ(d.errors()[0].message.find(bytes), std::string::npos);
    }
  }
  // The marks (LRM, RLM, ALM) reorder nothing beyond themselves: real right-to-left text keeps them.
  Diagnostics ok;
  auto v = clean_text("\xD7\xA9\xD7\xA8\xD7\x94\xE2\x80\x8F (IL)\xE2\x80\x8E", "last_name",
                      {.max_code_points = 100}, ok);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "\xD7\xA9\xD7\xA8\xD7\x94\xE2\x80\x8F (IL)\xE2\x80\x8E");
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
