package leadcustomers

/*
#cgo pkg-config: leadcustomers
#include <stdint.h>
#include "leadcustomers.h"

extern void lcGoProgress(void* user, int64_t rows, int64_t accepted, int64_t rejected, uint64_t bytes);

// The handle travels as an integer so Go never turns a uintptr into a pointer.
static lc_status lc_go_import(int from_file, lc_store* s, const char* data, size_t len, const char* opts,
                              size_t opts_len, uintptr_t handle, lc_result** out, lc_error** err) {
  lc_progress_fn fn = handle ? (lc_progress_fn)lcGoProgress : NULL;
  if (from_file) return lc_import_file(s, data, len, opts, opts_len, fn, (void*)handle, out, err);
  return lc_import_buffer(s, data, len, opts, opts_len, fn, (void*)handle, out, err);
}
*/
import "C"

import (
	"encoding/json"
	"runtime/cgo"
)

// Progress is what an import has done so far.
type Progress struct {
	RowsRead, Accepted, Rejected int64
	BytesRead                    uint64
}

// ProgressFunc is called after every batch of an import, on the importing goroutine.
type ProgressFunc func(Progress)

// ImportOptions configure an import (SPEC §7). Format is required: shopify, shopify-json, magento-customer,
// magento-address, magento-composite, generic, generic-json or jsonl.
type ImportOptions struct {
	Format         string          `json:"format"`
	Mapping        json.RawMessage `json:"mapping,omitempty"`
	DryRun         bool            `json:"dry_run,omitempty"`
	CustomerTypeID int64           `json:"customer_type_id,omitempty"`
	BatchSize      int64           `json:"batch_size,omitempty"`
	// ImportPasswords hashes plaintext password columns into the portal login (SPEC §7).
	ImportPasswords bool         `json:"import_passwords,omitempty"`
	RejectsPath     string       `json:"rejects_path,omitempty"`
	Progress        ProgressFunc `json:"-"`
}

// ImportFile imports the export at path and returns the import result of SPEC §5 (JSON). An import is not an
// error when records are rejected: they are in the result.
func (s *Store) ImportFile(path string, opts ImportOptions) ([]byte, error) {
	return s.importData(1, []byte(path), opts)
}

// ImportBytes imports an export held in memory.
func (s *Store) ImportBytes(data []byte, opts ImportOptions) ([]byte, error) {
	return s.importData(0, data, opts)
}

func (s *Store) importData(fromFile C.int, data []byte, opts ImportOptions) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.p == nil {
		return nil, ErrClosed
	}
	optJSON, err := json.Marshal(opts)
	if err != nil {
		return nil, err
	}
	var handle C.uintptr_t
	if opts.Progress != nil {
		h := cgo.NewHandle(opts.Progress)
		defer h.Delete()
		handle = C.uintptr_t(h)
	}
	p, n := cBytes(data)
	op, on := cBytes(optJSON)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_go_import(fromFile, s.p, p, n, op, on, handle, &res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	return takeResult(res, true).JSON, nil
}
