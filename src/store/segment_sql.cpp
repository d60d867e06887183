#include "store/segment_sql.hpp"

#include <algorithm>
#include <cstring>

#include "detail/strings.hpp"
#include "leadcustomers/ids.hpp"

namespace leadcustomers::detail {
namespace {

// The primary address (segment_rule.hpp primary_address): default billing, else default shipping.
constexpr const char* kPrimaryAddress =
    "FROM addresses a WHERE a.customer_id = c.id AND a.id = coalesce(c.default_billing_address_id, "
    "c.default_shipping_address_id)";

// A rough cost of evaluating a node per customer row: a column, a JSON scan, the primary address look-up, an
// order subquery. Operands of and/or are emitted cheapest first (SQLite evaluates them left to right and
// stops early); the order changes no result, since no fact has side effects.
int cost(const RuleNode& n) {
  switch (n.kind) {
    case RuleNode::Kind::all_of:
    case RuleNode::Kind::any_of:
    case RuleNode::Kind::negation: {
      int sum = 0;
      for (const auto& o : n.operands) sum += cost(o);
      return sum;
    }
    case RuleNode::Kind::comparison:
    case RuleNode::Kind::test:
      switch (n.fact.fact) {
        case RuleFact::has_tag:
          return 2;
        case RuleFact::region:
        case RuleFact::state:
          return 3;
        case RuleFact::order_count:
        case RuleFact::orders_in_last:
        case RuleFact::lifetime_value:
          return 10;
        default:
          return 1;
      }
  }
  return 1;
}

class Compiler {
 public:
  explicit Compiler(absl::Time now) : now_(now) {
    // The counted statuses, from the one definition in the core.
    for (auto s : {OrderStatus::pending, OrderStatus::processing, OrderStatus::shipped,
                   OrderStatus::completed, OrderStatus::cancelled, OrderStatus::refunded}) {
      if (!counts_towards_lifetime_value(s)) continue;
      append(counted_, counted_.empty() ? "" : ", ", "'", to_string(s), "'");
    }
  }

  void node(const RuleNode& n) {
    switch (n.kind) {
      case RuleNode::Kind::all_of:
      case RuleNode::Kind::any_of: {
        // Same-operator chains nested by parentheses are one chain (a and (b and c) is a and b and c), so
        // the SQL nests only where the rule alternates and/or.
        std::vector<const RuleNode*> order;
        flatten(n, n.kind, order);
        std::stable_sort(order.begin(), order.end(),
                         [](const RuleNode* a, const RuleNode* b) { return cost(*a) < cost(*b); });
        out_.where += "(";
        for (size_t i = 0; i < order.size(); ++i) {
          if (i) out_.where += n.kind == RuleNode::Kind::all_of ? " AND " : " OR ";
          node(*order[i]);
        }
        out_.where += ")";
        return;
      }
      case RuleNode::Kind::negation: {
        // not not x is x: only an odd number of negations in a row leaves one NOT.
        const RuleNode* inner = &n.operands[0];
        bool negate = true;
        while (inner->kind == RuleNode::Kind::negation) {
          inner = &inner->operands[0];
          negate = !negate;
        }
        if (!negate) {
          node(*inner);
          return;
        }
        out_.where += "(NOT ";
        node(*inner);
        out_.where += ")";
        return;
      }
      case RuleNode::Kind::test:
        out_.where += "(";
        fact(n.fact);
        out_.where += ")";
        return;
      case RuleNode::Kind::comparison:
        comparison(n);
        return;
    }
  }

  SegmentSql take() { return std::move(out_); }

 private:
  // The operands of the `kind` chain `n`, with those of nested chains of the same kind in their place.
  static void flatten(const RuleNode& n, RuleNode::Kind kind, std::vector<const RuleNode*>& out) {
    for (const auto& o : n.operands) {
      if (o.kind == kind) {
        flatten(o, kind, out);
      } else {
        out.push_back(&o);
      }
    }
  }

  void param_int(int64_t v) {
    out_.where += "?";
    out_.params.push_back({SqlParam::Kind::integer, v, {}});
  }
  void param_text(std::string v) {
    out_.where += "?";
    out_.params.push_back({SqlParam::Kind::text, 0, std::move(v)});
  }

  // The window (now - days, now] of `column`.
  void window(std::string_view column, int64_t days) {
    append(out_.where, column, " > ");
    param_int(absl::ToUnixMicros(now_ - absl::Hours(24 * days)));
    append(out_.where, " AND ", column, " <= ");
    param_int(absl::ToUnixMicros(now_));
  }

  // The SQL value of a fact: never NULL (booleans are 0/1).
  void fact(const FactRef& f) {
    switch (f.fact) {
      case RuleFact::status:
        out_.where += "c.status";
        return;
      case RuleFact::customer_type_id:
        out_.where += "c.customer_type_id";
        return;
      case RuleFact::company:
        // Only compared (comparison() handles it through IS); as a value: the id's blob.
        out_.where += "c.company_id";
        return;
      case RuleFact::region:
        append(out_.where, "coalesce((SELECT a.region ", kPrimaryAddress, "), '')");
        return;
      case RuleFact::state:
        append(out_.where, "coalesce((SELECT a.state ", kPrimaryAddress, "), '')");
        return;
      case RuleFact::subscribed:
        out_.where += "(c.newsletter_subscribed <> 0)";
        return;
      case RuleFact::has_tag:
        out_.where += "EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value = ";
        param_text(f.argument);
        out_.where += ")";
        return;
      case RuleFact::created_in_last:
        out_.where += "(";
        window("c.created_at", f.days);
        out_.where += ")";
        return;
      case RuleFact::order_count:
        out_.where += "(SELECT count(*) FROM orders o WHERE o.customer_id = c.id)";
        return;
      case RuleFact::orders_in_last:
        append(out_.where, "(SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.status IN (",
               counted_, ") AND ");
        window("o.placed_at", f.days);
        out_.where += ")";
        return;
      case RuleFact::lifetime_value:
        append(out_.where,
               "(SELECT coalesce(sum(o.total_amount), 0) FROM orders o WHERE o.customer_id = c.id",
               " AND o.status IN (", counted_, ") AND o.total_currency = ");
        param_text(f.argument);
        out_.where += ")";
        return;
    }
  }

  void comparison(const RuleNode& n) {
    if (n.fact.fact == RuleFact::company) {
      // NULL-safe: "" means no company.
      out_.where += n.op == CompareOp::eq ? "(c.company_id IS " : "(c.company_id IS NOT ";
      auto id = CompanyId::parse(n.value.text);
      if (id) {
        out_.where += "?";
        out_.params.push_back(
            {SqlParam::Kind::blob, 0, std::string(reinterpret_cast<const char*>(id->uuid().data), 16)});
      } else {
        out_.where += "NULL";
      }
      out_.where += ")";
      return;
    }
    out_.where += "(";
    fact(n.fact);
    append(out_.where, " ", to_string(n.op) == std::string_view("!=") ? "<>" : to_string(n.op), " ");
    switch (n.value.type) {
      case RuleType::boolean:
        param_int(n.value.boolean ? 1 : 0);
        break;
      case RuleType::integer:
        param_int(n.value.integer);
        break;
      case RuleType::string:
        param_text(n.value.text);
        break;
    }
    out_.where += ")";
  }

  absl::Time now_;
  std::string counted_;
  SegmentSql out_;
};

}  // namespace

SegmentSql compile_segment_sql(const SegmentRule& rule, absl::Time now) {
  Compiler c(now);
  c.node(rule.root);
  return c.take();
}

}  // namespace leadcustomers::detail
