// A failure written for people: the counterexample as a sequence diagram,
// each rule broken with the sentence of the documents it comes from, and the
// rule coverage table, as Markdown (a Mermaid sequence diagram) or as one
// self-contained HTML page (an inline SVG diagram; no script, no external
// file). `haspec gate --report` and `haspec replay --report` fill it
// (tools/haspec/report.h adapts their failures); this header knows neither.
//
//   FailureReport r;
//   r.title = "haspec gate: jsa vs ref-jsa";
//   r.verdict = "does not conform (violation)";
//   ReportFailure& f = r.failures.emplace_back();
//   f.left = "haspec gate"; f.right = "ref-jsa";
//   f.steps.push_back({"host_fails host=primary", "accepted, shows ...", false});
//   f.rules.push_back(RuleEntry(rule, "the primary shows Active"));
//   r.coverage = &coverage;
//   std::string err;
//   if (!WriteReport("gate.html", r, err)) ...   // by extension: .md, .html or .htm
#ifndef HASPEC_ENGINE_REPORT_H_
#define HASPEC_ENGINE_REPORT_H_

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/coverage.h"
#include "model/core/rule.h"

namespace haspec {

// One exchange of the counterexample: a request (an op sent, an event read
// from a log) and what came back (the answer and what it showed).
struct ReportStep {
  std::string request;
  std::string answer;
  bool failing = false;  // the exchange the model cannot explain
};

// A rule broken, with its basis: the sentence it comes from, or the reason
// it is assumed.
struct ReportRule {
  std::string id, kind, statement, detail;
  bool documented = true;
  std::string source, quote;  // documented: where the sentence is; assumption: quote = reason
};

inline ReportRule RuleEntry(const Rule& r, std::string detail) {
  return {
      std::string(r.id), std::string(ToString(r.kind)), std::string(r.statement), std::move(detail),
      IsDocumented(r),   std::string(r.source),         std::string(r.quote)};
}

// One failure: a counterexample between two parties and the rules it breaks.
struct ReportFailure {
  std::string heading;                   // "sys0.jsonl:7" or "run 3, shrunk to 4 ops"
  std::string left = "haspec";           // who sends or reads
  std::string right = "implementation";  // who answers or logged
  std::string note;                      // over the failing exchange: "violation"
  std::vector<ReportStep> steps;
  std::vector<ReportRule> rules;
  std::string details;  // free text (what the model allowed there), preformatted
};

struct FailureReport {
  std::string title;               // first heading
  std::string verdict;             // one line
  std::vector<std::string> facts;  // "200 runs, 4,108 ops, seed 1", ...
  std::vector<ReportFailure> failures;
  const Coverage* coverage = nullptr;  // the coverage table, when recorded
};

namespace report_internal {

inline std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Mermaid message text: no line breaks, no characters its parser takes as
// syntax (";" ends a statement, "#" starts an entity code).
inline std::string MermaidText(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == ';') {
      out += ' ';
    } else if (c == '#') {
      out += "nr ";
    } else {
      out += c;
    }
  }
  return out;
}

inline std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

// A participant name Mermaid accepts as an alias target.
inline std::string Actor(std::string_view s) { return "\"" + MermaidText(s) + "\""; }

inline std::string Basis(const ReportRule& r) {
  if (!r.documented) return "assumed because: " + r.quote;
  return "source `" + r.source + "`: \"" + r.quote + "\"";
}

// At most `n` characters, with an ellipsis when cut (SVG text does not wrap).
inline std::string Clip(const std::string& s, std::size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

}  // namespace report_internal

