package leadcustomers_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"leadcustomers"
)

const ana = `{"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,` +
	`"first_name":"Ana","last_name":"Example","email":"ana.example@example.com"}`

func open(t *testing.T) *leadcustomers.Store {
	t.Helper()
	s, err := leadcustomers.OpenMemory(&leadcustomers.Options{HashCost: leadcustomers.HashCostMinimum})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestVersionHasTheBindingMajor(t *testing.T) {
	if !strings.HasPrefix(leadcustomers.Version(), "0.") {
		t.Fatalf("version %q", leadcustomers.Version())
	}
}

func TestExecuteReturnsTheCustomerDocument(t *testing.T) {
	s := open(t)
	r, err := s.Execute([]byte(ana))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ ID, Email string }
	if err := r.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != "018f0000-0000-7000-8000-000000000001" || doc.Email != "ana.example@example.com" {
		t.Fatalf("got %+v", doc)
	}
	if len(r.Warnings) != 0 {
		t.Fatalf("warnings %v", r.Warnings)
	}
}

func TestGetByEmailIgnoresLetterCase(t *testing.T) {
	s := open(t)
	if _, err := s.Execute([]byte(ana)); err != nil {
		t.Fatal(err)
	}
	doc, err := s.GetByEmail("ANA.EXAMPLE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), `"id":"018f0000-0000-7000-8000-000000000001"`) {
		t.Fatalf("got %s", doc)
	}
}

func TestGetByIDAcceptsUpperCase(t *testing.T) {
	s := open(t)
	if _, err := s.Execute([]byte(ana)); err != nil {
		t.Fatal(err)
	}
	doc, err := s.GetByID("018F0000-0000-7000-8000-000000000001")
	if err != nil || !strings.Contains(string(doc), `"first_name":"Ana"`) {
		t.Fatalf("got %s, %v", doc, err)
	}
}

func TestValidationFailedIsAValidationErrorWithViolations(t *testing.T) {
	s := open(t)
	_, err := s.Execute([]byte(`{"op":"customer.create","customer_type_id":1,"first_name":"A","last_name":"B",` +
		`"email":"ana.example.com"}`))
	var verr *leadcustomers.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("got %T %v", err, err)
	}
	if len(verr.Violations) != 1 || verr.Violations[0].Field != "email" || verr.Violations[0].Rule != "email.missing_at" {
		t.Fatalf("violations %+v", verr.Violations)
	}
	if !errors.Is(err, leadcustomers.ErrValidationFailed) || leadcustomers.StatusOf(err) != leadcustomers.ValidationFailed {
		t.Fatal("errors.Is / StatusOf do not see VALIDATION_FAILED")
	}
}

