# ctest: the library's ABI is compatible with the committed baseline (abidiff from abigail-tools).
# abidiff's exit status is a bit field: 1 error, 2 usage error, 4 ABI change (needs review: e.g. a changed
# return type), 8 incompatible change (a removed function). Added functions are compatible and filtered out
# (--no-added-syms), so any other bit fails the test.
#   cmake -DABIDIFF=... -DBASELINE=... -DLIB=... -DHEADERS=... -P check_abi.cmake
if(NOT EXISTS "${BASELINE}")
  message(FATAL_ERROR "no ABI baseline at ${BASELINE}: build the target capi_abi_baseline and commit it")
endif()
execute_process(COMMAND "${ABIDIFF}" --no-added-syms --headers-dir2 "${HEADERS}" --drop-private-types
                        --exported-interfaces-only "${BASELINE}" "${LIB}"
                OUTPUT_VARIABLE report ERROR_VARIABLE report RESULT_VARIABLE rc)
message("${report}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "abidiff: the ABI changed against ${BASELINE} (exit ${rc}). A published signature never "
                      "changes: add a _v2 function instead. A deliberate break needs a new major version and a "
                      "new baseline (target capi_abi_baseline).")
endif()
message(STATUS "ABI compatible with ${BASELINE}")
