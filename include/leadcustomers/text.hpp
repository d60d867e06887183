// Text rules every stored field follows (SPEC §2): valid UTF-8, trimmed, NFC, no control characters
// (C0/C1) except the line breaks a field allows, CRLF/CR folded to LF, and a length limit in code points.
//
//   Diagnostics d;
//   std::optional<std::string> name = clean_text("  Zoe\u0308 ", "first_name", {.max_code_points = 100}, d);
//   // *name == "Zoë" (NFC)
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "leadcustomers/error.hpp"

namespace leadcustomers {

enum class LineBreaks { none, one, any };

struct TextRules {
  size_t max_code_points = 255;
  LineBreaks line_breaks = LineBreaks::none;
};

// The stored form of `raw`, or nullopt with a violation on `field`:
//   text.invalid_utf8, text.control_character, text.too_many_line_breaks, text.too_long.
// An empty result (after trim) is returned as "" — callers decide whether a field is required.
[[nodiscard]] std::optional<std::string> clean_text(std::string_view raw, std::string_view field,
                                                    const TextRules& rules, Diagnostics& d);

// True when `s` is valid UTF-8.
[[nodiscard]] bool is_valid_utf8(std::string_view s);
// Number of code points of valid UTF-8 `s`.
[[nodiscard]] size_t code_point_count(std::string_view s);
// Trims ASCII and Unicode white space at both ends (valid UTF-8 in, a view into it out).
[[nodiscard]] std::string_view trim(std::string_view s);
// NFC of valid UTF-8.
[[nodiscard]] std::string nfc(std::string_view s);
// NFKC + case fold + trim + inner white space collapsed to one space (secret answers, SPEC §2.4).
[[nodiscard]] std::string fold_answer(std::string_view s);
// Case- and diacritic-insensitive key for matching names ("Québec" == "quebec"): NFKD, strip marks,
// case fold, collapse white space and punctuation to single spaces.
[[nodiscard]] std::string fold_for_match(std::string_view s);
// Lower-cases ASCII letters only.
[[nodiscard]] std::string ascii_lower(std::string_view s);
// Upper-cases ASCII letters only.
[[nodiscard]] std::string ascii_upper(std::string_view s);
// Quotes a value for a message: 'value', truncated to 80 code points, escaped as escape_controls() does.
[[nodiscard]] LC_COLD std::string quoted(std::string_view value);
// `value` safe to show on a terminal or in a log: C0 and C1 controls, DEL and the directional formatting
// characters (which reorder what follows them) written as \u{1B}, and bytes that are not UTF-8 as \x{FF}.
[[nodiscard]] std::string escape_controls(std::string_view value);

}  // namespace leadcustomers