inline std::string ReportMarkdown(const FailureReport& r) {
  using namespace report_internal;
  std::ostringstream f;
  f << "# " << r.title << "\n\n**" << r.verdict << "**\n\n";
  for (const auto& x : r.facts) f << "* " << x << "\n";
  if (!r.facts.empty()) f << "\n";
  for (const ReportFailure& fl : r.failures) {
    f << "## " << (fl.heading.empty() ? "Counterexample" : fl.heading) << "\n\n"
      << "```mermaid\nsequenceDiagram\n  participant L as " << MermaidText(fl.left)
      << "\n  participant R as " << MermaidText(fl.right) << "\n";
    for (const ReportStep& s : fl.steps) {
      f << "  L->>R: " << MermaidText(s.request) << "\n";
      if (!s.answer.empty()) f << "  R-->>L: " << MermaidText(s.answer) << "\n";
      if (s.failing) f << "  Note over L,R: " << MermaidText(fl.note) << "\n";
    }
    f << "```\n\n";
    if (!fl.rules.empty()) f << "### Rules broken\n\n";
    for (const ReportRule& rule : fl.rules) {
      f << "* **" << rule.id << "** (" << rule.kind << ", "
        << (rule.documented ? "documented" : "assumption") << "): " << rule.statement << "  \n  "
        << (rule.detail.empty() ? "" : rule.detail + "  \n  ") << Basis(rule) << "\n";
    }
    if (!fl.details.empty())
      f << "\n```\n" << fl.details << (fl.details.back() == '\n' ? "" : "\n") << "```\n";
    f << "\n";
  }
  if (r.coverage) {
    const Coverage& c = *r.coverage;
    f << "## Rule coverage\n\n"
      << c.ExercisedCount() << " of " << c.rules.size()
      << " rules exercised (not exercised in bold).\n\n"
      << "| rule | kind | basis | decided | refused | premise held | advised |\n"
      << "|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
      const Rule& rule = *c.rules[i];
      const char* b = c.Exercised(i) ? "" : "**";
      f << "| " << b << rule.id << b << " | " << ToString(rule.kind) << " | "
        << ToString(rule.basis) << " | " << c.decided[i] << " | " << c.refused[i] << " | "
        << c.premise[i] << " | " << c.advised[i] << " |\n";
    }
  }
  return f.str();
}

// The counterexample as an SVG sequence diagram: two lifelines, one arrow per
// request and per answer, the failing exchange in red with its note.
inline std::string SequenceSvg(const ReportFailure& fl) {
  using namespace report_internal;
  constexpr int kW = 960, kLeft = 150, kRight = 810, kRow = 30, kTop = 60;
  int rows = 0;
  for (const ReportStep& s : fl.steps) rows += 1 + !s.answer.empty() + s.failing;
  const int h = kTop + rows * kRow + 30;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kW << "\" height=\"" << h
    << "\" viewBox=\"0 0 " << kW << " " << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<defs><marker id=\"a\" markerWidth=\"10\" markerHeight=\"7\" refX=\"10\" refY=\"3.5\" "
       "orient=\"auto\"><polygon points=\"0 0, 10 3.5, 0 7\"/></marker></defs>\n";
  for (int x : {kLeft, kRight}) {
    const std::string& name = x == kLeft ? fl.left : fl.right;
    o << "<rect x=\"" << x - 120 << "\" y=\"10\" width=\"240\" height=\"28\" fill=\"#eef\" "
      << "stroke=\"#446\"/><text x=\"" << x << "\" y=\"29\" text-anchor=\"middle\">"
      << Html(Clip(name, 36)) << "</text>\n<line x1=\"" << x << "\" y1=\"38\" x2=\"" << x
      << "\" y2=\"" << h - 10 << "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n";
  }
  int y = kTop;
  for (const ReportStep& s : fl.steps) {
    const char* colour = s.failing ? "#c00" : "#000";
    o << "<line x1=\"" << kLeft << "\" y1=\"" << y << "\" x2=\"" << kRight << "\" y2=\"" << y
      << "\" stroke=\"" << colour << "\" marker-end=\"url(#a)\"/><text x=\"" << kLeft + 8
      << "\" y=\"" << y - 5 << "\" fill=\"" << colour << "\">" << Html(Clip(s.request, 110))
      << "</text>\n";
    y += kRow;
    if (!s.answer.empty()) {
      o << "<line x1=\"" << kRight << "\" y1=\"" << y << "\" x2=\"" << kLeft << "\" y2=\"" << y
        << "\" stroke=\"" << colour << "\" stroke-dasharray=\"6 3\" marker-end=\"url(#a)\"/>"
        << "<text x=\"" << kRight - 8 << "\" y=\"" << y - 5 << "\" text-anchor=\"end\" fill=\""
        << colour << "\">" << Html(Clip(s.answer, 110)) << "</text>\n";
      y += kRow;
    }
    if (s.failing) {
      o << "<rect x=\"" << kLeft + 40 << "\" y=\"" << y - 20 << "\" width=\"" << kRight - kLeft - 80
        << "\" height=\"24\" fill=\"#fee\" stroke=\"#c00\"/><text x=\"" << (kLeft + kRight) / 2
        << "\" y=\"" << y - 4 << "\" text-anchor=\"middle\" fill=\"#c00\">"
        << Html(Clip(fl.note, 100)) << "</text>\n";
      y += kRow;
    }
  }
  o << "</svg>\n";
  return o.str();
}

