#include "leadcustomers/ids.hpp"

#include "detail/speculation.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <random>

namespace leadcustomers::detail {

boost::uuids::uuid generate_uuid_v7() {
  if (auto provisional = next_provisional_id()) return *provisional;  // speculation.hpp
  // Monotonic within the process (RFC 9562 §6.2, method 1): the 12 bits after the version and the first 30
  // random bits form a counter, seeded randomly each new millisecond and incremented within one, so ids made
  // later always sort later — cursors rely on it.
  static std::mutex mutex;
  static uint64_t last_ms = 0;
  static uint64_t counter = 0;  // 42 bits
  thread_local std::mt19937_64 rng{std::random_device{}() ^
                                   (static_cast<uint64_t>(std::random_device{}()) << 32)};
  auto now_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  uint64_t random_tail = rng();
  uint64_t ms, ctr;
  {
    std::lock_guard lock(mutex);
    if (now_ms > last_ms) {
      last_ms = now_ms;
      counter = rng() & ((uint64_t{1} << 41) - 1);  // leave headroom for increments
    } else if (++counter >= (uint64_t{1} << 42)) {
      ++last_ms;  // counter exhausted: borrow the next millisecond
      counter = 0;
    }
    ms = last_ms;
    ctr = counter;
  }
  boost::uuids::uuid u{};
  for (int i = 0; i < 6; ++i) u.data[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  // 42-bit counter: 12 bits in rand_a, 30 bits at the top of rand_b.
  u.data[6] = static_cast<uint8_t>(0x70 | ((ctr >> 38) & 0x0F));
  u.data[7] = static_cast<uint8_t>(ctr >> 30);
  u.data[8] = static_cast<uint8_t>(0x80 | ((ctr >> 24) & 0x3F));
  u.data[9] = static_cast<uint8_t>(ctr >> 16);
  u.data[10] = static_cast<uint8_t>(ctr >> 8);
  u.data[11] = static_cast<uint8_t>(ctr);
  for (int i = 12; i < 16; ++i) u.data[i] = static_cast<uint8_t>(random_tail >> (8 * (i - 12)));
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

void write_uuid_text(const boost::uuids::uuid& u, char* out) {
  // Each byte's two lower-case hex digits, and where they go in 8-4-4-4-12.
  static constexpr auto kDigits = [] {
    std::array<std::array<char, 2>, 256> t{};
    constexpr char kHex[] = "0123456789abcdef";
    for (size_t b = 0; b < 256; ++b) t[b] = {kHex[b >> 4], kHex[b & 0xF]};
    return t;
  }();
  static constexpr uint8_t kAt[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (size_t i = 0; i < 16; ++i) std::memcpy(out + kAt[i], kDigits[u.data[i]].data(), 2);
  out[8] = out[13] = out[18] = out[23] = '-';
}

std::string uuid_text(const boost::uuids::uuid& u) {
  char text[kUuidTextSize];
  write_uuid_text(u, text);
  return std::string(text, kUuidTextSize);
}

}  // namespace leadcustomers::detail
