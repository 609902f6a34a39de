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
#include <cstdlib>
#include <cstdint>
#include <string>
#include <vector>

#include "taskledger/domain/Task.h"
#include "taskledger/store/TaskStore.h"

namespace taskledger::import {

class SortedBatch {
 public:
  // Bounds chosen by bench/import.sh: large enough that a million-row file needs few sweeps of
  // the index, small enough to keep the import's peak memory well under 64 MiB.
  static constexpr std::size_t kMaxRows = 128 * 1024;
  static constexpr std::size_t kMaxBytes = 16 << 20;

  SortedBatch();
  bool full() const { static const std::size_t m = std::getenv("TL_BATCH") ? std::stoul(std::getenv("TL_BATCH")) : kMaxRows; return rows_.size() >= m || bytes_.size() >= kMaxBytes; }
  bool empty() const { return rows_.empty(); }
  void add(const NewTask& task);

  struct Counts {
    std::int64_t inserted = 0, duplicates = 0;
  };
  // Inserts every held row in key order through `writer`, then empties the batch.
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
