/* Functional tests of the C ABI, written in C11 against leadcustomers.h only. Each test states one
 * behaviour in its name; the program prints one line per failed check and exits non-zero if any failed.
 * Run under the dev preset (ASan/LSan), it also proves that every handle is freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadcustomers.h"

static int failures = 0;
static const char* current = "";

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      ++failures;                                                          \
      printf("FAIL %s (%s:%d): %s\n", current, __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define CHECK_STR(actual, expected)                                                                    \
  do {                                                                                                 \
    const char* a_ = (actual);                                                                         \
    const char* e_ = (expected);                                                                       \
    if (a_ == NULL || strcmp(a_, e_) != 0) {                                                           \
      ++failures;                                                                                      \
      printf("FAIL %s (%s:%d): %s is \"%s\", expected \"%s\"\n", current, __FILE__, __LINE__, #actual, \
             a_ ? a_ : "(null)", e_);                                                                  \
    }                                                                                                  \
  } while (0)

#define TEST(name) static void name(void)
#define RUN(name)    \
  do {               \
    current = #name; \
    name();          \
  } while (0)

/* Executes a NUL-terminated command. */
static lc_status exec(lc_store* store, const char* cmd, lc_result** out, lc_error** err) {
  return lc_execute(store, cmd, strlen(cmd), out, err);
}

static lc_store* open_memory(void) {
  lc_store* store = NULL;
  lc_status st = lc_store_open_memory(NULL, &store, NULL);
  if (st != LC_OK || store == NULL) {
    printf("cannot open a memory store: %s\n", lc_status_name(st));
    exit(2);
  }
  return store;
}

static const char kCreateAna[] =
    "{\"op\":\"customer.create\",\"id\":\"018f0000-0000-7000-8000-000000000001\",\"customer_type_id\":1,"
    "\"first_name\":\"Ana\",\"last_name\":\"Example\",\"email\":\"ana.example@example.com\"}";

/* True when the error has a violation on `field` (whatever its rule: for rules owned by the region catalog,
 * which is built separately). */
static int has_violation_on(const lc_error* err, const char* field) {
  size_t i;
  for (i = 0; i < lc_error_violation_count(err); ++i) {
    if (strcmp(lc_error_violation_field(err, i, NULL), field) == 0) return 1;
  }
  return 0;
}

/* True when the violation list of `err` has one on `field` with rule `rule`. */
static int has_violation(const lc_error* err, const char* field, const char* rule) {
  size_t i;
  for (i = 0; i < lc_error_violation_count(err); ++i) {
    if (strcmp(lc_error_violation_field(err, i, NULL), field) == 0 &&
        strcmp(lc_error_violation_rule(err, i, NULL), rule) == 0) {
      return 1;
    }
  }
  return 0;
}

/* ---- version and status names ---- */

TEST(version_string_matches_header_macros) {
  char expected[32];
  int32_t major = -1, minor = -1, patch = -1;
  snprintf(expected, sizeof expected, "%d.%d.%d", LC_VERSION_MAJOR, LC_VERSION_MINOR, LC_VERSION_PATCH);
  CHECK_STR(lc_version_string(), expected);
  lc_version(&major, &minor, &patch);
  CHECK(major == LC_VERSION_MAJOR && minor == LC_VERSION_MINOR && patch == LC_VERSION_PATCH);
  lc_version(NULL, NULL, NULL); /* every pointer may be NULL */
}

