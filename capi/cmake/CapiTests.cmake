# ctest entries of the C ABI, the bindings, the examples and the package (included from capi/CMakeLists.txt).
set(LC_CAPI_DIR ${PROJECT_SOURCE_DIR}/capi)
set(LC_CAPI_TESTS ${PROJECT_SOURCE_DIR}/tests/capi)
set(LC_LIB_DIR ${PROJECT_BINARY_DIR}/lib)

# Sanitized builds: a foreign runtime (python3, a go test binary) must load ASan first and must not report
# the interpreter's own allocations as leaks (ENV-NOTES §3.7).
set(LC_FOREIGN_ENV "")
if(LC_SANITIZE)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so OUTPUT_VARIABLE _asan
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libubsan.so OUTPUT_VARIABLE _ubsan
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  list(APPEND LC_FOREIGN_ENV "LD_PRELOAD=${_asan} ${_ubsan}" "ASAN_OPTIONS=detect_leaks=0")
  set(LC_CONSUMER_SANITIZE "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()

# ---- the header alone ------------------------------------------------------------------------------------
add_test(NAME capi.header_c11
  COMMAND ${CMAKE_COMMAND} -DHEADER=${LC_CAPI_DIR}/include/leadcustomers.h -DPROBE=${LC_CAPI_TESTS}/header_probe.c
          -DCC=${CMAKE_C_COMPILER} -DCXX=${CMAKE_CXX_COMPILER} -P ${LC_CAPI_DIR}/cmake/check_header.cmake)

# ---- functional tests written in C -----------------------------------------------------------------------
add_executable(capi_c_tests ${LC_CAPI_TESTS}/functional.c)
set_target_properties(capi_c_tests PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(capi_c_tests PRIVATE -Wall -Wextra -Wpedantic -Werror)
target_link_libraries(capi_c_tests PRIVATE LeadCustomers::capi)
add_test(NAME capi.c_functional COMMAND capi_c_tests)

# ---- C++ tests of the C ABI: the shared cases through lc_execute, concurrency ----------------------------
find_package(GTest CONFIG REQUIRED)
include(GoogleTest)
add_executable(capi_tests ${LC_CAPI_TESTS}/cases_via_lc_execute.cpp ${LC_CAPI_TESTS}/store_threads.cpp)
target_compile_options(capi_tests PRIVATE ${LC_WARNINGS})
target_compile_definitions(capi_tests PRIVATE LC_SHARED_DIR="${LC_SHARED_DIR}")
# The core only for its case matcher (subset_mismatch); every command goes through the .so.
target_link_libraries(capi_tests PRIVATE LeadCustomers::capi LeadCustomers::core GTest::gtest_main
  phonenumber::phonenumber PkgConfig::SODIUM SQLite::SQLite3)
gtest_discover_tests(capi_tests TEST_PREFIX capi. DISCOVERY_TIMEOUT 120)

# ---- symbols and ABI -------------------------------------------------------------------------------------
find_program(LC_NM NAMES nm REQUIRED)
find_program(LC_READELF NAMES readelf REQUIRED)
add_test(NAME capi.exports_only_lc
  COMMAND ${CMAKE_COMMAND} -DLIB=$<TARGET_FILE:leadcustomers_c> -DNM=${LC_NM} -DREADELF=${LC_READELF}
          -DSONAME=libleadcustomers_c.so.${PROJECT_VERSION_MAJOR} -P ${LC_CAPI_DIR}/cmake/check_exports.cmake)

find_program(LC_ABIDW abidw)
find_program(LC_ABIDIFF abidiff)
set(LC_ABI_BASELINE ${LC_CAPI_DIR}/abi/libleadcustomers_c.abi)
if(LC_ABIDW AND LC_ABIDIFF)
  # Regenerates the baseline (commit the result only with a major version bump or for additions).
  add_custom_target(capi_abi_baseline
    COMMAND ${CMAKE_COMMAND} -DABIDW=${LC_ABIDW} -DLIB=$<TARGET_FILE:leadcustomers_c>
            -DHEADERS=${LC_CAPI_DIR}/include -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUT=${LC_ABI_BASELINE}
            -P ${LC_CAPI_DIR}/cmake/write_abi_baseline.cmake
    DEPENDS leadcustomers_c COMMENT "Writing ${LC_ABI_BASELINE}")
  add_test(NAME capi.abi_compatible
    COMMAND ${CMAKE_COMMAND} -DABIDIFF=${LC_ABIDIFF} -DBASELINE=${LC_ABI_BASELINE}
            -DLIB=$<TARGET_FILE:leadcustomers_c> -DHEADERS=${LC_CAPI_DIR}/include -P ${LC_CAPI_DIR}/cmake/check_abi.cmake)
else()
  add_test(NAME capi.abi_compatible COMMAND ${CMAKE_COMMAND} -E false)
  message(WARNING "abidw/abidiff not found (Debian: abigail-tools): capi.abi_compatible will fail")
endif()

# ---- bindings --------------------------------------------------------------------------------------------
if(LC_BUILD_BINDING_TESTS)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  set(LC_PY_ENV "PYTHONPATH=${LC_CAPI_DIR}/python" "LEADCUSTOMERS_LIBRARY=$<TARGET_FILE:leadcustomers_c>"
                "LC_SHARED_DIR=${LC_SHARED_DIR}" "PYTHONDONTWRITEBYTECODE=1" ${LC_FOREIGN_ENV})
  add_test(NAME capi.python
    COMMAND ${Python3_EXECUTABLE} -m unittest discover -s ${LC_CAPI_DIR}/python/tests -t ${LC_CAPI_DIR}/python -v)
  set_tests_properties(capi.python PROPERTIES ENVIRONMENT "${LC_PY_ENV}" TIMEOUT 600)

  find_program(LC_GO go REQUIRED)
  set(LC_GO_HOME ${CMAKE_CURRENT_BINARY_DIR}/go-home)
  set(LC_GO_ENV "PKG_CONFIG_PATH=${LC_PC_BUILD_DIR}" "LD_LIBRARY_PATH=${LC_LIB_DIR}" "CGO_ENABLED=1"
                "GOCACHE=${LC_GO_HOME}/cache" "GOPATH=${LC_GO_HOME}/path" "GOFLAGS=-mod=mod" "GOPROXY=off"
                "GOTOOLCHAIN=local" "GOTELEMETRY=off" "HOME=${LC_GO_HOME}" "LC_SHARED_DIR=${LC_SHARED_DIR}")
  set(LC_GO_TEST_FLAGS -count=1)
  set(LC_GO_RUN_FLAGS "")
  if(LC_SANITIZE)
    list(APPEND LC_GO_TEST_FLAGS -asan)
    list(APPEND LC_GO_RUN_FLAGS -asan)
    list(APPEND LC_GO_ENV "ASAN_OPTIONS=detect_leaks=0")
  endif()
  add_test(NAME capi.go COMMAND ${LC_GO} test ${LC_GO_TEST_FLAGS} ./...
    WORKING_DIRECTORY ${LC_CAPI_DIR}/go)
  add_test(NAME capi.go_vet COMMAND ${LC_GO} vet ./... WORKING_DIRECTORY ${LC_CAPI_DIR}/go)
  set_tests_properties(capi.go capi.go_vet PROPERTIES ENVIRONMENT "${LC_GO_ENV}" TIMEOUT 900)

  # ---- quick-starts ----
  if(LC_BUILD_EXAMPLES)
    add_test(NAME examples.python COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/examples/python/quickstart.py)
    set_tests_properties(examples.python PROPERTIES ENVIRONMENT "${LC_PY_ENV}")
    add_test(NAME examples.go COMMAND ${LC_GO} run ${LC_GO_RUN_FLAGS} .
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/examples/go)
    set_tests_properties(examples.go PROPERTIES ENVIRONMENT "${LC_GO_ENV}" TIMEOUT 900)
  endif()
endif()

if(LC_BUILD_EXAMPLES)
  add_test(NAME examples.c COMMAND lc_example_c)
  add_test(NAME examples.cpp COMMAND lc_example_cpp)
endif()

# ---- the package: installed, then consumed by a separate project; and through add_subdirectory ----------
if(LC_INSTALL)
  set(LC_PKG_WORK ${CMAKE_CURRENT_BINARY_DIR}/package-test)
  add_test(NAME package.install
    COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${LC_PKG_WORK}/prefix
            -P ${PROJECT_SOURCE_DIR}/tests/package/install.cmake)
  set_tests_properties(package.install PROPERTIES FIXTURES_SETUP lc_installed)
  add_test(NAME package.find_package
    COMMAND ${CMAKE_COMMAND} -DMODE=find_package -DSOURCE=${PROJECT_SOURCE_DIR}/tests/package
            -DWORK=${LC_PKG_WORK}/find_package -DPREFIX=${LC_PKG_WORK}/prefix -DLC_SOURCE=${PROJECT_SOURCE_DIR}
            -DGENERATOR=${CMAKE_GENERATOR} "-DSANITIZE_FLAGS=${LC_CONSUMER_SANITIZE}"
            -P ${PROJECT_SOURCE_DIR}/tests/package/consume.cmake)
  set_tests_properties(package.find_package PROPERTIES FIXTURES_REQUIRED lc_installed TIMEOUT 900)
endif()
add_test(NAME package.add_subdirectory
  COMMAND ${CMAKE_COMMAND} -DMODE=add_subdirectory -DSOURCE=${PROJECT_SOURCE_DIR}/tests/package
          -DWORK=${CMAKE_CURRENT_BINARY_DIR}/package-test/add_subdirectory -DLC_SOURCE=${PROJECT_SOURCE_DIR}
          -DGENERATOR=${CMAKE_GENERATOR} "-DSANITIZE_FLAGS=${LC_CONSUMER_SANITIZE}"
          -P ${PROJECT_SOURCE_DIR}/tests/package/consume.cmake)
set_tests_properties(package.add_subdirectory PROPERTIES TIMEOUT 1800)
