// Text matching of `customer.search` shared by the stores that evaluate it in C++: a folded prefix of the
// first name, last name, full name, e-mail, company name, or the digits of a phone.
#pragma once

#include <string>
#include <string_view>

#include "leadcustomers/customer.hpp"

namespace leadcustomers {

class SearchMatcher {
 public:
  explicit SearchMatcher(std::string_view text);
  [[nodiscard]] bool empty() const { return folded_.empty(); }
  [[nodiscard]] bool matches(const CustomerAggregate& agg, std::string_view company_name) const;
  // The keys matches() compares, for stores that evaluate the search in SQL: the folded text (names and
  // company), the lower-cased text (e-mail key prefix; "" = no e-mail match) and the phone digits
  // (a substring of a phone's E.164 digits; "" = no phone match).
  [[nodiscard]] const std::string& folded() const { return folded_; }
  [[nodiscard]] const std::string& lower() const { return lower_; }
  [[nodiscard]] const std::string& digits() const { return digits_; }
  // The ASCII digits of `s`, in order.
  [[nodiscard]] static std::string digits_of(std::string_view s);

 private:
  std::string folded_;
  std::string digits_;
  std::string lower_;
};

// fold_for_match(first + " " + last) from fold_for_match(first) and fold_for_match(last): the fold maps code
// point by code point (marks are stripped, so nothing composes across the space) and collapses white space,
// so the fold of the joined name is the two folds joined by one space (either may be empty). Saves a third
// utf8proc pass per saved customer; a test checks the identity on awkward names.
[[nodiscard]] std::string full_name_fold(std::string_view first_fold, std::string_view last_fold);

}  // namespace leadcustomers
