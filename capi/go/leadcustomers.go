// Package leadcustomers is the Go binding of LeadCustomers: the C ABI (libleadcustomers_c) through cgo,
// found with pkg-config (leadcustomers.pc).
//
//	store, err := leadcustomers.OpenMemory(nil)
//	if err != nil { ... }
//	defer store.Close()
//	_, err = store.Execute([]byte(`{"op":"customer.create","customer_type_id":1,` +
//		`"first_name":"Ana","last_name":"Example","email":"ana@example.com"}`))
//	doc, err := store.GetByEmail("ANA@example.com") // the customer document, JSON
//	var verr *leadcustomers.ValidationError
//	if errors.As(err, &verr) {
//		for _, v := range verr.Violations { fmt.Println(v.Field, v.Rule, v.Message) }
//	}
//
// Every result and error the library returns is copied into Go values and freed before the call returns.
// A Store holds a C handle and must be closed explicitly with Close (there is no finalizer). A Store may be
// used from several goroutines at once; Close waits for calls in flight.
package leadcustomers

/*
#cgo pkg-config: leadcustomers
#include "leadcustomers.h"
#if LC_VERSION_MAJOR != 0
#error "this binding speaks LC_VERSION_MAJOR 0"
#endif
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"unsafe"
)

// ABIMajor is the LC_VERSION_MAJOR this binding speaks; the loaded library must have the same.
const ABIMajor = 0

// loadErr is set when the loaded library's major version is not ABIMajor; every entry point returns it.
var loadErr error

func init() {
	var major C.int32_t
	C.lc_version(&major, nil, nil)
	if int(major) != ABIMajor {
		loadErr = fmt.Errorf("leadcustomers: the library is version %s, this binding needs major %d",
			Version(), ABIMajor)
	}
}

// Version is the library's version, "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.lc_version_string()) }

// Result is a successful command or query: the result document as JSON and the warnings (accepted, but
// worth telling).
type Result struct {
	JSON     []byte
	Warnings []Violation
}

// Decode unmarshals the result document into v.
func (r *Result) Decode(v any) error { return json.Unmarshal(r.JSON, v) }

// HashCost selects the Argon2id limits of portal secrets.
type HashCost int

const (
	HashCostInteractive HashCost = C.LC_HASH_COST_INTERACTIVE // the default
	HashCostModerate    HashCost = C.LC_HASH_COST_MODERATE
	HashCostMinimum     HashCost = C.LC_HASH_COST_MINIMUM // tests only
)

// Options configure a store or a validation; a zero field keeps the library's default.
type Options struct {
	DefaultRegion   string // ISO alpha-2 for phones without '+' ("US")
	MaxAddresses    int    // per customer (200)
	MaxInputBytes   int64  // largest command or document (64 MiB)
	LockoutAttempts int    // failed portal logins before a lock (5)
	LockoutSeconds  int    // how long a lock lasts (900)
	HashCost        HashCost
}

// withOptions builds the lc_options of o (NULL for nil), calls fn with it, and frees it.
func withOptions(o *Options, fn func(*C.lc_options) error) error {
	if o == nil {
		return fn(nil)
	}
	var opts *C.lc_options
	var cerr *C.lc_error
	if st := C.lc_options_new(&opts, &cerr); st != C.LC_OK {
		return takeError(st, cerr)
	}
	defer C.lc_options_free(opts)
	setInt := func(key C.lc_option, v int64) error {
		if st := C.lc_options_set_int(opts, key, C.int64_t(v), &cerr); st != C.LC_OK {
			return takeError(st, cerr)
		}
		return nil
	}
	if o.DefaultRegion != "" {
		p, n := cString(o.DefaultRegion)
		if st := C.lc_options_set_string(opts, C.LC_OPTION_DEFAULT_REGION, p, n, &cerr); st != C.LC_OK {
			return takeError(st, cerr)
		}
	}
	for _, kv := range []struct {
		key C.lc_option
		v   int64
	}{
		{C.LC_OPTION_MAX_ADDRESSES, int64(o.MaxAddresses)},
		{C.LC_OPTION_MAX_INPUT_BYTES, o.MaxInputBytes},
		{C.LC_OPTION_LOCKOUT_ATTEMPTS, int64(o.LockoutAttempts)},
		{C.LC_OPTION_LOCKOUT_SECONDS, int64(o.LockoutSeconds)},
		{C.LC_OPTION_HASH_COST, int64(o.HashCost)},
	} {
		if kv.v == 0 {
			continue
		}
		if err := setInt(kv.key, kv.v); err != nil {
			return err
		}
	}
	return fn(opts)
}

// Store is a store and the command engine over it.
type Store struct {
	mu sync.RWMutex // calls hold it shared; Close holds it exclusively
	p  *C.lc_store
}

// ErrClosed is returned by calls on a closed Store.
var ErrClosed = errors.New("leadcustomers: the store is closed")

// OpenMemory opens a new, empty in-memory store. opts may be nil.
func OpenMemory(opts *Options) (*Store, error) {
	if loadErr != nil {
		return nil, loadErr
	}
	s := &Store{}
	err := withOptions(opts, func(o *C.lc_options) error {
		var cerr *C.lc_error
		if st := C.lc_store_open_memory(o, &s.p, &cerr); st != C.LC_OK {
			return takeError(st, cerr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OpenSQLite opens (creating if needed) the SQLite store in the file path. opts may be nil. The error has
// status Unimplemented in a build of the library without the SQLite store.
func OpenSQLite(path string, opts *Options) (*Store, error) {
	if loadErr != nil {
		return nil, loadErr
	}
	s := &Store{}
	err := withOptions(opts, func(o *C.lc_options) error {
		p, n := cString(path)
		var cerr *C.lc_error
		if st := C.lc_store_open_sqlite(p, n, o, &s.p, &cerr); st != C.LC_OK {
			return takeError(st, cerr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the store; it waits for calls in flight. Closing twice is a no-op.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p != nil {
		C.lc_store_close(s.p)
		s.p = nil
	}
	return nil
}

// Supports reports whether the engine knows the command or query op ("customer.create").
func (s *Store) Supports(op string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.p == nil {
		return false
	}
	p, n := cString(op)
	return bool(C.lc_store_supports(s.p, p, n))
}

// Execute applies one SPEC §5 command or query, given as JSON text, atomically.
func (s *Store) Execute(command []byte) (*Result, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.p == nil {
		return nil, ErrClosed
	}
	p, n := cBytes(command)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_execute(s.p, p, n, &res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	return takeResult(res, true), nil
}

// ExecuteValue marshals command (a map or struct) to JSON and executes it.
func (s *Store) ExecuteValue(command any) (*Result, error) {
	b, err := json.Marshal(command)
	if err != nil {
		return nil, err
	}
	return s.Execute(b)
}

// GetByID returns the customer document (JSON) of the customer with this id (UUID text, any case).
func (s *Store) GetByID(id string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.p == nil {
		return nil, ErrClosed
	}
	p, n := cString(id)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_customer_get(s.p, p, n, &res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	return takeResult(res, false).JSON, nil
}

// GetByEmail returns the customer document (JSON) of the customer with this e-mail (letter case ignored).
func (s *Store) GetByEmail(email string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.p == nil {
		return nil, ErrClosed
	}
	p, n := cString(email)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_customer_get_by_email(s.p, p, n, &res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	return takeResult(res, false).JSON, nil
}

// ValidateCustomer validates a customer document (the fields of customer.create); nothing is stored. It
// returns the normalized document, or a *ValidationError with every violation. opts may be nil.
func ValidateCustomer(document []byte, opts *Options) (*Result, error) {
	return validate(document, opts, false)
}

// ValidateAddress validates an address document; violation fields are the address's own ("zip").
func ValidateAddress(document []byte, opts *Options) (*Result, error) {
	return validate(document, opts, true)
}

func validate(document []byte, opts *Options, address bool) (*Result, error) {
	if loadErr != nil {
		return nil, loadErr
	}
	var out *Result
	err := withOptions(opts, func(o *C.lc_options) error {
		p, n := cBytes(document)
		var res *C.lc_result
		var cerr *C.lc_error
		var st C.lc_status
		if address {
			st = C.lc_validate_address(o, p, n, &res, &cerr)
		} else {
			st = C.lc_validate_customer(o, p, n, &res, &cerr)
		}
		if st != C.LC_OK {
			return takeError(st, cerr)
		}
		out = takeResult(res, true)
		return nil
	})
	return out, err
}

// Region is a country or a subdivision of the region catalog; Name is "" when the catalog has none.
type Region struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Countries lists every country, ordered by code.
func Countries() ([]Region, error) {
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_region_countries(&res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	var out []Region
	err := takeResult(res, false).Decode(&out)
	return out, err
}

// States lists the subdivisions of a country (alpha-2, any case), ordered by code.
func States(region string) ([]Region, error) {
	p, n := cString(region)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_region_states(p, n, &res, &cerr); st != C.LC_OK {
		return nil, takeError(st, cerr)
	}
	var out []Region
	err := takeResult(res, false).Decode(&out)
	return out, err
}

// ResolveState resolves what a user typed for a state of a country to its subdivision.
func ResolveState(region, state string) (Region, error) {
	rp, rn := cString(region)
	sp, sn := cString(state)
	var res *C.lc_result
	var cerr *C.lc_error
	if st := C.lc_region_resolve_state(rp, rn, sp, sn, &res, &cerr); st != C.LC_OK {
		return Region{}, takeError(st, cerr)
	}
	var out Region
	err := takeResult(res, false).Decode(&out)
	return out, err
}

// ---- conversions ----

// cString points C at the bytes of s without copying (Go 1.19 has no unsafe.StringData). The C side only
// reads them during the call and keeps no pointer, and they hold no Go pointers (cgo rules).
func cString(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	return (*C.char)(*(*unsafe.Pointer)(unsafe.Pointer(&s))), C.size_t(len(s))
}

// cBytes points C at b without copying (same rules as cString).
func cBytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// borrowed copies a (const char*, length) string a handle lends.
func borrowed(p *C.char, n C.size_t) string { return C.GoStringN(p, C.int(n)) }

// takeResult copies a result into Go values and frees it.
func takeResult(res *C.lc_result, warnings bool) *Result {
	defer C.lc_result_free(res)
	var n C.size_t
	p := C.lc_result_json(res, &n)
	r := &Result{JSON: C.GoBytes(unsafe.Pointer(p), C.int(n))}
	if warnings {
		count := int(C.lc_result_warning_count(res))
		for i := 0; i < count; i++ {
			var fl, rl, ml C.size_t
			f := C.lc_result_warning_field(res, C.size_t(i), &fl)
			ru := C.lc_result_warning_rule(res, C.size_t(i), &rl)
			m := C.lc_result_warning_message(res, C.size_t(i), &ml)
			r.Warnings = append(r.Warnings, Violation{borrowed(f, fl), borrowed(ru, rl), borrowed(m, ml)})
		}
	}
	return r
}
