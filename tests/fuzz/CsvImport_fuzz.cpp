// The importer's front half (import/CsvReader.h, RowValidator.h), fed as `import` feeds it: records
// are read, bad ones reported, blank ones skipped, the first good one gives the layout, the rest
// become tasks or reasons.
//
// The reader is run twice: with a buffer of 4 to 16 bytes (so records, quotes, CRLF pairs and the BOM
// straddle buffer boundaries) and with one buffer holding the whole input. Both must read the same
// records: how the stream is chunked may never change what a file says.
#include <sstream>
#include <string>
#include <vector>

#include "FuzzCheck.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/import/CsvReader.h"
#include "taskledger/import/RowValidator.h"

namespace {

using taskledger::NewTask;
using taskledger::fuzz::isOneLine;
using namespace taskledger::import;

// Small limits, so inputs of a few kilobytes reach them.
constexpr std::size_t kMaxRecordBytes = 256;
constexpr std::size_t kMaxFields = 16;
constexpr const char* kSource = "fuzz.csv";

struct OwnedRecord {
  std::size_t line;
  std::string text;
  std::vector<std::string> fields;
  std::string error;
  bool operator==(const OwnedRecord&) const = default;
};

std::vector<OwnedRecord> readAll(const std::string& input, std::size_t buffer_bytes) {
  std::istringstream in(input);
  CsvLimits limits;
  limits.max_record_bytes = kMaxRecordBytes;
  limits.max_fields = kMaxFields;
  limits.buffer_bytes = buffer_bytes;
  CsvReader reader(in, limits);
  std::vector<OwnedRecord> out;
  std::size_t previous_line = 0;
  while (const CsvRecord* r = reader.next()) {
    FUZZ_CHECK(r->line > previous_line, "records come in line order, one per line at most");
    previous_line = r->line;
    if (r->ok()) {
      FUZZ_CHECK(!r->fields.empty() && r->fields.size() <= kMaxFields, r->text);
      FUZZ_CHECK(r->text.size() <= kMaxRecordBytes, r->text);
      if (r->text.find('"') == std::string_view::npos) {
        std::string joined;
        for (std::size_t i = 0; i < r->fields.size(); ++i) (joined += i ? "," : "") += r->fields[i];
        FUZZ_CHECK(joined == r->text, "without quotes the fields are the text split at commas");
      }
    } else {
      FUZZ_CHECK(r->fields.empty(), r->error);
      FUZZ_CHECK(isOneLine(r->error), r->error);
    }
    OwnedRecord o{r->line, std::string(r->text), {}, r->error};
    for (auto f : r->fields) o.fields.emplace_back(f);
    out.push_back(std::move(o));
  }
  return out;
}

// CsvRecord's views over an OwnedRecord, as the validator is given them.
CsvRecord view(const OwnedRecord& o) {
  CsvRecord r;
  r.line = o.line;
  r.text = o.text;
  r.error = o.error;
  for (const auto& f : o.fields) r.fields.emplace_back(f);
  return r;
}

bool isTrimmed(std::string_view s) {
  return s.empty() || (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t');
}

// Well-formed UTF-8, decided by decoding each code point (an independent check of the validator's
// byte-pattern test): no overlong form, no surrogate, nothing past U+10FFFF.
bool isWellFormedUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80          ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xe  ? 3
                          : (lead >> 3) == 0x1e ? 4
                                                : 0;
    if (n == 0 || i + n > s.size()) return false;
    char32_t cp = n == 1 ? lead : lead & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cont & 0x3f);
    }
    static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return false;
    i += n;
  }
  return true;
}

bool sameTask(const NewTask& a, const NewTask& b) {
  return a.profile == b.profile && a.region == b.region && a.request_id == b.request_id &&
         a.operation == b.operation && a.resource == b.resource && a.source == b.source &&
         a.submitted_at == b.submitted_at;
}

void checkTask(const NewTask& t, std::size_t line) {
  FUZZ_CHECK(t.request_id.size() == 36, t.request_id);
  for (char c : t.request_id) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-', t.request_id);
  FUZZ_CHECK(taskledger::normalizeRequestId(t.request_id) == t.request_id, t.request_id);
  FUZZ_CHECK(taskledger::isValidRegion(t.region), t.region);
  FUZZ_CHECK(!t.profile.empty() && isTrimmed(t.profile) && isTrimmed(t.operation) && isTrimmed(t.resource),
             t.source);
  FUZZ_CHECK(isWellFormedUtf8(t.operation) && isWellFormedUtf8(t.resource), t.source);
  FUZZ_CHECK(t.source == std::string(kSource) + ":" + std::to_string(line), t.source);
  if (t.submitted_at) {
    const std::string stored = taskledger::formatIsoUtc(*t.submitted_at);
    FUZZ_CHECK(taskledger::parseIsoTimestamp(stored) == t.submitted_at, stored);
  }
}

void validate(const std::vector<OwnedRecord>& records, RowDefaults defaults) {
  RowValidator validator(kSource, std::move(defaults));
  bool layout_read = false;
  NewTask reused;  // as the importer does: one NewTask for every row
  std::string reason;
  for (const auto& o : records) {
    if (!o.error.empty()) continue;
    const CsvRecord record = view(o);
    if (RowValidator::isBlank(record)) continue;
    if (!layout_read) {
      layout_read = true;
      try {
        if (validator.readLayout(record)) continue;
      } catch (const taskledger::Error& e) {
        FUZZ_CHECK(e.code() == taskledger::ExitCode::Usage || e.code() == taskledger::ExitCode::BadInput, e.what());
        FUZZ_CHECK(isOneLine(e.what()) && std::string_view(e.what()).starts_with(kSource), e.what());
        return;  // the file is refused as a whole
      }
    }
    reason.clear();
    const bool ok = validator.toTask(record, reused, reason);
    NewTask fresh;
    std::string fresh_reason;
    FUZZ_CHECK(validator.toTask(record, fresh, fresh_reason) == ok, o.text);
    if (ok) {
      checkTask(reused, o.line);
      FUZZ_CHECK(sameTask(reused, fresh), "a reused NewTask keeps nothing of the previous row");
    } else {
      FUZZ_CHECK(!reason.empty() && reason == fresh_reason, o.text);
      FUZZ_CHECK(isOneLine(reason) && reason.size() < 200, reason);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string input(taskledger::fuzz::asText(data, size));
  const auto chunked = readAll(input, 4 + size % 13);  // the size varies where boundaries fall
  const auto whole = readAll(input, size + 16);
  FUZZ_CHECK(chunked == whole, "the same records whatever the buffer size");

  validate(chunked, RowDefaults{"ap-guangzhou", "default", "CreateListener"});
  validate(chunked, RowDefaults{"", "ops", ""});
  return 0;
}
