#include "leadcustomers/engine.hpp"

#include <exception>

#include "detail/strings.hpp"
#include "engine/command_text.hpp"
#include "engine/context.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/email.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers {

using detail::cat;

Engine::Engine(Store& store, EngineOptions options, const Clock* clock)
    : impl_(std::make_unique<Impl>(store, std::move(options), clock)) {
  detail::add_customer_ops(impl_->ops);
  detail::add_address_ops(impl_->ops);
  detail::add_portal_ops(impl_->ops);
  detail::add_lifecycle_ops(impl_->ops);
  detail::add_import_ops(impl_->ops);
  detail::add_view_ops(impl_->ops);
  detail::add_segment_ops(impl_->ops);
  impl_->self = this;
}

Engine::~Engine() = default;

bool Engine::supports(std::string_view op) const { return impl_->ops.contains(std::string(op)); }

const EngineOptions& Engine::options() const { return impl_->options; }
const Clock& Engine::clock() const { return *impl_->clock; }
Store& Engine::store() { return impl_->store; }

namespace {

// Forwards reads to a real transaction and discards writes: the dry run of Engine::validate.
class DryRunTx final : public StoreTx {
 public:
  explicit DryRunTx(StoreTx& inner) : inner_(inner) {}
  absl::StatusOr<std::optional<CustomerAggregate>> load_customer(const CustomerId& id) override {
    return inner_.load_customer(id);
  }
  absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(std::string_view key) override {
    return inner_.find_live_by_email_key(key);
  }
  absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(std::string_view key) override {
    return inner_.find_archived_by_email_key(key);
  }
  absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(std::string_view system,
                                                                 std::string_view id) override {
    return inner_.find_by_external_ref(system, id);
  }
  absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) override {
    return inner_.find_address_owner(id);
  }
  absl::Status put_customer(const CustomerAggregate&, const CustomerAggregate*) override {
    return absl::OkStatus();
  }
  absl::Status delete_customer(const CustomerId&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery& q) override { return inner_.search(q); }
  absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) override {
    return inner_.load_customer_type(id);
  }
  absl::StatusOr<std::vector<CustomerType>> list_customer_types() override {
    return inner_.list_customer_types();
  }
  absl::Status put_customer_type(const CustomerType&) override { return absl::OkStatus(); }
  absl::StatusOr<std::optional<Company>> load_company(const CompanyId& id) override {
    return inner_.load_company(id);
  }
  absl::StatusOr<std::vector<Company>> list_companies() override { return inner_.list_companies(); }
  absl::Status put_company(const Company&) override { return absl::OkStatus(); }
  absl::StatusOr<std::optional<Order>> load_order(const OrderId& id) override {
    return inner_.load_order(id);
  }
  absl::Status put_order(const Order&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<Order>> list_orders(const CustomerId& c) override {
    return inner_.list_orders(c);
  }
  absl::StatusOr<int64_t> count_orders(const CustomerId& c) override { return inner_.count_orders(c); }
  absl::StatusOr<std::vector<Order>> page_orders(const CustomerId& c, const std::optional<OrderCursor>& after,
                                                 size_t limit) override {
    return inner_.page_orders(c, after, limit);
  }
  absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId& c) override {
    return inner_.tally_orders(c);
  }
  absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId& id) override {
    return inner_.load_ticket(id);
  }
  absl::Status put_ticket(const Ticket&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId& c) override {
    return inner_.list_tickets(c);
  }
  absl::StatusOr<std::optional<Opportunity>> load_opportunity(const OpportunityId& id) override {
    return inner_.load_opportunity(id);
  }
  absl::Status put_opportunity(const Opportunity&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<Opportunity>> list_opportunities(const CustomerId& c) override {
    return inner_.list_opportunities(c);
  }
  absl::StatusOr<std::optional<Segment>> load_segment(std::string_view id) override {
    return inner_.load_segment(id);
  }
  absl::StatusOr<std::vector<Segment>> list_segments() override { return inner_.list_segments(); }
  absl::Status put_segment(const Segment&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<CustomerId>> segment_members(const SegmentRule& rule, absl::Time now,
                                                          const std::optional<CustomerId>& after,
                                                          size_t limit) override {
    return inner_.segment_members(rule, now, after, limit);
  }
  // Nothing is written, so there is nothing a nested unit would have to undo.
  absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) override { return fn(*this); }

 private:
  StoreTx& inner_;
};

