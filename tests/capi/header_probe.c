/* Compiled by the capi.header_c11 test as C11 (-pedantic -Werror) and as C++20: the header must stand
 * alone, and every declaration must be usable from both. */
#include "leadcustomers.h"

#if defined(__cplusplus)
#define PROBE_ASSERT static_assert
#else
#define PROBE_ASSERT _Static_assert
#endif

/* Pinned values: a renumbering would break every binding built against an older header. */
PROBE_ASSERT(LC_OK == 0 && LC_INVALID_ARGUMENT == 1 && LC_VALIDATION_FAILED == 2 && LC_NOT_FOUND == 3 &&
                 LC_ALREADY_EXISTS == 4 && LC_CONFLICT == 5 && LC_FAILED_PRECONDITION == 6 &&
                 LC_PERMISSION_DENIED == 7 && LC_UNAUTHENTICATED == 8 && LC_RESOURCE_EXHAUSTED == 9 &&
                 LC_INTERNAL == 10 && LC_UNIMPLEMENTED == 11 && LC_CANCELLED == 12 && LC_UNAVAILABLE == 13 &&
                 LC_DATA_LOSS == 14,
             "lc_status values are pinned");
PROBE_ASSERT(LC_OPTION_DEFAULT_REGION == 1 && LC_OPTION_MAX_ADDRESSES == 2 &&
                 LC_OPTION_MAX_INPUT_BYTES == 3 && LC_OPTION_LOCKOUT_ATTEMPTS == 4 &&
                 LC_OPTION_LOCKOUT_SECONDS == 5 && LC_OPTION_HASH_COST == 6,
             "option keys are pinned");
PROBE_ASSERT(sizeof(lc_status) == 4 && sizeof(lc_option) == 4, "lc_status and lc_option are int32");

typedef lc_status (*execute_fn)(lc_store*, const char*, size_t, lc_result**, lc_error**);

int probe(void);
int probe(void) {
  execute_fn f = lc_execute;
  return f != 0 && LC_VERSION_MAJOR >= 0;
}
