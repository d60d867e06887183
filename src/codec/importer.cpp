// The import driver: reads records from a source, applies each one as one unit of change through the engine
// (on an overlay, so a record that fails anywhere leaves nothing behind), commits batches, and accounts for
// every record in the result and the reject file.
#include "leadcustomers/importer.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/strings/str_join.h"
#include "codec/import_record.hpp"
#include "codec/overlay_tx.hpp"
#include "detail/speculation.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/email.hpp"
#include "leadcustomers/portal_login.hpp"
#include "leadcustomers/region_catalog.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers {

using detail::cat;
using detail::ImportRecord;
using detail::OverlayTx;
using detail::ScopedSpeculation;

namespace {

constexpr std::array<std::pair<ImportFormat, std::string_view>, 8> kFormats{{
    {ImportFormat::shopify, "shopify"},
    {ImportFormat::shopify_json, "shopify-json"},
    {ImportFormat::magento_customer, "magento-customer"},
    {ImportFormat::magento_address, "magento-address"},
    {ImportFormat::magento_composite, "magento-composite"},
    {ImportFormat::generic, "generic"},
    {ImportFormat::generic_json, "generic-json"},
    {ImportFormat::jsonl, "jsonl"},
}};

enum class OutcomeKind { created, updated, unchanged, rejected };

struct Outcome {
  OutcomeKind kind = OutcomeKind::rejected;
  Violations errors;
  Violations warnings;
};

// Violations of a failed command, with paths made relative to the record ("zip" -> "addresses[1].zip").
Violations violations_from(const absl::Status& status, std::string_view prefix) {
  Violations out = violations_of(status);
  if (out.empty()) {
    out.push_back({"", ascii_lower(error_code_name(error_code_of(status))), std::string(status.message())});
  }
  if (!prefix.empty()) {
    for (auto& v : out) v.field = v.field.empty() ? std::string(prefix) : cat(prefix, ".", v.field);
  }
  return out;
}

void append_prefixed(Violations& out, const Violations& in, std::string_view prefix) {
  for (const auto& v : in) {
    out.push_back(
        {prefix.empty() ? v.field : (v.field.empty() ? std::string(prefix) : cat(prefix, ".", v.field)),
         v.rule, v.message});
  }
}

// Whether a re-imported address (`added`, normalized by address.add) is one already stored: the same place,
// judged on the location fields the record gave. Blank cells are not in the record, so they never make an
// address "different" (SPEC §7: a blank cell never erases, and must not add a stripped copy either).
bool same_address(const boost::json::object& added, const boost::json::object& stored,
                  const boost::json::object& record_fields) {
  static constexpr std::string_view kLocation[] = {"region", "state", "address1", "address2", "city", "zip"};
  for (auto key : kLocation) {
    const auto* given = record_fields.if_contains(key);
    if (!given || given->is_null()) continue;
    const auto* a = added.if_contains(key);
    const auto* b = stored.if_contains(key);
    if (!a || !b || *a != *b) return false;
  }
  return true;
}

class Applier {
 public:
  Applier(Engine& engine, int64_t type_id, bool import_passwords)
      : engine_(engine), type_id_(type_id), import_passwords_(import_passwords) {}