Result run(Engine::Impl& impl, StoreTx* outer, const boost::json::object& command, bool dry_run = false,
           bool abridged = false) {
  Result result;
  detail::FieldReader fields(command);
  const auto* op_value = fields.raw("op");  // and so known
  if (!op_value || !op_value->is_string()) {
    result.status = field_error(ErrorCode::invalid_argument, "op", "command.op_missing",
                                "a command needs a string field 'op'");
    return result;
  }
  std::string op(op_value->as_string());
  auto it = impl.ops.find(op);
  if (it == impl.ops.end()) {
    result.status =
        field_error(ErrorCode::invalid_argument, "op", "command.unknown_op", cat("unknown op ", quoted(op)));
    return result;
  }
  const OpSpec spec = it->second;
  auto actor_field = fields.str("actor");
  Actor actor = Actor::staff;
  if (actor_field.has_value()) {
    auto a = parse_actor(actor_field.value);
    if (!a) {
      result.status = field_error(ErrorCode::invalid_argument, "actor", "actor.unknown",
                                  cat("actor '", actor_field.value, "' is not staff, customer or system"));
      return result;
    }
    actor = *a;
  }
  auto version_field = fields.int64("expected_version");
  std::optional<int64_t> expected_version;
  if (version_field.has_value()) expected_version = version_field.value;
  absl::Status after_commit;
  std::any prepared;
  auto body = [&](StoreTx& tx) -> absl::Status {
    // A copy, not a move: a store that retries the transaction calls this again.
    OpContext c{impl, tx, fields, op, actor, expected_version, CommandTime(*impl.clock), {}, {}, prepared};
    c.dry_run = dry_run;
    c.abridged = abridged;
    auto r = spec.fn(c);
    result.warnings = std::move(c.warnings);
    if (!r.ok()) return r.status();
    after_commit = std::move(c.error_after_commit);
    result.result = std::move(*r);
    return absl::OkStatus();
  };
  try {
    if (spec.prepare) {
      // Slow work (hashing) before the transaction, so it never holds the store's write lock.
      PrepareContext pc{impl, fields, op, actor, expected_version, outer, {}};
      result.status = spec.prepare(pc);
      prepared = std::move(pc.prepared);
    }
    if (!result.status.ok()) {
      // The prepare step refused the command; there is nothing to apply.
    } else if (dry_run) {
      result.status = impl.store.read([&](StoreTx& tx) {
        DryRunTx dry(tx);
        return body(dry);
      });
    } else if (outer) {
      result.status = body(*outer);
    } else if (spec.writes) {
      result.status = impl.store.write(body);
    } else {
      result.status = impl.store.read(body);
    }
  } catch (const std::bad_alloc&) {
    result.status = make_error(ErrorCode::resource_exhausted, "out of memory");
  } catch (const std::exception& e) {
    result.status = make_error(ErrorCode::internal, cat("internal error: ", e.what()));
  }
  if (result.status.ok() && !after_commit.ok()) result.status = std::move(after_commit);
  if (!result.status.ok()) {
    result.result = nullptr;
    result.warnings.clear();
  }
  return result;
}

}  // namespace

absl::Status PrepareContext::read(absl::FunctionRef<absl::Status(OpContext&)> fn) {
  auto with_context = [&](StoreTx& tx) -> absl::Status {
    OpContext c{engine, tx, fields, op, actor, expected_version, CommandTime(*engine.clock), {}, {}, {}};
    return fn(c);
  };
  return outer ? with_context(*outer) : engine.store.read(with_context);
}

Result Engine::execute(const boost::json::object& command) { return run(*impl_, nullptr, command); }

Result Engine::validate(const boost::json::object& command) { return run(*impl_, nullptr, command, true); }

Result Engine::execute_in(StoreTx& tx, const boost::json::object& command, bool abridged) {
  return run(*impl_, &tx, command, false, abridged);
}

Result Engine::execute_text(std::string_view command_json) {
  auto value = detail::parse_command_text(command_json);
  Result r;
  if (!value.ok()) {
    r.status = value.status();
    return r;
  }
  if (!value->is_object()) {
    r.status =
        field_error(ErrorCode::invalid_argument, "", "command.not_object", "a command is a JSON object");
    return r;
  }
  return execute(value->as_object());
}

std::string Engine::execute_json(std::string_view command_json) {
  return boost::json::serialize(result_to_json(execute_text(command_json)));
}

absl::StatusOr<CustomerAggregate> Engine::get_customer(const CustomerId& id) {
  absl::StatusOr<CustomerAggregate> out =
      field_error(ErrorCode::not_found, "customer_id", "customer.not_found", cat("no customer ", id.str()));
  auto s = impl_->store.read([&](StoreTx& tx) -> absl::Status {
    auto agg = tx.load_customer(id);
    if (!agg.ok()) return agg.status();
    if (*agg) out = std::move(**agg);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<CustomerAggregate> Engine::get_customer_by_email(std::string_view email) {
  absl::StatusOr<CustomerAggregate> out = field_error(ErrorCode::not_found, "email", "customer.not_found",
                                                      cat("no customer with e-mail ", quoted(email)));
  auto s = impl_->store.read([&](StoreTx& tx) -> absl::Status {
    auto id = detail::find_by_email(tx, email);
    if (!id.ok()) return id.status();
    if (!*id) return absl::OkStatus();
    auto agg = tx.load_customer(**id);
    if (!agg.ok()) return agg.status();
    if (*agg) out = std::move(**agg);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

boost::json::object result_to_json(const Result& r) {
  boost::json::object out;
  if (r.status.ok()) {
    out["ok"] = true;
    out["result"] = r.result;
    boost::json::array warnings;
    for (const auto& w : r.warnings) {
      warnings.push_back(boost::json::object{{"field", w.field}, {"rule", w.rule}, {"message", w.message}});
    }
    out["warnings"] = std::move(warnings);
    return out;
  }
  out["ok"] = false;
  boost::json::array violations;
  for (const auto& v : violations_of(r.status)) {
    violations.push_back(boost::json::object{{"field", v.field}, {"rule", v.rule}, {"message", v.message}});
  }
  out["error"] = boost::json::object{{"code", error_code_name(error_code_of(r.status))},
                                     {"message", std::string(r.status.message())},
                                     {"violations", std::move(violations)}};
  return out;
}

}  // namespace leadcustomers
