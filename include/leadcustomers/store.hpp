// The storage interface. Stores only load, lock and save: every rule lives once in the core (engine.hpp),
// which applies a command to a loaded snapshot of the customer aggregate inside one transaction.
//
//   MemoryStore store;                                  // or SqliteStore
//   absl::Status s = store.write([&](StoreTx& tx) -> absl::Status {
//     auto agg = tx.load_customer(id);                  // StatusOr<optional<CustomerAggregate>>
//     ...
//     return tx.put_customer(new_agg, &old_agg);
//   });                                                 // commits when the callback returns OK
//
//   // Bulk paths (imports) apply many commands in one transaction, one savepoint each, so a failing
//   // command undoes only itself:
//   store.write([&](StoreTx& tx) -> absl::Status {
//     for (const auto& cmd : commands)
//       (void)tx.savepoint([&](StoreTx& t) { return engine.execute_in(t, cmd).status; });
//     return absl::OkStatus();
//   });
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/opportunity.hpp"
#include "leadcustomers/order.hpp"
#include "leadcustomers/segment.hpp"
#include "leadcustomers/ticket.hpp"

namespace leadcustomers {

// Search filters and paging (SPEC §5 `customer.search`). Results are ordered by customer id (time-ordered
// UUIDv7), so a cursor (the last id of a page) never repeats or skips a customer while others are added.
struct SearchQuery {
  std::string text;  // prefix of first/last/full name, e-mail, phone digits, or company name; "" = all
  std::optional<Status> status;
  std::optional<int64_t> customer_type_id;
  std::optional<CompanyId> company_id;
  std::optional<std::string> region;  // alpha-2 of any of the customer's addresses
  size_t limit = 50;
  std::optional<CustomerId> after;  // cursor
};

// One transaction's view of a store. Reads see the transaction's own writes.
class StoreTx {
 public:
  virtual ~StoreTx() = default;

  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerAggregate>> load_customer(
      const CustomerId& id) = 0;
  // The non-archived customer whose e-mail key is `key`.
  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(
      std::string_view key) = 0;
  // The most recently archived customer whose e-mail key is `key`.
  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(
      std::string_view key) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(
      std::string_view system, std::string_view id) = 0;
  // The customer whose address book holds address `id` (address ids are unique across customers).
  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) = 0;
  // Writes the whole aggregate. `before` is the loaded snapshot (nullptr for a new customer), so a store
  // may write only what changed.
  [[nodiscard]] virtual absl::Status put_customer(const CustomerAggregate& after,
                                                  const CustomerAggregate* before) = 0;
  [[nodiscard]] virtual absl::Status delete_customer(const CustomerId& id) = 0;
  // Ids of matching customers, ordered by id, at most query.limit.
  [[nodiscard]] virtual absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery& query) = 0;

  [[nodiscard]] virtual absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<CustomerType>> list_customer_types() = 0;
  [[nodiscard]] virtual absl::Status put_customer_type(const CustomerType& type) = 0;

  [[nodiscard]] virtual absl::StatusOr<std::optional<Company>> load_company(const CompanyId& id) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<Company>> list_companies() = 0;
  [[nodiscard]] virtual absl::Status put_company(const Company& company) = 0;

  [[nodiscard]] virtual absl::StatusOr<std::optional<Order>> load_order(const OrderId& id) = 0;
  [[nodiscard]] virtual absl::Status put_order(const Order& order) = 0;
  // Orders of a customer, newest first (placed_at desc, then id desc).
  [[nodiscard]] virtual absl::StatusOr<std::vector<Order>> list_orders(const CustomerId& customer) = 0;
  [[nodiscard]] virtual absl::StatusOr<int64_t> count_orders(const CustomerId& customer) = 0;
  // One page of a customer's orders, newest first, strictly after `after` (from the newest when nullopt),
  // at most `limit`.
  [[nodiscard]] virtual absl::StatusOr<std::vector<Order>> page_orders(
      const CustomerId& customer, const std::optional<OrderCursor>& after, size_t limit) = 0;
  // Count, sum of totals and first/last placed_at of a customer's orders per (currency, status), in any
  // order. The core folds them (summarize_orders) with the one lifetime-value rule.
  [[nodiscard]] virtual absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId& customer) = 0;

  [[nodiscard]] virtual absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId& id) = 0;
  [[nodiscard]] virtual absl::Status put_ticket(const Ticket& ticket) = 0;
  // A customer's tickets in id order (the view orders them: ticket_view_less).
  [[nodiscard]] virtual absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId& customer) = 0;

  [[nodiscard]] virtual absl::StatusOr<std::optional<Opportunity>> load_opportunity(
      const OpportunityId& id) = 0;
  [[nodiscard]] virtual absl::Status put_opportunity(const Opportunity& opportunity) = 0;
  // A customer's opportunities in id order (the view orders them: opportunity_view_less).
  [[nodiscard]] virtual absl::StatusOr<std::vector<Opportunity>> list_opportunities(
      const CustomerId& customer) = 0;

  // Custom segments (built-ins live in the core and are never stored). list_segments orders by id.
  [[nodiscard]] virtual absl::StatusOr<std::optional<Segment>> load_segment(std::string_view id) = 0;
  [[nodiscard]] virtual absl::StatusOr<std::vector<Segment>> list_segments() = 0;
  [[nodiscard]] virtual absl::Status put_segment(const Segment& segment) = 0;
  // Members of `rule` at `now` (is_member: erased customers never): ids ordered by id, after `after`, at
  // most `limit`. This default evaluates every customer in the core; a store may override it with a faster
  // path that gives exactly the same ids (SqliteStore compiles the rule to SQL).
  [[nodiscard]] virtual absl::StatusOr<std::vector<CustomerId>> segment_members(
      const SegmentRule& rule, absl::Time now, const std::optional<CustomerId>& after, size_t limit);

  // Runs `fn` as a nested unit of this transaction (SQL SAVEPOINT): when fn returns an error, exactly what
  // it wrote is undone and the transaction goes on; when it returns OK its writes stay pending until the
  // transaction commits. Savepoints nest. Returns fn's status, or the store's own failure (then the whole
  // transaction must be abandoned: return an error from the Store::write callback).
  [[nodiscard]] virtual absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in one write transaction; commits when it returns OK, rolls back otherwise. Writers are
  // serialized. Returns fn's status (or the store's own failure).
  [[nodiscard]] virtual absl::Status write(absl::FunctionRef<absl::Status(StoreTx&)> fn) = 0;
  // Runs `fn` against a consistent snapshot; any put_* inside fails with INTERNAL.
  [[nodiscard]] virtual absl::Status read(absl::FunctionRef<absl::Status(StoreTx&)> fn) = 0;
};

}  // namespace leadcustomers
