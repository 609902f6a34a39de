#include "taskledger/import/Importer.h"

#include <cerrno>
#include <cstring>
#include <ostream>
#include <stdexcept>

#include "taskledger/domain/Error.h"
#include "SortedBatch.h"
#include "taskledger/import/CsvReader.h"

namespace taskledger::import {
namespace {

// RFC 4180: quote a field when it holds a comma, a quote or a line break; double its quotes.
void appendCsvField(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

// The state of one importStream() call.
struct Importer::Run {
  Importer& self;
  const std::string& name;
  ImportResult result;
  std::string header_text;      // the file's header row, for the rejects file
  bool rejects_started = false;
  std::string line;             // reused for each rejects row

  void count(const SortedBatch::Counts& c) {
    result.imported += c.inserted;
    result.duplicates += c.duplicates;
  }

  void reject(const CsvRecord& record, const std::string& reason) {
    ++result.rejected;
    self.diagnostics_ << name << ':' << record.line << ": " << reason << '\n';
    if (!self.rejects_) return;
    line.clear();
    if (!rejects_started) {
      rejects_started = true;
      line = header_text.empty() ? "request_id" : header_text;
      line += ",reason\n";
    }
    if (record.ok()) {
      line.append(record.text);
    } else {
      appendCsvField(line, record.text);  // not valid CSV: kept whole, as one field
    }
    line += ',';
    appendCsvField(line, "line " + std::to_string(record.line) + ": " + reason);
    line += '\n';
    *self.rejects_ << line;
  }
};

Importer::Importer(store::TaskStore& store, ImportOptions options, std::ostream& diagnostics,
                   std::ostream* rejects, std::string rejects_name)
    : store_(store), options_(std::move(options)), diagnostics_(diagnostics), rejects_(rejects),
      rejects_name_(std::move(rejects_name)) {}

ImportResult Importer::importStream(std::istream& in, const std::string& name, TimePoint now) {
  RowValidator validator(name, options_.defaults, now);
  CsvReader reader(in);
  auto writer = store_.beginImport(now);
  Run run{*this, name, {}, {}, false, {}};
  SortedBatch batch;
  NewTask task;
  std::string reason;
  bool layout_read = false;

  while (true) {
    const CsvRecord* record = nullptr;
    try {
      record = reader.next();
    } catch (const std::runtime_error& e) {
      throw Error::runtime(name + ": " + e.what());
    }
    if (!record) break;
    if (!record->ok()) {
      run.reject(*record, record->error);
      continue;
    }
    if (RowValidator::isBlank(*record)) continue;
    if (!layout_read) {
      layout_read = true;
      if (validator.readLayout(*record)) {
        run.header_text.assign(record->text);
        warnIgnoredColumns(validator, name, record->line);
        continue;
      }
    }
    if (!validator.toTask(*record, task, reason)) {
      run.reject(*record, reason);
      continue;
    }
    batch.add(task);
    if (batch.full()) run.count(batch.flush(*writer));
  }
  run.count(batch.flush(*writer));

  // The rejects file is part of the result: a row that is neither imported nor written there
  // would be lost, so the commit waits until it is safely written.
  if (rejects_) {
    errno = 0;
    rejects_->flush();
    if (!*rejects_) {
      throw Error::runtime("cannot write " + rejects_name_ + (errno ? std::string(": ") + std::strerror(errno) : "") +
                           "; nothing imported");
    }
  }
  if (!options_.dry_run && !(options_.strict && run.result.rejected > 0)) {
    writer->commit();
    run.result.committed = true;
  }
  return run.result;  // an uncommitted writer rolls back as it goes
}

void Importer::warnIgnoredColumns(const RowValidator& validator, const std::string& name, std::size_t line) {
  const auto& ignored = validator.ignoredColumns();
  if (ignored.empty() || options_.quiet) return;
  diagnostics_ << name << ':' << line << ": warning: ignoring column" << (ignored.size() > 1 ? "s" : "");
  for (std::size_t i = 0; i < ignored.size(); ++i) diagnostics_ << (i ? ", '" : " '") << ignored[i] << "'";
  diagnostics_ << " (not a ledger column)\n";
}

}  // namespace taskledger::import
