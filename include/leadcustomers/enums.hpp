// Every enumeration of the model, with its exact wire spelling (SPEC §2–§3).
//
//   std::optional<Status> s = parse_status("Inactive");
//   std::string_view name = to_string(Status::archived);   // "Archived"
#pragma once

#include <optional>
#include <string_view>

namespace leadcustomers {

// Customer, customer type and company status.
enum class Status { active, inactive, archived };
// Address status.
enum class AddressStatus { active, inactive };
// Who issues a command.
enum class Actor { staff, customer, system };
enum class OptInLevel { single, confirmed, unknown };
enum class ConsentSource { storefront_checkout, customer_portal, back_office, import, api };
enum class AddressRole { shipping, billing };

[[nodiscard]] std::string_view to_string(Status v);
[[nodiscard]] std::string_view to_string(AddressStatus v);
[[nodiscard]] std::string_view to_string(Actor v);
[[nodiscard]] std::string_view to_string(OptInLevel v);
[[nodiscard]] std::string_view to_string(ConsentSource v);
[[nodiscard]] std::string_view to_string(AddressRole v);

[[nodiscard]] std::optional<Status> parse_status(std::string_view s);
[[nodiscard]] std::optional<AddressStatus> parse_address_status(std::string_view s);
[[nodiscard]] std::optional<Actor> parse_actor(std::string_view s);
[[nodiscard]] std::optional<OptInLevel> parse_opt_in_level(std::string_view s);
[[nodiscard]] std::optional<ConsentSource> parse_consent_source(std::string_view s);
[[nodiscard]] std::optional<AddressRole> parse_address_role(std::string_view s);

}  // namespace leadcustomers
