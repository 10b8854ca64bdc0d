#include <algorithm>
#include <cstdio>

#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

std::string HopText(const FlowHop& h) {
  std::string text = h.kind == FlowHop::Kind::kStores    ? "stored at " + h.from
                     : h.kind == FlowHop::Kind::kForward ? h.from + " -> " + h.to + " (forwards *)"
                                                         : h.from + " -> " + h.to;
  return text + "  " + h.where.ToString();
}

std::string CategoryList(const core::Flow& f) {
  return f.forwards_all ? "* (everything it holds)" : Join(f.categories);
}

}  // namespace

std::string BlastToTable(const BlastResult& r, bool color) {
  std::string out;
  std::string title =
      "Blast radius: " + Join(r.seeds, " + ") + " compromised  (snapshot " + std::to_string(r.snapshot) + ")";
  out += color ? "\033[1m" + TerminalSafe(title) + "\033[0m\n" : TerminalSafe(title) + "\n";
  std::string level = Upper(r.severity.level);
  out += "Severity: " + (color ? std::string(LevelColor(r.severity.level)) + level + "\033[0m" : level) +
         "  score " + Number(r.severity.score) + " = data " + Number(r.severity.data, "%.2f") + " x volume " +
         Number(r.severity.volume, "%.2f") + " x jurisdiction " + Number(r.severity.jurisdiction, "%.2f") +
         "\n";
  if (r.options.min_likelihood > 0 || r.options.max_depth >= 0) {
    out += "Options: min likelihood " + Number(r.options.min_likelihood, "%.2f") + ", max depth " +
           (r.options.max_depth < 0 ? std::string("unlimited") : std::to_string(r.options.max_depth)) + "\n";
  }

  int controlled = 0;
  for (const auto& c : r.compromised) controlled += c.controlled;
  out += Heading("Compromised and exposed nodes (" + std::to_string(controlled) + " controlled, " +
                     std::to_string(r.compromised.size() - controlled) + " read/written)",
                 color);
  TextTable nodes({"NODE", "KIND", "LIKELIHOOD", "VIA", "PATH"});
  for (const auto& c : r.compromised) {
    nodes.AddRow({c.id, std::string(core::NodeKindName(c.kind)), FormatLikelihood(c.likelihood),
                  std::string(ViaName(c.via)) + (c.controlled ? "" : " (no pivot)"), Join(c.path, " -> ")});
    for (const auto& h : c.hops) {
      nodes.AddNote(h.from + " -[" + std::string(core::PrivilegeName(h.privilege)) +
                    (h.mechanism.empty() ? "" : ", " + h.mechanism) + ", " + FormatLikelihood(h.likelihood) +
                    "]-> " + h.to + "  " + h.where.ToString());
    }
  }
  out += nodes.Render(color);

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
      data.AddRow({e.category, sens, Join(e.flags), FormatLikelihood(e.likelihood),
                   FormatCount(e.records_max) + " / " + FormatCount(e.records_sum), Join(e.subjects, ", ", 3),
                   Join(e.nodes, ", ", 4)},
                  {"", SensitivityColor(e.sensitivity), SensitivityColor(e.sensitivity)});
      std::string path;
      for (const auto& h : e.provenance) path += (path.empty() ? "via " : "; ") + HopText(h);
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
      safe.AddRow(
          {n.category, std::string(core::SensitivityName(n.sensitivity)), Join(n.flags), Join(n.held_at)},
          {"", SensitivityColor(n.sensitivity)});
    }
    out += safe.Render(color);
  }
  return out;
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
