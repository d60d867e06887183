package leadcustomers_test

import (
	"fmt"
	"testing"

	"leadcustomers"
)

// BenchmarkGetByEmail: the customer document by e-mail through cgo (JSON text out), over a store of 10 000
// customers. Run: go test -run '^$' -bench GetByEmail (the C++ and C ABI figures are in bench/capi_bench).
func BenchmarkGetByEmail(b *testing.B) {
	s, err := leadcustomers.OpenMemory(nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 10000
	for i := 0; i < n; i++ {
		cmd := fmt.Sprintf(`{"op":"customer.create","customer_type_id":1,"first_name":"F%d","last_name":"L",`+
			`"email":"customer%d@example.com"}`, i, i)
		if _, err := s.Execute([]byte(cmd)); err != nil {
			b.Fatal(err)
		}
	}
	emails := make([]string, 1024)
	for i := range emails {
		emails[i] = fmt.Sprintf("customer%d@example.com", (i*7919)%n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.GetByEmail(emails[i%len(emails)]); err != nil {
			b.Fatal(err)
		}
	}
}
