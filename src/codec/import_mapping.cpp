// From source values to records: mapping targets, value clean-up common to every format (apostrophe guard,
// spreadsheet-mangled numbers, yes/no), Magento street lines, and the assembly of a record from its rows.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <tuple>
#include <utility>

#include "codec/import_record.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

using Kind = Target::Kind;

constexpr std::array<std::string_view, 19> kAddressFields{
    "name", "first_name",    "last_name",  "middle_name",     "address1",        "address2", "street",
    "city", "state",         "state_name", "region",          "region_name",     "zip",      "phone",
    "fax",  "business_name", "default",    "default_billing", "default_shipping"};

bool is_address_field(std::string_view f) {
  return std::find(kAddressFields.begin(), kAddressFields.end(), f) != kAddressFields.end();
}

std::string address_path(int index, std::string_view field) {
  return field.empty() ? cat("addresses[", index, "]") : cat("addresses[", index, "].", field);
}

// The document path a target's value lands on (for messages and violations).
std::string field_of(const Target& t, int index) {
  switch (t.kind) {
    case Kind::first_name:
    case Kind::full_name:
      return "first_name";
    case Kind::last_name:
      return "last_name";
    case Kind::email:
      return "email";
    case Kind::phone:
      return "phone";
    case Kind::fax:
      return "fax";
    case Kind::note:
      return "note";
    case Kind::tags:
      return "tags";
    case Kind::tax_exempt:
      return "tax_exempt";
    case Kind::newsletter:
      return "newsletter";
    case Kind::status:
    case Kind::active:
      return "status";
    case Kind::password:
    case Kind::password_hash:
      return "password";
    case Kind::external_ref:
      return "external_refs";  // the id's index is known only when the value is applied
    case Kind::attribute:
      return cat("attributes.", t.key);
    case Kind::address:
      return address_path(index, t.key);
    case Kind::magento_website:
      return "attributes.magento._website";
    case Kind::ignore:
    case Kind::ignore_warn:
    case Kind::secret:
      return "";
  }
  return "";
}

std::vector<std::string> split_tags(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',') {
      auto tag = trim(text.substr(start, i - start));
      if (!tag.empty()) out.emplace_back(tag);
      start = i + 1;
    }
  }
  return out;
}

// Magento's street: lines of one cell (or a JSON array of lines, as Magento's sample data writes it).
std::vector<std::string> street_lines(std::string_view text) {
  std::vector<std::string> lines;
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec && v.is_array()) {
      bool all_strings = true;
      for (const auto& e : v.as_array()) all_strings &= e.is_string();
      if (all_strings) {
        for (const auto& e : v.as_array()) {
          auto line = trim(std::string_view(e.as_string()));
          if (!line.empty()) lines.emplace_back(line);
        }
        return lines;
      }
    }
  }
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      auto line = trim(text.substr(start, i - start));
      if (!line.empty()) lines.emplace_back(line);
      start = i + 1;
    }
  }
  return lines;
}

void set_bool(std::optional<bool>& target, std::string_view value, const std::string& field,
              Violations& errors) {
  auto b = parse_yes_no(value);
  if (!b) {
    errors.push_back({field, "import.invalid_boolean", cat(field, " ", quoted(value), " is not yes or no")});
    return;
  }
  target = *b;
}

}  // namespace

absl::Status check_mapping_keys(const boost::json::object& mapping) {
  if (!mapping.contains("columns") && !mapping.contains("fields")) return absl::OkStatus();  // the flat form
  static constexpr std::array<std::string_view, 6> kKeys{"columns", "fields",  "constants",
                                                         "mode",    "records", "description"};
  for (const auto& [key, value] : mapping) {
    if (std::find(kKeys.begin(), kKeys.end(), std::string_view(key)) == kKeys.end()) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                         cat("mapping has no setting ", quoted(key),
                             " (columns, fields, constants, mode, records, description)"));
    }
  }
  return absl::OkStatus();
}

std::optional<bool> parse_yes_no(std::string_view text) {
  std::string v = ascii_lower(trim(text));
  if (v == "yes" || v == "y" || v == "true" || v == "1" || v == "t") return true;
  if (v == "no" || v == "n" || v == "false" || v == "0" || v == "f") return false;
  return std::nullopt;
}

