// parseTccliAnswer (import/TccliAnswer.h): whatever is piped into `add --from-json`. An answer is
// either taken, with a request id and resource the ledger can store, or refused as bad input
// with one printable line; nothing else (no crash, no other exception, no half answer).
#include <string>

#include "FuzzCheck.h"
#include "taskledger/domain/Error.h"
#include "taskledger/domain/Validation.h"
#include "taskledger/import/TccliAnswer.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace taskledger;
  const std::string_view text = fuzz::asText(data, size);
  try {
    const import::TccliAnswer a = import::parseTccliAnswer(text, "stdin");
    FUZZ_CHECK(normalizeRequestId(a.request_id) == a.request_id, a.request_id);  // a lower-case UUID
    FUZZ_CHECK(a.resource.size() <= 1024 && isValidUtf8(a.resource), a.resource);
    FUZZ_CHECK(text.find("RequestId") != std::string_view::npos, text);
  } catch (const Error& e) {
    const std::string_view why = e.what();
    FUZZ_CHECK(e.code() == ExitCode::BadInput, why);
    FUZZ_CHECK(fuzz::isOneLine(why) && isValidUtf8(why), why);
    FUZZ_CHECK(why.rfind("stdin: ", 0) == 0, why);
  }
  return 0;
}
