// Debian's Abseil pins absl::string_view to its own type (ABSL_OPTION_USE_STD_STRING_VIEW=0), so it does
// not convert to or from std::string_view. The public API uses std::string_view; these bridge the two.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace leadcustomers::detail {

inline absl::string_view to_absl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view to_std(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace leadcustomers::detail
