#include "leadcustomers/sqlite_store.hpp"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "boost/json.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/text.hpp"
#include "store/search_match.hpp"
#include "store/segment_sql.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"

namespace leadcustomers {

using detail::cat;
using detail::SqliteConnection;
using detail::Stmt;

#define LC_STORE_TRY(expr)                       \
  do {                                           \
    absl::Status lc_store_st_ = (expr);          \
    if (!lc_store_st_.ok()) return lc_store_st_; \
  } while (0)

namespace {

// ---------------------------------------------------------------------------------------------------
// SQL. Every statement is a constant (prepared once per connection); no SQL is ever built from input.

constexpr const char* kBegin = "BEGIN";
constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";
constexpr const char* kSavepoint = "SAVEPOINT lc_savepoint";
constexpr const char* kRelease = "RELEASE lc_savepoint";
constexpr const char* kRollbackTo = "ROLLBACK TO lc_savepoint";

#define LC_CUSTOMER_COLUMNS                                                                              \
  "id, customer_type_id, status, first_name, last_name, email, email_key, phone, phone_extension, fax, " \
  "fax_extension, company_id, newsletter_subscribed, newsletter_opt_in_level, newsletter_source, "       \
  "newsletter_updated_at, tags, note, tax_exempt, attributes, created_at, updated_at, version, erased, " \
  "default_shipping_address_id, default_billing_address_id"

constexpr const char* kSelectCustomer = "SELECT " LC_CUSTOMER_COLUMNS " FROM customers WHERE id = ?1";
constexpr const char* kInsertCustomer =
    "INSERT INTO customers (" LC_CUSTOMER_COLUMNS
    ", first_fold, last_fold, full_fold, phone_digits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)";
constexpr const char* kUpdateCustomer =
    "UPDATE customers SET customer_type_id = ?2, status = ?3, first_name = ?4, last_name = ?5, email = ?6, "
    "email_key = ?7, phone = ?8, phone_extension = ?9, fax = ?10, fax_extension = ?11, company_id = ?12, "
    "newsletter_subscribed = ?13, newsletter_opt_in_level = ?14, newsletter_source = ?15, "
    "newsletter_updated_at = ?16, tags = ?17, note = ?18, tax_exempt = ?19, attributes = ?20, "
    "created_at = ?21, updated_at = ?22, version = ?23, erased = ?24, default_shipping_address_id = ?25, "
    "default_billing_address_id = ?26, first_fold = ?27, last_fold = ?28, full_fold = ?29, "
    "phone_digits = ?30 WHERE id = ?1";
constexpr const char* kDeleteCustomer = "DELETE FROM customers WHERE id = ?1";
constexpr const char* kFindLiveByEmail =
    "SELECT id FROM customers WHERE email_key = ?1 AND status <> 'Archived' AND erased = 0";
constexpr const char* kFindArchivedByEmail =
    "SELECT id FROM customers WHERE email_key = ?1 AND erased = 0 AND status = 'Archived' "
    "ORDER BY updated_at DESC, id DESC LIMIT 1";

constexpr const char* kSelectAddresses =
    "SELECT id, name, status, region, state, phone, phone_extension, address1, address2, city, zip, "
    "business_name FROM addresses WHERE customer_id = ?1 ORDER BY position";
constexpr const char* kInsertAddress =
    "INSERT INTO addresses (customer_id, id, position, name, status, region, state, phone, phone_extension, "
    "address1, address2, city, zip, business_name) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr const char* kUpdateAddress =
    "UPDATE addresses SET position = ?3, name = ?4, status = ?5, region = ?6, state = ?7, phone = ?8, "
    "phone_extension = ?9, address1 = ?10, address2 = ?11, city = ?12, zip = ?13, business_name = ?14 "
    "WHERE customer_id = ?1 AND id = ?2";
constexpr const char* kDeleteAddress = "DELETE FROM addresses WHERE customer_id = ?1 AND id = ?2";

constexpr const char* kSelectRefs =
    "SELECT system, ref_id FROM external_refs WHERE customer_id = ?1 ORDER BY position";
constexpr const char* kInsertRef =
    "INSERT INTO external_refs (customer_id, position, system, ref_id) VALUES (?1, ?2, ?3, ?4)";
constexpr const char* kDeleteRefs = "DELETE FROM external_refs WHERE customer_id = ?1";
constexpr const char* kFindAddressOwner = "SELECT customer_id FROM addresses WHERE id = ?1 LIMIT 1";
constexpr const char* kFindByRef = "SELECT customer_id FROM external_refs WHERE system = ?1 AND ref_id = ?2";

constexpr const char* kSelectConsent =
    "SELECT at, from_subscribed, to_subscribed, opt_in_level, source, actor FROM consent_ledger "
    "WHERE customer_id = ?1 ORDER BY seq";
constexpr const char* kInsertConsent =
    "INSERT INTO consent_ledger (customer_id, seq, at, from_subscribed, to_subscribed, opt_in_level, source, "
    "actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kDeleteConsent = "DELETE FROM consent_ledger WHERE customer_id = ?1";

constexpr const char* kSelectHistory =
    "SELECT at, actor, event, from_status, to_status, reason FROM customer_history WHERE customer_id = ?1 "
    "ORDER BY seq";
constexpr const char* kInsertHistory =
    "INSERT INTO customer_history (customer_id, seq, at, actor, event, from_status, to_status, reason) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kDeleteHistory = "DELETE FROM customer_history WHERE customer_id = ?1";

constexpr const char* kSelectPortal =
    "SELECT secret_question, answer_hash, password_hash, failed_attempts, locked_until FROM portal_logins "
    "WHERE customer_id = ?1";
constexpr const char* kPutPortal =
    "INSERT INTO portal_logins (customer_id, secret_question, answer_hash, password_hash, failed_attempts, "
    "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (customer_id) DO UPDATE SET "
    "secret_question = excluded.secret_question, answer_hash = excluded.answer_hash, "
    "password_hash = excluded.password_hash, failed_attempts = excluded.failed_attempts, "
    "locked_until = excluded.locked_until";
constexpr const char* kDeletePortal = "DELETE FROM portal_logins WHERE customer_id = ?1";

// Search. ?1 cursor (x'' when none: every id is greater), ?2 status, ?3 type, ?4 company, ?5 region,
// ?6/?7 folded text and its upper bound, ?8/?9 lower-cased text and its upper bound (NULL: no e-mail
// match), ?10 phone digits (NULL: no phone match), ?11 limit. A prefix p matches [p, p || x'FF'): 0xFF
// never occurs in UTF-8.
#define LC_SEARCH_FILTERS                                                          \
  " AND (?2 IS NULL OR c.status = ?2) AND (?3 IS NULL OR c.customer_type_id = ?3)" \
  " AND (?4 IS NULL OR c.company_id = ?4)"                                         \
  " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM addresses a WHERE a.customer_id = c.id AND a.region = ?5))"
// By id order, testing every customer after the cursor: no text, or text with phone digits (a substring
// match no index serves).
constexpr const char* kSearchScan =
    "SELECT c.id FROM customers c WHERE c.id > ?1" LC_SEARCH_FILTERS
    " AND (?6 IS NULL"
    " OR (c.first_fold >= ?6 AND c.first_fold < ?7) OR (c.last_fold >= ?6 AND c.last_fold < ?7)"
    " OR (c.full_fold >= ?6 AND c.full_fold < ?7)"
    " OR (c.erased = 0 AND c.email_key >= ?8 AND c.email_key < ?9)"
    " OR (c.company_id IS NOT NULL AND EXISTS (SELECT 1 FROM companies co WHERE co.id = c.company_id"
    " AND co.name_fold >= ?6 AND co.name_fold < ?7))"
    " OR (?10 IS NOT NULL AND instr(c.phone_digits, ?10) > 0))"
    " ORDER BY c.id LIMIT ?11";
// Text without phone digits: the union of index range scans, then the filters.
constexpr const char* kSearchIndexed =
    "SELECT c.id FROM customers c WHERE c.id IN ("
    "SELECT id FROM customers WHERE first_fold >= ?6 AND first_fold < ?7 AND id > ?1"
    " UNION SELECT id FROM customers WHERE last_fold >= ?6 AND last_fold < ?7 AND id > ?1"
    " UNION SELECT id FROM customers WHERE full_fold >= ?6 AND full_fold < ?7 AND id > ?1"
    " UNION SELECT id FROM customers WHERE erased = 0 AND email_key >= ?8 AND email_key < ?9 AND id > ?1"
    " UNION SELECT cu.id FROM companies co JOIN customers cu ON cu.company_id = co.id"
    " WHERE co.name_fold >= ?6 AND co.name_fold < ?7 AND cu.company_id IS NOT NULL AND cu.id > "
    "?1)" LC_SEARCH_FILTERS " AND ?10 IS NULL ORDER BY c.id LIMIT ?11";

constexpr const char* kSelectType =
    "SELECT id, name, status, is_default, tax_exempt FROM customer_types WHERE id = ?1";
constexpr const char* kListTypes =
    "SELECT id, name, status, is_default, tax_exempt FROM customer_types ORDER BY id";
constexpr const char* kPutType =
    "INSERT INTO customer_types (id, name, status, is_default, tax_exempt) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status, "
    "is_default = excluded.is_default, tax_exempt = excluded.tax_exempt";

constexpr const char* kSelectCompany = "SELECT id, name, status, created_at FROM companies WHERE id = ?1";
constexpr const char* kListCompanies = "SELECT id, name, status, created_at FROM companies ORDER BY id";
constexpr const char* kPutCompany =
    "INSERT INTO companies (id, name, name_fold, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold, "
    "status = excluded.status, created_at = excluded.created_at";

#define LC_ORDER_COLUMNS \
  "id, customer_id, order_number, placed_at, status, total_amount, total_currency, item_count"
constexpr const char* kSelectOrder = "SELECT " LC_ORDER_COLUMNS " FROM orders WHERE id = ?1";
constexpr const char* kListOrders =
    "SELECT " LC_ORDER_COLUMNS " FROM orders WHERE customer_id = ?1 ORDER BY placed_at DESC, id DESC";
constexpr const char* kCountOrders = "SELECT count(*) FROM orders WHERE customer_id = ?1";
constexpr const char* kUpdateOrder =
    "UPDATE orders SET customer_id = ?2, order_number = ?3, placed_at = ?4, status = ?5, total_amount = ?6, "
    "total_currency = ?7, item_count = ?8 WHERE id = ?1";
constexpr const char* kInsertOrder =
    "INSERT INTO orders (" LC_ORDER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr const char* kFirstOrders =
    "SELECT " LC_ORDER_COLUMNS
    " FROM orders WHERE customer_id = ?1 ORDER BY placed_at DESC, id DESC LIMIT ?4";
constexpr const char* kOrdersAfter = "SELECT " LC_ORDER_COLUMNS
                                     " FROM orders WHERE customer_id = ?1 AND (placed_at, id) < (?2, ?3) "
                                     "ORDER BY placed_at DESC, id DESC LIMIT ?4";
constexpr const char* kTallyOrders =
    "SELECT total_currency, status, count(*), sum(total_amount), min(placed_at), max(placed_at) FROM orders "
    "WHERE customer_id = ?1 GROUP BY total_currency, status";

#define LC_TICKET_COLUMNS "id, customer_id, subject, status, priority, created_at, updated_at"
constexpr const char* kSelectTicket = "SELECT " LC_TICKET_COLUMNS " FROM tickets WHERE id = ?1";
constexpr const char* kListTickets =
    "SELECT " LC_TICKET_COLUMNS " FROM tickets WHERE customer_id = ?1 ORDER BY id";
constexpr const char* kUpdateTicket =
    "UPDATE tickets SET customer_id = ?2, subject = ?3, status = ?4, priority = ?5, created_at = ?6, "
    "updated_at = ?7 WHERE id = ?1";
constexpr const char* kInsertTicket =
    "INSERT INTO tickets (" LC_TICKET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

#define LC_OPPORTUNITY_COLUMNS \
  "id, customer_id, subject, stage, amount, amount_currency, expected_close, created_at, updated_at"
constexpr const char* kSelectOpportunity =
    "SELECT " LC_OPPORTUNITY_COLUMNS " FROM opportunities WHERE id = ?1";
constexpr const char* kListOpportunities =
    "SELECT " LC_OPPORTUNITY_COLUMNS " FROM opportunities WHERE customer_id = ?1 ORDER BY id";
constexpr const char* kUpdateOpportunity =
    "UPDATE opportunities SET customer_id = ?2, subject = ?3, stage = ?4, amount = ?5, amount_currency = ?6, "
    "expected_close = ?7, created_at = ?8, updated_at = ?9 WHERE id = ?1";
constexpr const char* kInsertOpportunity =
    "INSERT INTO opportunities (" LC_OPPORTUNITY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

#define LC_SEGMENT_COLUMNS "id, name, status, description, rule, created_at, updated_at, version"
constexpr const char* kSelectSegment = "SELECT " LC_SEGMENT_COLUMNS " FROM segments WHERE id = ?1";
constexpr const char* kListSegments = "SELECT " LC_SEGMENT_COLUMNS " FROM segments ORDER BY id";
constexpr const char* kPutSegment =
    "INSERT INTO segments (" LC_SEGMENT_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, status = excluded.status, "
    "description = excluded.description, rule = excluded.rule, created_at = excluded.created_at, "
    "updated_at = excluded.updated_at, version = excluded.version";
// Segment members: the compiled rule (segment_sql.hpp) goes between these two fixed parts. The first
// parameter is the cursor (x'' when none), the last the limit.
constexpr std::string_view kMembersHead =
    "SELECT c.id FROM customers c WHERE c.id > ? AND c.erased = 0 AND (";
constexpr std::string_view kMembersTail = ") ORDER BY c.id LIMIT ?";

// ---------------------------------------------------------------------------------------------------
// Encoding of values the schema keeps as text.

absl::Status corrupt(std::string_view what, std::string_view value) {
  return make_error(ErrorCode::internal, cat("the database holds an invalid ", what, " ", quoted(value)));
}

template <typename E, typename Parse>
absl::StatusOr<E> parse_column(const Stmt& s, int c, std::string_view what, Parse parse) {
  auto text = s.col_view(c);
  auto v = parse(text);
  if (!v) return corrupt(what, text);
  return *v;
}

template <typename E, typename Parse>
absl::StatusOr<std::optional<E>> parse_opt_column(const Stmt& s, int c, std::string_view what, Parse parse) {
  if (s.is_null(c)) return std::optional<E>();
  auto v = parse_column<E>(s, c, what, parse);
  if (!v.ok()) return v.status();
  return std::optional<E>(*v);
}

template <typename E>
std::optional<std::string_view> opt_name(const std::optional<E>& v) {
  if (!v) return std::nullopt;
  return to_string(*v);
}

void bind_opt(Stmt& s, int i, const std::optional<std::string_view>& v) {
  if (v) {
    s.bind_text(i, *v);
  } else {
    s.bind_null(i);
  }
}

std::string encode_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) return "[]";
  boost::json::array a;
  a.reserve(tags.size());
  for (const auto& t : tags) a.emplace_back(t);
  return boost::json::serialize(a);
}

