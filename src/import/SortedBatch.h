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
  // Bounds measured with bench/import.sh (1M rows): each flush sweeps the whole key index, so
  // fewer, larger batches pay fewer sweeps once the index outgrows the page cache: 64k rows
  // 9.4 s, 128k 8.2 s, 256k 7.5 s. 256k rows of the benchmark's width are about 22 MiB of text
  // plus 8 MiB of Row; kMaxBytes bounds wider rows, keeping the peak under the 64 MiB budget.
  static constexpr std::size_t kMaxRows = 256 * 1024;
  static constexpr std::size_t kMaxBytes = 24 << 20;

  SortedBatch();
  bool full() const { return rows_.size() >= kMaxRows || bytes_.size() >= kMaxBytes; }
  void add(const NewTask& task);

  struct Counts {
    std::int64_t inserted = 0, duplicates = 0;
  };
  // Inserts every held row in key order (file order among equal keys) through `writer`, then
  // empties the batch. Rows go to TaskWriter::insertMany() kChunkRows at a time.
  Counts flush(store::TaskWriter& writer);

  // Rows unpacked per insertMany() call: a multiple of the SQLite writer's rows per statement,
  // small enough that the unpacked copies stay a few hundred KiB.
  static constexpr std::size_t kChunkRows = 1024;

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
  // Unpacked rows for insertMany(), reused for every chunk: no allocation per row once warm.
  std::vector<NewTask> chunk_;
};

}  // namespace taskledger::import
