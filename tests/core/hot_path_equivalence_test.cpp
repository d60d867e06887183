// The fast paths of the decode/validate hot path (customer_decode_bench) must answer exactly as the code they
// stand in for: the inline UTF-8 decoder as utf8proc_iterate, the eight-bytes-at-a-time ASCII scans as a
// byte loop, the uuid text writer as Boost's, and the indexed field look-up of FieldReader as a scan.
#include <random>
#include <string>
#include <vector>

#include "boost/json.hpp"
#include "boost/uuid/uuid_io.hpp"
#include "detail/utf8_scan.hpp"
#include "engine/fields.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/memory_store.hpp"
#include "utf8proc.h"

namespace leadcustomers {
namespace {

// utf8proc's answer: length (0 when invalid) and code point.
std::pair<size_t, int32_t> reference(std::string_view s) {
  utf8proc_int32_t cp = -1;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                            static_cast<utf8proc_ssize_t>(s.size()), &cp);
  return {n <= 0 ? 0 : static_cast<size_t>(n), cp};
}

void expect_same_decoding(std::string_view s) {
  int32_t cp = 12345;
  size_t n = detail::decode_utf8(s, 0, cp);
  auto [want_n, want_cp] = reference(s);
  ASSERT_EQ(n, want_n) << "bytes " << std::hex << static_cast<int>(static_cast<unsigned char>(s[0]));
  ASSERT_EQ(cp, want_cp);
}

TEST(HotPath, DecoderAgreesWithUtf8procOnEveryOneToThreeByteSequence) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      // Every third byte after a continuation byte; a sample otherwise (the second byte decides first).
      bool cont = (b & 0xC0) == 0x80;
      for (int c : cont ? std::vector<int>{} : std::vector<int>{0x00, 0x41, 0x80, 0xBF, 0xC0, 0xFF}) {
        std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), 'x'};
        expect_same_decoding(s);
      }
      if (cont) {
        for (int c = 0; c < 256; ++c) {
          std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), '\x80'};
          expect_same_decoding(s);
          expect_same_decoding(std::string_view(s).substr(0, 3));
        }
      }
      std::string two{static_cast<char>(a), static_cast<char>(b)};
      expect_same_decoding(two);
      expect_same_decoding(std::string_view(two).substr(0, 1));
    }
  }
}

TEST(HotPath, DecoderReadsAtAnOffset) {
  std::string s = "a\xC3\xA9\xE2\x80\x99\xF0\x9F\x98\x80";  // a, é, ’, 😀
  int32_t cp = 0;
  EXPECT_EQ(detail::decode_utf8(s, 1, cp), 2u);
  EXPECT_EQ(cp, 0xE9);
  EXPECT_EQ(detail::decode_utf8(s, 3, cp), 3u);
  EXPECT_EQ(cp, 0x2019);
  EXPECT_EQ(detail::decode_utf8(s, 6, cp), 4u);
  EXPECT_EQ(cp, 0x1F600);
  EXPECT_EQ(detail::decode_utf8(s, 4, cp), 0u);  // a continuation byte
  EXPECT_EQ(cp, -1);
}

TEST(HotPath, WordScansAgreeWithByteLoops) {
  const unsigned char alphabet[] = {0x00, 0x09, 0x0A, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF};
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    size_t len = rng() % 40;
    std::string s;
    // Mostly printable text, so that the word loop runs over long clean stretches too.
    for (size_t i = 0; i < len; ++i)
      s.push_back(rng() % 8 == 0 ? static_cast<char>(alphabet[rng() % sizeof alphabet])
                                 : static_cast<char>(0x20 + rng() % 95));
    bool ascii = true, printable = true;
    for (unsigned char c : s) {
      ascii &= c < 0x80;
      printable &= c >= 0x20 && c < 0x7F;
    }
    ASSERT_EQ(detail::all_ascii(s), ascii) << s;
    ASSERT_EQ(detail::all_printable_ascii(s), printable) << s;
    for (size_t from = 0; from <= s.size(); ++from) {
      size_t run = 0;
      while (from + run < s.size() && static_cast<unsigned char>(s[from + run]) >= 0x20 &&
             static_cast<unsigned char>(s[from + run]) < 0x7F)
        ++run;
      ASSERT_EQ(detail::printable_ascii_run(s, from), run) << s << " from " << from;
    }
  }
}

