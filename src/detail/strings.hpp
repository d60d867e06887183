// String building that works with std::string_view (absl::StrCat does not accept it with Debian's Abseil).
#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

namespace leadcustomers::detail {

inline void append_one(std::string& out, std::string_view s) { out.append(s); }
inline void append_one(std::string& out, const char* s) { out.append(s); }
inline void append_one(std::string& out, const std::string& s) { out.append(s); }
inline void append_one(std::string& out, char c) { out.push_back(c); }
template <typename T>
requires(std::is_integral_v<T> && !std::is_same_v<T, char> &&
         !std::is_same_v<T, bool>) void append_one(std::string& out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Concatenates strings, string views, chars and integers.
template <typename... Args>
std::string cat(const Args&... args) {
  std::string out;
  (append_one(out, args), ...);
  return out;
}

// Appends to `out`.
template <typename... Args>
void append(std::string& out, const Args&... args) {
  (append_one(out, args), ...);
}

// Upper-case hex with at least `width` digits.
inline std::string hex(unsigned long v, int width = 4) {
  char buf[20];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  std::string s(buf, r.ptr);
  for (auto& c : s)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
  return s;
}

}  // namespace leadcustomers::detail
