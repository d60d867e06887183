#include "leadcustomers/segment_rule.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "boost/json.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers {

using detail::cat;

namespace {

struct FactInfo {
  RuleFact fact;
  std::string_view name;
  RuleType type;
  enum class Arg { none, days, currency, tag } arg;
};

constexpr std::array<FactInfo, 11> kFacts = {{
    {RuleFact::status, "status", RuleType::string, FactInfo::Arg::none},
    {RuleFact::customer_type_id, "customer_type_id", RuleType::integer, FactInfo::Arg::none},
    {RuleFact::company, "company", RuleType::string, FactInfo::Arg::none},
    {RuleFact::region, "region", RuleType::string, FactInfo::Arg::none},
    {RuleFact::state, "state", RuleType::string, FactInfo::Arg::none},
    {RuleFact::subscribed, "subscribed", RuleType::boolean, FactInfo::Arg::none},
    {RuleFact::has_tag, "has_tag", RuleType::boolean, FactInfo::Arg::tag},
    {RuleFact::created_in_last, "created_in_last", RuleType::boolean, FactInfo::Arg::days},
    {RuleFact::order_count, "order_count", RuleType::integer, FactInfo::Arg::none},
    {RuleFact::orders_in_last, "orders_in_last", RuleType::integer, FactInfo::Arg::days},
    {RuleFact::lifetime_value, "lifetime_value", RuleType::integer, FactInfo::Arg::currency},
}};

const FactInfo& info(RuleFact f) {
  for (const auto& i : kFacts)
    if (i.fact == f) return i;
  return kFacts[0];
}

std::string_view type_name(RuleType t) {
  switch (t) {
    case RuleType::boolean:
      return "a boolean";
    case RuleType::integer:
      return "an integer";
    case RuleType::string:
      return "a string";
  }
  return "";
}

constexpr int64_t kMaxDays = 36500;

// ---------------------------------------------------------------------------------------------------
// Lexer.

struct Token {
  enum class Kind { end, ident, integer, string, lparen, rparen, comma, op, bad };
  Kind kind = Kind::end;
  size_t begin = 0;
  size_t end = 0;
  std::string_view text;  // the source span
  std::string string;     // a string literal's value
  int64_t integer = 0;
  CompareOp op = CompareOp::eq;
  std::string error;  // Kind::bad
};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Token next() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
    Token t;
    t.begin = pos_;
    if (pos_ >= text_.size()) {
      t.kind = Token::Kind::end;
      t.end = pos_;
      return t;
    }
    char c = text_[pos_];
    if (ident_start(c)) {
      while (pos_ < text_.size() && ident_char(text_[pos_])) ++pos_;
      t.kind = Token::Kind::ident;
    } else if ((c >= '0' && c <= '9') ||
               (c == '-' && pos_ + 1 < text_.size() && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9')) {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      std::string_view digits = text_.substr(t.begin, pos_ - t.begin);
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), t.integer);
      t.kind = Token::Kind::integer;
      if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
        t.kind = Token::Kind::bad;
        t.error = cat("integer ", digits, " is out of range");
      } else if (pos_ < text_.size() && ident_char(text_[pos_])) {
        t.kind = Token::Kind::bad;
        t.error = cat("unexpected ", quoted(text_.substr(pos_, 1)), " after the number ", digits);
        t.begin = pos_;
      }
    } else if (c == '"') {
      ++pos_;
      t.kind = Token::Kind::bad;
      t.error = "unterminated string (a string ends with \")";
      while (pos_ < text_.size()) {
        char d = text_[pos_++];
        if (d == '"') {
          t.kind = Token::Kind::string;
          break;
        }
        if (d == '\\') {
          if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\\')) {
            t.string.push_back(text_[pos_++]);
            continue;
          }
          t.error = "a backslash in a string must be followed by \" or \\";
          t.begin = pos_ - 1;
          pos_ = text_.size();
          break;
        }
        t.string.push_back(d);
      }
    } else if (c == '(' || c == ')' || c == ',') {
      ++pos_;
      t.kind = c == '(' ? Token::Kind::lparen : c == ')' ? Token::Kind::rparen : Token::Kind::comma;
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      ++pos_;
      bool eq_follows = pos_ < text_.size() && text_[pos_] == '=';
      t.kind = Token::Kind::op;
      if (c == '=') {
        t.op = CompareOp::eq;
      } else if (c == '!') {
        if (!eq_follows) {
          t.kind = Token::Kind::bad;
          t.error = "unexpected '!' (not equal is !=, negation is not)";
        }
        t.op = CompareOp::ne;
        if (eq_follows) ++pos_;
      } else {
        t.op = c == '<' ? (eq_follows ? CompareOp::le : CompareOp::lt)
                        : (eq_follows ? CompareOp::ge : CompareOp::gt);
        if (eq_follows) ++pos_;
      }
    } else {
      // One whole UTF-8 character, for the message.
      size_t n = 1;
      while (pos_ + n < text_.size() && (static_cast<unsigned char>(text_[pos_ + n]) & 0xC0) == 0x80) ++n;
      t.kind = Token::Kind::bad;
      t.error = cat("unexpected character ", quoted(text_.substr(pos_, n)));
      pos_ += n;
    }
    t.end = pos_;
    t.text = text_.substr(t.begin, pos_ - t.begin);
    return t;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------------
