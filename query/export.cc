#include "query/export.h"

#include <deque>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "query/blast_radius.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

struct ExportEdge {
  bool access = false;
  uint32_t from = 0, to = 0;
  std::string label;  // categories ("*" for a forward), or "privilege likelihood"
  const core::Flow* flow = nullptr;
  const core::Access* acc = nullptr;
};

std::string DotString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "\"";
}

std::string Xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string MermaidText(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '"' ? '\'' : (c == '\n' ? ' ' : c);
  return out;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const char* Fill(const std::string& state) {
  if (state == "seed") return "#d9534f";
  if (state == "controlled") return "#f0ad4e";
  if (state == "exposed") return "#fce8b2";
  return "#ffffff";
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "dot") return ExportFormat::kDot;
  if (name == "graphml") return ExportFormat::kGraphml;
  if (name == "mermaid") return ExportFormat::kMermaid;
  if (name == "json") return ExportFormat::kJson;
  if (name == "csv") return ExportFormat::kCsv;
  return std::nullopt;
}

core::Result<std::string> ExportGraph(const core::Graph& g, ExportFormat format,
                                      const ExportOptions& options) {
  const core::Model& m = g.model();
  std::vector<std::string> ids;
  for (const auto& n : m.nodes) ids.push_back(n.id);
  auto resolve = [&](const std::string& id) -> core::Result<uint32_t> {
    auto v = g.Find(id);
    if (v < 0) return core::Status::Error("no node '" + id + "'" + core::DidYouMean(id, ids));
    return static_cast<uint32_t>(v);
  };

  std::vector<ExportEdge> all;
  if (options.flows) {
    for (uint32_t f = 0; f < m.flows.size(); ++f) {
      const auto& fl = m.flows[f];
      all.push_back({false, g.FlowSource(f), g.FlowTarget(f),
                     fl.forwards_all ? "*" : Join(fl.categories, ", "), &fl, nullptr});
    }
  }
  if (options.access) {
    for (const auto& a : m.accesses) {
      all.push_back({true, static_cast<uint32_t>(g.Find(a.from)), static_cast<uint32_t>(g.Find(a.to)),
                     std::string(core::PrivilegeName(a.privilege)) + " " + FormatLikelihood(a.likelihood),
                     nullptr, &a});
    }
  }

  // Which nodes: everything, or a neighbourhood (either direction over the chosen edges).
  std::vector<bool> keep(g.node_count(), options.around.empty());
  if (!options.around.empty()) {
    auto center = resolve(options.around);
    if (!center.ok()) return center.status();
    std::vector<std::vector<uint32_t>> adjacent(g.node_count());
    for (const auto& e : all) {
      adjacent[e.from].push_back(e.to);
      adjacent[e.to].push_back(e.from);
    }
    std::vector<int> dist(g.node_count(), -1);
    std::deque<uint32_t> queue = {center.value()};
    dist[center.value()] = 0;
    while (!queue.empty()) {
      uint32_t u = queue.front();
      queue.pop_front();
      keep[u] = true;
      if (dist[u] >= options.depth) continue;
      for (uint32_t v : adjacent[u]) {
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      }
    }
  }

  std::vector<std::string> state(g.node_count());
  std::string title = "blastmap";
  if (!options.blast.empty()) {
    std::vector<uint32_t> seeds;
    for (const auto& id : options.blast) {
      auto v = resolve(id);
      if (!v.ok()) return v.status();
      seeds.push_back(v.value());
    }
    BlastResult r = ComputeBlastRadius(g, seeds, options.blast_options);
    for (const auto& c : r.compromised) {
      state[g.Find(c.id())] = c.via == Via::kSeed ? "seed" : c.controlled ? "controlled" : "exposed";
    }
    title = "blast radius of " + Join(options.blast, ", ") + " (severity " + r.severity.level + ")";
  }
  std::vector<const ExportEdge*> edges;
  for (const auto& e : all) {
    if (keep[e.from] && keep[e.to]) edges.push_back(&e);
  }

  std::string out;
  switch (format) {
    case ExportFormat::kDot: {
      out = "digraph blastmap {\n  label=" + DotString(title) +
            ";\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
            "fontname=\"Helvetica\"];\n"
            "  edge [fontname=\"Helvetica\", fontsize=9];\n";
      for (uint32_t v = 0; v < g.node_count(); ++v) {
        if (!keep[v]) continue;
        const auto& n = g.node(v);
        out += "  " + DotString(n.id) +
               " [label=" + DotString(n.name + "\n(" + std::string(core::NodeKindName(n.kind)) + ")") +
               (n.kind == core::NodeKind::kVendor ? ", shape=ellipse" : "") + ", fillcolor=\"" +
               Fill(state[v]) + "\"" + (state[v].empty() ? "" : ", penwidth=2") + "];\n";
      }
      for (const ExportEdge* e : edges) {
        out += "  " + DotString(g.node(e->from).id) + " -> " + DotString(g.node(e->to).id) +
               " [label=" + DotString(e->label) + (e->access ? ", style=dashed, color=\"#c9302c\"" : "") +
               "];\n";
      }
      out += "}\n";
      break;
    }
    case ExportFormat::kGraphml: {
      out =
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
          "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
          "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
          "  <key id=\"state\" for=\"node\" attr.name=\"state\" attr.type=\"string\"/>\n"
          "  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
          "  <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
          "  <key id=\"where\" for=\"edge\" attr.name=\"where\" attr.type=\"string\"/>\n"
          "  <graph id=\"blastmap\" edgedefault=\"directed\">\n";
      for (uint32_t v = 0; v < g.node_count(); ++v) {
        if (!keep[v]) continue;
        const auto& n = g.node(v);
        out += "    <node id=\"" + Xml(n.id) + "\"><data key=\"name\">" + Xml(n.name) +
               "</data><data key=\"kind\">" + std::string(core::NodeKindName(n.kind)) +
               "</data><data key=\"state\">" + state[v] + "</data></node>\n";
      }
      size_t i = 0;
      for (const ExportEdge* e : edges) {
        std::string where = e->access ? e->acc->where.ToString() : e->flow->where.ToString();
        out += "    <edge id=\"e" + std::to_string(i++) + "\" source=\"" + Xml(g.node(e->from).id) +
               "\" target=\"" + Xml(g.node(e->to).id) + "\"><data key=\"type\">" +
               (e->access ? "access" : "flow") + "</data><data key=\"label\">" + Xml(e->label) +
               "</data><data key=\"where\">" + Xml(where) + "</data></edge>\n";
      }
      out += "  </graph>\n</graphml>\n";
      break;
    }
    case ExportFormat::kMermaid: {
      out = "flowchart LR\n";
      std::string classes;
      for (uint32_t v = 0; v < g.node_count(); ++v) {
        if (!keep[v]) continue;
        const auto& n = g.node(v);
        std::string label = MermaidText(n.name);
        out += "  n" + std::to_string(v) +
               (n.kind == core::NodeKind::kVendor ? "([\"" + label + "\"])" : "[\"" + label + "\"]") + "\n";
        if (!state[v].empty()) classes += "  class n" + std::to_string(v) + " " + state[v] + "\n";
      }
      for (const ExportEdge* e : edges) {
        out += "  n" + std::to_string(e->from) + (e->access ? " -.->" : " -->") + "|\"" +
               MermaidText(e->label) + "\"| n" + std::to_string(e->to) + "\n";
      }
      if (!classes.empty()) {
        out +=
            "  classDef seed fill:#d9534f,color:#fff\n  classDef controlled fill:#f0ad4e\n"
            "  classDef exposed fill:#fce8b2\n" +
            classes;
      }
      break;
    }
    case ExportFormat::kJson: {
      using json = nlohmann::ordered_json;
      json nodes = json::array(), links = json::array();
      for (uint32_t v = 0; v < g.node_count(); ++v) {
        if (!keep[v]) continue;
        const auto& n = g.node(v);
        nodes.push_back({{"id", n.id},
                         {"name", n.name},
                         {"kind", core::NodeKindName(n.kind)},
                         {"state", state[v]},
                         {"where", n.where.ToString()}});
      }
      for (const ExportEdge* e : edges) {
        json l = {
            {"type", e->access ? "access" : "flow"}, {"from", g.node(e->from).id}, {"to", g.node(e->to).id}};
        if (e->access) {
          l["privilege"] = core::PrivilegeName(e->acc->privilege);
          l["likelihood"] = e->acc->likelihood;
          l["where"] = e->acc->where.ToString();
        } else {
          l["categories"] =
              e->flow->forwards_all ? std::vector<std::string>{"*"} : core::ToStrings(e->flow->categories);
          l["where"] = e->flow->where.ToString();
        }
        links.push_back(std::move(l));
      }
      out = json({{"title", title}, {"nodes", nodes}, {"edges", links}}).dump(2) + "\n";
      break;
    }
    case ExportFormat::kCsv: {
      out = "type,from,from_kind,from_state,to,to_kind,to_state,label,where\n";
      for (const ExportEdge* e : edges) {
        const auto &a = g.node(e->from), &b = g.node(e->to);
        std::string where = e->access ? e->acc->where.ToString() : e->flow->where.ToString();
        out += std::string(e->access ? "access" : "flow") + "," + Csv(a.id) + "," +
               std::string(core::NodeKindName(a.kind)) + "," + state[e->from] + "," + Csv(b.id) + "," +
               std::string(core::NodeKindName(b.kind)) + "," + state[e->to] + "," + Csv(e->label) + "," +
               Csv(where) + "\n";
      }
      break;
    }
  }
  return out;
}

}  // namespace blastmap::query
