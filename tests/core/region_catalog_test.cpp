#include "leadcustomers/region_catalog.hpp"

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detail/region_table.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/text.hpp"

namespace leadcustomers {
namespace {

// The fixture rows: facts the generator derived from Shopify's region files (see the .inc's header and
// docs/decisions-region.md, "Test fixture").
struct ExampleAddress {
  const char* region;
  const char* province;
  const char* city;
  const char* zip;  // nullptr: the example has no postal code
};
struct ZoneFact {
  const char* region;
  const char* code;
  const char* name;
  const char* canonical;
  const char* example_city;
  const char* example_zip;
};
struct PrefixFact {
  const char* region;
  const char* zone;
  const char* prefix;
  const char* zip;
  const char* other;
};
#include "core/region_examples.inc"

const RegionCatalog& catalog() { return RegionCatalog::instance(); }

std::string rules_of(const Diagnostics& d) {
  std::string out;
  for (const auto& v : d.errors()) out += (out.empty() ? "" : ",") + v.field + ":" + v.rule;
  return out;
}

Violation only_violation(const absl::Status& s) {
  auto v = violations_of(s);
  EXPECT_EQ(v.size(), 1u) << s;
  return v.empty() ? Violation{} : v[0];
}

std::string state_code(std::string_view region, std::string_view text) {
  auto s = catalog().lookup_state(region, text);
  return s.ok() ? std::string(s->code) : "error:" + only_violation(s.status()).rule;
}

// ---- the table ------------------------------------------------------------------------------------------

TEST(RegionCatalog, BuildsItsIndexesWithoutCollisionsOrBadPatterns) {
  const auto& report = detail::region_build_report();
  EXPECT_TRUE(report.collisions.empty()) << ::testing::PrintToString(report.collisions);
  EXPECT_TRUE(report.bad_patterns.empty()) << ::testing::PrintToString(report.bad_patterns);
  std::cout << "[ figures  ] region catalog: " << catalog().regions().size() << " regions, "
            << detail::subdivision_rows().size() << " subdivisions, " << report.code_keys << " code keys, "
            << report.name_keys << " name keys\n";
}

// The indexes fold in one pass (speed); that must give exactly fold_for_match's key.
TEST(RegionCatalog, FoldsExactlyLikeFoldForMatch) {
  std::size_t checked = 0;
  auto check = [&checked](std::string_view s) {
    EXPECT_EQ(detail::fold_key(s), fold_for_match(s)) << s;
    ++checked;
  };
  for (const auto& row : detail::region_rows()) {
    check(row.name);
    check(row.alternate_names);
  }
  for (const auto& row : detail::subdivision_rows()) {
    check(row.name);
    check(row.alias_names);
    check(row.alias_codes);
  }
  for (std::string_view s :
       {"  U.S.A. ", "Hawke's Bay", "Q ROO", "a&b", "x$y+z<=>^`|~", "tab\there", "--", "", "Côte d'Ivoire",
        "D.F.", "(EH-partial)", "a_b{c}[d]\\e@f#g%h*i!j?k;l:m/n\"o\""})
    check(s);
  EXPECT_GT(checked, 10000u);
}

TEST(RegionCatalog, HoldsEveryIsoCountryPlusShopifysThreeNonIsoRegions) {
  std::size_t iso = 0;
  std::vector<std::string> non_iso;
  for (const Region& r : catalog().regions()) {
    if (r.iso) {
      ++iso;
    } else {
      non_iso.emplace_back(r.code);
    }
  }
  EXPECT_EQ(iso, 249u);  // every entry of iso-codes' iso_3166-1.json
  EXPECT_EQ(non_iso, (std::vector<std::string>{"AC", "TA", "XK"}));
}

TEST(RegionCatalog, HoldsEveryIsoSubdivisionPlusTheDocumentedNonIsoZones) {
  std::size_t iso = 0;
  std::set<std::string> non_iso;
  for (const Region& r : catalog().regions()) {
    for (const Subdivision& s : catalog().subdivisions(r.code)) {
      EXPECT_EQ(s.region, r.code);
      if (s.iso) {
        ++iso;
      } else {
        non_iso.emplace(s.code);
      }
    }
  }
  EXPECT_EQ(iso, 5127u);  // every entry of iso-codes' iso_3166-2.json (some under their current code)
  EXPECT_EQ(non_iso,
            (std::set<std::string>{"EG-HU", "EG-SU", "GB-BFP", "HK-HK", "HK-KL", "HK-NT", "IT-CI", "IT-OG",
                                   "IT-OT", "IT-VS", "US-AA", "US-AE", "US-AP", "US-FM", "US-MH", "US-PW"}));
}

TEST(RegionCatalog, CompilesEveryZipPattern) {
  std::size_t patterns = 0;
  for (const Region& r : catalog().regions()) patterns += !catalog().rules(r.code)->zip_pattern.empty();
  EXPECT_EQ(patterns, 190u);
  EXPECT_TRUE(detail::region_build_report().bad_patterns.empty());
}

// ---- Shopify's own data ---------------------------------------------------------------------------------

TEST(RegionCatalog, ValidatesEveryShopifyExampleAddress) {
  // The only exception, explained in docs/decisions-region.md: Shopify's AU example has no postcode.
  const std::map<std::string, std::string> expected_failures = {{"AU", "zip:zip.required"}};
  std::map<std::string, std::string> failures;
  std::size_t valid = 0;
  for (const ExampleAddress& ex : kExampleAddresses) {
    Diagnostics d;
    auto loc = catalog().validate_location(
        {.region = ex.region, .state = ex.province, .city = ex.city, .zip = ex.zip ? ex.zip : ""}, d);
    if (loc) {
      ++valid;
      EXPECT_EQ(loc->region, ex.region);
    } else {
      failures[ex.region] = rules_of(d);
    }
  }
  std::cout << "[ figures  ] example addresses: " << std::size(kExampleAddresses) << ", valid " << valid
            << ", documented exceptions " << failures.size() << "\n";
  EXPECT_EQ(std::size(kExampleAddresses), 238u);
  EXPECT_EQ(failures, expected_failures);
}

TEST(RegionCatalog, ResolvesEveryShopifyZoneByCodeAndByName) {
  std::size_t by_code = 0, by_name = 0, non_iso = 0;
  for (const ZoneFact& z : kZones) {
    auto code = catalog().lookup_state(z.region, z.code);
    auto name = catalog().lookup_state(z.region, z.name);
    if (code.ok() && code->code == z.canonical) ++by_code;
    if (name.ok() && name->code == z.canonical) ++by_name;
    EXPECT_TRUE(code.ok() && code->code == z.canonical) << z.region << " " << z.code;
    EXPECT_TRUE(name.ok() && name->code == z.canonical) << z.region << " " << z.name;
    if (code.ok() && !code->iso) ++non_iso;
  }
  std::cout << "[ figures  ] Shopify zones: " << std::size(kZones) << ", resolved by code " << by_code
            << ", by name " << by_name << " (" << non_iso << " to documented non-ISO subdivisions)\n";
  EXPECT_EQ(std::size(kZones), 1129u);
  EXPECT_EQ(by_code, std::size(kZones));
  EXPECT_EQ(by_name, std::size(kZones));
}

TEST(RegionCatalog, ValidatesEachUsZoneWithItsExampleCityAndZip) {
  std::size_t checked = 0;
  for (const ZoneFact& z : kZones) {
    if (!*z.example_zip) continue;
    Diagnostics d;
    auto loc = catalog().validate_location(
        {.region = z.region, .state = z.code, .city = z.example_city, .zip = z.example_zip}, d);
    ASSERT_TRUE(loc.has_value()) << z.region << " " << z.code << " " << rules_of(d);
    EXPECT_EQ(loc->state, z.canonical);
    EXPECT_EQ(loc->zip, z.example_zip);
    ++checked;
  }
  std::cout << "[ figures  ] zone example city/zip pairs validated: " << checked << "\n";
  EXPECT_EQ(checked, 62u);
}

TEST(RegionCatalog, AcceptsAPostcodeBuiltFromAZonePrefixOnlyWithAZoneItFits) {
  std::size_t accepted = 0, refused = 0, unbuilt = 0, no_other = 0;
  for (const PrefixFact& p : kPrefixes) {
    if (!*p.zip) {
      ++unbuilt;
      continue;
    }
    Diagnostics ok;
    auto loc =
        catalog().validate_location({.region = p.region, .state = p.zone, .city = "X", .zip = p.zip}, ok);
    EXPECT_TRUE(loc.has_value()) << p.zone << " prefix " << p.prefix << " zip " << p.zip << " "
                                 << rules_of(ok);
    accepted += loc.has_value();
    if (!*p.other) {
      ++no_other;
      continue;
    }
    Diagnostics bad;
    EXPECT_FALSE(
        catalog().validate_location({.region = p.region, .state = p.other, .city = "X", .zip = p.zip}, bad));
    EXPECT_EQ(rules_of(bad), "zip:zip.state_mismatch") << p.other << " zip " << p.zip;
    refused += rules_of(bad) == "zip:zip.state_mismatch";
  }
  std::cout << "[ figures  ] zone prefixes: " << std::size(kPrefixes) << ", accepted with their zone "
            << accepted << ", refused with another zone " << refused << ", not buildable " << unbuilt
            << ", without another zone " << no_other << "\n";
  EXPECT_EQ(accepted, std::size(kPrefixes));
  EXPECT_EQ(refused, std::size(kPrefixes));
}

// ---- countries ------------------------------------------------------------------------------------------

TEST(RegionCatalog, FindsCountryByCodeInAnyCaseAndByAlpha3) {
  EXPECT_EQ(catalog().find_country("us")->code, "US");
  EXPECT_EQ(catalog().find_country(" De ")->code, "DE");
  EXPECT_EQ(catalog().find_country("usa")->code, "US");
  EXPECT_EQ(catalog().find_country("DEU")->code, "DE");
}

TEST(RegionCatalog, FindsCountryByNameAndAlternateNames) {
  EXPECT_EQ(catalog().find_country("Germany")->code, "DE");
  EXPECT_EQ(catalog().find_country("United States of America")->code, "US");
  EXPECT_EQ(catalog().find_country("U.S.A.")->code, "US");
  EXPECT_EQ(catalog().find_country("UK")->code, "GB");
  EXPECT_EQ(catalog().find_country("great britain")->code, "GB");
  EXPECT_EQ(catalog().find_country("South Korea")->code, "KR");
  EXPECT_EQ(catalog().find_country("Korea, Republic of")->code, "KR");
  EXPECT_EQ(catalog().find_country("Slovakia (Slovak Republic)")->code, "SK");
  EXPECT_EQ(catalog().find_country("COTE D'IVOIRE")->code, "CI");
  EXPECT_EQ(catalog().find_country("Türkiye")->code, "TR");
  EXPECT_EQ(catalog().find_country("Czechia")->code, "CZ");
}

TEST(RegionCatalog, ReportsTheEnglishNameAndAlpha3) {
  auto kr = catalog().find_country("kr");
  ASSERT_TRUE(kr.ok());
  EXPECT_EQ(*kr, (Region{"KR", "KOR", "South Korea", true}));
  EXPECT_EQ(*catalog().find_country("XK"), (Region{"XK", "", "Kosovo", false}));
}

TEST(RegionCatalog, RefusesUnknownAndBlankCountry) {
  auto unknown = catalog().find_country("Atlantis");
  EXPECT_EQ(error_code_of(unknown.status()), ErrorCode::validation_failed);
  EXPECT_EQ(only_violation(unknown.status()),
            (Violation{"region", "region.unknown", "'Atlantis' is not a known country or region"}));
  EXPECT_EQ(only_violation(catalog().find_country("  ").status()).rule, "region.required");
  EXPECT_EQ(only_violation(catalog().find_country("ZZ").status()).rule, "region.unknown");
}

// ---- states ---------------------------------------------------------------------------------------------

TEST(RegionCatalog, LooksUpStateByFullCodeSuffixAndName) {
  EXPECT_EQ(state_code("US", "US-CA"), "US-CA");
  EXPECT_EQ(state_code("US", "ca"), "US-CA");
  EXPECT_EQ(state_code("us", " California "), "US-CA");
  EXPECT_EQ(state_code("United States", "us-ca"), "US-CA");
  auto s = catalog().lookup_state("US", "CA");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (Subdivision{"US-CA", "California", "US", true}));
}

TEST(RegionCatalog, LooksUpStateNamesIgnoringCaseAndDiacritics) {
  EXPECT_EQ(state_code("IN", "Telangana"), "IN-TS");
  EXPECT_EQ(state_code("IN", "TELANGĀNA"), "IN-TS");
  EXPECT_EQ(state_code("CA", "québec"), "CA-QC");
  EXPECT_EQ(state_code("CA", "QUEBEC"), "CA-QC");
  EXPECT_EQ(state_code("MX", "Nuevo Leon"), "MX-NLE");
  EXPECT_EQ(state_code("JP", "tokyo"), "JP-13");
}

TEST(RegionCatalog, MakesTheCurrentIsoCodeCanonicalAndKeepsOldOnesAsAliases) {
  EXPECT_EQ(state_code("IN", "CT"), "IN-CG");
  EXPECT_EQ(state_code("IN", "IN-UT"), "IN-UK");
  EXPECT_EQ(state_code("IN", "TG"), "IN-TS");
  EXPECT_EQ(state_code("IN", "OR"), "IN-OD");
  EXPECT_EQ(state_code("IN", "UL"), "IN-UK");
  EXPECT_EQ(state_code("IN", "DN"), "IN-DH");
  EXPECT_EQ(state_code("IN", "DD"), "IN-DH");
  EXPECT_EQ(state_code("GT", "GT-GU"), "GT-01");
  EXPECT_EQ(state_code("MX", "DIF"), "MX-CMX");
  EXPECT_EQ(state_code("CN", "CN-44"), "CN-GD");
  EXPECT_EQ(state_code("NZ", "AK"), "NZ-AUK");
}

TEST(RegionCatalog, ResolvesShopifyZoneCodesThatDifferFromIso) {
  EXPECT_EQ(state_code("KR", "KR-41"), "KR-41");
  EXPECT_EQ(state_code("MY", "SGR"), "MY-10");
  EXPECT_EQ(state_code("GB", "ENG"), "GB-ENG");
  EXPECT_EQ(state_code("GB", "SCT"), "GB-SCT");
  EXPECT_EQ(state_code("MX", "AGS"), "MX-AGU");
  EXPECT_EQ(state_code("MX", "DF"), "MX-CMX");
  EXPECT_EQ(state_code("GT", "GUA"), "GT-01");
  EXPECT_EQ(state_code("JP", "JP-13"), "JP-13");
  EXPECT_EQ(state_code("ZA", "NL"), "ZA-KZN");
  EXPECT_EQ(state_code("IT", "AO"), "IT-23");
  EXPECT_EQ(state_code("AU", "AC"), "AU-ACT");  // Brian Dunning's sample data
}

TEST(RegionCatalog, KeepsShopifyZonesIsoHasNoCodeFor) {
  auto aa = catalog().lookup_state("US", "AA");
  ASSERT_TRUE(aa.ok());
  EXPECT_EQ(*aa, (Subdivision{"US-AA", "Armed Forces Americas", "US", false}));
  EXPECT_EQ(state_code("GB", "BFP"), "GB-BFP");
  EXPECT_EQ(state_code("IT", "Ogliastra"), "IT-OG");
}

// SPEC §4.4 of the data README: the three spellings (ISO, libaddressinput key, Shopify code) of one state.
TEST(RegionCatalog, AcceptsTheThreeSpellingsOfAStateInEightCountries) {
  struct Case {
    const char* region;
    const char* iso;
    const char* google_key;
    const char* shopify;
    const char* canonical;
  };
  const Case cases[] = {
      {"US", "US-NY", "NY", "NY", "US-NY"},
      {"CA", "CA-QC", "QC", "PQ", "CA-QC"},  // Shopify's alternate code for Quebec
      {"AU", "AU-ACT", "ACT", "ACT", "AU-ACT"},
      {"MX", "MX-CMX", "D.F.", "DF", "MX-CMX"},
      {"MX", "MX-AGU", "AGS", "AGS", "MX-AGU"},
      {"JP", "JP-13", "東京都", "JP-13", "JP-13"},
      {"IN", "IN-UK", "Uttarakhand", "UK", "IN-UK"},
      {"IN", "IN-TS", "Telangana", "TS", "IN-TS"},
      {"KR", "KR-11", "서울특별시", "KR-11", "KR-11"},
      {"KR", "KR-41", "경기도", "KR-41", "KR-41"},
      {"GB", "GB-SCT", "Scotland", "SCT", "GB-SCT"},  // libaddressinput has no GB sub-keys: the name
  };
  for (const Case& c : cases) {
    EXPECT_EQ(state_code(c.region, c.iso), c.canonical) << c.iso;
    EXPECT_EQ(state_code(c.region, c.google_key), c.canonical) << c.google_key;
    EXPECT_EQ(state_code(c.region, c.shopify), c.canonical) << c.shopify;
  }
}

TEST(RegionCatalog, RefusesAStateOfAnotherCountry) {
  auto s = catalog().lookup_state("US", "CA-ON");
  EXPECT_EQ(error_code_of(s.status()), ErrorCode::validation_failed);
  EXPECT_EQ(only_violation(s.status()),
            (Violation{"state", "state.wrong_region",
                       "'CA-ON' is a subdivision of Canada (CA), not of United States (US)"}));
}

TEST(RegionCatalog, RefusesAnUnknownState) {
  auto s = catalog().lookup_state("US", "Ontario");
  EXPECT_EQ(only_violation(s.status()),
            (Violation{"state", "state.unknown", "'Ontario' is not a subdivision of United States (US)"}));
  EXPECT_EQ(state_code("NL", "XX"), "error:state.unknown");
  EXPECT_EQ(state_code("AQ", "Anything"), "error:state.unknown");
}

TEST(RegionCatalog, LookupStateRefusesAnUnknownRegionOnFieldRegion) {
  auto s = catalog().lookup_state("Atlantis", "CA");
  EXPECT_EQ(only_violation(s.status()).field, "region");
  EXPECT_EQ(only_violation(s.status()).rule, "region.unknown");
}

TEST(RegionCatalog, ListsUsStatesInShopifysOrder) {
  auto states = catalog().states("US");
  ASSERT_EQ(states.size(), 62u);
  EXPECT_EQ(states[0].code, "US-AL");
  EXPECT_EQ(states[1].code, "US-AK");
  EXPECT_EQ(states[2].code, "US-AS");
  EXPECT_EQ(catalog().subdivisions("US").size(), 63u);  // plus US-UM, which Shopify has as a country
}

TEST(RegionCatalog, ListsTopLevelIsoSubdivisionsByNameWhereShopifyHasNoZones) {
  auto states = catalog().states("NL");
  ASSERT_EQ(states.size(), 18u);  // 12 provinces, 3 countries, 3 special municipalities
  for (std::size_t i = 1; i < states.size(); ++i)
    EXPECT_LE(fold_for_match(states[i - 1].name), fold_for_match(states[i].name));
  EXPECT_TRUE(catalog().states("ZZ").empty());
}

TEST(RegionCatalog, ExposesTheRulesOfARegion) {
  auto us = catalog().rules("US");
  ASSERT_TRUE(us.has_value());
  EXPECT_TRUE(us->state_required);
  EXPECT_TRUE(us->city_required);
  EXPECT_EQ(us->zip, ZipRequirement::required);
  EXPECT_EQ(us->zip_source, ZipSource::shopify);
  EXPECT_EQ(us->zip_pattern, "^\\d{5}(-\\d{4})?$");
  EXPECT_EQ(us->zip_example, "90210");
  auto nl = catalog().rules("Netherlands");
  EXPECT_FALSE(nl->state_required);
  EXPECT_EQ(catalog().rules("GB")->state_required, false);  // Shopify hides GB's provinces
  EXPECT_EQ(catalog().rules("NZ")->state_required, false);  // province_optional
  EXPECT_EQ(catalog().rules("SG")->city_required, false);
  EXPECT_EQ(catalog().rules("CO")->zip, ZipRequirement::recommended);
  EXPECT_EQ(catalog().rules("CO")->zip_source, ZipSource::google);
  EXPECT_EQ(catalog().rules("VN")->zip, ZipRequirement::optional);
  EXPECT_FALSE(catalog().rules("Atlantis").has_value());
}

// ---- validate_location ----------------------------------------------------------------------------------

// C06: one per-region rule table: NL needs no state; the same address in the US without a state is refused.
TEST(RegionCatalog, C06NetherlandsNeedsNoStateButUsDoes) {
  Diagnostics nl;
  auto loc = catalog().validate_location({.region = "NL", .city = "Amsterdam", .zip = "1011 AB"}, nl);
  ASSERT_TRUE(loc.has_value()) << rules_of(nl);
  EXPECT_EQ(*loc, (Location{"NL", std::nullopt, std::nullopt, "1011 AB"}));

  Diagnostics us;
  EXPECT_FALSE(catalog().validate_location({.region = "US", .city = "Amsterdam", .zip = "10001"}, us));
  ASSERT_EQ(us.errors().size(), 1u);
  EXPECT_EQ(us.errors()[0], (Violation{"state", "state.required", "is required for United States (US)"}));
}

TEST(RegionCatalog, ReturnsTheCanonicalLocation) {
  Diagnostics d;
  auto loc =
      catalog().validate_location({.region = "us", .state = "ca", .city = "Los Angeles", .zip = "90011"}, d);
  ASSERT_TRUE(loc.has_value()) << rules_of(d);
  EXPECT_EQ(*loc, (Location{"US", "US-CA", "California", "90011"}));
  EXPECT_TRUE(d.warnings().empty());
}

TEST(RegionCatalog, NormalizesThePostalCode) {
  EXPECT_EQ(normalize_postal_code("  sw1a   1aa "), "SW1A 1AA");
  EXPECT_EQ(normalize_postal_code("１０００１"), "10001");  // NFKC: full-width digits
  EXPECT_EQ(normalize_postal_code("02134"), "02134");       // leading zeros are kept
  EXPECT_EQ(normalize_postal_code("1011\u00A0ab"), "1011 AB");
  EXPECT_EQ(normalize_postal_code(" "), "");
}

TEST(RegionCatalog, StoresTheNormalizedPostalCode) {
  Diagnostics d;
  auto loc = catalog().validate_location({.region = "NL", .city = "Amsterdam", .zip = " 1011   ab "}, d);
  ASSERT_TRUE(loc.has_value()) << rules_of(d);
  EXPECT_EQ(loc->zip, "1011 AB");
  Diagnostics us;
  auto zero =
      catalog().validate_location({.region = "US", .state = "MA", .city = "Boston", .zip = "02134"}, us);
  ASSERT_TRUE(zero.has_value()) << rules_of(us);
  EXPECT_EQ(zero->zip, "02134");
}

TEST(RegionCatalog, RefusesAPostalCodeThatBreaksThePattern) {
  Diagnostics d;
  EXPECT_FALSE(
      catalog().validate_location({.region = "US", .state = "NY", .city = "New York", .zip = "1234"}, d));
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_EQ(d.errors()[0],
            (Violation{"zip", "zip.invalid_format",
                       "'1234' is not a postal code of United States (US) (for example '90210')"}));
}

TEST(RegionCatalog, MatchesThePatternCaseInsensitivelyAfterNormalizing) {
  Diagnostics d;
  auto loc =
      catalog().validate_location({.region = "CA", .state = "ON", .city = "Ottawa", .zip = "k1a 0b1"}, d);
  ASSERT_TRUE(loc.has_value()) << rules_of(d);
  EXPECT_EQ(loc->zip, "K1A 0B1");
}

TEST(RegionCatalog, RefusesAPostalCodeOutsideTheStatesPrefixes) {
  Diagnostics d;
  EXPECT_FALSE(
      catalog().validate_location({.region = "US", .state = "NY", .city = "New York", .zip = "90011"}, d));
  ASSERT_EQ(d.errors().size(), 1u);
  EXPECT_EQ(d.errors()[0],
            (Violation{"zip", "zip.state_mismatch", "'90011' is not a postal code of New York (US-NY)"}));
}

TEST(RegionCatalog, AcceptsAPostalCodeShopifyKnowsToCrossABorder) {
  Diagnostics d;  // 42223 starts like Kentucky's codes but also serves Tennessee
  EXPECT_TRUE(catalog().validate_location(
      {.region = "US", .state = "TN", .city = "Fort Campbell", .zip = "42223"}, d))
      << rules_of(d);
}

TEST(RegionCatalog, ChecksGooglesPrefixRegexWhereShopifyHasNoPrefixes) {
  Diagnostics tokyo;
  EXPECT_TRUE(catalog().validate_location(
      {.region = "JP", .state = "13", .city = "Chiyoda", .zip = "100-0014"}, tokyo))
      << rules_of(tokyo);
  Diagnostics osaka;
  EXPECT_FALSE(catalog().validate_location(
      {.region = "JP", .state = "13", .city = "Osaka", .zip = "530-0001"}, osaka));
  EXPECT_EQ(rules_of(osaka), "zip:zip.state_mismatch");
}

TEST(RegionCatalog, RequiresThePostalCodeWhereTheRegionDoes) {
  Diagnostics d;
  EXPECT_FALSE(catalog().validate_location({.region = "DE", .city = "Berlin"}, d));
  EXPECT_EQ(rules_of(d), "zip:zip.required");
}

TEST(RegionCatalog, WarnsWhenARecommendedPostalCodeIsMissing) {
  Diagnostics d;
  auto loc = catalog().validate_location({.region = "CO", .state = "DC", .city = "Bogotá"}, d);
  ASSERT_TRUE(loc.has_value()) << rules_of(d);
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].field, "zip");
  EXPECT_EQ(d.warnings()[0].rule, "zip.recommended");
  EXPECT_EQ(loc->zip, std::nullopt);
}

