/* Quick-start: LeadCustomers from C through libleadcustomers_c.
 *
 *   cc -std=c11 main.c $(pkg-config --cflags --libs leadcustomers) -o quickstart && ./quickstart
 *
 * Opens an in-memory store, creates a customer, reads it back by e-mail, and shows how a refused command
 * reports every violation. Every handle the library returns is freed with its own lc_*_free. */
#include <stdio.h>
#include <string.h>

#include "leadcustomers.h"

/* Prints an error's code, message and violations, then frees it. */
static void report(lc_status status, lc_error* err) {
  size_t i;
  printf("%s: %s\n", lc_status_name(status), lc_error_message(err, NULL));
  for (i = 0; i < lc_error_violation_count(err); ++i) {
    printf("  %s  %s  %s\n", lc_error_violation_field(err, i, NULL), lc_error_violation_rule(err, i, NULL),
           lc_error_violation_message(err, i, NULL));
  }
  lc_error_free(err);
}

int main(void) {
  lc_store* store = NULL;
  lc_result* res = NULL;
  lc_error* err = NULL;
  lc_status st;
  const char create[] =
      "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Ana\",\"last_name\":\"Example\","
      "\"email\":\"ana.example@example.com\"}";
  const char bad[] =
      "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Bo\",\"last_name\":\"Example\","
      "\"email\":\"bo.example.com\"}";
  const char email[] = "ANA.EXAMPLE@example.com";

  printf("libleadcustomers_c %s\n", lc_version_string());
  st = lc_store_open_memory(NULL, &store, &err);
  if (st != LC_OK) {
    report(st, err);
    return 1;
  }

  st = lc_execute(store, create, sizeof create - 1, NULL, &err);
  if (st != LC_OK) {
    report(st, err);
    lc_store_close(store);
    return 1;
  }

  st = lc_customer_get_by_email(store, email, strlen(email), &res, &err);
  if (st != LC_OK) {
    report(st, err);
    lc_store_close(store);
    return 1;
  }
  printf("found: %s\n", lc_result_json(res, NULL)); /* borrowed from res */
  lc_result_free(res);

  st = lc_execute(store, bad, sizeof bad - 1, NULL, &err);
  if (st != LC_VALIDATION_FAILED) {
    printf("expected VALIDATION_FAILED, got %s\n", lc_status_name(st));
    lc_error_free(err);
    lc_store_close(store);
    return 1;
  }
  report(st, err); /* VALIDATION_FAILED: ... email  email.missing_at  ... */

  lc_store_close(store);
  return 0;
}
