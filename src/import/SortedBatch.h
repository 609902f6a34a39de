#pragma once
// Validated rows held back so they reach the store in key order.
//
// Why: request ids are random UUIDs, so rows in file order land on random pages of the ledger's
// unique (profile, region, request_id) index. Once that index outgrows SQLite's page cache, nearly
// every row costs a page read and a page write-back. Inserted in key order, a batch sweeps the
// index once, left to right. Memory stays bounded: a batch holds at most kMaxRows rows or
// kMaxBytes of text, packed into one buffer.
//
// Rows with the same key keep their file order, so the first occurrence is the one inserted and
// later ones count as duplicates, exactly as without batching. Ledger ids follow key order
// within a batch.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "taskledger/domain/Task.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::import {

class SortedBatch {
 public:
  // Bounds measured with bench/import.sh: from 16k to 256k rows the import time is flat (larger
  // batches sweep the key index less often, but scatter the rows of the indexes keyed by time
  // over a wider window, when those are kept up row by row); 64k rows is about 6 MiB, well
  // inside the 64 MiB peak-memory budget.
  static constexpr std::size_t kMaxRows = 64 * 1024;
  static constexpr std::size_t kMaxBytes = 8 << 20;

  SortedBatch();
  bool full() const { return rows_.size() >= kMaxRows || bytes_.size() >= kMaxBytes; }
  void add(const NewTask& task);

  struct Counts {
    std::int64_t inserted = 0, duplicates = 0;
  };
  // Inserts every held row in key order (file order among equal keys) through `writer`, then
  // empties the batch.
  Counts flush(store::TaskWriter& writer);

 private:
  struct Row {
    std::uint32_t begin;  // offset in bytes_: key (profile \0 region \0 request_id), operation,
                          // resource, source
    std::uint16_t profile_len, region_len, id_len, operation_len, resource_len, source_len;
    bool has_submitted;
    TimePoint submitted_at;
    std::uint32_t keyLength() const { return profile_len + 1u + region_len + 1u + id_len; }
  };

  std::string bytes_;
  std::vector<Row> rows_;
  NewTask scratch_;  // reused for every insert: no allocation per row once warm
};

}  // namespace taskledger::import
