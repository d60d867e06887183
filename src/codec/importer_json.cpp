// JSON formats: `shopify-json` (Shopify REST customer objects) and `generic-json` (an array or JSON Lines of
// objects with a mapping of JSON paths) share one mapped reader; `jsonl` reads our own customer documents.
#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>
#include <utility>

#include <sodium.h>
#include "absl/container/flat_hash_set.h"
#include "codec/import_record.hpp"
#include "detail/strings.hpp"
#include "detail/utf8_scan.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

constexpr std::string_view kErrorMember = "import_error";

constexpr std::array<std::pair<std::string_view, std::string_view>, 41> kShopifyJson{{
    {"id", "external_refs.shopify"},
    {"email", "email"},
    {"first_name", "first_name"},
    {"last_name", "last_name"},
    {"phone", "phone"},
    {"note", "note"},
    {"tags", "tags"},
    {"tax_exempt", "tax_exempt"},
    {"accepts_marketing", "newsletter"},
    {"email_marketing_consent.state", "newsletter"},
    {"state", "attributes.shopify.state"},
    {"verified_email", "attributes.shopify.verified_email"},
    {"created_at", "attributes.shopify.created_at"},
    {"updated_at", "attributes.shopify.updated_at"},
    {"currency", "attributes.shopify.currency"},
    {"sms_marketing_consent.state", "attributes.shopify.sms_marketing_consent"},
    {"orders_count", "ignore"},  // derived from orders
    {"total_spent", "ignore"},
    {"last_order_id", "ignore"},
    {"last_order_name", "ignore"},
    {"multipass_identifier", "ignore"},
    {"default_address", "ignore"},  // the same address is in `addresses` with "default": true
    {"admin_graphql_api_id", "ignore"},
    {"tax_exemptions", "ignore"},
    {"accepts_marketing_updated_at", "ignore"},
    {"marketing_opt_in_level", "ignore"},
    {"addresses[*].first_name", "addresses[*].first_name"},
    {"addresses[*].last_name", "addresses[*].last_name"},
    {"addresses[*].name", "addresses[*].name"},
    {"addresses[*].company", "addresses[*].business_name"},
    {"addresses[*].address1", "addresses[*].address1"},
    {"addresses[*].address2", "addresses[*].address2"},
    {"addresses[*].city", "addresses[*].city"},
    {"addresses[*].province", "addresses[*].state_name"},
    {"addresses[*].province_code", "addresses[*].state"},
    {"addresses[*].country", "addresses[*].region_name"},
    {"addresses[*].country_code", "addresses[*].region"},
    {"addresses[*].zip", "addresses[*].zip"},
    {"addresses[*].phone", "addresses[*].phone"},
    {"addresses[*].default", "addresses[*].default"},
    {"addresses[*].id", "ignore"},
}};

// One step of a JSON path: `name`, `name[*]` or `name[3]`.
struct Segment {
  std::string name;
  enum class Sub { none, any, index } sub = Sub::none;
  size_t index = 0;
};

absl::StatusOr<std::vector<Segment>> parse_path(std::string_view path) {
  std::vector<Segment> out;
  size_t start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '.') continue;
    std::string_view part = path.substr(start, i - start);
    start = i + 1;
    Segment s;
    if (auto open = part.find('['); open != std::string_view::npos && part.back() == ']') {
      auto inner = part.substr(open + 1, part.size() - open - 2);
      s.name = std::string(part.substr(0, open));
      if (inner == "*") {
        s.sub = Segment::Sub::any;
      } else {
        s.sub = Segment::Sub::index;
        auto r = std::from_chars(inner.data(), inner.data() + inner.size(), s.index);
        if (r.ec != std::errc() || r.ptr != inner.data() + inner.size()) s.name.clear();
      }
    } else {
      s.name = std::string(part);
    }
    if (s.name.empty()) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                         cat("JSON path ", quoted(path), " is not a.b[*].c"));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// V is boost::json::value, const or not (a reject line blanks secrets in place).