TEST(HotPath, WordLowerCasingAgreesWithAByteLoop) {
  std::mt19937 rng(5);
  for (int round = 0; round < 20000; ++round) {
    size_t len = rng() % 40;
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>(rng() % 256));
    std::string want = s;
    for (auto& c : want)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string got(s.size(), '\0');
    detail::ascii_lower_copy(s.data(), s.size(), got.data());
    ASSERT_EQ(got, want);
    detail::ascii_lower_copy(s.data(), s.size(), s.data());  // in place
    ASSERT_EQ(s, want);
  }
  // Every byte value at every position of a word.
  for (int b = 0; b < 256; ++b) {
    for (size_t at = 0; at < 8; ++at) {
      std::string s(8, 'Q');
      s[at] = static_cast<char>(b);
      std::string got(8, '\0');
      detail::ascii_lower_copy(s.data(), 8, got.data());
      std::string want(8, 'q');
      want[at] = b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : static_cast<char>(b);
      ASSERT_EQ(got, want) << b << " at " << at;
    }
  }
}

TEST(HotPath, GraphicAsciiScanAgreesWithAByteLoop) {
  std::mt19937 rng(9);
  const unsigned char alphabet[] = {0x00, 0x1F, 0x20, 0x21, 0x41, 0x7E, 0x7F, 0x80, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    size_t len = rng() % 40;
    std::string s;
    for (size_t i = 0; i < len; ++i)
      s.push_back(rng() % 8 == 0 ? static_cast<char>(alphabet[rng() % sizeof alphabet])
                                 : static_cast<char>(0x21 + rng() % 94));
    bool graphic = true;
    for (unsigned char c : s) graphic &= c > 0x20 && c < 0x7F;
    ASSERT_EQ(detail::all_graphic_ascii(s), graphic) << s;
  }
}

// trim() decides that a code point below U+1680 is not white space without asking utf8proc unless it is
// U+0020 or U+00A0 (or one of the listed extras): the premise, from utf8proc's own data.
TEST(HotPath, NoSeparatorBelowOghamSpaceMarkButSpaceAndNoBreakSpace) {
  for (int32_t cp = 0; cp < 0x1680; ++cp) {
    auto cat = utf8proc_category(cp);
    bool separator =
        cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
    EXPECT_EQ(separator, cp == 0x20 || cp == 0xA0) << std::hex << cp;
  }
  EXPECT_EQ(utf8proc_category(0x1680), UTF8PROC_CATEGORY_ZS);
}

TEST(HotPath, UuidTextIsBoostsCanonicalForm) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 1000; ++round) {
    boost::uuids::uuid u{};
    for (auto& b : u.data) b = static_cast<uint8_t>(rng());
    ASSERT_EQ(detail::uuid_text(u), boost::uuids::to_string(u));
  }
}

// An object with `n` members "k0".."k{n-1}" (value i): many share a signature (length and first byte), so
// look-ups must compare keys.
boost::json::object members(size_t n) {
  boost::json::object o;
  for (size_t i = 0; i < n; ++i) o[std::string("k") + std::to_string(i)] = static_cast<int64_t>(i);
  return o;
}

