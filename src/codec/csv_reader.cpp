#include "leadcustomers/csv_reader.hpp"

#include <algorithm>
#include <array>

#include "detail/strings.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers {

using detail::cat;

bool CsvRecord::blank() const {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

CsvReader::CsvReader(std::istream& in, CsvOptions options) : in_(in), options_(options) {
  if (options_.chunk_bytes < 16) options_.chunk_bytes = 16;
  if (options_.delimiter) delimiter_ = *options_.delimiter;
}

// Discards the consumed part of the buffer and appends the next chunk of input. False at end of input.
bool CsvReader::fill() {
  if (eof_ || !status_.ok()) return false;
  if (pos_ > 0) {
    std::copy(buf_.begin() + static_cast<std::ptrdiff_t>(pos_),
              buf_.begin() + static_cast<std::ptrdiff_t>(end_), buf_.begin());
    offset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (buf_.size() < end_ + options_.chunk_bytes) buf_.resize(end_ + options_.chunk_bytes);
  in_.read(buf_.data() + end_, static_cast<std::streamsize>(options_.chunk_bytes));
  auto got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (in_.bad()) {
    status_ = make_error(ErrorCode::internal, cat("reading the CSV input failed at byte ", offset_ + end_));
    eof_ = true;
    return false;
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

// Buffers the whole first record and counts the candidate delimiters outside quotes.
bool CsvReader::detect_delimiter() {
  std::array<size_t, 3> counts{0, 0, 0};
  static constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
  size_t i = pos_;
  bool quoted = false;
  for (;;) {
    if (i == end_) {
      size_t consumed = i - pos_;
      if (!fill()) break;
      i = pos_ + consumed;
      if (i - pos_ > options_.max_record_bytes) break;
      continue;
    }
    char c = buf_[i++];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\r' || c == '\n')) {
      break;
    } else if (!quoted) {
      for (size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
    }
  }
  size_t best = 0;
  for (size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  delimiter_ = kCandidates[best];
  return status_.ok();
}

void CsvReader::check_utf8(unsigned char b, CsvRecord& record) {
  auto bad = [&](uint64_t at) {
    if (!record.invalid_utf8_at) record.invalid_utf8_at = at;
  };
  if (utf8_need_ > 0) {
    if (b >= utf8_lo_ && b <= utf8_hi_) {
      --utf8_need_;
      utf8_lo_ = 0x80;
      utf8_hi_ = 0xBF;
      return;
    }
    bad(utf8_start_);
    utf8_need_ = 0;
    // The byte may start a new sequence: fall through and look at it again.
  }
  if (b < 0x80) return;
  utf8_start_ = offset_ + pos_;
  utf8_lo_ = 0x80;
  utf8_hi_ = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    utf8_need_ = 1;
  } else if (b == 0xE0) {
    utf8_need_ = 2;
    utf8_lo_ = 0xA0;
  } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
    utf8_need_ = 2;
  } else if (b == 0xED) {
    utf8_need_ = 2;
    utf8_hi_ = 0x9F;  // no UTF-16 surrogates
  } else if (b == 0xF0) {
    utf8_need_ = 3;
    utf8_lo_ = 0x90;
  } else if (b >= 0xF1 && b <= 0xF3) {
    utf8_need_ = 3;
  } else if (b == 0xF4) {
    utf8_need_ = 3;
    utf8_hi_ = 0x8F;  // nothing above U+10FFFF
  } else {
    bad(utf8_start_);
  }
}

bool CsvReader::next(CsvRecord& record) {
  if (!status_.ok()) return false;
  if (!started_) {
    started_ = true;
    if (!fill() && end_ == 0) return false;
    if (end_ - pos_ >= 3 && static_cast<unsigned char>(buf_[pos_]) == 0xEF &&
        static_cast<unsigned char>(buf_[pos_ + 1]) == 0xBB &&
        static_cast<unsigned char>(buf_[pos_ + 2]) == 0xBF) {
      pos_ += 3;
    }
    if (!options_.delimiter && !detect_delimiter()) return false;
  }
  record.cells.clear();
  record.invalid_utf8_at.reset();
  record.unterminated_quote = false;

  // Skip empty physical lines (and the LF of a CRLF that ended the previous record).
  for (;;) {
    if (pos_ == end_ && !fill()) return false;
    char c = buf_[pos_];
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        ++pos_;
        continue;
      }
    }
    if (c == '\r') {
      ++pos_;
      ++line_;
      skip_lf_ = true;
      continue;
    }
    if (c == '\n') {
      ++pos_;
      ++line_;
      continue;
    }
    break;
  }

  record.line = line_;
  record.byte_offset = offset_ + pos_;
  utf8_need_ = 0;
  enum class State { field_start, unquoted, quoted, after_quote };
  State state = State::field_start;
  const char delim = delimiter_;
  record.cells.emplace_back();
  std::string* cell = &record.cells.back();
  uint64_t record_start = record.byte_offset;

  for (;;) {
    if (pos_ == end_) {
      if (offset_ + pos_ - record_start > options_.max_record_bytes) {
        status_ = make_error(ErrorCode::invalid_argument,
                             cat("the CSV record starting on line ", record.line, " is longer than ",
                                 options_.max_record_bytes, " bytes (an unbalanced quote?)"));
        return false;
      }
      if (!fill()) {
        if (!status_.ok()) return false;
        if (state == State::quoted) record.unterminated_quote = true;
        if (utf8_need_ > 0 && !record.invalid_utf8_at) record.invalid_utf8_at = utf8_start_;
        utf8_need_ = 0;
        record.end_line = line_;
        return true;
      }
    }
    auto c = static_cast<unsigned char>(buf_[pos_]);
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') {
        ++pos_;
        continue;
      }
    }
    if (c >= 0x80 || utf8_need_ > 0) {
      check_utf8(c, record);
      if (c >= 0x80) {
        if (state == State::field_start || state == State::after_quote) state = State::unquoted;
        cell->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
    }
    switch (state) {
      case State::field_start:
        if (c == '"') {
          ++pos_;
          state = State::quoted;
          continue;
        }
        state = State::unquoted;
        continue;
      case State::after_quote:
        if (c == '"') {
          ++pos_;
          cell->push_back('"');
          state = State::quoted;
          continue;
        }
        state = State::unquoted;  // a closing quote; anything but a delimiter or line end is kept as text
        continue;
      case State::unquoted: {
        if (c == static_cast<unsigned char>(delim)) {
          ++pos_;
          record.cells.emplace_back();
          cell = &record.cells.back();
          state = State::field_start;
          continue;
        }
        if (c == '\r' || c == '\n') {
          ++pos_;
          record.end_line = line_;
          ++line_;
          if (c == '\r') skip_lf_ = true;
          return true;
        }
        size_t start = pos_;
        while (pos_ < end_) {
          auto d = static_cast<unsigned char>(buf_[pos_]);
          if (d == static_cast<unsigned char>(delim) || d == '\r' || d == '\n' || d >= 0x80) break;
          ++pos_;
        }
        cell->append(buf_.data() + start, pos_ - start);
        continue;
      }
      case State::quoted: {
        if (c == '"') {
          ++pos_;
          state = State::after_quote;
          continue;
        }
        if (c == '\r' || c == '\n') {
          ++pos_;
          ++line_;
          if (c == '\r') skip_lf_ = true;
          cell->push_back('\n');
          continue;
        }
        size_t start = pos_;
        while (pos_ < end_) {
          auto d = static_cast<unsigned char>(buf_[pos_]);
          if (d == '"' || d == '\r' || d == '\n' || d >= 0x80) break;
          ++pos_;
        }
        cell->append(buf_.data() + start, pos_ - start);
        continue;
      }
    }
  }
}

void append_csv_cell(std::string& out, std::string_view cell, char delimiter) {
  bool quote = !cell.empty() && (cell.front() == ' ' || cell.back() == ' ');
  for (char c : cell) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out.append(cell);
    return;
  }
  out.push_back('"');
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string csv_line(const std::vector<std::string>& cells, char delimiter) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back(delimiter);
    append_csv_cell(out, cells[i], delimiter);
  }
  out.push_back('\n');
  return out;
}

}  // namespace leadcustomers
