/* Consumer of LeadCustomers::capi: the C ABI through the installed header and shared library. */
#include <stdio.h>
#include <string.h>

#include "leadcustomers.h"

int main(void) {
  lc_store* store = NULL;
  lc_result* res = NULL;
  const char cmd[] =
      "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Ana\",\"last_name\":\"Example\","
      "\"email\":\"ana@example.com\"}";
  int32_t major = -1;
  lc_version(&major, NULL, NULL);
  if (major != LC_VERSION_MAJOR) return 1;
  if (lc_store_open_memory(NULL, &store, NULL) != LC_OK) return 1;
  if (lc_execute(store, cmd, sizeof cmd - 1, NULL, NULL) != LC_OK) return 1;
  if (lc_customer_get_by_email(store, "ANA@example.com", 15, &res, NULL) != LC_OK) return 1;
  printf("C consumer (%s): %s\n", lc_version_string(), lc_result_json(res, NULL));
  lc_result_free(res);
  lc_store_close(store);
  return 0;
}
