// A streaming CSV reader: RFC 4180 plus what real exports do. A UTF-8 BOM is skipped; CRLF, LF and CR-only
// line ends are all accepted; a line break inside a quoted cell is kept as LF; `""` inside quotes is one
// quote; the delimiter (`,` `;` or tab) is detected from the header line. Every record reports the
// physical line where it starts (the header is line 1) and, when it holds invalid UTF-8, the file byte
// offset of the first bad byte. Input is read in fixed-size chunks, so files larger than memory stream.
//
//   std::ifstream in("customers.csv", std::ios::binary);
//   CsvReader reader(in);
//   CsvRecord record;
//   while (reader.next(record)) {
//     // record.line, record.cells, record.invalid_utf8_at
//   }
//   if (!reader.status().ok()) { /* the stream failed */ }
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace leadcustomers {

struct CsvOptions {
  // The cell delimiter; nullopt = detect it from the first record (the most frequent of `,` `;` and tab
  // outside quotes; `,` on a tie or when there is none).
  std::optional<char> delimiter;
  // A record longer than this (an unbalanced quote swallowing the file) ends the read with an error.
  size_t max_record_bytes = 64 * 1024 * 1024;
  // Size of each read from the stream.
  size_t chunk_bytes = 64 * 1024;
};

// One record (a header or a data row) as it was in the file.
struct CsvRecord {
  std::vector<std::string> cells;
  int64_t line = 0;          // physical line where the record starts; the first line of the file is 1
  int64_t end_line = 0;      // physical line where it ends (> line when a quoted cell holds line breaks)
  uint64_t byte_offset = 0;  // file offset of the record's first byte (a BOM counts)
  std::optional<uint64_t> invalid_utf8_at;  // file offset where the first invalid UTF-8 sequence starts
  bool unterminated_quote = false;          // the input ended inside a quoted cell
  // True when every cell is empty (a line of delimiters only).
  [[nodiscard]] bool blank() const;
};

class CsvReader {
 public:
  // The stream must outlive the reader; open files in binary mode so line ends reach the reader intact.
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  // Reads the next record into `record`; false at the end of the input or on an error (see status()).
  // Empty physical lines between records are skipped.
  [[nodiscard]] bool next(CsvRecord& record);

  // The delimiter in use (detected on the first call to next(), else the configured one).
  [[nodiscard]] char delimiter() const { return delimiter_; }
  // OK, or why reading stopped early (a stream failure, a record over max_record_bytes).
  [[nodiscard]] const absl::Status& status() const { return status_; }
  // Bytes consumed so far (for progress reports).
  [[nodiscard]] uint64_t bytes_read() const { return offset_ + pos_; }

 private:
  bool fill();  // reads more input into the buffer; false at end of input
  bool detect_delimiter();
  void check_utf8(unsigned char byte, CsvRecord& record);

  std::istream& in_;
  CsvOptions options_;
  std::vector<char> buf_;
  size_t pos_ = 0;       // next unread byte in buf_
  size_t end_ = 0;       // bytes valid in buf_
  uint64_t offset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  bool started_ = false;
  bool skip_lf_ = false;  // the previous byte was a CR: a following LF belongs to it
  int64_t line_ = 1;
  char delimiter_ = ',';
  int utf8_need_ = 0;  // continuation bytes still expected
  unsigned char utf8_lo_ = 0x80, utf8_hi_ = 0xBF;
  uint64_t utf8_start_ = 0;  // file offset of the sequence being decoded
  absl::Status status_;
};

// Appends `cell` to `out` as one CSV cell: quoted (with `""` for quotes) when it holds the delimiter, a
// quote, a line break or leading/trailing spaces; as is otherwise.
void append_csv_cell(std::string& out, std::string_view cell, char delimiter = ',');
// One CSV line (cells joined by the delimiter, then "\n").
[[nodiscard]] std::string csv_line(const std::vector<std::string>& cells, char delimiter = ',');

}  // namespace leadcustomers