template <typename V, typename F>
void visit(V& v, const std::vector<Segment>& path, size_t k, int bound, const F& f) {
  if (k == path.size()) {
    f(v, bound);
    return;
  }
  if (!v.is_object()) return;
  auto* child = v.as_object().if_contains(path[k].name);
  if (!child) return;
  switch (path[k].sub) {
    case Segment::Sub::none:
      visit(*child, path, k + 1, bound, f);
      return;
    case Segment::Sub::any:
      if (child->is_array()) {
        auto& a = child->as_array();
        for (size_t i = 0; i < a.size(); ++i) visit(a[i], path, k + 1, static_cast<int>(i), f);
      }
      return;
    case Segment::Sub::index:
      if (child->is_array() && path[k].index < child->as_array().size()) {
        visit(child->as_array()[path[k].index], path, k + 1, bound, f);
      }
      return;
  }
}

// Finds where the records of a valid JSON document start, so each record reports its physical line.
class LineScanner {
 public:
  explicit LineScanner(std::string_view text) : t_(text) {}

  // Lines of the elements of the array at `path` (an object there counts as one element).
  std::vector<int64_t> element_lines(const std::vector<std::string>& path) {
    std::vector<int64_t> lines;
    ws();
    for (const auto& key : path) {
      if (!enter_member(key)) return lines;
    }
    ws();
    if (at('{')) {
      lines.push_back(line_at(i_));
    } else if (at('[')) {
      ++i_;
      ws();
      while (i_ < t_.size() && !at(']')) {
        lines.push_back(line_at(i_));
        skip_value();
        ws();
        if (at(',')) ++i_;
        ws();
      }
    }
    return lines;
  }

 private:
  bool at(char c) const { return i_ < t_.size() && t_[i_] == c; }
  void ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  int64_t line_at(size_t pos) {
    for (; counted_ < pos; ++counted_) {
      char c = t_[counted_];
      if (c == '\n' || (c == '\r' && (counted_ + 1 >= t_.size() || t_[counted_ + 1] != '\n'))) ++line_;
    }
    return line_;
  }
  std::string_view read_string() {
    size_t begin = ++i_;
    while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
    std::string_view s = t_.substr(begin, std::min(i_, t_.size()) - begin);
    ++i_;
    return s;
  }
  void skip_value() {
    ws();
    if (at('"')) {
      read_string();
      return;
    }
    if (at('{') || at('[')) {
      int depth = 0;
      while (i_ < t_.size()) {
        char c = t_[i_];
        if (c == '"') {
          read_string();
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') {
          if (--depth == 0) {
            ++i_;
            return;
          }
        }
        ++i_;
      }
      return;
    }
    while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' &&
           t_[i_] != '\n' && t_[i_] != '\r' && t_[i_] != '\t') {
      ++i_;
    }
  }
  // Moves into the value of member `key` of the object at the cursor.
  bool enter_member(std::string_view key) {
    ws();
    if (!at('{')) return false;
    ++i_;
    for (;;) {
      ws();
      if (!at('"')) return false;
      auto k = read_string();
      ws();
      if (!at(':')) return false;
      ++i_;
      if (k == key) return true;
      skip_value();
      ws();
      if (!at(',')) return false;
      ++i_;
    }
  }

  std::string_view t_;
  size_t i_ = 0;
  size_t counted_ = 0;
  int64_t line_ = 1;
};