// Parser: recursive descent over
//   or   := and ("or" and)*
//   and  := not ("and" not)*
//   not  := "not" not | atom
//   atom := "(" or ")" | operand [op operand]
//   operand := fact | fact "(" literal ")" | integer | string | "true" | "false"

bool keyword(const Token& t, std::string_view kw) {
  if (t.kind != Token::Kind::ident || t.text.size() != kw.size()) return false;
  for (size_t i = 0; i < kw.size(); ++i) {
    char c = t.text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kw[i]) return false;
  }
  return true;
}

bool reserved(const Token& t) {
  return keyword(t, "and") || keyword(t, "or") || keyword(t, "not") || keyword(t, "true") ||
         keyword(t, "false");
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Token::Kind::end:
      return "the end of the rule";
    case Token::Kind::string:
      return cat("the string ", t.text);
    default:
      return quoted(t.text);
  }
}

CompareOp flipped(CompareOp op) {
  switch (op) {
    case CompareOp::lt:
      return CompareOp::gt;
    case CompareOp::le:
      return CompareOp::ge;
    case CompareOp::gt:
      return CompareOp::lt;
    case CompareOp::ge:
      return CompareOp::le;
    default:
      return op;
  }
}

size_t column_of(std::string_view text, size_t offset) {
  size_t col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
  return col;
}

struct Operand {
  bool is_fact = false;
  FactRef fact;
  RuleValue value;
  size_t begin = 0;
  size_t end = 0;
};

