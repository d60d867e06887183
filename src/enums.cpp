#include "leadcustomers/enums.hpp"

#include <array>
#include <utility>

#include "leadcustomers/order.hpp"

namespace leadcustomers {
namespace {

template <typename E, size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return {};
}

template <typename E, size_t N>
std::optional<E> parse_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [e, n] : table)
    if (n == s) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<Status, std::string_view>, 3> kStatus{
    {{Status::active, "Active"}, {Status::inactive, "Inactive"}, {Status::archived, "Archived"}}};
constexpr std::array<std::pair<AddressStatus, std::string_view>, 2> kAddressStatus{
    {{AddressStatus::active, "Active"}, {AddressStatus::inactive, "Inactive"}}};
constexpr std::array<std::pair<Actor, std::string_view>, 3> kActor{
    {{Actor::staff, "staff"}, {Actor::customer, "customer"}, {Actor::system, "system"}}};
constexpr std::array<std::pair<OptInLevel, std::string_view>, 3> kOptIn{
    {{OptInLevel::single, "single"}, {OptInLevel::confirmed, "confirmed"}, {OptInLevel::unknown, "unknown"}}};
constexpr std::array<std::pair<ConsentSource, std::string_view>, 5> kSource{
    {{ConsentSource::storefront_checkout, "storefront_checkout"},
     {ConsentSource::customer_portal, "customer_portal"},
     {ConsentSource::back_office, "back_office"},
     {ConsentSource::import, "import"},
     {ConsentSource::api, "api"}}};
constexpr std::array<std::pair<AddressRole, std::string_view>, 2> kRole{
    {{AddressRole::shipping, "shipping"}, {AddressRole::billing, "billing"}}};
constexpr std::array<std::pair<OrderStatus, std::string_view>, 6> kOrderStatus{
    {{OrderStatus::pending, "Pending"},
     {OrderStatus::processing, "Processing"},
     {OrderStatus::shipped, "Shipped"},
     {OrderStatus::completed, "Completed"},
     {OrderStatus::cancelled, "Cancelled"},
     {OrderStatus::refunded, "Refunded"}}};

}  // namespace

std::string_view to_string(Status v) { return name_of(kStatus, v); }
std::string_view to_string(AddressStatus v) { return name_of(kAddressStatus, v); }
std::string_view to_string(Actor v) { return name_of(kActor, v); }
std::string_view to_string(OptInLevel v) { return name_of(kOptIn, v); }
std::string_view to_string(ConsentSource v) { return name_of(kSource, v); }
std::string_view to_string(AddressRole v) { return name_of(kRole, v); }
std::string_view to_string(OrderStatus v) { return name_of(kOrderStatus, v); }

std::optional<Status> parse_status(std::string_view s) { return parse_of(kStatus, s); }
std::optional<AddressStatus> parse_address_status(std::string_view s) { return parse_of(kAddressStatus, s); }
std::optional<Actor> parse_actor(std::string_view s) { return parse_of(kActor, s); }
std::optional<OptInLevel> parse_opt_in_level(std::string_view s) { return parse_of(kOptIn, s); }
std::optional<ConsentSource> parse_consent_source(std::string_view s) { return parse_of(kSource, s); }
std::optional<AddressRole> parse_address_role(std::string_view s) { return parse_of(kRole, s); }
std::optional<OrderStatus> parse_order_status(std::string_view s) { return parse_of(kOrderStatus, s); }

bool counts_towards_lifetime_value(OrderStatus s) {
  return s == OrderStatus::processing || s == OrderStatus::shipped || s == OrderStatus::completed;
}

}  // namespace leadcustomers
