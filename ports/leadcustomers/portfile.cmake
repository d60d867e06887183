# Overlay port: builds LeadCustomers from this repository's own tree.
#   vcpkg install leadcustomers --overlay-ports=<repo>/ports
# A registry port would use vcpkg_from_github(... REF v${VERSION} SHA512 ...) instead of the local tree.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# LeadCustomers::core is always a static library and LeadCustomers::capi always a shared one (a C ABI that
# other languages load), whatever the triplet's linkage.
set(VCPKG_POLICY_MISMATCHED_NUMBER_OF_BINARIES enabled)

vcpkg_find_acquire_program(PKGCONFIG)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DLC_BUILD_TESTS=OFF
    -DLC_BUILD_BENCH=OFF
    -DLC_BUILD_EXAMPLES=OFF
    -DLC_BUILD_BINDING_TESTS=OFF
    -DLC_INSTALL=ON
    "-DPKG_CONFIG_EXECUTABLE=${PKGCONFIG}"
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME LeadCustomers CONFIG_PATH "lib/cmake/LeadCustomers")
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
     "LeadCustomers ${VERSION}. The project has not chosen a licence yet; see its repository.\n")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
