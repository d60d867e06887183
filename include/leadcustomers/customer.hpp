// The customer record and its aggregate (SPEC §2.1, §2.4): everything one command may change together —
// the customer, its address book, its portal login, its consent ledger and its history.
//
//   CustomerAggregate agg;
//   agg.customer.email = "ana@example.com";
//   const Address* billing = agg.default_billing();
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "leadcustomers/address.hpp"
#include "leadcustomers/enums.hpp"
#include "leadcustomers/ids.hpp"
#include "leadcustomers/phone.hpp"

namespace leadcustomers {

// Current e-mail marketing consent. Never asked: subscribed=false and the rest null.
struct Newsletter {
  bool subscribed = false;
  std::optional<OptInLevel> opt_in_level;
  std::optional<ConsentSource> source;
  std::optional<absl::Time> updated_at;
  friend bool operator==(const Newsletter&, const Newsletter&) = default;
};

// One change of consent, appended to the customer's ledger.
struct ConsentEntry {
  absl::Time at;
  bool from = false;
  bool to = false;
  std::optional<OptInLevel> opt_in_level;
  std::optional<ConsentSource> source;
  Actor actor = Actor::staff;
  friend bool operator==(const ConsentEntry&, const ConsentEntry&) = default;
};

// One entry of the customer's history (creation, status transitions, erase...).
struct HistoryEntry {
  absl::Time at;
  Actor actor = Actor::staff;
  std::string event;  // "created", "status_changed", "erased", ...
  std::optional<Status> from;
  std::optional<Status> to;
  std::string reason;
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

struct ExternalRef {
  std::string system;
  std::string id;
  friend bool operator==(const ExternalRef&, const ExternalRef&) = default;
};

// Portal login state. The login itself is always the customer's current e-mail.
struct PortalLogin {
  std::optional<std::string> secret_question;
  std::optional<std::string> answer_hash;    // Argon2id, never output
  std::optional<std::string> password_hash;  // Argon2id, never output
  int failed_attempts = 0;
  std::optional<absl::Time> locked_until;
  [[nodiscard]] bool has_login() const { return answer_hash.has_value() || password_hash.has_value(); }
  friend bool operator==(const PortalLogin&, const PortalLogin&) = default;
};

struct Customer {
  CustomerId id;
  int64_t customer_type_id = 1;
  Status status = Status::active;
  std::string first_name;
  std::string last_name;
  std::string email;      // stored form (local part as typed, domain A-label)
  std::string email_key;  // lower-cased stored form: the uniqueness key
  std::optional<Phone> phone;
  std::optional<Phone> fax;
  std::optional<CompanyId> company_id;
  Newsletter newsletter;
  std::vector<std::string> tags;
  std::optional<std::string> note;
  std::optional<bool> tax_exempt;
  std::map<std::string, std::string> attributes;
  std::vector<ExternalRef> external_refs;
  absl::Time created_at;
  absl::Time updated_at;
  int64_t version = 0;
  bool erased = false;
  std::optional<AddressId> default_shipping_address_id;
  std::optional<AddressId> default_billing_address_id;
  friend bool operator==(const Customer&, const Customer&) = default;
};

// Everything one command may change together; a store loads and saves it whole.
struct CustomerAggregate {
  Customer customer;
  std::vector<Address> addresses;  // in the order they were added
  PortalLogin portal;
  std::vector<ConsentEntry> consent;
  std::vector<HistoryEntry> history;

  [[nodiscard]] const Address* find_address(const AddressId& id) const;
  [[nodiscard]] Address* find_address(const AddressId& id);
  [[nodiscard]] const Address* default_billing() const;
  [[nodiscard]] const Address* default_shipping() const;
  friend bool operator==(const CustomerAggregate&, const CustomerAggregate&) = default;
};

// A customer type (SPEC §2.2). Type 1 always exists and cannot be archived or deleted.
struct CustomerType {
  int64_t id = 0;
  std::string name;
  Status status = Status::active;
  bool is_default = false;
  bool tax_exempt = false;
  friend bool operator==(const CustomerType&, const CustomerType&) = default;
};

// A company (SPEC §2.2); the link lives on the customer.
struct Company {
  CompanyId id;
  std::string name;
  Status status = Status::active;
  absl::Time created_at;
  friend bool operator==(const Company&, const Company&) = default;
};

// The e-mail every erased customer gets: never resolves, never matches a look-up, blocks no one.
[[nodiscard]] std::string erased_email(const CustomerId& id);

}  // namespace leadcustomers
