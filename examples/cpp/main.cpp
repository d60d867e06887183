// Quick-start: LeadCustomers from C++ (LeadCustomers::core).
//
//   find_package(LeadCustomers CONFIG REQUIRED)
//   target_link_libraries(app PRIVATE LeadCustomers::core)
//
// Opens an in-memory store, applies a command, reads the customer back with the typed getter, and shows
// a refused command with every violation.
#include <iostream>

#include "boost/json.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace lc = leadcustomers;

int main() {
  lc::MemoryStore store;
  lc::Engine engine(store);

  lc::Result created = engine.execute(boost::json::parse(R"({"op":"customer.create","customer_type_id":1,
      "first_name":"Ana","last_name":"Example","email":"ana.example@example.com"})")
                                          .as_object());
  if (!created.ok()) {
    std::cerr << created.status << "\n";
    return 1;
  }

  auto found = engine.get_customer_by_email("ANA.EXAMPLE@example.com");
  if (!found.ok()) {
    std::cerr << found.status() << "\n";
    return 1;
  }
  std::cout << "found: " << boost::json::serialize(lc::customer_document(*found)) << "\n";

  // The JSON-text form, as the CLI and the C ABI take it: one result envelope per command.
  std::cout << engine.execute_json(
                   R"({"op":"customer.create","customer_type_id":1,"first_name":"Bo","last_name":"Example",)"
                   R"("email":"bo.example.com"})")
            << "\n";

  lc::Result refused = engine.execute(boost::json::parse(R"({"op":"customer.create","customer_type_id":1,
      "first_name":"Bo","last_name":"Example","email":"bo.example.com"})")
                                          .as_object());
  if (lc::error_code_of(refused.status) != lc::ErrorCode::validation_failed) return 1;
  for (const auto& v : lc::violations_of(refused.status)) {
    std::cout << "  " << v.field << "  " << v.rule << "  " << v.message << "\n";
  }
  return 0;
}
