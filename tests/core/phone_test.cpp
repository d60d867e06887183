#include "leadcustomers/phone.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/text.hpp"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "support/test_support.hpp"

namespace leadcustomers {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// Parses and expects acceptance with no warning.
Phone accepted(std::string_view raw, std::string_view region) {
  Diagnostics d;
  auto p = parse_phone(raw, region, "phone", d);
  EXPECT_TRUE(d.errors().empty()) << raw << ": " << (d.errors().empty() ? "" : d.errors()[0].message);
  EXPECT_TRUE(d.warnings().empty()) << raw << ": " << (d.warnings().empty() ? "" : d.warnings()[0].message);
  EXPECT_TRUE(p.has_value()) << raw;
  return p.value_or(Phone{});
}

// Parses and expects exactly one refusal; returns it.
Violation refused(std::string_view raw, std::string_view region) {
  Diagnostics d;
  auto p = parse_phone(raw, region, "phone", d);
  EXPECT_FALSE(p.has_value()) << raw << " -> " << (p ? p->e164 : "");
  EXPECT_EQ(d.errors().size(), 1u) << raw;
  return d.errors().empty() ? Violation{} : d.errors()[0];
}

Phone phone(std::string e164, std::optional<std::string> extension = std::nullopt) {
  return Phone{std::move(e164), std::move(extension)};
}

TEST(Phone, SplitsXExtensionFromInternationalNumber) {
  EXPECT_EQ(accepted("+1 201 555 0123 x136", "US"), phone("+12015550123", "136"));
}

TEST(Phone, SplitsRfc3966Extension) {
  EXPECT_EQ(accepted("+1-201-555-0123;ext=137", "US"), phone("+12015550123", "137"));
}

TEST(Phone, SplitsExtDotExtension) {
  EXPECT_EQ(accepted("+1 201 555 0124 ext. 9", "US"), phone("+12015550124", "9"));
}

TEST(Phone, SplitsExtensionInEverySpelling) {
  for (const char* raw : {"+1 201 555 0123 extension 136", "+1 201 555 0123 ext 136",
                          "+1 201 555 0123 Ext: 136", "+1 201 555 0123 EXT. 136", "+1 201 555 0123 #136",
                          "+1 201 555 0123 x 136", "+1 201 555 0123x136", "+1 201 555 0123 extn 136"}) {
    EXPECT_EQ(accepted(raw, "US"), phone("+12015550123", "136")) << raw;
  }
}

TEST(Phone, DropsDanglingExtDotLabel) {
  EXPECT_EQ(accepted("+1 201 555 0124 ext.", "US"), phone("+12015550124"));
}

TEST(Phone, DropsDanglingLabelOfEverySpellingInsteadOfReadingKeypadLetters) {
  for (const char* raw : {"+1 201 555 0124 ext", "+1 201 555 0124 EXT:", "+1 201 555 0124 extension",
                          "+1 201 555 0124 extn.", "+1 201 555 0124 x", "+1 201 555 0124x",
                          "+1 201 555 0124 #", "+1-201-555-0124;ext=", "+1 201 555 0124, ext. "}) {
    EXPECT_EQ(accepted(raw, "US"), phone("+12015550124")) << raw;
  }
}

TEST(Phone, KeepsVanityLettersThatEndInX) {
  // `BOX` ends in x but is a word, not an extension label: the keypad reading is libphonenumber's.
  EXPECT_EQ(accepted("1-800-555-2BOX", "US"), phone("+18005552269"));
}

TEST(Phone, SplitsFakerExtensionFromNationalNumber) {
  Diagnostics d;
  auto p = parse_phone("(283)437-3886x88321", "US", "phone", d);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, phone("+12834373886", "88321"));
  EXPECT_TRUE(d.errors().empty());
}

TEST(Phone, ReadsFakerIddPrefixWhereThatIsTheRegionsIdd) {
  // 00 is Germany's international prefix, so `001-…` dials +1 from there; 599 is not an area code in use.
  Diagnostics d;
  auto p = parse_phone("001-599-042-7428x143", "DE", "phone", d);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, phone("+15990427428", "143"));
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].rule, "phone.not_valid");
}

TEST(Phone, RefusesFakerIddPrefixThatIsNotTheRegionsIdd) {
  // The US international prefix is 011, so from the US `001599…` is a 13-digit national number.
  auto v = refused("001-599-042-7428x143", "US");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '001-599-042-7428x143' is not possible: too long");
}

TEST(Phone, ParsesNationalNumberWithDefaultRegion) {
  EXPECT_EQ(accepted("(310) 650-0596", "US"), phone("+13106500596"));
  EXPECT_EQ(accepted("1 (818) 389-1685", "US"), phone("+18183891685"));
  EXPECT_EQ(accepted("0121 234 5678", "GB"), phone("+441212345678"));
}

