// The first fast path of clean_text, shared with callers that build a field's path only when it is needed
// (the path appears in violations only).
#pragma once

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

}  // namespace leadcustomers::detail