TEST(RegionCatalog, AcceptsAMissingOptionalPostalCode) {
  Diagnostics d;
  EXPECT_TRUE(catalog().validate_location({.region = "VN", .city = "Hà Nội"}, d)) << rules_of(d);
  EXPECT_TRUE(d.warnings().empty());
}

TEST(RegionCatalog, RequiresTheCityUnlessTheRegionFillsItIn) {
  Diagnostics us;
  EXPECT_FALSE(catalog().validate_location({.region = "US", .state = "NY", .zip = "10001"}, us));
  EXPECT_EQ(us.errors().at(0), (Violation{"city", "city.required", "is required for United States (US)"}));
  Diagnostics sg;
  EXPECT_TRUE(catalog().validate_location({.region = "SG", .zip = "018956"}, sg)) << rules_of(sg);
}

TEST(RegionCatalog, ReportsEveryViolationAtOnce) {
  Diagnostics d;
  EXPECT_FALSE(catalog().validate_location({.region = "US", .state = "Atlantis", .zip = "ABCDE"}, d));
  EXPECT_EQ(rules_of(d), "state:state.unknown,city:city.required,zip:zip.invalid_format");
}

TEST(RegionCatalog, RefusesAMissingOrUnknownRegion) {
  Diagnostics blank;
  EXPECT_FALSE(catalog().validate_location({.region = " ", .city = "X"}, blank));
  EXPECT_EQ(rules_of(blank), "region:region.required");
  Diagnostics unknown;
  EXPECT_FALSE(catalog().validate_location({.region = "Atlantis", .city = "X"}, unknown));
  EXPECT_EQ(rules_of(unknown), "region:region.unknown");
}

TEST(RegionCatalog, RefusesInvalidUtf8OnItsField) {
  Diagnostics d;
  EXPECT_FALSE(catalog().validate_location({.region = "NL", .city = "Amsterdam", .zip = "1011\xC3"}, d));
  EXPECT_EQ(rules_of(d), "zip:text.invalid_utf8");
}

TEST(RegionCatalog, FieldPathsFollowTheCallersScope) {
  Diagnostics d;
  {
    Diagnostics::Scope scope(d, "addresses[0]");
    EXPECT_FALSE(catalog().validate_location({.region = "US", .state = "CA-ON", .city = "X", .zip = "1"}, d));
  }
  EXPECT_EQ(rules_of(d), "addresses[0].state:state.wrong_region,addresses[0].zip:zip.invalid_format");
}

}  // namespace
}  // namespace leadcustomers