TEST(Phone, TreatsDefaultRegionCaseInsensitively) {
  EXPECT_EQ(accepted("0121 234 5678", "gb"), phone("+441212345678"));
}

TEST(Phone, NumberWithPlusIgnoresDefaultRegion) {
  EXPECT_EQ(accepted("+44 121 234 5678", "US"), phone("+441212345678"));
  EXPECT_EQ(accepted("+16047154393", "DE"), phone("+16047154393"));
}

TEST(Phone, NumberWithPlusNeedsNoDefaultRegion) {
  EXPECT_EQ(accepted("+1 201 555 0123", ""), phone("+12015550123"));
}

TEST(Phone, RefusesNationalNumberWithoutKnownRegionAsUnparseable) {
  auto v = refused("201 555 0123", "");
  EXPECT_EQ(v.rule, "phone.unparseable");
  EXPECT_EQ(v.message, "phone number '201 555 0123' has no country code (+…) and the region '' is not known");
  EXPECT_EQ(refused("201 555 0123", "XX").rule, "phone.unparseable");
  EXPECT_EQ(refused("＋999 123456", "").rule, "phone.not_possible");
}

TEST(Phone, StripsLeadingApostropheGuard) {
  EXPECT_EQ(accepted("'+1 601-701-5114", "US"), phone("+16017015114"));
  EXPECT_EQ(accepted("  '(310) 650-0596 ", "US"), phone("+13106500596"));
}

TEST(Phone, RefusesSpreadsheetScientificNotationWithItsOwnRule) {
  auto v = refused("9.19961E+11", "US");
  EXPECT_EQ(v.field, "phone");
  EXPECT_EQ(v.rule, "phone.spreadsheet_mangled");
  EXPECT_EQ(v.message,
            "phone number '9.19961E+11' was turned into a number by a spreadsheet and its digits are lost; "
            "enter it again");
  for (const char* raw : {"7.02255E+12", "'9.19961E+11", "9,19961E+11", "9.19961e11", "9E+11"}) {
    EXPECT_EQ(refused(raw, "US").rule, "phone.spreadsheet_mangled") << raw;
  }
}

TEST(Phone, RefusesFloatRenderingOfANumberAsSpreadsheetMangled) {
  EXPECT_EQ(refused("2015550123.0", "US").rule, "phone.spreadsheet_mangled");
  EXPECT_EQ(refused("+12015550123.00", "US").rule, "phone.spreadsheet_mangled");
}

TEST(Phone, DoesNotTakeDottedNumberForSpreadsheetMangling) {
  EXPECT_EQ(accepted("201.555.0123", "US"), phone("+12015550123"));
}

TEST(Phone, RefusesTooShortNumberAsNotPossible) {
  auto v = refused("0481 ", "US");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '0481' is not possible: too short");
}

TEST(Phone, RefusesTooLongNumberAsNotPossible) {
  auto v = refused("821036584338", "US");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '821036584338' is not possible: too long");
}

TEST(Phone, RefusesLocalOnlyNumberAsNotPossible) {
  auto v = refused("555 0123", "US");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '555 0123' is not possible: a local number without its area code");
}

TEST(Phone, AcceptsLocalLengthNumberThatIsValidAsAWhole) {
  // Canada's 310-xxxx numbers are dialled without an area code and are complete numbers.
  EXPECT_EQ(accepted("310-1234", "CA"), phone("+13101234"));
}

TEST(Phone, RefusesUnknownCallingCodeAsNotPossible) {
  auto v = refused("+999 123456", "US");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '+999 123456' is not possible: no country has its calling code");
}

TEST(Phone, RefusesTextAsUnparseable) {
  auto v = refused("n/a", "US");
  EXPECT_EQ(v.rule, "phone.unparseable");
  EXPECT_EQ(v.message, "phone number 'n/a' is not a phone number");
  EXPECT_EQ(refused("ext.", "US").rule, "phone.unparseable");
  EXPECT_EQ(refused("-", "US").rule, "phone.unparseable");
}

TEST(Phone, AcceptsPossibleButInvalidNumberWithWarning) {
  Diagnostics d;
  auto p = parse_phone("+1 201 055 0123", "US", "phone", d);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, phone("+12010550123"));
  EXPECT_TRUE(d.ok());
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0],
            (Violation{"phone", "phone.not_valid",
                       "phone number '+1 201 055 0123' (+12010550123) has a possible length but is not an "
                       "assigned number range"}));
}

