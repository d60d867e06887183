#include "leadcustomers/region_catalog.hpp"

#include <array>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "detail/region_table.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"
#include "re2/re2.h"
#include "utf8proc.h"

namespace leadcustomers {
namespace detail {

#include "region_data.inc"

std::span<const RegionRow> region_rows() { return kRegionRows; }
std::span<const SubdivisionRow> subdivision_rows() { return kSubdivisionRows; }

}  // namespace detail

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint16_t kNoRegion = std::numeric_limits<std::uint16_t>::max();
// Longer postal codes are refused without running a pattern (no postal code is this long; the limit predates
// RE2, whose matching time is linear, and is kept so the answers stay the same).
constexpr std::size_t kMaxPatternInput = 64;

// absl's maps take a std::string_view key for find() only with a transparent hash and equality
// (Debian's Abseil has its own absl::string_view).
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return absl::Hash<std::string_view>{}(s); }
};
struct ViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
using Index = absl::flat_hash_map<std::string, std::uint32_t, ViewHash, ViewEq>;

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool is_space(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xFEFF || cp == 0x200B) return true;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// trim() decodes through utf8proc; most look-ups get short ASCII text with nothing to trim.
std::string_view fast_trim(std::string_view s) {
  if (!s.empty()) {
    auto first = static_cast<unsigned char>(s.front()), last = static_cast<unsigned char>(s.back());
    if (first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F) return s;
  }
  return trim(s);
}

// The ASCII characters of Unicode's P* categories.
bool ascii_punctuation(char c) {
  switch (c) {
    case '!':
    case '"':
    case '#':
    case '%':
    case '\'':
    case '(':
    case ')':
    case '*':
    case ',':
    case '-':
    case '.':
    case '/':
    case ':':
    case ';':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '_':
    case '{':
    case '}':
      return true;
    default:
      return false;
  }
}

}  // namespace

void detail::append_fold_key(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  bool pending = false;
  auto put = [&](utf8proc_int32_t cp, bool separator) {
    if (separator) {
      pending = out.size() > start;
      return;
    }
    if (pending) out.push_back(' ');
    pending = false;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else {
      utf8proc_uint8_t buf[4];
      auto n = utf8proc_encode_char(cp, buf);
      out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
  };
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII: case fold and punctuation by hand
      bool separator = c == ' ' || (c >= 0x09 && c <= 0x0D) || ascii_punctuation(static_cast<char>(c));
      put(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c, separator);
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    // One code point at a time: compatibility decomposition, case fold, marks stripped (what
    // fold_for_match does over the whole string), then punctuation and white space become one space.
    utf8proc_int32_t decomposed[32];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t n =
        len <= 0
            ? -1
            : utf8proc_decompose_char(cp, decomposed, 32,
                                      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK),
                                      &boundclass);
    if (n < 0 || n > 32) {  // invalid UTF-8 or an unexpected expansion: let fold_for_match decide
      out.resize(start);
      out += fold_for_match(s);
      return;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
      utf8proc_int32_t d = decomposed[k];
      auto cat = utf8proc_category(d);
      bool punct = cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO && d != '&';
      put(d, punct || is_space(d));
    }
    i += static_cast<std::size_t>(len);
  }
}

std::string detail::fold_key(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_fold_key(out, s);
  return out;
}

namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Splits a '|'-separated list of the table.
std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> out;
  if (list.empty()) return out;
  std::size_t start = 0;
  while (true) {
    std::size_t bar = list.find('|', start);
    out.push_back(list.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

// A postal code with spaces and hyphens removed, the form zip prefixes are compared in.
std::string compact(std::string_view zip) {
  std::string out;
  out.reserve(zip.size());
  for (char c : zip)
    if (c != ' ' && c != '-') out.push_back(c);
  return out;
}

// The name index's key: the region code, a separator, and the folded name.
std::string name_key(std::string_view region, std::string_view name) {
  std::string key;
  key.reserve(region.size() + 1 + name.size());
  key.append(region);
  key.push_back('\x1f');
  detail::append_fold_key(key, name);
  return key;
}

// A postal code pattern. RE2 has no lookahead, and six of Shopify's patterns (AU DK FI GP NO ZA) exclude
// ranges with one negative lookahead: `A(?!N)B` is kept as its three parts and matches when some split of
// the text has A matching the head whole, N not matching at the start of the tail, and B matching the tail
// whole — exactly the language of the lookahead pattern (the parts are regular).
struct ZipPattern {
  std::unique_ptr<const re2::RE2> whole;                 // a pattern without lookahead
  std::unique_ptr<const re2::RE2> head, excluded, tail;  // A, N, B of `A(?!N)B`

  bool matches(std::string_view text) const {
    re2::StringPiece t(text.data(), text.size());
    if (whole) return re2::RE2::FullMatch(t, *whole);
    for (std::size_t k = 0; k <= text.size(); ++k) {
      if (!re2::RE2::FullMatch(t.substr(0, k), *head)) continue;
      re2::StringPiece rest = t.substr(k);
      if (excluded->Match(rest, 0, rest.size(), re2::RE2::ANCHOR_START, nullptr, 0)) continue;
      if (re2::RE2::FullMatch(rest, *tail)) return true;
    }
    return false;
  }
};

struct ZipPrefixes {
  std::vector<std::string> literals;      // compacted
  bool numeric = false;                   // every literal starts with a digit: compare from the first digit
  std::unique_ptr<const re2::RE2> regex;  // Google's prefix regex
};

struct StateHit {
  std::uint32_t index = kNone;
  const char* rule = nullptr;
  std::string message;
};

StateHit found(std::uint32_t index) { return {index, nullptr, std::string()}; }

detail::RegionBuildReport g_report;

}  // namespace

struct RegionCatalog::Impl {
  std::vector<Region> regions;
  std::vector<RegionRules> rules;
  std::vector<std::uint32_t> first, count, listed;
  std::vector<Subdivision> subs;
  std::vector<ZipPrefixes> prefixes;
  std::vector<std::optional<ZipPattern>> zip_patterns;
  std::array<std::uint16_t, 26 * 26> alpha2{};
  Index alpha3;
  Index country_names;
  Index codes;  // "US-CA", alias full codes -> subdivision
  Index names;  // "US\x1f" + fold_for_match(name) -> subdivision

  void add(Index& index, std::string key, std::uint32_t value, std::string_view what) {
    auto [it, inserted] = index.try_emplace(std::move(key), value);
    if (!inserted && it->second != value) {
      std::string shown = it->first;
      for (auto& c : shown)
        if (c == '\x1f') c = '|';
      g_report.collisions.push_back(detail::cat(what, " ", shown));
    }
  }

  // The patterns run on the UTF-8 text as it is and match case-insensitively, as they did with std::wregex
  // (RE2 replaced it for speed: docs/decisions-region.md).
  std::unique_ptr<const re2::RE2> compile(std::string_view pattern, std::string_view owner) {
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    auto re = std::make_unique<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
    if (!re->ok()) {
      g_report.bad_patterns.push_back(detail::cat(owner, ": ", pattern, " (", re->error(), ")"));
      return nullptr;
    }
    return re;
  }

  // A zip pattern, split at its negative lookahead when it has one (see ZipPattern).
  std::optional<ZipPattern> compile_zip(std::string_view pattern, std::string_view owner) {
    ZipPattern out;
    std::size_t open = pattern.find("(?!");
    if (open == std::string_view::npos) {
      out.whole = compile(pattern, owner);
      if (!out.whole) return std::nullopt;
      return out;
    }
    // The lookahead's closing parenthesis (escapes and bracket expressions skipped).
    std::size_t close = std::string_view::npos;
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = open; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '\\') {
        ++i;
      } else if (in_class) {
        in_class = c != ']';
      } else if (c == '[') {
        in_class = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        close = i;
        break;
      }
    }
    std::string_view tail = close == std::string_view::npos ? std::string_view() : pattern.substr(close + 1);
    if (close == std::string_view::npos || tail.find("(?") != std::string_view::npos) {
      g_report.bad_patterns.push_back(detail::cat(owner, ": ", pattern, " (one negative lookahead at most)"));
      return std::nullopt;
    }
    out.head = compile(pattern.substr(0, open), owner);
    out.excluded = compile(detail::cat("(?:", pattern.substr(open + 3, close - open - 3), ")"), owner);
    out.tail = compile(tail, owner);
    if (!out.head || !out.excluded || !out.tail) return std::nullopt;
    return out;
  }

  // The region index of `text` (alpha-2, alpha-3 or a name), or kNone.
  std::uint32_t region_index(std::string_view text) const {
    text = fast_trim(text);
    if (text.size() == 2 && is_letter(text[0]) && is_letter(text[1])) {
      std::uint16_t i = alpha2[(upper(text[0]) - 'A') * 26 + (upper(text[1]) - 'A')];
      if (i != kNoRegion) return i;
    }
    if (text.size() == 3 && is_ascii(text)) {
      char key[3] = {upper(text[0]), upper(text[1]), upper(text[2])};
      if (auto it = alpha3.find(std::string_view(key, 3)); it != alpha3.end()) return it->second;
    }
    if (text.empty() || !is_valid_utf8(text)) return kNone;
    if (auto it = country_names.find(detail::fold_key(text)); it != country_names.end()) return it->second;
    return kNone;
  }

  std::string describe(std::uint32_t region) const {
    return detail::cat(regions[region].name, " (", regions[region].code, ")");
  }

  StateHit resolve_state(std::uint32_t region, std::string_view raw) const {
    std::string_view text = fast_trim(raw);
    std::string_view cc = regions[region].code;
    if (text.empty()) return {kNone, "state.required", detail::cat("is required for ", describe(region))};
    // Codes: a full code "US-CA" (which may belong to another region), or "CA" under the region.
    char buf[64];
    if (text.size() + 3 <= sizeof buf && is_ascii(text)) {
      buf[0] = cc[0];
      buf[1] = cc[1];
      buf[2] = '-';
      for (std::size_t i = 0; i < text.size(); ++i) buf[3 + i] = upper(text[i]);
      const std::string_view full(buf + 3, text.size());
      std::uint32_t elsewhere = kNone;
      if (full.size() > 3 && full[2] == '-') {
        if (auto it = codes.find(full); it != codes.end()) {
          if (subs[it->second].region == cc) return found(it->second);
          elsewhere = it->second;
        }
      }
      if (auto it = codes.find(std::string_view(buf, text.size() + 3)); it != codes.end())
        return found(it->second);
      if (elsewhere != kNone) {
        return {kNone, "state.wrong_region",
                detail::cat(quoted(text), " is a subdivision of ",
                            describe(region_index(subs[elsewhere].region)), ", not of ", describe(region))};
      }
    }
    if (is_valid_utf8(text)) {
      if (auto it = names.find(name_key(cc, text)); it != names.end()) return found(it->second);
    }
    return {kNone, "state.unknown", detail::cat(quoted(text), " is not a subdivision of ", describe(region))};
  }

  bool zip_fits_pattern(std::uint32_t region, std::string_view zip) const {
    const auto& pattern = zip_patterns[region];
    if (!pattern) return true;
    if (code_point_count(zip) > kMaxPatternInput) return false;
    return pattern->matches(zip);
  }

  bool zip_fits_state(std::uint32_t sub, std::string_view zip) const {
    const ZipPrefixes& p = prefixes[sub];
    if (p.regex) {
      // Anchored at the start only: the prefix may be followed by anything.
      return p.regex->Match(re2::StringPiece(zip.data(), zip.size()), 0, zip.size(), re2::RE2::ANCHOR_START,
                            nullptr, 0);
    }
    if (p.literals.empty()) return true;
    std::string c = compact(zip);
    std::string_view v = c;
    if (p.numeric) {
      std::size_t digit = v.find_first_of("0123456789");
      v = digit == std::string_view::npos ? std::string_view() : v.substr(digit);
    }
    for (const auto& lit : p.literals)
      if (v.starts_with(lit)) return true;
    return false;
  }
};