TEST(status_names_are_the_spec_spellings) {
  CHECK_STR(lc_status_name(LC_OK), "OK");
  CHECK_STR(lc_status_name(LC_INVALID_ARGUMENT), "INVALID_ARGUMENT");
  CHECK_STR(lc_status_name(LC_VALIDATION_FAILED), "VALIDATION_FAILED");
  CHECK_STR(lc_status_name(LC_NOT_FOUND), "NOT_FOUND");
  CHECK_STR(lc_status_name(LC_ALREADY_EXISTS), "ALREADY_EXISTS");
  CHECK_STR(lc_status_name(LC_CONFLICT), "CONFLICT");
  CHECK_STR(lc_status_name(LC_FAILED_PRECONDITION), "FAILED_PRECONDITION");
  CHECK_STR(lc_status_name(LC_PERMISSION_DENIED), "PERMISSION_DENIED");
  CHECK_STR(lc_status_name(LC_UNAUTHENTICATED), "UNAUTHENTICATED");
  CHECK_STR(lc_status_name(LC_RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED");
  CHECK_STR(lc_status_name(LC_INTERNAL), "INTERNAL");
  CHECK_STR(lc_status_name(LC_UNIMPLEMENTED), "UNIMPLEMENTED");
  CHECK_STR(lc_status_name(LC_CANCELLED), "CANCELLED");
  CHECK_STR(lc_status_name(LC_UNAVAILABLE), "UNAVAILABLE");
  CHECK_STR(lc_status_name(LC_DATA_LOSS), "DATA_LOSS");
}

TEST(unknown_status_is_named_unknown) {
  CHECK_STR(lc_status_name(-1), "UNKNOWN");
  CHECK_STR(lc_status_name(9999), "UNKNOWN");
}

/* ---- NULL handles and arguments ---- */

TEST(accessors_of_null_handles_return_empty_strings) {
  size_t len = 99;
  CHECK_STR(lc_error_message(NULL, &len), "");
  CHECK(len == 0);
  CHECK(lc_error_code(NULL) == LC_OK);
  CHECK(lc_error_violation_count(NULL) == 0);
  CHECK_STR(lc_error_violation_field(NULL, 0, NULL), "");
  CHECK_STR(lc_error_violation_rule(NULL, 0, NULL), "");
  CHECK_STR(lc_error_violation_message(NULL, 0, NULL), "");
  CHECK_STR(lc_result_json(NULL, &len), "");
  CHECK(lc_result_warning_count(NULL) == 0);
  CHECK_STR(lc_result_warning_field(NULL, 3, NULL), "");
  CHECK_STR(lc_result_warning_rule(NULL, 3, NULL), "");
  CHECK_STR(lc_result_warning_message(NULL, 3, NULL), "");
}

TEST(free_and_close_accept_null) {
  lc_error_free(NULL);
  lc_result_free(NULL);
  lc_options_free(NULL);
  lc_store_close(NULL);
  CHECK(1);
}

TEST(execute_on_null_store_is_invalid_argument_naming_store) {
  lc_result* res = (lc_result*)&res; /* garbage in: must be overwritten with NULL */
  lc_error* err = NULL;
  CHECK(exec(NULL, kCreateAna, &res, &err) == LC_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK(lc_error_code(err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "store", "capi.null_argument"));
  lc_error_free(err);
}

TEST(every_entry_point_survives_null_handles) {
  lc_error* err = NULL;
  CHECK(lc_customer_get(NULL, "x", 1, NULL, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(lc_customer_get_by_email(NULL, "x", 1, NULL, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(lc_store_open_memory(NULL, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "out", "capi.null_argument"));
  lc_error_free(err);
  CHECK(lc_store_open_sqlite(NULL, 0, NULL, NULL, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(lc_options_new(NULL, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(lc_options_set_int(NULL, LC_OPTION_MAX_ADDRESSES, 5, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "options", "capi.null_argument"));
  lc_error_free(err);
  CHECK(lc_options_set_string(NULL, LC_OPTION_DEFAULT_REGION, "DE", 2, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(!lc_store_supports(NULL, "customer.get", 12));
  CHECK(lc_validate_customer(NULL, NULL, 5, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "document", "capi.null_argument"));
  lc_error_free(err);
  CHECK(lc_region_resolve_state(NULL, 3, "CA", 2, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "region", "capi.null_argument"));
  lc_error_free(err);
}

TEST(null_error_out_parameter_still_returns_the_status) {
  lc_store* store = open_memory();
  CHECK(exec(store, "{\"op\":\"nope\"}", NULL, NULL) == LC_INVALID_ARGUMENT);
  lc_store_close(store);
}

TEST(null_command_with_length_is_invalid_argument) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(lc_execute(store, NULL, 10, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "command", "capi.null_argument"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(null_command_with_zero_length_is_the_empty_string) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(lc_execute(store, NULL, 0, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "", "command.bad_json"));
  lc_error_free(err);
  lc_store_close(store);
}

/* ---- bad bytes and oversized input ---- */

TEST(non_utf8_command_is_refused_unparsed) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  const char cmd[] = "{\"op\":\"customer.get\",\"email\":\"\xff\xfe@example.com\"}";
  CHECK(lc_execute(store, cmd, sizeof cmd - 1, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "command", "capi.invalid_utf8"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(non_utf8_email_is_refused) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(lc_customer_get_by_email(store, "\xc3\x28", 2, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "email", "capi.invalid_utf8"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(length_beyond_the_limit_is_refused_before_reading) {
  /* The buffer is 2 bytes; the claimed length is SIZE_MAX. Reading it would crash. */
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(lc_execute(store, "{}", SIZE_MAX, NULL, &err) == LC_RESOURCE_EXHAUSTED);
  CHECK(has_violation(err, "command", "capi.too_large"));
  lc_error_free(err);
  CHECK(lc_customer_get_by_email(store, "a@b.c", SIZE_MAX, NULL, &err) == LC_RESOURCE_EXHAUSTED);
  CHECK(has_violation(err, "email", "capi.too_large"));
  lc_error_free(err);
  CHECK(lc_validate_address(NULL, "{}", SIZE_MAX / 2, NULL, &err) == LC_RESOURCE_EXHAUSTED);
  lc_error_free(err);
  lc_store_close(store);
}

TEST(max_input_bytes_option_limits_commands) {
  lc_options* opts = NULL;
  lc_store* store = NULL;
  lc_error* err = NULL;
  const char cmd[] = "{\"op\":\"customer.get\",\"email\":\"a@example.com\"}";
  CHECK(lc_options_new(&opts, NULL) == LC_OK);
  CHECK(lc_options_set_int(opts, LC_OPTION_MAX_INPUT_BYTES, 16, NULL) == LC_OK);
  CHECK(lc_store_open_memory(opts, &store, NULL) == LC_OK);
  lc_options_free(opts); /* copied at open */
  CHECK(lc_execute(store, cmd, sizeof cmd - 1, NULL, &err) == LC_RESOURCE_EXHAUSTED);
  CHECK(has_violation(err, "command", "capi.too_large"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(deeply_nested_json_is_refused_not_a_crash) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  size_t depth = 100000, i;
  char* cmd = (char*)malloc(depth * 2 + 1);
  for (i = 0; i < depth; ++i) cmd[i] = '[';
  for (i = 0; i < depth; ++i) cmd[depth + i] = ']';
  cmd[depth * 2] = '\0';
  CHECK(lc_execute(store, cmd, depth * 2, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "", "command.bad_json"));
  lc_error_free(err);
  free(cmd);
  lc_store_close(store);
}

/* ---- commands and queries ---- */

TEST(create_then_get_by_email_returns_the_customer_document) {
  lc_store* store = open_memory();
  lc_result* res = NULL;
  lc_error* err = NULL;
  size_t len = 0;
  const char* json;
  CHECK(exec(store, kCreateAna, &res, &err) == LC_OK);
  CHECK(err == NULL);
  json = lc_result_json(res, &len);
  CHECK(len == strlen(json));
  CHECK(strstr(json, "\"id\":\"018f0000-0000-7000-8000-000000000001\"") != NULL);
  lc_result_free(res);
  CHECK(lc_customer_get_by_email(store, "ANA.EXAMPLE@example.com", 23, &res, &err) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"email\":\"ana.example@example.com\"") != NULL);
  lc_result_free(res);
  lc_store_close(store);
}

TEST(get_by_id_accepts_any_letter_case) {
  lc_store* store = open_memory();
  lc_result* res = NULL;
  const char id[] = "018F0000-0000-7000-8000-000000000001";
  CHECK(exec(store, kCreateAna, NULL, NULL) == LC_OK);
  CHECK(lc_customer_get(store, id, sizeof id - 1, &res, NULL) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"first_name\":\"Ana\"") != NULL);
  lc_result_free(res);
  lc_store_close(store);
}

TEST(get_by_id_of_a_non_uuid_is_invalid_argument_id_invalid) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(lc_customer_get(store, "42", 2, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "customer_id", "id.invalid"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(get_of_a_missing_customer_is_not_found_on_its_field) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  const char id[] = "018f0000-0000-7000-8000-0000000000ff";
  CHECK(lc_customer_get_by_email(store, "nobody@example.com", 18, NULL, &err) == LC_NOT_FOUND);
  CHECK(has_violation(err, "email", "customer.not_found"));
  lc_error_free(err);
  CHECK(lc_customer_get(store, id, sizeof id - 1, NULL, &err) == LC_NOT_FOUND);
  CHECK(has_violation(err, "customer_id", "customer.not_found"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(duplicate_email_in_other_case_is_already_exists_on_email) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(exec(store, kCreateAna, NULL, NULL) == LC_OK);
  CHECK(exec(store,
             "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Ana\",\"last_name\":\"B\","
             "\"email\":\"Ana.Example@Example.COM\"}",
             NULL, &err) == LC_ALREADY_EXISTS);
  CHECK(lc_error_code(err) == LC_ALREADY_EXISTS);
  CHECK(has_violation(err, "email", "email.taken"));
  CHECK(strstr(lc_error_message(err, NULL), "Ana.Example@Example.COM") != NULL ||
        strstr(lc_error_message(err, NULL), "Ana.Example@example.com") != NULL);
  lc_error_free(err);
  lc_store_close(store);
}

TEST(rule_breaking_command_is_validation_failed_with_every_violation) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(exec(store,
             "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"Ana\",\"last_name\":\"B\","
             "\"email\":\"ana.example.com\"}",
             NULL, &err) == LC_VALIDATION_FAILED);
  CHECK(has_violation(err, "email", "email.missing_at"));
  CHECK_STR(lc_error_violation_rule(err, 99, NULL), ""); /* out of range */
  lc_error_free(err);
  lc_store_close(store);
}

TEST(unknown_op_is_invalid_argument_command_unknown_op) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(exec(store, "{\"op\":\"customer.fly\"}", NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "op", "command.unknown_op"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(stale_expected_version_is_conflict) {
  lc_store* store = open_memory();
  lc_error* err = NULL;
  CHECK(exec(store, kCreateAna, NULL, NULL) == LC_OK);
  CHECK(exec(store,
             "{\"op\":\"customer.update\",\"customer_id\":\"018f0000-0000-7000-8000-000000000001\","
             "\"expected_version\":7,\"first_name\":\"Anna\"}",
             NULL, &err) == LC_CONFLICT);
  CHECK(has_violation(err, "expected_version", "version.conflict"));
  lc_error_free(err);
  lc_store_close(store);
}

TEST(supports_names_known_ops_only) {
  lc_store* store = open_memory();
  CHECK(lc_store_supports(store, "customer.create", 15));
  CHECK(!lc_store_supports(store, "customer.fly", 12));
  CHECK(!lc_store_supports(store, "\xff", 1));
  lc_store_close(store);
}

/* ---- options ---- */

TEST(unknown_option_key_is_refused) {
  lc_options* opts = NULL;
  lc_error* err = NULL;
  CHECK(lc_options_new(&opts, &err) == LC_OK && err == NULL);
  CHECK(lc_options_set_int(opts, 999, 1, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "key", "option.unknown"));
  lc_error_free(err);
  lc_options_free(opts);
}

TEST(option_of_the_wrong_type_is_refused) {
  lc_options* opts = NULL;
  lc_error* err = NULL;
  CHECK(lc_options_new(&opts, NULL) == LC_OK);
  CHECK(lc_options_set_int(opts, LC_OPTION_DEFAULT_REGION, 1, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "key", "option.wrong_type"));
  lc_error_free(err);
  CHECK(lc_options_set_string(opts, LC_OPTION_MAX_ADDRESSES, "5", 1, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "key", "option.wrong_type"));
  lc_error_free(err);
  lc_options_free(opts);
}

TEST(option_out_of_range_is_refused) {
  lc_options* opts = NULL;
  lc_error* err = NULL;
  CHECK(lc_options_new(&opts, NULL) == LC_OK);
  CHECK(lc_options_set_int(opts, LC_OPTION_MAX_ADDRESSES, 0, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "value", "option.out_of_range"));
  lc_error_free(err);
  CHECK(lc_options_set_int(opts, LC_OPTION_HASH_COST, 3, &err) == LC_INVALID_ARGUMENT);
  lc_error_free(err);
  CHECK(lc_options_set_string(opts, LC_OPTION_DEFAULT_REGION, "USA", 3, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "value", "option.out_of_range"));
  lc_error_free(err);
  CHECK(lc_options_set_string(opts, LC_OPTION_DEFAULT_REGION, "de", 2, &err) == LC_OK);
  CHECK(lc_options_set_int(opts, LC_OPTION_HASH_COST, LC_HASH_COST_MINIMUM, &err) == LC_OK);
  lc_options_free(opts);
}

TEST(max_addresses_option_reaches_the_engine) {
  lc_options* opts = NULL;
  lc_store* store = NULL;
  lc_error* err = NULL;
  CHECK(lc_options_new(&opts, NULL) == LC_OK);
  CHECK(lc_options_set_int(opts, LC_OPTION_MAX_ADDRESSES, 1, NULL) == LC_OK);
  CHECK(lc_store_open_memory(opts, &store, NULL) == LC_OK);
  lc_options_free(opts);
  CHECK(exec(store,
             "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"A\",\"last_name\":\"B\","
             "\"email\":\"two@example.com\",\"addresses\":["
             "{\"name\":\"A B\",\"region\":\"DE\",\"address1\":\"Hauptstr. "
             "1\",\"city\":\"Berlin\",\"zip\":\"10115\"},"
             "{\"name\":\"A B\",\"region\":\"DE\",\"address1\":\"Hauptstr. "
             "2\",\"city\":\"Berlin\",\"zip\":\"10115\"}]}",
             NULL, &err) == LC_VALIDATION_FAILED);
  CHECK(has_violation(err, "addresses[1]", "address.limit"));
  lc_error_free(err);
  lc_store_close(store);
}

/* ---- stateless validation ---- */

TEST(validate_customer_returns_the_normalized_document_and_stores_nothing) {
  lc_result* res = NULL;
  lc_error* err = NULL;
  const char doc[] =
      "{\"customer_type_id\":7,\"first_name\":\"  Zoe \",\"last_name\":\"Example\","
      "\"email\":\"zoe@example.com\",\"company_id\":\"018f0000-0000-7000-8000-00000000c0de\"}";
  CHECK(lc_validate_customer(NULL, doc, sizeof doc - 1, &res, &err) == LC_OK);
  CHECK(err == NULL);
  CHECK(strstr(lc_result_json(res, NULL), "\"first_name\":\"Zoe\"") != NULL);
  CHECK(strstr(lc_result_json(res, NULL), "\"customer_type_id\":7") != NULL);
  lc_result_free(res);
}

TEST(validate_customer_reports_every_violation) {
  lc_error* err = NULL;
  const char doc[] =
      "{\"customer_type_id\":1,\"first_name\":\"Ana\",\"last_name\":\"B\",\"email\":\"nope\","
      "\"addresses\":[{\"name\":\"Ana B\",\"region\":\"US\",\"address1\":\"1 Main "
      "St\",\"city\":\"Springfield\",\"zip\":\"62701\"}]}";
  CHECK(lc_validate_customer(NULL, doc, sizeof doc - 1, NULL, &err) == LC_VALIDATION_FAILED);
  CHECK(lc_error_violation_count(err) == 2);
  CHECK(has_violation(err, "email", "email.missing_at"));
  CHECK(has_violation_on(err, "addresses[0].state"));
  lc_error_free(err);
}

TEST(validate_customer_refuses_a_document_with_an_op) {
  lc_error* err = NULL;
  const char doc[] = "{\"op\":\"customer.erase\"}";
  CHECK(lc_validate_customer(NULL, doc, sizeof doc - 1, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "op", "command.unknown_field"));
  lc_error_free(err);
}

TEST(validate_address_reports_fields_relative_to_the_address) {
  lc_error* err = NULL;
  const char doc[] =
      "{\"name\":\"Ana B\",\"region\":\"US\",\"address1\":\"1 Main "
      "St\",\"city\":\"Springfield\",\"zip\":\"62701\"}";
  CHECK(lc_validate_address(NULL, doc, sizeof doc - 1, NULL, &err) == LC_VALIDATION_FAILED);
  CHECK(lc_error_violation_count(err) == 1);
  CHECK(has_violation_on(err, "state"));
  CHECK(strstr(lc_error_message(err, NULL), "addresses[0]") == NULL);
  lc_error_free(err);
}

TEST(validate_address_returns_the_normalized_address) {
  lc_result* res = NULL;
  const char doc[] =
      "{\"name\":\"Ana B\",\"region\":\"de\",\"address1\":\"Hauptstr. "
      "1\",\"city\":\"Berlin\",\"zip\":\"10115\"}";
  CHECK(lc_validate_address(NULL, doc, sizeof doc - 1, &res, NULL) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"region\":\"DE\"") != NULL);
  CHECK(strstr(lc_result_json(res, NULL), "\"zip\":\"10115\"") != NULL);
  lc_result_free(res);
}

TEST(validate_address_reports_unknown_fields_without_the_prefix) {
  lc_error* err = NULL;
  const char doc[] =
      "{\"name\":\"Ana "
      "B\",\"region\":\"DE\",\"address1\":\"x\",\"city\":\"Berlin\",\"zip\":\"10115\",\"color\":1}";
  CHECK(lc_validate_address(NULL, doc, sizeof doc - 1, NULL, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "color", "command.unknown_field"));
  lc_error_free(err);
}

/* ---- region catalog ---- */

TEST(resolve_state_gives_the_full_code) {
  lc_result* res = NULL;
  lc_error* err = NULL;
  CHECK(lc_region_resolve_state("us", 2, "CA", 2, &res, &err) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"code\":\"US-CA\"") != NULL);
  lc_result_free(res);
  lc_error_free(err);
}

TEST(country_and_state_lists_are_json) {
  lc_result* res = NULL;
  lc_error* err = NULL;
  lc_status st = lc_region_countries(&res, &err);
  CHECK(st == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL),
               "{\"code\":\"US\",\"alpha3\":\"USA\",\"name\":\"United States\"}") != NULL);
  lc_result_free(res);
  lc_error_free(err);
  st = lc_region_states("DE", 2, &res, &err);
  CHECK(st == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "{\"code\":\"DE-BE\",\"name\":\"Berlin\"}") != NULL);
  lc_result_free(res);
  lc_error_free(err);
  st = lc_region_states("Narnia", 6, &res, &err);
  CHECK(st == LC_VALIDATION_FAILED);
  CHECK(has_violation(err, "region", "region.unknown"));
  lc_result_free(res);
  lc_error_free(err);
}

/* ---- Import ---- */

static const char kImportCsv[] =
    "First Name,Last Name,Email,Default Address Address1,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip\r\n"
    "Ana,Example,ana.example@example.com,12 Example Street,Cambridge,MA,US,\"02138\"\r\n"
    "Ben,Sample,ben.sample@example.org,1 Sample Road,Hoboken,NJ,US,07030\r\n"
    "Cy,Sample,cy.sample@example.org,2 Sample Road,Hoboken,NJ,US,7030\r\n";

struct progress_log {
  int calls;
  int64_t rows, accepted, rejected;
};

static void on_progress(void* user, int64_t rows, int64_t accepted, int64_t rejected, uint64_t bytes) {
  struct progress_log* log = (struct progress_log*)user;
  (void)bytes;
  log->calls++;
  log->rows = rows;
  log->accepted = accepted;
  log->rejected = rejected;
}

TEST(import_buffer_reports_progress_and_the_import_result) {
  lc_store* store = NULL;
  lc_result* res = NULL;
  lc_error* err = NULL;
  struct progress_log log = {0, 0, 0, 0};
  static const char opts[] = "{\"format\":\"shopify\",\"batch_size\":1}";
  CHECK(lc_store_open_memory(NULL, &store, NULL) == LC_OK);
  CHECK(lc_import_buffer(store, kImportCsv, sizeof kImportCsv - 1, opts, sizeof opts - 1, on_progress, &log,
                         &res, &err) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"rows_read\":3") != NULL);
  CHECK(strstr(lc_result_json(res, NULL), "\"accepted\":2") != NULL);
  CHECK(strstr(lc_result_json(res, NULL), "\"rejected\":1") != NULL);
  CHECK(log.calls >= 3 && log.rows == 3 && log.accepted == 2 && log.rejected == 1);
  lc_result_free(res);
  res = NULL;
  CHECK(lc_customer_get_by_email(store, "ben.sample@example.org", 22, &res, NULL) == LC_OK);
  CHECK(strstr(lc_result_json(res, NULL), "\"zip\":\"07030\"") != NULL);
  lc_result_free(res);
  lc_store_close(store);
}

TEST(import_refuses_unknown_options_missing_files_and_null_stores) {
  lc_store* store = NULL;
  lc_error* err = NULL;
  static const char bad[] = "{\"format\":\"shopify\",\"dryrun\":true}";
  static const char good[] = "{\"format\":\"shopify\"}";
  CHECK(lc_store_open_memory(NULL, &store, NULL) == LC_OK);
  CHECK(lc_import_buffer(store, kImportCsv, sizeof kImportCsv - 1, bad, sizeof bad - 1, NULL, NULL, NULL,
                         &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "dryrun", "command.unknown_field"));
  lc_error_free(err);
  err = NULL;
  CHECK(lc_import_file(store, "/nonexistent/x.csv", 18, good, sizeof good - 1, NULL, NULL, NULL, &err) ==
        LC_NOT_FOUND);
  CHECK(has_violation(err, "path", "capi.cannot_read"));
  lc_error_free(err);
  err = NULL;
  CHECK(lc_import_buffer(NULL, kImportCsv, 3, good, sizeof good - 1, NULL, NULL, NULL, &err) ==
        LC_INVALID_ARGUMENT);
  lc_error_free(err);
  lc_store_close(store);
}

/* ---- SQLite ---- */

TEST(sqlite_open_refuses_an_empty_path) {
  lc_store* store = NULL;
  lc_error* err = NULL;
  CHECK(lc_store_open_sqlite("", 0, NULL, &store, &err) == LC_INVALID_ARGUMENT);
  CHECK(has_violation(err, "path", "capi.invalid_path"));
  CHECK(store == NULL);
  lc_error_free(err);
}

TEST(sqlite_store_round_trips) {
  char path[64];
  lc_store* store = NULL;
  lc_error* err = NULL;
  lc_result* res = NULL;
  lc_status st;
  /* A name no other run uses at the same time: the stack address differs per process (ASLR). */
  snprintf(path, sizeof path, "/tmp/lc_capi_c_test_%lx.db", (unsigned long)((uintptr_t)&store >> 4));
  remove(path);
  st = lc_store_open_sqlite(path, strlen(path), NULL, &store, &err);
  CHECK(st == LC_OK);
  lc_error_free(err);
  if (st == LC_OK) {
    CHECK(exec(store, kCreateAna, NULL, NULL) == LC_OK);
    lc_store_close(store);
    CHECK(lc_store_open_sqlite(path, strlen(path), NULL, &store, NULL) == LC_OK);
    CHECK(lc_customer_get_by_email(store, "ana.example@example.com", 23, &res, NULL) == LC_OK);
    lc_result_free(res);
    lc_store_close(store);
  } else {
    CHECK(store == NULL);
  }
  remove(path);
}

int main(void) {
  RUN(version_string_matches_header_macros);
  RUN(status_names_are_the_spec_spellings);
  RUN(unknown_status_is_named_unknown);
  RUN(accessors_of_null_handles_return_empty_strings);
  RUN(free_and_close_accept_null);
  RUN(execute_on_null_store_is_invalid_argument_naming_store);
  RUN(every_entry_point_survives_null_handles);
  RUN(null_error_out_parameter_still_returns_the_status);
  RUN(null_command_with_length_is_invalid_argument);
  RUN(null_command_with_zero_length_is_the_empty_string);
  RUN(non_utf8_command_is_refused_unparsed);
  RUN(non_utf8_email_is_refused);
  RUN(length_beyond_the_limit_is_refused_before_reading);
  RUN(max_input_bytes_option_limits_commands);
  RUN(deeply_nested_json_is_refused_not_a_crash);
  RUN(create_then_get_by_email_returns_the_customer_document);
  RUN(get_by_id_accepts_any_letter_case);
  RUN(get_by_id_of_a_non_uuid_is_invalid_argument_id_invalid);
  RUN(get_of_a_missing_customer_is_not_found_on_its_field);
  RUN(duplicate_email_in_other_case_is_already_exists_on_email);
  RUN(rule_breaking_command_is_validation_failed_with_every_violation);
  RUN(unknown_op_is_invalid_argument_command_unknown_op);
  RUN(stale_expected_version_is_conflict);
  RUN(supports_names_known_ops_only);
  RUN(unknown_option_key_is_refused);
  RUN(option_of_the_wrong_type_is_refused);
  RUN(option_out_of_range_is_refused);
  RUN(max_addresses_option_reaches_the_engine);
  RUN(validate_customer_returns_the_normalized_document_and_stores_nothing);
  RUN(validate_customer_reports_every_violation);
  RUN(validate_customer_refuses_a_document_with_an_op);
  RUN(validate_address_reports_fields_relative_to_the_address);
  RUN(validate_address_returns_the_normalized_address);
  RUN(validate_address_reports_unknown_fields_without_the_prefix);
  RUN(resolve_state_gives_the_full_code);
  RUN(country_and_state_lists_are_json);
  RUN(sqlite_open_refuses_an_empty_path);
  RUN(sqlite_store_round_trips);
  RUN(import_buffer_reports_progress_and_the_import_result);
  RUN(import_refuses_unknown_options_missing_files_and_null_stores);
  if (failures) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C ABI functional checks passed\n");
  return 0;
}