struct ParseFailure {
  std::string rule_id;
  size_t offset = 0;
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) { advance(); }

  std::optional<RuleNode> parse() {
    auto root = parse_or();
    if (!root) return std::nullopt;
    if (tok_.kind != Token::Kind::end) {
      fail_here(cat("unexpected ", describe(tok_), " (expected and, or, or the end of the rule)"));
      return std::nullopt;
    }
    if (const RuleNode* deep = too_deep(*root, 0, RuleNode::Kind::test)) {
      fail("segment.rule_too_deep", deep->begin,
           cat("this clause is nested more than ", kMaxRuleDepth, " and/or/not levels deep (at most ",
               kMaxRuleDepth, "; a or b and c is two levels)"));
      return std::nullopt;
    }
    return root;
  }

  const ParseFailure& failure() const { return failure_; }

 private:
  void advance() { tok_ = lexer_.next(); }

  void fail(std::string rule_id, size_t offset, std::string message) {
    if (failed_) return;
    failed_ = true;
    failure_ = {std::move(rule_id), offset, std::move(message)};
  }
  void fail_here(std::string message) {
    if (tok_.kind == Token::Kind::bad) {
      fail("segment.rule_syntax", tok_.begin, tok_.error);
    } else {
      fail("segment.rule_syntax", tok_.begin, std::move(message));
    }
  }

  std::optional<RuleNode> parse_chain(bool is_or) {
    size_t begin = tok_.begin;
    auto first = is_or ? parse_chain(false) : parse_not();
    if (!first) return std::nullopt;
    if (!keyword(tok_, is_or ? "or" : "and")) return first;
    RuleNode node;
    node.kind = is_or ? RuleNode::Kind::any_of : RuleNode::Kind::all_of;
    node.begin = begin;
    node.operands.push_back(std::move(*first));
    while (keyword(tok_, is_or ? "or" : "and")) {
      advance();
      auto next = is_or ? parse_chain(false) : parse_not();
      if (!next) return std::nullopt;
      node.operands.push_back(std::move(*next));
    }
    node.end = last_end_;
    return node;
  }
  std::optional<RuleNode> parse_or() { return parse_chain(true); }

  // Enters one level of nesting (a `not` or a `(` at `at`); false (and the failure) past kMaxRuleDepth.
  bool enter(size_t at) {
    if (++depth_ <= kMaxRuleDepth) return true;
    fail("segment.rule_too_deep", at,
         cat("more than ", kMaxRuleDepth, " nested parentheses and nots (at most ", kMaxRuleDepth, ")"));
    return false;
  }

  // The first clause (in source order) with more than kMaxRuleDepth and/or/not levels above and including
  // it: each negation is a level, each and/or chain is a level unless it sits directly in a chain of the
  // same kind (a and (b and c) is one level, as the SQL compiles it).
  static const RuleNode* too_deep(const RuleNode& n, int depth, RuleNode::Kind parent) {
    const bool chain = n.kind == RuleNode::Kind::all_of || n.kind == RuleNode::Kind::any_of;
    if (n.kind == RuleNode::Kind::negation || (chain && n.kind != parent)) ++depth;
    if (depth > kMaxRuleDepth) return &n;
    for (const auto& o : n.operands)
      if (const RuleNode* deep = too_deep(o, depth, n.kind)) return deep;
    return nullptr;
  }

  std::optional<RuleNode> parse_not() {
    if (!keyword(tok_, "not")) return parse_atom();
    size_t begin = tok_.begin;
    if (!enter(begin)) return std::nullopt;
    advance();
    auto inner = parse_not();
    --depth_;
    if (!inner) return std::nullopt;
    RuleNode node;
    node.kind = RuleNode::Kind::negation;
    node.begin = begin;
    node.end = last_end_;
    node.operands.push_back(std::move(*inner));
    return node;
  }

  std::optional<RuleNode> parse_atom() {
    if (tok_.kind == Token::Kind::lparen) {
      size_t begin = tok_.begin;
      if (!enter(begin)) return std::nullopt;
      advance();
      auto inner = parse_or();
      --depth_;
      if (!inner) return std::nullopt;
      if (tok_.kind != Token::Kind::rparen) {
        fail_here(cat("expected ')' to close the '(' at column ", column(begin), ", found ", describe(tok_)));
        return std::nullopt;
      }
      last_end_ = tok_.end;
      advance();
      return inner;
    }
    auto left = parse_operand();
    if (!left) return std::nullopt;
    if (tok_.kind != Token::Kind::op) {
      if (!left->is_fact) {
        fail("segment.rule_syntax", left->begin,
             "a clause must be a comparison (fact op value) or a boolean fact, not a lone value");
        return std::nullopt;
      }
      const FactInfo& fi = info(left->fact.fact);
      if (fi.type != RuleType::boolean) {
        fail("segment.rule_type", left->begin,
             cat(fi.name, " is ", type_name(fi.type), ", not a condition: compare it (e.g. ", fi.name,
                 fi.type == RuleType::integer ? " >= 1)" : " = \"…\")"));
        return std::nullopt;
      }
      RuleNode node;
      node.kind = RuleNode::Kind::test;
      node.fact = std::move(left->fact);
      node.begin = left->begin;
      node.end = left->end;
      return node;
    }
    CompareOp op = tok_.op;
    size_t op_at = tok_.begin;
    advance();
    auto right = parse_operand();
    if (!right) return std::nullopt;
    if (left->is_fact == right->is_fact) {
      fail("segment.rule_type", left->begin,
           left->is_fact ? "a comparison compares a fact with a value, not two facts"
                         : "a comparison needs a fact on one side");
      return std::nullopt;
    }
    size_t begin = left->begin;
    size_t end = right->end;
    if (!left->is_fact) {
      std::swap(left, right);
      op = flipped(op);
    }
    const FactInfo& fi = info(left->fact.fact);
    if (right->value.type != fi.type) {
      fail("segment.rule_type", right->begin,
           cat(fi.name, " is ", type_name(fi.type), " and cannot be compared with ",
               type_name(right->value.type), " ", text_.substr(right->begin, right->end - right->begin)));
      return std::nullopt;
    }
    if (fi.type != RuleType::integer && op != CompareOp::eq && op != CompareOp::ne) {
      fail("segment.rule_type", op_at,
           cat(fi.name, " is ", type_name(fi.type), ": only = and != apply, not ", to_string(op)));
      return std::nullopt;
    }
    if (!check_value(fi, right->value, right->begin)) return std::nullopt;
    RuleNode node;
    node.kind = RuleNode::Kind::comparison;
    node.fact = std::move(left->fact);
    node.op = op;
    node.value = std::move(right->value);
    node.begin = begin;
    node.end = end;
    return node;
  }

  // Validates and normalizes the literal a fact is compared with.
  bool check_value(const FactInfo& fi, RuleValue& v, size_t at) {
    switch (fi.fact) {
      case RuleFact::status:
        if (!parse_status(v.text)) {
          fail("segment.rule_value", at,
               cat("status ", quoted(v.text), " is not Active, Inactive or Archived"));
          return false;
        }
        return true;
      case RuleFact::company:
        if (v.text.empty()) return true;
        if (auto id = CompanyId::parse(v.text)) {
          v.text = id->str();
          return true;
        }
        fail("segment.rule_value", at,
             cat("company ", quoted(v.text), " is not a company id (UUID) or \"\""));
        return false;
      case RuleFact::region:
      case RuleFact::state:
        v.text = ascii_upper(v.text);
        return true;
      default:
        return true;
    }
  }

  std::optional<Operand> parse_operand() {
    Operand out;
    out.begin = tok_.begin;
    switch (tok_.kind) {
      case Token::Kind::integer:
        out.value.type = RuleType::integer;
        out.value.integer = tok_.integer;
        break;
      case Token::Kind::string:
        out.value.type = RuleType::string;
        out.value.text = tok_.string;
        break;
      case Token::Kind::ident: {
        if (keyword(tok_, "true") || keyword(tok_, "false")) {
          out.value.type = RuleType::boolean;
          out.value.boolean = keyword(tok_, "true");
          break;
        }
        if (reserved(tok_)) {
          fail_here(cat("expected a fact or a value, found the keyword ", quoted(tok_.text)));
          return std::nullopt;
        }
        const FactInfo* fi = nullptr;
        for (const auto& i : kFacts)
          if (i.name == tok_.text) fi = &i;
        if (!fi) {
          std::string known;
          for (const auto& i : kFacts) detail::append(known, known.empty() ? "" : ", ", i.name);
          fail("segment.rule_unknown_fact", tok_.begin,
               cat("unknown fact ", quoted(tok_.text), " (facts: ", known, ")"));
          return std::nullopt;
        }
        out.is_fact = true;
        out.fact.fact = fi->fact;
        out.end = tok_.end;
        last_end_ = tok_.end;
        advance();
        if (fi->arg == FactInfo::Arg::none) {
          if (tok_.kind == Token::Kind::lparen) {
            fail_here(cat(fi->name, " takes no argument"));
            return std::nullopt;
          }
          return out;
        }
        if (!parse_argument(*fi, out.fact)) return std::nullopt;
        out.end = last_end_;
        return out;
      }
      default:
        fail_here(cat("expected a fact or a value, found ", describe(tok_)));
        return std::nullopt;
    }
    out.end = tok_.end;
    last_end_ = tok_.end;
    advance();
    return out;
  }

  bool parse_argument(const FactInfo& fi, FactRef& ref) {
    const bool days = fi.arg == FactInfo::Arg::days;
    std::string_view what = days                                ? "a number of days"
                            : fi.arg == FactInfo::Arg::currency ? "a currency"
                                                                : "a tag";
    std::string example = days                                ? cat(fi.name, "(30)")
                          : fi.arg == FactInfo::Arg::currency ? cat(fi.name, "(\"USD\")")
                                                              : cat(fi.name, "(\"vip\")");
    if (tok_.kind != Token::Kind::lparen) {
      fail_here(cat(fi.name, " takes ", what, ": ", example));
      return false;
    }
    advance();
    const Token arg = tok_;
    if (days) {
      if (arg.kind != Token::Kind::integer) {
        fail_here(cat(fi.name, " takes ", what, " (an integer), e.g. ", example, "; found ", describe(arg)));
        return false;
      }
      if (arg.integer < 0 || arg.integer > kMaxDays) {
        fail("segment.rule_value", arg.begin,
             cat(fi.name, "(", arg.integer, "): days must be between 0 and ", kMaxDays));
        return false;
      }
      ref.days = arg.integer;
    } else {
      if (arg.kind != Token::Kind::string) {
        fail_here(cat(fi.name, " takes ", what, " (a string), e.g. ", example, "; found ", describe(arg)));
        return false;
      }
      if (fi.arg == FactInfo::Arg::currency) {
        std::string code = ascii_upper(arg.string);
        bool alpha3 = code.size() == 3;
        for (char c : code) alpha3 &= c >= 'A' && c <= 'Z';
        if (!alpha3) {
          fail("segment.rule_value", arg.begin,
               cat(fi.name, ": currency ", quoted(arg.string), " is not an ISO 4217 code (three letters)"));
          return false;
        }
        ref.argument = code;
      } else {
        ref.argument = arg.string;
      }
    }
    advance();
    if (tok_.kind != Token::Kind::rparen) {
      fail_here(cat("expected ')' after the argument of ", fi.name, ", found ", describe(tok_)));
      return false;
    }
    last_end_ = tok_.end;
    advance();
    return true;
  }

  size_t column(size_t offset) const { return column_of(text_, offset); }

  std::string_view text_;
  Lexer lexer_;
  Token tok_;
  size_t last_end_ = 0;
  int depth_ = 0;  // the `not`s and `(`s enclosing the current token
  bool failed_ = false;
  ParseFailure failure_;
};