  // Applies one record to `base`. A non-OK status is a failure of the store, not of the record.
  absl::StatusOr<Outcome> apply(StoreTx& base, ImportRecord& rec) {
    Outcome out;
    if (!rec.errors.empty()) {
      // The file already broke a rule. Unless the row itself is unreadable, the engine still checks the rest
      // (on an overlay never committed) so the record reports every violation at once.
      out.errors = rec.errors;
      bool readable = std::none_of(rec.errors.begin(), rec.errors.end(), [](const Violation& v) {
        return v.rule.rfind("csv.", 0) == 0 || v.rule.rfind("json.", 0) == 0 ||
               v.rule == "text.invalid_utf8" || v.rule == "import.erased_customer";
      });
      if (readable && !probing_) {
        ImportRecord probe = rec;
        probe.errors.clear();
        probing_ = true;
        auto checked = apply(base, probe);
        probing_ = false;
        if (!checked.ok()) return checked.status();
        for (const auto& e : checked->errors) {
          if (std::none_of(out.errors.begin(), out.errors.end(),
                           [&](const Violation& v) { return v.field == e.field; })) {
            out.errors.push_back(e);
          }
        }
      }
      return out;
    }
    out.warnings = rec.warnings;
    OverlayTx ov(base);
    fatal_ = absl::OkStatus();

    // A company named by a document that is not in this store is dropped (the store holds no such company).
    if (const auto* company = rec.customer.if_contains("company_id"); company && company->is_string()) {
      auto id = CompanyId::parse(std::string_view(company->as_string()));
      bool found = false;
      if (id) {
        auto c = ov.load_company(*id);
        if (!c.ok()) return c.status();
        found = c->has_value();
      }
      if (id && !found) {
        out.warnings.push_back({"company_id", "import.company_not_found",
                                cat("company ", quoted(std::string_view(company->as_string())),
                                    " is not in this store; the customer is imported without it")});
        rec.customer.erase("company_id");
      }
    }

    auto target = find_target(ov, rec);
    if (!target.ok()) return target.status();
    std::vector<std::string> address_ids(rec.addresses.size());
    std::string id;
    bool created = false;
    if (!*target) {
      if (rec.addresses_only) {
        out.errors.push_back(
            {"email", "customer.not_found",
             cat("no customer with e-mail ", quoted(rec.email.value_or("")), " to add the address to")});
        return out;
      }
      // The record's fields are not needed after the create: moved, not copied.
      boost::json::object cmd = std::move(rec.customer);
      cmd.reserve(cmd.size() + 4);
      cmd["op"] = "customer.create";
      cmd["customer_type_id"] = rec.customer_type_id.value_or(type_id_);
      if (rec.status) cmd["status"] = *rec.status;
      if (!rec.addresses.empty()) {
        boost::json::array addresses;
        addresses.reserve(rec.addresses.size());
        for (auto& a : rec.addresses) addresses.push_back(std::move(a.fields));
        cmd["addresses"] = std::move(addresses);
      }
      auto r = run(ov, cmd, "", out);
      if (!r) return finish(out);
      const auto& doc = r->as_object();
      id = std::string(doc.at("id").as_string());
      const auto& stored = doc.at("addresses").as_array();
      for (size_t i = 0; i < address_ids.size() && i < stored.size(); ++i) {
        address_ids[i] = std::string(stored[i].as_object().at("id").as_string());
      }
      created = true;
    } else {
      id = (*target)->str();
      auto loaded = ov.load_customer(**target);
      if (!loaded.ok()) return loaded.status();
      const CustomerAggregate& existing = **loaded;
      boost::json::object cmd{{"op", "customer.update"}, {"customer_id", id}};
      for (const auto& [key, value] : rec.customer) {
        if (key == "id") continue;
        if (key == "external_refs") {
          boost::json::array refs;
          for (const auto& r : existing.customer.external_refs) {
            refs.push_back(boost::json::object{{"system", r.system}, {"id", r.id}});
          }
          size_t before = refs.size();
          if (value.is_array()) {
            for (const auto& r : value.as_array()) {
              if (std::find(refs.begin(), refs.end(), r) == refs.end()) refs.push_back(r);
            }
          }
          if (refs.size() != before) cmd["external_refs"] = std::move(refs);
          continue;
        }
        if (key == "attributes") {
          boost::json::object merged;
          for (const auto& [k, v] : existing.customer.attributes) merged[k] = v;
          bool changed = false;
          if (value.is_object()) {
            for (const auto& [k, v] : value.as_object()) {
              const auto* old = merged.if_contains(k);
              if (!old || *old != v) changed = true;
              merged[k] = v;
            }
          }
          if (changed) cmd["attributes"] = std::move(merged);
          continue;
        }
        cmd[key] = value;
      }
      if (cmd.size() > 2 && !run(ov, cmd, "", out)) return finish(out);
      // Found by id or external ref under another e-mail: the e-mail, which is also the portal login,
      // changes. Intended when the shop's customer changed address, but a reused or mistyped Customer ID
      // would hand one person's account to another's e-mail, so the person importing is told.
      if (const auto* e = cmd.if_contains("email"); e && e->is_string()) {
        const std::string_view now_email(e->as_string());
        if (email_lookup_key(now_email) != existing.customer.email_key) {
          out.warnings.push_back({"email", "import.email_changed",
                                  cat("the customer found by its id or external ref had the e-mail ",
                                      quoted(existing.customer.email), "; e-mail and portal login are now ",
                                      quoted(now_email))});
        }
      }
      if (rec.status && *rec.status != to_string(existing.customer.status)) {
        boost::json::object s{{"op", "customer.set_status"},
                              {"customer_id", id},
                              {"status", *rec.status},
                              {"reason", "import"}};
        if (!run(ov, s, "status", out)) return finish(out);
      }
      for (size_t i = 0; i < rec.addresses.size(); ++i) {
        std::string prefix = cat("addresses[", i, "]");
        boost::json::object fields = rec.addresses[i].fields;
        auto current = ov.load_customer(**target);
        if (!current.ok()) return current.status();
        const CustomerAggregate& agg = **current;
        std::optional<AddressId> given;
        if (const auto* aid = fields.if_contains("id"); aid && aid->is_string()) {
          given = AddressId::parse(std::string_view(aid->as_string()));
        }
        if (given && agg.find_address(*given)) {
          fields.erase("id");
          fields["op"] = "address.update";
          fields["customer_id"] = id;
          fields["address_id"] = given->str();
          if (!run(ov, fields, prefix, out)) return finish(out);
          address_ids[i] = given->str();
          continue;
        }
        auto snapshot = ov.snapshot();
        fields["op"] = "address.add";
        fields["customer_id"] = id;
        auto r = run(ov, fields, prefix, out);
        if (!r) return finish(out);
        address_ids[i] = std::string(r->as_object().at("id").as_string());
        for (const auto& a : agg.addresses) {
          if (same_address(r->as_object(), address_document(a), rec.addresses[i].fields)) {
            ov.restore(std::move(snapshot));  // already in the book: a re-import adds nothing
            address_ids[i] = a.id.str();
            break;
          }
        }
      }
    }
    if (rec.newsletter) {
      boost::json::object cmd{{"op", "newsletter.set"},
                              {"customer_id", id},
                              {"subscribed", *rec.newsletter},
                              {"source", rec.consent_source}};
      if (*rec.newsletter) cmd["opt_in_level"] = rec.consent_level.value_or("unknown");
      if (!run(ov, cmd, "newsletter", out)) return finish(out);
    }
    const auto cid_staged = CustomerId::parse(id);
    for (size_t i = 0; i < rec.addresses.size(); ++i) {
      if (address_ids[i].empty()) continue;
      for (const char* role : {"shipping", "billing"}) {
        bool wanted = role[0] == 's' ? rec.addresses[i].default_shipping : rec.addresses[i].default_billing;
        if (!wanted) continue;
        // Already the default (a new customer's first address is both): the command would change nothing.
        if (const CustomerAggregate* agg = cid_staged ? ov.staged(*cid_staged) : nullptr) {
          const auto& current = role[0] == 's' ? agg->customer.default_shipping_address_id
                                               : agg->customer.default_billing_address_id;
          const Address* a = current ? agg->find_address(*current) : nullptr;
          if (a && !agg->customer.erased && a->status == AddressStatus::active &&
              current->str() == address_ids[i]) {
            continue;
          }
        }
        boost::json::object cmd{{"op", "address.set_default"},
                                {"customer_id", id},
                                {"address_id", address_ids[i]},
                                {"role", role}};
        if (!run(ov, cmd, cat("addresses[", i, "]"), out)) return finish(out);
      }
    }
    if (import_passwords_ && rec.password && !probing_) {
      // Hashed ahead on a worker thread when the record went through the pipeline (secret_memo.hpp).
      boost::json::object cmd{{"op", "portal.set_login"}, {"customer_id", id}, {"password", *rec.password}};
      if (!run(ov, cmd, "", out)) return finish(out);
    }
    auto cid = CustomerId::parse(id);
    bool renumber = true;
    if (created && rec.restore && cid) {
      if (CustomerAggregate* agg = ov.staged(*cid)) restore(*agg, *rec.restore, renumber);
    } else if (rec.restore && cid && (rec.restore->password_hash || rec.restore->answer_hash)) {
      auto filled = fill_login(ov, *cid, *rec.restore, out);
      if (!filled.ok()) return filled;
    }
    if (probing_) return out;  // a record the file already refused: checked, never written
    size_t written = 0;
    auto committed = ov.commit(renumber, &written);
    if (!committed.ok()) {
      if (error_code_of(committed) == ErrorCode::internal) return committed;
      out.errors = violations_from(committed, "");
      out.kind = OutcomeKind::rejected;
      return out;
    }
    out.kind = created ? OutcomeKind::created : (written > 0 ? OutcomeKind::updated : OutcomeKind::unchanged);
    return out;
  }

