#include "taskledger/report/Format.h"

#include "CsvRenderer.h"
#include "HtmlRenderer.h"
#include "JsonRenderer.h"
#include "MarkdownRenderer.h"
#include "TextRenderer.h"

namespace taskledger::report {

std::optional<Format> parseFormat(std::string_view name) {
  if (name == "text") return Format::Text;
  if (name == "csv") return Format::Csv;
  if (name == "json") return Format::Json;
  if (name == "markdown" || name == "md") return Format::Markdown;
  if (name == "html") return Format::Html;
  return std::nullopt;
}

std::optional<CsvTable> parseCsvTable(std::string_view name) {
  if (name == "tasks") return CsvTable::Tasks;
  if (name == "failure_reasons") return CsvTable::FailureReasons;
  if (name == "hours") return CsvTable::Hours;
  if (name == "by_actor") return CsvTable::ByActor;
  if (name == "totals") return CsvTable::Totals;
  if (name == "headline") return CsvTable::Headline;
  return std::nullopt;
}

std::string render(const Summary& s, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::Text: return renderText(s, options.width);
    case Format::Csv: return renderCsvTable(s, CsvTable::Tasks, options);
    case Format::Json: return renderJson(s);
    case Format::Markdown: return renderMarkdown(s);
    case Format::Html: return renderHtml(s);
  }
  return renderText(s, options.width);
}

std::string renderCsvTable(const Summary& s, CsvTable table, const RenderOptions& options) {
  // Excel reads a CSV file without it in the legacy code page: names in Chinese turn to mojibake.
  return (options.bom ? "\xEF\xBB\xBF" : "") + renderCsv(s, table);
}

}  // namespace taskledger::report
