// Ledger values come from operators' CSV files and from API answers: every format must carry
// them as inert text. Each test renders a summary full of hostile values and checks what a
// spreadsheet, a browser, a Markdown viewer, a JSON parser or a terminal would see.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>
#include <set>
#include <sstream>

#include "taskledger/report/Format.h"

namespace taskledger::report {
namespace {

const std::string kFormula = "=cmd|' /C calc'!A0";
const std::string kScript = "<script>alert(\"x\")</script>";

ListedTask hostile(TaskClass c, const std::string& id, const std::string& resource, const std::string& message,
                   const std::string& code) {
  ListedTask t;
  t.task_class = c;
  t.state = c == TaskClass::Stuck ? TaskState::Pending : TaskState::Failed;
  t.request_id = id;
  t.region = "ap-guangzhou";
  t.profile = "default";
  t.operation = "Op & <b>bold</b>";
  t.resource = resource;
  t.submitted_at = *parseIsoTimestamp("2026-03-10T01:00:00Z");
  t.age = std::chrono::hours(2);
  t.attempts = 1;
  t.message = message;
  t.last_error_code = code;
  return t;
}

Summary hostileSummary() {
  Summary s;
  s.ledger = "/tmp/<ledger> & \"co\".db";
  s.window = {*parseIsoTimestamp("2026-03-10T00:00:00Z"), *parseIsoTimestamp("2026-03-11T00:00:00Z")};
  s.generated_at = *parseIsoTimestamp("2026-03-10T12:00:00Z");
  s.utc = true;
  s.time_zone = "UTC";
  s.stuck_after = std::chrono::minutes(30);
  s.filters.region = "ap-guangzhou' OR '1'='1";
  s.failed = {hostile(TaskClass::Failed, kFormula, kScript, "+1+1", "@SUM(A1)"),
              hostile(TaskClass::Failed, "-2", "a,b", "line one\nline two", "\tTab"),
              hostile(TaskClass::Failed, "ok-id", "it's \"quoted\" & <i>", "\x1b[2J\x1b[31mred\x07", "\rCR")};
  s.stuck = {hostile(TaskClass::Stuck, "stuck-id", "x | y | z", "pipe | here", "*bold* _em_ `code` [l](http://e)")};
  s.totals.add(TaskClass::Failed, 3);
  s.totals.add(TaskClass::Stuck, 1);
  s.by_region[kScript] = s.totals;
  s.by_operation["Op & <b>bold</b>"] = s.totals;
  // Actors, reasons and parked regions come from CloudAudit events and API answers too.
  s.failed[0].actor = kScript;
  s.by_actor[kScript] = s.totals;
  ReasonGroup g;
  g.message = kScript;
  g.count = 3;
  g.regions = {kScript};
  g.operations = {"Op & <b>bold</b>"};
  g.example_request_id = kFormula;
  s.failure_reasons = {g};
  s.parked_regions = {ParkedRegion{"default", kScript, "<b>Code</b>", kScript, s.generated_at, s.generated_at, 1, 0}};
  return s;
}

// The CSV's cells, read the way RFC 4180 says.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
    } else {
      cell += c;
    }
  }
  rows.pop_back();  // after the last newline
  return rows;
}

TEST(CsvEscaping, NoCellStartsWithAFormulaCharacterAndValuesSurviveQuoting) {
  const auto rows = parseCsv(render(hostileSummary(), Format::Csv));
  ASSERT_EQ(rows.size(), 5u);  // header + 3 failed + 1 stuck
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), rows[0].size());
    for (const auto& cell : row) {
      ASSERT_FALSE(cell.empty() ? false : std::string("=+-@\t\r").find(cell[0]) != std::string::npos)
          << "a spreadsheet would evaluate: " << cell;
    }
  }
  EXPECT_EQ(rows[1][1], "'" + kFormula);       // request_id
  EXPECT_EQ(rows[1][5], kScript);              // resource: harmless in a spreadsheet, kept as is
  EXPECT_EQ(rows[1][11], "'@SUM(A1)");         // last_error_code
  EXPECT_EQ(rows[1][12], "'+1+1");             // message
  EXPECT_EQ(rows[2][1], "'-2");
  EXPECT_EQ(rows[2][5], "a,b");
  EXPECT_EQ(rows[2][11], "'\tTab");
  EXPECT_EQ(rows[2][12], "line one\nline two");
  EXPECT_EQ(rows[3][5], "it's \"quoted\" & <i>");
  EXPECT_EQ(rows[3][11], "'\rCR");
}