std::string normalize_postal_code(std::string_view zip) {
  utf8proc_uint8_t* mapped = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(zip.data()),
                        static_cast<utf8proc_ssize_t>(zip.size()), &mapped,
                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> guard(mapped);
  std::string_view nfkc = n < 0 ? zip : std::string_view(reinterpret_cast<const char*>(mapped), n);
  std::string out;
  out.reserve(nfkc.size());
  bool pending = false;
  for (std::size_t i = 0; i < nfkc.size();) {
    utf8proc_int32_t cp;
    auto len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(nfkc.data() + i),
                                static_cast<utf8proc_ssize_t>(nfkc.size() - i), &cp);
    if (len <= 0) {  // not valid UTF-8: keep the byte, callers check validity first
      out.push_back(nfkc[i]);
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(len);
    if (is_space(cp)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out.push_back(' ');
    pending = false;
    utf8proc_uint8_t buf[4];
    auto bytes = utf8proc_encode_char(utf8proc_toupper(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(bytes));
  }
  return out;
}

RegionCatalog::RegionCatalog() : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.alpha2.fill(kNoRegion);
  auto region_rows = detail::region_rows();
  auto sub_rows = detail::subdivision_rows();
  m.regions.reserve(region_rows.size());
  m.subs.reserve(sub_rows.size());
  m.prefixes.resize(sub_rows.size());
  for (std::uint32_t ri = 0; ri < region_rows.size(); ++ri) {
    const detail::RegionRow& r = region_rows[ri];
    std::string_view code = r.alpha2;
    m.regions.push_back({code, r.alpha3, r.name, r.iso});
    m.rules.push_back(
        {r.state_required, r.city_required, r.zip_requirement, r.zip_source, r.zip_pattern, r.zip_example});
    m.first.push_back(r.first);
    m.count.push_back(r.count);
    m.listed.push_back(r.listed);
    m.alpha2[(code[0] - 'A') * 26 + (code[1] - 'A')] = static_cast<std::uint16_t>(ri);
    if (*r.alpha3) m.add(m.alpha3, r.alpha3, ri, "alpha-3");
    m.add(m.country_names, detail::fold_key(r.name), ri, "country name");
    for (auto alt : split(r.alternate_names))
      m.add(m.country_names, detail::fold_key(alt), ri, "country name");
    m.zip_patterns.push_back(*r.zip_pattern ? m.compile_zip(r.zip_pattern, code) : std::nullopt);

    for (std::uint32_t si = r.first; si < r.first + r.count; ++si) {
      const detail::SubdivisionRow& s = sub_rows[si];
      m.subs.push_back({s.code, s.name, code, (s.flags & detail::kIso) != 0});
      m.add(m.codes, s.code, si, "code");
      for (auto alias : split(s.alias_codes)) m.add(m.codes, std::string(alias), si, "code");
      if (!(s.flags & detail::kNameNotIndexed)) m.add(m.names, name_key(code, s.name), si, "name");
      for (auto alias : split(s.alias_names)) {
        std::string key = name_key(code, alias);
        if (key.size() > code.size() + 1) m.add(m.names, std::move(key), si, "name");
      }
      ZipPrefixes& p = m.prefixes[si];
      if (s.flags & detail::kPrefixRegex) {
        p.regex = m.compile(detail::cat("(?:", s.zip_prefixes, ")"), s.code);
      } else {
        p.numeric = true;
        for (auto lit : split(s.zip_prefixes)) {
          p.literals.push_back(compact(lit));
          p.numeric = p.numeric && !lit.empty() && lit[0] >= '0' && lit[0] <= '9';
        }
      }
    }
  }
  g_report.code_keys = m.codes.size();
  g_report.name_keys = m.names.size();
}

RegionCatalog::~RegionCatalog() = default;

const RegionCatalog& RegionCatalog::instance() {
  static const RegionCatalog catalog;
  return catalog;
}

absl::StatusOr<Region> RegionCatalog::find_country(std::string_view text) const {
  std::string_view t = trim(text);
  if (t.empty()) return field_error(ErrorCode::validation_failed, "region", "region.required", "is required");
  std::uint32_t i = impl_->region_index(t);
  if (i == kNone) {
    return field_error(ErrorCode::validation_failed, "region", "region.unknown",
                       detail::cat(quoted(t), " is not a known country or region"));
  }
  return impl_->regions[i];
}

absl::StatusOr<Subdivision> RegionCatalog::lookup_state(std::string_view region,
                                                        std::string_view text) const {
  std::uint32_t ri = impl_->region_index(region);
  if (ri == kNone) {
    auto found = find_country(region);
    return found.status();
  }
  StateHit hit = impl_->resolve_state(ri, text);
  if (hit.index == kNone) return field_error(ErrorCode::validation_failed, "state", hit.rule, hit.message);
  return impl_->subs[hit.index];
}

std::span<const Subdivision> RegionCatalog::states(std::string_view region) const {
  std::uint32_t ri = impl_->region_index(region);
  if (ri == kNone) return {};
  return std::span<const Subdivision>(impl_->subs).subspan(impl_->first[ri], impl_->listed[ri]);
}

std::span<const Subdivision> RegionCatalog::subdivisions(std::string_view region) const {
  std::uint32_t ri = impl_->region_index(region);
  if (ri == kNone) return {};
  return std::span<const Subdivision>(impl_->subs).subspan(impl_->first[ri], impl_->count[ri]);
}

std::span<const Region> RegionCatalog::regions() const { return impl_->regions; }

std::optional<RegionRules> RegionCatalog::rules(std::string_view region) const {
  std::uint32_t ri = impl_->region_index(region);
  if (ri == kNone) return std::nullopt;
  return impl_->rules[ri];
}

std::optional<Location> RegionCatalog::validate_location(const LocationInput& in, Diagnostics& d) const {
  const Impl& m = *impl_;
  const std::size_t errors_before = d.errors().size();
  auto valid = [&d](std::string_view field, std::string_view value) {
    if (is_valid_utf8(value)) return true;
    d.error(field, "text.invalid_utf8", "is not valid UTF-8");
    return false;
  };
  const bool region_ok = valid("region", in.region);
  const bool state_ok = valid("state", in.state);
  const bool city_ok = valid("city", in.city);
  const bool zip_ok = valid("zip", in.zip);
  if (!region_ok) return std::nullopt;

  std::string_view region_text = trim(in.region);
  if (region_text.empty()) {
    d.error("region", "region.required", "is required");
    return std::nullopt;
  }
  std::uint32_t ri = m.region_index(region_text);
  if (ri == kNone) {
    d.error("region", "region.unknown",
            detail::cat(quoted(region_text), " is not a known country or region"));
    return std::nullopt;
  }
  const RegionRules& rules = m.rules[ri];
  Location loc;
  loc.region = std::string(m.regions[ri].code);

  std::uint32_t si = kNone;
  if (state_ok) {
    if (trim(in.state).empty()) {
      if (rules.state_required)
        d.error("state", "state.required", detail::cat("is required for ", m.describe(ri)));
    } else {
      StateHit hit = m.resolve_state(ri, in.state);
      if (hit.index == kNone) {
        d.error("state", hit.rule, std::move(hit.message));
      } else {
        si = hit.index;
        loc.state = std::string(m.subs[si].code);
        loc.state_name = std::string(m.subs[si].name);
      }
    }
  }

  if (city_ok && trim(in.city).empty() && rules.city_required)
    d.error("city", "city.required", detail::cat("is required for ", m.describe(ri)));

  if (zip_ok) {
    std::string zip = normalize_postal_code(in.zip);
    if (zip.empty()) {
      if (rules.zip == ZipRequirement::required) {
        d.error("zip", "zip.required", detail::cat("is required for ", m.describe(ri)));
      } else if (rules.zip == ZipRequirement::recommended) {
        d.warn("zip", "zip.recommended", detail::cat("is recommended for ", m.describe(ri)));
      }
    } else if (!m.zip_fits_pattern(ri, zip)) {
      std::string example = rules.zip_example.empty()
                                ? std::string()
                                : detail::cat(" (for example ", quoted(rules.zip_example), ")");
      d.error("zip", "zip.invalid_format",
              detail::cat(quoted(zip), " is not a postal code of ", m.describe(ri), example));
    } else if (si != kNone && !m.zip_fits_state(si, zip)) {
      d.error(
          "zip", "zip.state_mismatch",
          detail::cat(quoted(zip), " is not a postal code of ", m.subs[si].name, " (", m.subs[si].code, ")"));
    } else {
      loc.zip = std::move(zip);
    }
  }

  if (d.errors().size() != errors_before) return std::nullopt;
  return loc;
}

namespace detail {

const RegionBuildReport& region_build_report() {
  (void)RegionCatalog::instance();
  return g_report;
}

}  // namespace detail
}  // namespace leadcustomers
