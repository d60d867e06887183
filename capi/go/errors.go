package leadcustomers

/*
#include "leadcustomers.h"
*/
import "C"

import "fmt"

// Status is the pinned lc_status of a failed call (SPEC §5 codes, then the C ABI's own).
type Status int32

const (
	OK                 Status = C.LC_OK
	InvalidArgument    Status = C.LC_INVALID_ARGUMENT
	ValidationFailed   Status = C.LC_VALIDATION_FAILED
	NotFound           Status = C.LC_NOT_FOUND
	AlreadyExists      Status = C.LC_ALREADY_EXISTS
	Conflict           Status = C.LC_CONFLICT
	FailedPrecondition Status = C.LC_FAILED_PRECONDITION
	PermissionDenied   Status = C.LC_PERMISSION_DENIED
	Unauthenticated    Status = C.LC_UNAUTHENTICATED
	ResourceExhausted  Status = C.LC_RESOURCE_EXHAUSTED
	Internal           Status = C.LC_INTERNAL
	Unimplemented      Status = C.LC_UNIMPLEMENTED
	Cancelled          Status = C.LC_CANCELLED
	Unavailable        Status = C.LC_UNAVAILABLE
	DataLoss           Status = C.LC_DATA_LOSS
)

// String is the SPEC §5 spelling ("VALIDATION_FAILED").
func (s Status) String() string { return C.GoString(C.lc_status_name(C.lc_status(s))) }

// Violation is one broken rule (or one warning): field path, stable rule id, message for people.
type Violation struct {
	Field   string
	Rule    string
	Message string
}

// Error is a failed call other than VALIDATION_FAILED. Compare with errors.Is against the sentinels
// (ErrNotFound, ...), or errors.As to *Error for the details.
type Error struct {
	Status     Status
	Message    string
	Violations []Violation
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Status, e.Message) }

// Is matches a sentinel of the same status (errors.Is(err, leadcustomers.ErrNotFound)).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Violations == nil && t.Status == e.Status
}

// ValidationError is VALIDATION_FAILED: a well-formed command or document that breaks rules, with every
// violation. errors.Is(err, ErrValidationFailed) also matches it.
type ValidationError struct {
	Message    string
	Violations []Violation
}

func (e *ValidationError) Error() string { return fmt.Sprintf("%s: %s", ValidationFailed, e.Message) }

// Is matches ErrValidationFailed.
func (e *ValidationError) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Violations == nil && t.Status == ValidationFailed
}

// Sentinels for errors.Is.
var (
	ErrInvalidArgument    = &Error{Status: InvalidArgument}
	ErrValidationFailed   = &Error{Status: ValidationFailed}
	ErrNotFound           = &Error{Status: NotFound}
	ErrAlreadyExists      = &Error{Status: AlreadyExists}
	ErrConflict           = &Error{Status: Conflict}
	ErrFailedPrecondition = &Error{Status: FailedPrecondition}
	ErrPermissionDenied   = &Error{Status: PermissionDenied}
	ErrUnauthenticated    = &Error{Status: Unauthenticated}
	ErrResourceExhausted  = &Error{Status: ResourceExhausted}
	ErrInternal           = &Error{Status: Internal}
	ErrUnimplemented      = &Error{Status: Unimplemented}
	ErrCancelled          = &Error{Status: Cancelled}
	ErrUnavailable        = &Error{Status: Unavailable}
	ErrDataLoss           = &Error{Status: DataLoss}
)

// StatusOf is the Status of an error of this package (OK for nil, Internal for any other error).
func StatusOf(err error) Status {
	switch e := err.(type) {
	case nil:
		return OK
	case *ValidationError:
		return ValidationFailed
	case *Error:
		return e.Status
	default:
		return Internal
	}
}

// takeError copies a C error into a Go error and frees it.
func takeError(st C.lc_status, cerr *C.lc_error) error {
	defer C.lc_error_free(cerr)
	message := "no error details" // the library could not even allocate the error
	var violations []Violation
	if cerr != nil {
		var n C.size_t
		p := C.lc_error_message(cerr, &n)
		message = C.GoStringN(p, C.int(n))
		count := int(C.lc_error_violation_count(cerr))
		for i := 0; i < count; i++ {
			var fl, rl, ml C.size_t
			f := C.lc_error_violation_field(cerr, C.size_t(i), &fl)
			r := C.lc_error_violation_rule(cerr, C.size_t(i), &rl)
			m := C.lc_error_violation_message(cerr, C.size_t(i), &ml)
			violations = append(violations, Violation{C.GoStringN(f, C.int(fl)), C.GoStringN(r, C.int(rl)),
				C.GoStringN(m, C.int(ml))})
		}
	}
	if Status(st) == ValidationFailed {
		return &ValidationError{Message: message, Violations: violations}
	}
	return &Error{Status: Status(st), Message: message, Violations: violations}
}
