# Target capi_abi_baseline: writes capi/abi/libleadcustomers_c.abi from the built library (abidw), with the
# source tree's absolute path stripped so the committed file does not depend on where it was built.
#   cmake -DABIDW=... -DLIB=... -DHEADERS=... -DSOURCE_DIR=... -DOUT=... -P write_abi_baseline.cmake
execute_process(COMMAND "${ABIDW}" --headers-dir "${HEADERS}" --drop-private-types --exported-interfaces-only
                        --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash
                        --out-file "${OUT}.tmp" "${LIB}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "abidw failed (${rc})")
endif()
file(READ "${OUT}.tmp" abi)
string(REPLACE "${SOURCE_DIR}/" "" abi "${abi}")
file(WRITE "${OUT}" "${abi}")
file(REMOVE "${OUT}.tmp")
