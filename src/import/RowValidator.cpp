#include "taskledger/import/RowValidator.h"

#include <charconv>

#include "taskledger/domain/Error.h"
#include "taskledger/domain/Time.h"
#include "taskledger/domain/Validation.h"
#include "Printable.h"

namespace taskledger::import {
namespace {

// Free-text columns are bounded so a stray paste cannot fill the ledger; real values are short.
constexpr std::size_t kMaxOperation = kMaxOperationBytes;
constexpr std::size_t kMaxResource = kMaxResourceBytes;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Header names compare case-insensitively and without '_', '-' or spaces: "RequestId",
// "request_id" and "Request ID" are one name.
std::string headerKey(std::string_view name) {
  std::string key;
  for (char c : trim(name)) {
    if (c == '_' || c == '-' || c == ' ') continue;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return key;
}

constexpr const char* kColumnNames[] = {"request_id", "region", "operation", "resource", "submitted_at",
                                        "profile"};

int columnOf(const std::string& key) {
  if (key == "requestid" || key == "taskid") return 0;
  for (int c = 1; c < 6; ++c) {
    if (key == headerKey(kColumnNames[c])) return c;
  }
  return -1;
}

}  // namespace

RowValidator::RowValidator(std::string source_name, RowDefaults defaults, std::optional<TimePoint> now)
    : source_name_(std::move(source_name)),
      defaults_(std::move(defaults)),
      now_(now.value_or(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()))) {
  index_.fill(kAbsent);
  if (!defaults_.region.empty() && !isValidRegion(defaults_.region)) {
    throw Error::usage("--region: " + quoted(defaults_.region) + " is not a region (like ap-guangzhou)");
  }
  if (!isValidProfileName(defaults_.profile)) {
    throw Error::usage("--profile: " + quoted(defaults_.profile) + " is not a profile name");
  }
  if (defaults_.operation.size() > kMaxOperation) {
    throw Error::usage("--operation: longer than " + std::to_string(kMaxOperation) + " characters");
  }
  if (!isValidUtf8(defaults_.operation)) throw Error::usage("--operation: not valid UTF-8");
}

bool RowValidator::isBlank(const CsvRecord& record) {
  for (auto f : record.fields) {
    if (!trim(f).empty()) return false;
  }
  return true;
}

bool RowValidator::readLayout(const CsvRecord& first) {
  const std::string where = source_name_ + ":" + std::to_string(first.line) + ": ";
  index_.fill(kAbsent);
  ignored_.clear();
  bool header = false;
  for (auto f : first.fields) header = header || columnOf(headerKey(f)) >= 0;

  if (header) {
    for (std::size_t i = 0; i < first.fields.size(); ++i) {
      std::string_view name = trim(first.fields[i]);
      int c = columnOf(headerKey(name));
      if (c < 0) {
        if (!name.empty()) ignored_.emplace_back(name);
        continue;
      }
      if (index_[c] != kAbsent) {
        throw Error::badInput(where + "the header names " + kColumnNames[c] + " twice");
      }
      index_[c] = static_cast<int>(i);
    }
    if (index_[kRequestId] == kAbsent) {
      throw Error::badInput(where + "the header has no request_id column (also accepted: RequestId, TaskId, task_id)");
    }
    if (index_[kRegion] == kAbsent && defaults_.region.empty()) {
      throw Error::usage(where + "the file has no region column; give --region");
    }
  } else if (first.fields.size() == 1) {
    index_[kRequestId] = 0;
    if (defaults_.region.empty()) {
      throw Error::usage(source_name_ + ": a file of bare request ids needs --region");
    }
  } else {
    throw Error::badInput(where + "no header row; name the columns (request_id, region, operation, resource,"
                                  " submitted_at, profile) or give one request id per line");
  }
  has_header_ = header;
  width_ = first.fields.size();
  return header;
}

bool RowValidator::toTask(const CsvRecord& record, NewTask& out, std::string& reason) const {
  if (record.fields.size() != width_) {
    reason = std::to_string(record.fields.size()) + (record.fields.size() == 1 ? " field" : " fields") +
             ", expected " + std::to_string(width_) + (has_header_ ? " (as in the header)" : "");
    return false;
  }
  auto value = [&](Column c) -> std::string_view {
    return index_[c] == kAbsent ? std::string_view() : trim(record.fields[static_cast<std::size_t>(index_[c])]);
  };

  std::string_view id = value(kRequestId);
  if (id.empty()) {
    reason = "request_id is empty";
    return false;
  }
  auto normalized = normalizeRequestId(id);
  if (!normalized) {
    reason = "request_id " + quoted(id) + " is not a UUID";
    return false;
  }

  std::string_view region = value(kRegion);
  if (region.empty()) region = defaults_.region;
  if (region.empty()) {
    reason = "region is empty and no --region was given";
    return false;
  }
  if (!isValidRegion(region)) {
    reason = "region " + quoted(region) + " is not a region (like ap-guangzhou)";
    return false;
  }

  std::string_view profile = value(kProfile);
  if (profile.empty()) profile = defaults_.profile;
  if (!isValidProfileName(profile)) {
    reason = "profile " + quoted(profile) + " is not a profile name (letters, digits, '_', '-', '.'; no '..')";
    return false;
  }

  std::string_view operation = value(kOperation);
  if (operation.empty()) operation = defaults_.operation;
  if (operation.size() > kMaxOperation) {
    reason = "operation is longer than " + std::to_string(kMaxOperation) + " characters";
    return false;
  }
  if (!isValidUtf8(operation)) {
    reason = "operation is not valid UTF-8";
    return false;
  }
  std::string_view resource = value(kResource);
  if (resource.size() > kMaxResource) {
    reason = "resource is longer than " + std::to_string(kMaxResource) + " characters";
    return false;
  }
  if (!isValidUtf8(resource)) {
    reason = "resource is not valid UTF-8";
    return false;
  }

  std::string_view submitted = value(kSubmittedAt);
  if (submitted.empty()) {
    out.submitted_at.reset();
  } else if (auto t = parseIsoTimestamp(submitted)) {
    if (!isSaneTime(*t, now_)) {
      reason = "submitted_at " + quoted(submitted) + " is not " + kSaneTimeRange;
      return false;
    }
    out.submitted_at = *t;
  } else {
    reason = "submitted_at " + quoted(submitted) + " is not an ISO-8601 time (like 2026-11-27T10:00:00Z)";
    return false;
  }

  out.request_id = std::move(*normalized);
  out.region.assign(region);
  out.profile.assign(profile);
  out.operation.assign(operation);
  out.resource.assign(resource);
  // source = "name:line", built in place: this runs once per row.
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, record.line).ptr;
  out.source.assign(source_name_);
  out.source += ':';
  out.source.append(digits, end);
  return true;
}

}  // namespace taskledger::import
