#include "leadcustomers/csv_reader.hpp"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace leadcustomers {
namespace {

using Cells = std::vector<std::string>;

std::vector<CsvRecord> read_all(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  EXPECT_TRUE(reader.status().ok()) << reader.status();
  return out;
}

TEST(CsvReader, ReadsSimpleRecordsWithLineNumbers) {
  auto r = read_all("a,b\n1,2\n3,4\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].cells, (Cells{"a", "b"}));
  EXPECT_EQ(r[1].cells, (Cells{"1", "2"}));
  EXPECT_EQ(r[2].cells, (Cells{"3", "4"}));
  EXPECT_EQ(r[0].line, 1);
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[2].line, 3);
}

TEST(CsvReader, SkipsUtf8Bom) {
  auto r = read_all(
      "\xEF\xBB\xBF"
      "Email,Name\nx@example.com,Ana\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].cells, (Cells{"Email", "Name"}));
  EXPECT_EQ(r[0].byte_offset, 3u);
}

TEST(CsvReader, AcceptsCrlfLineEnds) {
  auto r = read_all("a,b\r\n1,2\r\n3,4\r\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].cells, (Cells{"1", "2"}));
  EXPECT_EQ(r[2].line, 3);
}

TEST(CsvReader, AcceptsCrOnlyLineEnds) {
  auto r = read_all("\"a\",\"b\"\r\"1\",2\r\"3\",\"0810\"");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].cells, (Cells{"3", "0810"}));
  EXPECT_EQ(r[2].line, 3);
}

TEST(CsvReader, ReadsLastRecordWithoutTrailingNewline) {
  auto r = read_all("a,b\n1,2");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].cells, (Cells{"1", "2"}));
}

TEST(CsvReader, KeepsQuotedCrlfAsLf) {
  auto r = read_all("a,b\r\n\"Flat 3\r\n12 Example Street\",x\r\nnext,y\r\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].cells[0], "Flat 3\n12 Example Street");
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[1].end_line, 3);
  EXPECT_EQ(r[2].line, 4);
}

TEST(CsvReader, KeepsQuotedCrAsLf) {
  auto r = read_all("a\r\"x\ry\"\rz\r");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].cells[0], "x\ny");
  EXPECT_EQ(r[2].line, 4);
}

TEST(CsvReader, ReadsDoubledQuotes) {
  auto r = read_all("a\n\"say \"\"hi\"\"\"\n\"[\"\"6146 Honey Bluff Parkway\"\",\"\"\"\"]\"\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].cells[0], "say \"hi\"");
  EXPECT_EQ(r[2].cells[0], "[\"6146 Honey Bluff Parkway\",\"\"]");
}

TEST(CsvReader, KeepsDelimiterInsideQuotes) {
  auto r = read_all("a,b\n\"Benton, John B Jr\",2\n");
  EXPECT_EQ(r[1].cells, (Cells{"Benton, John B Jr", "2"}));
}

TEST(CsvReader, DetectsSemicolonFromHeader) {
  std::istringstream in("email;passwd;lastname\nx@example.com;Azerty123;Doe\n");
  CsvReader reader(in);
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(reader.delimiter(), ';');
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(rec.cells, (Cells{"x@example.com", "Azerty123", "Doe"}));
}

TEST(CsvReader, DetectsTabFromHeader) {
  std::istringstream in("a\tb\tc\n1\t2,5\t3\n");
  CsvReader reader(in);
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(reader.delimiter(), '\t');
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(rec.cells, (Cells{"1", "2,5", "3"}));
}

TEST(CsvReader, IgnoresDelimitersInsideQuotedHeaderCells) {
  std::istringstream in("\"a;b;c\",d,e\n");
  CsvReader reader(in);
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  EXPECT_EQ(reader.delimiter(), ',');
  EXPECT_EQ(rec.cells, (Cells{"a;b;c", "d", "e"}));
}

TEST(CsvReader, UsesConfiguredDelimiter) {
  CsvOptions options;
  options.delimiter = ',';
  auto r = read_all("a;b,c\n", options);
  EXPECT_EQ(r[0].cells, (Cells{"a;b", "c"}));
}

TEST(CsvReader, ReportsCellCountAsRead) {
  auto r = read_all("a,b,c\n1,2\n1,2,3,4\n");
  EXPECT_EQ(r[1].cells.size(), 2u);
  EXPECT_EQ(r[2].cells.size(), 4u);
}

TEST(CsvReader, KeepsTrailingEmptyCell) {
  auto r = read_all("a,b,c\n1,2,\n");
  EXPECT_EQ(r[1].cells, (Cells{"1", "2", ""}));
}