bool is_spreadsheet_mangled(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  size_t fraction = 0;
  bool zeros_only = true;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      zeros_only &= s[i] == '0';
      ++i, ++fraction;
    }
    if (fraction == 0) return false;
  }
  if (i < s.size() && (s[i] == 'E' || s[i] == 'e')) {  // scientific notation: 7.02255E+12
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp;
    return exp > 0 && i == s.size();
  }
  // The float rendering of an integer: 2015550123.0
  return i == s.size() && fraction > 0 && zeros_only;
}

std::string_view strip_apostrophe_guard(std::string_view text) {
  auto t = trim(text);
  if (!t.empty() && t.front() == '\'') t = trim(t.substr(1));
  return t;
}

bool names_a_secret(std::string_view name) {
  const std::string n = ascii_lower(name);
  for (std::string_view word : {"pass", "pwd", "secret", "token", "hash", "credential", "kennwort",
                                "contrase", "senha", "apikey", "api_key", "api key", "api-key"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  // "pin" as a word of its own (not "shipping").
  for (size_t at = n.find("pin"); at != std::string::npos; at = n.find("pin", at + 1)) {
    const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(n[at - 1]));
    const bool ends = at + 3 == n.size() || !std::isalnum(static_cast<unsigned char>(n[at + 3]));
    if (starts && ends) return true;
  }
  return false;
}

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_hash_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '$' || c == '=' || c == ',' || c == '+' ||
         c == '/' || c == '.' || c == '-';
}
bool is_salt_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '/' || c == '+' || c == ':';
}

