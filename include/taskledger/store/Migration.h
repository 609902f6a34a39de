#pragma once
#include <string>
#include <vector>

namespace taskledger::store {

// One migrations/NNNN_name.sql file, compiled into the binary with its SHA-256.
struct Migration {
  int version;
  std::string name;
  std::string checksum;  // hex SHA-256 of the file
  std::string sql;
};

// The migrations built into this binary, in version order (generated at build time).
const std::vector<Migration>& embeddedMigrations();

}  // namespace taskledger::store
