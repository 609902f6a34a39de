#include "taskledger/domain/Text.h"

#include <gtest/gtest.h>

#include <vector>

#include "taskledger/domain/Validation.h"

namespace taskledger {
namespace {

// CSI (U+009B) is obeyed by some terminals as ESC [: neither its UTF-8 form nor the raw byte may
// reach one.
TEST(Text, C1ControlsAreEscapedInUtf8AndAsRawBytes) {
  EXPECT_EQ(escapeForTerminal("a\xc2\x9b" "31mb"), "a\\u009b31mb");
  EXPECT_EQ(escapeForTerminal("a\x9b" "31mb"), "a\\x9b31mb");
  EXPECT_EQ(escapeForTerminal("\xc2\x80\xc2\x9f\x80\x9f"), "\\u0080\\u009f\\x80\\x9f");
  EXPECT_EQ(escapeForTerminal("\x1b[2J\x07\x7f"), "\\x1b[2J\\x07\\x7f");
  EXPECT_EQ(escapeForTerminal("caf\xc3\xa9 \xc2\xa0ok"), "caf\xc3\xa9 \xc2\xa0ok");
}

TEST(Text, ServerTextIsBoundedWithAMarkerThatItWasCut) {
  const std::string huge(50 * 1024, 'x');
  const std::string shown = serverText(huge);
  EXPECT_LE(shown.size(), kMaxServerText);
  EXPECT_EQ(serverText(shown), shown) << "cut once, kept as it is after";
  EXPECT_NE(shown.find("[cut from 51200 bytes]"), std::string::npos) << shown;
  EXPECT_EQ(serverText("short message"), "short message");
  // Never inside a UTF-8 character.
  const std::string wide = std::string(kMaxServerText - 1, 'x') + "\xe4\xb8\xad" + std::string(100, 'y');
  EXPECT_TRUE(isValidUtf8(serverText(wide)));
}

TEST(Validation, ProfileNamesCannotReachOtherPaths) {
  for (const char* good : {"default", "prod-gz", "team_a.ops", "A1"}) EXPECT_TRUE(isValidProfileName(good)) << good;
  const std::vector<std::string> bad_names{"",    "../../etc/evil", "..", "a..b", "a/b", "a b", "a\x1b",
                                           std::string(kMaxProfileName + 1, 'a'), std::string("a\0b", 3)};
  for (const std::string& bad : bad_names) {
    EXPECT_FALSE(isValidProfileName(bad)) << bad;
  }
  EXPECT_NE(profileNameProblem("../x", "--profile").find("--profile: '../x' is not a profile name"), std::string::npos);
}

}  // namespace
}  // namespace taskledger
