"""Conan 2 recipe for LeadCustomers: the C++20 library (LeadCustomers::core) and the C ABI
(LeadCustomers::capi, libleadcustomers_c, pkg-config module `leadcustomers`).

    conan create . --build=missing

Not exercised in this repository's CI (no Conan Center access here): see capi/README.md.
"""

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.gnu import PkgConfigDeps


class LeadCustomersConan(ConanFile):
    name = "leadcustomers"
    version = "0.1.0"
    description = "Customers feature of a commerce back office: records, address book, portal login, imports"
    topics = ("customers", "commerce", "c-api")
    settings = "os", "arch", "compiler", "build_type"
    options = {"fPIC": [True, False]}
    default_options = {"fPIC": True}
    exports_sources = ("CMakeLists.txt", "CMakePresets.json", "cmake/*", "include/*", "src/*", "capi/*",
                       "examples/*", "tests/*", "bench/*")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Public: the core's headers include Boost.JSON/Uuid and Abseil.
        self.requires("boost/1.83.0", transitive_headers=True)
        self.requires("abseil/20230802.1", transitive_headers=True)
        self.requires("libphonenumber/8.13.35")
        self.requires("libsodium/1.0.19")
        self.requires("utf8proc/2.9.0")
        self.requires("libidn2/2.3.0")
        self.requires("re2/20230301")
        self.requires("sqlite3/3.45.0")

    def build_requirements(self):
        self.tool_requires("cmake/[>=3.25]")
        self.tool_requires("pkgconf/2.1.0")

    def validate(self):
        from conan.errors import ConanInvalidConfiguration
        from conan.tools.build import check_min_cppstd
        check_min_cppstd(self, 20)
        if self.settings.os != "Linux":
            raise ConanInvalidConfiguration("the C ABI's symbol hygiene (version script) is GNU ld only")

    def generate(self):
        tc = CMakeToolchain(self)
        tc.variables["LC_BUILD_TESTS"] = False
        tc.variables["LC_BUILD_BENCH"] = False
        tc.variables["LC_BUILD_EXAMPLES"] = False
        tc.variables["LC_BUILD_BINDING_TESTS"] = False
        tc.variables["LC_INSTALL"] = True
        tc.generate()
        CMakeDeps(self).generate()
        PkgConfigDeps(self).generate()  # libsodium, libutf8proc, libidn2, re2 are found with pkg-config

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "LeadCustomers")
        self.cpp_info.set_property("cmake_find_mode", "none")  # use the config the project installs
        self.cpp_info.builddirs.append("lib/cmake/LeadCustomers")

        core = self.cpp_info.components["core"]
        core.libs = ["leadcustomers"]
        core.set_property("cmake_target_name", "LeadCustomers::core")
        core.requires = ["boost::headers", "boost::json", "abseil::abseil", "libphonenumber::libphonenumber",
                         "libsodium::libsodium", "utf8proc::utf8proc", "libidn2::libidn2", "re2::re2",
                         "sqlite3::sqlite3"]

        capi = self.cpp_info.components["capi"]
        capi.libs = ["leadcustomers_c"]
        capi.set_property("cmake_target_name", "LeadCustomers::capi")
        capi.set_property("pkg_config_name", "leadcustomers")
        capi.requires = []  # self-contained: the core is linked into the .so privately
