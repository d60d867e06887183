// An address of a customer's address book (SPEC §2.3).
//
//   Address a;
//   a.region = "US"; a.state = "US-CA"; a.zip = "94105";   // stored, normalized forms
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "leadcustomers/enums.hpp"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/phone.hpp"

namespace leadcustomers {

// The stored, validated form of an address.
struct Address {
  AddressId id;
  CustomerId customer_id;
  std::string name;
  AddressStatus status = AddressStatus::active;
  std::string region;                // ISO 3166-1 alpha-2
  std::optional<std::string> state;  // full ISO 3166-2 (or documented non-ISO) code, "US-CA"
  std::optional<Phone> phone;
  std::string address1;
  std::optional<std::string> address2;
  std::optional<std::string> city;
  std::optional<std::string> zip;
  std::optional<std::string> business_name;
  friend bool operator==(const Address&, const Address&) = default;
};

}  // namespace leadcustomers
