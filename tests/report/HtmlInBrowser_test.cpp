// The HTML report as a reviewer opens it: rendered by a real browser (headless Chromium, Debian's
// `chromium` package, installed by scripts/setup.sh) at a desktop width and a phone width, and
// measured in the page. The report itself carries no script: a wrapper page holds it in two
// iframes (srcdoc, so same-origin) of exactly those widths and measures them from outside.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "TestLedger.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "taskledger/report/Format.h"
#include "taskledger/report/Reporter.h"

namespace taskledger::report {
namespace {

using testing::at;
using testing::insertParked;
using testing::insertRun;
using testing::insertTask;
using testing::LedgerTask;
using testing::requestId;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr int kWidths[] = {1280, 390};
constexpr int kHeights[] = {900, 844};  // the first screen at each width

// Like scripts/demo.sh's: 400 tasks over four regions, its failure messages, stuck and rejected
// tasks with the endpoint's long messages, and actors on the tasks that discover would find.
void buildDemoLedger(store::Database& db) {
  const char* regions[] = {"ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-shanghai-fsi"};
  const char* operations[] = {"CreateLoadBalancer", "DeleteLoadBalancer", "CreateListener",
                              "RegisterTargets",    "DeregisterTargets",  "ModifyRule"};
  const char* failures[] = {"The listener port is already in use.",
                            "Insufficient balance: the load balancer could not be created.",
                            "The backend instance is not in the VPC of the load balancer."};
  for (int i = 0; i < 400; ++i) {
    char submitted[32], resolved[32];
    std::snprintf(submitted, sizeof submitted, "2026-03-10T%02d:%02d:%02d.000Z", i * 24 / 400, (i * 7) % 60, i % 60);
    std::snprintf(resolved, sizeof resolved, "2026-03-10T%02d:%02d:%02d.000Z", i * 24 / 400, (i * 7) % 60, 59);
    const std::string region = regions[i % 4];
    LedgerTask t(i, submitted);
    t.region(region).operation(operations[i % 6]).resource("lb-" + std::to_string(10000000 + i * 7919));
    if (i % 3 == 0) t.actor(i % 2 ? "alice@example.com" : "terraform-deployer").sourceIp("203.0.113." + std::to_string(i % 250));
    if (i % 10 == 3) {
      t.state("failed").resolvedAt(resolved).attempts(4).message(failures[i % 3]);
    } else if (i % 25 == 7) {
      t.state("in_progress").attempts(9);
    } else if (i % 25 == 11) {
      t.state("rejected").attempts(1).lastErrorCode("InvalidParameter")
          .lastErrorMessage("The TaskId " + requestId(i) + " was not found in region " + region + ".");
    } else {
      t.resolvedAt(resolved).attempts(2);
    }
    insertTask(db, t);
  }
  const auto run = insertRun(db, "2026-03-10T23:50:00Z", "2026-03-10T23:51:00Z");
  insertParked(db, run, "ap-jakarta", "UnsupportedRegion", "2026-03-10T23:50:01.000Z",
               "The region ap-jakarta is not supported by this API version; try ap-singapore instead.");
}

std::string attributeEscaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// Writes one line per finding into <pre id="m">: "W page SCROLLWIDTH INNERWIDTH", "W rows
// SECTION COUNT", "W tall SECTION ROW LINES", "W wrapped SECTION COLUMN ROW", "W narrow SECTION
// ROW WIDTHPX" (a message squeezed under 12em), "W tiles N", "W labels N", "W slots N LAST";
// and, for what must not happen: "W deadlink", "W below" (a tile under the first screen),
// "W textsize" (chart text not body text), "W overlap" / "W offpage" (chart labels), "W chartwide".
constexpr const char* kMeasure = R"JS(
window.addEventListener('load', () => {
  const out = [];
  for (const frame of document.querySelectorAll('iframe')) {
    const w = frame.dataset.width, doc = frame.contentDocument, win = frame.contentWindow;
    out.push([w, 'page', doc.documentElement.scrollWidth, win.innerWidth].join(' '));
    for (const id of ['failed', 'stuck', 'rejected', 'failure-reasons', 'parked-regions']) {
      const sec = doc.getElementById(id);
      const rows = sec ? [...sec.querySelectorAll('tbody tr')] : [];
      out.push([w, 'rows', id, rows.length].join(' '));
      const heads = sec ? [...sec.querySelectorAll('thead th')].map(th => th.textContent) : [];
      rows.forEach((tr, i) => {
        const cs = win.getComputedStyle(tr.cells[0]);
        const lh = parseFloat(cs.lineHeight);
        const pad = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) + 1;
        const lines = (tr.getBoundingClientRect().height - pad) / lh;
        if (lines > 3.05) out.push([w, 'tall', id, i, lines.toFixed(2)].join(' '));
        [...tr.cells].forEach((td, c) => {
          const range = doc.createRange();
          range.selectNodeContents(td);
          const boxes = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
          const name = heads[c];
          if (td.querySelector('.id')) {
            // Short ids are clipped boxes, one line high: measured by height, not by text boxes.
            if (td.querySelector('.id').getBoundingClientRect().height > 1.6 * lh) out.push([w, 'wrapped', id, name.replace(/ /g, '_'), i].join(' '));
          } else if (td.classList.contains('prose')) {
            if (td.getBoundingClientRect().width < 12 * parseFloat(cs.fontSize))
              out.push([w, 'narrow', id, i, Math.round(td.getBoundingClientRect().width)].join(' '));
          } else if (boxes > 1) {
            out.push([w, 'wrapped', id, name.replace(/ /g, '_'), i].join(' '));
          }
        });
      });
    }
    // The headline: every tile inside the first screen, linking to a section that exists.
    const screen = Number(frame.dataset.height);
    const tiles = [...doc.querySelectorAll('#headline a.tile')];
    out.push([w, 'tiles', tiles.length].join(' '));
    for (const a of tiles) {
      const target = doc.getElementById(a.getAttribute('href').slice(1));
      if (!target) out.push([w, 'deadlink', a.getAttribute('href')].join(' '));
      if (a.getBoundingClientRect().bottom > screen) out.push([w, 'below', a.getAttribute('href'), Math.round(a.getBoundingClientRect().bottom)].join(' '));
    }
    // Chart text is body text; the labels shown never overlap and stay on the page.
    const body = win.getComputedStyle(doc.body).fontSize;
    for (const el of doc.querySelectorAll('.lbl, .legend span, .hbars > span')) {
      const size = win.getComputedStyle(el).fontSize;
      if (size !== body) out.push([w, 'textsize', el.className || el.tagName, size, body].join(' '));
    }
    const shown = [...doc.querySelectorAll('.plot .lbl')].filter(l => win.getComputedStyle(l).display !== 'none')
                    .map(l => l.getBoundingClientRect());
    out.push([w, 'labels', shown.length].join(' '));
    shown.forEach((r, i) => {
      if (i > 0 && r.left < shown[i - 1].right) out.push([w, 'overlap', i].join(' '));
      if (r.right > win.innerWidth) out.push([w, 'offpage', i, Math.round(r.right)].join(' '));
    });
    const plot = doc.querySelector('.plot');
    if (plot && plot.getBoundingClientRect().right > win.innerWidth) out.push([w, 'chartwide', Math.round(plot.getBoundingClientRect().right)].join(' '));
    const slots = [...doc.querySelectorAll('.plot .slot')];
    out.push([w, 'slots', slots.length, slots.length ? slots[slots.length - 1].title.split(':')[0] + ':' + slots[slots.length - 1].title.split(':')[1] : '-'].join(' '));
  }
  document.getElementById('m').textContent = out.join('\n');
});
)JS";


