#include <algorithm>
#include <cstdio>

#include "query/access_path.h"
#include "query/render.h"
#include "query/report.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

std::string HopLine(const HopText& h) {
  std::string text = h.kind == FlowHop::Kind::kStores    ? "stored at " + h.from
                     : h.kind == FlowHop::Kind::kForward ? h.from + " -> " + h.to + " (forwards *)"
                                                         : h.from + " -> " + h.to;
  return text + "  " + h.where.ToString();
}

std::string CategoryList(const core::Flow& f) {
  return f.forwards_all ? "* (everything it holds)" : Join(f.categories);
}

std::string Deadline(const Obligation& o) {
  if (!o.deadline_hours) return "no fixed window";
  int64_t h = *o.deadline_hours;
  std::string out = std::to_string(h) + " h";
  if (h >= 48 && h % 24 == 0) out += " (" + std::to_string(h / 24) + " days)";
  if (!o.due.empty()) out += ", due " + o.due;
  return out;
}

std::string ObligationsTable(const BlastResult& r, bool color) {
  std::string out;
  if (r.obligations.empty()) {
    out += "  none triggered by the exposed data\n";
  } else {
    TextTable t({"DEADLINE", "REGULATION", "DUTY", "SUBJECTS IN", "TRIGGERED BY"});
    for (const auto& o : r.obligations) {
      t.AddRow({Deadline(o), o.regulation + (o.possible ? " (possibly)" : ""), o.duty,
                Join(o.jurisdictions, ", ", 4), Join(o.categories, ", ", 2)},
               {o.deadline_hours && *o.deadline_hours <= 72 ? kRed : ""});
      std::string detail = "notify " + o.notify + "; " + o.citation;
      if (!o.applies_if.empty()) detail += "; applies if " + o.applies_if;
      t.AddNote(detail);
    }
    out += t.Render(color);
  }
  if (!r.jurisdictions_without_rules.empty()) {
    out += "  No rule covers subjects in " + Join(r.jurisdictions_without_rules) +
           ": check those laws by hand.\n";
  }
  out += "  Decision support, not legal advice: confirm every duty with counsel (docs/obligations.md).\n";
  return out;
}

}  // namespace

std::string BlastToTable(const BlastResult& r, bool color, size_t max_nodes) {
  std::string text;
  WriteBlastTable(r, color, max_nodes, [&](std::string_view chunk) { text += chunk; });
  return text;
}