 private:
  absl::StatusOr<std::optional<CustomerId>> find_target(OverlayTx& ov, const ImportRecord& rec) {
    if (const auto* v = rec.customer.if_contains("id"); v && v->is_string()) {
      if (auto id = CustomerId::parse(std::string_view(v->as_string()))) {
        auto agg = ov.load_customer(*id);
        if (!agg.ok()) return agg.status();
        if (*agg) return std::optional<CustomerId>(*id);
      }
    }
    if (const auto* refs = rec.customer.if_contains("external_refs"); refs && refs->is_array()) {
      for (const auto& r : refs->as_array()) {
        if (!r.is_object()) continue;
        const auto* system = r.as_object().if_contains("system");
        const auto* rid = r.as_object().if_contains("id");
        if (!system || !rid || !system->is_string() || !rid->is_string()) continue;
        auto found = ov.find_by_external_ref(ascii_lower(std::string_view(system->as_string())),
                                             std::string_view(rid->as_string()));
        if (!found.ok()) return found.status();
        if (!*found) continue;
        auto agg = ov.load_customer(**found);
        if (!agg.ok()) return agg.status();
        if (*agg && (*agg)->customer.status != Status::archived) return *found;
      }
    }
    if (const auto* e = rec.customer.if_contains("email"); e && e->is_string()) {
      auto found = ov.find_live_by_email_key(email_lookup_key(std::string_view(e->as_string())));
      if (!found.ok()) return found.status();
      return *found;
    }
    return std::optional<CustomerId>();
  }

  // Runs one command of the record; on refusal records the violations (relative to the record) and returns
  // nullopt. A store failure is kept in fatal_.
  std::optional<boost::json::value> run(OverlayTx& ov, const boost::json::object& cmd,
                                        std::string_view prefix, Outcome& out) {
    Result r = engine_.execute_in(ov, cmd, /*abridged=*/true);
    if (!r.ok()) {
      if (error_code_of(r.status) == ErrorCode::internal) fatal_ = r.status;
      out.errors = violations_from(r.status, prefix);
      return std::nullopt;
    }
    append_prefixed(out.warnings, r.warnings, prefix);
    return std::move(r.result);
  }

  absl::StatusOr<Outcome> finish(Outcome& out) {
    if (!fatal_.ok()) return fatal_;
    out.kind = OutcomeKind::rejected;
    return out;
  }

  // Our own export carries what commands cannot set: times, version, consent time, login hashes.
  // A jsonl record with login hashes that matched a stored customer: the halves of the login the customer
  // does not have here are filled from the file (as a blank field is filled by an upsert); a half it has is
  // kept, and a different one in the file is reported (import.login_kept), never silently dropped.
  absl::Status fill_login(OverlayTx& ov, const CustomerId& id, const detail::RestoreInfo& r, Outcome& out) {
    auto loaded = ov.load_customer(id);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return absl::OkStatus();
    CustomerAggregate after = **loaded;
    auto& p = after.portal;
    std::vector<std::string> kept, filled;
    if (r.password_hash) {
      if (!p.password_hash) {
        p.password_hash = *r.password_hash;
        filled.emplace_back("password set");
      } else if (*p.password_hash != *r.password_hash) {
        kept.emplace_back("password");
      }
    }
    if (r.answer_hash && r.secret_question) {
      if (!p.answer_hash) {
        p.answer_hash = *r.answer_hash;
        p.secret_question = *r.secret_question;
        filled.emplace_back("secret question and answer set");
      } else if (*p.answer_hash != *r.answer_hash || p.secret_question != r.secret_question) {
        kept.emplace_back("secret question and answer");
      }
    }
    if (!kept.empty()) {
      out.warnings.push_back({"portal", "import.login_kept",
                              cat("the customer already has a portal ", absl::StrJoin(kept, " and "),
                                  " here; the file's is not imported over it")});
    }
    if (filled.empty()) return absl::OkStatus();
    const absl::Time now = engine_.clock().now();
    after.customer.updated_at = now;
    after.history.push_back({now, Actor::system, "portal_login_changed", std::nullopt, std::nullopt,
                             cat(absl::StrJoin(filled, "; "), " (import)")});
    return ov.put_customer(after, &**loaded);
  }

