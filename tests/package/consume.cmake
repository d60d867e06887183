# ctests package.find_package and package.add_subdirectory: configure, build and run the consumer project
# in this folder (a C++ program on LeadCustomers::core, a C program on LeadCustomers::capi and, for an
# installed package, a C program built from leadcustomers.pc alone).
#   cmake -DMODE=find_package|add_subdirectory -DSOURCE=<this dir> -DWORK=<scratch> [-DPREFIX=<install>]
#         -DLC_SOURCE=<project root> -DGENERATOR=... [-DSANITIZE_FLAGS=...] -P consume.cmake
# SANITIZE_FLAGS: the sanitizer flags the library was built with; the consumer must use them too (an
# instrumented static core needs the runtime at link time, an instrumented .so needs it loaded first).
file(REMOVE_RECURSE "${WORK}")
set(args -S "${SOURCE}" -B "${WORK}" -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Debug -DLC_CONSUMER_MODE=${MODE})
if(SANITIZE_FLAGS)
  foreach(var CMAKE_C_FLAGS CMAKE_CXX_FLAGS CMAKE_EXE_LINKER_FLAGS CMAKE_SHARED_LINKER_FLAGS)
    list(APPEND args "-D${var}=${SANITIZE_FLAGS}")
  endforeach()
endif()
if(MODE STREQUAL "find_package")
  list(APPEND args "-DCMAKE_PREFIX_PATH=${PREFIX}")
  set(ENV{PKG_CONFIG_PATH} "")
  file(GLOB_RECURSE pc "${PREFIX}/*/leadcustomers.pc")
  get_filename_component(pcdir "${pc}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pcdir}")
else()
  list(APPEND args "-DLC_SOURCE_DIR=${LC_SOURCE}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} ${args} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the consumer (${MODE}) failed")
endif()
# Two jobs: in add_subdirectory mode this builds the whole library again, the longest test of the suite.
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}" -j 2 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the consumer (${MODE}) failed")
endif()
execute_process(COMMAND ctest --output-on-failure WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "running the consumer (${MODE}) failed")
endif()
