// JSON documents the library emits (SPEC §2, §5): absent optionals are null, timestamps RFC 3339 UTC with
// milliseconds, phones {"e164","extension"}, enums as their exact strings. Never a secret or a hash.
//
//   boost::json::object doc = customer_document(aggregate);
#pragma once

#include "boost/json.hpp"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/opportunity.hpp"
#include "leadcustomers/order.hpp"
#include "leadcustomers/ticket.hpp"

namespace leadcustomers {

[[nodiscard]] boost::json::value phone_json(const std::optional<Phone>& p);
// SPEC §2: {"amount": 1999, "currency": "USD"} (int64 minor units).
[[nodiscard]] boost::json::value money_json(const Money& m);
[[nodiscard]] boost::json::object address_document(const Address& a);
// The customer document of SPEC §5 (every field of §2.1, addresses, default pointers, portal status).
[[nodiscard]] boost::json::object customer_document(const CustomerAggregate& agg);
[[nodiscard]] boost::json::object customer_type_document(const CustomerType& t);
[[nodiscard]] boost::json::object company_document(const Company& c);
[[nodiscard]] boost::json::object order_document(const Order& o);
// {id, customer_id, subject, status, priority, created_at, updated_at}.
[[nodiscard]] boost::json::object ticket_document(const Ticket& t);
// {id, customer_id, subject, stage, is_open, amount (Money or null), expected_close ("YYYY-MM-DD" or null),
//  created_at, updated_at}.
[[nodiscard]] boost::json::object opportunity_document(const Opportunity& o);
[[nodiscard]] boost::json::object history_document(const HistoryEntry& h);
[[nodiscard]] boost::json::object consent_document(const ConsentEntry& c);

}  // namespace leadcustomers