// The first hash in `text` at or after `from`: [begin, end), or {npos, npos}.
std::pair<size_t, size_t> find_hash(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    const std::string_view rest = text.substr(i);
    if (rest.starts_with("$argon2") || rest.starts_with("$2a$") || rest.starts_with("$2b$") ||
        rest.starts_with("$2y$")) {
      size_t end = i + 1;
      while (end < text.size() && is_hash_char(text[end])) ++end;
      return {i, end};
    }
    if (is_hex(text[i]) && (i == 0 || !is_hex(text[i - 1]))) {
      size_t run = i;
      while (run < text.size() && is_hex(text[run])) ++run;
      const size_t digits = run - i;
      if ((digits == 32 || digits == 40 || digits == 64) && run < text.size() && text[run] == ':') {
        size_t end = run + 1;
        while (end < text.size() && is_salt_char(text[end])) ++end;
        if (end > run + 2) return {i, end};
      }
      i = run - 1;
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

bool looks_like_a_hash(std::string_view text) { return find_hash(text, 0).first != std::string_view::npos; }

std::string scrub_hashes(std::string_view text) {
  std::string out;
  size_t at = 0;
  for (auto found = find_hash(text, 0); found.first != std::string_view::npos; found = find_hash(text, at)) {
    out.append(text.substr(at, found.first - at)).append("[hash]");
    at = found.second;
  }
  return out.append(text.substr(at));
}

bool is_formula_guarded(std::string_view text) {
  const size_t apostrophes = text.find_first_not_of('\'');
  return apostrophes != std::string_view::npos && is_formula_start(text[apostrophes]);
}

std::string_view strip_formula_guard(std::string_view text) {
  if (!text.empty() && text.front() == '\'' && is_formula_guarded(text.substr(1))) text.remove_prefix(1);
  return text;
}

absl::StatusOr<Target> parse_target(std::string_view path) {
  Target t;
  t.path = std::string(path);
  static const std::array<std::pair<std::string_view, Kind>, 17> kSimple{{
      {"ignore", Kind::ignore},
      {"first_name", Kind::first_name},
      {"last_name", Kind::last_name},
      {"full_name", Kind::full_name},
      {"email", Kind::email},
      {"phone", Kind::phone},
      {"fax", Kind::fax},
      {"note", Kind::note},
      {"tags", Kind::tags},
      {"tax_exempt", Kind::tax_exempt},
      {"newsletter", Kind::newsletter},
      {"status", Kind::status},
      {"active", Kind::active},
      {"password", Kind::password},
      {"password_hash", Kind::password_hash},
      {"secret", Kind::secret},
      {"ignore_warn", Kind::ignore_warn},
  }};
  for (const auto& [name, kind] : kSimple) {
    if (path == name) {
      t.kind = kind;
      return t;
    }
  }
  auto bad = [&](std::string_view why) {
    return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                       cat("mapping target ", quoted(path), " ", why));
  };
  if (path.rfind("external_refs.", 0) == 0) {
    t.kind = Kind::external_ref;
    t.key = ascii_lower(path.substr(14));
    if (t.key.empty()) return bad("names no system");
    return t;
  }
  if (path.rfind("attributes.", 0) == 0) {
    t.kind = Kind::attribute;
    t.key = std::string(path.substr(11));
    if (t.key.empty()) return bad("names no attribute");
    return t;
  }
  if (path.rfind("addresses[", 0) == 0) {
    auto close = path.find("].");
    if (close == std::string_view::npos) return bad("is not addresses[N].field");
    auto index = path.substr(10, close - 10);
    t.kind = Kind::address;
    t.key = std::string(path.substr(close + 2));
    if (index == "*") {
      t.any_index = true;
    } else {
      auto r = std::from_chars(index.data(), index.data() + index.size(), t.index);
      if (r.ec != std::errc() || r.ptr != index.data() + index.size() || t.index < 0 || t.index > 199) {
        return bad("has an address index that is not 0-199 or *");
      }
    }
    if (!is_address_field(t.key)) return bad("names no address field");
    return t;
  }
  return bad("is not a field the importer knows");
}

void apply_value(const Target& t, std::string_view raw, RowData& row, int index) {
  auto value = strip_formula_guard(trim(raw));
  if (value.empty()) return;
  const int idx = t.any_index ? (index < 0 ? 0 : index) : t.index;
  std::string field = field_of(t, idx);
  switch (t.kind) {
    case Kind::ignore:
    case Kind::ignore_warn:
    case Kind::secret:
      return;
    case Kind::first_name:
    case Kind::last_name:
    case Kind::full_name:
    case Kind::email:
    case Kind::note:
    case Kind::status: {
      static constexpr std::array<std::string_view, 6> kNames{"first_name", "last_name", "full_name",
                                                              "email",      "note",      "status"};
      std::string_view key = t.kind == Kind::first_name  ? kNames[0]
                             : t.kind == Kind::last_name ? kNames[1]
                             : t.kind == Kind::full_name ? kNames[2]
                             : t.kind == Kind::email     ? kNames[3]
                             : t.kind == Kind::note      ? kNames[4]
                                                         : kNames[5];
      row.customer[std::string(key)] = std::string(value);
      return;
    }
    case Kind::phone:
    case Kind::fax:
      row.customer[t.kind == Kind::phone ? "phone" : "fax"] = std::string(strip_apostrophe_guard(value));
      return;
    case Kind::tags: {
      auto tags = split_tags(value);
      if (!row.tags) row.tags.emplace();
      row.tags->insert(row.tags->end(), tags.begin(), tags.end());
      return;
    }
    case Kind::tax_exempt:
      set_bool(row.tax_exempt, value, field, row.errors);
      return;
    case Kind::newsletter: {
      std::string v = ascii_lower(value);
      if (v == "subscribed") {
        row.newsletter = true;
      } else if (v == "unsubscribed" || v == "not_subscribed") {
        row.newsletter = false;
      } else if (v == "pending" || v == "invalid" || v == "redacted") {
        // Not a decision of the customer: leaves the consent as it is.
      } else {
        set_bool(row.newsletter, value, field, row.errors);
      }
      return;
    }
    case Kind::active:
      set_bool(row.active, value, field, row.errors);
      return;
    case Kind::password:
      row.password = true;
      if (row.password_value.empty()) row.password_value = std::string(raw);  // as typed: not trimmed
      return;
    case Kind::password_hash:
      row.password_hash = true;
      return;
    case Kind::external_ref: {
      auto id = strip_apostrophe_guard(value);
      if (is_spreadsheet_mangled(id)) {
        row.errors.push_back({cat("external_refs[", row.external_refs.size(), "].id"),
                              "external_ref.spreadsheet_mangled",
                              cat(t.key, " id ", quoted(value),
                                  " was turned into a number by a spreadsheet; its digits are lost")});
        return;
      }
      row.external_refs.emplace_back(t.key, std::string(id));
      return;
    }
    case Kind::attribute:
      row.attributes.emplace_back(t.key, std::string(value));
      return;
    case Kind::magento_website:
      if (ascii_lower(value) == "admin") {
        row.errors.push_back({field, "magento.admin_website",
                              cat("_website ", quoted(value),
                                  " is Magento's admin scope, not a website a customer can belong to")});
        return;
      }
      row.attributes.emplace_back("magento._website", std::string(value));
      return;
    case Kind::address: {
      auto& a = row.addresses[idx];
      const std::string& f = t.key;
      if (f == "default" || f == "default_billing" || f == "default_shipping") {
        auto b = parse_yes_no(value);
        if (!b) {
          a.errors.push_back({f, "import.invalid_boolean", cat(f, " ", quoted(value), " is not yes or no")});
          return;
        }
        if (f != "default_shipping") a.default_billing = a.default_billing || *b;
        if (f != "default_billing") a.default_shipping = a.default_shipping || *b;
        return;
      }
      if (f == "zip") {
        auto zip = strip_apostrophe_guard(value);
        if (is_spreadsheet_mangled(zip)) {
          a.errors.push_back({"zip", "zip.spreadsheet_mangled",
                              cat("zip ", quoted(value), " was turned into a number by a spreadsheet")});
          return;
        }
        a.fields["zip"] = std::string(zip);
        return;
      }
      if (f == "phone" || f == "fax") {
        a.fields[f] = std::string(strip_apostrophe_guard(value));
        return;
      }
      a.fields[f] = std::string(value);
      return;
    }
  }
}

void apply_json_value(const Target& t, const boost::json::value& v, RowData& row, int index) {
  if (t.kind == Kind::ignore || t.kind == Kind::ignore_warn || t.kind == Kind::secret) return;
  const int idx = t.any_index ? (index < 0 ? 0 : index) : t.index;
  switch (v.kind()) {
    case boost::json::kind::null:
      return;
    case boost::json::kind::string:
      apply_value(t, v.as_string(), row, index);
      return;
    case boost::json::kind::bool_:
      apply_value(t, v.as_bool() ? "true" : "false", row, index);
      return;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      if (t.kind == Kind::address && t.key == "zip") {
        row.addresses[idx].errors.push_back(
            {"zip", "zip.not_text",
             cat("zip ", boost::json::serialize(v),
                 " is a JSON number; a postal code is text (leading zeros)")});
        return;
      }
      apply_value(t, boost::json::serialize(v), row, index);
      return;
    case boost::json::kind::array: {
      bool all_strings = true;
      for (const auto& e : v.as_array()) all_strings &= e.is_string() || e.is_null();
      if (all_strings && (t.kind == Kind::tags || (t.kind == Kind::address && t.key == "street"))) {
        std::string joined;
        for (const auto& e : v.as_array()) {
          if (!e.is_string()) continue;
          if (!joined.empty()) joined += t.kind == Kind::tags ? "," : "\n";
          joined += std::string_view(e.as_string());
        }
        apply_value(t, joined, row, index);
        return;
      }
      [[fallthrough]];
    }
    case boost::json::kind::object: {
      std::string field = field_of(t, idx);
      row.errors.push_back({field, "import.wrong_type",
                            cat(t.path, " is a JSON ", v.is_array() ? "array" : "object", ", not a value")});
      return;
    }
  }
}

void build_record(std::vector<RowData>& rows, ImportRecord& rec) {
  if (rows.empty()) return;
  RowData& first = rows.front();
  auto& c = first.customer;
  // Names: a full name fills first/last only when the file gives neither.
  if (auto fn = c.find("full_name"); fn != c.end()) {
    if (!c.contains("first_name") && !c.contains("last_name")) {
      std::string_view full = fn->second;
      auto space = full.find_last_of(" \t");
      if (space == std::string_view::npos) {
        c["first_name"] = std::string(full);
      } else {
        c["first_name"] = std::string(trim(full.substr(0, space)));
        c["last_name"] = std::string(trim(full.substr(space + 1)));
      }
    }
    c.erase(fn);
  }
  if (auto e = c.find("email"); e != c.end()) rec.email = e->second;
  if (auto s = c.find("status"); s != c.end()) {
    rec.status = s->second;
    c.erase(s);
  }
  for (const auto& [k, v] : c) rec.customer[k] = v;
  if (first.tags) {
    boost::json::array tags;
    for (const auto& t : *first.tags) tags.emplace_back(t);
    rec.customer["tags"] = std::move(tags);
  }
  if (first.tax_exempt) rec.customer["tax_exempt"] = *first.tax_exempt;
  if (first.active) rec.status = *first.active ? "Active" : "Inactive";
  rec.newsletter = first.newsletter;
  for (auto& r : rows) {
    for (auto& e : r.errors) rec.errors.push_back(std::move(e));
    for (auto& w : r.warnings) rec.warnings.push_back(std::move(w));
  }
  // External refs and attributes from every row (a later value of the same key wins).
  boost::json::array refs;
  boost::json::object attributes;
  for (const auto& r : rows) {
    for (const auto& [system, id] : r.external_refs) {
      bool seen = false;
      for (const auto& x : refs)
        seen |= x.as_object().at("system") == system.c_str() && x.as_object().at("id") == id.c_str();
      if (!seen) refs.push_back(boost::json::object{{"system", system}, {"id", id}});
    }
    for (const auto& [k, v] : r.attributes) attributes[k] = v;
  }
  if (!refs.empty()) rec.customer["external_refs"] = std::move(refs);
  if (!attributes.empty()) rec.customer["attributes"] = std::move(attributes);
  bool password = false, password_hash = false;
  for (const auto& r : rows) {
    password |= r.password;
    password_hash |= r.password_hash;
    if (!rec.password && !r.password_value.empty()) rec.password = r.password_value;
  }
  if (password_hash) {
    rec.warnings.push_back({"password", "password.foreign_hash",
                            "the file's password hash was made by another system and cannot be verified; "
                            "it is not imported and the portal login is left unset"});
  }
  if (password) {
    rec.warnings.push_back({"password", "password.not_imported",
                            "plaintext passwords are imported only when asked to (--import-passwords); "
                            "the portal login is left unset"});
  }
  // Addresses, in row order then index order.
  for (auto& r : rows) {
    std::string row_first = r.customer.contains("first_name") ? r.customer.at("first_name") : "";
    std::string row_last = r.customer.contains("last_name") ? r.customer.at("last_name") : "";
    if (&r != &first && row_first.empty() && row_last.empty()) {
      row_first = first.customer.contains("first_name") ? first.customer.at("first_name") : "";
      row_last = first.customer.contains("last_name") ? first.customer.at("last_name") : "";
    }
    for (auto& [index, a] : r.addresses) {
      auto& f = a.fields;
      if (auto s = f.find("street"); s != f.end()) {
        auto lines = street_lines(s->second);
        if (!f.contains("address1") && !lines.empty()) f["address1"] = lines[0];
        if (!f.contains("address2") && lines.size() > 1) {
          std::string rest;
          for (size_t i = 1; i < lines.size(); ++i) {
            if (i > 1) rest += ", ";
            rest += lines[i];
          }
          f["address2"] = rest;
        }
        f.erase(s);
      }
      int k = static_cast<int>(rec.addresses.size());
      bool present = f.contains("address1") || f.contains("address2") || f.contains("city") ||
                     f.contains("zip") || !a.errors.empty();
      if (!present) {
        bool other = false;
        for (const auto& [name, value] : f) {
          other |= name != "first_name" && name != "last_name" && name != "middle_name" && name != "name";
        }
        if (other) {
          rec.warnings.push_back({address_path(k, ""), "import.address_incomplete",
                                  "an address with no street, city or postal code is not imported"});
        }
        continue;
      }
      if (auto fax = f.find("fax"); fax != f.end()) {
        if (!rec.customer.contains("fax")) rec.customer["fax"] = fax->second;
        f.erase(fax);
      }
      ImportAddress out;
      out.default_billing = a.default_billing;
      out.default_shipping = a.default_shipping;
      std::string name;
      if (auto n = f.find("name"); n != f.end()) {
        name = n->second;
      } else {
        for (const char* part : {"first_name", "middle_name", "last_name"}) {
          if (auto p = f.find(part); p != f.end()) name += (name.empty() ? "" : " ") + p->second;
        }
      }
      if (name.empty()) name = std::string(trim(cat(row_first, " ", row_last)));
      if (!name.empty()) out.fields["name"] = name;
      for (const char* key : {"address1", "address2", "city", "zip", "phone", "business_name"}) {
        if (auto it = f.find(key); it != f.end()) out.fields[key] = it->second;
      }
      if (auto s = f.find("state"); s != f.end()) {
        out.fields["state"] = s->second;
      } else if (auto sn = f.find("state_name"); sn != f.end()) {
        out.fields["state"] = sn->second;
      }
      if (auto rg = f.find("region"); rg != f.end()) {
        out.fields["region"] = rg->second;
      } else if (auto rn = f.find("region_name"); rn != f.end()) {
        out.fields["region"] = rn->second;
      }
      for (auto& e : a.errors) rec.errors.push_back({address_path(k, e.field), e.rule, e.message});
      for (auto& w : a.warnings) rec.warnings.push_back({address_path(k, w.field), w.rule, w.message});
      rec.addresses.push_back(std::move(out));
    }
  }
}

}  // namespace leadcustomers::detail
