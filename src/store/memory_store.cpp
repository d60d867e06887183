#include "leadcustomers/memory_store.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "store/search_match.hpp"

namespace leadcustomers {

struct MemoryStore::State {
  std::shared_mutex mutex;
  absl::flat_hash_map<CustomerId, CustomerAggregate> customers;
  std::set<CustomerId> ordered;
  absl::flat_hash_map<std::string, CustomerId> live_email;
  absl::flat_hash_map<std::string, std::vector<CustomerId>> archived_email;
  absl::flat_hash_map<std::string, CustomerId> external_refs;  // system '\0' id
  absl::flat_hash_map<AddressId, CustomerId> address_owner;
  std::map<int64_t, CustomerType> types;
  absl::flat_hash_map<CompanyId, Company> companies;
  absl::flat_hash_map<OrderId, Order> orders;
  absl::flat_hash_map<CustomerId, std::vector<OrderId>> orders_by_customer;
  // Tickets and opportunities by customer, then id (the list order).
  absl::flat_hash_map<TicketId, CustomerId> ticket_owner;
  absl::flat_hash_map<CustomerId, std::map<TicketId, Ticket>> tickets;
  absl::flat_hash_map<OpportunityId, CustomerId> opportunity_owner;
  absl::flat_hash_map<CustomerId, std::map<OpportunityId, Opportunity>> opportunities;
  std::map<std::string, Segment> segments;  // custom segments by id

  State() { types[1] = CustomerType{1, "Default", Status::active, true, false}; }

  static std::string ref_key(std::string_view system, std::string_view id) {
    return detail::cat(system, std::string_view("\0", 1), id);
  }

  void unindex(const CustomerAggregate& a) {
    const auto& c = a.customer;
    if (!c.erased) {
      if (c.status != Status::archived) {
        auto it = live_email.find(c.email_key);
        if (it != live_email.end() && it->second == c.id) live_email.erase(it);
      } else {
        auto it = archived_email.find(c.email_key);
        if (it != archived_email.end()) {
          std::erase(it->second, c.id);
          if (it->second.empty()) archived_email.erase(it);
        }
      }
    }
    for (const auto& r : c.external_refs) {
      auto it = external_refs.find(ref_key(r.system, r.id));
      if (it != external_refs.end() && it->second == c.id) external_refs.erase(it);
    }
    for (const auto& addr : a.addresses) {
      auto it = address_owner.find(addr.id);
      if (it != address_owner.end() && it->second == c.id) address_owner.erase(it);
    }
  }

  absl::Status index(const CustomerAggregate& a) {
    const auto& c = a.customer;
    if (!c.erased) {
      if (c.status != Status::archived) {
        auto [it, inserted] = live_email.try_emplace(c.email_key, c.id);
        if (!inserted && it->second != c.id) {
          return field_error(ErrorCode::already_exists, "email", "email.taken",
                             detail::cat("e-mail '", c.email, "' is already taken"));
        }
      } else {
        archived_email[c.email_key].push_back(c.id);
      }
    }
    for (const auto& r : c.external_refs) {
      auto [it, inserted] = external_refs.try_emplace(ref_key(r.system, r.id), c.id);
      if (!inserted && it->second != c.id) {
        return field_error(ErrorCode::already_exists, "external_refs", "external_ref.taken",
                           detail::cat("external ref ", r.system, " '", r.id, "' is already taken"));
      }
    }
    for (const auto& addr : a.addresses) {
      auto [it, inserted] = address_owner.try_emplace(addr.id, c.id);
      if (!inserted && it->second != c.id) {
        return field_error(ErrorCode::already_exists, "id", "id.taken",
                           detail::cat("address ", addr.id.str(), " belongs to another customer"));
      }
    }
    return absl::OkStatus();
  }
};

namespace {

class MemoryTx final : public StoreTx {
 public:
  MemoryTx(MemoryStore::State& s, bool writable) : s_(s), writable_(writable) {}

  void rollback() { rollback_to(0); }

  // Undoes every change made after the undo log had `mark` entries.
  void rollback_to(size_t mark) {
    while (undo_.size() > mark) {
      undo_.back()();
      undo_.pop_back();
    }
  }

  absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) override {
    size_t mark = undo_.size();
    absl::Status status = fn(*this);
    if (!status.ok()) rollback_to(mark);
    return status;
  }

  absl::StatusOr<std::optional<CustomerAggregate>> load_customer(const CustomerId& id) override {
    auto it = s_.customers.find(id);
    if (it == s_.customers.end()) return std::optional<CustomerAggregate>();
    return std::optional<CustomerAggregate>(it->second);
  }

  absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(std::string_view key) override {
    auto it = s_.live_email.find(detail::to_absl(key));
    if (it == s_.live_email.end()) return std::optional<CustomerId>();
    return std::optional<CustomerId>(it->second);
  }

  absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(std::string_view key) override {
    auto it = s_.archived_email.find(std::string(key));
    if (it == s_.archived_email.end() || it->second.empty()) return std::optional<CustomerId>();
    const CustomerAggregate* best = nullptr;
    for (const auto& id : it->second) {
      const auto& agg = s_.customers.at(id);
      if (!best || agg.customer.updated_at > best->customer.updated_at ||
          (agg.customer.updated_at == best->customer.updated_at && agg.customer.id > best->customer.id)) {
        best = &agg;
      }
    }
    return std::optional<CustomerId>(best->customer.id);
  }

  absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(std::string_view system,
                                                                 std::string_view id) override {
    auto it = s_.external_refs.find(MemoryStore::State::ref_key(system, id));
    if (it == s_.external_refs.end()) return std::optional<CustomerId>();
    return std::optional<CustomerId>(it->second);
  }

  absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) override {
    auto it = s_.address_owner.find(id);
    if (it == s_.address_owner.end()) return std::optional<CustomerId>();
    return std::optional<CustomerId>(it->second);
  }

