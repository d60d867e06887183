// Internals shared by the command handlers: the per-command context, the op table, and the helpers that
// load a named customer, check `expected_version` and save an aggregate (bumping `version` only when
// something changed).
#pragma once

#include <any>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "boost/json.hpp"
#include "detail/speculation.hpp"
#include "engine/fields.hpp"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/engine.hpp"

#define LC_RETURN_IF_ERROR(expr)             \
  do {                                       \
    absl::Status lc_status_ = (expr);        \
    if (!lc_status_.ok()) return lc_status_; \
  } while (0)

namespace leadcustomers {

struct OpContext;
struct PrepareContext;
using OpFn = absl::StatusOr<boost::json::value> (*)(OpContext&);
using PrepareFn = absl::Status (*)(PrepareContext&);
struct OpSpec {
  bool writes = true;
  OpFn fn = nullptr;
  // Optional slow first step, run before fn's transaction (see PrepareContext).
  PrepareFn prepare = nullptr;
};
using OpTable = absl::flat_hash_map<std::string, OpSpec>;

struct Engine::Impl {
  Impl(Store& s, EngineOptions o, const Clock* c)
      : store(s), options(std::move(o)), clock(c ? c : &system_clock) {}
  Store& store;
  Engine* self = nullptr;  // the engine owning this Impl (ops that drive other commands, e.g. import.csv)
  EngineOptions options;
  SystemClock system_clock;
  const Clock* clock;
  OpTable ops;
};

// A command's time: the clock's (or the speculation's pinned time, see speculation.hpp) as first asked
// for, then the same for the rest of the command. Most checks never ask — a dry run of customer.create
// stores no time — and reading the clock costs about as much as checking a field.
class CommandTime {
 public:
  explicit CommandTime(const Clock& clock) : clock_(&clock) {}
  operator absl::Time() const {  // implicit: it stands wherever a time is read
    if (!known_) {
      at_ = detail::engine_now(*clock_);
      known_ = true;
    }
    return at_;
  }

 private:
  const Clock* clock_;
  mutable absl::Time at_;
  mutable bool known_ = false;
};

struct OpContext {
  Engine::Impl& engine;
  StoreTx& tx;
  detail::FieldReader& fields;
  std::string op;
  Actor actor = Actor::staff;
  std::optional<int64_t> expected_version;
  CommandTime now;
  Violations warnings;
  // An error to report after the transaction commits: the op returns OK so its writes are kept, and the
  // caller sees this error (a failed authentication must still count the failure).
  absl::Status error_after_commit;
  // What the op's prepare step left for it (empty when it has none).
  std::any prepared;
  bool dry_run = false;   // Engine::validate: writes are discarded, results may be abridged
  bool abridged = false;  // execute_in(…, abridged): a create answers ids, not the document
};

// The answer of a command that changes a customer: its document, or under execute_in(…, abridged) only
// {"id", "version"} (bulk paths such as imports never read the document; building it costs more than the
// command's own checks).
inline boost::json::value changed_customer(const OpContext& ctx, const CustomerAggregate& agg) {
  if (ctx.abridged)
    return boost::json::object{{"id", agg.customer.id.str()}, {"version", agg.customer.version}};
  return customer_document(agg);
}

// The first step of an op that does slow work (Argon2id: ~0.1 s a hash) which must not hold the store's
// write lock. It runs before the op's transaction; it may read through read() and leaves its findings in
// `prepared`, which the op gets as OpContext::prepared. The store may change in between, so the op must
// check that a finding still applies (and redo the work inside its transaction when it does not).
struct PrepareContext {
  Engine::Impl& engine;
  detail::FieldReader& fields;
  std::string op;
  Actor actor = Actor::staff;
  std::optional<int64_t> expected_version;
  StoreTx* outer = nullptr;  // execute_in's transaction, if any
  std::any prepared;
  // Runs `fn` with an OpContext over a read transaction (the caller's, under execute_in).
  absl::Status read(absl::FunctionRef<absl::Status(OpContext&)> fn);
};

namespace detail {

// Registration of each group of ops (one file each).
void add_customer_ops(OpTable& table);
void add_address_ops(OpTable& table);
void add_portal_ops(OpTable& table);
void add_lifecycle_ops(OpTable& table);
void add_import_ops(OpTable& table);
// order.*, ticket.*, opportunity.* and the per-customer views (view_ops.cpp, order_ops.cpp).
void add_view_ops(OpTable& table);
void add_segment_ops(OpTable& table);

// Reads `customer_id` (and, when allowed, `email`) and loads that customer. NOT_FOUND when none.
// Must be called before fields.finish(); the load itself happens in resolve().
struct CustomerName {
  Patch<std::string> customer_id;
  Patch<std::string> email;
};
CustomerName read_customer_name(FieldReader& f, bool allow_email);
absl::StatusOr<CustomerAggregate> load_customer(OpContext& ctx, const CustomerName& name);
// Loads by e-mail: the non-archived customer with that key, else the most recently archived one.
absl::StatusOr<std::optional<CustomerId>> find_by_email(StoreTx& tx, std::string_view email);

// CONFLICT (field expected_version) when the command's expected_version differs from the aggregate's.
absl::Status check_version(const OpContext& ctx, const CustomerAggregate& agg);

// Saves `after` when it differs from `before` (ignoring version/updated_at): version + 1, updated_at = now.
// SaveMode::unversioned writes the change but keeps version and updated_at: authentication attempts change
// the stored failure count and lock, yet SPEC §2.1 says they never change `version`.
enum class SaveMode { versioned, unversioned };
absl::Status save_customer(OpContext& ctx, CustomerAggregate& after, const CustomerAggregate& before,
                           SaveMode mode = SaveMode::versioned);

// The default region for a customer-level phone: the default billing address's region, else the store's.
std::string customer_phone_region(const OpContext& ctx, const CustomerAggregate& agg);

// Address input of address.add / address.update / customer.create's `addresses[i]`.
struct AddressInput {
  Patch<std::string> id, name, status, region, state, phone, address1, address2, city, zip, business_name;
};
AddressInput read_address_input(FieldReader& f);
// Validates `in` and appends the address to `agg` (defaults set per invariant 3). Violations go to `d`
// under its current scope; returns false when refused.
bool add_address(OpContext& ctx, CustomerAggregate& agg, const AddressInput& in, Diagnostics& d);

// Moves the customer to `to` if `ctx.actor` may (SPEC §3), recording it in the history. Restoring from
// Archived requires the e-mail to be free among non-archived customers (ALREADY_EXISTS on `email`).
absl::Status change_status(OpContext& ctx, CustomerAggregate& agg, Status to, std::string reason,
                           bool via_cancel);

// Appends a consent change (ledger + current state). No-op when nothing changes.
void set_consent(CustomerAggregate& agg, bool subscribed, std::optional<OptInLevel> level,
                 std::optional<ConsentSource> source, Actor actor, absl::Time now);

// ConsentSource implied by the actor (staff -> back_office, customer -> customer_portal, system -> api).
ConsentSource source_for_actor(Actor actor);

}  // namespace detail
}  // namespace leadcustomers
