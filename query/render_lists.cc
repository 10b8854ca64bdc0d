// JSON and table renderers of the list-shaped results: rank, who-holds, paths.
#include <cmath>
#include <nlohmann/json.hpp>

#include "query/json_values.h"
#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

std::string PathHopLine(const PathHop& h) {
  std::string edge = h.access ? "-[" + h.privilege + ", " + FormatLikelihood(h.likelihood) + "]->"
                              : "-[" + Join(h.categories, ", ", 3) + "]->";
  return h.from + " " + edge + " " + h.to + "  " + h.where.ToString();
}

}  // namespace

// A ranking of every node of a 10^6-node map has 10^6 rows: they are written one by one (a small DOM each,
// for the shape's sake), never held as one DOM.
std::string RankToJson(const RankResult& r) {
  return IndentedJson([&](JsonWriter& w) {
    w.BeginObject();
    w.Value(json{{"snapshot", r.snapshot},
                 {"by", RankMetricName(r.options.by)},
                 {"kind", r.options.kind ? json(core::NodeKindName(*r.options.kind)) : json("all")},
                 {"candidates", r.candidates}},
            /*members_only=*/true);
    w.Key("rows");
    w.BeginArray();
    size_t rank = 0;
    for (const auto& row : r.rows) {
      w.Value(json{{"rank", ++rank},
                   {"id", row.id.str()},
                   {"name", row.name.str()},
                   {"kind", core::NodeKindName(row.kind)},
                   {"severity", {{"score", row.severity.score}, {"level", std::string(row.severity.level)}}},
                   {"controlled", row.controlled},
                   {"exposed_nodes", row.exposed_nodes},
                   {"categories", row.categories},
                   {"restricted", row.restricted},
                   {"records", RecordsJson(row.records)}});
    }
    w.EndArray();
    w.EndObject();
  });
}

std::string RankToTable(const RankResult& r, bool color) {
  std::string out = "Ranking " + std::to_string(r.candidates) + " " +
                    (r.options.kind ? std::string(core::NodeKindName(*r.options.kind)) + "s" : "nodes") +
                    " by " + std::string(RankMetricName(r.options.by)) + "  (snapshot " +
                    std::to_string(r.snapshot) + ")\n\n";
  TextTable t({"#", "NODE", "SEVERITY", "SCORE", "CONTROLLED", "EXPOSED NODES", "CATEGORIES", "RESTRICTED",
               "RECORDS"});
  size_t rank = 0;
  for (const auto& row : r.rows) {
    const std::string level(row.severity.level);
    t.AddRow({std::to_string(++rank), row.id.str(), level, Number(row.severity.score),
              std::to_string(row.controlled), std::to_string(row.exposed_nodes),
              std::to_string(row.categories), std::to_string(row.restricted), FormatCount(row.records)},
             {"", "", LevelColor(level)});
  }
  return out + (t.empty() ? "  nothing to rank\n" : t.Render(color));
}

std::string WhoHoldsToJson(const WhoHoldsResult& r) {
  return IndentedJson([&](JsonWriter& w) {
    w.BeginObject();
    w.Value(json{{"snapshot", r.snapshot}, {"category", r.category}}, /*members_only=*/true);
    w.Key("holders");
    w.BeginArray();
    for (const auto& h : r.holders) {
      w.Value(json{{"id", h.id},
                   {"name", h.name},
                   {"kind", core::NodeKindName(h.kind)},
                   {"categories", h.categories},
                   {"stored", h.stored}});
    }
    w.EndArray();
    if (!r.exposers) return w.EndObject();
    w.Key("exposed_by");
    w.BeginArray();
    for (const auto& e : r.exposed_by)
      w.Value(json{{"id", e.id},
                   {"name", e.name},
                   {"likelihood", RoundLikelihood(e.likelihood)},
                   {"via", core::ToStrings(e.via)},
                   {"via_total", e.via_total}});
    w.EndArray();
    w.EndObject();
  });
}

