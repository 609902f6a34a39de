#include "taskledger/import/CsvReader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace taskledger::import {
namespace {

// Bytes that end an unquoted field; everything else is copied without a second look.
constexpr std::array<bool, 256> kEndsUnquoted = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  return t;
}();

std::string describeBytes(std::size_t n) {
  if (n % (1 << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n % (1 << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n % (1 << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvLimits limits)
    : in_(in), limits_(limits), buffer_(std::max<std::size_t>(limits.buffer_bytes, 4)) {
  spans_.reserve(16);
  record_.fields.reserve(16);
}

bool CsvReader::refill() {
  if (eof_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (in_.bad()) throw std::runtime_error("read error");
  end_ = static_cast<std::size_t>(in_.gcount());
  pos_ = 0;
  chunk_begin_ = 0;
  if (end_ < buffer_.size()) eof_ = true;
  if (at_start_) {
    at_start_ = false;
    static constexpr char kBom[] = "\xEF\xBB\xBF";
    if (end_ >= 3 && std::memcmp(buffer_.data(), kBom, 3) == 0) pos_ = 3;
  }
  return pos_ < end_;
}

// Moves the record's bytes buffer_[chunk_begin_, upto) into raw_, unless the record is already
// over the limit (then its text is dropped and only the scan for its end goes on).
void CsvReader::flushChunk(std::size_t upto) {
  std::size_t n = upto - chunk_begin_;
  scanned_ += n;
  if (scanned_ > limits_.max_unended_bytes) {
    throw std::runtime_error("line " + std::to_string(record_.line) + ": a record runs past " +
                             describeBytes(limits_.max_unended_bytes) +
                             " without ending; this is not a CSV file");
  }
  if (!too_long_) {
    if (raw_.size() + n > limits_.max_record_bytes) {
      too_long_ = true;
      raw_.clear();
    } else {
      raw_.append(buffer_.data() + chunk_begin_, n);
    }
  }
  chunk_begin_ = upto;
}

void CsvReader::startField(std::size_t at) {
  if (spans_.size() == limits_.max_fields) {
    too_wide_ = true;
    return;
  }
  spans_.push_back({at, at, false});
}

void CsvReader::endField(std::size_t at) {
  if (!too_wide_) spans_.back().end = at;
}

const CsvRecord* CsvReader::next() {
  // The previous record's views die here.
  raw_.clear();
  spans_.clear();
  unescaped_.clear();
  record_.fields.clear();
  record_.error.clear();
  record_.text = {};
  too_long_ = too_wide_ = false;
  scanned_ = 0;
  state_ = State::FieldStart;
  bool in_record = false;

  const char* buf = buffer_.data();
  while (true) {
    if (pos_ == end_) {
      if (in_record) flushChunk(end_);
      if (!refill()) break;
    }
    const char c = buf[pos_];
    if (swallow_lf_) {
      swallow_lf_ = false;
      if (c == '\n') {
        ++pos_;
        continue;
      }
    }
    if (!in_record) {
      if (c == '\n' || c == '\r') {  // an empty line: not a record
        swallow_lf_ = c == '\r';
        ++line_;
        ++pos_;
        continue;
      }
      in_record = true;
      record_.line = line_;
      chunk_begin_ = pos_;
    }

    switch (state_) {
      case State::FieldStart:
        if (c == '"') {
          startField(offsetOf(pos_ + 1));
          quote_line_ = line_;
          state_ = State::Quoted;
          ++pos_;
          continue;
        }
        startField(offsetOf(pos_));
        state_ = State::Unquoted;
        [[fallthrough]];
      case State::Unquoted: {
        std::size_t p = pos_;
        while (p < end_ && !kEndsUnquoted[static_cast<unsigned char>(buf[p])]) ++p;
        pos_ = p;
        if (p == end_) continue;  // the field goes on in the next buffer
        endField(offsetOf(p));
        break;
      }
      case State::Quoted: {
        const char* q = static_cast<const char*>(std::memchr(buf + pos_, '"', end_ - pos_));
        std::size_t stop = q ? static_cast<std::size_t>(q - buf) : end_;
        line_ += static_cast<std::size_t>(std::count(buf + pos_, buf + stop, '\n'));
        if (!q) {
          pos_ = end_;
          continue;
        }
        endField(offsetOf(stop));  // provisional: a doubled quote reopens the field
        pos_ = stop + 1;
        state_ = State::QuoteInQuoted;
        continue;
      }
      case State::QuoteInQuoted:
        if (c == '"') {  // "" inside quotes is one quote character
          if (!too_wide_) spans_.back().unescape = true;
          state_ = State::Quoted;
          ++pos_;
          continue;
        }
        if (c != ',' && c != '\n' && c != '\r') {
          if (record_.error.empty()) {
            record_.error = "field " + std::to_string(spans_.size()) + ": text after the closing quote";
          }
          state_ = State::Unquoted;
          continue;
        }
        break;
    }

    // buf[pos_] ends a field outside quotes: a comma or a line ending. A comma just before a
    // line ending leaves an empty last field, which FieldStart opens like any other.
    if (buf[pos_] == ',') {
      ++pos_;
      state_ = State::FieldStart;
      continue;
    }
    flushChunk(pos_);
    swallow_lf_ = buf[pos_] == '\r';
    ++line_;
    ++pos_;
    return finishRecord();
  }

  if (!in_record) return nullptr;
  if (state_ == State::FieldStart) startField(offsetOf(pos_));  // the input ended after a comma
  if (state_ == State::FieldStart || state_ == State::Unquoted) endField(offsetOf(pos_));
  if (state_ == State::Quoted) {
    record_.error = "unterminated quote (opened on line " + std::to_string(quote_line_) + ")";
  }
  return finishRecord();
}

const CsvRecord* CsvReader::finishRecord() {
  if (too_long_) {
    // An unterminated quote is the likelier cause of a huge record: its message wins.
    if (record_.error.empty()) record_.error = "record longer than " + describeBytes(limits_.max_record_bytes);
    return &record_;
  }
  record_.text = raw_;
  if (too_wide_ && record_.error.empty()) {
    record_.error = "more than " + std::to_string(limits_.max_fields) + " fields";
  }
  if (!record_.error.empty()) return &record_;

  // Fields with doubled quotes are rewritten into unescaped_ first, so its storage is final
  // before any view into it is taken.
  std::size_t escaped_bytes = 0;
  for (const auto& s : spans_) {
    if (s.unescape) escaped_bytes += s.end - s.begin;
  }
  unescaped_.reserve(escaped_bytes);
  std::vector<std::size_t>& starts = unescaped_starts_;
  starts.clear();
  for (const auto& s : spans_) {
    if (!s.unescape) continue;
    starts.push_back(unescaped_.size());
    for (std::size_t i = s.begin; i < s.end; ++i) {
      unescaped_.push_back(raw_[i]);
      if (raw_[i] == '"') ++i;  // the second quote of a pair
    }
  }
  std::size_t k = 0;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    const auto& s = spans_[i];
    if (!s.unescape) {
      record_.fields.emplace_back(raw_.data() + s.begin, s.end - s.begin);
    } else {
      std::size_t b = starts[k++];
      std::size_t e = k < starts.size() ? starts[k] : unescaped_.size();
      record_.fields.emplace_back(unescaped_.data() + b, e - b);
    }
  }
  return &record_;
}

}  // namespace taskledger::import