TEST(HotPath, FieldReaderFindsEveryMemberAndReportsTheUnreadOnesInOrder) {
  for (size_t n : {0u, 1u, 5u, 31u, 32u, 33u, 64u, 65u, 100u}) {
    auto o = members(n);
    // The reader keeps views of the names it is asked for: they must outlive it.
    std::vector<std::string> names;
    for (size_t i = 0; i <= n; ++i) names.push_back(std::string("k") + std::to_string(i));
    detail::FieldReader f(o);
    for (size_t i = 0; i < n; i += 2) {
      auto p = f.int64(names[i]);
      ASSERT_TRUE(p.has_value()) << n << " " << i;
      EXPECT_EQ(p.value, static_cast<int64_t>(i));
    }
    EXPECT_FALSE(f.int64("absent").present);
    EXPECT_FALSE(f.int64("k").present);
    EXPECT_FALSE(f.int64(names[n]).present);
    auto status = f.finish("op");
    std::vector<std::string> unread;
    for (const auto& v : violations_of(status)) {
      EXPECT_EQ(v.rule, "command.unknown_field");
      EXPECT_EQ(v.message, "'op' has no field '" + v.field + "'");
      unread.push_back(v.field);
    }
    std::vector<std::string> want;
    for (size_t i = 1; i < n; i += 2) want.push_back(std::string("k") + std::to_string(i));
    EXPECT_EQ(unread, want) << n;
  }
}

TEST(HotPath, FieldReaderWithEveryMemberReadIsOk) {
  for (size_t n : {3u, 32u, 40u, 64u, 70u}) {
    auto o = members(n);
    std::vector<std::string> names;
    for (size_t i = 0; i < n; ++i) names.push_back(std::string("k") + std::to_string(i));
    detail::FieldReader f(o);
    for (const auto& name : names) f.ignore(name);
    EXPECT_TRUE(f.finish("op").ok()) << n;
  }
}

// ---- Engine::validate of customer.create fills only what its checks read (Fill::checks) ----------------

// A customer.create without an id, as the dry run (validate) and as the command (execute) see it: the
// same status code, the same violations (field, rule, message) and the same warnings, in the same order.
void expect_validate_agrees_with_execute(const boost::json::object& command) {
  const std::string shown = boost::json::serialize(command).substr(0, 160);
  MemoryStore dry_store, real_store;
  Engine dry(dry_store), real(real_store);
  Result v = dry.validate(command);
  Result e = real.execute(command);
  ASSERT_EQ(error_code_of(v.status), error_code_of(e.status)) << shown << "\n"
                                                              << v.status << "\n"
                                                              << e.status;
  EXPECT_EQ(v.status.message(), e.status.message()) << shown;
  EXPECT_EQ(violations_of(v.status), violations_of(e.status)) << shown;
  EXPECT_EQ(v.warnings, e.warnings) << shown;
  if (v.ok()) {
    EXPECT_TRUE(v.result.as_object().at("valid").as_bool()) << shown;
    EXPECT_TRUE(CustomerId::parse(v.result.as_object().at("id").as_string()).has_value()) << shown;
    EXPECT_EQ(v.result.as_object().size(), 2u) << shown;
  }
}

boost::json::object ana() {
  return boost::json::object{{"op", "customer.create"},
                             {"customer_type_id", 1},
                             {"first_name", "Ana"},
                             {"last_name", "Example"},
                             {"email", "ana.example@example.com"}};
}

boost::json::array tags(size_t distinct, size_t copies_of_first) {
  boost::json::array a;
  for (size_t i = 0; i < distinct; ++i) a.emplace_back("tag-" + std::to_string(i));
  for (size_t i = 0; i < copies_of_first; ++i) a.emplace_back(i % 2 == 0 ? "TAG-0" : " tag-0 ");
  return a;
}

boost::json::object attributes(size_t distinct, size_t folding_into_existing) {
  boost::json::object o;
  for (size_t i = 0; i < distinct; ++i) o["key." + std::to_string(i)] = "v";
  // " key.0 " and the like clean to a key already there: they replace its value, they add no attribute.
  for (size_t i = 0; i < folding_into_existing; ++i) o[std::string(i + 1, ' ') + "key.0"] = "w";
  return o;
}

