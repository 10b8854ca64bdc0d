// The incident brief as one self-contained HTML file: inline CSS that also prints well, and an inline SVG
// of the blast subgraph laid out here in layers. Every manifest-provided string goes through Html(), so a
// node named "<img src=x onerror=alert(1)>" renders as text. No script, no external resource.
#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <set>

#include "query/access_path.h"
#include "query/render.h"
#include "query/report.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

std::string Html(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab and newline are not valid in HTML text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string HtmlJoin(const std::vector<std::string>& items, size_t limit = 0, const std::string& sep = ", ") {
  std::string out;
  size_t shown = limit ? std::min(limit, items.size()) : items.size();
  for (size_t i = 0; i < shown; ++i) out += (i ? sep : "") + Html(items[i]);
  if (shown < items.size()) out += sep + "+" + std::to_string(items.size() - shown) + " more";
  return out;
}

// A link only for a plain http(s) URL; anything else is shown as text.
std::string HtmlLink(const std::string& title, const std::string& url) {
  bool safe = (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) &&
              url.find_first_of(" <>\"'`\n") == std::string::npos;
  std::string text = Html(title.empty() ? url : title);
  if (!safe) return text + " (" + Html(url) + ")";
  return "<a href=\"" + Html(url) + "\">" + text + "</a>";
}

// At most `max` code points of UTF-8 text, with an ellipsis when cut.
std::string Clip(const std::string& s, size_t max) {
  size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max) break;
      ++points;
    }
  }
  return i < s.size() ? s.substr(0, i) + "…" : s;
}