  static void restore(CustomerAggregate& agg, const detail::RestoreInfo& r, bool& renumber) {
    auto& c = agg.customer;
    if (r.created_at) {
      c.created_at = *r.created_at;
      for (auto& h : agg.history) {
        if (h.event == "created") h.at = *r.created_at;
      }
    }
    if (r.updated_at) c.updated_at = *r.updated_at;
    if (r.version) {
      c.version = *r.version;
      renumber = false;
    }
    if (r.consent_at && c.newsletter.updated_at) {
      c.newsletter.updated_at = *r.consent_at;
      if (!agg.consent.empty()) agg.consent.back().at = *r.consent_at;
    }
    if (r.password_hash) agg.portal.password_hash = *r.password_hash;
    if (r.answer_hash && r.secret_question) {
      agg.portal.answer_hash = *r.answer_hash;
      agg.portal.secret_question = *r.secret_question;
    }
  }

  Engine& engine_;
  int64_t type_id_;
  bool import_passwords_;
  absl::Status fatal_;
  bool probing_ = false;
};

// ---- Speculative application ---------------------------------------------------------------------------
//
// The decode workers also apply each record ahead of its turn, against a SpeculativeTx: a store that holds
// nothing but the customer types, and writes down every answer it gave ("no customer has this e-mail key").
// The applying thread then, in file order, asks its real transaction the same questions: when every answer
// still holds, the engine would decide exactly as it did on the worker, so the record's outcome and its
// final aggregate are kept (with real ids made now, in order, and the time of now); when one does not (the
// customer exists already, a row earlier in the file took the e-mail), the record is applied the ordinary
// way. The rules run once, on the workers; the applying thread only checks and writes.

// One answer the speculative store gave: "nothing" for this look-up.
struct Assumption {
  enum class Kind { no_customer, no_live_email, no_archived_email, no_external_ref, no_address_owner };
  Kind kind;
  std::string key;  // e-mail key, or external ref system
  std::string ref;  // external ref id
  boost::uuids::uuid id{};
};

struct Speculation {
  Outcome outcome;
  std::vector<CustomerAggregate> puts;          // what the record wrote (new customers only)
  std::vector<Assumption> assumptions;          // what the store answered
  std::vector<boost::uuids::uuid> provisional;  // ids made while applying, in order
  absl::Time at;                                // the time the engine saw
};

// What every speculation of one import shares (set once before the first record is decoded).
struct SpeculationContext {
  Engine* engine = nullptr;
  int64_t type_id = 1;
  bool import_passwords = false;
  std::vector<CustomerType> types;  // as the store had them when the import began
  std::atomic<bool> enabled{true};  // false once the store's types differ from `types`
};

class SpeculativeTx final : public StoreTx {
 public:
  SpeculativeTx(const std::vector<CustomerType>& types, Speculation& s) : types_(types), s_(s) {}

  [[nodiscard]] bool unsupported() const { return unsupported_; }

  absl::StatusOr<std::optional<CustomerAggregate>> load_customer(const CustomerId& id) override {
    assume(Assumption::Kind::no_customer, {}, {}, id.uuid());
    return std::optional<CustomerAggregate>();
  }
  absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(std::string_view key) override {
    assume(Assumption::Kind::no_live_email, key, {}, {});
    return std::optional<CustomerId>();
  }
  absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(std::string_view key) override {
    assume(Assumption::Kind::no_archived_email, key, {}, {});
    return std::optional<CustomerId>();
  }
  absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(std::string_view system,
                                                                 std::string_view id) override {
    assume(Assumption::Kind::no_external_ref, system, id, {});
    return std::optional<CustomerId>();
  }
  absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) override {
    assume(Assumption::Kind::no_address_owner, {}, {}, id.uuid());
    return std::optional<CustomerId>();
  }
  absl::Status put_customer(const CustomerAggregate& after, const CustomerAggregate* before) override {
    if (before) return refuse();
    s_.puts.push_back(after);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) override {
    for (const auto& t : types_) {
      if (t.id == id) return std::optional<CustomerType>(t);
    }
    return std::optional<CustomerType>();
  }
  absl::StatusOr<std::vector<CustomerType>> list_customer_types() override { return types_; }

  // Anything else is not part of applying a new record: the speculation is abandoned.
  absl::Status delete_customer(const CustomerId&) override { return refuse(); }
  absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery&) override { return refuse(); }
  absl::Status put_customer_type(const CustomerType&) override { return refuse(); }
  absl::StatusOr<std::optional<Company>> load_company(const CompanyId&) override { return refuse(); }
  absl::StatusOr<std::vector<Company>> list_companies() override { return refuse(); }
  absl::Status put_company(const Company&) override { return refuse(); }
  absl::StatusOr<std::optional<Order>> load_order(const OrderId&) override { return refuse(); }
  absl::Status put_order(const Order&) override { return refuse(); }
  absl::StatusOr<std::vector<Order>> list_orders(const CustomerId&) override { return refuse(); }
  absl::StatusOr<int64_t> count_orders(const CustomerId&) override { return refuse(); }
  absl::StatusOr<std::vector<Order>> page_orders(const CustomerId&, const std::optional<OrderCursor>&,
                                                 size_t) override {
    return refuse();
  }
  absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId&) override { return refuse(); }
  absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId&) override { return refuse(); }
  absl::Status put_ticket(const Ticket&) override { return refuse(); }
  absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId&) override { return refuse(); }
  absl::StatusOr<std::optional<Opportunity>> load_opportunity(const OpportunityId&) override {
    return refuse();
  }
  absl::Status put_opportunity(const Opportunity&) override { return refuse(); }
  absl::StatusOr<std::vector<Opportunity>> list_opportunities(const CustomerId&) override { return refuse(); }
  absl::StatusOr<std::optional<Segment>> load_segment(std::string_view) override { return refuse(); }
  absl::StatusOr<std::vector<Segment>> list_segments() override { return refuse(); }
  absl::Status put_segment(const Segment&) override { return refuse(); }
  absl::StatusOr<std::vector<CustomerId>> segment_members(const SegmentRule&, absl::Time,
                                                          const std::optional<CustomerId>&, size_t) override {
    return refuse();
  }
  absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)>) override { return refuse(); }

 private:
  void assume(Assumption::Kind kind, std::string_view key, std::string_view ref, boost::uuids::uuid id) {
    s_.assumptions.push_back({kind, std::string(key), std::string(ref), id});
  }
  absl::Status refuse() {
    unsupported_ = true;
    return make_error(ErrorCode::internal, "not answered by a speculative store");
  }

  const std::vector<CustomerType>& types_;
  Speculation& s_;
  bool unsupported_ = false;
};