void WriteBlastTable(const BlastResult& r, bool color, size_t max_nodes,
                     const std::function<void(std::string_view)>& sink) {
  // What is written so far, handed to the sink once it passes a chunk (between two nodes' rows).
  constexpr size_t kChunk = 64 * 1024;
  std::string out;
  std::string title =
      "Blast radius: " + Join(r.seeds, " + ") + " compromised  (snapshot " + std::to_string(r.snapshot) + ")";
  out += color ? "\033[1m" + TerminalSafe(title) + "\033[0m\n" : TerminalSafe(title) + "\n";
  std::string level = Upper(r.severity.level);
  out += "Severity: " + (color ? std::string(LevelColor(r.severity.level)) + level + "\033[0m" : level) +
         "  score " + Number(r.severity.score) + " = data " + Number(r.severity.data, "%.2f") + " x volume " +
         Number(r.severity.volume, "%.2f") + " x jurisdiction " + Number(r.severity.jurisdiction, "%.2f") +
         "\n";
  if (!r.obligations.empty()) {
    const Obligation& first = r.obligations.front();
    std::string when = first.deadline_hours ? Deadline(first) + " from discovery" : "without a fixed window";
    out += "Obligations: " + std::to_string(r.obligations.size()) + " may apply; first due " + when + ": " +
           TerminalSafe(first.regulation + " - " + first.duty) + " (see the end)\n";
  }
  if (!r.at.empty()) out += "Map as of " + r.at + " (vendors' and flows' active windows)\n";
  if (r.options.min_likelihood > 0 || r.options.max_depth >= 0) {
    out += "Options: min likelihood " + Number(r.options.min_likelihood, "%.2f") + ", max depth " +
           (r.options.max_depth < 0 ? std::string("unlimited") : std::to_string(r.options.max_depth)) + "\n";
  }

  int controlled = 0;
  for (const auto& c : r.compromised) controlled += c.controlled;
  out += Heading("Compromised and exposed nodes (" + std::to_string(controlled) + " controlled, " +
                     std::to_string(r.compromised.size() - controlled) + " read/written)",
                 color);
  // A brief can list 10^5 nodes with long paths: the rows are measured first, then written straight into
  // `out` (the path and its hops from one walk), never held as a table, and handed to the sink in chunks.
  TextTable nodes({"NODE", "KIND", "LIKELIHOOD", "VIA", "PATH"});
  const size_t listed = ListedNodes(r.compromised.size(), max_nodes);
  PrepareToList(r, listed);
  auto via = [](const CompromisedNode& c) {
    return std::string(ViaName(c.via)) + (c.controlled ? "" : " (no pivot)");
  };
  for (size_t i = 0; i < listed; ++i) {
    const CompromisedNode& c = r.compromised[i];
    nodes.Measure(
        {c.id(), std::string(core::NodeKindName(c.kind())), FormatLikelihood(c.likelihood), via(c)});
  }
  nodes.RenderHeader(out, color);
  std::string path, note;
  for (size_t i = 0; i < listed; ++i) {
    const CompromisedNode& c = r.compromised[i];
    const std::vector<AccessHop> hops = HopsOf(r, i);
    path = hops.empty() ? c.id() : hops.front().from.str();
    for (const AccessHop& h : hops) {
      path += " -> ";
      path += h.to.str();
    }
    nodes.RenderRow(
        out,
        {c.id(), std::string(core::NodeKindName(c.kind())), FormatLikelihood(c.likelihood), via(c), path}, {},
        color);
    for (const AccessHop& h : hops) {
      note.clear();
      note += h.from.str();
      note += " -[";
      note += core::PrivilegeName(h.privilege);
      if (!h.mechanism.empty()) {
        note += ", ";
        note += h.mechanism.str();
      }
      note += ", ";
      note += FormatLikelihood(h.likelihood);
      note += "]-> ";
      note += h.to.str();
      note += "  ";
      note += h.where.ToString();
      nodes.RenderNote(out, TerminalSafe(note), color);
    }
    if (out.size() >= kChunk) {
      sink(out);
      out.clear();
    }
  }
  if (listed < r.compromised.size()) out += "  " + UnlistedNodesNote(listed, r.compromised.size()) + "\n";

  int64_t records = -1;
  for (const auto& e : r.exposed) records = std::max(records, e.records_max);
  out += Heading("Exposed data (" + std::to_string(r.exposed.size()) + " categories, up to " +
                     FormatCount(records) + " records)",
                 color);
  if (r.exposed.empty()) {
    out += "  nothing: no exposed node holds any data category\n";
  } else {
    TextTable data(
        {"CATEGORY", "SENSITIVITY", "FLAGS", "LIKELIHOOD", "RECORDS max/sum", "SUBJECTS", "WHERE"});
    for (const auto& e : r.exposed) {
      std::string sens(core::SensitivityName(e.sensitivity));
      data.AddRow({e.category(), sens, Join(e.flags), FormatLikelihood(e.likelihood),
                   FormatCount(e.records_max) + " / " + FormatCount(e.records_sum),
                   Join(e.subjects.vector(), ", ", 3), Join(HolderIds(r, e), ", ", 4)},
                  {"", SensitivityColor(e.sensitivity), SensitivityColor(e.sensitivity)});
      std::string path;
      for (const auto& h : e.provenance)
        path += (path.empty() ? "via " : "; ") + HopLine(ReadHop(*r.source, h));
      if (!path.empty()) data.AddNote(path);
    }
    out += data.Render(color);
  }

  out += Heading("Not exposed: sensitive data we hold that this compromise does not reach (" +
                     std::to_string(r.not_exposed_sensitive.size()) + ")",
                 color);
  if (r.not_exposed_sensitive.empty()) {
    out += "  none\n";
  } else {
    TextTable safe({"CATEGORY", "SENSITIVITY", "FLAGS", "HELD AT"});
    for (const auto& n : r.not_exposed_sensitive) {
      safe.AddRow({n.category(), std::string(core::SensitivityName(n.sensitivity())), Join(n.flags()),
                   Join(n.held_at())},
                  {"", SensitivityColor(n.sensitivity())});
    }
    out += safe.Render(color);
  }
  out += Heading(
      "Notification obligations (" + std::to_string(r.obligations.size()) + ", shortest deadline first)",
      color);
  out += ObligationsTable(r, color);
  sink(out);
}

std::string ReplayToTable(const ReplayResult& r, bool color, size_t max_nodes) {
  const core::Incident& in = r.incident;
  std::string out;
  std::string title = "Replay: " + in.name + " (" + in.id + ", " + in.date + ")";
  out += (color ? "\033[1m" + TerminalSafe(title) + "\033[0m" : TerminalSafe(title)) + "\n";
  out += TerminalSafe(in.summary) + "\n";
  out += Heading("Matched in this map", color);
  if (r.match == "none") {
    std::string roles = in.roles.empty() ? "" : " and no vendor with role " + Join(in.roles, " or ");
    out += "  no vendor named " + Join(in.match, " or ") + roles +
           ": this incident would not have reached this map through a vendor" +
           (r.brief.at.empty() ? std::string() : " (as the map was on " + r.brief.at + ")") + ".\n";
  } else {
    for (const auto& s : r.seeds) out += "  " + TerminalSafe(s.id + "  (" + s.how + ")") + "\n";
    if (r.seeds.size() > 1) out += "  replayed as one joint compromise (the worst case)\n";
  }
  out += Heading("Compared with what really leaked at the victims", color);
  TextTable cmp({"REALLY EXPOSED", "HERE"});
  for (const auto& c : r.really_exposed) {
    cmp.AddRow({c.category, c.here.empty() ? "not exposed here" : "exposed: " + Join(c.here, ", ", 4)},
               {"", c.here.empty() ? kGreen : kRed});
  }
  out += cmp.Render(color);
  if (r.beyond.empty() && r.match != "none") out += "  Nothing exposed here beyond what really leaked.\n";
  if (!r.beyond.empty()) {
    out += "  Exposed here beyond what really leaked: " + TerminalSafe(Join(r.beyond, ", ", 8)) + "\n";
  }
  if (!r.said_not_exposed.empty()) {
    out += "  Exposed here although the vendor said it was not leaked: " +
           TerminalSafe(Join(r.said_not_exposed, ", ", 8)) + "\n";
  }
  out += "  Sources:\n";
  for (const auto& s : in.sources) out += "    " + TerminalSafe(s.title + " <" + s.url + ">") + "\n";
  if (r.match != "none") out += "\n" + BlastToTable(r.brief, color, max_nodes);
  return out;
}