std::string read_all(std::istream& in) {
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string_view skip_bom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

// Reads lines (LF, CRLF or CR) with their physical numbers.
class LineReader {
 public:
  explicit LineReader(std::istream& in, int64_t first_line = 0) : in_(&in), line_(first_line) {}
  bool next(std::string& line, int64_t& number) {
    line.clear();
    int c;
    bool any = false;
    while ((c = in_->get()) != std::char_traits<char>::eof()) {
      ++bytes_;
      any = true;
      if (c == '\n') break;
      if (c == '\r') {
        if (in_->peek() == '\n') {
          in_->get();
          ++bytes_;
        }
        break;
      }
      line.push_back(static_cast<char>(c));
    }
    if (!any) return false;
    number = ++line_;
    if (number == 1) line = std::string(skip_bom(line));
    return true;
  }
  [[nodiscard]] uint64_t bytes() const { return bytes_; }

 private:
  std::istream* in_;
  int64_t line_ = 0;
  uint64_t bytes_ = 0;
};

bool blank_line(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Blanks (nulls), at any depth, every member whose name says it holds a secret, and writes "[hash]" for every
// password hash in a string — whether the format imports it or not. Our own document's `has_password` flag
// and `secret_question` (not secrets, SPEC §2.4) are kept.
void redact_secrets(boost::json::value& v) {
  if (auto* o = v.if_object()) {
    for (auto& member : *o) {
      const std::string_view key = member.key();
      if (names_a_secret(key) && !key.starts_with("has_") && key != "secret_question") {
        member.value() = nullptr;
      } else {
        redact_secrets(member.value());
      }
    }
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) redact_secrets(x);
  } else if (const auto* str = v.if_string(); str && looks_like_a_hash(*str)) {
    v = scrub_hashes(*str);
  }
}

// Whether a line that could not be parsed may hold a secret: it names one, has a hash, or has a \u escape
// (which could spell either).
bool may_hold_a_secret(std::string_view raw) {
  return names_a_secret(raw) || looks_like_a_hash(raw) ||
         ascii_lower(raw).find("argon2") != std::string::npos || raw.find("\\u") != std::string_view::npos ||
         raw.find("\\U") != std::string_view::npos;
}

// The original object plus its error. `redact` blanks the record's secrets first: a reject file is the input
// again, and no secret or hash is ever written out (SPEC §2.4).
// A line that is not a JSON object is kept under "raw" — unless the format may carry secrets there
// (`raw_may_hold_secrets`: a jsonl export with hashes, a mapping with password columns) and it cannot be
// parsed to blank them: then "raw" is null and the error says where the line is. Invalid UTF-8 in a kept line
// is written as U+FFFD (a JSON text is UTF-8); the error says so.
template <typename Redact>
std::string reject_line(std::string_view raw, std::string_view error, bool raw_may_hold_secrets,
                        const Redact& redact) {
  boost::system::error_code ec;
  auto v = boost::json::parse(raw, ec);
  boost::json::object out;
  std::string note;
  if (!ec && v.is_object()) {
    redact(v);
    out = std::move(v.as_object());
  } else if (raw_may_hold_secrets) {
    out["raw"] = nullptr;
    note = "; the line is not copied here: it could not be read to leave out its secrets (see the input)";
  } else {
    out["raw"] = raw;
    if (!is_valid_utf8(raw)) note = "; invalid UTF-8 bytes of the line are shown as U+FFFD";
  }
  out[kErrorMember] = cat(error, note);
  return boost::json::serialize(out) + "\n";
}

// The byte offset of the first byte that is not part of valid UTF-8, or npos.
size_t first_invalid_utf8(std::string_view s) {
  int32_t cp = 0;
  for (size_t i = 0, n = 0; i < s.size(); i += n) {
    if ((n = decode_utf8(s, i, cp)) == 0) return i;
  }
  return std::string_view::npos;
}

// The error of a line that did not parse: invalid UTF-8 is named as such (with its offset), else the
// parser's message.
void line_error(ImportRecord& record, std::string_view line, int64_t number,
                const boost::system::error_code& ec) {
  if (auto at = first_invalid_utf8(line); at != std::string_view::npos) {
    record.errors.push_back({"", "text.invalid_utf8",
                             cat("line ", number, " is not valid UTF-8 at byte ", at, " of the line (byte ",
                                 static_cast<unsigned>(static_cast<unsigned char>(line[at])), ")")});
    return;
  }
  record.errors.push_back({"", "json.syntax", cat("line ", number, " is not JSON: ", ec.message())});
}

// ---- shopify-json and generic-json ---------------------------------------------------------------------

class MappedJsonSource final : public RecordSource {
 public:
  explicit MappedJsonSource(std::istream& in) : in_(in), lines_(in) {}

  absl::Status init(const ImportOptions& options) {
    std::vector<std::pair<std::string, std::string>> table;
    std::string records_path;
    if (options.format == ImportFormat::shopify_json) {
      for (const auto& [p, t] : kShopifyJson) table.emplace_back(p, t);
      shopify_ = true;
    } else {
      const auto& m = options.mapping;
      const boost::json::object* fields = &m;
      for (const char* key : {"fields", "columns"}) {
        if (const auto* f = m.if_contains(key)) {
          if (!f->is_object()) {
            return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                               cat("mapping '", key, "' must be an object {\"json.path\": \"field\"}"));
          }
          fields = &f->as_object();
          if (const auto* r = m.if_contains("records")) {
            if (!r->is_string()) {
              return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                                 "mapping 'records' must be a JSON path such as \"data.customers\"");
            }
            records_path = std::string(r->as_string());
          }
          if (const auto* k = m.if_contains("constants"); k && k->is_object()) {
            for (const auto& [target, value] : k->as_object()) {
              if (!value.is_string()) continue;
              auto t = parse_target(target);
              if (!t.ok()) return t.status();
              constants_.emplace_back(*t, std::string(value.as_string()));
            }
          }
          if (const auto* mode = m.if_contains("mode"); mode && mode->is_string()) {
            addresses_only_ = mode->as_string() == "addresses";
          }
          break;
        }
      }
      for (const auto& [path, target] : *fields) {
        if (target.is_null()) {
          table.emplace_back(std::string(path), "ignore");
        } else if (target.is_string()) {
          table.emplace_back(std::string(path), std::string(target.as_string()));
        } else {
          return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                             cat("mapping of ", quoted(path), " must be a field name or null"));
        }
      }
    }
    bool has_email = false;
    for (const auto& [path, target] : table) {
      auto segments = parse_path(path);
      if (!segments.ok()) return segments.status();
      auto t = parse_target(target);
      if (!t.ok()) return t.status();
      has_email |= t->kind == Target::Kind::email;
      known_top_.insert(segments->front().name);
      mapping_.emplace_back(std::move(*segments), std::move(*t));
    }
    known_top_.insert(std::string(kErrorMember));
    if (!has_email) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.missing_column",
                         "the mapping maps no JSON path to 'email'");
    }

    // An array (or a document holding one at `records`) is read whole; anything else is JSON Lines.
    // Leading white space and a BOM are consumed here, counting lines, so records keep their line numbers.
    for (;;) {
      int c = in_.peek();
      if (c == '\n') {
        in_.get();
        ++skipped_lines_;
      } else if (c == '\r') {
        in_.get();
        if (in_.peek() == '\n') in_.get();
        ++skipped_lines_;
      } else if (c == ' ' || c == '\t') {
        in_.get();
      } else if (c == 0xEF) {
        char bom[3];
        in_.read(bom, 3);
      } else {
        document_mode_ = c == '[' || options.format == ImportFormat::shopify_json || !records_path.empty();
        break;
      }
    }
    lines_ = LineReader(in_, skipped_lines_);
    if (!document_mode_) return absl::OkStatus();

    text_ = read_all(in_);
    bytes_ = text_.size();
    std::string_view body = skip_bom(text_);
    boost::system::error_code ec;
    auto doc = boost::json::parse(body, ec);
    if (ec) {
      if (options.format == ImportFormat::shopify_json) {
        // Not one document: JSON Lines of customer objects.
        document_mode_ = false;
        memory_ = std::make_unique<std::istringstream>(std::move(text_));
        text_.clear();
        memory_lines_ = std::make_unique<LineReader>(*memory_, skipped_lines_);
        return absl::OkStatus();
      }
      return field_error(ErrorCode::invalid_argument, "", "json.syntax",
                         cat("the input is not one JSON document: ", ec.message()));
    }
    std::vector<std::string> path;
    if (!records_path.empty()) {
      auto segments = parse_path(records_path);
      if (!segments.ok()) return segments.status();
      for (const auto& s : *segments) path.push_back(s.name);
    } else if (shopify_ && doc.is_object()) {
      if (doc.as_object().contains("customers")) {
        path = {"customers"};
      } else if (doc.as_object().contains("customer")) {
        path = {"customer"};
      }
    }
    const boost::json::value* at = &doc;
    for (const auto& key : path) {
      const auto* next = at->is_object() ? at->as_object().if_contains(key) : nullptr;
      if (!next) {
        return field_error(ErrorCode::invalid_argument, "mapping", "import.records_not_found",
                           cat("the document has no ", quoted(records_path.empty() ? key : records_path)));
      }
      at = next;
    }
    if (at->is_array()) {
      for (const auto& e : at->as_array()) elements_.push_back(e);
    } else if (at->is_object()) {
      elements_.push_back(*at);
    } else {
      return field_error(ErrorCode::invalid_argument, "", "import.records_not_found",
                         "the records are neither an array nor an object");
    }
    element_lines_ = LineScanner(body).element_lines(path);
    element_lines_.resize(elements_.size(), 0);
    for (auto& l : element_lines_) l += skipped_lines_;
    return absl::OkStatus();
  }

  bool next(ImportRecord& record) override {
    record.clear();
    record.addresses_only = addresses_only_;
    if (document_mode_) {
      if (next_ >= elements_.size()) return false;
      const auto& e = elements_[next_];
      record.line = element_lines_[next_];
      ++next_;
      record.raw = boost::json::serialize(e);
      convert(e, record);
      return true;
    }
    LineReader& lines = memory_lines_ ? *memory_lines_ : lines_;
    std::string line;
    int64_t number = 0;
    while (lines.next(line, number)) {
      if (blank_line(line)) continue;
      record.line = number;
      record.raw = line;
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (ec) {
        line_error(record, line, number, ec);
      } else {
        convert(v, record);
      }
      return true;
    }
    if (in_.bad()) status_ = make_error(ErrorCode::internal, "reading the JSON input failed");
    return false;
  }

  const absl::Status& status() const override { return status_; }
  const Violations& warnings() const override { return warnings_; }
  uint64_t bytes_read() const override {
    return document_mode_ ? bytes_ : (memory_lines_ ? memory_lines_->bytes() : lines_.bytes());
  }
  void write_reject(std::ostream& out, const ImportRecord& record, std::string_view error) override {
    const bool secrets =
        std::any_of(mapping_.begin(), mapping_.end(), [](const auto& m) { return m.second.is_secret(); }) ||
        may_hold_a_secret(record.raw);
    out << reject_line(record.raw, error, secrets, [&](boost::json::value& v) {
      for (const auto& [path, target] : mapping_) {
        if (target.is_secret()) visit(v, path, 0, -1, [](boost::json::value& x, int) { x = nullptr; });
      }
      redact_secrets(v);
    });
  }

 private:
  void convert(const boost::json::value& v, ImportRecord& record) {
    if (!v.is_object()) {
      record.errors.push_back(
          {"", "json.not_object", cat("record on line ", record.line, " is not a JSON object")});
      return;
    }
    for (const auto& [key, value] : v.as_object()) {
      if (!known_top_.contains(std::string(key)) && warned_.insert(std::string(key)).second) {
        warnings_.push_back({std::string(key), "import.unknown_column",
                             cat("member ", quoted(key), " is not mapped; its values are not imported")});
      }
    }
    std::vector<RowData> rows(1);
    for (const auto& [t, value] : constants_) apply_value(t, value, rows[0]);
    for (const auto& [path, target] : mapping_) {
      visit(v, path, 0, -1,
            [&](const boost::json::value& x, int bound) { apply_json_value(target, x, rows[0], bound); });
    }
    build_record(rows, record);
    if (!record.email) {
      // Report the e-mail as given even when the record is refused before the e-mail was read.
      for (const auto& [path, target] : mapping_) {
        if (target.kind != Target::Kind::email) continue;
        visit(v, path, 0, -1, [&](const boost::json::value& x, int) {
          if (x.is_string() && !record.email)
            record.email = std::string(trim(std::string_view(x.as_string())));
        });
      }
    }
  }

  std::istream& in_;
  LineReader lines_;
  std::unique_ptr<std::istringstream> memory_;
  std::unique_ptr<LineReader> memory_lines_;
  std::vector<std::pair<std::vector<Segment>, Target>> mapping_;
  std::vector<std::pair<Target, std::string>> constants_;
  absl::flat_hash_set<std::string> known_top_;
  absl::flat_hash_set<std::string> warned_;
  bool shopify_ = false;
  bool addresses_only_ = false;
  bool document_mode_ = false;
  int64_t skipped_lines_ = 0;
  std::string text_;
  uint64_t bytes_ = 0;
  std::vector<boost::json::value> elements_;
  std::vector<int64_t> element_lines_;
  size_t next_ = 0;
  Violations warnings_;
  absl::Status status_;
};

