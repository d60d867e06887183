// Parsing of a command's JSON text with the checks a DOM parse cannot make: a repeated key (the DOM keeps
// only one of them) is refused naming the key, and invalid UTF-8 is refused naming the field it sits in and
// its byte offset, instead of a bare "syntax error".
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "boost/json.hpp"

namespace leadcustomers::detail {

// INVALID_ARGUMENT with rule command.bad_json, command.duplicate_field (field = the key's path) or
// text.invalid_utf8 (field = the nearest key before the bad byte); the parsed value otherwise.
absl::StatusOr<boost::json::value> parse_command_text(std::string_view text);

}  // namespace leadcustomers::detail