std::string encode_attributes(const std::map<std::string, std::string>& attributes) {
  if (attributes.empty()) return "{}";
  boost::json::object o;
  for (const auto& [k, v] : attributes) o[k] = v;
  return boost::json::serialize(o);
}

absl::Status decode_tags(std::string_view text, std::vector<std::string>& out) {
  if (text == "[]") return absl::OkStatus();
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return corrupt("tags value", text);
  for (const auto& t : v.as_array()) {
    if (!t.is_string()) return corrupt("tags value", text);
    out.emplace_back(t.as_string());
  }
  return absl::OkStatus();
}

absl::Status decode_attributes(std::string_view text, std::map<std::string, std::string>& out) {
  if (text == "{}") return absl::OkStatus();
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return corrupt("attributes value", text);
  for (const auto& [k, val] : v.as_object()) {
    if (!val.is_string()) return corrupt("attributes value", text);
    out.emplace(std::string(k), std::string(val.as_string()));
  }
  return absl::OkStatus();
}

// The search keys of the customers row (see search_match.hpp).
struct SearchKeys {
  std::string first, last, full, phone_digits;
};

std::string phone_digits_of(const CustomerAggregate& agg) {
  std::string out;
  auto add = [&](const std::optional<Phone>& p) {
    if (!p) return;
    if (!out.empty()) out.push_back('|');
    out += SearchMatcher::digits_of(p->e164);
  };
  add(agg.customer.phone);
  add(agg.customer.fax);
  for (const auto& a : agg.addresses) add(a.phone);
  return out;
}

