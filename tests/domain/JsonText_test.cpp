// Repairing JSON text before it is parsed: a lone surrogate escape or an invalid byte costs one
// character, never the document (issue 20).
#include "taskledger/domain/JsonText.h"

#include <gtest/gtest.h>

#include <string>

namespace taskledger {
namespace {

TEST(JsonText, AWellFormedDocumentIsUnchanged) {
  const std::string doc = R"({"a":"x\"\\\n\u00e9\ud83d\ude00","b":"中文","c":[1,2.5,null]})";
  EXPECT_EQ(repairJsonText(doc), doc);
}

TEST(JsonText, ALoneSurrogateEscapeBecomesTheReplacementCharacter) {
  EXPECT_EQ(repairJsonText(R"(["\ud800"])"), R"(["\uFFFD"])");
  EXPECT_EQ(repairJsonText(R"(["\uDFFF x"])"), R"(["\uFFFD x"])");
  // A high surrogate followed by anything but a low one, and a low one first.
  EXPECT_EQ(repairJsonText(R"(["\ud800\u0041"])"), R"(["\uFFFD\u0041"])");
  EXPECT_EQ(repairJsonText(R"(["\udc00\ud800"])"), R"(["\uFFFD\uFFFD"])");
  EXPECT_EQ(repairJsonText(R"(["\ud800)"), R"(["\uFFFD)");
}

TEST(JsonText, AnEscapedBackslashIsNotTheStartOfAnEscape) {
  EXPECT_EQ(repairJsonText(R"(["\\ud800"])"), R"(["\\ud800"])");
  EXPECT_EQ(repairJsonText(R"(["\\\ud800"])"), R"(["\\\uFFFD"])");
}

TEST(JsonText, InvalidUtf8BecomesTheReplacementCharacter) {
  EXPECT_EQ(repairJsonText("[\"a\xff" "b\"]"), "[\"a\xEF\xBF\xBD" "b\"]");
  // An encoded surrogate (ED A0 80) and a truncated sequence: one replacement per byte.
  EXPECT_EQ(repairJsonText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(repairJsonText("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonText, TheCostIsBoundedByTheInput) {
  const std::string worst(1 << 20, '\xff');
  EXPECT_EQ(repairJsonText(worst).size(), 3 * worst.size());
}

}  // namespace
}  // namespace taskledger