// Benin moved to ten-digit numbers (01 + the old eight) in 2024; Debian's libphonenumber (2022) calls them
// too long. parse_phone takes their validity from the newer metadata table (scripts/gen_phone_overlay.py).
TEST(Phone, AcceptsRangesOnlyTheNewerMetadataKnows) {
  EXPECT_EQ(accepted("+229 01 97 12 34 56", "US"), phone("+2290197123456"));
  EXPECT_EQ(accepted("01 97 12 34 56", "BJ"), phone("+2290197123456"));
  EXPECT_EQ(accepted("01 20 21 12 34", "BJ"), phone("+2290120211234"));  // fixed line
  // A Réunion VoIP number (+262 9399…), a range opened after 2022.
  EXPECT_EQ(accepted("0939 90 12 34", "RE"), phone("+262939901234"));
}

TEST(Phone, NewerMetadataOnlyAddsRanges) {
  // Ten digits in a block the new plan has not opened: still too long for the installed library, and no type
  // of the newer metadata takes it.
  auto v = refused("+229 01 00 00 00 00", "BJ");
  EXPECT_EQ(v.rule, "phone.not_possible");
  EXPECT_EQ(v.message, "phone number '+229 01 00 00 00 00' is not possible: too long");
  // An eight-digit number of the old plan stays valid: the installed library still knows it.
  EXPECT_EQ(accepted("+229 90 01 12 34", "BJ"), phone("+22990011234"));
}

TEST(Phone, RefusesInvalidUtf8) {
  auto v = refused("+1 201 555 0123\xC3", "US");
  EXPECT_EQ(v.field, "phone");
  EXPECT_EQ(v.rule, "text.invalid_utf8");
  EXPECT_EQ(v.message, "phone number '<invalid UTF-8>' is not valid UTF-8");
}

TEST(Phone, TreatsBlankAsAbsentWithoutViolation) {
  for (const char* raw : {"", "   ", "'", " ' "}) {
    Diagnostics d;
    EXPECT_FALSE(parse_phone(raw, "US", "phone", d).has_value()) << raw;
    EXPECT_TRUE(d.errors().empty()) << raw;
    EXPECT_TRUE(d.warnings().empty()) << raw;
  }
}

TEST(Phone, NamesFieldWithDiagnosticsScope) {
  Diagnostics d;
  {
    Diagnostics::Scope scope(d, "addresses[0]");
    EXPECT_FALSE(parse_phone("9.19961E+11", "US", "phone", d).has_value());
  }
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_EQ(d.errors()[0].field, "addresses[0].phone");
}

TEST(Phone, ReadsFullWidthDigits) {
  EXPECT_EQ(accepted("＋１ ２０１ ５５５ ０１２３", "US"), phone("+12015550123"));
}

// ---- corpora ----

std::string unquote_cell(std::string_view cell) {
  auto t = std::string(trim(cell));
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
  return t;
}

// Splits one `a ; b ; "c"` line of libphonenumber's metadata CSVs into unquoted, trimmed cells.
std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ';')) cells.push_back(unquote_cell(cell));
  return cells;
}

struct Example {
  std::string calling_code;
  std::string region;
  std::string type;
  std::string number;  // national significant number
};

std::vector<Example> load_examples() {
  auto root = testing::data_file("phone-numbers/libphonenumber/metadata");
  // Region -> calling code from metadata.csv, to cross-check each folder's name.
  std::map<std::string, std::string> code_of_region;
  std::istringstream meta(
      testing::read_file(testing::data_file("phone-numbers/libphonenumber/metadata/metadata.csv")));
  std::string line;
  std::getline(meta, line);
  while (std::getline(meta, line)) {
    auto cells = split_cells(line);
    if (cells.size() < 3) continue;
    code_of_region.emplace(cells[1], cells[0]);
    std::istringstream extra(cells[2]);
    for (std::string r; std::getline(extra, r, ',');) code_of_region.emplace(r, cells[0]);
  }
  std::vector<Example> out;
  std::set<std::filesystem::path> dirs;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (entry.is_directory()) dirs.insert(entry.path());
  for (const auto& dir : dirs) {
    std::string cc = dir.filename().string();
    std::istringstream in(testing::read_file(dir / "examples.csv"));
    std::getline(in, line);
    auto header = split_cells(line);  // some files add a fourth column, Comment
    header.resize(3);
    EXPECT_EQ(header, (std::vector<std::string>{"Region", "Type", "Number"})) << dir;
    while (std::getline(in, line)) {
      auto cells = split_cells(line);
      if (cells.empty() || (cells.size() == 1 && cells[0].empty())) continue;
      EXPECT_GE(cells.size(), 3u) << dir << ": " << line;
      if (cells.size() < 3) continue;
      if (cells[0] != "001") {
        EXPECT_EQ(code_of_region[cells[0]], cc) << "region " << cells[0];
      }
      out.push_back({cc, cells[0], cells[1], cells[2]});
    }
  }
  return out;
}

