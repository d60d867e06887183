package leadcustomers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"leadcustomers"
)

// The shared behaviour cases through the Go binding: one subtest per case file. A case that uses an op the
// engine does not know yet is skipped; a missing cases folder fails.

func casesDir() string {
	if d := os.Getenv("LC_SHARED_DIR"); d != "" {
		return filepath.Join(d, "cases")
	}
	return filepath.Join("..", "..", "..", "shared", "cases")
}

// subsetMismatch is "" when actual matches expected as the cases README says (objects as subsets, arrays
// element by element), else the first difference.
func subsetMismatch(expected, actual any, where string) string {
	switch e := expected.(type) {
	case map[string]any:
		a, ok := actual.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: expected an object, got %v", where, actual)
		}
		keys := make([]string, 0, len(e))
		for k := range e {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, ok := a[k]
			if !ok {
				return where + "." + k + ": missing"
			}
			if m := subsetMismatch(e[k], v, where+"."+k); m != "" {
				return m
			}
		}
		return ""
	case []any:
		a, ok := actual.([]any)
		if !ok || len(a) != len(e) {
			return fmt.Sprintf("%s: expected %v, got %v", where, expected, actual)
		}
		for i := range e {
			if m := subsetMismatch(e[i], a[i], fmt.Sprintf("%s[%d]", where, i)); m != "" {
				return m
			}
		}
		return ""
	default:
		if reflect.DeepEqual(expected, actual) {
			return ""
		}
		return fmt.Sprintf("%s: expected %v, got %v", where, expected, actual)
	}
}

type step struct {
	Cmd    json.RawMessage `json:"cmd"`
	Expect struct {
		OK     *bool  `json:"ok"`
		Code   string `json:"code"`
		Field  string `json:"field"`
		Result any    `json:"result"`
	} `json:"expect"`
}

func violationFields(err error, result any) []string {
	var fields []string
	var verr *leadcustomers.ValidationError
	var e *leadcustomers.Error
	switch {
	case errors.As(err, &verr):
		for _, v := range verr.Violations {
			fields = append(fields, v.Field)
		}
	case errors.As(err, &e):
		for _, v := range e.Violations {
			fields = append(fields, v.Field)
		}
	}
	if m, ok := result.(map[string]any); ok {
		rows, _ := m["rows"].([]any)
		for _, row := range rows {
			r, _ := row.(map[string]any)
			vs, _ := r["violations"].([]any)
			for _, v := range vs {
				if vm, ok := v.(map[string]any); ok {
					if f, ok := vm["field"].(string); ok {
						fields = append(fields, f)
					}
				}
			}
		}
	}
	return fields
}

func TestSharedCases(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(casesDir(), "*.json"))
	if len(files) < 10 {
		t.Fatalf("%s: %d case files; the folder is missing or incomplete", casesDir(), len(files))
	}
	for _, file := range files {
		file := file
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c struct{ Steps []step }
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
			s := open(t)
			for _, st := range c.Steps {
				var cmd struct{ Op string }
				_ = json.Unmarshal(st.Cmd, &cmd)
				if !s.Supports(cmd.Op) {
					t.Skip("uses " + cmd.Op)
				}
			}
			for n, st := range c.Steps {
				r, err := s.Execute(st.Cmd)
				var result any
				if err == nil {
					if err := r.Decode(&result); err != nil {
						t.Fatal(err)
					}
				}
				where := fmt.Sprintf("step %d (%v)", n+1, err)
				if st.Expect.OK != nil && *st.Expect.OK != (err == nil) {
					t.Fatalf("%s: expected ok=%v", where, *st.Expect.OK)
				}
				if st.Expect.Code != "" && st.Expect.Code != leadcustomers.StatusOf(err).String() {
					t.Fatalf("%s: expected code %s", where, st.Expect.Code)
				}
				if st.Expect.Field != "" {
					found := false
					for _, f := range violationFields(err, result) {
						found = found || f == st.Expect.Field
					}
					if !found {
						t.Fatalf("%s: expected a violation on %s", where, st.Expect.Field)
					}
				}
				if st.Expect.Result != nil {
					if m := subsetMismatch(st.Expect.Result, result, "result"); m != "" {
						t.Fatalf("%s: %s", where, m)
					}
				}
			}
		})
	}
}