// On a worker: applies `rec` (left as it is) against a SpeculativeTx. Null when the record cannot be
// applied ahead (our own export's records restore stored data; a look-up the speculative store cannot
// answer).
std::unique_ptr<Speculation> speculate(Applier& applier, const SpeculationContext& ctx,
                                       const ImportRecord& rec) {
  if (!ctx.enabled.load(std::memory_order_relaxed) || rec.restore) return nullptr;
  auto s = std::make_unique<Speculation>();
  s->at = ctx.engine->clock().now();
  // The fields Applier::apply reads (it moves them into commands); the source rows stay with the original.
  ImportRecord copy;
  copy.line = rec.line;
  copy.email = rec.email;
  copy.addresses_only = rec.addresses_only;
  copy.customer = rec.customer;
  copy.customer_type_id = rec.customer_type_id;
  copy.status = rec.status;
  copy.newsletter = rec.newsletter;
  copy.consent_source = rec.consent_source;
  copy.consent_level = rec.consent_level;
  copy.addresses = rec.addresses;
  copy.password = rec.password;
  copy.errors = rec.errors;
  copy.warnings = rec.warnings;
  SpeculativeTx tx(ctx.types, *s);
  {
    ScopedSpeculation scope(&s->provisional, s->at);
    detail::ScopedPhoneMemo phones(&rec.phones);
    detail::ScopedSecretMemo secrets(&rec.secrets);
    auto out = applier.apply(tx, copy);
    if (!out.ok() || tx.unsupported()) return nullptr;
    s->outcome = std::move(*out);
  }
  return s;
}

// On the applying thread, in file order: the speculation's outcome, its writes made to `tx`, when every
// answer it relied on still holds; nullopt (nothing written) when one does not.
absl::StatusOr<std::optional<Outcome>> replay(StoreTx& tx, Speculation& s, const Clock& clock) {
  auto provisional = [&](const boost::uuids::uuid& u) {
    return std::find(s.provisional.begin(), s.provisional.end(), u) != s.provisional.end();
  };
  for (const auto& a : s.assumptions) {
    absl::StatusOr<bool> holds = true;
    switch (a.kind) {
      case Assumption::Kind::no_customer: {
        // A provisional id is replaced by a new UUIDv7 below, which no stored customer can have.
        if (provisional(a.id)) break;
        auto r = tx.load_customer(CustomerId(a.id));
        holds = r.ok() ? absl::StatusOr<bool>(!r->has_value()) : r.status();
        break;
      }
      case Assumption::Kind::no_address_owner: {
        if (provisional(a.id)) break;
        auto r = tx.find_address_owner(AddressId(a.id));
        holds = r.ok() ? absl::StatusOr<bool>(!r->has_value()) : r.status();
        break;
      }
      case Assumption::Kind::no_live_email: {
        auto r = tx.find_live_by_email_key(a.key);
        holds = r.ok() ? absl::StatusOr<bool>(!r->has_value()) : r.status();
        break;
      }
      case Assumption::Kind::no_archived_email: {
        auto r = tx.find_archived_by_email_key(a.key);
        holds = r.ok() ? absl::StatusOr<bool>(!r->has_value()) : r.status();
        break;
      }
      case Assumption::Kind::no_external_ref: {
        auto r = tx.find_by_external_ref(a.key, a.ref);
        holds = r.ok() ? absl::StatusOr<bool>(!r->has_value()) : r.status();
        break;
      }
    }
    if (!holds.ok()) return holds.status();
    if (!*holds) return std::optional<Outcome>();
  }
  Outcome out = std::move(s.outcome);
  if (out.kind == OutcomeKind::rejected || s.puts.empty()) return std::optional<Outcome>(std::move(out));
  // Real ids, made now and in the order the engine made the provisional ones.
  std::vector<boost::uuids::uuid> real(s.provisional.size());
  for (auto& u : real) u = detail::generate_uuid_v7();
  auto fix = [&](boost::uuids::uuid u) {
    auto it = std::find(s.provisional.begin(), s.provisional.end(), u);
    return it == s.provisional.end() ? u : real[static_cast<size_t>(it - s.provisional.begin())];
  };
  const absl::Time now = clock.now();
  auto when = [&](absl::Time& t) {
    if (t == s.at) t = now;
  };
  for (auto& agg : s.puts) {
    auto& c = agg.customer;
    c.id = CustomerId(fix(c.id.uuid()));
    if (c.default_billing_address_id)
      c.default_billing_address_id = AddressId(fix(c.default_billing_address_id->uuid()));
    if (c.default_shipping_address_id)
      c.default_shipping_address_id = AddressId(fix(c.default_shipping_address_id->uuid()));
    for (auto& a : agg.addresses) {
      a.id = AddressId(fix(a.id.uuid()));
      a.customer_id = c.id;
    }
    when(c.created_at);
    when(c.updated_at);
    if (c.newsletter.updated_at) when(*c.newsletter.updated_at);
    for (auto& e : agg.consent) when(e.at);
    for (auto& h : agg.history) when(h.at);
    auto st = tx.put_customer(agg, nullptr);
    if (!st.ok()) {
      if (error_code_of(st) == ErrorCode::internal) return st;
      out.errors = violations_from(st, "");
      out.kind = OutcomeKind::rejected;
      return std::optional<Outcome>(std::move(out));
    }
  }
  return std::optional<Outcome>(std::move(out));
}

std::string error_text(const Violations& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    out += cat(e.field.empty() ? "" : cat(e.field, ": "), e.rule, ": ", e.message);
  }
  return out;
}

