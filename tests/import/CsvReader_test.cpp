#include "taskledger/import/CsvReader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <streambuf>

namespace taskledger::import {
namespace {

// What a test expects of one record: where it starts, and its fields or its error.
struct Expected {
  std::size_t line;
  std::vector<std::string> fields;
  std::string error = "";  // a substring of the error; empty: the record is fine
  std::string text = "~";  // the original text; "~": the fields joined by commas
};

struct Case {
  std::string name;
  std::string input;
  std::vector<Expected> records;
  CsvLimits limits = {};
};

std::vector<Case> cases() {
  CsvLimits narrow;
  narrow.max_fields = 3;
  CsvLimits small;
  small.max_record_bytes = 64;
  const std::string big(100, 'x');
  return {
      {"plain", "a,b\nc,d\n", {{1, {"a", "b"}}, {2, {"c", "d"}}}},
      {"no final line ending", "a,b\nc,d", {{1, {"a", "b"}}, {2, {"c", "d"}}}},
      {"quoted comma", "\"a,b\",c\n", {{1, {"a,b", "c"}, "", "\"a,b\",c"}}},
      {"doubled quotes", "\"say \"\"hi\"\"\",x\n", {{1, {"say \"hi\"", "x"}, "", "\"say \"\"hi\"\"\",x"}}},
      {"only a doubled quote", "\"\"\"\"\n", {{1, {"\""}, "", "\"\"\"\""}}},
      {"empty quoted field", "\"\",b\n", {{1, {"", "b"}, "", "\"\",b"}}},
      {"quoted field spanning lines keeps later line numbers",
       "id,op\n\"x\ny\nz\",1\nw,2\n",
       {{1, {"id", "op"}}, {2, {"x\ny\nz", "1"}, "", "\"x\ny\nz\",1"}, {5, {"w", "2"}}}},
      {"CRLF", "a,b\r\nc,d\r\n", {{1, {"a", "b"}}, {2, {"c", "d"}}}},
      {"CRLF inside quotes is data", "\"a\r\nb\",c\r\nd\r\n",
       {{1, {"a\r\nb", "c"}, "", "\"a\r\nb\",c"}, {3, {"d"}}}},
      {"lone CR ends a line", "a\rb\r\rc", {{1, {"a"}}, {2, {"b"}}, {4, {"c"}}}},
      {"UTF-8 BOM dropped", "\xEF\xBB\xBFrequest_id,region\n", {{1, {"request_id", "region"}}}},
      {"only a BOM", "\xEF\xBB\xBF", {}},
      {"empty input", "", {}},
      {"empty lines are not records", "\n\na\n\r\n\nb\n\n", {{3, {"a"}}, {6, {"b"}}}},
      {"trailing comma is an empty field", "a,\nb,", {{1, {"a", ""}}, {2, {"b", ""}}}},
      {"commas only", ",,\n", {{1, {"", "", ""}}}},
      {"quote inside an unquoted field is a character", "ab\"c,d\n", {{1, {"ab\"c", "d"}}}},
      {"spaces are kept", " a , b \n", {{1, {" a ", " b "}}}},
      {"text after the closing quote", "\"a\"b,c\nd\n",
       {{1, {}, "field 1: text after the closing quote", "\"a\"b,c"}, {2, {"d"}}}},
      {"unterminated quote at the end", "a\nb,\"c\nd\ne\n",
       {{1, {"a"}}, {2, {}, "unterminated quote (opened on line 2)", "b,\"c\nd\ne\n"}}},
      {"too many fields, then reading goes on", "a,b,c,d\ne,f\n",
       {{1, {}, "more than 3 fields", "a,b,c,d"}, {2, {"e", "f"}}},
       narrow},
      {"huge field, then reading goes on", "a," + big + "\n\"" + big + "\"\nb,c\n",
       {{1, {}, "record longer than 64 bytes", ""}, {2, {}, "record longer than 64 bytes", ""}, {3, {"b", "c"}}},
       small},
      {"unterminated quote wins over length", "\"" + big + "\n", {{1, {}, "unterminated quote", ""}}, small},
  };
}

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out;
}

void check(const Case& c, std::size_t buffer_bytes) {
  SCOPED_TRACE(c.name + ", buffer of " + std::to_string(buffer_bytes) + " bytes");
  std::istringstream in(c.input);
  CsvLimits limits = c.limits;
  limits.buffer_bytes = buffer_bytes;
  CsvReader reader(in, limits);
  for (const Expected& e : c.records) {
    const CsvRecord* r = reader.next();
    ASSERT_NE(r, nullptr) << "missing the record of line " << e.line;
    EXPECT_EQ(r->line, e.line);
    if (e.error.empty()) {
      EXPECT_EQ(r->error, "");
      EXPECT_EQ(std::vector<std::string>(r->fields.begin(), r->fields.end()), e.fields);
    } else {
      EXPECT_NE(r->error.find(e.error), std::string::npos) << r->error;
      EXPECT_TRUE(r->fields.empty());
    }
    EXPECT_EQ(r->text, e.text == "~" ? joined(e.fields) : e.text);
  }
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_EQ(reader.next(), nullptr);  // the end stays the end
}

TEST(CsvReader, EveryCaseAtEveryBufferBoundary) {
  // A 4-byte buffer puts a refill inside every quote, CRLF and field of the table.
  for (const Case& c : cases()) {
    for (std::size_t size : {4, 5, 7, 64 * 1024}) check(c, size);
  }
}

// Produces "\"" then `n` bytes of 'x' without holding them: a quoted field far over any limit.
class HugeFieldBuf : public std::streambuf {
 public:
  explicit HugeFieldBuf(std::size_t n) : left_(n) {}

 protected:
  int_type underflow() override {
    if (!started_) {
      started_ = true;
      chunk_.assign(1, '"');
    } else if (left_ == 0) {
      return traits_type::eof();
    } else {
      std::size_t n = std::min<std::size_t>(left_, 1 << 16);
      chunk_.assign(n, 'x');
      left_ -= n;
    }
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(chunk_[0]);
  }

 private:
  std::size_t left_;
  bool started_ = false;
  std::string chunk_;
};

TEST(CsvReader, AQuoteLeftOpenOverManyMegabytesIsOneErrorNotAnUnboundedRecord) {
  HugeFieldBuf buf(64u << 20);
  std::istream in(&buf);
  CsvReader reader(in);
  const CsvRecord* r = reader.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->line, 1u);
  EXPECT_EQ(r->error, "unterminated quote (opened on line 1)");
  EXPECT_TRUE(r->text.empty());  // the text over the limit was not kept
  EXPECT_EQ(reader.next(), nullptr);
}

TEST(CsvReader, ViewsOfARecordStayValidUntilTheNextCall) {
  std::istringstream in("\"a\"\"b\",c\nd,e\n");
  CsvReader reader(in, {.buffer_bytes = 4});
  const CsvRecord* r = reader.next();
  ASSERT_NE(r, nullptr);
  std::string first(r->fields[0]), second(r->fields[1]);
  EXPECT_EQ(first, "a\"b");
  EXPECT_EQ(second, "c");
  r = reader.next();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->fields[0], "d");
}

class FailingBuf : public std::streambuf {
 protected:
  int_type underflow() override { throw std::ios_base::failure("disk gone"); }
};

TEST(CsvReader, AFailingStreamIsAnErrorNotAnEnd) {
  FailingBuf buf;
  std::istream in(&buf);
  CsvReader reader(in);
  EXPECT_THROW(reader.next(), std::runtime_error);
}

}  // namespace
}  // namespace taskledger::import
