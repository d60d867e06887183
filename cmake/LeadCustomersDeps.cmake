# Finds every dependency and gives each an imported target. libphonenumber ships no CMake config and no
# pkg-config file, so it is found by hand.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json)
find_package(absl CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)  # postal code patterns (region catalog)
find_package(Protobuf REQUIRED)
if(NOT TARGET phonenumber::phonenumber)
  find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
  find_library(PHONENUMBER_LIBRARY NAMES phonenumber REQUIRED)
  add_library(phonenumber::phonenumber UNKNOWN IMPORTED)
  set_target_properties(phonenumber::phonenumber PROPERTIES
    IMPORTED_LOCATION "${PHONENUMBER_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${PHONENUMBER_INCLUDE_DIR}")
  target_link_libraries(phonenumber::phonenumber INTERFACE
    protobuf::libprotobuf absl::node_hash_set absl::node_hash_map)
endif()
