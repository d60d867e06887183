// Strong identifier types: UUIDs generated time-ordered (v7 layout, so database inserts stay local),
// canonical text form lowercase 8-4-4-4-12. Distinct types so ids of different entities can't be swapped.
//
//   CustomerId id = CustomerId::generate();
//   std::optional<CustomerId> parsed = CustomerId::parse("018F0000-0000-7000-8000-000000000001");
//   std::string text = parsed->str();   // "018f0000-0000-7000-8000-000000000001"
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "boost/uuid/uuid.hpp"

namespace leadcustomers {

namespace detail {
// A new UUID in the v7 layout: 48-bit Unix milliseconds, version 7, variant 10, random rest.
boost::uuids::uuid generate_uuid_v7();
// Parses the 8-4-4-4-12 form in any letter case.
std::optional<boost::uuids::uuid> parse_uuid(std::string_view text);
// Lowercase 8-4-4-4-12.
std::string uuid_text(const boost::uuids::uuid& u);
inline constexpr size_t kUuidTextSize = 36;
// The same text written to out[0..36) (no terminating NUL), for callers that copy it elsewhere anyway.
void write_uuid_text(const boost::uuids::uuid& u, char* out);
}  // namespace detail

template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(const boost::uuids::uuid& u) : value_(u) {}
  // A fresh time-ordered id.
  static Id generate() { return Id(detail::generate_uuid_v7()); }
  // nullopt unless `text` is a UUID in 8-4-4-4-12 form (any letter case).
  static std::optional<Id> parse(std::string_view text) {
    auto u = detail::parse_uuid(text);
    if (!u) return std::nullopt;
    return Id(*u);
  }
  [[nodiscard]] std::string str() const { return detail::uuid_text(value_); }
  [[nodiscard]] const boost::uuids::uuid& uuid() const { return value_; }
  friend bool operator==(const Id&, const Id&) = default;
  friend std::strong_ordering operator<=>(const Id& a, const Id& b) {
    for (size_t i = 0; i < 16; ++i) {
      if (a.value_.data[i] != b.value_.data[i]) return a.value_.data[i] <=> b.value_.data[i];
    }
    return std::strong_ordering::equal;
  }
  template <typename H>
  friend H AbslHashValue(H h, const Id& id) {
    return H::combine_contiguous(std::move(h), id.value_.data, 16);
  }

 private:
  boost::uuids::uuid value_{};
};

using CustomerId = Id<struct CustomerTag>;
using AddressId = Id<struct AddressTag>;
using CompanyId = Id<struct CompanyTag>;
using OrderId = Id<struct OrderTag>;
using TicketId = Id<struct TicketTag>;
using OpportunityId = Id<struct OpportunityTag>;

}  // namespace leadcustomers
