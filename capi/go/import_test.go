package leadcustomers_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"leadcustomers"
)

const importCSV = "First Name,Last Name,Email,Default Address Address1,Default Address City," +
	"Default Address Province Code,Default Address Country Code,Default Address Zip\r\n" +
	"Ana,Example,ana.example@example.com,12 Example Street,Cambridge,MA,US,\"02138\"\r\n" +
	"Ben,Sample,ben.sample@example.org,1 Sample Road,Hoboken,NJ,US,07030\r\n" +
	"Cy,Sample,cy.sample@example.org,2 Sample Road,Hoboken,NJ,US,7030\r\n"

type importResult struct {
	RowsRead int64 `json:"rows_read"`
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
}

func TestImportFileReportsProgressAndKeepsGoodRows(t *testing.T) {
	s, err := leadcustomers.OpenMemory(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, []byte(importCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	var last leadcustomers.Progress
	calls := 0
	out, err := s.ImportFile(path, leadcustomers.ImportOptions{Format: "shopify", BatchSize: 1,
		Progress: func(p leadcustomers.Progress) { calls++; last = p }})
	if err != nil {
		t.Fatal(err)
	}
	var r importResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if r != (importResult{3, 2, 1}) {
		t.Fatalf("result %+v", r)
	}
	if calls < 3 || last.RowsRead != 3 || last.Accepted != 2 || last.Rejected != 1 {
		t.Fatalf("progress: %d calls, last %+v", calls, last)
	}
	if _, err := s.GetByEmail("ana.example@example.com"); err != nil {
		t.Fatal(err)
	}
}

func TestImportBytesRefusesAnUnknownFormat(t *testing.T) {
	s, err := leadcustomers.OpenMemory(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.ImportBytes([]byte(importCSV), leadcustomers.ImportOptions{Format: "excel"})
	if !errors.Is(err, leadcustomers.ErrInvalidArgument) {
		t.Fatalf("got %v", err)
	}
}
