// Support tickets (SPEC §2.5) and the order of the `customer.tickets` view: unresolved tickets (Open and
// Pending, together) first, then Closed ones; newest first within each group (created_at desc, id desc).
//
//   Ticket t;
//   t.subject = "Parcel arrived damaged";
//   t.status = TicketStatus::open;
//   std::sort(list.begin(), list.end(), ticket_view_less);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "leadcustomers/ids.hpp"

namespace leadcustomers {

enum class TicketStatus { open, pending, closed };
enum class TicketPriority { low, normal, high, urgent };
[[nodiscard]] std::string_view to_string(TicketStatus v);
[[nodiscard]] std::string_view to_string(TicketPriority v);
[[nodiscard]] std::optional<TicketStatus> parse_ticket_status(std::string_view s);
[[nodiscard]] std::optional<TicketPriority> parse_ticket_priority(std::string_view s);

struct Ticket {
  TicketId id;
  CustomerId customer_id;
  std::string subject;
  TicketStatus status = TicketStatus::open;
  TicketPriority priority = TicketPriority::normal;
  absl::Time created_at;
  absl::Time updated_at;
  friend bool operator==(const Ticket&, const Ticket&) = default;
};

// The view order of `customer.tickets`: a strict total order (see the header comment).
[[nodiscard]] bool ticket_view_less(const Ticket& a, const Ticket& b);

}  // namespace leadcustomers
