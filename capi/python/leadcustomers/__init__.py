"""LeadCustomers for Python: the C ABI (libleadcustomers_c) through ctypes, standard library only.

    import leadcustomers as lc

    with lc.Store(hash_cost="minimum") as store:
        store.execute({"op": "customer.create", "customer_type_id": 1,
                       "first_name": "Ana", "last_name": "Example", "email": "ana@example.com"})
        ana = store.get(email="ANA@example.com")          # the customer document, as a dict
        try:
            store.execute({"op": "customer.create", "customer_type_id": 1,
                           "first_name": "Bo", "last_name": "Example", "email": "bo.example.com"})
        except lc.ValidationError as e:
            for v in e.violations:                         # every violation, not just the first
                print(v.field, v.rule, v.message)         # email email.missing_at ...

Every handle the library returns is freed before the call returns (results and errors are copied into
Python objects); a Store is closed by close(), by leaving a `with` block, or when it is garbage-collected.
A Store may be used from several threads (the library serializes writes; ctypes releases the GIL during
each call), but close() must not race with another call on the same store.
"""

import ctypes
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, List, Optional, Union

from . import _native
from ._native import lib

__all__ = [
    "ABI_MAJOR", "version", "Store", "Result", "Violation", "Error", "InvalidArgumentError", "ValidationError",
    "NotFoundError", "AlreadyExistsError", "ConflictError", "FailedPreconditionError", "PermissionDeniedError",
    "UnauthenticatedError", "ResourceExhaustedError", "InternalError", "UnimplementedError", "CancelledError",
    "UnavailableError", "DataLossError", "validate_customer", "validate_address", "countries", "states",
    "resolve_state",
]

ABI_MAJOR = _native.ABI_MAJOR


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return lib.lc_version_string().decode()


# ---- errors -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    """One broken rule (or, in Result.warnings, one warning): field path, stable rule id, message."""
    field: str
    rule: str
    message: str


class Error(Exception):
    """A failed call: `code` is the SPEC §5 name ("VALIDATION_FAILED"), `status` the pinned lc_status
    number, `message` for people, `violations` every broken rule (field paths and rule ids are stable)."""

    def __init__(self, status: int, code: str, message: str, violations: List[Violation]):
        super().__init__("%s: %s" % (code, message))
        self.status = status
        self.code = code
        self.message = message
        self.violations = violations


class InvalidArgumentError(Error):
    """Malformed: bad JSON, unknown op or field, wrong type, bad UTF-8."""


class ValidationError(Error):
    """Well-formed but breaking rules; `violations` lists every one."""


class NotFoundError(Error):
    pass


class AlreadyExistsError(Error):
    pass


class ConflictError(Error):
    """expected_version differs."""


class FailedPreconditionError(Error):
    pass


class PermissionDeniedError(Error):
    pass


class UnauthenticatedError(Error):
    pass


class ResourceExhaustedError(Error):
    """A limit: input too large, too many addresses, out of memory."""


class InternalError(Error):
    pass


class UnimplementedError(Error):
    """The function's backing piece is not part of this build of the library."""


class CancelledError(Error):
    pass


class UnavailableError(Error):
    pass


class DataLossError(Error):
    pass


_ERRORS = {
    1: InvalidArgumentError, 2: ValidationError, 3: NotFoundError, 4: AlreadyExistsError, 5: ConflictError,
    6: FailedPreconditionError, 7: PermissionDeniedError, 8: UnauthenticatedError, 9: ResourceExhaustedError,
    10: InternalError, 11: UnimplementedError, 12: CancelledError, 13: UnavailableError, 14: DataLossError,
}


def _raise(status: int, err: ctypes.c_void_p):
    """Builds the exception of a failed call from its lc_error (then frees it) and raises it."""
    try:
        if err.value:
            message = _native.borrowed(lib.lc_error_message, err)
            violations = [
                Violation(_native.borrowed(lib.lc_error_violation_field, err, i),
                          _native.borrowed(lib.lc_error_violation_rule, err, i),
                          _native.borrowed(lib.lc_error_violation_message, err, i))
                for i in range(lib.lc_error_violation_count(err))
            ]
        else:  # the library could not even allocate the error
            message, violations = "no error details", []
    finally:
        lib.lc_error_free(err)
    code = lib.lc_status_name(status).decode()
    raise _ERRORS.get(status, Error)(status, code, message, violations)


# ---- results ----------------------------------------------------------------------------------------------

