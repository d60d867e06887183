package leadcustomers

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// lcGoProgress is the C progress callback of imports: user carries a cgo.Handle of the Go ProgressFunc.
//
//export lcGoProgress
func lcGoProgress(user unsafe.Pointer, rows, accepted, rejected C.int64_t, bytes C.uint64_t) {
	h := cgo.Handle(uintptr(user))
	if fn, ok := h.Value().(ProgressFunc); ok && fn != nil {
		fn(Progress{RowsRead: int64(rows), Accepted: int64(accepted), Rejected: int64(rejected), BytesRead: uint64(bytes)})
	}
}