TEST(CsvReader, SkipsEmptyLinesButCountsThem) {
  auto r = read_all("a\n\n1\n\r\n\n2\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].line, 3);
  EXPECT_EQ(r[2].line, 6);
}

TEST(CsvReader, ReportsLineOfDelimitersAsBlank) {
  auto r = read_all("a,b\n,\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[1].blank());
  EXPECT_FALSE(r[0].blank());
}

TEST(CsvReader, ReportsInvalidUtf8WithFileByteOffset) {
  auto r = read_all("a,b\nok,caf\xFF!\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].invalid_utf8_at.has_value());
  ASSERT_TRUE(r[1].invalid_utf8_at.has_value());
  EXPECT_EQ(*r[1].invalid_utf8_at, 10u);
}

TEST(CsvReader, ReportsTruncatedUtf8SequenceAtItsFirstByte) {
  auto r = read_all("a\n\xC3,x\n");  // C3 needs a continuation byte; ',' interrupts it
  ASSERT_TRUE(r[1].invalid_utf8_at.has_value());
  EXPECT_EQ(*r[1].invalid_utf8_at, 2u);
}

TEST(CsvReader, ReportsLatin1ByteAsTheStartOfABadSequence) {
  auto r = read_all("a,b\nok,caf\xE9!\n");  // Latin-1 e-acute: a UTF-8 lead byte, then no continuation
  ASSERT_TRUE(r[1].invalid_utf8_at.has_value());
  EXPECT_EQ(*r[1].invalid_utf8_at, 10u);
}

TEST(CsvReader, RefusesOverlongAndSurrogateEncodings) {
  EXPECT_TRUE(read_all("a\n\xC0\xAF\n")[1].invalid_utf8_at.has_value());
  EXPECT_TRUE(read_all("a\n\xED\xA0\x80\n")[1].invalid_utf8_at.has_value());
  EXPECT_TRUE(read_all("a\n\xF4\x90\x80\x80\n")[1].invalid_utf8_at.has_value());
}

TEST(CsvReader, AcceptsMultibyteUtf8) {
  auto r = read_all("a\n\"Calle de M\xC3\xA9ndez \xC3\x81lvaro, 72\",\xED\x95\x9C\xF0\x9F\x98\x80\n");
  EXPECT_FALSE(r[1].invalid_utf8_at.has_value());
  EXPECT_EQ(r[1].cells[0], "Calle de M\xC3\xA9ndez \xC3\x81lvaro, 72");
}

TEST(CsvReader, FlagsUnterminatedQuote) {
  auto r = read_all("a,b\n1,\"open\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[1].unterminated_quote);
  EXPECT_EQ(r[1].cells[1], "open\n");
}

TEST(CsvReader, KeepsStrayQuoteInUnquotedCellAsText) {
  auto r = read_all("a,b\n5'7\" tall,x\n");
  EXPECT_EQ(r[1].cells, (Cells{"5'7\" tall", "x"}));
}

TEST(CsvReader, StreamsAcrossSmallChunks) {
  std::string text = "h1,h2\r\n";
  for (int i = 0; i < 200; ++i) text += "\"line\r\nbreak " + std::to_string(i) + "\",v\xC3\xA9\r\n";
  CsvOptions options;
  options.chunk_bytes = 16;
  auto r = read_all(text, options);
  ASSERT_EQ(r.size(), 201u);
  EXPECT_EQ(r[200].cells[0], "line\nbreak 199");
  EXPECT_EQ(r[200].cells[1], "v\xC3\xA9");
  EXPECT_EQ(r[200].line, 2 + 199 * 2);
  for (const auto& rec : r) EXPECT_FALSE(rec.invalid_utf8_at.has_value());
}

TEST(CsvReader, StopsOnRunawayRecord) {
  std::string text = "a\n\"" + std::string(1000, 'x');
  std::istringstream in(text);
  CsvOptions options;
  options.max_record_bytes = 100;
  options.chunk_bytes = 16;
  CsvReader reader(in, options);
  CsvRecord rec;
  ASSERT_TRUE(reader.next(rec));
  EXPECT_FALSE(reader.next(rec));
  EXPECT_FALSE(reader.status().ok());
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
}

TEST(CsvWriter, QuotesCellsThatNeedIt) {
  EXPECT_EQ(csv_line({"a", "b,c", "say \"hi\"", "two\nlines", " pad"}),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\"\n");
  EXPECT_EQ(csv_line({"a;b", "c"}, ';'), "\"a;b\";c\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
  Cells cells{"Benton, John", "\"quoted\"", "multi\nline", "", "plain"};
  auto r = read_all(csv_line(cells) + csv_line(cells));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].cells, cells);
}

}  // namespace
}  // namespace leadcustomers
