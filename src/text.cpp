#include "leadcustomers/text.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "detail/nfc_inert.hpp"
#include "detail/strings.hpp"
#include "detail/text_fast.hpp"
#include "detail/utf8_scan.hpp"
#include "utf8proc.h"

namespace leadcustomers {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// Runs utf8proc_map over valid UTF-8; returns the input unchanged if utf8proc refuses it.
std::string map_utf8(std::string_view s, utf8proc_option_t options) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                        static_cast<utf8proc_ssize_t>(s.size()), &out, options);
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> guard(out);
  if (n < 0) return std::string(s);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

bool is_space_cp(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xFEFF || cp == 0x200B) return true;
  // Below U+1680 (OGHAM SPACE MARK) the only Zs/Zl/Zp code points are U+0020 and U+00A0.
  if (cp < 0x1680 && cp != 0xA0) return false;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

// Decodes one code point at s[i]; returns its length (0 when invalid).
size_t decode(std::string_view s, size_t i, utf8proc_int32_t& cp) { return detail::decode_utf8(s, i, cp); }

// is_space_cp for an ASCII byte (no ASCII character but these is in Zs, Zl or Zp).
bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

// Whether a code point, wherever it stands in a string, leaves NFC unchanged: canonical combining class 0,
// never the second half of a composition (utf8proc marks those with a comb_index >= 0x8000; the Hangul
// vowel and trailing jamo compose algorithmically), and its own NFC is itself (so not excluded from
// composition and not a singleton). These are the code points with NFC_Quick_Check = Yes and ccc = 0;
// a string made only of them is NFC (UAX #15, "Detecting Normalization Forms"). The answer comes from
// utf8proc's own data; for the BMP it is computed once per code point and remembered.
bool compute_nfc_inert(utf8proc_int32_t cp) {
  const auto* p = utf8proc_get_property(cp);
  if (p->combining_class != 0) return false;
  if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000) return false;
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) return false;
  if (p->decomp_seqindex == UINT16_MAX) return true;
  utf8proc_uint8_t one[4];
  auto n = utf8proc_encode_char(cp, one);
  utf8proc_uint8_t* out = nullptr;
  auto m = utf8proc_map(one, n, &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  bool same = m == n && std::equal(one, one + n, out);
  std::free(out);
  return same;
}

}  // namespace

bool detail::nfc_inert(int32_t cp) {
  if (cp < 0x300) return cp >= 0;
  if (cp > 0xFFFF) return cp <= 0x10FFFF && compute_nfc_inert(cp);
  // 0 = not yet known, 1 = inert, 2 = not inert; racing threads compute the same answer.
  static std::array<std::atomic<uint8_t>, 0x10000> known{};
  auto& slot = known[static_cast<size_t>(cp)];
  uint8_t v = slot.load(std::memory_order_relaxed);
  if (v == 0) {
    v = compute_nfc_inert(cp) ? 1 : 2;
    slot.store(v, std::memory_order_relaxed);
  }
  return v == 1;
}