func TestDuplicateEmailIsAlreadyExistsOnEmail(t *testing.T) {
	s := open(t)
	if _, err := s.Execute([]byte(ana)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Execute([]byte(`{"op":"customer.create","customer_type_id":1,"first_name":"A","last_name":"B",` +
		`"email":"Ana.Example@Example.COM"}`))
	var e *leadcustomers.Error
	if !errors.As(err, &e) || e.Status != leadcustomers.AlreadyExists {
		t.Fatalf("got %v", err)
	}
	if !errors.Is(err, leadcustomers.ErrAlreadyExists) || errors.Is(err, leadcustomers.ErrNotFound) {
		t.Fatal("errors.Is matches the wrong sentinel")
	}
	if e.Violations[0] != (leadcustomers.Violation{Field: "email", Rule: "email.taken", Message: e.Violations[0].Message}) {
		t.Fatalf("violations %+v", e.Violations)
	}
}

func TestMissingCustomerIsNotFound(t *testing.T) {
	s := open(t)
	_, err := s.GetByEmail("nobody@example.com")
	if !errors.Is(err, leadcustomers.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	if err.Error() == "" || !strings.HasPrefix(err.Error(), "NOT_FOUND: ") {
		t.Fatalf("message %q", err.Error())
	}
}

func TestInvalidUTF8IsRefused(t *testing.T) {
	s := open(t)
	_, err := s.Execute([]byte("{\"op\":\"customer.get\",\"email\":\"\xff@example.com\"}"))
	var e *leadcustomers.Error
	if !errors.As(err, &e) || e.Status != leadcustomers.InvalidArgument || e.Violations[0].Rule != "capi.invalid_utf8" {
		t.Fatalf("got %v", err)
	}
}

func TestEmptyCommandIsBadJSON(t *testing.T) {
	s := open(t)
	_, err := s.Execute(nil)
	var e *leadcustomers.Error
	if !errors.As(err, &e) || e.Violations[0].Rule != "command.bad_json" {
		t.Fatalf("got %v", err)
	}
}

func TestOversizedCommandIsResourceExhausted(t *testing.T) {
	s, err := leadcustomers.OpenMemory(&leadcustomers.Options{MaxInputBytes: 32})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Execute([]byte(ana))
	var e *leadcustomers.Error
	if !errors.As(err, &e) || e.Status != leadcustomers.ResourceExhausted || e.Violations[0].Rule != "capi.too_large" {
		t.Fatalf("got %v", err)
	}
}

func TestBadOptionIsInvalidArgument(t *testing.T) {
	_, err := leadcustomers.OpenMemory(&leadcustomers.Options{DefaultRegion: "USA"})
	var e *leadcustomers.Error
	if !errors.As(err, &e) || e.Violations[0].Rule != "option.out_of_range" {
		t.Fatalf("got %v", err)
	}
}

func TestClosedStoreReturnsErrClosed(t *testing.T) {
	s, err := leadcustomers.OpenMemory(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close() // twice is fine
	if _, err := s.Execute([]byte(ana)); !errors.Is(err, leadcustomers.ErrClosed) {
		t.Fatalf("got %v", err)
	}
	if s.Supports("customer.get") {
		t.Fatal("a closed store supports nothing")
	}
}

func TestGoroutinesShareOneStore(t *testing.T) {
	s := open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				email := "g" + string(rune('0'+g)) + "-" + strings.Repeat("x", i) + "@example.com"
				if _, err := s.ExecuteValue(map[string]any{"op": "customer.create", "customer_type_id": 1,
					"first_name": "G", "last_name": "R", "email": email}); err != nil {
					errs <- err
				}
				if _, err := s.GetByEmail(email); err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestValidateCustomerReturnsTheNormalizedDocument(t *testing.T) {
	r, err := leadcustomers.ValidateCustomer([]byte(`{"customer_type_id":4,"first_name":"  Ana ","last_name":"E",`+
		`"email":"ana@example.com"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.JSON), `"first_name":"Ana"`) {
		t.Fatalf("got %s", r.JSON)
	}
}

func TestValidateAddressReportsFieldsOfTheAddress(t *testing.T) {
	_, err := leadcustomers.ValidateAddress([]byte(`{"region":"DE","address1":"x","city":"Berlin","zip":"10115"}`), nil)
	var verr *leadcustomers.ValidationError
	if !errors.As(err, &verr) || verr.Violations[0].Field != "name" || verr.Violations[0].Rule != "address.name_required" {
		t.Fatalf("got %v", err)
	}
}

func TestResolveStateGivesTheFullCode(t *testing.T) {
	r, err := leadcustomers.ResolveState("us", "CA")
	if err != nil || r.Code != "US-CA" {
		t.Fatalf("got %+v, %v", r, err)
	}
}

func TestCountryListHasUS(t *testing.T) {
	list, err := leadcustomers.Countries()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Code == "US" {
			return
		}
	}
	t.Fatal("US is not in the country list")
}

func TestSQLiteRoundTrips(t *testing.T) {
	path := t.TempDir() + "/lc.db"
	s, err := leadcustomers.OpenSQLite(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute([]byte(ana)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = leadcustomers.OpenSQLite(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.GetByEmail("ana.example@example.com"); err != nil {
		t.Fatal(err)
	}
}
