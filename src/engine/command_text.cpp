#include "engine/command_text.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "boost/json/basic_parser_impl.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

// A SAX handler that builds nothing and stops at the first repeated key of any object.
struct DuplicateKeyFinder {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Frame {
    bool object = false;
    size_t index = 0;  // arrays: next element index
    std::vector<std::string> keys;
    // Past a few keys, a set answers "seen before?" (an object of 100k members would otherwise cost n²).
    absl::flat_hash_set<std::string> key_set;
  };
  static constexpr size_t kLinearKeys = 16;
  std::vector<Frame> stack;
  std::string key;
  std::string duplicate_path;

  std::string path() const {
    std::string p;
    for (size_t i = 0; i < stack.size(); ++i) {
      const auto& f = stack[i];
      if (f.object) {
        if (f.keys.empty()) continue;
        if (!p.empty()) p += '.';
        p += f.keys.back();
      } else {
        append(p, "[", f.index, "]");
      }
    }
    return p;
  }
  void value_done() {
    if (!stack.empty() && !stack.back().object) ++stack.back().index;
  }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) {
    stack.push_back({true, 0, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    stack.pop_back();
    value_done();
    return true;
  }
  bool on_array_begin(boost::system::error_code&) {
    stack.push_back({false, 0, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code&) {
    stack.pop_back();
    value_done();
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code& ec) {
    key.append(s.data(), s.size());
    auto& frame = stack.back();
    auto& keys = frame.keys;
    bool duplicate = false;
    if (keys.size() < kLinearKeys) {
      duplicate = std::find(keys.begin(), keys.end(), key) != keys.end();
    } else {
      if (frame.key_set.empty()) frame.key_set.insert(keys.begin(), keys.end());
      duplicate = !frame.key_set.insert(key).second;
    }
    if (duplicate) {
      keys.push_back(key);
      duplicate_path = path();
      ec = boost::json::error::syntax;
      return false;
    }
    keys.push_back(std::move(key));
    key.clear();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::system::error_code&) { return true; }
  bool on_string(boost::json::string_view, std::size_t, boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_double(double, boost::json::string_view, boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_bool(bool, boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_null(boost::system::error_code&) {
    value_done();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }
};

size_t first_invalid_utf8(std::string_view s) {
  // Grow a valid prefix byte by byte from the last known-good point; commands are small.
  size_t good = 0;
  while (good < s.size()) {
    size_t len = 1;
    auto c = static_cast<unsigned char>(s[good]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (good + len > s.size() || !is_valid_utf8(s.substr(good, len))) return good;
    good += len;
  }
  return s.size();
}

// The key whose value holds byte `offset`: the last `"key":` before it.
std::string key_before(std::string_view s, size_t offset) {
  size_t colon = s.rfind(':', offset);
  while (colon != std::string_view::npos) {
    size_t end = s.find_last_not_of(" \t\r\n", colon == 0 ? 0 : colon - 1);
    if (end != std::string_view::npos && s[end] == '"') {
      size_t start = s.rfind('"', end == 0 ? 0 : end - 1);
      if (start != std::string_view::npos) return std::string(s.substr(start + 1, end - start - 1));
    }
    if (colon == 0) break;
    colon = s.rfind(':', colon - 1);
  }
  return "";
}

}  // namespace

absl::StatusOr<boost::json::value> parse_command_text(std::string_view text) {
  if (!is_valid_utf8(text)) {
    size_t at = first_invalid_utf8(text);
    std::string field = key_before(text, at);
    return field_error(ErrorCode::invalid_argument, field, "text.invalid_utf8",
                       cat(field.empty() ? std::string("the command") : cat("the value of '", field, "'"),
                           " is not valid UTF-8 (byte offset ", at, ")"));
  }
  boost::system::error_code ec;
  // A stream parser says how far it read: the error's position goes into the message.
  boost::json::stream_parser parser;
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    size_t at = std::min(consumed, text.size());
    size_t column = 1;
    for (size_t i = 0; i < at; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    return field_error(ErrorCode::invalid_argument, "", "command.bad_json",
                       cat("the command is not valid JSON: ", ec.message(), " at column ", column,
                           " (byte offset ", at, ")"));
  }
  boost::json::value value = parser.release();
  boost::json::basic_parser<DuplicateKeyFinder> finder(boost::json::parse_options{});
  finder.write_some(false, text.data(), text.size(), ec);
  if (!finder.handler().duplicate_path.empty()) {
    const auto& path = finder.handler().duplicate_path;
    return field_error(ErrorCode::invalid_argument, path, "command.duplicate_field",
                       cat("field '", path, "' is given twice; a command names each field once"));
  }
  return value;
}

}  // namespace leadcustomers::detail
