// nfc() and clean_text() skip utf8proc_map for text made only of NFC-inert code points. These tests show
// that the skip never changes a result: the inert set is checked code point by code point against
// utf8proc's own NFC, and the fast results are compared with a direct utf8proc_map over a corpus of names
// (composed, decomposed and mixed) and over every line of the shared customer files.
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "detail/nfc_inert.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/text.hpp"
#include "support/test_support.hpp"
#include "utf8proc.h"

namespace leadcustomers {
namespace {

std::string encode(int32_t cp) {
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// NFC straight from utf8proc, with the options nfc() uses; the input itself when utf8proc refuses it.
std::string reference_nfc(std::string_view s, utf8proc_option_t extra = static_cast<utf8proc_option_t>(0)) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                        static_cast<utf8proc_ssize_t>(s.size()), &out,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | extra));
  std::string r =
      n < 0 ? std::string(s) : std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

std::string reference_nfd(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                        static_cast<utf8proc_ssize_t>(s.size()), &out,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE));
  std::string r(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

bool is_scalar(int32_t cp) { return cp < 0xD800 || (cp > 0xDFFF && cp <= 0x10FFFF); }

TEST(NfcQuickCheck, EveryInertCodePointIsItsOwnNfcWithCombiningClassZero) {
  size_t inert = 0;
  for (int32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (!is_scalar(cp) || !detail::nfc_inert(cp)) continue;
    ++inert;
    std::string one = encode(cp);
    ASSERT_EQ(reference_nfc(one), one) << "U+" << std::hex << cp;
    ASSERT_EQ(utf8proc_get_property(cp)->combining_class, 0) << "U+" << std::hex << cp;
  }
  EXPECT_EQ(inert, 1109954u);  // of 1,112,064 scalar values (utf8proc 2.6.0, Unicode 13)
}

TEST(NfcQuickCheck, NoInertCodePointCanBeComposedOntoWhatPrecedesIt) {
  // Every code point after the first in the full canonical decomposition of a primary composite (a code
  // point whose NFC is itself) can be composed onto a preceding starter, so it must not be inert.
  std::set<int32_t> seconds;
  for (int32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (!is_scalar(cp)) continue;
    utf8proc_int32_t buf[16];
    int boundclass = 0;
    auto n = utf8proc_decompose_char(cp, buf, 16, UTF8PROC_DECOMPOSE, &boundclass);
    if (n < 2) continue;
    std::string one = encode(cp);
    if (reference_nfc(one) != one) continue;  // excluded from composition: never formed
    for (utf8proc_ssize_t i = 1; i < n; ++i) seconds.insert(buf[i]);
  }
  EXPECT_EQ(seconds.size(), 111u);  // combining marks, a few vowel signs, Hangul V and T jamo
  for (int32_t cp : seconds) EXPECT_FALSE(detail::nfc_inert(cp)) << "U+" << std::hex << cp;
  // The Hangul vowel and trailing jamo compose algorithmically.
  EXPECT_FALSE(detail::nfc_inert(0x1161));
  EXPECT_FALSE(detail::nfc_inert(0x11A8));
}

TEST(NfcQuickCheck, ClassifiesKnownCodePoints) {
  EXPECT_TRUE(detail::nfc_inert('A'));
  EXPECT_TRUE(detail::nfc_inert(0x00E9));   // é, precomposed
  EXPECT_TRUE(detail::nfc_inert(0x1EC5));   // ễ (Vietnamese)
  EXPECT_TRUE(detail::nfc_inert(0x2019));   // ’
  EXPECT_FALSE(detail::nfc_inert(0x0301));  // combining acute accent
  EXPECT_FALSE(detail::nfc_inert(0x212B));  // ANGSTROM SIGN, a singleton: NFC is U+00C5
  EXPECT_FALSE(detail::nfc_inert(0x0F73));  // excluded from composition
  EXPECT_FALSE(detail::nfc_inert(0x0CD5));  // composes onto U+0CBF
  EXPECT_FALSE(detail::nfc_inert(-1));
  EXPECT_FALSE(detail::nfc_inert(0x110000));
}

const std::vector<std::string>& names() {
  static const std::vector<std::string> list = {
      "Ana",
      "Zoë",
      "José",
      "Bjørn",
      "Siobhán",
      "Ömer",
      "Chloé",
      "Mary-Jane",
      "O’Example",
      "D'Sample",
      "Müller",
      "Sørensen",
      "García Márquez",
      "Nguyễn",
      "Trần Thị Ngọc Ánh",
      "Łukasz Żółć",
      "Dvořák",
      "Çağrı Şahin",
      "Ærøskøbing",
      "Þórunn Guðmundsdóttir",
      "Straße",
      "Ĳsbrand",
      "Ǆuro",
      "Αλέξανδρος",
      "Ιωάννα",
      "Дмитрий Шостакович",
      "Йосиф",
      "Ёлка",
      "אברהם",
      "محمد",
      "김민준",
      "한국어",
      "山田太郎",
      "ひらがな が",
      "カタカナ ガ",
      "देवनागरी",
      "क़लम",
      "தமிழ் ஔ",
      "ಕನ್ನಡ ೀ",
      "ශ්‍රී ලංකා ො",
      "ภาษาไทย",
      "ພາສາລາວ",
      "བོད་ཡིག ཱི",
      "Ωmega Ω",
      "Ångström Å",
      "ﬁsh ﬀ",
      "①②",
      "Ａｎａ",
      "e\xCC\x81",
      "Zoe\xCC\x88",
      "a\xCC\x8A\xCC\x81",
      "\xE1\x84\x80\xE1\x85\xA1",
      "가\xE1\x86\xA8",
      "\xF0\x9F\x98\x80 emoji",
      "\xF0\x9D\x85\x97\xF0\x9D\x85\xA5",  // U+1D157 U+1D165: composition-excluded musical symbols
      "ǅ",
      "ȘȚ șț",
      "Ạạ Ẹẹ",
      "q\xCC\x87\xCC\xA3",
      "Å\xCC\xA3"};
  return list;
}

TEST(NfcQuickCheck, NfcMatchesUtf8procOverNamesComposedDecomposedAndMixed) {
  size_t checked = 0;
  for (const auto& name : names()) {
    for (const std::string& form : {name, reference_nfd(name), reference_nfc(name),
                                    reference_nfd(name) + name, name + reference_nfd(name)}) {
      EXPECT_EQ(nfc(form), reference_nfc(form)) << form;
      ++checked;
    }
  }
  EXPECT_EQ(checked, names().size() * 5);
}

TEST(NfcQuickCheck, CleanTextMatchesTrimmedUtf8procNfcOverNames) {
  for (const auto& name : names()) {
    for (const std::string& form : {name, reference_nfd(name), "  " + reference_nfd(name) + " \t"}) {
      Diagnostics d;
      auto v = clean_text(form, "first_name", {.max_code_points = 100}, d);
      ASSERT_TRUE(v.has_value()) << form;
      EXPECT_EQ(*v, reference_nfc(trim(form))) << form;
      EXPECT_TRUE(d.ok());
    }
  }
}

TEST(NfcQuickCheck, NfcMatchesUtf8procOnEveryLineOfTheSharedCustomerFiles) {
  size_t lines = 0, non_ascii = 0;
  for (const char* dir :
       {"fake-customers", "shopify-customers", "magento2-customers", "prestashop-customers"}) {
    auto root = testing::data_file(dir);
    ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      std::string text = testing::read_file(entry.path());
      for (size_t start = 0; start < text.size();) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        if (!is_valid_utf8(line)) continue;
        ++lines;
        for (unsigned char c : line) {
          if (c >= 0x80) {
            ++non_ascii;
            break;
          }
        }
        ASSERT_EQ(nfc(line), reference_nfc(line)) << entry.path() << ": " << line;
        std::string nfd = reference_nfd(line);
        ASSERT_EQ(nfc(nfd), reference_nfc(nfd)) << entry.path() << ": " << line;
      }
    }
  }
  EXPECT_GT(lines, 1000u);
  EXPECT_GT(non_ascii, 10u);
}

}  // namespace
}  // namespace leadcustomers