TEST(HtmlInBrowser, ReadableAtDesktopAndPhoneWidths) {
  if (access(kChromium, X_OK) != 0) {
    GTEST_SKIP() << kChromium << " is not installed (Debian package chromium; scripts/setup.sh installs it)";
  }
  testing::TempDir dir;
  std::string html;
  {
    store::Database db(dir.file("ledger.db"));
    buildDemoLedger(db);
    ReportRequest request;
    request.window = *dayWindow("2026-03-10", true);
    request.utc = true;
    request.stuck_after = std::chrono::minutes(2);
    request.previous = previousWindow(request.window, true);
    // Made at 20:30 of the day it reports: the hours after that have not happened.
    html = render(summarize(db, request, at("2026-03-10T20:30:00Z")), Format::Html);
  }
  ASSERT_EQ(html.find("<script"), std::string::npos);
  std::string page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}"
                     "iframe{display:block;border:0;height:30000px}</style></head><body>";
  for (std::size_t i = 0; i < std::size(kWidths); ++i) {
    const std::string w = std::to_string(kWidths[i]);
    page += "<iframe data-width=\"" + w + "\" data-height=\"" + std::to_string(kHeights[i]) + "\" style=\"width:" + w +
            "px\" srcdoc=\"" + attributeEscaped(html) + "\"></iframe>";
  }
  page += "<pre id=\"m\"></pre><script>" + std::string(kMeasure) + "</script></body></html>";
  const std::string wrapper = dir.write("wrapper.html", page);
  // To look at the page yourself: TASKLEDGER_KEEP_REPORT_HTML=DIR keeps both files there.
  if (const char* keep = std::getenv("TASKLEDGER_KEEP_REPORT_HTML")) {
    std::ofstream(std::string(keep) + "/report.html") << html;
    std::ofstream(std::string(keep) + "/wrapper.html") << page;
  }

  testing::ProcessOptions options;
  options.timeout_seconds = 180;  // headless Chromium on two busy cores
  const auto r = testing::runProcess(
      {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync",
       "--user-data-dir=" + dir.file("profile"), "--window-size=1400,1000", "--virtual-time-budget=5000",
       "--dump-dom", "file://" + wrapper},
      options);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto from = r.out.find("<pre id=\"m\">");
  ASSERT_NE(from, std::string::npos) << r.out.substr(0, 2000);
  const std::string found = r.out.substr(from + 12, r.out.find("</pre>", from) - from - 12);
  ASSERT_FALSE(found.empty()) << "the measuring script wrote nothing";

  std::istringstream lines(found);
  std::string line;
  std::map<std::string, int> rows;
  int pages = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string width, what;
    words >> width >> what;
    if (what == "page") {
      long scroll = 0, inner = 0;
      words >> scroll >> inner;
      ++pages;
      EXPECT_EQ(inner, std::stol(width)) << "the frame is not the width asked for: " << line;
      EXPECT_LE(scroll, inner) << "the page scrolls sideways at " << width << " px: " << line;
    } else if (what == "rows") {
      std::string id;
      int n = 0;
      words >> id >> n;
      rows[width + " " + id] = n;
    } else if (what == "tiles" || what == "labels") {
      int n = 0;
      words >> n;
      rows[width + " " + what] = n;
    } else if (what == "slots") {
      int n = 0;
      std::string last;
      words >> n >> last;
      rows[width + " slots"] = n;
      EXPECT_EQ(last, "20:00Z") << "the chart's last slice is not the one the report was made in: " << line;
    } else {
      ADD_FAILURE() << "at " << width << " px: " << line;
    }
  }
  EXPECT_EQ(pages, 2) << found;
  for (int w : kWidths) {
    const std::string px = std::to_string(w);
    EXPECT_EQ(rows[px + " failed"], 40) << found;
    EXPECT_GT(rows[px + " stuck"], 0) << found;
    EXPECT_GT(rows[px + " rejected"], 0) << found;
    EXPECT_EQ(rows[px + " failure-reasons"], 4) << found;
    EXPECT_EQ(rows[px + " parked-regions"], 1) << found;
    EXPECT_EQ(rows[px + " tiles"], 5) << "failed, stuck, rejected, never checked, parked regions: " << found;
    EXPECT_GE(rows[px + " labels"], 4) << "the chart's hours are unlabelled: " << found;
    EXPECT_EQ(rows[px + " slots"], 21) << "00:00 to 20:00, none after the report was made: " << found;
  }
}

}  // namespace
}  // namespace taskledger::report