@dataclass
class Result:
    """A successful command or query: `json` is the result document's text, `value` the parsed document,
    `warnings` what was accepted but worth telling."""
    json: str
    warnings: List[Violation] = field(default_factory=list)

    @cached_property
    def value(self) -> Any:
        return json.loads(self.json)


def _take_result(res: ctypes.c_void_p, with_warnings: bool = True) -> Result:
    """Copies a result out of its handle and frees the handle."""
    try:
        text = _native.borrowed(lib.lc_result_json, res)
        warnings = []
        if with_warnings:
            warnings = [
                Violation(_native.borrowed(lib.lc_result_warning_field, res, i),
                          _native.borrowed(lib.lc_result_warning_rule, res, i),
                          _native.borrowed(lib.lc_result_warning_message, res, i))
                for i in range(lib.lc_result_warning_count(res))
            ]
        return Result(text, warnings)
    finally:
        lib.lc_result_free(res)


def _call(fn, *args, with_warnings: bool = True) -> Result:
    """Calls an lc_ function whose last two parameters are (lc_result** out, lc_error** err)."""
    res = ctypes.c_void_p()
    err = ctypes.c_void_p()
    status = fn(*args, ctypes.byref(res), ctypes.byref(err))
    if status != 0:
        lib.lc_result_free(res)  # NULL on failure; freed anyway in case
        _raise(status, err)
    return _take_result(res, with_warnings)


def _bytes(value: Union[str, bytes, None]) -> bytes:
    """UTF-8 bytes of a str; bytes pass through unchanged (the library refuses invalid UTF-8)."""
    if value is None:
        return b""
    return value if isinstance(value, bytes) else value.encode("utf-8")


