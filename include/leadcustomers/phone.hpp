// Phone and fax numbers (SPEC §4.2), parsed with libphonenumber and stored as E.164 plus an optional
// extension.
//
//   Diagnostics d;
//   auto p = parse_phone("+1 201 555 0123 x136", "US", "phone", d);
//   // p->e164 == "+12015550123", p->extension == "136"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "leadcustomers/error.hpp"

namespace leadcustomers {

struct Phone {
  std::string e164;
  std::optional<std::string> extension;
  friend bool operator==(const Phone&, const Phone&) = default;
};

// Parses `raw` with `default_region` (ISO alpha-2, used when the number has no `+`). A number with `+` is
// global. Extensions in any spelling (`x136`, `;ext=136`, `ext. 136`) are split off; a dangling extension
// label with no digits is dropped (never read as keypad letters). Refusals (one violation on `field`):
// phone.spreadsheet_mangled (`9.19961E+11`), phone.unparseable, phone.not_possible, text.invalid_utf8.
// Possible but not valid numbers are returned with a warning phone.not_valid. A leading apostrophe (a
// spreadsheet's text guard) is ignored; blank input is absent: nullopt and no violation. `default_region`
// is case-insensitive; an empty or unknown one makes every number without `+` phone.unparseable.
[[nodiscard]] std::optional<Phone> parse_phone(std::string_view raw, std::string_view default_region,
                                               std::string_view field, Diagnostics& d);

}  // namespace leadcustomers