  absl::Status put_customer(const CustomerAggregate& after, const CustomerAggregate*) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    const auto& id = after.customer.id;
    auto it = s_.customers.find(id);
    std::optional<CustomerAggregate> old;
    if (it != s_.customers.end()) {
      old = it->second;
      s_.unindex(it->second);
    }
    auto status = s_.index(after);
    if (!status.ok()) {
      s_.unindex(after);
      if (old) (void)s_.index(*old);
      return status;
    }
    s_.customers[id] = after;
    s_.ordered.insert(id);
    undo_.push_back([this, id, old = std::move(old)]() {
      s_.unindex(s_.customers.at(id));
      if (old) {
        s_.customers[id] = *old;
        (void)s_.index(*old);
      } else {
        s_.customers.erase(id);
        s_.ordered.erase(id);
      }
    });
    return absl::OkStatus();
  }

  absl::Status delete_customer(const CustomerId& id) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    auto it = s_.customers.find(id);
    if (it == s_.customers.end()) return absl::OkStatus();
    CustomerAggregate old = it->second;
    s_.unindex(old);
    s_.customers.erase(it);
    s_.ordered.erase(id);
    undo_.push_back([this, old = std::move(old)]() {
      s_.customers[old.customer.id] = old;
      s_.ordered.insert(old.customer.id);
      (void)s_.index(old);
    });
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery& q) override {
    std::vector<CustomerId> out;
    auto it = q.after ? s_.ordered.upper_bound(*q.after) : s_.ordered.begin();
    std::optional<std::string> company_folded;
    SearchMatcher matcher(q.text);
    for (; it != s_.ordered.end() && out.size() < q.limit; ++it) {
      const auto& agg = s_.customers.at(*it);
      const auto& c = agg.customer;
      if (q.status && c.status != *q.status) continue;
      if (q.customer_type_id && c.customer_type_id != *q.customer_type_id) continue;
      if (q.company_id && c.company_id != q.company_id) continue;
      if (q.region && std::none_of(agg.addresses.begin(), agg.addresses.end(),
                                   [&](const Address& a) { return a.region == *q.region; })) {
        continue;
      }
      if (!matcher.empty()) {
        std::string company_name;
        if (c.company_id) {
          auto cit = s_.companies.find(*c.company_id);
          if (cit != s_.companies.end()) company_name = cit->second.name;
        }
        if (!matcher.matches(agg, company_name)) continue;
      }
      out.push_back(*it);
    }
    return out;
  }

  absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) override {
    auto it = s_.types.find(id);
    if (it == s_.types.end()) return std::optional<CustomerType>();
    return std::optional<CustomerType>(it->second);
  }

  absl::StatusOr<std::vector<CustomerType>> list_customer_types() override {
    std::vector<CustomerType> out;
    for (const auto& [id, t] : s_.types) out.push_back(t);
    return out;
  }

  absl::Status put_customer_type(const CustomerType& type) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    auto it = s_.types.find(type.id);
    std::optional<CustomerType> old;
    if (it != s_.types.end()) old = it->second;
    s_.types[type.id] = type;
    undo_.push_back([this, id = type.id, old]() {
      if (old) {
        s_.types[id] = *old;
      } else {
        s_.types.erase(id);
      }
    });
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Company>> load_company(const CompanyId& id) override {
    auto it = s_.companies.find(id);
    if (it == s_.companies.end()) return std::optional<Company>();
    return std::optional<Company>(it->second);
  }

  absl::StatusOr<std::vector<Company>> list_companies() override {
    std::vector<Company> out;
    for (const auto& [id, c] : s_.companies) out.push_back(c);
    std::sort(out.begin(), out.end(), [](const Company& a, const Company& b) { return a.id < b.id; });
    return out;
  }

  absl::Status put_company(const Company& company) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    auto it = s_.companies.find(company.id);
    std::optional<Company> old;
    if (it != s_.companies.end()) old = it->second;
    s_.companies[company.id] = company;
    undo_.push_back([this, id = company.id, old]() {
      if (old) {
        s_.companies[id] = *old;
      } else {
        s_.companies.erase(id);
      }
    });
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Order>> load_order(const OrderId& id) override {
    auto it = s_.orders.find(id);
    if (it == s_.orders.end()) return std::optional<Order>();
    return std::optional<Order>(it->second);
  }

  absl::Status put_order(const Order& order) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    auto it = s_.orders.find(order.id);
    std::optional<Order> old;
    if (it != s_.orders.end()) old = it->second;
    s_.orders[order.id] = order;
    auto& list = s_.orders_by_customer[order.customer_id];
    bool added = std::find(list.begin(), list.end(), order.id) == list.end();
    if (added) list.push_back(order.id);
    undo_.push_back([this, order, old, added]() {
      if (old) {
        s_.orders[order.id] = *old;
      } else {
        s_.orders.erase(order.id);
      }
      if (added) std::erase(s_.orders_by_customer[order.customer_id], order.id);
    });
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Order>> list_orders(const CustomerId& customer) override {
    std::vector<Order> out;
    auto it = s_.orders_by_customer.find(customer);
    if (it == s_.orders_by_customer.end()) return out;
    for (const auto& id : it->second) out.push_back(s_.orders.at(id));
    std::sort(out.begin(), out.end(), [](const Order& a, const Order& b) {
      if (a.placed_at != b.placed_at) return a.placed_at > b.placed_at;
      return a.id > b.id;
    });
    return out;
  }

  absl::StatusOr<int64_t> count_orders(const CustomerId& customer) override {
    auto it = s_.orders_by_customer.find(customer);
    return it == s_.orders_by_customer.end() ? 0 : static_cast<int64_t>(it->second.size());
  }

  absl::StatusOr<std::vector<Order>> page_orders(const CustomerId& customer,
                                                 const std::optional<OrderCursor>& after,
                                                 size_t limit) override {
    auto all = list_orders(customer);
    if (!all.ok()) return all.status();
    std::vector<Order> out;
    for (auto& o : *all) {
      if (out.size() >= limit) break;
      if (after && !after_cursor(o, *after)) continue;
      out.push_back(std::move(o));
    }
    return out;
  }

  absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId& customer) override {
    auto all = list_orders(customer);
    if (!all.ok()) return all.status();
    return leadcustomers::tally_orders(*all);
  }

  absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId& id) override {
    return load_child(s_.ticket_owner, s_.tickets, id);
  }
  absl::Status put_ticket(const Ticket& ticket) override {
    return put_child(s_.ticket_owner, s_.tickets, ticket);
  }
  absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId& customer) override {
    return list_children(s_.tickets, customer);
  }

  absl::StatusOr<std::optional<Opportunity>> load_opportunity(const OpportunityId& id) override {
    return load_child(s_.opportunity_owner, s_.opportunities, id);
  }
  absl::Status put_opportunity(const Opportunity& opportunity) override {
    return put_child(s_.opportunity_owner, s_.opportunities, opportunity);
  }
  absl::StatusOr<std::vector<Opportunity>> list_opportunities(const CustomerId& customer) override {
    return list_children(s_.opportunities, customer);
  }

  absl::StatusOr<std::optional<Segment>> load_segment(std::string_view id) override {
    auto it = s_.segments.find(std::string(id));
    if (it == s_.segments.end()) return std::optional<Segment>();
    return std::optional<Segment>(it->second);
  }

  absl::StatusOr<std::vector<Segment>> list_segments() override {
    std::vector<Segment> out;
    for (const auto& [id, seg] : s_.segments) out.push_back(seg);
    return out;
  }

  absl::Status put_segment(const Segment& segment) override {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    auto it = s_.segments.find(segment.id);
    std::optional<Segment> old;
    if (it != s_.segments.end()) old = it->second;
    s_.segments[segment.id] = segment;
    undo_.push_back([this, id = segment.id, old]() {
      if (old) {
        s_.segments[id] = *old;
      } else {
        s_.segments.erase(id);
      }
    });
    return absl::OkStatus();
  }

 private:
  // Tickets and opportunities: records owned by a customer, kept per customer in id order.
  template <typename IdT>
  using Owners = absl::flat_hash_map<IdT, CustomerId>;
  template <typename IdT, typename T>
  using ByCustomer = absl::flat_hash_map<CustomerId, std::map<IdT, T>>;

  template <typename IdT, typename T>
  static absl::StatusOr<std::optional<T>> load_child(const Owners<IdT>& owners, const ByCustomer<IdT, T>& all,
                                                     const IdT& id) {
    auto owner = owners.find(id);
    if (owner == owners.end()) return std::optional<T>();
    return std::optional<T>(all.at(owner->second).at(id));
  }

  template <typename IdT, typename T>
  absl::Status put_child(Owners<IdT>& owners, ByCustomer<IdT, T>& all, const T& record) {
    if (!writable_) return make_error(ErrorCode::internal, "write in a read transaction");
    std::optional<T> old;
    if (auto owner = owners.find(record.id); owner != owners.end()) {
      old = all.at(owner->second).at(record.id);
      all.at(owner->second).erase(record.id);
    }
    owners[record.id] = record.customer_id;
    all[record.customer_id][record.id] = record;
    undo_.push_back([&owners, &all, record, old]() {
      all[record.customer_id].erase(record.id);
      if (old) {
        owners[old->id] = old->customer_id;
        all[old->customer_id][old->id] = *old;
      } else {
        owners.erase(record.id);
      }
    });
    return absl::OkStatus();
  }

  template <typename IdT, typename T>
  static absl::StatusOr<std::vector<T>> list_children(const ByCustomer<IdT, T>& all,
                                                      const CustomerId& customer) {
    std::vector<T> out;
    auto it = all.find(customer);
    if (it == all.end()) return out;
    for (const auto& [id, record] : it->second) out.push_back(record);
    return out;
  }

  MemoryStore::State& s_;
  bool writable_;
  std::vector<std::function<void()>> undo_;
};

}  // namespace

MemoryStore::MemoryStore() : state_(std::make_unique<State>()) {}
MemoryStore::~MemoryStore() = default;

absl::Status MemoryStore::write(absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  std::unique_lock lock(state_->mutex);
  MemoryTx tx(*state_, true);
  absl::Status status = fn(tx);
  if (!status.ok()) tx.rollback();
  return status;
}

absl::Status MemoryStore::read(absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  std::shared_lock lock(state_->mutex);
  MemoryTx tx(*state_, false);
  return fn(tx);
}

}  // namespace leadcustomers