class Accountant {
 public:
  Accountant(const ImportOptions& options, detail::RecordSource& source, ImportResult& result)
      : options_(options), source_(source), result_(result) {}

  void add(const ImportRecord& rec, const Outcome& o) {
    ++result_.rows_read;
    bool rejected = o.kind == OutcomeKind::rejected;
    const Violations& listed = rejected ? o.errors : o.warnings;
    // Messages quote values: a password hash a file carried in any column is never repeated, in the reject
    // file or in the result. Copied (once) only for those two.
    std::optional<Violations> shown;
    auto scrubbed = [&]() -> Violations& {
      if (!shown) {
        shown = listed;
        for (auto& v : *shown) {
          if (detail::looks_like_a_hash(v.message)) v.message = detail::scrub_hashes(v.message);
        }
      }
      return *shown;
    };
    if (rejected) {
      ++result_.rejected;
      if (options_.rejects) source_.write_reject(*options_.rejects, rec, error_text(scrubbed()));
    } else {
      ++result_.accepted;
      result_.created += o.kind == OutcomeKind::created;
      result_.updated += o.kind == OutcomeKind::updated;
      result_.unchanged += o.kind == OutcomeKind::unchanged;
      if (!o.warnings.empty()) ++result_.warned;
    }
    auto& split = rejected ? result_.rejected_by_rule : result_.warned_by_rule;
    for (const auto& v : listed) {
      ++result_.by_rule[v.rule];
      ++split[v.rule];
    }
    if (!rejected && o.warnings.empty()) return;
    if (result_.rows.size() >= options_.max_reported_rows) {
      result_.rows_truncated = true;
      return;
    }
    std::optional<std::string> email = rec.email;
    if (email && detail::looks_like_a_hash(*email)) email.reset();
    result_.rows.push_back({rec.line, rejected, std::move(email), std::move(scrubbed())});
  }

  void progress() {
    if (!options_.on_progress) return;
    options_.on_progress({result_.rows_read, result_.accepted, result_.rejected, source_.bytes_read()});
  }

 private:
  const ImportOptions& options_;
  detail::RecordSource& source_;
  ImportResult& result_;
};

// The type of new customers: the one asked for (it must exist and be Active), else the default, else 1.
absl::StatusOr<int64_t> import_type(StoreTx& tx, const ImportOptions& options) {
  if (options.customer_type_id) {
    auto t = tx.load_customer_type(*options.customer_type_id);
    if (!t.ok()) return t.status();
    if (!*t || (*t)->status != Status::active) {
      return field_error(
          ErrorCode::validation_failed, "customer_type_id",
          *t ? "customer_type.not_active" : "customer_type.not_found",
          cat("customer type ", *options.customer_type_id, *t ? " is not Active" : " does not exist"));
    }
    return *options.customer_type_id;
  }
  auto types = tx.list_customer_types();
  if (!types.ok()) return types.status();
  for (const auto& t : *types) {
    if (t.is_default && t.status == Status::active) return t.id;
  }
  return int64_t{1};
}

// Decodes records on worker threads while the calling thread applies them in file order (SPEC §7: the
// results are those of a serial import). The calling thread reads the raw rows of a batch (cheap, and the
// source's continuation rules are sequential), a worker decodes the batch and parses its phone numbers, and
// the caller takes the batches back in the order it read them. A few batches are in flight at once, so
// memory stays bounded however large the file.
class DecodePipeline {
 public:
  DecodePipeline(detail::RecordSource& source, detail::PrepareOptions prepare, size_t batch, size_t workers)
      : source_(source), prepare_(std::move(prepare)), batch_(batch) {
    for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }

  ~DecodePipeline() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  DecodePipeline(const DecodePipeline&) = delete;
  DecodePipeline& operator=(const DecodePipeline&) = delete;

  // From now on, the workers also apply each record speculatively (`ctx` must outlive the pipeline).
  void speculate_with(const SpeculationContext* ctx) {
    std::lock_guard lock(mu_);
    spec_ = ctx;
  }

  // The next decoded record in file order, with its speculation if it has one; false at the end of the input.
  bool next(ImportRecord& rec, std::unique_ptr<Speculation>& spec) {
    while (true) {
      if (current_ && pos_ < current_->records.size()) {
        // Swapped, not moved: the caller's previous record and speculation go back into the batch, to be
        // freed by the worker that made them (see recycle()).
        std::swap(spec, current_->specs[pos_]);
        std::swap(rec, current_->records[pos_++]);
        source_.accept(rec);
        return true;
      }
      recycle(std::move(current_));
      top_up();
      std::unique_lock lock(mu_);
      if (order_.empty()) return false;
      std::shared_ptr<Batch> front = order_.front();
      done_cv_.wait(lock, [&] { return front->done; });
      order_.pop_front();
      lock.unlock();
      current_ = std::move(front);
      pos_ = 0;
    }
  }

 private:
  struct Batch {
    std::vector<detail::RawRecord> raw;
    std::vector<ImportRecord> records;
    std::vector<std::unique_ptr<Speculation>> specs;
    bool done = false;
  };

  // A batch the caller is done with is used again (its vectors keep their capacity: no large frees, which
  // make glibc consolidate its free lists); its contents are freed by the threads that allocated them.
  void recycle(std::shared_ptr<Batch> b) {
    if (!b) return;
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }

