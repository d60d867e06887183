// The command engine: applies SPEC §5 commands and queries to a Store. Every rule lives here once; stores
// only load, lock and save. Commands are JSON objects (`{"op": "customer.create", ...}`) — the same
// vocabulary for the C++ API, the C ABI, the CLI, imports and tests.
//
//   MemoryStore store;
//   Engine engine(store);
//   Result r =
//   engine.execute(boost::json::parse(R"({"op":"customer.get","email":"ana@example.com"})").as_object());
//   std::string line = engine.execute_json(R"({"op":"customer.get","email":"ana@example.com"})");
//   // {"ok":true,"result":{...customer document...},"warnings":[]}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/json.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/customer.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/secret.hpp"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

struct EngineOptions {
  // Region used to parse phone numbers without `+` when neither the address nor the default billing
  // address gives one.
  std::string default_region = "US";
  size_t max_addresses = 200;
  HashLimits hash_limits = HashLimits::interactive();
  int lockout_attempts = 5;
  absl::Duration lockout_duration = absl::Minutes(15);
};

// The outcome of one command or query.
struct Result {
  absl::Status status;        // OK, or the error (code, message, violations)
  boost::json::value result;  // the document, when ok
  Violations warnings;
  [[nodiscard]] bool ok() const { return status.ok(); }
};

class Engine {
 public:
  // `clock` may be null (system clock). The store and clock must outlive the engine.
  explicit Engine(Store& store, EngineOptions options = {}, const Clock* clock = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Applies one command or query. Never throws for bad input.
  [[nodiscard]] Result execute(const boost::json::object& command);
  // Parses and applies one command given as JSON text (INVALID_ARGUMENT, rule command.bad_json or
  // command.not_object, when it is not a JSON object).
  [[nodiscard]] Result execute_text(std::string_view command_json);
  // Parses, applies, and encodes one result line (SPEC §5 envelope).
  [[nodiscard]] std::string execute_json(std::string_view command_json);

  // Applies a command inside a caller's transaction (bulk paths such as imports apply many commands in one
  // transaction). The caller commits. With `abridged`, a create answers only {"id", "version", "addresses":
  // [{"id"}…]} instead of the whole document (bulk paths need the ids, not the documents), and
  // customer.update, newsletter.set and address.set_default answer {"id", "version"}.
  [[nodiscard]] Result execute_in(StoreTx& tx, const boost::json::object& command, bool abridged = false);

  // Decodes and validates a command against the current data without writing anything (dry run): the
  // result is what `execute` would answer (a create answers {"valid": true, "id": …} instead of the whole
  // document), but every write is discarded. Used by imports' dry_run and the
  // C ABI's stateless validation.
  [[nodiscard]] Result validate(const boost::json::object& command);

  // Typed hot paths.
  [[nodiscard]] absl::StatusOr<CustomerAggregate> get_customer(const CustomerId& id);
  [[nodiscard]] absl::StatusOr<CustomerAggregate> get_customer_by_email(std::string_view email);

  // True when `op` is a command or query this engine knows.
  [[nodiscard]] bool supports(std::string_view op) const;

  [[nodiscard]] const EngineOptions& options() const;
  [[nodiscard]] const Clock& clock() const;
  [[nodiscard]] Store& store();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The SPEC §5 envelope of a result: {"ok":true,"result":…,"warnings":[…]} or {"ok":false,"error":{…}}.
[[nodiscard]] boost::json::object result_to_json(const Result& result);

}  // namespace leadcustomers
