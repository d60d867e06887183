#include "leadcustomers/ids.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace leadcustomers::detail {

boost::uuids::uuid generate_uuid_v7() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^
                                   (static_cast<uint64_t>(std::random_device{}()) << 32)};
  auto ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  uint64_t r1 = rng();
  uint64_t r2 = rng();
  boost::uuids::uuid u{};
  for (int i = 0; i < 6; ++i) u.data[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  for (int i = 6; i < 8; ++i) u.data[i] = static_cast<uint8_t>(r1 >> (8 * i));
  for (int i = 8; i < 16; ++i) u.data[i] = static_cast<uint8_t>(r2 >> (8 * (i - 8)));
  u.data[6] = static_cast<uint8_t>(0x70 | (u.data[6] & 0x0F));
  u.data[8] = static_cast<uint8_t>(0x80 | (u.data[8] & 0x3F));
  return u;
}

std::optional<boost::uuids::uuid> parse_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  boost::uuids::uuid u{};
  size_t byte = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = nib(text[i]), lo = nib(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    u.data[byte++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return u;
}

std::string uuid_text(const boost::uuids::uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[u.data[i] >> 4]);
    out.push_back(kHex[u.data[i] & 0xF]);
  }
  return out;
}

}  // namespace leadcustomers::detail