inline std::string ReportHtml(const FailureReport& r) {
  using namespace report_internal;
  std::ostringstream f;
  f << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << Html(r.title)
    << "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}"
       "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
       "font-size:13px}.no{font-weight:bold;background:#fee}pre{background:#f6f6f6;"
       "padding:8px;overflow-x:auto}.verdict{font-size:1.2em;font-weight:bold}</style>"
       "</head><body>\n<h1>"
    << Html(r.title) << "</h1>\n<p class=\"verdict\">" << Html(r.verdict) << "</p>\n";
  if (!r.facts.empty()) {
    f << "<ul>";
    for (const auto& x : r.facts) f << "<li>" << Html(x) << "</li>";
    f << "</ul>\n";
  }
  for (const ReportFailure& fl : r.failures) {
    f << "<h2>" << Html(fl.heading.empty() ? "Counterexample" : fl.heading) << "</h2>\n"
      << SequenceSvg(fl);
    // The same sequence as text: readable where SVG is not shown, and
    // with the full lines the diagram clips.
    f << "<details><summary>the sequence as text</summary><pre>";
    for (std::size_t i = 0; i < fl.steps.size(); ++i) {
      const ReportStep& s = fl.steps[i];
      f << i + 1 << ". " << Html(fl.left) << " -&gt; " << Html(fl.right) << ": " << Html(s.request)
        << "\n";
      if (!s.answer.empty()) {
        f << "   " << Html(fl.right) << " -&gt; " << Html(fl.left) << ": " << Html(s.answer)
          << "\n";
      }
      if (s.failing) f << "   *** " << Html(fl.note) << "\n";
    }
    f << "</pre></details>\n";
    if (!fl.rules.empty()) f << "<h3>Rules broken</h3>\n<ul>\n";
    for (const ReportRule& rule : fl.rules) {
      f << "<li><b>" << Html(rule.id) << "</b> (" << Html(rule.kind) << ", "
        << (rule.documented ? "documented" : "assumption") << "): " << Html(rule.statement);
      if (!rule.detail.empty()) f << "<br>" << Html(rule.detail);
      if (rule.documented) {
        f << "<br>source <code>" << Html(rule.source) << "</code>: <q>" << Html(rule.quote)
          << "</q>";
      } else {
        f << "<br>assumed because: " << Html(rule.quote);
      }
      f << "</li>\n";
    }
    if (!fl.rules.empty()) f << "</ul>\n";
    if (!fl.details.empty()) f << "<pre>" << Html(fl.details) << "</pre>\n";
  }
  if (r.coverage) {
    const Coverage& c = *r.coverage;
    f << "<h2>Rule coverage</h2>\n<p>" << c.ExercisedCount() << " of " << c.rules.size()
      << " rules exercised (not exercised highlighted).</p>\n<table><tr><th>rule</th>"
         "<th>kind</th><th>basis</th><th>decided</th><th>refused</th><th>premise held</th>"
         "<th>advised</th></tr>\n";
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
      const Rule& rule = *c.rules[i];
      f << "<tr" << (c.Exercised(i) ? "" : " class=\"no\"") << "><td>" << Html(rule.id)
        << "</td><td>" << ToString(rule.kind) << "</td><td>" << ToString(rule.basis) << "</td><td>"
        << c.decided[i] << "</td><td>" << c.refused[i] << "</td><td>" << c.premise[i] << "</td><td>"
        << c.advised[i] << "</td></tr>\n";
    }
    f << "</table>\n";
  }
  f << "</body></html>\n";
  return f.str();
}

// Whether `path` names a report format: ".md", ".html" or ".htm".
inline bool ReportFormatKnown(std::string_view path) {
  return path.ends_with(".md") || path.ends_with(".html") || path.ends_with(".htm");
}

// Writes the report in the format the extension names; false with `err`
// set when the extension is unknown or the file cannot be written.
inline bool WriteReport(const std::string& path, const FailureReport& r, std::string& err) {
  if (!ReportFormatKnown(path)) {
    err = path + ": a report is FILE.md (Markdown) or FILE.html (HTML)";
    return false;
  }
  std::ofstream out(path);
  out << (path.ends_with(".md") ? ReportMarkdown(r) : ReportHtml(r));
  out.close();
  if (!out) {
    err = path + ": cannot write the report";
    return false;
  }
  return true;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_REPORT_H_