  // Reads raw batches until enough are in flight (two per worker, plus the one being applied).
  void top_up() {
    const size_t limit = 2 * threads_.size() + 1;
    while (!eof_) {
      {
        std::lock_guard lock(mu_);
        if (order_.size() >= limit) return;
      }
      std::shared_ptr<Batch> b;
      {
        std::lock_guard lock(mu_);
        if (!free_.empty()) {
          b = std::move(free_.back());
          free_.pop_back();
        }
      }
      if (!b) b = std::make_shared<Batch>();
      b->raw.clear();  // the rows this thread read for the batch's previous round
      b->done = false;
      b->raw.reserve(batch_);
      while (b->raw.size() < batch_) {
        detail::RawRecord r;
        if (!source_.read(r)) {
          eof_ = true;
          break;
        }
        b->raw.push_back(std::move(r));
      }
      if (b->raw.empty()) return;
      {
        std::lock_guard lock(mu_);
        order_.push_back(b);
        queue_.push_back(std::move(b));
      }
      work_cv_.notify_one();
    }
  }

  void work() {
    std::optional<Applier> applier;  // this thread's, for speculations
    while (true) {
      std::shared_ptr<Batch> b;
      const SpeculationContext* spec = nullptr;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        b = std::move(queue_.front());
        queue_.pop_front();
        spec = spec_;
      }
      if (spec && !applier) applier.emplace(*spec->engine, spec->type_id, spec->import_passwords);
      // The previous round's records and speculations are freed here, on a worker: glibc's malloc is slow
      // when one thread frees what another allocated (a profile showed ~40% of the import in malloc/free).
      b->records.clear();
      b->specs.clear();
      b->records.resize(b->raw.size());
      b->specs.resize(b->raw.size());
      for (size_t i = 0; i < b->raw.size(); ++i) {
        source_.decode(b->raw[i], b->records[i]);
        detail::prepare_record(b->records[i], prepare_);
        if (spec) b->specs[i] = speculate(*applier, *spec, b->records[i]);
      }
      {
        std::lock_guard lock(mu_);
        b->done = true;
      }
      done_cv_.notify_all();
    }
  }

  detail::RecordSource& source_;
  const detail::PrepareOptions prepare_;
  const size_t batch_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::shared_ptr<Batch>> order_;  // read, in file order, until taken by next()
  std::deque<std::shared_ptr<Batch>> queue_;  // read, not yet picked up by a worker
  bool stop_ = false;
  bool eof_ = false;
  std::shared_ptr<Batch> current_;
  size_t pos_ = 0;
  std::vector<std::shared_ptr<Batch>> free_;  // batches to use again (guarded by mu_)
  const SpeculationContext* spec_ = nullptr;
};

// Threads that decode records beside the applying thread: one per core, none on a single core.
size_t decode_workers(const ImportOptions& options) {
  if (options.decode_threads) return *options.decode_threads;
  unsigned n = std::thread::hardware_concurrency();
  return n > 1 ? n : 0;
}

absl::StatusOr<ImportResult> run_import(Engine& engine, StoreTx* outer, std::istream& in,
                                        const ImportOptions& options) {
  auto source = detail::make_record_source(in, options);
  if (!source.ok()) return source.status();
  ImportResult result;
  Accountant accountant(options, **source, result);
  ImportRecord rec;
  const size_t batch = std::max<size_t>(1, options.batch_size);
  detail::PrepareOptions prepare;
  prepare.default_region = engine.options().default_region;
  prepare.import_passwords = options.import_passwords;
  prepare.hash_limits = engine.options().hash_limits;
  SpeculationContext spec_ctx;
  spec_ctx.engine = &engine;
  spec_ctx.import_passwords = options.import_passwords;
  std::optional<DecodePipeline> pipeline;
  if (size_t workers = decode_workers(options); workers > 0 && (*source)->splits()) {
    detail::PrepareOptions p = prepare;
    p.phones = true;
    // Decoded in chunks of its own, so the records in flight stay few whatever the commit batch.
    pipeline.emplace(**source, std::move(p), std::min<size_t>(batch, 256), workers);
  }

  // Applies records to `tx` until the input ends or `limit` records were read; false when the input ended.
  // Lets the workers apply records ahead (a store with the types `tx` has now; import type `type`).
  auto start_speculating = [&](StoreTx& tx, int64_t type) -> absl::Status {
    if (!pipeline) return absl::OkStatus();
    auto types = tx.list_customer_types();
    if (!types.ok()) return types.status();
    spec_ctx.type_id = type;
    spec_ctx.types = std::move(*types);
    pipeline->speculate_with(&spec_ctx);
    return absl::OkStatus();
  };
  std::unique_ptr<Speculation> spec;

  auto apply_some = [&](Applier& applier, StoreTx& tx, size_t limit, bool& more) -> absl::Status {
    if (pipeline && spec_ctx.enabled.load()) {
      // Speculations assumed the types as they were when the import began; another writer may have changed
      // them between two batches.
      auto types = tx.list_customer_types();
      if (!types.ok()) return types.status();
      if (*types != spec_ctx.types) spec_ctx.enabled.store(false);
    }
    for (size_t n = 0; n < limit; ++n) {
      if (pipeline) {
        if (!pipeline->next(rec, spec)) {
          more = false;
          return absl::OkStatus();
        }
      } else {
        if (!(*source)->next(rec)) {
          more = false;
          return absl::OkStatus();
        }
        detail::prepare_record(rec, prepare);
      }
      detail::ScopedPhoneMemo phones(&rec.phones);
      detail::ScopedSecretMemo secrets(&rec.secrets);
      std::optional<Outcome> outcome;
      if (spec && spec_ctx.enabled.load(std::memory_order_relaxed)) {
        auto kept = replay(tx, *spec, engine.clock());
        if (!kept.ok()) return kept.status();
        outcome = std::move(*kept);
      }
      spec.reset();
      if (!outcome) {
        auto applied = applier.apply(tx, rec);
        if (!applied.ok()) return applied.status();
        outcome = std::move(*applied);
      }
      accountant.add(rec, *outcome);
    }
    more = true;
    return absl::OkStatus();
  };

  auto whole = [&](StoreTx& tx) -> absl::Status {
    auto type = import_type(tx, options);
    if (!type.ok()) return type.status();
    if (auto st = start_speculating(tx, *type); !st.ok()) return st;
    Applier applier(engine, *type, options.import_passwords);
    OverlayTx dry(tx);  // a dry run's changes: never committed
    StoreTx& target = options.dry_run ? static_cast<StoreTx&>(dry) : tx;
    bool more = true;
    while (more) {
      if (auto st = apply_some(applier, target, batch, more); !st.ok()) return st;
      accountant.progress();
    }
    return absl::OkStatus();
  };

  if (outer) {
    if (auto s = whole(*outer); !s.ok()) return s;
  } else if (options.dry_run) {
    if (auto s = engine.store().read(whole); !s.ok()) return s;
  } else {
    std::optional<int64_t> type;
    if (auto s = engine.store().read([&](StoreTx& tx) -> absl::Status {
          auto t = import_type(tx, options);
          if (!t.ok()) return t.status();
          type = *t;
          return start_speculating(tx, *t);
        });
        !s.ok()) {
      return s;
    }
    Applier applier(engine, *type, options.import_passwords);
    bool more = true;
    while (more) {
      auto s = engine.store().write([&](StoreTx& tx) { return apply_some(applier, tx, batch, more); });
      if (!s.ok()) return s;
      accountant.progress();
    }
  }
  pipeline.reset();
  if (!(*source)->status().ok()) return (*source)->status();
  result.warnings = (*source)->warnings();
  accountant.progress();
  return result;
}

}  // namespace

