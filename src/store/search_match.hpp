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

 private:
  std::string folded_;
  std::string digits_;
  std::string lower_;
};

}  // namespace leadcustomers
