"""Loads libleadcustomers_c and declares every C function's signature (ctypes, standard library only).

The library is found, in order: the path in $LEADCUSTOMERS_LIBRARY; the SONAME libleadcustomers_c.so.<major>
through the dynamic loader's search path. Its major version must be the one this binding was written for.
"""

import ctypes
import os

ABI_MAJOR = 0  # the LC_VERSION_MAJOR this binding speaks

c_status = ctypes.c_int32
c_size_p = ctypes.POINTER(ctypes.c_size_t)
c_handle = ctypes.c_void_p
c_handle_p = ctypes.POINTER(ctypes.c_void_p)


def _load():
    path = os.environ.get("LEADCUSTOMERS_LIBRARY")
    name = path if path else "libleadcustomers_c.so.%d" % ABI_MAJOR
    try:
        return ctypes.CDLL(name)
    except OSError as e:
        raise ImportError(
            "leadcustomers: cannot load %s (%s); set LEADCUSTOMERS_LIBRARY to the library's path" % (name, e)
        ) from e


lib = _load()


def _declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


# Version
_declare("lc_version_string", ctypes.c_char_p)
_declare("lc_version", None, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int32),
         ctypes.POINTER(ctypes.c_int32))
_declare("lc_status_name", ctypes.c_char_p, c_status)

# Errors (string accessors return a borrowed const char*: read with string_at and the length)
_declare("lc_error_free", None, c_handle)
_declare("lc_error_code", c_status, c_handle)
_declare("lc_error_message", ctypes.c_void_p, c_handle, c_size_p)
_declare("lc_error_violation_count", ctypes.c_size_t, c_handle)
for _part in ("field", "rule", "message"):
    _declare("lc_error_violation_" + _part, ctypes.c_void_p, c_handle, ctypes.c_size_t, c_size_p)
    _declare("lc_result_warning_" + _part, ctypes.c_void_p, c_handle, ctypes.c_size_t, c_size_p)

# Results
_declare("lc_result_free", None, c_handle)
_declare("lc_result_json", ctypes.c_void_p, c_handle, c_size_p)
_declare("lc_result_warning_count", ctypes.c_size_t, c_handle)

# Options
_declare("lc_options_new", c_status, c_handle_p, c_handle_p)
_declare("lc_options_free", None, c_handle)
_declare("lc_options_set_int", c_status, c_handle, ctypes.c_int32, ctypes.c_int64, c_handle_p)
_declare("lc_options_set_string", c_status, c_handle, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t, c_handle_p)

# Stores
_declare("lc_store_open_memory", c_status, c_handle, c_handle_p, c_handle_p)
_declare("lc_store_open_sqlite", c_status, ctypes.c_char_p, ctypes.c_size_t, c_handle, c_handle_p, c_handle_p)
_declare("lc_store_close", None, c_handle)
_declare("lc_store_supports", ctypes.c_bool, c_handle, ctypes.c_char_p, ctypes.c_size_t)
_declare("lc_execute", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)
_declare("lc_customer_get", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)
_declare("lc_customer_get_by_email", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)

# Imports (the progress callback: void (*)(void*, int64, int64, int64, uint64))
PROGRESS_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                               ctypes.c_uint64)
_declare("lc_import_file", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
         PROGRESS_FN, ctypes.c_void_p, c_handle_p, c_handle_p)
_declare("lc_import_buffer", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
         ctypes.c_size_t, PROGRESS_FN, ctypes.c_void_p, c_handle_p, c_handle_p)

# Validation and regions
_declare("lc_validate_customer", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)
_declare("lc_validate_address", c_status, c_handle, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)
_declare("lc_region_countries", c_status, c_handle_p, c_handle_p)
_declare("lc_region_states", c_status, ctypes.c_char_p, ctypes.c_size_t, c_handle_p, c_handle_p)
_declare("lc_region_resolve_state", c_status, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t,
         c_handle_p, c_handle_p)


def _check_major():
    major = ctypes.c_int32(-1)
    lib.lc_version(ctypes.byref(major), None, None)
    if major.value != ABI_MAJOR:
        raise ImportError(
            "leadcustomers: the library is version %s, this binding needs major %d"
            % (lib.lc_version_string().decode(), ABI_MAJOR)
        )


_check_major()


def borrowed(fn, handle, *args):
    """Copies a borrowed (const char*, length) string out of `handle` as str."""
    n = ctypes.c_size_t(0)
    ptr = fn(handle, *args, ctypes.byref(n))
    return ctypes.string_at(ptr, n.value).decode("utf-8") if ptr else ""
