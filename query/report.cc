#include "query/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "query/access_path.h"
#include "query/text_table.h"

namespace blastmap::query {
std::string ReportTitle(const BlastResult& r, const core::Graph& g) {
  std::vector<std::string> names;
  for (const auto& id : r.seeds) {
    auto v = g.Find(id);
    names.push_back(v >= 0 ? g.node(static_cast<uint32_t>(v)).name.str() : id);
  }
  return Join(names, " + ") + " compromised";
}

std::string DeadlineText(const Obligation& o) {
  if (!o.deadline_hours) return "no fixed window";
  int64_t h = *o.deadline_hours;
  std::string out = std::to_string(h) + (h == 1 ? " hour" : " hours");
  if (h >= 48 && h % 24 == 0) out += " (" + std::to_string(h / 24) + " days)";
  if (!o.due.empty()) out += ", due " + o.due;
  return out;
}

std::string ReportSummary(const BlastResult& r) {
  int controlled = 0;
  for (const auto& c : r.compromised) controlled += c.controlled;
  std::map<core::Sensitivity, int> by_sensitivity;
  std::set<std::string> subjects, jurisdictions;
  int64_t records = core::kUnknownRecords;
  for (const auto& e : r.exposed) {
    by_sensitivity[e.sensitivity]++;
    subjects.insert(e.subjects.begin(), e.subjects.end());
    const NameSet places = e.jurisdictions();
    jurisdictions.insert(places.begin(), places.end());
    records = std::max(records, e.records_max);
  }
  std::string out =
      "The attacker controls " + std::to_string(controlled) + " node" + (controlled == 1 ? "" : "s");
  if (r.compromised.size() > static_cast<size_t>(controlled)) {
    out += " and can read or write " + std::to_string(r.compromised.size() - controlled) + " more";
  }
  out += ". ";
  if (r.exposed.empty()) {
    out += "No data category we hold is exposed. ";
  } else {
    std::vector<std::string> parts;
    for (auto s : {core::Sensitivity::kRestricted, core::Sensitivity::kConfidential,
                   core::Sensitivity::kInternal, core::Sensitivity::kPublic}) {
      if (by_sensitivity[s])
        parts.push_back(std::to_string(by_sensitivity[s]) + " " + std::string(core::SensitivityName(s)));
    }
    out += std::to_string(r.exposed.size()) + " data categories are exposed (" + Join(parts) + ")";
    if (!by_sensitivity[core::Sensitivity::kRestricted]) out += ", none of them restricted";
    out += ", about " + (subjects.empty() ? std::string("unspecified subjects")
                                          : Join(std::vector<std::string>(subjects.begin(), subjects.end())));
    if (records >= 0) out += ", up to " + FormatCount(records) + " records";
    if (!jurisdictions.empty()) {
      out += ", living in " + Join(std::vector<std::string>(jurisdictions.begin(), jurisdictions.end()));
    }
    out += ". ";
  }
  std::string level = r.severity.level;
  for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", r.severity.score);
  out += "Severity " + level + " (score " + score + "). ";
  if (r.obligations.empty()) {
    out += "No notification duty is triggered by the rules.";
  } else {
    const Obligation& first = r.obligations.front();
    out += std::to_string(r.obligations.size()) + " notification dut" +
           (r.obligations.size() == 1 ? "y" : "ies") + " may apply; the first due is " + first.regulation +
           ": " + first.duty + " (" + DeadlineText(first) + (first.deadline_hours ? " from discovery" : "") +
           ").";
  }
  return out;
}

std::vector<AffectedSubject> AffectedSubjects(const BlastResult& r, const core::Graph& g) {
  std::map<std::string, AffectedSubject> by_id;
  for (const auto& e : r.exposed) {
    for (const auto& s : e.subjects) {
      AffectedSubject& a = by_id[s];
      a.id = s;
      a.categories.push_back(e.category());
      a.records = std::max(a.records, e.records_max);
    }
  }
  std::vector<AffectedSubject> out;
  for (auto& [id, a] : by_id) {
    if (const core::Subject* s = g.resident().FindSubject(id)) {
      a.name = s->name;
      a.kind = s->kind;
      a.jurisdictions = core::ToStrings(s->jurisdictions);
      a.population = s->records;
    }
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.records != b.records ? a.records > b.records : a.id < b.id;
  });
  return out;
}

std::string HopDescription(const HopText& h) {
  switch (h.kind) {
    case FlowHop::Kind::kStores: return "stored at " + h.from + " [" + Join(h.categories) + "]";
    case FlowHop::Kind::kForward: return h.from + " -> " + h.to + " (forwards everything it holds)";
    case FlowHop::Kind::kFlow: return h.from + " -> " + h.to + " [" + Join(h.categories) + "]";
  }
  return "";
}

std::vector<ManifestLine> ManifestLines(const BlastResult& r, const core::Graph& g, size_t listed) {
  std::map<std::pair<std::string, int>, ManifestLine> lines;
  auto add = [&](const core::Provenance& p, const std::string& what) {
    if (p.file.empty()) return;
    lines.emplace(std::make_pair(p.file, p.line), ManifestLine{p, what});
  };
  // Paths share their first hops: each access edge is described once, not once per path through it.
  std::unordered_set<uint32_t> hops_seen;
  for (size_t i = 0; i < listed; ++i) {
    const CompromisedNode& c = r.compromised[i];
    auto v = g.Find(c.id());
    if (v >= 0)
      add(g.node(static_cast<uint32_t>(v)).where, std::string(core::NodeKindName(c.kind())) + " " + c.id());
    for (uint32_t edge : HopEdgesOf(r, i)) {
      if (!hops_seen.insert(edge).second) continue;
      const AccessHop h = g.access(edge);
      add(h.where, "access " + h.from + " -> " + h.to + " (" + std::string(core::PrivilegeName(h.privilege)) +
                       (h.mechanism.empty() ? "" : ", " + h.mechanism) + ")");
    }
  }
  for (const auto& e : r.exposed) {
    for (const auto& hop : e.provenance) {
      const HopText h = ReadHop(*r.source, hop);
      add(h.where, (h.kind == FlowHop::Kind::kFlow ? "flow " : "") + HopDescription(h));
    }
  }
  std::vector<ManifestLine> out;
  for (auto& [key, line] : lines) out.push_back(std::move(line));
  return out;
}

size_t ListedNodes(size_t total, size_t max_nodes) { return max_nodes ? std::min(max_nodes, total) : total; }

std::string UnlistedNodesNote(size_t listed, size_t total) {
  return FormatCount(static_cast<int64_t>(total - listed)) + " more nodes not listed (the first " +
         FormatCount(static_cast<int64_t>(listed)) + " of " + FormatCount(static_cast<int64_t>(total)) +
         ", most likely first); --max-nodes 0 lists them all";
}

}  // namespace blastmap::query
