// Consumer of LeadCustomers::core: a command and a typed read through the installed C++ headers.
#include <iostream>

#include "boost/json.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

int main() {
  leadcustomers::MemoryStore store;
  leadcustomers::Engine engine(store);
  auto r = engine.execute(
      boost::json::parse(R"({"op":"customer.create","customer_type_id":1,)"
                         R"("first_name":"Ana","last_name":"Example","email":"ana@example.com"})")
          .as_object());
  if (!r.ok()) {
    std::cerr << r.status << "\n";
    return 1;
  }
  auto found = engine.get_customer_by_email("ANA@example.com");
  if (!found.ok()) return 1;
  std::cout << "C++ consumer: found " << found->customer.first_name << "\n";
  return 0;
}