// ---------------------------------------------------------------------------------------------------
// Evaluation.

bool in_window(absl::Time t, int64_t days, absl::Time now) {
  return t > now - absl::Hours(24 * days) && t <= now;
}

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out))
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  return out;
}

bool compare(const RuleValue& a, CompareOp op, const RuleValue& b) {
  int c = 0;
  switch (a.type) {
    case RuleType::boolean:
      c = static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
      break;
    case RuleType::integer:
      c = a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
      break;
    case RuleType::string:
      c = a.text.compare(b.text);
      c = c < 0 ? -1 : c > 0 ? 1 : 0;
      break;
  }
  switch (op) {
    case CompareOp::eq:
      return c == 0;
    case CompareOp::ne:
      return c != 0;
    case CompareOp::lt:
      return c < 0;
    case CompareOp::le:
      return c <= 0;
    case CompareOp::gt:
      return c > 0;
    case CompareOp::ge:
      return c >= 0;
  }
  return false;
}

bool eval_node(const RuleNode& n, const CustomerFacts& f, absl::Time now) {
  switch (n.kind) {
    case RuleNode::Kind::all_of:
      return std::all_of(n.operands.begin(), n.operands.end(),
                         [&](const RuleNode& o) { return eval_node(o, f, now); });
    case RuleNode::Kind::any_of:
      return std::any_of(n.operands.begin(), n.operands.end(),
                         [&](const RuleNode& o) { return eval_node(o, f, now); });
    case RuleNode::Kind::negation:
      return !eval_node(n.operands[0], f, now);
    case RuleNode::Kind::comparison:
      return compare(fact_value(n.fact, f, now), n.op, n.value);
    case RuleNode::Kind::test:
      return fact_value(n.fact, f, now).boolean;
  }
  return false;
}

