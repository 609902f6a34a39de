#include "SortedBatch.h"

#include <algorithm>
#include <string_view>

namespace taskledger::import {

SortedBatch::SortedBatch() {
  // Reserved address space is not resident memory: pages are touched only as a batch fills.
  rows_.reserve(kMaxRows);
  bytes_.reserve(kMaxBytes + 4096);
}

void SortedBatch::add(const NewTask& t) {
  Row r{};
  r.begin = static_cast<std::uint32_t>(bytes_.size());
  r.profile_len = static_cast<std::uint16_t>(t.profile.size());
  r.region_len = static_cast<std::uint16_t>(t.region.size());
  r.id_len = static_cast<std::uint16_t>(t.request_id.size());
  r.operation_len = static_cast<std::uint16_t>(t.operation.size());
  r.resource_len = static_cast<std::uint16_t>(t.resource.size());
  r.source_len = static_cast<std::uint16_t>(t.source.size());
  r.has_submitted = t.submitted_at.has_value();
  if (t.submitted_at) r.submitted_at = *t.submitted_at;
  // '\0' sorts before every character the validator lets through, so comparing the joined key
  // orders rows by (profile, region, request_id), as the index does.
  bytes_.append(t.profile).append(1, '\0').append(t.region).append(1, '\0').append(t.request_id);
  bytes_.append(t.operation).append(t.resource).append(t.source);
  rows_.push_back(r);
}

SortedBatch::Counts SortedBatch::flush(store::TaskWriter& writer) {
  const char* base = bytes_.data();
  auto key = [base](const Row& r) { return std::string_view(base + r.begin, r.keyLength()); };
  // Ties keep file order (begin grows with it): the first of two equal rows is inserted.
  std::sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
    int c = key(a).compare(key(b));
    return c != 0 ? c < 0 : a.begin < b.begin;
  });

  Counts counts;
  std::size_t used = 0;
  auto insertChunk = [&] {
    chunk_.resize(used);  // only the last chunk is shorter, so only it gives up strings
    std::int64_t added = writer.insertMany(chunk_);
    counts.inserted += added;
    counts.duplicates += static_cast<std::int64_t>(used) - added;
    used = 0;
  };
  for (const Row& r : rows_) {
    if (used == chunk_.size()) chunk_.resize(std::min(kChunkRows, rows_.size()));
    NewTask& t = chunk_[used++];
    const char* p = base + r.begin;
    auto take = [&p](std::string& out, std::size_t n, std::size_t skip) {
      out.assign(p, n);
      p += n + skip;
    };
    take(t.profile, r.profile_len, 1);
    take(t.region, r.region_len, 1);
    take(t.request_id, r.id_len, 0);
    take(t.operation, r.operation_len, 0);
    take(t.resource, r.resource_len, 0);
    take(t.source, r.source_len, 0);
    if (r.has_submitted) {
      t.submitted_at = r.submitted_at;
    } else {
      t.submitted_at.reset();
    }
    if (used == kChunkRows) insertChunk();
  }
  if (used > 0) insertChunk();
  rows_.clear();
  bytes_.clear();
  return counts;
}

}  // namespace taskledger::import