// ---- jsonl: our own customer documents ---------------------------------------------------------------

std::optional<std::string> phone_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (!v.is_object()) return std::nullopt;
  const auto* e164 = v.as_object().if_contains("e164");
  if (!e164 || !e164->is_string()) return std::nullopt;
  std::string out(e164->as_string());
  if (const auto* ext = v.as_object().if_contains("extension");
      ext && ext->is_string() && !ext->as_string().empty()) {
    out += cat(";ext=", std::string_view(ext->as_string()));
  }
  return out;
}

// A hash this library made (libsodium's crypto_pwhash_str with Argon2id): anything else could never verify.
bool own_hash(std::string_view h) {
  return h.starts_with("$argon2id$") && h.size() < crypto_pwhash_STRBYTES &&
         std::all_of(h.begin(), h.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// The login of a document exported with --with-secret-hashes comes back as it was. A document exported
// without them says only that a login existed: the customer is imported without it, and the report says so.
// The warning names the field, never the hash.
void restore_portal(ImportRecord& r, const boost::json::object& portal, RestoreInfo& restore) {
  bool foreign = false;  // a hash was there, and was refused with its own warning
  auto hash_of = [&](std::string_view key) -> std::optional<std::string> {
    const auto* h = portal.if_contains(key);
    if (!h || h->is_null()) return std::nullopt;
    if (!h->is_string() || !own_hash(h->as_string())) {
      foreign = true;
      r.warnings.push_back({cat("portal.", key), "password.foreign_hash",
                            "not an Argon2id hash made by this library, so it could never be verified; "
                            "it is not imported"});
      return std::nullopt;
    }
    return std::string(h->as_string());
  };
  auto flag = [&](std::string_view key) {
    const auto* v = portal.if_contains(key);
    return v && v->is_bool() && v->as_bool();
  };
  restore.password_hash = hash_of("password_hash");
  const bool foreign_password = std::exchange(foreign, false);
  std::optional<std::string> answer = hash_of("secret_answer_hash");
  const bool foreign_answer = foreign;
  const auto* q = portal.if_contains("secret_question");
  bool has_question = q && q->is_string() && !q->as_string().empty();
  if (answer && has_question) {
    restore.answer_hash = std::move(answer);
    restore.secret_question = std::string(q->as_string());
  }
  bool lost_password = flag("has_password") && !restore.password_hash && !foreign_password;
  bool lost_answer = has_question && !restore.answer_hash && !foreign_answer;
  if (lost_password || lost_answer) {
    r.warnings.push_back(
        {"portal", "import.login_not_restored",
         cat("the document's portal login (", lost_password ? "password" : "",
             lost_password && lost_answer ? " and " : "", lost_answer ? "secret answer" : "",
             ") has no hash to restore; export with --with-secret-hashes to carry it; imported without it")});
  }
}

class JsonlSource final : public RecordSource {
 public:
  explicit JsonlSource(std::istream& in) : in_(in), lines_(in) {}

  bool next(ImportRecord& record) override {
    record.clear();
    std::string line;
    int64_t number = 0;
    while (lines_.next(line, number)) {
      if (blank_line(line)) continue;
      record.line = number;
      record.raw = line;
      boost::system::error_code ec;
      auto v = boost::json::parse(line, ec);
      if (ec) {
        line_error(record, line, number, ec);
      } else if (!v.is_object()) {
        record.errors.push_back({"", "json.not_object", cat("line ", number, " is not a JSON object")});
      } else {
        convert(v.as_object(), record);
      }
      return true;
    }
    if (in_.bad()) status_ = make_error(ErrorCode::internal, "reading the JSON Lines input failed");
    return false;
  }

  const absl::Status& status() const override { return status_; }
  const Violations& warnings() const override { return warnings_; }
  uint64_t bytes_read() const override { return lines_.bytes(); }
  void write_reject(std::ostream& out, const ImportRecord& record, std::string_view error) override {
    // A broken line of our own document may be a piece of an export made --with-secret-hashes: it is never
    // copied. A parsed one loses its hash members and anything else that names or is a secret.
    out << reject_line(record.raw, error, true, [](boost::json::value& v) {
      auto* portal = v.as_object().if_contains("portal");
      if (portal && portal->is_object()) {
        portal->as_object().erase("password_hash");
        portal->as_object().erase("secret_answer_hash");
      }
      redact_secrets(v);
    });
  }

 private:
  static void bad_type(ImportRecord& r, std::string_view field, std::string_view expected) {
    r.errors.push_back({std::string(field), "command.wrong_type", cat(field, " must be ", expected)});
  }

  std::optional<absl::Time> time_of(ImportRecord& r, const boost::json::object& doc, std::string_view key) {
    const auto* v = doc.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_string()) {
      if (auto t = parse_timestamp(std::string_view(v->as_string()))) return t;
    }
    r.errors.push_back({std::string(key), "import.bad_timestamp", cat(key, " is not an RFC 3339 timestamp")});
    return std::nullopt;
  }

  void convert(const boost::json::object& doc, ImportRecord& r) {
    static const absl::flat_hash_set<std::string> kKnown{"id",
                                                         "customer_type_id",
                                                         "status",
                                                         "first_name",
                                                         "last_name",
                                                         "email",
                                                         "phone",
                                                         "fax",
                                                         "company_id",
                                                         "newsletter",
                                                         "tags",
                                                         "note",
                                                         "tax_exempt",
                                                         "attributes",
                                                         "external_refs",
                                                         "created_at",
                                                         "updated_at",
                                                         "version",
                                                         "erased",
                                                         "addresses",
                                                         "portal",
                                                         "default_shipping_address_id",
                                                         "default_billing_address_id",
                                                         std::string(kErrorMember)};
    for (const auto& [key, value] : doc) {
      if (!kKnown.contains(std::string(key)) && warned_.insert(std::string(key)).second) {
        warnings_.push_back(
            {std::string(key), "import.unknown_column",
             cat("member ", quoted(key), " is not a field of the customer document; ignored")});
      }
    }
    if (const auto* e = doc.if_contains("erased"); e && e->is_bool() && e->as_bool()) {
      r.errors.push_back({"erased", "import.erased_customer", "an erased customer is not imported"});
      return;
    }
    for (const char* key : {"id", "first_name", "last_name", "email", "note", "company_id"}) {
      const auto* v = doc.if_contains(key);
      if (!v || v->is_null()) continue;
      if (!v->is_string()) {
        bad_type(r, key, "a string");
        continue;
      }
      r.customer[key] = v->as_string();
    }
    if (const auto* e = doc.if_contains("email"); e && e->is_string()) r.email = std::string(e->as_string());
    for (const char* key : {"phone", "fax"}) {
      const auto* v = doc.if_contains(key);
      if (!v || v->is_null()) continue;
      if (auto p = phone_text(*v)) {
        r.customer[key] = *p;
      } else {
        bad_type(r, key, "{\"e164\", \"extension\"}");
      }
    }
    if (const auto* v = doc.if_contains("customer_type_id"); v && !v->is_null()) {
      if (v->is_int64()) {
        r.customer_type_id = v->as_int64();
      } else {
        bad_type(r, "customer_type_id", "an integer");
      }
    }
    if (const auto* v = doc.if_contains("status"); v && v->is_string())
      r.status = std::string(v->as_string());
    for (const char* key : {"tags", "external_refs"}) {
      if (const auto* v = doc.if_contains(key); v && !v->is_null()) r.customer[key] = *v;
    }
    if (const auto* v = doc.if_contains("attributes"); v && !v->is_null()) {
      if (!v->is_object() || !v->as_object().empty()) r.customer["attributes"] = *v;
    }
    if (const auto* v = doc.if_contains("tax_exempt"); v && !v->is_null()) r.customer["tax_exempt"] = *v;
    RestoreInfo restore;
    restore.created_at = time_of(r, doc, "created_at");
    restore.updated_at = time_of(r, doc, "updated_at");
    if (const auto* v = doc.if_contains("version"); v && v->is_int64()) restore.version = v->as_int64();
    if (const auto* n = doc.if_contains("newsletter"); n && n->is_object()) {
      const auto& nl = n->as_object();
      const auto* at = nl.if_contains("updated_at");
      if (at && !at->is_null()) {
        restore.consent_at = time_of(r, nl, "updated_at");
        if (const auto* s = nl.if_contains("subscribed"); s && s->is_bool()) r.newsletter = s->as_bool();
        if (const auto* s = nl.if_contains("source"); s && s->is_string()) r.consent_source = s->as_string();
        if (const auto* l = nl.if_contains("opt_in_level"); l && l->is_string())
          r.consent_level = l->as_string();
      }
    }
    if (const auto* p = doc.if_contains("portal"); p && p->is_object())
      restore_portal(r, p->as_object(), restore);
    r.restore = restore;
    std::string def_ship, def_bill;
    if (const auto* v = doc.if_contains("default_shipping_address_id"); v && v->is_string())
      def_ship = v->as_string();
    if (const auto* v = doc.if_contains("default_billing_address_id"); v && v->is_string())
      def_bill = v->as_string();
    if (const auto* v = doc.if_contains("addresses"); v && v->is_array()) {
      size_t i = 0;
      for (const auto& a : v->as_array()) {
        std::string path = cat("addresses[", i++, "]");
        if (!a.is_object()) {
          bad_type(r, path, "an object");
          continue;
        }
        ImportAddress out;
        for (const auto& [key, value] : a.as_object()) {
          if (key == "customer_id" || key == "state_name" || value.is_null()) continue;
          if (key == "phone") {
            if (auto p = phone_text(value)) out.fields["phone"] = *p;
            continue;
          }
          out.fields[key] = value;
        }
        if (const auto* id = a.as_object().if_contains("id"); id && id->is_string()) {
          out.default_shipping = !def_ship.empty() && id->as_string() == def_ship;
          out.default_billing = !def_bill.empty() && id->as_string() == def_bill;
        }
        r.addresses.push_back(std::move(out));
      }
    } else if (const auto* v2 = doc.if_contains("addresses"); v2 && !v2->is_null()) {
      bad_type(r, "addresses", "an array");
    }
  }

  std::istream& in_;
  LineReader lines_;
  absl::flat_hash_set<std::string> warned_;
  Violations warnings_;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> make_json_source(std::istream& in,
                                                               const ImportOptions& options) {
  if (options.format == ImportFormat::jsonl)
    return std::unique_ptr<RecordSource>(std::make_unique<JsonlSource>(in));
  auto source = std::make_unique<MappedJsonSource>(in);
  if (auto s = source->init(options); !s.ok()) return s;
  return std::unique_ptr<RecordSource>(std::move(source));
}

}  // namespace leadcustomers::detail
