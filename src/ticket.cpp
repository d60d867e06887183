#include "leadcustomers/ticket.hpp"

#include <array>
#include <utility>

namespace leadcustomers {
namespace {

constexpr std::array<std::pair<TicketStatus, std::string_view>, 3> kStatus{
    {{TicketStatus::open, "Open"}, {TicketStatus::pending, "Pending"}, {TicketStatus::closed, "Closed"}}};
constexpr std::array<std::pair<TicketPriority, std::string_view>, 4> kPriority{
    {{TicketPriority::low, "Low"},
     {TicketPriority::normal, "Normal"},
     {TicketPriority::high, "High"},
     {TicketPriority::urgent, "Urgent"}}};

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

}  // namespace

std::string_view to_string(TicketStatus v) { return name_of(kStatus, v); }
std::string_view to_string(TicketPriority v) { return name_of(kPriority, v); }
std::optional<TicketStatus> parse_ticket_status(std::string_view s) { return parse_of(kStatus, s); }
std::optional<TicketPriority> parse_ticket_priority(std::string_view s) { return parse_of(kPriority, s); }

bool ticket_view_less(const Ticket& a, const Ticket& b) {
  const bool a_closed = a.status == TicketStatus::closed;
  const bool b_closed = b.status == TicketStatus::closed;
  if (a_closed != b_closed) return !a_closed;
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

}  // namespace leadcustomers
