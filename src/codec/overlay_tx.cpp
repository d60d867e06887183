#include "codec/overlay_tx.hpp"

#include <iterator>
#include <vector>

#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers::detail {

std::string OverlayTx::ref_key(std::string_view system, std::string_view id) {
  return cat(system, std::string_view("\0", 1), id);
}

void OverlayTx::index(const CustomerAggregate& agg) {
  const auto& c = agg.customer;
  if (!c.erased && c.status != Status::archived) live_email_[c.email_key] = c.id;
  for (const auto& r : c.external_refs) refs_[ref_key(r.system, r.id)] = c.id;
}

void OverlayTx::unindex(const CustomerAggregate& agg) {
  const auto& c = agg.customer;
  if (auto it = live_email_.find(c.email_key); it != live_email_.end() && it->second == c.id)
    live_email_.erase(it);
  for (const auto& r : c.external_refs) {
    if (auto it = refs_.find(ref_key(r.system, r.id)); it != refs_.end() && it->second == c.id)
      refs_.erase(it);
  }
}

absl::StatusOr<std::optional<CustomerAggregate>> OverlayTx::load_customer(const CustomerId& id) {
  if (auto it = staged_.find(id); it != staged_.end())
    return std::optional<CustomerAggregate>(it->second.after);
  return base_.load_customer(id);
}

absl::StatusOr<std::optional<CustomerId>> OverlayTx::ask_base(
    std::string key, absl::FunctionRef<absl::StatusOr<std::optional<CustomerId>>()> ask) {
  for (const auto& [k, answer] : base_answers_) {
    if (k == key) return answer;
  }
  auto answer = ask();
  if (answer.ok() && base_answers_.size() < kMaxRemembered)
    base_answers_.emplace_back(std::move(key), *answer);
  return answer;
}

absl::StatusOr<std::optional<CustomerId>> OverlayTx::find_live_by_email_key(std::string_view key) {
  if (auto it = live_email_.find(std::string(key)); it != live_email_.end()) {
    return std::optional<CustomerId>(it->second);
  }
  auto found = ask_base(cat("e", key), [&] { return base_.find_live_by_email_key(key); });
  if (!found.ok() || !*found) return found;
  if (auto it = staged_.find(**found); it != staged_.end()) {
    // The overlay changed that customer: its staged state no longer has this key (else live_email_ had it).
    return std::optional<CustomerId>();
  }
  return found;
}

absl::StatusOr<std::optional<CustomerId>> OverlayTx::find_archived_by_email_key(std::string_view key) {
  for (const auto& id : order_) {
    const auto& c = staged_.at(id).after.customer;
    if (c.status == Status::archived && !c.erased && c.email_key == key) return std::optional<CustomerId>(id);
  }
  auto found = base_.find_archived_by_email_key(key);
  if (!found.ok() || !*found) return found;
  if (staged_.contains(**found)) return std::optional<CustomerId>();
  return found;
}

absl::StatusOr<std::optional<CustomerId>> OverlayTx::find_by_external_ref(std::string_view system,
                                                                          std::string_view id) {
  if (auto it = refs_.find(ref_key(system, id)); it != refs_.end())
    return std::optional<CustomerId>(it->second);
  auto found =
      ask_base(cat("r", ref_key(system, id)), [&] { return base_.find_by_external_ref(system, id); });
  if (!found.ok() || !*found) return found;
  if (staged_.contains(**found)) return std::optional<CustomerId>();
  return found;
}

absl::StatusOr<std::optional<CustomerId>> OverlayTx::find_address_owner(const AddressId& id) {
  for (const auto& cid : order_) {
    if (staged_.at(cid).after.find_address(id)) return std::optional<CustomerId>(cid);
  }
  auto found = base_.find_address_owner(id);
  if (!found.ok() || !*found) return found;
  if (staged_.contains(**found)) return std::optional<CustomerId>();  // the staged book no longer has it
  return found;
}

absl::Status OverlayTx::savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  std::vector<Undo> journal;
  journals_.push_back(&journal);
  struct Pop {
    std::vector<std::vector<Undo>*>& journals;
    ~Pop() { journals.pop_back(); }
  };
  absl::Status status;
  {
    Pop pop{journals_};
    status = fn(*this);
  }
  if (!status.ok()) {
    undo(journal);
  } else if (!journals_.empty()) {
    // Kept by this savepoint, but an enclosing one that fails must still undo it.
    auto& outer = *journals_.back();
    outer.insert(outer.end(), std::make_move_iterator(journal.begin()),
                 std::make_move_iterator(journal.end()));
  }
  return status;
}

