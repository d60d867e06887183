/*
 * leadcustomers.h: the stable C ABI of LeadCustomers (libleadcustomers_c).
 *
 *   lc_store* store = NULL;
 *   lc_error* err = NULL;
 *   if (lc_store_open_memory(NULL, &store, &err) != LC_OK) { ...; lc_error_free(err); }
 *   const char cmd[] = "{\"op\":\"customer.get\",\"email\":\"ana@example.com\"}";
 *   lc_result* res = NULL;
 *   lc_status st = lc_execute(store, cmd, sizeof cmd - 1, &res, &err);
 *   if (st == LC_OK) {
 *     size_t len = 0;
 *     const char* json = lc_result_json(res, &len);   // borrowed: valid until lc_result_free(res)
 *     ...
 *     lc_result_free(res);
 *   } else {
 *     printf("%s: %s\n", lc_status_name(st), lc_error_message(err, NULL));
 *     for (size_t i = 0; i < lc_error_violation_count(err); ++i)
 *       printf("  %s %s\n", lc_error_violation_field(err, i, NULL), lc_error_violation_rule(err, i, NULL));
 *     lc_error_free(err);
 *   }
 *   lc_store_close(store);
 *
 * Conventions (every declaration below follows them):
 * - Plain C11. Opaque handles only; no struct crosses the boundary by value.
 * - Strings in are (const char* data, size_t len) UTF-8, not necessarily NUL-terminated. (NULL, 0) is the
 *   empty string; NULL with len > 0 is LC_INVALID_ARGUMENT. Invalid UTF-8 is LC_INVALID_ARGUMENT, never
 *   replaced. Input longer than the limit (LC_OPTION_MAX_INPUT_BYTES for documents and commands, 4096
 *   bytes for ids, e-mails, region codes and state names) is LC_RESOURCE_EXHAUSTED and is not read.
 * - Strings out are NUL-terminated UTF-8 owned by the handle they come from (lc_result, lc_error) and
 *   valid until that handle is freed with its own lc_*_free, never with free(). When `len` is not NULL
 *   it receives the length in bytes without the terminator. Accessors never return NULL: a NULL handle
 *   or an index out of range gives "" (length 0).
 * - Every fallible function returns an lc_status. Its last parameter `lc_error** err` may be NULL; when
 *   it is not, *err is set to NULL on success and to a new lc_error on failure (the caller frees it with
 *   lc_error_free; it is NULL only if even the error could not be allocated). Output handles are set to
 *   NULL on failure. There is no thread-local "last error".
 * - Every open/new has a close/free that accepts NULL.
 * - Thread safety: an lc_store may be used by several threads at once (writes are serialized inside);
 *   lc_store_close must not race with another call on the same store. lc_result and lc_error are
 *   immutable: any number of threads may read one, and one thread frees it. An lc_options is used by one
 *   thread at a time. Free functions that take no handle (version, validation, regions) are thread-safe.
 * - ABI: a published signature never changes (a new one gets a _v2 suffix); status values and option
 *   keys are never renumbered; new ones may appear. The shared object's SONAME carries the major version.
 */
#ifndef LEADCUSTOMERS_H
#define LEADCUSTOMERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The one export macro. The library is built with hidden visibility and LC_BUILDING_LIBRARY defined. */
#if defined(_WIN32)
#if defined(LC_BUILDING_LIBRARY)
#define LC_API __declspec(dllexport)
#else
#define LC_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define LC_API __attribute__((visibility("default")))
#else
#define LC_API
#endif