namespace {

// True when `s` is valid UTF-8 made only of NFC-inert code points, so that its NFC is `s` itself.
bool nfc_quick_yes(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    size_t n = decode(s, i, cp);
    if (n == 0 || !detail::nfc_inert(cp)) return false;
    i += n;
  }
  return true;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    size_t n = decode(s, i, cp);
    if (n == 0) n = 1, cp = -1;
    if (cp >= 0 && is_space_cp(cp)) {
      pending = !out.empty();
    } else {
      if (pending) out.push_back(' ');
      pending = false;
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  if (detail::all_ascii(s)) return true;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    size_t n = decode(s, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

size_t code_point_count(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

std::string_view trim(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    auto c = static_cast<unsigned char>(s[begin]);
    if (c < 0x80) {
      if (!is_ascii_space(c)) break;
      ++begin;
      continue;
    }
    utf8proc_int32_t cp;
    size_t n = decode(s, begin, cp);
    if (n == 0 || !is_space_cp(cp)) break;
    begin += n;
  }
  size_t end = s.size();
  while (end > begin) {
    auto c = static_cast<unsigned char>(s[end - 1]);
    if (c < 0x80) {
      if (!is_ascii_space(c)) break;
      --end;
      continue;
    }
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    utf8proc_int32_t cp;
    size_t n = decode(s, start, cp);
    if (n == 0 || start + n != end || !is_space_cp(cp)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

std::string nfc(std::string_view s) {
  if (nfc_quick_yes(s)) return std::string(s);
  return map_utf8(s, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
}

std::string fold_answer(std::string_view s) {
  if (detail::all_graphic_ascii(s)) return ascii_lower(s);
  auto folded = map_utf8(s, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                           UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  return collapse_spaces(folded);
}

std::string fold_for_match(std::string_view s) {
  auto folded =
      map_utf8(s, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                 UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD));
  std::string spaced;
  spaced.reserve(folded.size());
  for (size_t i = 0; i < folded.size();) {
    utf8proc_int32_t cp;
    size_t n = decode(folded, i, cp);
    if (n == 0) {
      ++i;
      continue;
    }
    auto cat = utf8proc_category(cp);
    bool punct = cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
    if (punct && cp != '&') {
      spaced.push_back(' ');
    } else {
      spaced.append(folded, i, n);
    }
    i += n;
  }
  return collapse_spaces(spaced);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s.size(), '\0');
  detail::ascii_lower_copy(s.data(), s.size(), out.data());
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

namespace {
// Explicit directional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they
// reorder the text that follows them on screen ("Trojan Source"), so a name can display as something other
// than what it is. The marks LRM, RLM and ALM reorder nothing beyond themselves and stay allowed.
bool is_bidi_control(utf8proc_int32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
}  // namespace

namespace {
// Appends `value` escaped (see escape_controls), at most `limit` code points, then "…" if there was more.
void append_escaped(std::string& out, std::string_view value, size_t limit) {
  size_t count = 0;
  for (size_t i = 0; i < value.size();) {
    if (++count > limit) {
      out += "…";
      return;
    }
    utf8proc_int32_t cp;
    size_t n = decode(value, i, cp);
    if (n == 0) {
      out += detail::cat("\\x{", detail::hex(static_cast<unsigned char>(value[i]), 2), "}");
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp)) {
      out += detail::cat("\\u{", detail::hex(static_cast<unsigned long>(cp), 1), "}");
    } else {
      out.append(value.substr(i, n));
    }
    i += n;
  }
}
}  // namespace

std::string quoted(std::string_view value) {
  if (!is_valid_utf8(value)) return "'<invalid UTF-8>'";
  std::string out = "'";
  append_escaped(out, value, 80);
  out += "'";
  return out;
}

std::string escape_controls(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  append_escaped(out, value, SIZE_MAX);
  return out;
}

std::optional<std::string> clean_text(std::string_view raw, std::string_view field, const TextRules& rules,
                                      Diagnostics& d) {
  std::string scratch;
  auto v = detail::clean_text_view(raw, field, rules, d, scratch);
  if (!v) return std::nullopt;
  // The general path leaves its answer in `scratch`; the fast paths answer a part of `raw`.
  if (!scratch.empty() && v->data() == scratch.data()) return scratch;
  return std::string(*v);
}

std::optional<std::string_view> detail::clean_text_view(std::string_view raw, std::string_view field,
                                                        const TextRules& rules, Diagnostics& d,
                                                        std::string& scratch) {
  // Fast path: printable ASCII with nothing to trim is already its stored form.
  if (detail::clean_as_is(raw, rules)) return raw;
  // Second fast path: no CR, and the trimmed text is valid UTF-8 that is already NFC, has no control
  // character but allowed line breaks, and fits. The general path below would return exactly this text.
  if (raw.find('\r') == std::string_view::npos) {
    std::string_view t = trim(raw);  // strips only valid white space, so `raw` is valid when `t` is
    size_t allowed = rules.line_breaks == LineBreaks::any   ? SIZE_MAX
                     : rules.line_breaks == LineBreaks::one ? 1
                                                            : 0;
    size_t breaks = 0, count = 0;
    bool plain = true;
    for (size_t i = 0; i < t.size() && plain;) {
      // A run of printable ASCII characters (no line break among them) at once.
      if (size_t run = detail::printable_ascii_run(t, i); run != 0) {
        count += run;
        i += run;
        continue;
      }
      auto c = static_cast<unsigned char>(t[i]);
      ++count;
      if (c < 0x80) {
        if (c == '\n') {
          plain = ++breaks <= allowed;
        } else {
          plain = c >= 0x20 && c != 0x7F;
        }
        ++i;
        continue;
      }
      utf8proc_int32_t cp;
      size_t n = decode(t, i, cp);
      plain = n != 0 && cp >= 0xA0 && detail::nfc_inert(cp) && !is_bidi_control(cp);
      i += n;
    }
    if (plain && count <= rules.max_code_points) return t;
  }
  if (!is_valid_utf8(raw)) {
    d.error(field, "text.invalid_utf8", "is not valid UTF-8");
    return std::nullopt;
  }
  std::string folded;
  folded.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r') {
      folded.push_back('\n');
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      folded.push_back(raw[i]);
    }
  }
  scratch = nfc(trim(folded));
  const std::string& value = scratch;
  size_t breaks = 0;
  for (size_t i = 0; i < value.size();) {
    utf8proc_int32_t cp;
    size_t n = decode(value, i, cp);
    if (cp == '\n') {
      ++breaks;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      d.error(field, "text.control_character",
              detail::cat("contains the control character U+", detail::hex(static_cast<unsigned long>(cp)),
                          " in ", quoted(value)));
      return std::nullopt;
    } else if (is_bidi_control(cp)) {
      d.error(field, "text.bidi_control",
              detail::cat("contains the directional formatting character U+",
                          detail::hex(static_cast<unsigned long>(cp)),
                          ", which reorders how the text after it is displayed, in ", quoted(value)));
      return std::nullopt;
    }
    i += n == 0 ? 1 : n;
  }
  size_t allowed = rules.line_breaks == LineBreaks::any   ? SIZE_MAX
                   : rules.line_breaks == LineBreaks::one ? 1
                                                          : 0;
  if (breaks > allowed) {
    d.error(field, allowed == 0 ? "text.control_character" : "text.too_many_line_breaks",
            allowed == 0
                ? detail::cat("contains a line break in ", quoted(value))
                : detail::cat("has ", breaks, " line breaks (at most ", allowed, ") in ", quoted(value)));
    return std::nullopt;
  }
  size_t count = code_point_count(value);
  if (count > rules.max_code_points) {
    d.error(
        field, "text.too_long",
        detail::cat("is ", count, " characters long (at most ", rules.max_code_points, "): ", quoted(value)));
    return std::nullopt;
  }
  return std::string_view(value);
}

}  // namespace leadcustomers
