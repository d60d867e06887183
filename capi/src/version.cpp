// Version of the C ABI. The header's LC_VERSION_* must equal the CMake project version (checked below at
// compile time), and the SONAME carries the major.
#include <string_view>

#include "capi_internal.hpp"

#define LC_STRINGIFY_(x) #x
#define LC_STRINGIFY(x) LC_STRINGIFY_(x)

namespace {
constexpr char kVersion[] =
    LC_STRINGIFY(LC_VERSION_MAJOR) "." LC_STRINGIFY(LC_VERSION_MINOR) "." LC_STRINGIFY(LC_VERSION_PATCH);
#ifdef LC_PROJECT_VERSION
static_assert(std::string_view(kVersion) == std::string_view(LC_PROJECT_VERSION),
              "LC_VERSION_* in leadcustomers.h differ from project(VERSION) in CMakeLists.txt");
#endif
}  // namespace

extern "C" {

const char* lc_version_string(void) noexcept { return kVersion; }

void lc_version(int32_t* major, int32_t* minor, int32_t* patch) noexcept {
  if (major) *major = LC_VERSION_MAJOR;
  if (minor) *minor = LC_VERSION_MINOR;
  if (patch) *patch = LC_VERSION_PATCH;
}

}  // extern "C"