// The upper bound of the prefix range of `p` (see the search statements).
std::string prefix_end(std::string_view p) { return cat(p, '\xff'); }

// ---------------------------------------------------------------------------------------------------
// One transaction's view.

class SqliteTx final : public StoreTx {
 public:
  SqliteTx(SqliteConnection& conn, bool writable) : conn_(conn), writable_(writable) {}

  absl::StatusOr<std::optional<CustomerAggregate>> load_customer(const CustomerId& id) override {
    auto s = stmt(kSelectCustomer);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<CustomerAggregate>();
    std::optional<CustomerAggregate> out(std::in_place);
    auto& agg = *out;
    if (auto st = read_customer(*s, agg.customer); !st.ok()) return st;
    if (auto st = load_addresses(agg); !st.ok()) return st;
    if (auto st = load_refs(agg); !st.ok()) return st;
    if (auto st = load_consent(agg); !st.ok()) return st;
    if (auto st = load_history(agg); !st.ok()) return st;
    if (auto st = load_portal(agg); !st.ok()) return st;
    return out;
  }

  absl::StatusOr<std::optional<CustomerId>> find_live_by_email_key(std::string_view key) override {
    return find_id(kFindLiveByEmail, key);
  }

  absl::StatusOr<std::optional<CustomerId>> find_archived_by_email_key(std::string_view key) override {
    return find_id(kFindArchivedByEmail, key);
  }

  absl::StatusOr<std::optional<CustomerId>> find_by_external_ref(std::string_view system,
                                                                 std::string_view id) override {
    auto s = stmt(kFindByRef);
    if (!s.ok()) return s.status();
    s->bind_text(1, system);
    s->bind_text(2, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<CustomerId>();
    return std::optional<CustomerId>(s->col_id<CustomerId>(0));
  }

  absl::StatusOr<std::optional<CustomerId>> find_address_owner(const AddressId& id) override {
    auto s = stmt(kFindAddressOwner);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<CustomerId>();
    return std::optional<CustomerId>(s->col_id<CustomerId>(0));
  }

  absl::Status put_customer(const CustomerAggregate& after, const CustomerAggregate* before) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(refuse_duplicates(after));
    Scope* lazy = lazy_scope();
    if (!lazy) {
      LC_STORE_TRY(before_write());
      return put_unguarded(after, before, nullptr);
    }
    // The first write of a lazy savepoint: remember how to undo it instead of opening a SQL savepoint.
    std::optional<CustomerAggregate> replaced;
    LC_STORE_TRY(put_unguarded(after, before, &replaced));
    lazy->first_write = after.customer.id;
    lazy->replaced = std::move(replaced);
    return absl::OkStatus();
  }

