#pragma once
// Streaming RFC 4180 reader: the importer's hot path. Reads any std::istream through a fixed
// buffer, so memory does not grow with the file; only one record is held at a time.
//
// Accepted: quoted fields holding commas, doubled quotes ("") and line breaks; CRLF, LF and lone
// CR line endings; a UTF-8 byte-order mark at the start (dropped). Lenient where RFC 4180 is
// strict and the intent is plain: a quote inside an unquoted field is kept as a character. Text
// after a closing quote (`"a"b,`) makes the record an error rather than a guess.
// Not records: empty lines (they still count for line numbers). Physical lines end at LF, CRLF or
// a lone CR; inside quotes only LF (or CRLF) starts a new line.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace taskledger::import {

struct CsvLimits {
  // A record (its original text) longer than this is reported as an error and skipped, so a
  // runaway quote or a binary file cannot grow memory without bound.
  std::size_t max_record_bytes = 1 << 20;
  // A record with more fields than this is an error (no real ledger file has a thousand columns).
  std::size_t max_fields = 1024;
  // A record still without its end after this many bytes ends the whole read with an error: the
  // input is not CSV (/dev/zero, a disk image), and skipping it would read forever. Far above
  // any real file's runaway quote (which stays one rejected record), and scanned in about a second.
  std::size_t max_unended_bytes = std::size_t{1} << 30;
  // Read size (at least 4 bytes); a record may span any number of buffers.
  std::size_t buffer_bytes = 64 * 1024;
};

// One record. Views point into the reader and stay valid until the next call to next().
struct CsvRecord {
  std::size_t line = 0;                  // 1-based physical line on which the record starts
  std::string_view text;                 // the original text, without its line ending
  std::vector<std::string_view> fields;  // unquoted values; empty when error is set
  std::string error;                     // non-empty: the record could not be read (why)
  bool ok() const { return error.empty(); }
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvLimits limits = {});
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next record, or nullptr at the end of the input. A malformed record (an unterminated
  // quote at the end of the input, a record over the limits) comes back with `error` set and
  // reading continues after it. Throws std::runtime_error when the stream fails (not at EOF) or a
  // record runs past max_unended_bytes.
  const CsvRecord* next();

 private:
  enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
  struct FieldSpan {
    std::size_t begin = 0, end = 0;  // offsets into raw_
    bool unescape = false;           // holds doubled quotes: "" must become "
  };

  bool refill();
  void flushChunk(std::size_t upto);
  void startField(std::size_t at);
  void endField(std::size_t at);
  std::size_t offsetOf(std::size_t buffer_pos) const { return raw_.size() + (buffer_pos - chunk_begin_); }
  const CsvRecord* finishRecord();

  std::istream& in_;
  CsvLimits limits_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0, end_ = 0;  // unread bytes are buffer_[pos_, end_)
  bool eof_ = false;
  bool at_start_ = true;            // nothing read yet: a BOM may follow
  bool swallow_lf_ = false;         // the last record ended in CR: a following LF belongs to it

  // The record being read: its text so far is raw_ + buffer_[chunk_begin_, pos_).
  std::string raw_;
  std::size_t chunk_begin_ = 0;
  std::vector<FieldSpan> spans_;
  State state_ = State::FieldStart;
  std::size_t line_ = 1;            // the physical line being read
  std::size_t quote_line_ = 0;      // where the open quote started
  bool too_long_ = false, too_wide_ = false;
  std::size_t scanned_ = 0;         // bytes of the record read so far, kept or not

  std::string unescaped_;           // storage for fields that held doubled quotes
  std::vector<std::size_t> unescaped_starts_;
  CsvRecord record_;
};

}  // namespace taskledger::import