void OverlayTx::undo(std::vector<Undo>& journal) {
  for (auto u = journal.rbegin(); u != journal.rend(); ++u) {
    auto it = staged_.find(u->id);
    if (it == staged_.end()) continue;
    unindex(it->second.after);
    if (!u->prior) {
      staged_.erase(it);
      std::erase(order_, u->id);
    } else {
      it->second.after = std::move(*u->prior);
      index(it->second.after);
    }
  }
  journal.clear();
}

absl::Status OverlayTx::put_customer(const CustomerAggregate& after, const CustomerAggregate*) {
  const auto& id = after.customer.id;
  auto it = staged_.find(id);
  if (it == staged_.end()) {
    auto original = base_.load_customer(id);
    if (!original.ok()) return original.status();
    it = staged_.emplace(id, Entry{std::move(*original), after}).first;
    order_.push_back(id);
    if (!journals_.empty()) journals_.back()->push_back({id, std::nullopt});
  } else {
    unindex(it->second.after);
    if (!journals_.empty()) {
      journals_.back()->push_back({id, std::move(it->second.after)});
    }
    it->second.after = after;
  }
  index(after);
  return absl::OkStatus();
}

absl::Status OverlayTx::delete_customer(const CustomerId&) {
  return make_error(ErrorCode::internal, "an import never deletes a customer");
}

absl::StatusOr<std::vector<CustomerId>> OverlayTx::search(const SearchQuery& query) {
  return base_.search(query);
}

absl::Status OverlayTx::put_customer_type(const CustomerType&) {
  return make_error(ErrorCode::internal, "an import never changes customer types");
}

absl::Status OverlayTx::put_company(const Company&) {
  return make_error(ErrorCode::internal, "an import never changes companies");
}

absl::Status OverlayTx::put_order(const Order&) {
  return make_error(ErrorCode::internal, "an import never records orders");
}

absl::Status OverlayTx::put_ticket(const Ticket&) {
  return make_error(ErrorCode::internal, "an import never records tickets");
}

absl::Status OverlayTx::put_opportunity(const Opportunity&) {
  return make_error(ErrorCode::internal, "an import never records opportunities");
}

absl::Status OverlayTx::put_segment(const Segment&) {
  return make_error(ErrorCode::internal, "an import never changes segments");
}

CustomerAggregate* OverlayTx::staged(const CustomerId& id) {
  auto it = staged_.find(id);
  return it == staged_.end() ? nullptr : &it->second.after;
}

bool OverlayTx::is_new(const CustomerId& id) const {
  auto it = staged_.find(id);
  return it != staged_.end() && !it->second.original.has_value();
}

OverlayTx::Snapshot OverlayTx::snapshot() const { return Snapshot{staged_, order_, live_email_, refs_}; }

void OverlayTx::restore(Snapshot snapshot) {
  staged_ = std::move(snapshot.staged);
  order_ = std::move(snapshot.order);
  live_email_ = std::move(snapshot.live_email);
  refs_ = std::move(snapshot.refs);
}

namespace {

bool same_content(CustomerAggregate a, const CustomerAggregate& b) {
  a.customer.version = b.customer.version;
  a.customer.updated_at = b.customer.updated_at;
  return a == b;
}

}  // namespace

absl::Status OverlayTx::commit(bool renumber, size_t* written) {
  for (const auto& id : order_) {
    auto& e = staged_.at(id);
    if (e.original && same_content(e.after, *e.original)) continue;
    if (renumber) e.after.customer.version = e.original ? e.original->customer.version + 1 : 1;
    auto s = base_.put_customer(e.after, e.original ? &*e.original : nullptr);
    if (!s.ok()) return s;
    if (written) ++*written;
  }
  clear();
  return absl::OkStatus();
}

void OverlayTx::clear() {
  base_answers_.clear();
  staged_.clear();
  order_.clear();
  live_email_.clear();
  refs_.clear();
}

}  // namespace leadcustomers::detail