std::string_view to_string(ImportFormat format) {
  for (const auto& [f, name] : kFormats) {
    if (f == format) return name;
  }
  return "shopify";
}

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  for (const auto& [f, n] : kFormats) {
    if (n == name) return f;
  }
  return std::nullopt;
}

boost::json::object import_result_json(const ImportResult& r) {
  boost::json::object out;
  out["rows_read"] = r.rows_read;
  out["accepted"] = r.accepted;
  out["warned"] = r.warned;
  out["rejected"] = r.rejected;
  boost::json::object by_rule;
  for (const auto& [rule, n] : r.by_rule) by_rule[rule] = n;
  out["by_rule"] = std::move(by_rule);
  boost::json::array rows;
  for (const auto& row : r.rows) {
    boost::json::array violations;
    for (const auto& v : row.violations) {
      violations.push_back(boost::json::object{{"field", v.field}, {"rule", v.rule}, {"message", v.message}});
    }
    rows.push_back(boost::json::object{
        {"line", row.line},
        {"status", row.rejected ? "rejected" : "warned"},
        {"email", row.email ? boost::json::value(*row.email) : boost::json::value(nullptr)},
        {"violations", std::move(violations)}});
  }
  out["rows"] = std::move(rows);
  out["rows_truncated"] = r.rows_truncated;
  return out;
}

absl::StatusOr<ImportResult> import_customers(Engine& engine, std::istream& in,
                                              const ImportOptions& options) {
  return run_import(engine, nullptr, in, options);
}

absl::StatusOr<ImportResult> import_customers_in(Engine& engine, StoreTx& tx, std::istream& in,
                                                 const ImportOptions& options) {
  return run_import(engine, &tx, in, options);
}

namespace detail {

void prepare_record(ImportRecord& record, const PrepareOptions& options) {
  if (options.phones) prepare_phones(record, options.default_region);
  if (!options.import_passwords) return;
  auto& w = record.warnings;
  w.erase(std::remove_if(w.begin(), w.end(),
                         [](const Violation& v) { return v.rule == "password.not_imported"; }),
          w.end());
  if (!record.errors.empty() || !record.password) return;
  Diagnostics scratch;
  // portal.set_login hashes password_form(password): the same text is hashed here, once.
  if (auto form = password_form(*record.password, "password", scratch)) {
    (void)remember_secret(record.secrets, *form, options.hash_limits);
  }
}

void prepare_phones(ImportRecord& record, std::string_view default_region) {
  if (!record.errors.empty()) return;  // refused before the engine sees it
  auto text_of = [](const boost::json::object& o, std::string_view key) -> const boost::json::string* {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? &v->as_string() : nullptr;
  };
  auto remember = [&](const boost::json::string* raw, std::string_view region) {
    if (!raw) return;
    Diagnostics scratch;
    // The engine parses the cleaned text (customer_ops.cpp phone_field, address_ops.cpp).
    auto cleaned = clean_text(std::string_view(*raw), "phone", {.max_code_points = 64}, scratch);
    if (cleaned && !cleaned->empty()) remember_phone(record.phones, *cleaned, region);
  };
  auto region_of = [&](const boost::json::object& fields) -> std::string {
    const auto* r = text_of(fields, "region");
    if (!r) return std::string(default_region);
    auto found = RegionCatalog::instance().find_country(std::string_view(*r));
    return found.ok() ? std::string(found->code) : std::string(default_region);
  };
  std::string first_region = std::string(default_region);
  for (size_t i = 0; i < record.addresses.size(); ++i) {
    std::string region = region_of(record.addresses[i].fields);
    if (i == 0) first_region = region;
    remember(text_of(record.addresses[i].fields, "phone"), region);
  }
  remember(text_of(record.customer, "phone"), first_region);
  remember(text_of(record.customer, "fax"), first_region);
}

absl::StatusOr<std::unique_ptr<RecordSource>> make_record_source(std::istream& in,
                                                                 const ImportOptions& options) {
  if (options.format == ImportFormat::generic || options.format == ImportFormat::generic_json) {
    if (auto s = check_mapping_keys(options.mapping); !s.ok()) return s;
  }
  switch (options.format) {
    case ImportFormat::shopify:
    case ImportFormat::magento_customer:
    case ImportFormat::magento_address:
    case ImportFormat::magento_composite:
    case ImportFormat::generic:
      return make_csv_source(in, options);
    case ImportFormat::shopify_json:
    case ImportFormat::generic_json:
    case ImportFormat::jsonl:
      return make_json_source(in, options);
  }
  return make_csv_source(in, options);
}

}  // namespace detail
}  // namespace leadcustomers