std::string WhoHoldsToTable(const WhoHoldsResult& r, bool color) {
  std::string out =
      TerminalSafe("Who holds " + r.category + "  (snapshot " + std::to_string(r.snapshot) + ")") + "\n";
  out += Heading("Holders (" + std::to_string(r.holders.size()) + ")", color);
  TextTable holders({"NODE", "KIND", "HOW", "CATEGORIES"});
  for (const auto& h : r.holders) {
    holders.AddRow({h.id, std::string(core::NodeKindName(h.kind)), h.stored ? "stored" : "received",
                    Join(h.categories)});
  }
  out += holders.empty() ? "  nobody\n" : holders.Render(color);
  if (!r.exposers) return out;
  out += Heading("Vendors whose compromise exposes it (" + std::to_string(r.exposed_by.size()) + ")", color);
  TextTable vendors({"VENDOR", "LIKELIHOOD", "THROUGH"});
  constexpr size_t kThrough = 5;  // holders named per vendor; the rest counted
  for (const auto& e : r.exposed_by) {
    const size_t shown = std::min(kThrough, e.via.size());
    std::string through = Join(std::vector<core::Symbol>(e.via.begin(), e.via.begin() + shown));
    if (e.via_total > shown) through += ", +" + std::to_string(e.via_total - shown) + " more";
    vendors.AddRow({e.id, FormatLikelihood(e.likelihood), through});
  }
  out += vendors.empty() ? "  none\n" : vendors.Render(color);
  return out;
}

std::string PathsToJson(const PathsResult& r) {
  json paths = json::array();
  for (const auto& path : r.paths) {
    json hops = json::array();
    for (const auto& h : path) {
      json hop = {{"edge", h.access ? "access" : "flow"}, {"from", h.from}, {"to", h.to}};
      if (h.access) {
        hop["privilege"] = h.privilege;
        hop["likelihood"] = RoundLikelihood(h.likelihood);
      } else {
        hop["categories"] = h.categories;
      }
      hop["file"] = h.where.file;
      hop["line"] = h.where.line;
      hops.push_back(hop);
    }
    paths.push_back(hops);
  }
  json out = {
      {"snapshot", r.snapshot}, {"from", r.from}, {"to", r.to}, {"truncated", r.truncated}, {"paths", paths}};
  return out.dump(2) + "\n";
}

std::string PathsToTable(const PathsResult& r, bool color) {
  std::string out = TerminalSafe("Paths from " + r.from + " to " + r.to + "  (snapshot " +
                                 std::to_string(r.snapshot) + ")") +
                    "\n";
  if (r.paths.empty()) out += "  no path within the limits\n";
  for (size_t i = 0; i < r.paths.size(); ++i) {
    out += Heading("Path " + std::to_string(i + 1) + " (" + std::to_string(r.paths[i].size()) + " edges)",
                   color);
    for (const auto& h : r.paths[i]) out += "  " + TerminalSafe(PathHopLine(h)) + "\n";
  }
  if (r.truncated) out += "\n(search budget reached: there may be more paths)\n";
  return out;
}

std::string SnapshotsToJson(const std::vector<core::SnapshotInfo>& snapshots) {
  json list = json::array();
  for (const auto& s : snapshots) {
    list.push_back({{"id", s.id},
                    {"created_at", s.created_at},
                    {"source", s.source},
                    {"nodes", s.nodes},
                    {"flows", s.flows},
                    {"accesses", s.accesses}});
  }
  return json{{"snapshots", list}}.dump(2) + "\n";
}

std::string WhatIfToTable(const WhatIfResult& r, bool color) {
  const BlastDelta& d = r.delta;
  std::string out = TerminalSafe("What if: " + std::to_string(r.overlay.edits.size()) + " edits, blast of " +
                                 Join(r.before.seeds, " + ") + "  (snapshot " +
                                 std::to_string(r.before.snapshot) + "; the store is not changed)") +
                    "\n";
  for (const auto& e : r.overlay.edits) {
    std::string target = !e.node.empty() ? e.node : e.from + " -> " + e.to;
    if (!e.category.empty())
      target += "  " + e.category + (e.replacement.empty() ? "" : " -> " + e.replacement);
    out +=
        "  " +
        TerminalSafe(std::string(core::OverlayEditName(e.kind)) + " " + target + "  " + e.where.ToString()) +
        "\n";
  }
  out += Heading("Severity", color);
  out += "  before: " + Upper(d.before.level) + " " + Number(d.before.score) +
         "   after: " + Upper(d.after.level) + " " + Number(d.after.score) +
         "   records: " + FormatCount(d.records_before) + " -> " + FormatCount(d.records_after) + "\n";
  auto list = [&](const std::string& title, const std::vector<std::string>& items) {
    out += Heading(title + " (" + std::to_string(items.size()) + ")", color);
    out += items.empty() ? "  none\n" : "  " + TerminalSafe(Join(items, "\n  ")) + "\n";
  };
  list("No longer exposed", d.categories_removed);
  list("Newly exposed", d.categories_added);
  list("Nodes no longer reached", d.nodes_removed);
  list("Nodes newly reached", d.nodes_added);
  return out;
}

}  // namespace blastmap::query