std::string ConcentrationToTable(const std::vector<ConcentrationRow>& rows, bool color) {
  std::string out =
      "Fourth-party concentration: sub-processors by how many of our vendors send them data,\n"
      "weighted by the severity of that data (SCORE = sum over the vendors behind it)\n";
  if (rows.empty()) return out + "  no node receives data from a vendor\n";
  TextTable t({"SUB-PROCESSOR", "VENDORS", "SCORE", "HOLDS", "RESTRICTED", "RECORDS", "VENDORS BEHIND IT"});
  for (const auto& row : rows) {
    std::vector<std::string> names;
    for (const auto& v : row.vendors) names.push_back(v.id);
    t.AddRow({row.id, std::to_string(row.vendors.size()), Number(row.score),
              Upper(row.held.level) + " " + Number(row.held.score), std::to_string(row.restricted),
              FormatCount(row.records), Join(names, ", ", 8)},
             {"", "", "", LevelColor(row.held.level)});
  }
  return out + t.Render(color);
}

std::string NodeToTable(const NodeDetails& d, bool color) {
  std::string out;
  std::string title = d.node.id + "  (" + std::string(core::NodeKindName(d.node.kind)) + ")  " + d.node.name;
  out += (color ? "\033[1m" + TerminalSafe(title) + "\033[0m" : TerminalSafe(title)) + "\n";
  out += "declared at " + TerminalSafe(d.node.where.ToString()) + "\n";
  if (!d.node.attrs.empty()) {
    out += Heading("Attributes", color);
    TextTable attrs({"KEY", "VALUE"});
    for (const auto& [key, values] : d.node.attrs) attrs.AddRow({key, Join(values)});
    out += attrs.Render(color);
  }
  auto flows = [&](const std::string& title, const std::vector<core::Flow>& list, bool in) {
    out += Heading(title + " (" + std::to_string(list.size()) + ")", color);
    if (list.empty()) return void(out += "  none\n");
    TextTable t({in ? "FROM" : "TO", "CATEGORIES", "PURPOSE", "RECORDS", "DECLARED AT"});
    for (const auto& f : list) {
      t.AddRow({in ? f.from : f.to, CategoryList(f), f.purpose, FormatCount(f.records), f.where.ToString()});
    }
    out += t.Render(color);
  };
  flows("Flows in", d.flows_in, true);
  flows("Flows out", d.flows_out, false);
  auto access = [&](const std::string& title, const std::vector<core::Access>& list, bool in) {
    out += Heading(title + " (" + std::to_string(list.size()) + ")", color);
    if (list.empty()) return void(out += "  none\n");
    TextTable t({in ? "FROM" : "TO", "PRIVILEGE", "MECHANISM", "LIKELIHOOD", "DECLARED AT"});
    for (const auto& a : list) {
      t.AddRow({in ? a.from : a.to, std::string(core::PrivilegeName(a.privilege)), a.mechanism,
                FormatLikelihood(a.likelihood), a.where.ToString()});
    }
    out += t.Render(color);
  };
  access("Access into this node", d.access_in, true);
  access("Access this node holds", d.access_out, false);
  out += Heading("Stores (" + std::to_string(d.stores.size()) + ")", color);
  if (d.stores.empty()) out += "  none\n";
  for (const auto& h : d.stores) {
    out += "  " + TerminalSafe(Join(h.categories)) + "  records " + FormatCount(h.records) +
           (h.subjects.empty() ? "" : "  subjects " + TerminalSafe(Join(h.subjects))) + "  " +
           TerminalSafe(h.where.ToString()) + "\n";
  }
  out += Heading("Holds (" + std::to_string(d.held.size()) + " categories, stored or received)", color);
  TextTable held({"CATEGORY", "SENSITIVITY", "FLAGS", "HOW"});
  for (const auto& h : d.held) {
    held.AddRow({h.category, std::string(core::SensitivityName(h.sensitivity)), Join(h.flags),
                 h.stored ? "stored" : "received"},
                {"", SensitivityColor(h.sensitivity)});
  }
  out += held.empty() ? "  nothing\n" : held.Render(color);
  return out;
}

}  // namespace blastmap::query
