# ctest: the public header is plain C11. It includes only <stddef.h> <stdint.h> <stdbool.h>, and compiles
# alone as C11 with -pedantic -Werror (and as C++20, which sees the extern "C" block and noexcept).
#   cmake -DHEADER=... -DPROBE=... -DCC=... -DCXX=... -P check_header.cmake
file(STRINGS "${HEADER}" includes REGEX "^[ \t]*#[ \t]*include")
foreach(line IN LISTS includes)
  if(NOT line MATCHES "^#include <(stddef|stdint|stdbool)\\.h>$")
    message(FATAL_ERROR "leadcustomers.h may include only <stddef.h> <stdint.h> <stdbool.h>, found: ${line}")
  endif()
endforeach()
get_filename_component(dir "${HEADER}" DIRECTORY)
set(c_flags -std=c11 -pedantic -Werror -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow
            -Wconversion -fsyntax-only)
execute_process(COMMAND "${CC}" ${c_flags} -I${dir} "${PROBE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "leadcustomers.h does not compile as C11 -pedantic -Werror")
endif()
execute_process(COMMAND "${CXX}" -x c++ -std=c++20 -pedantic -Werror -Wall -Wextra -fsyntax-only -I${dir}
                        "${PROBE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "leadcustomers.h does not compile as C++20 -pedantic -Werror")
endif()
message(STATUS "leadcustomers.h: C11 and C++20 clean, includes only the three allowed headers")