/* C++ callers see that no function throws (the definitions are noexcept). */
#if defined(__cplusplus)
#define LC_NOEXCEPT noexcept
extern "C" {
#else
#define LC_NOEXCEPT
#endif

/* ---- Version -------------------------------------------------------------------------------------- */

/* The version of this header. The library's SONAME is libleadcustomers_c.so.<LC_VERSION_MAJOR>. */
#define LC_VERSION_MAJOR 0
#define LC_VERSION_MINOR 1
#define LC_VERSION_PATCH 0

/* The library's version as "MAJOR.MINOR.PATCH" (static storage; never freed). Bindings compare the major
 * with the one they were written for at load time. */
LC_API const char* lc_version_string(void) LC_NOEXCEPT;

/* The library's version as numbers; any pointer may be NULL. */
LC_API void lc_version(int32_t* major, int32_t* minor, int32_t* patch) LC_NOEXCEPT;

/* ---- Status codes ----------------------------------------------------------------------------------- */

/* The result of every fallible function. Values are pinned: never renumbered; new ones may appear, so a
 * caller's switch needs a default. 1-10 are the codes of SPEC §5 in the same order. */
typedef int32_t lc_status;

enum lc_status_code {
  LC_OK = 0,
  LC_INVALID_ARGUMENT = 1,    /* malformed: bad JSON, unknown op or field, wrong type, NULL, bad UTF-8 */
  LC_VALIDATION_FAILED = 2,   /* well-formed but breaks rules: see the error's violations */
  LC_NOT_FOUND = 3,           /* no such customer, address, ... */
  LC_ALREADY_EXISTS = 4,      /* e-mail or id taken */
  LC_CONFLICT = 5,            /* expected_version differs */
  LC_FAILED_PRECONDITION = 6, /* default address, customer with orders, inactive login */
  LC_PERMISSION_DENIED = 7,   /* the actor may not; locked login */
  LC_UNAUTHENTICATED = 8,     /* wrong password or answer */
  LC_RESOURCE_EXHAUSTED = 9,  /* a limit: input too large, out of memory, too many addresses */
  LC_INTERNAL = 10,           /* a bug or an unexpected failure */
  LC_UNIMPLEMENTED = 11,      /* reserved: an operation this build does not provide */
  LC_CANCELLED = 12,          /* a caller's callback asked to stop */
  LC_UNAVAILABLE = 13,        /* the store is busy or unreachable; retrying may help */
  LC_DATA_LOSS = 14           /* the store's data is damaged */
};

/* The wire name of a status ("OK", "VALIDATION_FAILED", ... as SPEC §5 spells them; "UNKNOWN" for a
 * value this library does not know). Static storage; never freed. */
LC_API const char* lc_status_name(lc_status status) LC_NOEXCEPT;

/* ---- Errors ----------------------------------------------------------------------------------------- */

/* A failure: its status, a message for people, and every violation (field path, stable rule id, message).
 * Created by the library, freed by the caller with lc_error_free. Immutable. */
typedef struct lc_error lc_error;

/* Frees an error; NULL is a no-op. */
LC_API void lc_error_free(lc_error* err) LC_NOEXCEPT;

/* The error's status (LC_OK for NULL). */
LC_API lc_status lc_error_code(const lc_error* err) LC_NOEXCEPT;

/* The message, naming the field and the offending value (never a secret). Owned by `err`. */
LC_API const char* lc_error_message(const lc_error* err, size_t* len) LC_NOEXCEPT;

/* How many violations the error carries (0 for NULL). Field and rule ids are stable API. */
LC_API size_t lc_error_violation_count(const lc_error* err) LC_NOEXCEPT;

/* Violation `index`'s field path ("email", "addresses[0].zip"). Owned by `err`. */
LC_API const char* lc_error_violation_field(const lc_error* err, size_t index, size_t* len) LC_NOEXCEPT;

/* Violation `index`'s rule id ("email.missing_at"). Owned by `err`. */
LC_API const char* lc_error_violation_rule(const lc_error* err, size_t index, size_t* len) LC_NOEXCEPT;

/* Violation `index`'s message. Owned by `err`. */
LC_API const char* lc_error_violation_message(const lc_error* err, size_t index, size_t* len) LC_NOEXCEPT;

/* ---- Results ---------------------------------------------------------------------------------------- */

/* The successful outcome of a command or query: its JSON document and its warnings. Immutable. */
typedef struct lc_result lc_result;

/* Frees a result and every string borrowed from it; NULL is a no-op. */
LC_API void lc_result_free(lc_result* result) LC_NOEXCEPT;

/* The result document as JSON text (the `result` member of SPEC §5's envelope; e.g. the customer
 * document). Owned by `result`; "" for NULL. */
LC_API const char* lc_result_json(const lc_result* result, size_t* len) LC_NOEXCEPT;

/* How many warnings the command produced (accepted, but worth telling: e.g. phone.not_valid). */
LC_API size_t lc_result_warning_count(const lc_result* result) LC_NOEXCEPT;

/* Warning `index`'s field path. Owned by `result`. */
LC_API const char* lc_result_warning_field(const lc_result* result, size_t index, size_t* len) LC_NOEXCEPT;

/* Warning `index`'s rule id. Owned by `result`. */
LC_API const char* lc_result_warning_rule(const lc_result* result, size_t index, size_t* len) LC_NOEXCEPT;

/* Warning `index`'s message. Owned by `result`. */
LC_API const char* lc_result_warning_message(const lc_result* result, size_t index, size_t* len) LC_NOEXCEPT;

/* ---- Options ---------------------------------------------------------------------------------------- */

/* Settings for opening a store or validating a document, set key by key. Copied when used, so the caller
 * may free or change it afterwards. One thread at a time. */
typedef struct lc_options lc_options;

/* Option keys. Pinned values; never renumbered. The comment gives the setter and the default. */
typedef int32_t lc_option;

enum lc_option_key {
  LC_OPTION_DEFAULT_REGION = 1,   /* string, ISO 3166-1 alpha-2 for phones without '+': "US" */
  LC_OPTION_MAX_ADDRESSES = 2,    /* int, addresses per customer, 1..100000: 200 */
  LC_OPTION_MAX_INPUT_BYTES = 3,  /* int, largest command or document accepted, 1..2^40: 64 MiB */
  LC_OPTION_LOCKOUT_ATTEMPTS = 4, /* int, failed portal logins before a lock, 1..1000: 5 */
  LC_OPTION_LOCKOUT_SECONDS = 5,  /* int, how long a portal lock lasts, 1..31536000: 900 */
  LC_OPTION_HASH_COST = 6         /* int, one of enum lc_hash_cost: LC_HASH_COST_INTERACTIVE */
};

/* Values of LC_OPTION_HASH_COST (Argon2id limits of libsodium). */
enum lc_hash_cost {
  LC_HASH_COST_INTERACTIVE = 0, /* 2 passes, 64 MiB: the default */
  LC_HASH_COST_MODERATE = 1,    /* 3 passes, 256 MiB */
  LC_HASH_COST_MINIMUM = 2      /* tests only: fast and weak */
};

/* A new set of options holding the defaults. The caller frees it with lc_options_free. */
LC_API lc_status lc_options_new(lc_options** out, lc_error** err) LC_NOEXCEPT;

/* Frees options; NULL is a no-op. */
LC_API void lc_options_free(lc_options* options) LC_NOEXCEPT;

/* Sets an integer option. LC_INVALID_ARGUMENT for an unknown key (rule option.unknown), a string key
 * (option.wrong_type) or a value out of range (option.out_of_range); the options are then unchanged. */
LC_API lc_status lc_options_set_int(lc_options* options, lc_option key, int64_t value,
                                    lc_error** err) LC_NOEXCEPT;

/* Sets a string option (copied). Errors as lc_options_set_int. */
LC_API lc_status lc_options_set_string(lc_options* options, lc_option key, const char* value, size_t len,
                                       lc_error** err) LC_NOEXCEPT;

/* ---- Stores ----------------------------------------------------------------------------------------- */

/* A store and the command engine over it. Thread-safe (see the conventions above). */
typedef struct lc_store lc_store;

/* Opens a new, empty in-memory store (customer type 1 exists). `options` may be NULL (defaults); it is
 * copied. The caller closes the store with lc_store_close. */
LC_API lc_status lc_store_open_memory(const lc_options* options, lc_store** out, lc_error** err) LC_NOEXCEPT;

/* Opens (creating if needed) the SQLite store in the file `path` (UTF-8; ":memory:" for a private in-memory
 * database). `options` may be NULL. A file of a newer schema version, or not a LeadCustomers database, is
 * LC_FAILED_PRECONDITION and is left unchanged. */
LC_API lc_status lc_store_open_sqlite(const char* path, size_t path_len, const lc_options* options,
                                      lc_store** out, lc_error** err) LC_NOEXCEPT;

/* Closes a store and frees it; NULL is a no-op. Results and errors obtained from it stay valid. */
LC_API void lc_store_close(lc_store* store) LC_NOEXCEPT;

/* True when the store's engine knows the command or query `op` ("customer.create"); false for NULL. */
LC_API bool lc_store_supports(const lc_store* store, const char* op, size_t op_len) LC_NOEXCEPT;

/* Applies one command or query of SPEC §5, given as a JSON object ({"op": "...", ...}), atomically.
 * On LC_OK, *out (when `out` is not NULL) receives a result the caller frees with lc_result_free. On
 * failure the status is the SPEC code and *err carries the message and every violation. */
LC_API lc_status lc_execute(lc_store* store, const char* command, size_t command_len, lc_result** out,
                            lc_error** err) LC_NOEXCEPT;

/* The customer document of the customer with id `id` (UUID text, any case). LC_NOT_FOUND when there is
 * none (violation on customer_id); LC_INVALID_ARGUMENT when `id` is not a UUID (rule id.invalid). */
LC_API lc_status lc_customer_get(lc_store* store, const char* id, size_t id_len, lc_result** out,
                                 lc_error** err) LC_NOEXCEPT;

/* The customer document of the customer with e-mail `email` (matched as SPEC §4.1 keys it: letter case
 * ignored; the non-archived customer first, else the most recently archived). LC_NOT_FOUND when none. */
LC_API lc_status lc_customer_get_by_email(lc_store* store, const char* email, size_t email_len,
                                          lc_result** out, lc_error** err) LC_NOEXCEPT;

/* ---- Import ----------------------------------------------------------------------------------------- */

/* Called after every batch of records an import applies (and once at the end): the records read so far,
 * how many were accepted and rejected, and the bytes of input consumed. Runs on the importing thread; it
 * must not call back into the same store. It cannot cancel an import (batches already committed stay). */
typedef void (*lc_progress_fn)(void* user_data, int64_t rows_read, int64_t accepted, int64_t rejected,
                               uint64_t bytes_read);

/* Imports the customer export at `path` (SPEC §7) into `store`. `options` is a JSON object:
 *   {"format": "shopify" | "shopify-json" | "magento-customer" | "magento-address" | "magento-composite"
 *              | "generic" | "generic-json" | "jsonl",            (required)
 *    "mapping": {...},            (generic / generic-json: the column or JSON-path mapping)
 *    "dry_run": false, "customer_type_id": 1, "batch_size": 5000,
 *    "import_passwords": false,   (true: hash plaintext password columns into the portal login, SPEC §7)
 *    "rejects_path": "rejects.csv"}  (every rejected record, in its original format plus an error column)
 * An unknown member is LC_INVALID_ARGUMENT naming it. `progress` may be NULL. On LC_OK, *out receives the
 * import result of SPEC §5 ({"rows_read", "accepted", "warned", "rejected", "by_rule", "rows", ...}); an
 * import is LC_OK even when records are rejected. An unreadable file is LC_NOT_FOUND (field "path"). */
LC_API lc_status lc_import_file(lc_store* store, const char* path, size_t path_len, const char* options,
                                size_t options_len, lc_progress_fn progress, void* user_data, lc_result** out,
                                lc_error** err) LC_NOEXCEPT;

/* As lc_import_file, for an export held in memory (`data`, `data_len` bytes; at most the store's
 * LC_OPTION_MAX_INPUT_BYTES). */
LC_API lc_status lc_import_buffer(lc_store* store, const char* data, size_t data_len, const char* options,
                                  size_t options_len, lc_progress_fn progress, void* user_data,
                                  lc_result** out, lc_error** err) LC_NOEXCEPT;

/* ---- Stateless validation --------------------------------------------------------------------------- */

/* Validates a customer document: a JSON object with the fields of `customer.create` (SPEC §5, without
 * "op"), addresses included. Nothing is stored anywhere. Rules that need a store's contents (e-mail
 * taken, customer type or company missing) are not checked. On LC_OK, *out (when not NULL) holds the
 * normalized customer document and the warnings; on LC_VALIDATION_FAILED, *err holds every violation.
 * `options` may be NULL (defaults). */
LC_API lc_status lc_validate_customer(const lc_options* options, const char* document, size_t document_len,
                                      lc_result** out, lc_error** err) LC_NOEXCEPT;

/* Validates an address document: a JSON object with the address fields of SPEC §2.3. Field paths are
 * the address's own ("zip", "state"). On LC_OK, *out (when not NULL) holds the normalized address. */
LC_API lc_status lc_validate_address(const lc_options* options, const char* document, size_t document_len,
                                     lc_result** out, lc_error** err) LC_NOEXCEPT;

/* ---- Region catalog --------------------------------------------------------------------------------- */

/* Every country: a JSON array [{"code": "US", "alpha3": "USA", "name": "United States"}, ...] ordered by
 * code. */
LC_API lc_status lc_region_countries(lc_result** out, lc_error** err) LC_NOEXCEPT;

/* The states to offer for a country (`region`: alpha-2 in any case, alpha-3 or a name), for a drop-down:
 * a JSON array [{"code": "US-AL", "name": "Alabama"}, ...] in a stable order (Shopify's zone order where
 * it lists zones, else by name); [] for a country without any. LC_VALIDATION_FAILED (field "region", rule
 * "region.unknown") for an unknown country. */
LC_API lc_status lc_region_states(const char* region, size_t region_len, lc_result** out,
                                  lc_error** err) LC_NOEXCEPT;

/* Resolves what a user typed for a state in country `region` (full code, code suffix, alias or name, any
 * case) to {"code": "US-CA", "name": "California"} ("name" is null when the catalog has none).
 * LC_VALIDATION_FAILED with a violation on "state" or "region" when it does not resolve. */
LC_API lc_status lc_region_resolve_state(const char* region, size_t region_len, const char* state,
                                         size_t state_len, lc_result** out, lc_error** err) LC_NOEXCEPT;

#if defined(__cplusplus)
} /* extern "C" */
#endif

#endif /* LEADCUSTOMERS_H */
