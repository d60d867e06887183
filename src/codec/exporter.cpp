#include "leadcustomers/exporter.hpp"

#include <string>
#include <vector>

#include "codec/import_record.hpp"
#include "leadcustomers/csv_reader.hpp"
#include "leadcustomers/document.hpp"

namespace leadcustomers {
namespace {

constexpr std::string_view kShopifyHeader =
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags";

std::string phone_text(const std::optional<Phone>& p) {
  if (!p) return "";
  return p->extension ? p->e164 + " x" + *p->extension : p->e164;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string> shopify_row(const CustomerAggregate& agg) {
  const auto& c = agg.customer;
  std::string shopify_id;
  for (const auto& r : c.external_refs) {
    if (r.system == "shopify") shopify_id = r.id;
  }
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ", ") + t;
  std::string sms;
  if (auto it = c.attributes.find("shopify.Accepts SMS Marketing"); it != c.attributes.end())
    sms = it->second;
  std::vector<std::string> row{shopify_id,
                               c.first_name,
                               c.last_name,
                               c.email,
                               c.newsletter.updated_at ? (c.newsletter.subscribed ? "yes" : "no") : "",
                               "",
                               "",
                               "",
                               "",
                               "",
                               "",
                               "",
                               "",
                               phone_text(c.phone),
                               sms,
                               "",
                               "",
                               c.note.value_or(""),
                               c.tax_exempt ? (*c.tax_exempt ? "yes" : "no") : "",
                               tags};
  const Address* a = agg.default_shipping();
  if (!a) a = agg.default_billing();
  if (a) {
    row[5] = a->business_name.value_or("");
    row[6] = a->address1;
    row[7] = a->address2.value_or("");
    row[8] = a->city.value_or("");
    if (a->state) row[9] = a->state->size() > 3 && (*a->state)[2] == '-' ? a->state->substr(3) : *a->state;
    row[10] = a->region;
    // Shopify guards numeric zips with an apostrophe so spreadsheets keep their leading zeros.
    row[11] = a->zip ? (all_digits(*a->zip) ? "'" + *a->zip : *a->zip) : "";
    row[12] = phone_text(a->phone);
  }
  // A phone starts with '+', a name or note may start with '=': spreadsheets would run them (or eat the '+').
  for (auto& cell : row) {
    if (detail::is_formula_guarded(cell)) cell.insert(0, 1, '\'');
  }
  return row;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "jsonl") return ExportFormat::jsonl;
  if (name == "shopify") return ExportFormat::shopify;
  return std::nullopt;
}

std::string_view shopify_export_header() { return kShopifyHeader; }

absl::StatusOr<int64_t> export_customers(Store& store, ExportFormat format, std::ostream& out,
                                         size_t page_size) {
  ExportOptions options;
  options.page_size = page_size;
  return export_customers(store, format, out, options);
}

absl::StatusOr<int64_t> export_customers(Store& store, ExportFormat format, std::ostream& out,
                                         const ExportOptions& options) {
  const size_t page_size = options.page_size == 0 ? 500 : options.page_size;
  if (format == ExportFormat::shopify) out << kShopifyHeader << "\n";
  int64_t written = 0;
  std::optional<CustomerId> after;
  for (;;) {
    std::vector<CustomerAggregate> page;
    auto s = store.read([&](StoreTx& tx) -> absl::Status {
      SearchQuery q;
      q.limit = page_size;
      q.after = after;
      auto ids = tx.search(q);
      if (!ids.ok()) return ids.status();
      for (const auto& id : *ids) {
        auto agg = tx.load_customer(id);
        if (!agg.ok()) return agg.status();
        if (*agg) page.push_back(std::move(**agg));
      }
      if (!ids->empty()) after = ids->back();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if (page.empty()) break;
    for (const auto& agg : page) {
      if (format == ExportFormat::jsonl) {
        auto doc = customer_document(agg);
        if (options.with_secret_hashes) {
          auto& portal = doc["portal"].as_object();
          if (agg.portal.password_hash) portal["password_hash"] = *agg.portal.password_hash;
          if (agg.portal.answer_hash) portal["secret_answer_hash"] = *agg.portal.answer_hash;
        }
        out << boost::json::serialize(doc) << "\n";
      } else {
        out << csv_line(shopify_row(agg));
      }
      ++written;
    }
    if (!out) return absl::InternalError("writing the export failed");
    if (page.size() < page_size) break;
  }
  return written;
}

}  // namespace leadcustomers
