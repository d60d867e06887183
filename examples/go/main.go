// Quick-start: LeadCustomers from Go (cgo binding in capi/go, found through pkg-config).
//
//	(from examples/go, after `cmake --preset release && cmake --build --preset release`)
//	PKG_CONFIG_PATH=$PWD/../../build/release/pkgconfig LD_LIBRARY_PATH=$PWD/../../build/release/lib GOFLAGS=-mod=mod GOPROXY=off go run .
package main

import (
	"errors"
	"fmt"
	"log"

	"leadcustomers"
)

func main() {
	fmt.Println("libleadcustomers_c", leadcustomers.Version())
	store, err := leadcustomers.OpenMemory(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	_, err = store.ExecuteValue(map[string]any{"op": "customer.create", "customer_type_id": 1,
		"first_name": "Ana", "last_name": "Example", "email": "ana.example@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	doc, err := store.GetByEmail("ANA.EXAMPLE@example.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("found: %s\n", doc)

	_, err = store.ExecuteValue(map[string]any{"op": "customer.create", "customer_type_id": 1,
		"first_name": "Bo", "last_name": "Example", "email": "bo.example.com"})
	var verr *leadcustomers.ValidationError
	if !errors.As(err, &verr) {
		log.Fatalf("expected a validation error, got %v", err)
	}
	fmt.Println(verr)
	for _, v := range verr.Violations {
		fmt.Println("  ", v.Field, v.Rule, v.Message)
	}
}
