#include "leadcustomers/customer.hpp"

#include "detail/strings.hpp"

namespace leadcustomers {

const Address* CustomerAggregate::find_address(const AddressId& id) const {
  for (const auto& a : addresses)
    if (a.id == id) return &a;
  return nullptr;
}

Address* CustomerAggregate::find_address(const AddressId& id) {
  for (auto& a : addresses)
    if (a.id == id) return &a;
  return nullptr;
}

const Address* CustomerAggregate::default_billing() const {
  return customer.default_billing_address_id ? find_address(*customer.default_billing_address_id) : nullptr;
}

const Address* CustomerAggregate::default_shipping() const {
  return customer.default_shipping_address_id ? find_address(*customer.default_shipping_address_id) : nullptr;
}

std::string erased_email(const CustomerId& id) { return detail::cat("erased-", id.str(), "@erased.invalid"); }

}  // namespace leadcustomers
