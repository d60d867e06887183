#include "leadcustomers/engine.hpp"

#include <exception>

#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/email.hpp"

namespace leadcustomers {

using detail::cat;

Engine::Engine(Store& store, EngineOptions options, const Clock* clock)
    : impl_(std::make_unique<Impl>(store, std::move(options), clock)) {
  detail::add_customer_ops(impl_->ops);
  detail::add_address_ops(impl_->ops);
  detail::add_import_ops(impl_->ops);
  impl_->self = this;
}

Engine::~Engine() = default;

bool Engine::supports(std::string_view op) const { return impl_->ops.contains(std::string(op)); }

const EngineOptions& Engine::options() const { return impl_->options; }
const Clock& Engine::clock() const { return *impl_->clock; }
Store& Engine::store() { return impl_->store; }

namespace {

Result run(Engine::Impl& impl, StoreTx* outer, const boost::json::object& command) {
  Result result;
  const auto* op_value = command.if_contains("op");
  if (!op_value || !op_value->is_string()) {
    result.status = field_error(ErrorCode::invalid_argument, "op", "command.op_missing",
                                "a command needs a string field 'op'");
    return result;
  }
  std::string op(op_value->as_string());
  auto it = impl.ops.find(op);
  if (it == impl.ops.end()) {
    result.status =
        field_error(ErrorCode::invalid_argument, "op", "command.unknown_op", cat("unknown op '", op, "'"));
    return result;
  }
  const OpSpec spec = it->second;
  detail::FieldReader fields(command);
  fields.ignore("op");
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
  auto body = [&](StoreTx& tx) -> absl::Status {
    OpContext c{impl, tx, fields, op, actor, std::nullopt, impl.clock->now(), {}};
    if (version_field.has_value()) c.expected_version = version_field.value;
    auto r = spec.fn(c);
    result.warnings = std::move(c.warnings);
    if (!r.ok()) return r.status();
    result.result = std::move(*r);
    return absl::OkStatus();
  };
  try {
    if (outer) {
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
  if (!result.status.ok()) {
    result.result = nullptr;
    result.warnings.clear();
  }
  return result;
}

}  // namespace

Result Engine::execute(const boost::json::object& command) { return run(*impl_, nullptr, command); }

Result Engine::execute_in(StoreTx& tx, const boost::json::object& command) {
  return run(*impl_, &tx, command);
}

std::string Engine::execute_json(std::string_view command_json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(command_json, ec);
  Result r;
  if (ec) {
    r.status = field_error(ErrorCode::invalid_argument, "", "command.bad_json",
                           cat("the command is not valid JSON: ", ec.message()));
  } else if (!value.is_object()) {
    r.status =
        field_error(ErrorCode::invalid_argument, "", "command.not_object", "a command is a JSON object");
  } else {
    r = execute(value.as_object());
  }
  return boost::json::serialize(result_to_json(r));
}

absl::StatusOr<CustomerAggregate> Engine::get_customer(const CustomerId& id) {
  absl::StatusOr<CustomerAggregate> out = make_error(ErrorCode::not_found, cat("no customer ", id.str()));
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
                                                      cat("no customer with e-mail ", email));
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