std::string Fixed(double x, const char* format = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

constexpr const char* kCss = R"css(
:root { --ink:#1b1f24; --muted:#5b6570; --line:#d8dde3; --critical:#8b0000; --high:#c62828; --medium:#b26a00;
        --low:#2e7d32; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 1100px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin-bottom: 12px; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 4px; color: #fff; font-weight: 700; letter-spacing: .04em; }
.critical { background: var(--critical); } .high { background: var(--high); } .medium { background: var(--medium); } .low { background: var(--low); }
.summary { background: var(--bg); border-left: 4px solid var(--ink); padding: 10px 14px; }
.disclaimer { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.num { text-align: right; white-space: nowrap; }
table.obligations td:nth-child(3) { min-width: 240px; }
table.obligations td:last-child { overflow-wrap: anywhere; max-width: 240px; }
.restricted { color: var(--high); font-weight: 600; } .confidential { color: var(--medium); }
.deadline { font-weight: 700; white-space: nowrap; } .urgent { color: var(--high); }
.possible { color: var(--muted); font-style: italic; }
.here { color: var(--high); font-weight: 600; } .nothere { color: var(--low); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
ul.paths li { margin-bottom: 3px; }
svg { max-width: 100%; height: auto; border: 1px solid var(--line); background: #fff; }
svg text { font: 12px system-ui, sans-serif; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border-radius: 2px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; } table, svg, .summary { break-inside: avoid; }
  a { color: inherit; text-decoration: none; } a[href]::after { content: " (" attr(href) ")"; font-size: 9pt; color: var(--muted); }
  .badge, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
@page { margin: 14mm; }
)css";

// The blast subgraph: compromised nodes with their access paths, and the flow paths that brought the
// exposed data (the first hops of each category's provenance), laid out in layers from the sources.
std::string BlastSvg(const BlastResult& r, size_t listed) {
  constexpr size_t kMaxNodes = 60;
  struct Edge {
    std::string from, to, label;
    int kind;  // 0 access (pivot), 1 access (read/write), 2 flow, 3 forward
  };
  std::vector<std::string> order;
  std::map<std::string, int> role;  // 0 seed, 1 controlled, 2 read/written, 3 data source / path
  auto add_node = [&](const std::string& id, int kind) {
    auto [it, inserted] = role.emplace(id, kind);
    if (inserted)
      order.push_back(id);
    else
      it->second = std::min(it->second, kind);
  };
  std::vector<Edge> edges;
  std::set<std::tuple<std::string, std::string, int>> seen_edges;
  auto add_edge = [&](Edge e) {
    if (seen_edges.emplace(e.from, e.to, e.kind).second) edges.push_back(std::move(e));
  };
  for (size_t i = 0; i < listed; ++i) {
    const CompromisedNode& c = r.compromised[i];
    add_node(c.id(), c.via == Via::kSeed ? 0 : c.controlled ? 1 : 2);
    for (const AccessHop& h : HopsOf(r, i)) {
      add_node(h.from, 1);
      add_edge(
          {h.from, h.to, std::string(core::PrivilegeName(h.privilege)), core::Pivots(h.privilege) ? 0 : 1});
    }
  }
  for (const auto& e : r.exposed) {
    for (const auto& hop : e.provenance) {
      if (hop.kind == FlowHop::Kind::kStores) continue;
      const HopText h = ReadHop(*r.source, hop);
      if (order.size() >= kMaxNodes && (!role.count(h.from) || !role.count(h.to))) continue;
      add_node(h.from, 3);
      add_node(h.to, 3);
      add_edge({h.from, h.to, h.kind == FlowHop::Kind::kForward ? "*" : "flow",
                h.kind == FlowHop::Kind::kForward ? 3 : 2});
    }
  }
  // Layers: breadth-first distance from the nodes nothing points at (or from the seeds, in a cycle).
  std::map<std::string, std::vector<std::string>> out_edges;
  std::map<std::string, int> in_degree;
  for (const auto& e : edges) {
    out_edges[e.from].push_back(e.to);
    in_degree[e.to]++;
  }
  std::map<std::string, int> layer;
  std::deque<std::string> queue;
  for (const auto& id : order) {
    if (!in_degree[id]) {
      layer[id] = 0;
      queue.push_back(id);
    }
  }
  for (const auto& s : r.seeds) {
    if (!layer.count(s) && role.count(s)) {
      layer[s] = 0;
      queue.push_back(s);
    }
  }
  while (!queue.empty()) {
    std::string u = queue.front();
    queue.pop_front();
    for (const auto& v : out_edges[u]) {
      if (!layer.count(v)) {
        layer[v] = layer[u] + 1;
        queue.push_back(v);
      }
    }
  }
  std::map<int, std::vector<std::string>> columns;
  for (const auto& id : order) columns[layer.count(id) ? layer[id] : 0].push_back(id);
  constexpr int kColumn = 210, kRow = 46, kWidth = 170, kHeight = 30, kMargin = 20;
  std::map<std::string, std::pair<int, int>> at;
  size_t tallest = 1;
  for (const auto& [l, ids] : columns) {
    tallest = std::max(tallest, ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
      at[ids[i]] = {kMargin + l * kColumn, kMargin + static_cast<int>(i) * kRow};
  }
  int width = kMargin * 2 + static_cast<int>(columns.empty() ? 1 : columns.rbegin()->first + 1) * kColumn;
  int height = kMargin * 2 + static_cast<int>(tallest) * kRow;
  std::string w = std::to_string(width), h = std::to_string(height);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
                    "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-label=\"Blast subgraph\">\n";
  static const char* kEdgeColor[] = {"#c62828", "#ef6c00", "#5c6bc0", "#90a4ae"};
  svg += "<defs>";
  for (int k = 0; k < 4; ++k) {
    svg += "<marker id=\"arrow" + std::to_string(k) +
           "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
           "orient=\"auto\">"
           "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"" +
           kEdgeColor[k] + "\"/></marker>";
  }
  svg += "</defs>\n";
  for (const auto& e : edges) {
    auto [x1, y1] = at[e.from];
    auto [x2, y2] = at[e.to];
    int sx = x1 + kWidth, sy = y1 + kHeight / 2, tx = x2, ty = y2 + kHeight / 2;
    std::string d;
    if (x2 > x1) {
      int mid = (sx + tx) / 2;
      d = "M" + std::to_string(sx) + "," + std::to_string(sy) + " C" + std::to_string(mid) + "," +
          std::to_string(sy) + " " + std::to_string(mid) + "," + std::to_string(ty) + " " +
          std::to_string(tx) + "," + std::to_string(ty);
    } else {  // same or earlier layer (a cycle): loop over the top of the boxes
      int top = std::min(y1, y2) - 14;
      sx = x1 + kWidth / 2;
      sy = y1;
      tx = x2 + kWidth / 2;
      ty = y2;
      d = "M" + std::to_string(sx) + "," + std::to_string(sy) + " C" + std::to_string(sx) + "," +
          std::to_string(top) + " " + std::to_string(tx) + "," + std::to_string(top) + " " +
          std::to_string(tx) + "," + std::to_string(ty);
    }
    svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + kEdgeColor[e.kind] + "\" stroke-width=\"1.6\"" +
           (e.kind == 3 ? " stroke-dasharray=\"4 3\"" : "") + " marker-end=\"url(#arrow" +
           std::to_string(e.kind) + ")\"><title>" + Html(e.from + " -> " + e.to + " (" + e.label + ")") +
           "</title></path>\n";
  }
  static const char* kFill[] = {"#8b0000", "#c62828", "#ef6c00", "#eceff1"};
  static const char* kText[] = {"#fff", "#fff", "#fff", "#1b1f24"};
  for (const auto& id : order) {
    auto [x, y] = at[id];
    int k = role[id];
    svg += "<g><title>" + Html(id) + "</title><rect x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(y) + "\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
           std::to_string(kHeight) + "\" rx=\"5\" fill=\"" + kFill[k] +
           "\" stroke=\"#37474f\" stroke-width=\"0.6\"/><text x=\"" + std::to_string(x + 8) + "\" y=\"" +
           std::to_string(y + 19) + "\" fill=\"" + kText[k] + "\">" + Html(Clip(id, 24)) + "</text></g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

void HtmlReplaySection(const ReplayResult& r, std::string& out) {
  const core::Incident& in = r.incident;
  out += "<h2>The incident replayed: " + Html(in.name) + "</h2>\n<p><em>" + Html(in.vendor) + ", " +
         Html(in.date) + (in.disclosed.empty() ? "" : ", disclosed " + Html(in.disclosed)) + ".</em> " +
         Html(in.summary) + "</p>\n";
  if (!in.attack.empty()) out += "<p><strong>How:</strong> " + Html(in.attack) + "</p>\n";
  if (r.match == "none") {
    out += "<p><strong>Not in this map:</strong> no vendor is named " + HtmlJoin(in.match) +
           (in.roles.empty() ? std::string() : " and none has the role " + HtmlJoin(in.roles)) +
           ", so this incident would not have reached us through a vendor.</p>\n";
  } else {
    out += "<p><strong>Matched here by " + Html(r.match) + ":</strong></p><ul>";
    for (const auto& s : r.seeds)
      out += "<li>" + Html(s.id) + " (" + Html(s.name) + "): " + Html(s.how) + "</li>";
    out += "</ul>\n";
    if (r.seeds.size() > 1)
      out += "<p>The matched vendors are replayed as one joint compromise (the worst case).</p>\n";
  }
  out += "<table><tr><th>Really exposed at the victims</th><th>Here</th></tr>\n";
  for (const auto& c : r.really_exposed) {
    out += "<tr><td class=\"mono\">" + Html(c.category) + "</td><td>" +
           (c.here.empty() ? std::string("<span class=\"nothere\">not exposed here</span>")
                           : "<span class=\"here\">exposed</span>: " + HtmlJoin(c.here, 6)) +
           "</td></tr>\n";
  }
  out += "</table>\n";
  if (!r.beyond.empty())
    out += "<p><strong>Exposed here beyond what really leaked:</strong> " + HtmlJoin(r.beyond, 12) + "</p>\n";
  if (!r.said_not_exposed.empty()) {
    out += "<p><strong>Exposed here although the vendor said it was not leaked:</strong> " +
           HtmlJoin(r.said_not_exposed, 12) + "</p>\n";
  }
  out += "<p>Sources (public reporting): ";
  for (size_t i = 0; i < in.sources.size(); ++i)
    out += (i ? "; " : "") + HtmlLink(in.sources[i].title, in.sources[i].url);
  out += "</p>\n";
}

}  // namespace

std::string BlastToHtml(const BlastResult& r, const core::Graph& g, const ReplayResult* replay,
                        size_t max_nodes) {
  const size_t listed = ListedNodes(r.compromised.size(), max_nodes);
  PrepareToList(r, listed);
  std::string title = "Incident brief: " + ReportTitle(r, g);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:\">\n"
      "<title>" +
      Html(title) + "</title>\n<style>" + kCss + "</style></head>\n<body>\n";
  out += "<h1>" + Html(title) + "</h1>\n";
  out += "<div class=\"meta\"><span class=\"badge " + Html(r.severity.level) + "\">" +
         Html(Upper(r.severity.level)) + "</span> severity score " + Fixed(r.severity.score) + " = data " +
         Fixed(r.severity.data, "%.2f") + " × volume " + Fixed(r.severity.volume, "%.2f") +
         " × jurisdiction " + Fixed(r.severity.jurisdiction, "%.2f") + " · snapshot " +
         std::to_string(r.snapshot) + (r.at.empty() ? "" : " · map as of " + Html(r.at)) + " · seeds " +
         HtmlJoin(r.seeds) + "</div>\n";
  if (replay) HtmlReplaySection(*replay, out);
  if (!replay || replay->match != "none") {
    out += "<h2>Summary</h2>\n<p class=\"summary\">" + Html(ReportSummary(r)) + "</p>\n";

    out +=
        "<h2>Notification obligations</h2>\n<p class=\"disclaimer\">Decision support, not legal advice: each "
        "duty "
        "below may apply given the data exposed; confirm with counsel. Deadlines run from discovery.</p>\n";
    if (r.obligations.empty()) {
      out += "<p>None triggered by the exposed data.</p>\n";
    } else {
      out +=
          "<table "
          "class=\"obligations\"><tr><th>Deadline</th><th>Regulation</th><th>Duty</th><th>Notify</"
          "th><th>Why</th><th>Source</th></tr>\n";
      for (const auto& o : r.obligations) {
        bool urgent = o.deadline_hours && *o.deadline_hours <= 72;
        std::string why = HtmlJoin(o.categories, 5);
        if (!o.subjects.empty()) why += "<br>subjects " + HtmlJoin(o.subjects);
        if (!o.jurisdictions.empty()) why += "<br>in " + HtmlJoin(o.jurisdictions);
        if (o.records >= 0) why += "<br>up to " + FormatCount(o.records) + " records";
        std::string source = Html(o.citation);
        for (const auto& url : o.sources) source += "<br>" + HtmlLink(url, url);
        if (!o.applies_if.empty()) source += "<br><em>applies if " + Html(o.applies_if) + "</em>";
        out += "<tr><td class=\"deadline" + std::string(urgent ? " urgent" : "") + "\">" +
               Html(DeadlineText(o)) + "</td><td>" + Html(o.regulation) +
               (o.possible ? " <span class=\"possible\">(possibly)</span>" : "") + "</td><td>" +
               Html(o.duty) + "<br><small>" + Html(o.deadline) + "</small>" +
               (o.note.empty() ? "" : "<br><small>" + Html(o.note) + "</small>") + "</td><td>" +
               Html(o.notify) + "</td><td>" + why + "</td><td><small>" + source + "</small></td></tr>\n";
      }
      out += "</table>\n";
    }
    if (!r.jurisdictions_without_rules.empty()) {
      out += "<p>No rule covers subjects in " + HtmlJoin(r.jurisdictions_without_rules) +
             ": check those laws by hand.</p>\n";
    }

    out += "<h2>Exposed data</h2>\n";
    if (r.exposed.empty()) {
      out += "<p>Nothing: no exposed node holds any data category.</p>\n";
    } else {
      out +=
          "<table><tr><th>Category</th><th>Sensitivity</th><th>Flags</th><th>Likelihood</th><th>Records max "
          "/ sum</th>"
          "<th>Subjects</th><th>Where</th></tr>\n";
      for (const auto& e : r.exposed) {
        std::string sens(core::SensitivityName(e.sensitivity));
        out += "<tr><td><span class=\"mono\">" + Html(e.category()) + "</span><br><small>" + Html(e.name()) +
               "</small></td><td class=\"" + sens + "\">" + sens + "</td><td>" +
               HtmlJoin(core::ToStrings(e.flags)) + "</td><td class=\"num\">" +
               FormatLikelihood(e.likelihood) + "</td><td class=\"num\">" + FormatCount(e.records_max) +
               " / " + FormatCount(e.records_sum) + "</td><td>" + HtmlJoin(e.subjects.strings()) +
               "</td><td>" + HtmlJoin(HolderIds(r, e), 5) + "</td></tr>\n";
      }
      out += "</table>\n";
    }

    out += "<h2>Affected subjects and records</h2>\n";
    auto subjects = AffectedSubjects(r, g);
    if (subjects.empty()) {
      out += "<p>No declared subjects.</p>\n";
    } else {
      out +=
          "<table><tr><th>Subjects</th><th>Kind</th><th>Jurisdictions</th><th>Records exposed</th><th>Of</th>"
          "<th>Categories</th></tr>\n";
      for (const auto& s : subjects) {
        out += "<tr><td>" + Html(s.id) + "<br><small>" + Html(s.name) + "</small></td><td>" + Html(s.kind) +
               "</td><td>" + HtmlJoin(s.jurisdictions) + "</td><td class=\"num\">" + FormatCount(s.records) +
               "</td><td class=\"num\">" + FormatCount(s.population) + "</td><td>" +
               HtmlJoin(s.categories, 8) + "</td></tr>\n";
      }
      out += "</table>\n";
    }

    out +=
        "<h2>Blast subgraph</h2>\n<div class=\"legend\"><span><i style=\"background:#8b0000\"></i>seed</span>"
        "<span><i style=\"background:#c62828\"></i>controlled</span><span><i "
        "style=\"background:#ef6c00\"></i>read or "
        "written</span><span><i style=\"background:#eceff1;border:1px solid #90a4ae\"></i>where the data "
        "came from</span>"
        "<span style=\"color:#5c6bc0\">— flow</span><span style=\"color:#90a4ae\">- - forwards "
        "everything</span>"
        "<span style=\"color:#c62828\">— access</span></div>\n";
    out += BlastSvg(r, listed);

    out +=
        "<h2>Compromised and exposed "
        "nodes</h2>\n<table><tr><th>Node</th><th>Kind</th><th>Likelihood</th><th>Via</th>"
        "<th>Access path (manifest lines)</th></tr>\n";
    for (size_t i = 0; i < listed; ++i) {
      const CompromisedNode& c = r.compromised[i];
      std::string path = HtmlJoin(PathOf(r, i), 0, " → ");
      for (const AccessHop& h : HopsOf(r, i)) {
        path += "<br><small>" + Html(h.from) + " −" + std::string(core::PrivilegeName(h.privilege)) +
                (h.mechanism.empty() ? "" : ", " + Html(h.mechanism)) + "→ " + Html(h.to) +
                " at <span class=\"mono\">" + Html(h.where.ToString()) + "</span></small>";
      }
      out += "<tr><td>" + Html(c.id()) + "<br><small>" + Html(c.name()) + "</small></td><td>" +
             std::string(core::NodeKindName(c.kind())) + "</td><td class=\"num\">" +
             FormatLikelihood(c.likelihood) + "</td><td>" + std::string(ViaName(c.via)) +
             (c.controlled ? "" : " (no pivot)") + "</td><td>" + path + "</td></tr>\n";
    }
    out += "</table>\n";
    if (listed < r.compromised.size())
      out += "<p class=\"disclaimer\">" + Html(UnlistedNodesNote(listed, r.compromised.size())) + ".</p>\n";

    out += "<h2>How each category got there</h2>\n<ul class=\"paths\">\n";
    for (const auto& e : r.exposed) {
      out += "<li><span class=\"mono\">" + Html(e.category()) + "</span> at " + Html(FirstHolder(r, e)) + ":";
      for (size_t i = 0; i < e.provenance.size(); ++i) {
        const HopText h = ReadHop(*r.source, e.provenance[i]);
        out += std::string(i ? "; then " : " ") + Html(HopDescription(h)) + " <span class=\"mono\">(" +
               Html(h.where.ToString()) + ")</span>";
      }
      out += "</li>\n";
    }
    out += "</ul>\n";

    out += "<h2>Not exposed</h2>\n<p>Sensitive data we hold that this compromise does not reach:</p>\n";
    if (r.not_exposed_sensitive.empty()) {
      out += "<p>None: every sensitive category we hold is exposed.</p>\n";
    } else {
      out += "<table><tr><th>Category</th><th>Sensitivity</th><th>Flags</th><th>Held at</th></tr>\n";
      for (const auto& n : r.not_exposed_sensitive) {
        std::string sens(core::SensitivityName(n.sensitivity()));
        out += "<tr><td class=\"mono\">" + Html(n.category()) + "</td><td class=\"" + sens + "\">" + sens +
               "</td><td>" + HtmlJoin(n.flags()) + "</td><td>" + HtmlJoin(n.held_at()) + "</td></tr>\n";
      }
      out += "</table>\n";
    }

    out += "<h2>Manifest lines involved</h2>\n<ul>\n";
    for (const auto& line : ManifestLines(r, g, listed)) {
      out += "<li><span class=\"mono\">" + Html(line.where.ToString()) + "</span> " + Html(line.what) +
             "</li>\n";
    }
    out += "</ul>\n";
    if (listed < r.compromised.size())
      out += "<p class=\"disclaimer\">Only the lines of the " + FormatCount(static_cast<int64_t>(listed)) +
             " listed nodes.</p>\n";
  }
  out +=
      "<p class=\"disclaimer\">Generated by blastmap. Decision support, not legal "
      "advice.</p>\n</body></html>\n";
  return out;
}

}  // namespace blastmap::query
