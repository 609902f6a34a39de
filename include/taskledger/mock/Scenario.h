#pragma once
// What the local endpoint answers to DescribeTaskStatus, per TaskId: the scripted history of each
// task. Loaded from a JSON file (format below) or built in code by tests.
//
// Scenario file format (UTF-8 JSON; unknown keys are ignored):
//   {
//     "tasks": [
//       // a sequence: each answered check returns the next status; the last one repeats
//       {"task_id": "55c85074-...", "region": "ap-guangzhou", "statuses": [2, 2, 0],
//        "load_balancer_ids": ["lb-6efswuxa"]},
//       // a delay: status 2 until `after_ms` after the id was first asked about, then `status`
//       {"task_id": "...", "region": "ap-shanghai", "status": 0, "after_ms": 3000},
//       // a fixed error answered for every check of this id
//       {"task_id": "...", "region": "ap-beijing", "error": "FailedOperation",
//        "message": "the task was cancelled"},
//       // "message": Message of the answers with status 0 or 1 (status 2 answers carry null),
//       //            or the Error.Message of a fixed error
//       // "expect":  the final taskledger state this task should reach ("succeeded", "failed",
//       //            "in_progress", "rejected", ...); not used by the server, kept for tests
//     ],
//     // ids that deliberately have no entry (they answer InvalidParameter); kept for tests
//     "unknown_ids": ["..."],
//     // optional: how ids not listed in "tasks" are answered; each such id gets its own
//     // history. Without it, unknown ids answer InvalidParameter. Benches use {"statuses": [0]}.
//     "default": {"statuses": [2, 0]}
//   }
// "region" may be omitted: the task then answers in every region. A task id is matched exactly as
// sent (the client lower-cases UUIDs; so does the generator).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "taskledger/domain/Time.h"

namespace taskledger::mock {

struct TaskScript {
  enum class Kind { Sequence, AfterDelay, FixedError };

  Kind kind = Kind::Sequence;
  std::string region;                 // empty: any region
  std::vector<int> statuses{0};       // Sequence: 0, 1 or 2 each; never empty
  int status = 0;                     // AfterDelay: the status once the delay has passed
  Millis after{0};                    // AfterDelay: measured from the first request about this id
                                      // that reached the script (not one faulted before it)
  std::string error_code;             // FixedError: e.g. "FailedOperation"
  std::string message;                // see the file format above
  std::vector<std::string> load_balancer_ids;
  std::string expect;                 // for tests; the server ignores it

  // The status the check number `check_index` (0-based) answers, `elapsed` after the first check.
  // Not meaningful for FixedError.
  int statusAt(std::uint64_t check_index, Millis elapsed) const;
};

struct Scenario {
  std::unordered_map<std::string, TaskScript> tasks;
  std::optional<TaskScript> default_task;   // none: ids not in `tasks` answer InvalidParameter
  std::vector<std::string> unknown_ids;     // for tests; the server ignores it

  // Parses the format above. Throws taskledger::Error (BadInput) naming `origin` and the entry.
  static Scenario parse(const std::string& json_text, const std::string& origin = "scenario");
  static Scenario loadFile(const std::string& path);
  // The same format; parse(toJson()) gives back an equal scenario. Tasks are written in id order.
  std::string toJson() const;
  void saveFile(const std::string& path) const;
};

}  // namespace taskledger::mock