  absl::Status delete_customer(const CustomerId& id) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    auto s = stmt(kDeleteCustomer);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto status = s->run();
    if (!status.ok() && s->rc() == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return field_error(ErrorCode::failed_precondition, "customer_id", "customer.has_records",
                         cat("customer ", id.str(),
                             " has orders, tickets or opportunities; a customer with records is kept"));
    }
    return status;
  }

  absl::StatusOr<std::vector<CustomerId>> search(const SearchQuery& q) override {
    std::vector<CustomerId> out;
    if (q.limit == 0) return out;
    SearchMatcher matcher(q.text);
    const bool text = !matcher.empty();
    const bool phone = text && !matcher.digits().empty();
    auto s = stmt(text && !phone ? kSearchIndexed : kSearchScan);
    if (!s.ok()) return s.status();
    // Everything bound below lives until the statement is reset at the end of this function.
    std::string folded_end, lower_end;
    if (q.after) {
      s->bind_id(1, *q.after);
    } else {
      s->bind_blob(1, "", 0);
    }
    bind_opt(*s, 2, opt_name(q.status));
    if (q.customer_type_id) {
      s->bind_int(3, *q.customer_type_id);
    } else {
      s->bind_null(3);
    }
    s->bind_id(4, q.company_id);
    s->bind_text(5, q.region);
    if (text) {
      folded_end = prefix_end(matcher.folded());
      s->bind_text(6, std::string_view(matcher.folded()));
      s->bind_text(7, std::string_view(folded_end));
    } else {
      s->bind_null(6);
      s->bind_null(7);
    }
    if (text && !matcher.lower().empty()) {
      lower_end = prefix_end(matcher.lower());
      s->bind_text(8, std::string_view(matcher.lower()));
      s->bind_text(9, std::string_view(lower_end));
    } else {
      s->bind_null(8);
      s->bind_null(9);
    }
    if (phone) {
      s->bind_text(10, std::string_view(matcher.digits()));
    } else {
      s->bind_null(10);
    }
    s->bind_int(11, static_cast<int64_t>(std::min<size_t>(q.limit, INT64_MAX)));
    while (true) {
      auto row = s->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back(s->col_id<CustomerId>(0));
    }
    return out;
  }

  // Types are read by every customer command and change rarely: cached for this transaction (dropped on
  // any write of a type and on any savepoint rollback).
  absl::StatusOr<std::optional<CustomerType>> load_customer_type(int64_t id) override {
    if (auto it = type_cache_.find(id); it != type_cache_.end()) return it->second;
    auto s = stmt(kSelectType);
    if (!s.ok()) return s.status();
    s->bind_int(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    std::optional<CustomerType> out;
    if (*row) {
      auto t = read_type(*s);
      if (!t.ok()) return t.status();
      out = std::move(*t);
    }
    type_cache_.emplace(id, out);
    return out;
  }

  absl::StatusOr<std::vector<CustomerType>> list_customer_types() override {
    auto s = stmt(kListTypes);
    if (!s.ok()) return s.status();
    return collect<CustomerType>(*s, read_type);
  }

  absl::Status put_customer_type(const CustomerType& type) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    type_cache_.clear();
    auto s = stmt(kPutType);
    if (!s.ok()) return s.status();
    s->bind_int(1, type.id);
    s->bind_text(2, std::string_view(type.name));
    s->bind_text(3, to_string(type.status));
    s->bind_bool(4, type.is_default);
    s->bind_bool(5, type.tax_exempt);
    return s->run();
  }

  absl::StatusOr<std::optional<Company>> load_company(const CompanyId& id) override {
    auto s = stmt(kSelectCompany);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Company>();
    auto c = read_company(*s);
    if (!c.ok()) return c.status();
    return std::optional<Company>(std::move(*c));
  }

  absl::StatusOr<std::vector<Company>> list_companies() override {
    auto s = stmt(kListCompanies);
    if (!s.ok()) return s.status();
    return collect<Company>(*s, read_company);
  }

  absl::Status put_company(const Company& company) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    std::string fold = fold_for_match(company.name);
    auto s = stmt(kPutCompany);
    if (!s.ok()) return s.status();
    s->bind_id(1, company.id);
    s->bind_text(2, std::string_view(company.name));
    s->bind_text(3, std::string_view(fold));
    s->bind_text(4, to_string(company.status));
    s->bind_time(5, company.created_at);
    return s->run();
  }

  absl::StatusOr<std::optional<Order>> load_order(const OrderId& id) override {
    auto s = stmt(kSelectOrder);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Order>();
    auto o = read_order(*s);
    if (!o.ok()) return o.status();
    return std::optional<Order>(std::move(*o));
  }

  absl::Status put_order(const Order& order) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    for (const char* sql : {kUpdateOrder, kInsertOrder}) {
      auto s = stmt(sql);
      if (!s.ok()) return s.status();
      s->bind_id(1, order.id);
      s->bind_id(2, order.customer_id);
      s->bind_text(3, std::string_view(order.order_number));
      s->bind_time(4, order.placed_at);
      s->bind_text(5, to_string(order.status));
      s->bind_int(6, order.total.amount);
      s->bind_text(7, std::string_view(order.total.currency));
      s->bind_int(8, order.item_count);
      if (auto st = s->run(); !st.ok()) return st;
      if (conn_.changes() > 0) break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Order>> list_orders(const CustomerId& customer) override {
    auto s = stmt(kListOrders);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    return collect<Order>(*s, read_order);
  }

  absl::StatusOr<int64_t> count_orders(const CustomerId& customer) override {
    auto s = stmt(kCountOrders);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    auto row = s->step();
    if (!row.ok()) return row.status();
    return *row ? s->col_int(0) : 0;
  }

  absl::StatusOr<std::vector<Order>> page_orders(const CustomerId& customer,
                                                 const std::optional<OrderCursor>& after,
                                                 size_t limit) override {
    auto s = stmt(after ? kOrdersAfter : kFirstOrders);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    if (after) {
      s->bind_time(2, after->placed_at);
      s->bind_id(3, after->id);
    }
    s->bind_int(4, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    return collect<Order>(*s, read_order);
  }

  absl::StatusOr<std::vector<OrderTally>> tally_orders(const CustomerId& customer) override {
    auto s = stmt(kTallyOrders);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    return collect<OrderTally>(*s, [](const Stmt& r) -> absl::StatusOr<OrderTally> {
      OrderTally t;
      t.currency = r.col_text(0);
      auto status = parse_column<OrderStatus>(r, 1, "order status", parse_order_status);
      if (!status.ok()) return status.status();
      t.status = *status;
      t.orders = r.col_int(2);
      t.total = r.col_int(3);
      t.first_placed_at = r.col_time(4);
      t.last_placed_at = r.col_time(5);
      return t;
    });
  }

  absl::StatusOr<std::optional<Ticket>> load_ticket(const TicketId& id) override {
    return load_one<Ticket>(kSelectTicket, id, read_ticket);
  }

  absl::Status put_ticket(const Ticket& t) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    for (const char* sql : {kUpdateTicket, kInsertTicket}) {
      auto s = stmt(sql);
      if (!s.ok()) return s.status();
      s->bind_id(1, t.id);
      s->bind_id(2, t.customer_id);
      s->bind_text(3, std::string_view(t.subject));
      s->bind_text(4, to_string(t.status));
      s->bind_text(5, to_string(t.priority));
      s->bind_time(6, t.created_at);
      s->bind_time(7, t.updated_at);
      if (auto st = s->run(); !st.ok()) return st;
      if (conn_.changes() > 0) break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Ticket>> list_tickets(const CustomerId& customer) override {
    auto s = stmt(kListTickets);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    return collect<Ticket>(*s, read_ticket);
  }

  absl::StatusOr<std::optional<Opportunity>> load_opportunity(const OpportunityId& id) override {
    return load_one<Opportunity>(kSelectOpportunity, id, read_opportunity);
  }

  absl::Status put_opportunity(const Opportunity& o) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    const std::string close = o.expected_close ? format_date(*o.expected_close) : std::string();
    for (const char* sql : {kUpdateOpportunity, kInsertOpportunity}) {
      auto s = stmt(sql);
      if (!s.ok()) return s.status();
      s->bind_id(1, o.id);
      s->bind_id(2, o.customer_id);
      s->bind_text(3, std::string_view(o.subject));
      s->bind_text(4, to_string(o.stage));
      if (o.amount) {
        s->bind_int(5, o.amount->amount);
        s->bind_text(6, std::string_view(o.amount->currency));
      } else {
        s->bind_null(5);
        s->bind_null(6);
      }
      if (o.expected_close) {
        s->bind_text(7, std::string_view(close));
      } else {
        s->bind_null(7);
      }
      s->bind_time(8, o.created_at);
      s->bind_time(9, o.updated_at);
      if (auto st = s->run(); !st.ok()) return st;
      if (conn_.changes() > 0) break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<Opportunity>> list_opportunities(const CustomerId& customer) override {
    auto s = stmt(kListOpportunities);
    if (!s.ok()) return s.status();
    s->bind_id(1, customer);
    return collect<Opportunity>(*s, read_opportunity);
  }

  absl::StatusOr<std::optional<Segment>> load_segment(std::string_view id) override {
    auto s = stmt(kSelectSegment);
    if (!s.ok()) return s.status();
    s->bind_text(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Segment>();
    auto seg = read_segment(*s);
    if (!seg.ok()) return seg.status();
    return std::optional<Segment>(std::move(*seg));
  }

  absl::StatusOr<std::vector<Segment>> list_segments() override {
    auto s = stmt(kListSegments);
    if (!s.ok()) return s.status();
    return collect<Segment>(*s, read_segment);
  }

  absl::Status put_segment(const Segment& seg) override {
    if (!writable_) return read_only();
    LC_STORE_TRY(before_write());
    auto s = stmt(kPutSegment);
    if (!s.ok()) return s.status();
    s->bind_text(1, std::string_view(seg.id));
    s->bind_text(2, std::string_view(seg.name));
    s->bind_text(3, to_string(seg.status));
    s->bind_text(4, std::string_view(seg.description));
    s->bind_text(5, std::string_view(seg.rule));
    s->bind_time(6, seg.created_at);
    s->bind_time(7, seg.updated_at);
    s->bind_int(8, seg.version);
    return s->run();
  }

  // The rule compiled to SQL (segment_sql.hpp): the same members as the core's evaluation, which the
  // property test checks, without loading any aggregate.
  absl::StatusOr<std::vector<CustomerId>> segment_members(const SegmentRule& rule, absl::Time now,
                                                          const std::optional<CustomerId>& after,
                                                          size_t limit) override {
    std::vector<CustomerId> out;
    if (limit == 0) return out;
    if (!conn_.in_transaction()) return transaction_lost();
    const detail::SegmentSql compiled = detail::compile_segment_sql(rule, now);
    auto s = conn_.prepare_dynamic(cat(kMembersHead, compiled.where, kMembersTail));
    if (!s.ok()) return s.status();
    Stmt& st = **s;
    int i = 1;
    if (after) {
      st.bind_id(i++, *after);
    } else {
      st.bind_blob(i++, "", 0);
    }
    for (const auto& p : compiled.params) {
      switch (p.kind) {
        case detail::SqlParam::Kind::integer:
          st.bind_int(i++, p.integer);
          break;
        case detail::SqlParam::Kind::text:
          st.bind_text(i++, std::string_view(p.bytes));
          break;
        case detail::SqlParam::Kind::blob:
          st.bind_blob(i++, p.bytes.data(), static_cast<int>(p.bytes.size()));
          break;
        case detail::SqlParam::Kind::null:
          st.bind_null(i++);
          break;
      }
    }
    st.bind_int(i, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    while (true) {
      auto row = st.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.push_back(st.col_id<CustomerId>(0));
    }
    return out;
  }

  // Savepoints are lazy. A command writes its aggregate once, at its end, and put_customer is atomic, so
  // most savepoints would only pay SQLite's page journaling for nothing. A savepoint therefore opens a SQL
  // SAVEPOINT only when it needs one: before its second write, before a write that is not a put_customer,
  // or when a savepoint nests inside it. Until then it remembers how to undo its single put_customer (delete
  // the new customer, or put back the aggregate it replaced).
  absl::Status savepoint(absl::FunctionRef<absl::Status(StoreTx&)> fn) override {
    if (!scopes_.empty()) LC_STORE_TRY(open_sql_savepoint(scopes_.back()));
    scopes_.emplace_back();
    absl::Status status = fn(*this);
    Scope scope = std::move(scopes_.back());
    scopes_.pop_back();
    if (!conn_.in_transaction()) {
      // SQLite rolled the whole transaction back (I/O error, disk full...): nothing to release.
      return status.ok() ? transaction_lost() : status;
    }
    if (status.ok()) {
      if (scope.sql_open) LC_STORE_TRY(run(kRelease));
      return status;
    }
    type_cache_.clear();
    if (scope.sql_open) {
      LC_STORE_TRY(run(kRollbackTo));
      LC_STORE_TRY(run(kRelease));
    }
    if (scope.first_write) {
      // Undo the single put_customer made before the SQL savepoint (if any) was opened.
      if (scope.replaced) {
        // Put back what was replaced (the store finds the current row and writes the differences).
        LC_STORE_TRY(put_unguarded(*scope.replaced, nullptr, nullptr));
      } else {
        LC_STORE_TRY(delete_raw(*scope.first_write));
      }
    }
    return status;
  }

 private:
  // One savepoint() in progress.
  struct Scope {
    bool sql_open = false;                      // a SQL SAVEPOINT covers the writes from here on
    std::optional<CustomerId> first_write;      // the put_customer made before sql_open, if any
    std::optional<CustomerAggregate> replaced;  // what that put replaced (nullopt: the customer was new)
  };

  // The innermost savepoint when it is still lazy and has not written yet.
  Scope* lazy_scope() {
    if (scopes_.empty()) return nullptr;
    Scope& s = scopes_.back();
    return s.sql_open || s.first_write ? nullptr : &s;
  }

  absl::Status open_sql_savepoint(Scope& s) {
    if (s.sql_open) return absl::OkStatus();
    LC_STORE_TRY(run(kSavepoint));
    s.sql_open = true;
    return absl::OkStatus();
  }

  // Before any write but a lazy savepoint's first put_customer: the innermost savepoint must be open.
  absl::Status before_write() {
    return scopes_.empty() ? absl::OkStatus() : open_sql_savepoint(scopes_.back());
  }

  absl::Status delete_raw(const CustomerId& id) {
    auto s = stmt(kDeleteCustomer);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    return s->run();
  }

  static absl::Status read_only() { return make_error(ErrorCode::internal, "write in a read transaction"); }
  static absl::Status transaction_lost() {
    return make_error(ErrorCode::internal, "SQLite rolled the transaction back after an error");
  }

  // A cached statement of this connection; fails once SQLite has rolled the transaction back on its own,
  // so nothing after that point runs outside the transaction.
  // Every row of `s` read by `read` (a StatusOr<T>(Stmt&)), in order.
  template <typename T, typename Read>
  static absl::StatusOr<std::vector<T>> collect(Stmt& s, Read read) {
    std::vector<T> out;
    while (true) {
      auto row = s.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto item = read(s);
      if (!item.ok()) return item.status();
      out.push_back(std::move(*item));
    }
    return out;
  }

  absl::StatusOr<Stmt> stmt(const char* sql) {
    if (!conn_.in_transaction()) return transaction_lost();
    return conn_.prepare(sql);
  }

  absl::Status run(const char* sql) {
    auto s = stmt(sql);
    if (!s.ok()) return s.status();
    return s->run();
  }

  absl::StatusOr<std::optional<CustomerId>> find_id(const char* sql, std::string_view key) {
    auto s = stmt(sql);
    if (!s.ok()) return s.status();
    s->bind_text(1, key);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<CustomerId>();
    return std::optional<CustomerId>(s->col_id<CustomerId>(0));
  }

  // ---- reading ----

  static absl::Status read_customer(const Stmt& s, Customer& c) {
    c.id = s.col_id<CustomerId>(0);
    c.customer_type_id = s.col_int(1);
    auto status = parse_column<Status>(s, 2, "customer status", parse_status);
    if (!status.ok()) return status.status();
    c.status = *status;
    c.first_name = s.col_text(3);
    c.last_name = s.col_text(4);
    c.email = s.col_text(5);
    c.email_key = s.col_text(6);
    if (!s.is_null(7)) c.phone = Phone{s.col_text(7), s.col_opt_text(8)};
    if (!s.is_null(9)) c.fax = Phone{s.col_text(9), s.col_opt_text(10)};
    c.company_id = s.col_opt_id<CompanyId>(11);
    c.newsletter.subscribed = s.col_bool(12);
    auto level = parse_opt_column<OptInLevel>(s, 13, "opt-in level", parse_opt_in_level);
    if (!level.ok()) return level.status();
    c.newsletter.opt_in_level = *level;
    auto source = parse_opt_column<ConsentSource>(s, 14, "consent source", parse_consent_source);
    if (!source.ok()) return source.status();
    c.newsletter.source = *source;
    c.newsletter.updated_at = s.col_opt_time(15);
    if (auto st = decode_tags(s.col_view(16), c.tags); !st.ok()) return st;
    c.note = s.col_opt_text(17);
    if (!s.is_null(18)) c.tax_exempt = s.col_bool(18);
    if (auto st = decode_attributes(s.col_view(19), c.attributes); !st.ok()) return st;
    c.created_at = s.col_time(20);
    c.updated_at = s.col_time(21);
    c.version = s.col_int(22);
    c.erased = s.col_bool(23);
    c.default_shipping_address_id = s.col_opt_id<AddressId>(24);
    c.default_billing_address_id = s.col_opt_id<AddressId>(25);
    return absl::OkStatus();
  }

  absl::Status load_addresses(CustomerAggregate& agg) {
    auto s = stmt(kSelectAddresses);
    if (!s.ok()) return s.status();
    s->bind_id(1, agg.customer.id);
    while (true) {
      auto row = s->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Address& a = agg.addresses.emplace_back();
      a.id = s->col_id<AddressId>(0);
      a.customer_id = agg.customer.id;
      a.name = s->col_text(1);
      auto status = parse_column<AddressStatus>(*s, 2, "address status", parse_address_status);
      if (!status.ok()) return status.status();
      a.status = *status;
      a.region = s->col_text(3);
      a.state = s->col_opt_text(4);
      if (!s->is_null(5)) a.phone = Phone{s->col_text(5), s->col_opt_text(6)};
      a.address1 = s->col_text(7);
      a.address2 = s->col_opt_text(8);
      a.city = s->col_opt_text(9);
      a.zip = s->col_opt_text(10);
      a.business_name = s->col_opt_text(11);
    }
    return absl::OkStatus();
  }

  absl::Status load_refs(CustomerAggregate& agg) {
    auto s = stmt(kSelectRefs);
    if (!s.ok()) return s.status();
    s->bind_id(1, agg.customer.id);
    while (true) {
      auto row = s->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      agg.customer.external_refs.push_back({s->col_text(0), s->col_text(1)});
    }
    return absl::OkStatus();
  }

  absl::Status load_consent(CustomerAggregate& agg) {
    auto s = stmt(kSelectConsent);
    if (!s.ok()) return s.status();
    s->bind_id(1, agg.customer.id);
    while (true) {
      auto row = s->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ConsentEntry& e = agg.consent.emplace_back();
      e.at = s->col_time(0);
      e.from = s->col_bool(1);
      e.to = s->col_bool(2);
      auto level = parse_opt_column<OptInLevel>(*s, 3, "opt-in level", parse_opt_in_level);
      if (!level.ok()) return level.status();
      e.opt_in_level = *level;
      auto source = parse_opt_column<ConsentSource>(*s, 4, "consent source", parse_consent_source);
      if (!source.ok()) return source.status();
      e.source = *source;
      auto actor = parse_column<Actor>(*s, 5, "actor", parse_actor);
      if (!actor.ok()) return actor.status();
      e.actor = *actor;
    }
    return absl::OkStatus();
  }

  absl::Status load_history(CustomerAggregate& agg) {
    auto s = stmt(kSelectHistory);
    if (!s.ok()) return s.status();
    s->bind_id(1, agg.customer.id);
    while (true) {
      auto row = s->step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      HistoryEntry& e = agg.history.emplace_back();
      e.at = s->col_time(0);
      auto actor = parse_column<Actor>(*s, 1, "actor", parse_actor);
      if (!actor.ok()) return actor.status();
      e.actor = *actor;
      e.event = s->col_text(2);
      auto from = parse_opt_column<Status>(*s, 3, "status", parse_status);
      if (!from.ok()) return from.status();
      e.from = *from;
      auto to = parse_opt_column<Status>(*s, 4, "status", parse_status);
      if (!to.ok()) return to.status();
      e.to = *to;
      e.reason = s->col_text(5);
    }
    return absl::OkStatus();
  }

  absl::Status load_portal(CustomerAggregate& agg) {
    auto s = stmt(kSelectPortal);
    if (!s.ok()) return s.status();
    s->bind_id(1, agg.customer.id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    auto& p = agg.portal;
    p.secret_question = s->col_opt_text(0);
    p.answer_hash = s->col_opt_text(1);
    p.password_hash = s->col_opt_text(2);
    p.failed_attempts = static_cast<int>(s->col_int(3));
    p.locked_until = s->col_opt_time(4);
    return absl::OkStatus();
  }

  static absl::StatusOr<CustomerType> read_type(const Stmt& s) {
    CustomerType t;
    t.id = s.col_int(0);
    t.name = s.col_text(1);
    auto status = parse_column<Status>(s, 2, "customer type status", parse_status);
    if (!status.ok()) return status.status();
    t.status = *status;
    t.is_default = s.col_bool(3);
    t.tax_exempt = s.col_bool(4);
    return t;
  }

  static absl::StatusOr<Company> read_company(const Stmt& s) {
    Company c;
    c.id = s.col_id<CompanyId>(0);
    c.name = s.col_text(1);
    auto status = parse_column<Status>(s, 2, "company status", parse_status);
    if (!status.ok()) return status.status();
    c.status = *status;
    c.created_at = s.col_time(3);
    return c;
  }

  // The row of `sql` (one id parameter) read by `read`, nullopt when there is none.
  template <typename T, typename IdT, typename Read>
  absl::StatusOr<std::optional<T>> load_one(const char* sql, const IdT& id, Read read) {
    auto s = stmt(sql);
    if (!s.ok()) return s.status();
    s->bind_id(1, id);
    auto row = s->step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<T>();
    auto item = read(*s);
    if (!item.ok()) return item.status();
    return std::optional<T>(std::move(*item));
  }

  static absl::StatusOr<Ticket> read_ticket(const Stmt& s) {
    Ticket t;
    t.id = s.col_id<TicketId>(0);
    t.customer_id = s.col_id<CustomerId>(1);
    t.subject = s.col_text(2);
    auto status = parse_column<TicketStatus>(s, 3, "ticket status", parse_ticket_status);
    if (!status.ok()) return status.status();
    t.status = *status;
    auto priority = parse_column<TicketPriority>(s, 4, "ticket priority", parse_ticket_priority);
    if (!priority.ok()) return priority.status();
    t.priority = *priority;
    t.created_at = s.col_time(5);
    t.updated_at = s.col_time(6);
    return t;
  }

  static absl::StatusOr<Opportunity> read_opportunity(const Stmt& s) {
    Opportunity o;
    o.id = s.col_id<OpportunityId>(0);
    o.customer_id = s.col_id<CustomerId>(1);
    o.subject = s.col_text(2);
    auto stage = parse_column<OpportunityStage>(s, 3, "opportunity stage", parse_opportunity_stage);
    if (!stage.ok()) return stage.status();
    o.stage = *stage;
    if (!s.is_null(4)) o.amount = Money{s.col_int(4), s.col_text(5)};
    if (!s.is_null(6)) {
      o.expected_close = parse_date(s.col_view(6));
      if (!o.expected_close) return corrupt("expected close date", s.col_view(6));
    }
    o.created_at = s.col_time(7);
    o.updated_at = s.col_time(8);
    return o;
  }

  static absl::StatusOr<Segment> read_segment(const Stmt& s) {
    Segment seg;
    seg.id = s.col_text(0);
    seg.name = s.col_text(1);
    auto status = parse_column<Status>(s, 2, "segment status", parse_status);
    if (!status.ok()) return status.status();
    seg.status = *status;
    seg.description = s.col_text(3);
    seg.rule = s.col_text(4);
    seg.created_at = s.col_time(5);
    seg.updated_at = s.col_time(6);
    seg.version = s.col_int(7);
    return seg;
  }

  static absl::StatusOr<Order> read_order(const Stmt& s) {
    Order o;
    o.id = s.col_id<OrderId>(0);
    o.customer_id = s.col_id<CustomerId>(1);
    o.order_number = s.col_text(2);
    o.placed_at = s.col_time(3);
    auto status = parse_column<OrderStatus>(s, 4, "order status", parse_order_status);
    if (!status.ok()) return status.status();
    o.status = *status;
    o.total.amount = s.col_int(5);
    o.total.currency = s.col_text(6);
    o.item_count = s.col_int(7);
    return o;
  }

  // ---- writing ----

  // Two addresses or two external refs with the same key in one aggregate would fail midway through a put;
  // the engine never builds one, so it is a bug of the caller.
  static absl::Status refuse_duplicates(const CustomerAggregate& agg) {
    const auto& a = agg.addresses;
    for (size_t i = 1; i < a.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (a[i].id == a[j].id) {
          return make_error(ErrorCode::internal, cat("address ", a[i].id.str(), " appears twice in customer ",
                                                     agg.customer.id.str()));
        }
      }
    }
    const auto& r = agg.customer.external_refs;
    for (size_t i = 1; i < r.size(); ++i) {
      if (std::find(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(i), r[i]) !=
          r.begin() + static_cast<std::ptrdiff_t>(i)) {
        return make_error(ErrorCode::internal, cat("external ref ", r[i].system, " ", quoted(r[i].id),
                                                   " appears twice in customer ", agg.customer.id.str()));
      }
    }
    return absl::OkStatus();
  }

  // Writes the customers row with INSERT (`insert`) or UPDATE; *written is false when an UPDATE found no
  // row. The e-mail key index failing is ALREADY_EXISTS on `email`, as in MemoryStore.
  absl::Status write_customer_row(const CustomerAggregate& agg, const std::string& digits, bool insert,
                                  bool* written, int* rc) {
    const Customer& c = agg.customer;
    std::string first = fold_for_match(c.first_name), last = fold_for_match(c.last_name);
    std::string full = full_name_fold(first, last);
    SearchKeys keys{std::move(first), std::move(last), std::move(full), digits};
    std::string tags = encode_tags(c.tags);
    std::string attributes = encode_attributes(c.attributes);
    auto s = stmt(insert ? kInsertCustomer : kUpdateCustomer);
    if (!s.ok()) return s.status();
    s->bind_id(1, c.id);
    s->bind_int(2, c.customer_type_id);
    s->bind_text(3, to_string(c.status));
    s->bind_text(4, std::string_view(c.first_name));
    s->bind_text(5, std::string_view(c.last_name));
    s->bind_text(6, std::string_view(c.email));
    s->bind_text(7, std::string_view(c.email_key));
    auto bind_phone = [&](int i, const std::optional<Phone>& p) {
      if (p) {
        s->bind_text(i, std::string_view(p->e164));
        s->bind_text(i + 1, p->extension);
      } else {
        s->bind_null(i);
        s->bind_null(i + 1);
      }
    };
    bind_phone(8, c.phone);
    bind_phone(10, c.fax);
    s->bind_id(12, c.company_id);
    s->bind_bool(13, c.newsletter.subscribed);
    bind_opt(*s, 14, opt_name(c.newsletter.opt_in_level));
    bind_opt(*s, 15, opt_name(c.newsletter.source));
    s->bind_time(16, c.newsletter.updated_at);
    s->bind_text(17, std::string_view(tags));
    s->bind_text(18, c.note);
    if (c.tax_exempt) {
      s->bind_bool(19, *c.tax_exempt);
    } else {
      s->bind_null(19);
    }
    s->bind_text(20, std::string_view(attributes));
    s->bind_time(21, c.created_at);
    s->bind_time(22, c.updated_at);
    s->bind_int(23, c.version);
    s->bind_bool(24, c.erased);
    s->bind_id(25, c.default_shipping_address_id);
    s->bind_id(26, c.default_billing_address_id);
    s->bind_text(27, std::string_view(keys.first));
    s->bind_text(28, std::string_view(keys.last));
    s->bind_text(29, std::string_view(keys.full));
    s->bind_text(30, std::string_view(keys.phone_digits));
    auto status = s->run();
    *rc = s->rc();
    if (!status.ok()) {
      if (s->rc() == SQLITE_CONSTRAINT_UNIQUE) return email_taken(c);
      return status;
    }
    *written = conn_.changes() > 0;
    return absl::OkStatus();
  }

  absl::Status write_address(const char* sql, const CustomerId& owner, const Address& a, size_t position) {
    auto s = stmt(sql);
    if (!s.ok()) return s.status();
    s->bind_id(1, owner);
    s->bind_id(2, a.id);
    s->bind_int(3, static_cast<int64_t>(position));
    s->bind_text(4, std::string_view(a.name));
    s->bind_text(5, to_string(a.status));
    s->bind_text(6, std::string_view(a.region));
    s->bind_text(7, a.state);
    if (a.phone) {
      s->bind_text(8, std::string_view(a.phone->e164));
      s->bind_text(9, a.phone->extension);
    } else {
      s->bind_null(8);
      s->bind_null(9);
    }
    s->bind_text(10, std::string_view(a.address1));
    s->bind_text(11, a.address2);
    s->bind_text(12, a.city);
    s->bind_text(13, a.zip);
    s->bind_text(14, a.business_name);
    return s->run();
  }

  absl::Status delete_children(const char* sql, const CustomerId& owner) {
    auto s = stmt(sql);
    if (!s.ok()) return s.status();
    s->bind_id(1, owner);
    return s->run();
  }

  absl::Status write_addresses(const CustomerAggregate& after, const CustomerAggregate* base) {
    const CustomerId& owner = after.customer.id;
    const auto& now = after.addresses;
    if (base) {
      const auto& old = base->addresses;
      for (const auto& b : old) {
        bool kept = std::any_of(now.begin(), now.end(), [&](const Address& a) { return a.id == b.id; });
        if (kept) continue;
        auto s = stmt(kDeleteAddress);
        if (!s.ok()) return s.status();
        s->bind_id(1, owner);
        s->bind_id(2, b.id);
        if (auto st = s->run(); !st.ok()) return st;
      }
    }
    for (size_t i = 0; i < now.size(); ++i) {
      const Address& a = now[i];
      const char* sql = kInsertAddress;
      if (base) {
        const auto& old = base->addresses;
        auto it = std::find_if(old.begin(), old.end(), [&](const Address& b) { return b.id == a.id; });
        if (it != old.end()) {
          if (static_cast<size_t>(it - old.begin()) == i && *it == a) continue;  // unchanged
          sql = kUpdateAddress;
        }
      }
      if (auto st = write_address(sql, owner, a, i); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  // Appends the entries after `before`'s (the common case: ledgers only grow); rewrites the list when the
  // old entries are not a prefix of the new ones.
  template <typename Entry, typename Bind>
  absl::Status write_list(const std::vector<Entry>& now, const std::vector<Entry>* old,
                          const CustomerId& owner, const char* insert_sql, const char* delete_sql,
                          Bind bind) {
    size_t start = 0;
    if (old) {
      if (now.size() >= old->size() && std::equal(old->begin(), old->end(), now.begin())) {
        start = old->size();
      } else if (!old->empty()) {
        if (auto st = delete_children(delete_sql, owner); !st.ok()) return st;
      }
    }
    for (size_t i = start; i < now.size(); ++i) {
      auto s = stmt(insert_sql);
      if (!s.ok()) return s.status();
      s->bind_id(1, owner);
      s->bind_int(2, static_cast<int64_t>(i));
      bind(*s, now[i]);
      if (auto st = s->run(); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  absl::Status write_refs(const CustomerAggregate& after, const CustomerAggregate* base) {
    const auto& refs = after.customer.external_refs;
    if (base && base->customer.external_refs == refs) return absl::OkStatus();
    if (base && !base->customer.external_refs.empty()) {
      if (auto st = delete_children(kDeleteRefs, after.customer.id); !st.ok()) return st;
    }
    for (size_t i = 0; i < refs.size(); ++i) {
      auto s = stmt(kInsertRef);
      if (!s.ok()) return s.status();
      s->bind_id(1, after.customer.id);
      s->bind_int(2, static_cast<int64_t>(i));
      s->bind_text(3, std::string_view(refs[i].system));
      s->bind_text(4, std::string_view(refs[i].id));
      if (auto st = s->run(); !st.ok()) {
        if (s->rc() == SQLITE_CONSTRAINT_UNIQUE) {
          return field_error(ErrorCode::already_exists, "external_refs", "external_ref.taken",
                             cat("external ref ", refs[i].system, " '", refs[i].id, "' is already taken"));
        }
        return st;
      }
    }
    return absl::OkStatus();
  }

  absl::Status write_portal(const CustomerAggregate& after, const CustomerAggregate* base) {
    const auto& p = after.portal;
    if (base && base->portal == p) return absl::OkStatus();
    if (p == PortalLogin{}) {
      return base ? delete_children(kDeletePortal, after.customer.id) : absl::OkStatus();
    }
    auto s = stmt(kPutPortal);
    if (!s.ok()) return s.status();
    s->bind_id(1, after.customer.id);
    s->bind_text(2, p.secret_question);
    s->bind_text(3, p.answer_hash);
    s->bind_text(4, p.password_hash);
    s->bind_int(5, p.failed_attempts);
    s->bind_time(6, p.locked_until);
    return s->run();
  }

  // The first external ref of `after` that another customer holds, checked before anything is written so
  // that a put is atomic without a savepoint.
  absl::StatusOr<const ExternalRef*> taken_ref(const CustomerAggregate& after,
                                               const CustomerAggregate* before) {
    const auto& refs = after.customer.external_refs;
    if (before && before->customer.external_refs == refs) return nullptr;
    for (const auto& r : refs) {
      if (before && std::find(before->customer.external_refs.begin(), before->customer.external_refs.end(),
                              r) != before->customer.external_refs.end()) {
        continue;
      }
      auto owner = find_by_external_ref(r.system, r.id);
      if (!owner.ok()) return owner.status();
      if (*owner && **owner != after.customer.id) return &r;
    }
    return nullptr;
  }

  absl::Status email_taken(const Customer& c) {
    return field_error(ErrorCode::already_exists, "email", "email.taken",
                       cat("e-mail '", c.email, "' is already taken"));
  }

  // Writes `after` over `before` (the caller's snapshot; nullptr: new). Atomic for the constraints it can
  // hit: the customers row goes first (a taken e-mail key fails there, before anything is written) and taken
  // external refs are found before the first write. `replaced`, when given, receives the aggregate that was
  // stored before (nullopt when the customer was new), for undoing the put.
  absl::Status put_unguarded(const CustomerAggregate& after, const CustomerAggregate* before,
                             std::optional<CustomerAggregate>* replaced) {
    auto taken = taken_ref(after, before);
    if (!taken.ok()) return taken.status();
    if (*taken) {
      // MemoryStore reports a taken e-mail before a taken ref.
      const Customer& c = after.customer;
      if (!c.erased && c.status != Status::archived) {
        auto owner = find_live_by_email_key(c.email_key);
        if (!owner.ok()) return owner.status();
        if (*owner && **owner != c.id) return email_taken(c);
      }
      const ExternalRef& r = **taken;
      return field_error(ErrorCode::already_exists, "external_refs", "external_ref.taken",
                         cat("external ref ", r.system, " '", r.id, "' is already taken"));
    }
    const std::string digits = phone_digits_of(after);
    const CustomerAggregate* base = before;
    std::optional<CustomerAggregate> stored;
    bool written = false;
    int rc = 0;
    if (base) {
      if (base->customer == after.customer && phone_digits_of(*base) == digits) {
        written = true;  // the row is unchanged
      } else {
        LC_STORE_TRY(write_customer_row(after, digits, false, &written, &rc));
        if (!written) base = nullptr;  // the snapshot's row is gone: write the aggregate anew
      }
    }
    if (!written) {
      auto status = write_customer_row(after, digits, true, &written, &rc);
      if (!status.ok() && (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)) {
        // The caller said "new" but the id may exist (SQLite may report its own e-mail key before the
        // primary key): then replace what is stored, like MemoryStore; else the e-mail is taken.
        auto loaded = load_customer(after.customer.id);
        if (!loaded.ok()) return loaded.status();
        if (!*loaded) return status;
        stored = std::move(*loaded);
        base = &*stored;
        status = write_customer_row(after, digits, false, &written, &rc);
      }
      if (!status.ok()) return status;
    }
    if (replaced) {
      if (stored) {
        *replaced = std::move(stored);
        base = &**replaced;
      } else if (base) {
        *replaced = *base;
      }
    }
    const CustomerId& owner = after.customer.id;
    LC_STORE_TRY(write_addresses(after, base));
    LC_STORE_TRY(write_refs(after, base));
    LC_STORE_TRY(write_list(after.consent, base ? &base->consent : nullptr, owner, kInsertConsent,
                            kDeleteConsent, [](Stmt& s, const ConsentEntry& e) {
                              s.bind_time(3, e.at);
                              s.bind_bool(4, e.from);
                              s.bind_bool(5, e.to);
                              bind_opt(s, 6, opt_name(e.opt_in_level));
                              bind_opt(s, 7, opt_name(e.source));
                              s.bind_text(8, to_string(e.actor));
                            }));
    LC_STORE_TRY(write_list(after.history, base ? &base->history : nullptr, owner, kInsertHistory,
                            kDeleteHistory, [](Stmt& s, const HistoryEntry& e) {
                              s.bind_time(3, e.at);
                              s.bind_text(4, to_string(e.actor));
                              s.bind_text(5, std::string_view(e.event));
                              bind_opt(s, 6, opt_name(e.from));
                              bind_opt(s, 7, opt_name(e.to));
                              s.bind_text(8, std::string_view(e.reason));
                            }));
    LC_STORE_TRY(write_portal(after, base));
    return absl::OkStatus();
  }

  SqliteConnection& conn_;
  bool writable_;
  std::vector<Scope> scopes_;
  absl::flat_hash_map<int64_t, std::optional<CustomerType>> type_cache_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------
// The store: a writer connection behind a mutex, and a pool of reader connections.

struct SqliteStore::Impl {
  std::string path;
  SqliteOptions options;
  bool memory = false;
  std::mutex writer_mutex;
  std::unique_ptr<SqliteConnection> writer;
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers;

  absl::StatusOr<std::unique_ptr<SqliteConnection>> borrow_reader() {
    {
      std::lock_guard lock(pool_mutex);
      if (!idle_readers.empty()) {
        auto conn = std::move(idle_readers.back());
        idle_readers.pop_back();
        return conn;
      }
    }
    return SqliteConnection::open(path, SQLITE_OPEN_READWRITE, options);
  }

  void give_back(std::unique_ptr<SqliteConnection> conn) {
    std::lock_guard lock(pool_mutex);
    if (idle_readers.size() < options.max_idle_readers) idle_readers.push_back(std::move(conn));
  }
};

namespace {

// Runs `fn` in a transaction on `conn` begun with `begin`; commits when it returns OK, rolls back when it
// fails or throws.
absl::Status run_transaction(SqliteConnection& conn, const char* begin, bool writable,
                             absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  if (auto st = conn.run(begin); !st.ok()) return st;
  struct RollbackGuard {
    SqliteConnection& conn;
    ~RollbackGuard() {
      if (conn.in_transaction()) (void)conn.run(kRollback);
    }
  } guard{conn};
  SqliteTx tx(conn, writable);
  absl::Status status = fn(tx);
  if (!status.ok()) return status;
  if (!conn.in_transaction()) {
    return make_error(ErrorCode::internal, "SQLite rolled the transaction back after an error");
  }
  return conn.run(kCommit);
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::open(std::string_view path, SqliteOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = std::string(path);
  impl->options = options;
  impl->memory = path == ":memory:";
  auto conn = SqliteConnection::open(impl->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options);
  if (!conn.ok()) return conn.status();
  auto& c = **conn;
  // Refuse a newer or foreign file before anything (even the journal mode) changes it.
  if (auto st = detail::check_schema(c, detail::sqlite_migrations()); !st.ok()) return st;
  if (!impl->memory) {
    auto mode = c.prepare("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return mode.status();
    auto row = mode->step();
    if (!row.ok()) return row.status();
    if (!*row || mode->col_view(0) != "wal") {
      return make_error(ErrorCode::failed_precondition,
                        cat("cannot use WAL journal mode on ", quoted(impl->path), " (got ",
                            *row ? mode->col_view(0) : std::string_view("nothing"), ")"),
                        {{"", "store.unavailable", "WAL journal mode unavailable"}});
    }
  }
  if (auto st = detail::migrate(c, detail::sqlite_migrations()); !st.ok()) return st;
  impl->writer = std::move(*conn);
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

const std::string& SqliteStore::path() const { return impl_->path; }

absl::Status SqliteStore::write(absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  std::lock_guard lock(impl_->writer_mutex);
  return run_transaction(*impl_->writer, kBeginImmediate, true, fn);
}

absl::Status SqliteStore::read(absl::FunctionRef<absl::Status(StoreTx&)> fn) {
  if (impl_->memory) {
    std::lock_guard lock(impl_->writer_mutex);
    return run_transaction(*impl_->writer, kBegin, false, fn);
  }
  auto conn = impl_->borrow_reader();
  if (!conn.ok()) return conn.status();
  absl::Status status = run_transaction(**conn, kBegin, false, fn);
  impl_->give_back(std::move(*conn));
  return status;
}

}  // namespace leadcustomers
