#include "detail/speculation.hpp"

#include <cstdint>
#include <random>

namespace leadcustomers::detail {
namespace {

thread_local std::vector<boost::uuids::uuid>* t_ids = nullptr;
thread_local std::optional<absl::Time> t_now;

}  // namespace

ScopedSpeculation::ScopedSpeculation(std::vector<boost::uuids::uuid>* provisional_ids, absl::Time now)
    : saved_ids_(t_ids), saved_now_(t_now) {
  t_ids = provisional_ids;
  t_now = now;
}

ScopedSpeculation::~ScopedSpeculation() {
  t_ids = saved_ids_;
  t_now = saved_now_;
}

std::optional<boost::uuids::uuid> next_provisional_id() {
  if (!t_ids) return std::nullopt;
  // Unique per thread and call: a random per-thread prefix and a counter, in the UUIDv7 layout (version and
  // variant bits set) with a zero timestamp (1970: recognisable if one ever escaped its replacement).
  thread_local const uint64_t prefix = std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  thread_local uint64_t counter = 0;
  const uint64_t n = ++counter;
  boost::uuids::uuid u{};
  u.data[6] = static_cast<uint8_t>(0x70 | (prefix & 0x0F));
  u.data[7] = static_cast<uint8_t>(prefix >> 4);
  u.data[8] = static_cast<uint8_t>(0x80 | ((prefix >> 12) & 0x3F));
  u.data[9] = static_cast<uint8_t>(prefix >> 18);
  for (int i = 0; i < 6; ++i) u.data[10 + i] = static_cast<uint8_t>(n >> (8 * (5 - i)));
  t_ids->push_back(u);
  return u;
}

absl::Time engine_now(const Clock& clock) { return t_now ? *t_now : clock.now(); }

}  // namespace leadcustomers::detail