boost::json::value json_of(const RuleValue& v) {
  switch (v.type) {
    case RuleType::boolean:
      return v.boolean;
    case RuleType::integer:
      return v.integer;
    case RuleType::string:
      return boost::json::string(v.text);
  }
  return nullptr;
}

boost::json::object explain_node(const RuleNode& n, std::string_view text, const CustomerFacts& f,
                                 absl::Time now) {
  boost::json::object out;
  out["clause"] = text.substr(n.begin, n.end - n.begin);
  switch (n.kind) {
    case RuleNode::Kind::comparison:
    case RuleNode::Kind::test: {
      RuleValue actual = fact_value(n.fact, f, now);
      out["result"] = n.kind == RuleNode::Kind::test ? actual.boolean : compare(actual, n.op, n.value);
      out["fact"] = fact_text(n.fact);
      out["actual"] = json_of(actual);
      return out;
    }
    case RuleNode::Kind::negation: {
      bool r = !eval_node(n.operands[0], f, now);
      out["result"] = r;
      out["op"] = "not";
      out["decided_by"] = boost::json::array{explain_node(n.operands[0], text, f, now)};
      return out;
    }
    case RuleNode::Kind::all_of:
    case RuleNode::Kind::any_of: {
      const bool is_and = n.kind == RuleNode::Kind::all_of;
      bool r = eval_node(n, f, now);
      out["result"] = r;
      out["op"] = is_and ? "and" : "or";
      // The operands whose value equals the result decided it (and: all true or the false ones; or: the
      // true ones or all false).
      boost::json::array decided;
      for (const auto& o : n.operands) {
        if (eval_node(o, f, now) == r) decided.push_back(explain_node(o, text, f, now));
      }
      out["decided_by"] = std::move(decided);
      return out;
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(RuleFact f) { return info(f).name; }

std::string_view to_string(CompareOp op) {
  switch (op) {
    case CompareOp::eq:
      return "=";
    case CompareOp::ne:
      return "!=";
    case CompareOp::lt:
      return "<";
    case CompareOp::le:
      return "<=";
    case CompareOp::gt:
      return ">";
    case CompareOp::ge:
      return ">=";
  }
  return "";
}

std::string fact_text(const FactRef& fact) {
  const FactInfo& fi = info(fact.fact);
  switch (fi.arg) {
    case FactInfo::Arg::none:
      return std::string(fi.name);
    case FactInfo::Arg::days:
      return cat(fi.name, "(", fact.days, ")");
    case FactInfo::Arg::currency:
    case FactInfo::Arg::tag: {
      std::string escaped;
      for (char c : fact.argument) {
        if (c == '"' || c == '\\') escaped.push_back('\\');
        escaped.push_back(c);
      }
      return cat(fi.name, "(\"", escaped, "\")");
    }
  }
  return "";
}

absl::StatusOr<SegmentRule> parse_segment_rule(std::string_view text) {
  Parser parser(text);
  auto root = parser.parse();
  if (!root) {
    const auto& f = parser.failure();
    return field_error(ErrorCode::validation_failed, "rule", f.rule_id,
                       cat("rule ", quoted(text), ": column ", column_of(text, f.offset), " (offset ",
                           f.offset, "): ", f.message));
  }
  return SegmentRule{std::string(text), std::move(*root)};
}

const Address* primary_address(const CustomerAggregate& agg) {
  if (agg.customer.default_billing_address_id) {
    if (const Address* a = agg.find_address(*agg.customer.default_billing_address_id)) return a;
  }
  if (agg.customer.default_shipping_address_id) {
    if (const Address* a = agg.find_address(*agg.customer.default_shipping_address_id)) return a;
  }
  return nullptr;
}

CustomerFacts customer_facts(const CustomerAggregate& agg, const std::vector<Order>& orders) {
  const Customer& c = agg.customer;
  CustomerFacts f;
  f.id = c.id;
  f.status = c.status;
  f.customer_type_id = c.customer_type_id;
  if (c.company_id) f.company = c.company_id->str();
  if (const Address* a = primary_address(agg)) {
    f.region = a->region;
    f.state = a->state.value_or("");
  }
  f.subscribed = c.newsletter.subscribed;
  f.tags = c.tags;
  f.created_at = c.created_at;
  f.erased = c.erased;
  f.orders.reserve(orders.size());
  for (const auto& o : orders) f.orders.push_back({o.placed_at, o.status, o.total});
  return f;
}

RuleValue fact_value(const FactRef& fact, const CustomerFacts& f, absl::Time now) {
  RuleValue v;
  v.type = info(fact.fact).type;
  switch (fact.fact) {
    case RuleFact::status:
      v.text = std::string(to_string(f.status));
      break;
    case RuleFact::customer_type_id:
      v.integer = f.customer_type_id;
      break;
    case RuleFact::company:
      v.text = f.company;
      break;
    case RuleFact::region:
      v.text = f.region;
      break;
    case RuleFact::state:
      v.text = f.state;
      break;
    case RuleFact::subscribed:
      v.boolean = f.subscribed;
      break;
    case RuleFact::has_tag:
      v.boolean = std::find(f.tags.begin(), f.tags.end(), fact.argument) != f.tags.end();
      break;
    case RuleFact::created_in_last:
      v.boolean = in_window(f.created_at, fact.days, now);
      break;
    case RuleFact::order_count:
      v.integer = static_cast<int64_t>(f.orders.size());
      break;
    case RuleFact::orders_in_last:
      for (const auto& o : f.orders)
        if (counts_towards_lifetime_value(o.status) && in_window(o.placed_at, fact.days, now)) ++v.integer;
      break;
    case RuleFact::lifetime_value:
      for (const auto& o : f.orders)
        if (counts_towards_lifetime_value(o.status) && o.total.currency == fact.argument)
          v.integer = saturating_add(v.integer, o.total.amount);
      break;
  }
  return v;
}

bool evaluate(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now) {
  return eval_node(rule.root, facts, now);
}

boost::json::value explain(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now) {
  return explain_node(rule.root, rule.text, facts, now);
}

}  // namespace leadcustomers