def _json_bytes(value: Union[dict, str, bytes]) -> bytes:
    if isinstance(value, (str, bytes)):
        return _bytes(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---- options ----------------------------------------------------------------------------------------------

_INT_OPTIONS = {"max_addresses": 2, "max_input_bytes": 3, "lockout_attempts": 4, "lockout_seconds": 5}
_HASH_COSTS = {"interactive": 0, "moderate": 1, "minimum": 2}


class _Options:
    """An lc_options handle built from keyword arguments; freed on exit."""

    def __init__(self, **kwargs):
        self.kwargs = {k: v for k, v in kwargs.items() if v is not None}
        self.handle = ctypes.c_void_p()

    def __enter__(self) -> ctypes.c_void_p:
        if not self.kwargs:
            return ctypes.c_void_p()  # NULL: the defaults
        err = ctypes.c_void_p()
        status = lib.lc_options_new(ctypes.byref(self.handle), ctypes.byref(err))
        if status != 0:
            _raise(status, err)
        try:
            for key, value in self.kwargs.items():
                if key == "default_region":
                    data = _bytes(value)
                    status = lib.lc_options_set_string(self.handle, 1, data, len(data), ctypes.byref(err))
                elif key == "hash_cost":
                    if value not in _HASH_COSTS:
                        raise ValueError("hash_cost must be one of %s" % sorted(_HASH_COSTS))
                    status = lib.lc_options_set_int(self.handle, 6, _HASH_COSTS[value], ctypes.byref(err))
                elif key in _INT_OPTIONS:
                    status = lib.lc_options_set_int(self.handle, _INT_OPTIONS[key], int(value), ctypes.byref(err))
                else:
                    raise TypeError("unknown option %r" % key)
                if status != 0:
                    _raise(status, err)
        except BaseException:
            lib.lc_options_free(self.handle)
            raise
        return self.handle

    def __exit__(self, *exc):
        lib.lc_options_free(self.handle)
        self.handle = ctypes.c_void_p()
        return False


# ---- stores -----------------------------------------------------------------------------------------------

class Store:
    """A store and the command engine over it. Store() is a new in-memory store; Store.open_sqlite(path)
    opens a SQLite file. Options: default_region ("US"), max_addresses (200), max_input_bytes (64 MiB),
    lockout_attempts (5), lockout_seconds (900), hash_cost ("interactive", "moderate", "minimum")."""

    def __init__(self, *, _path: Optional[str] = None, **options):
        self._handle = ctypes.c_void_p()
        err = ctypes.c_void_p()
        with _Options(**options) as opts:
            if _path is None:
                status = lib.lc_store_open_memory(opts, ctypes.byref(self._handle), ctypes.byref(err))
            else:
                data = _bytes(_path)
                status = lib.lc_store_open_sqlite(data, len(data), opts, ctypes.byref(self._handle),
                                                  ctypes.byref(err))
        if status != 0:
            _raise(status, err)

    @classmethod
    def open_sqlite(cls, path: str, **options) -> "Store":
        """Opens (creating if needed) the SQLite store in `path`. UnimplementedError in a build without it."""
        return cls(_path=path, **options)

    def close(self) -> None:
        """Closes the store (idempotent)."""
        handle, self._handle = self._handle, ctypes.c_void_p()
        if handle.value:
            lib.lc_store_close(handle)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    @property
    def closed(self) -> bool:
        return not self._handle.value

    def _live(self) -> ctypes.c_void_p:
        if not self._handle.value:
            raise ValueError("the store is closed")
        return self._handle

    def supports(self, op: str) -> bool:
        """True when the engine knows the command or query `op`."""
        data = _bytes(op)
        return bool(lib.lc_store_supports(self._live(), data, len(data)))

    def execute(self, command: Union[dict, str, bytes]) -> Result:
        """Applies one SPEC §5 command or query (a dict, or its JSON text) atomically; raises Error."""
        data = _json_bytes(command)
        return _call(lib.lc_execute, self._live(), data, len(data))

    def get_json(self, customer_id: Optional[str] = None, email: Optional[str] = None) -> str:
        """The customer document as JSON text, by id or by e-mail (the typed hot path)."""
        if (customer_id is None) == (email is None):
            raise TypeError("give exactly one of customer_id and email")
        if email is not None:
            data = _bytes(email)
            return _call(lib.lc_customer_get_by_email, self._live(), data, len(data), with_warnings=False).json
        data = _bytes(customer_id)
        return _call(lib.lc_customer_get, self._live(), data, len(data), with_warnings=False).json

    def get(self, customer_id: Optional[str] = None, email: Optional[str] = None) -> dict:
        """The customer document, by id or by e-mail; NotFoundError when there is none."""
        return json.loads(self.get_json(customer_id=customer_id, email=email))

    def import_file(self, path: str, format: str, progress=None, **options) -> dict:
        """Imports a customer export (SPEC §7) and returns the import result of SPEC §5 as a dict.
        `options`: mapping, dry_run, customer_type_id, batch_size, import_passwords, rejects_path. `progress`,
        when given, is called as progress(rows_read, accepted, rejected, bytes_read) after every batch."""
        data = _bytes(path)
        opts = _json_bytes(dict(options, format=format))
        return self._import(lib.lc_import_file, data, opts, progress)

    def import_bytes(self, data: Union[str, bytes], format: str, progress=None, **options) -> dict:
        """As import_file, for an export held in memory."""
        raw = _bytes(data)
        opts = _json_bytes(dict(options, format=format))
        return self._import(lib.lc_import_buffer, raw, opts, progress)

    def _import(self, fn, data: bytes, opts: bytes, progress) -> dict:
        from ._native import PROGRESS_FN
        callback = PROGRESS_FN(lambda _user, rows, accepted, rejected, nbytes: progress(rows, accepted, rejected, nbytes)) \
            if progress else PROGRESS_FN()
        return json.loads(_call(fn, self._live(), data, len(data), opts, len(opts), callback, None).json)


# ---- stateless validation and the region catalog ------------------------------------------------------------

def validate_customer(document: Union[dict, str, bytes], **options) -> Result:
    """Validates a customer document (the fields of customer.create); nothing is stored. Returns the
    normalized document and warnings; raises ValidationError with every violation."""
    data = _json_bytes(document)
    with _Options(**options) as opts:
        return _call(lib.lc_validate_customer, opts, data, len(data))


def validate_address(document: Union[dict, str, bytes], **options) -> Result:
    """Validates an address document; field paths are the address's own ("zip", "state")."""
    data = _json_bytes(document)
    with _Options(**options) as opts:
        return _call(lib.lc_validate_address, opts, data, len(data))


def countries() -> List[dict]:
    """Every country: [{"code": "US", "name": "United States"}, ...]."""
    return _call(lib.lc_region_countries).value


def states(region: str) -> List[dict]:
    """The subdivisions of a country: [{"code": "US-CA", "name": "California"}, ...]."""
    data = _bytes(region)
    return _call(lib.lc_region_states, data, len(data)).value


def resolve_state(region: str, state: str) -> dict:
    """What a user typed for a state, resolved: {"code": "US-CA", "name": "California"}."""
    r, s = _bytes(region), _bytes(state)
    return _call(lib.lc_region_resolve_state, r, len(r), s, len(s)).value
