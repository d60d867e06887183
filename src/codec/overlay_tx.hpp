// A StoreTx that keeps customer writes to itself until commit(): the importer applies the several commands
// of one record (customer.create or customer.update, address.add, address.set_default, newsletter.set) to an
// overlay over the batch's transaction, and writes the record's result in one put_customer — or nothing when
// any command of the record fails. This makes a record atomic in every store, with no savepoints. A dry run
// stacks the per-record overlays on one overlay that is never committed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "leadcustomers/store.hpp"

namespace leadcustomers::detail {

class OverlayTx final : public StoreTx {
 public:
  explicit OverlayTx(StoreTx& base) : base_(base) {}

  absl::StatusOr<std::optional<CustomerAggregate>> load_customer(const CustomerId& id) override;
  absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(std::string_view key) override;
  absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(std::string_view key) override;
  absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(std::string_view system,
                                                                 std::string_view id) override;
  absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) override;
  absl::Status put_customer(const CustomerAggregate& after, const CustomerAggregate* before) override;
  // A nested unit over the overlay: a failure restores what the overlay had staged before it.
  absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) override;
  absl::Status delete_customer(const CustomerId& id) override;
  absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery& query) override;

  absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) override {
    return base_.load_customer_type(id);
  }
  absl::StatusOr<std::vector<CustomerType>> list_customer_types() override {
    return base_.list_customer_types();
  }
  absl::Status put_customer_type(const CustomerType& type) override;
  absl::StatusOr<std::optional<Company>> load_company(const CompanyId& id) override {
    return base_.load_company(id);
  }
  absl::StatusOr<std::vector<Company>> list_companies() override { return base_.list_companies(); }
  absl::Status put_company(const Company& company) override;
  absl::StatusOr<std::optional<Order>> load_order(const OrderId& id) override { return base_.load_order(id); }
  absl::Status put_order(const Order& order) override;
  absl::StatusOr<std::vector<Order>> list_orders(const CustomerId& customer) override {
    return base_.list_orders(customer);
  }
  absl::StatusOr<int64_t> count_orders(const CustomerId& customer) override {
    return base_.count_orders(customer);
  }
  absl::StatusOr<std::vector<Order>> page_orders(const CustomerId& customer,
                                                 const std::optional<OrderCursor>& after,
                                                 size_t limit) override {
    return base_.page_orders(customer, after, limit);
  }
  absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId& customer) override {
    return base_.tally_orders(customer);
  }
  absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId& id) override {
    return base_.load_ticket(id);
  }
  absl::Status put_ticket(const Ticket& ticket) override;
  absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId& customer) override {
    return base_.list_tickets(customer);
  }
  absl::StatusOr<std::optional<Opportunity>> load_opportunity(const OpportunityId& id) override {
    return base_.load_opportunity(id);
  }
  absl::Status put_opportunity(const Opportunity& opportunity) override;
  absl::StatusOr<std::vector<Opportunity>> list_opportunities(const CustomerId& customer) override {
    return base_.list_opportunities(customer);
  }
  absl::StatusOr<std::optional<Segment>> load_segment(std::string_view id) override {
    return base_.load_segment(id);
  }
  absl::StatusOr<std::vector<Segment>> list_segments() override { return base_.list_segments(); }
  absl::Status put_segment(const Segment& segment) override;
  // segment_members: StoreTx's default, the core's evaluation over this overlay (staged customers as staged).

  // The staged aggregate of `id` (nullptr when the overlay has not written it).
  [[nodiscard]] CustomerAggregate* staged(const CustomerId& id);
  // Whether the staged customer `id` is new (absent from the base).
  [[nodiscard]] bool is_new(const CustomerId& id) const;

  // A copy of everything staged, and its restoration (undoes the commands applied since the snapshot).
  struct Snapshot;
  [[nodiscard]] Snapshot snapshot() const;
  void restore(Snapshot snapshot);

  // Writes every staged customer that differs from the base to the base, as one write each, and counts
  // them in `written`. With `renumber`, the version becomes the base's version + 1 (1 for a new customer):
  // the record is one change.
  [[nodiscard]] absl::Status commit(bool renumber = true, size_t* written = nullptr);
  // Forgets everything staged.
  void clear();

 private:
  struct Entry {
    std::optional<CustomerAggregate> original;  // as in the base (nullopt: new)
    CustomerAggregate after;
  };
  static std::string ref_key(std::string_view system, std::string_view id);
  void index(const CustomerAggregate& agg);
  void unindex(const CustomerAggregate& agg);

  // What a savepoint undoes: for each put, the customer's staged state before it (nullopt: not staged).
  // Puts move the previous state here rather than the savepoint copying everything up front.
  struct Undo {
    CustomerId id;
    std::optional<CustomerAggregate> prior;
  };
  void undo(std::vector<Undo>& journal);

  StoreTx& base_;
  std::vector<std::vector<Undo>*> journals_;  // of the open savepoints, innermost last
  absl::flat_hash_map<CustomerId, Entry> staged_;
  std::vector<CustomerId> order_;                            // staging order, for a stable commit
  absl::flat_hash_map<std::string, CustomerId> live_email_;  // staged, not archived
  absl::flat_hash_map<std::string, CustomerId> refs_;        // staged external refs
  // The base's answers to look-ups by e-mail key and external ref. The base does not change while the
  // overlay stages (only commit() writes to it, and clears this), and a record asks the same questions
  // several times (the importer to find its customer, then the engine for uniqueness): each is asked once.
  // A few entries at most, so a long-lived overlay (the dry run's) stays small.
  static constexpr size_t kMaxRemembered = 8;
  std::vector<std::pair<std::string, std::optional<CustomerId>>> base_answers_;
  absl::StatusOr<std::optional<CustomerId>> ask_base(
      std::string key, absl::FunctionRef<absl::StatusOr<std::optional<CustomerId>>()> ask);

 public:
  struct Snapshot {
    absl::flat_hash_map<CustomerId, Entry> staged;
    std::vector<CustomerId> order;
    absl::flat_hash_map<std::string, CustomerId> live_email;
    absl::flat_hash_map<std::string, CustomerId> refs;
  };
};

}  // namespace leadcustomers::detail