TEST(HotPath, ValidateAgreesWithExecuteOnNamesNoteAndText) {
  std::vector<boost::json::object> commands;
  commands.push_back(ana());
  auto with = [&](std::string_view key, boost::json::value value) {
    auto c = ana();
    c[key] = std::move(value);
    commands.push_back(std::move(c));
  };
  with("first_name", "  Zoë \u00A0");
  with("first_name", "Jose\u0301");  // decomposed: NFC on the general path
  with("first_name", "");
  with("first_name", nullptr);
  with("first_name", "tab\there");
  with("first_name", boost::json::string(std::string(101, 'x')));
  with("last_name", "   ");
  with("note", "line one\r\nline two");
  with("note", boost::json::string(std::string(5001, 'n')));
  with("note", "bell\x07");
  with("note", "   ");
  with("status", "Inactive");
  with("status", "Sleeping");
  with("newsletter", true);
  with("tax_exempt", true);
  with("tags", boost::json::array{"vip", " VIP ", "", "x\x01y", 7});
  with("tags", "not-an-array");
  with("attributes", boost::json::object{{"", "empty key"}, {"n", 1}, {"ok", "line\nbreak"}});
  auto both_names_empty = ana();
  both_names_empty["first_name"] = "";
  both_names_empty["last_name"] = nullptr;
  commands.push_back(both_names_empty);
  auto several = ana();
  several["first_name"] = "a\x02";
  several["email"] = "no-at-sign";
  several["tags"] = boost::json::array{std::string(256, 't')};
  commands.push_back(several);
  for (const auto& c : commands) expect_validate_agrees_with_execute(c);
}

TEST(HotPath, ValidateAgreesWithExecuteAroundTheTagAndAttributeLimits) {
  // 250 tags at most (after de-duplication), 100 attributes at most (after their keys are cleaned): the dry
  // run de-duplicates only where the raw count passes the limit, and must still find exactly the same.
  for (auto [distinct, copies] : std::vector<std::pair<size_t, size_t>>{
           {250, 0}, {251, 0}, {250, 1}, {249, 5}, {250, 300}, {251, 3}, {10, 400}}) {
    auto c = ana();
    c["tags"] = tags(distinct, copies);
    SCOPED_TRACE(::testing::Message() << distinct << " distinct tags + " << copies << " copies");
    expect_validate_agrees_with_execute(c);
  }
  for (auto [distinct, folding] :
       std::vector<std::pair<size_t, size_t>>{{100, 0}, {101, 0}, {100, 1}, {99, 3}, {101, 2}, {5, 120}}) {
    auto c = ana();
    c["attributes"] = attributes(distinct, folding);
    SCOPED_TRACE(::testing::Message() << distinct << " distinct attributes + " << folding << " folding");
    expect_validate_agrees_with_execute(c);
  }
}

TEST(HotPath, ValidateWithTheIdOfAStoredCustomerAnswersAsExecuteDoes) {
  // With an id the dry run fills the whole aggregate: the same content answers the stored document, other
  // content id.taken, as customer.create does.
  MemoryStore store;
  Engine engine(store);
  auto c = ana();
  c["id"] = "018f0000-0000-7000-8000-0000000000aa";
  c["tags"] = boost::json::array{"vip", "VIP"};
  c["note"] = "hello";
  ASSERT_TRUE(engine.execute(c).ok());
  Result same = engine.validate(c);
  ASSERT_TRUE(same.ok()) << same.status;
  EXPECT_EQ(same.result.as_object().at("id").as_string(), "018f0000-0000-7000-8000-0000000000aa");
  EXPECT_EQ(boost::json::serialize(same.result.as_object().at("tags")), R"(["vip"])");
  c["note"] = "other";
  Result other = engine.validate(c);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(violations_of(other.status).at(0).rule, "id.taken");
}

}  // namespace
}  // namespace leadcustomers