TEST(HtmlEscaping, OnlyTheReportsOwnTagsAppearAndNothingIsFetchedOrRun) {
  const std::string html = render(hostileSummary(), Format::Html);
  const std::set<std::string> allowed = {"!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2",
                                         "table", "thead", "tbody", "tr", "th", "td", "p", "section", "nav", "a",
                                         "b", "small", "span", "i", "div", "details", "summary"};
  const std::regex tag("</?([A-Za-z!][A-Za-z0-9]*)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(allowed.count((*it)[1].str()), 1u) << "unexpected tag <" << (*it)[1].str() << ">";
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("it&#39;s &quot;quoted&quot; &amp; &lt;i&gt;"), std::string::npos);
  EXPECT_NE(html.find("/tmp/&lt;ledger&gt; &amp; &quot;co&quot;.db"), std::string::npos);
  for (const char* fetch : {"src=", "url(", "@import", "<link", "javascript:"}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
  }
  // Links only within the page (the headline's tiles to their sections).
  for (auto at = html.find("href="); at != std::string::npos; at = html.find("href=", at + 1)) {
    EXPECT_EQ(html.compare(at, 7, "href=\"#"), 0) << html.substr(at, 40);
  }
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""),
            std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

TEST(JsonEscaping, ParsesAndGivesBackEveryValueExactly) {
  Summary s = hostileSummary();
  s.failed[2].message += "\xff\xfe";  // not UTF-8: replaced, the document must still parse
  const std::string json = render(s, Format::Json);
  Poco::JSON::Parser parser;
  auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  auto failed = root->getArray("failed");
  ASSERT_EQ(failed->size(), 3u);
  EXPECT_EQ(failed->getObject(0)->getValue<std::string>("request_id"), kFormula);
  EXPECT_EQ(failed->getObject(0)->getValue<std::string>("resource"), kScript);
  EXPECT_EQ(failed->getObject(1)->getValue<std::string>("message"), "line one\nline two");
  EXPECT_EQ(failed->getObject(2)->getValue<std::string>("message"), "\x1b[2J\x1b[31mred\x07\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(root->getObject("by_region")->getObject(kScript)->getValue<int>("failed"), 3);
}

TEST(MarkdownEscaping, CellsStayInTheirColumnsAndCarryNoMarkup) {
  const std::string md = render(hostileSummary(), Format::Markdown);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
  EXPECT_NE(md.find("x \\| y \\| z"), std::string::npos);
  EXPECT_NE(md.find("\\*bold\\* \\_em\\_ \\`code\\` \\[l\\](http://e)"), std::string::npos);
  // Every row of the stuck table has as many unescaped | as its header.
  std::istringstream lines(md);
  std::string line;
  std::size_t header_bars = 0;
  bool in_stuck = false;
  const auto bars = [](const std::string& l) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < l.size(); ++i) n += l[i] == '|' && (i == 0 || l[i - 1] != '\\');
    return n;
  };
  while (std::getline(lines, line)) {
    if (line.rfind("## Stuck:", 0) == 0) in_stuck = true;
    if (!in_stuck || line.empty() || line[0] != '|') continue;
    if (header_bars == 0) header_bars = bars(line);
    EXPECT_EQ(bars(line), header_bars) << line;
  }
  EXPECT_GT(header_bars, 0u);
}

TEST(TextEscaping, ControlCharactersAreShownNotObeyed) {
  const std::string text = render(hostileSummary(), Format::Text);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_NE(text.find("\\x1b[2J\\x1b[31mred\\x07"), std::string::npos);
  EXPECT_NE(text.find("line one\\x0aline two"), std::string::npos);  // the row stays one line
}

// CSI as U+009B (UTF-8 C2 9B) or as the raw byte 0x9b: an 8-bit or C1-obeying terminal reads
// either as ESC [, so neither may reach it; other non-ASCII text stays as it is.
TEST(TextEscaping, C1ControlsAreShownNotObeyedInEitherForm) {
  Summary s = hostileSummary();
  s.failed[0].message = "utf8 \xc2\x9b" "31mred";
  s.failed[1].message = "raw \x9b" "31mred";
  s.failed[2].message = "caf\xc3\xa9 \xe4\xb8\xad";
  const std::string text = render(s, Format::Text);
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_EQ(text.find('\x9b'), std::string::npos);
  EXPECT_NE(text.find("utf8 \\u009b31mred"), std::string::npos) << text;
  EXPECT_NE(text.find("raw \\x9b31mred"), std::string::npos) << text;
  EXPECT_NE(text.find("caf\xc3\xa9 \xe4\xb8\xad"), std::string::npos) << text;
}

}  // namespace
}  // namespace taskledger::report
