// Byte scans on the hot paths of text and e-mail validation: eight bytes at a time for the ASCII checks, and
// a UTF-8 decoder that answers the one- to three-byte sequences itself and leaves the rest to utf8proc
// (its answers are exactly utf8proc_iterate's).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "utf8proc.h"

namespace leadcustomers::detail {

inline constexpr uint64_t kOnes = 0x0101010101010101ull;
inline constexpr uint64_t kHighs = 0x8080808080808080ull;

inline uint64_t load8(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

// Non-zero when some byte of `x` is below `n` (0 < n <= 128); exact as a yes/no answer.
inline uint64_t has_byte_below(uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHighs; }

// Strings of eight bytes or more end with one more word that overlaps the last one checked, instead of a byte
// loop (a byte checked twice gets the same answer).

// True when every byte of `s` is below 0x80.
inline bool all_ascii(std::string_view s) {
  const size_t n = s.size();
  if (n >= 8) {
    uint64_t acc = load8(s.data() + n - 8);
    for (size_t i = 0; i + 8 <= n; i += 8) acc |= load8(s.data() + i);
    return (acc & kHighs) == 0;
  }
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Non-zero when some byte of `x` is not printable ASCII (0x20..0x7E; `lowest` 0x21 also refuses the space).
inline uint64_t outside_printable(uint64_t x, uint64_t lowest = 0x20) {
  return (x & kHighs) | has_byte_below(x, lowest) | has_byte_below(x ^ (kOnes * 0x7F), 1);
}

// How many bytes from s[i] on are printable ASCII (0x20..0x7E), counting up to the first that is not.
// In a word, borrows of the below-0x20 test only run towards higher bytes, so its lowest flag is exact.
inline size_t printable_ascii_run(std::string_view s, size_t i) {
  const size_t start = i;
  const size_t n = s.size();
  if constexpr (std::endian::native == std::endian::little) {  // the first byte is the lowest
    for (; i + 8 <= n; i += 8) {
      uint64_t bad = outside_printable(load8(s.data() + i));
      if (bad != 0) return i - start + static_cast<size_t>(std::countr_zero(bad)) / 8;
    }
    // The last word, overlapping bytes already found printable (never bytes before `start`).
    if (i < n && n >= 8 && n - 8 >= start) {
      uint64_t bad = outside_printable(load8(s.data() + n - 8));
      if (bad == 0) return n - start;
      return n - 8 - start + static_cast<size_t>(std::countr_zero(bad)) / 8;
    }
  }
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7F) break;
  }
  return i - start;
}

// True when every byte of `s` is printable ASCII (0x20..0x7E).
inline bool all_printable_ascii(std::string_view s) {
  const size_t n = s.size();
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8)
      if (outside_printable(load8(s.data() + i)) != 0) return false;
    return outside_printable(load8(s.data() + n - 8)) == 0;
  }
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7F) return false;
  return true;
}

// True when every byte of `s` is graphic ASCII (0x21..0x7E: printable, not the space).
inline bool all_graphic_ascii(std::string_view s) {
  const size_t n = s.size();
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8)
      if (outside_printable(load8(s.data() + i), 0x21) != 0) return false;
    return outside_printable(load8(s.data() + n - 8), 0x21) == 0;
  }
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7F) return false;
  return true;
}

// Writes the n bytes at `in` to `out` with ASCII 'A'..'Z' lower-cased (every other byte as it is); `out` may
// be `in`.
inline void ascii_lower_copy(const char* in, size_t n, char* out) {
  auto lower_word = [](uint64_t x) {
    uint64_t seven = x & ~kHighs;                  // each byte's low seven bits
    uint64_t ge_a = seven + kOnes * (0x80 - 'A');  // high bit set where the low bits are >= 'A'
    uint64_t gt_z = seven + kOnes * (0x7F - 'Z');  // high bit set where they are > 'Z'
    uint64_t upper = ge_a & ~gt_z & ~x & kHighs;   // ... and the byte itself is ASCII
    return x | upper >> 2;                         // 0x80 >> 2 = 0x20, the case bit
  };
  if (n >= 8) {
    // The last word first: in place, its bytes are still the input's (lower-casing twice changes nothing).
    uint64_t last = lower_word(load8(in + n - 8));
    for (size_t i = 0; i + 8 <= n; i += 8) {
      uint64_t x = lower_word(load8(in + i));
      std::memcpy(out + i, &x, sizeof x);
    }
    std::memcpy(out + n - 8, &last, sizeof last);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    char c = in[i];
    out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

// Decodes the code point at s[i] (i < s.size()); returns its length in bytes, 0 when the bytes there are not
// valid UTF-8 (and `cp` is then -1). Same answers as utf8proc_iterate.
inline size_t decode_utf8(std::string_view s, size_t i, int32_t& cp) {
  cp = -1;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + i);
  const size_t left = s.size() - i;
  const unsigned c = p[0];
  if (c < 0x80) {
    cp = static_cast<int32_t>(c);
    return 1;
  }
  auto cont = [](unsigned b) { return (b & 0xC0) == 0x80; };
  if (c >= 0xC2 && c < 0xE0) {
    if (left < 2 || !cont(p[1])) return 0;
    cp = static_cast<int32_t>(((c & 0x1F) << 6) | (p[1] & 0x3F));
    return 2;
  }
  if (c >= 0xE0 && c < 0xF0) {
    if (left < 3 || !cont(p[1]) || !cont(p[2])) return 0;
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogates
    unsigned v = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (v < 0x800) return 0;  // overlong
    cp = static_cast<int32_t>(v);
    return 3;
  }
  utf8proc_int32_t out = -1;
  auto n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(left), &out);
  if (n <= 0) return 0;
  cp = out;
  return static_cast<size_t>(n);
}

}  // namespace leadcustomers::detail
