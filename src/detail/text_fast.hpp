// The first fast path of clean_text, shared with callers that build a field's path only when it is needed
// (the path appears in violations only).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "detail/utf8_scan.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {

// True when clean_text(raw, …, rules, …) returns `raw` itself, unchanged and without a violation, because
// it is non-empty printable ASCII with nothing to trim and within the length limit.
inline bool clean_as_is(std::string_view raw, const TextRules& rules) {
  return !raw.empty() && raw.size() <= rules.max_code_points && raw.front() != ' ' && raw.back() != ' ' &&
         all_printable_ascii(raw);
}

// clean_text() without a copy: the cleaned text as a view into `raw` (the fast paths: it is `raw` or a
// part of it) or into `scratch` (the general path: NFC, folded line breaks), or nullopt with the violation
// recorded in `d`. clean_text() is this and a copy; the view lives as long as `raw` and `scratch` do.
std::optional<std::string_view> clean_text_view(std::string_view raw, std::string_view field,
                                                const TextRules& rules, Diagnostics& d, std::string& scratch);

}  // namespace leadcustomers::detail