// Every example number of the (2026) libphonenumber metadata, in national form with its region, comes out of
// parse_phone as `+` + calling code + national number. Non-geographic entities (region 001: +800, +870, …)
// have no national form, so they go in as `+<cc><number>`.
TEST(PhoneCorpus, NormalizesEveryLibphonenumberExampleToItsE164) {
  auto examples = load_examples();
  ASSERT_EQ(examples.size(), 1148u);
  const auto& util = *PhoneNumberUtil::GetInstance();
  size_t normalized = 0, valid = 0, installed_valid = 0, newer_only = 0;
  for (const auto& ex : examples) {
    std::string expected = "+" + ex.calling_code + ex.number;
    std::string input = ex.region == "001" ? expected : ex.number;
    Diagnostics d;
    auto p = parse_phone(input, ex.region == "001" ? "" : ex.region, "phone", d);
    bool same = p && p->e164 == expected && !p->extension;
    normalized += same;
    if (!same) {
      std::printf("  normalization miss: %s %s %s -> %s (%s)\n", ex.region.c_str(), ex.type.c_str(),
                  input.c_str(), p ? p->e164.c_str() : "refused",
                  d.errors().empty() ? "" : d.errors()[0].rule.c_str());
    }
    // Valid as parse_phone answers: normalized, and no phone.not_valid warning.
    const bool ok = same && d.warnings().empty();
    valid += ok;
    if (same && !ok) {
      std::printf("  not valid: %s %s %s (%s)\n", ex.region.c_str(), ex.type.c_str(), expected.c_str(),
                  d.warnings()[0].rule.c_str());
    }
    // The installed libphonenumber alone, for comparison. Whatever it calls invalid must be a number of no
    // type it knows (a range its 2022 metadata predates): those are the ones parse_phone takes from the newer
    // metadata table.
    PhoneNumber n;
    const bool parsed = util.Parse(expected, "ZZ", &n) == PhoneNumberUtil::NO_PARSING_ERROR;
    const bool installed = parsed && util.IsValidNumber(n);
    installed_valid += installed;
    if (!installed) {
      EXPECT_TRUE(parsed && util.GetNumberType(n) == PhoneNumberUtil::UNKNOWN)
          << ex.region << " " << ex.type << " " << expected
          << " is known to the installed metadata but it does not call it valid";
      if (ok) {
        ++newer_only;
        std::printf("  valid only under the newer metadata: %s %s %s\n", ex.region.c_str(), ex.type.c_str(),
                    expected.c_str());
      }
    }
  }
  const double n = static_cast<double>(examples.size());
  const double normalized_pct = 100.0 * static_cast<double>(normalized) / n;
  const double valid_pct = 100.0 * static_cast<double>(valid) / n;
  std::printf(
      "libphonenumber examples: %zu/%zu normalized to their E.164 (%.2f%%), %zu/%zu valid (%.2f%%); the "
      "installed libphonenumber alone calls %zu/%zu valid (%.2f%%), %zu more are valid under the newer "
      "metadata table\n",
      normalized, examples.size(), normalized_pct, valid, examples.size(), valid_pct, installed_valid,
      examples.size(), 100.0 * static_cast<double>(installed_valid) / n, newer_only);
  EXPECT_GE(normalized_pct, 99.0);
  EXPECT_GE(valid_pct, 99.0);
  // Debian's 8.12.57 (2022) measured 1125/1148: any drop means parse_phone lost a number the library knows.
  EXPECT_GE(installed_valid, 1125u);
  EXPECT_EQ(valid, installed_valid + newer_only);
}

// The installed metadata's own example for every region and type goes through parse_phone unchanged and
// without a warning, so parse_phone adds no error of its own on top of libphonenumber.
TEST(PhoneCorpus, AcceptsEveryInstalledMetadataExampleCleanly) {
  const auto& util = *PhoneNumberUtil::GetInstance();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  ASSERT_GT(regions.size(), 240u);
  size_t checked = 0, misses = 0;
  for (const auto& region : regions) {
    std::set<PhoneNumberUtil::PhoneNumberType> types;
    util.GetSupportedTypesForRegion(region, &types);
    for (auto type : types) {
      PhoneNumber n;
      if (!util.GetExampleNumberForType(region, type, &n)) continue;
      std::string national, e164;
      util.GetNationalSignificantNumber(n, &national);
      util.Format(n, PhoneNumberUtil::E164, &e164);
      Diagnostics d;
      auto p = parse_phone(national, region, "phone", d);
      ++checked;
      if (!p || p->e164 != e164 || !d.warnings().empty()) {
        ++misses;
        ADD_FAILURE() << region << " type " << type << " " << national << " -> " << (p ? p->e164 : "refused")
                      << ", expected " << e164;
      }
    }
  }
  std::printf("installed metadata examples: %zu checked, %zu misses\n", checked, misses);
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace leadcustomers
