#include "query/replay.h"

#include <algorithm>
#include <optional>

#include "core/text.h"

namespace blastmap::query {
namespace {

std::string Attr(const core::Node& n, const std::string& key) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() || it->second.empty() ? std::string() : it->second.front().str();
}

// A name matches when it is the node's id, or a whole word of its display name ("Salesloft (Drift)"
// matches "drift"), ignoring case.
bool NameMatches(const core::Node& n, const std::string& wanted) {
  std::string w = core::AsciiLower(wanted);
  if (core::AsciiLower(n.id) == w || core::AsciiLower(n.name.str()) == w) return true;
  std::string name = core::AsciiLower(n.name.str());
  for (size_t pos = name.find(w); pos != std::string::npos; pos = name.find(w, pos + 1)) {
    bool start = pos == 0 || !std::isalnum(static_cast<unsigned char>(name[pos - 1]));
    size_t end = pos + w.size();
    bool stop = end == name.size() || !std::isalnum(static_cast<unsigned char>(name[end]));
    if (start && stop) return true;
  }
  return false;
}

}  // namespace

bool KeysRelated(const std::string& a, const std::string& b) {
  auto under = [](const std::string& child, const std::string& parent) {
    return child.size() > parent.size() && child.compare(0, parent.size(), parent) == 0 &&
           child[parent.size()] == '.';
  };
  return a == b || under(a, b) || under(b, a);
}

std::vector<ReplaySeed> FindIncidentSeeds(const core::Graph& g, const core::Incident& incident,
                                          std::string& match) {
  const core::Model& m = g.resident();
  std::vector<ReplaySeed> seeds;
  for (const auto& n : m.nodes) {
    if (n.kind != core::NodeKind::kVendor) continue;
    for (const auto& wanted : incident.match) {
      if (NameMatches(n, wanted)) {
        seeds.push_back({n.id, n.name.str(), "identity: '" + wanted + "'"});
        break;
      }
    }
  }
  if (!seeds.empty()) {
    match = "identity";
    return seeds;
  }
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    const core::Node& n = g.node(v);
    if (n.kind != core::NodeKind::kVendor) continue;
    std::string role = Attr(n, "role");
    if (role.empty() || std::find(incident.roles.begin(), incident.roles.end(), role) == incident.roles.end())
      continue;
    std::string how = "role " + role;
    if (!incident.access.empty()) {
      // The vendor's own access edges with a wanted privilege (the graph's array: no element is read for
      // the others), in model order: the first that fits is named.
      std::vector<uint32_t> edges;
      for (auto e : boost::make_iterator_range(boost::out_edges(v, g.access()))) {
        const uint32_t edge = g.access()[e].index;
        if (std::find(incident.access.begin(), incident.access.end(), g.AccessPrivilege(edge)) !=
            incident.access.end())
          edges.push_back(edge);
      }
      std::sort(edges.begin(), edges.end());
      std::optional<core::Access> found;
      for (uint32_t edge : edges) {
        const core::Access a = g.access(edge);
        bool mechanism = incident.mechanisms.empty();
        for (const auto& wanted : incident.mechanisms) {
          mechanism =
              mechanism || core::AsciiLower(a.mechanism).find(core::AsciiLower(wanted)) != std::string::npos;
        }
        if (mechanism) {
          found = a;
          break;
        }
      }
      if (!found) continue;
      how += ", " + std::string(core::PrivilegeName(found->privilege)) + " on " + found->to +
             (found->mechanism.empty() ? "" : " via " + found->mechanism) + " (" + found->where.ToString() +
             ")";
    }
    seeds.push_back({n.id, n.name.str(), how});
  }
  match = seeds.empty() ? "none" : "role";
  return seeds;
}

void CompareWithIncident(ReplayResult& r) {
  r.really_exposed.clear();
  r.beyond.clear();
  r.said_not_exposed.clear();
  for (const auto& real : r.incident.exposed) {
    ReplayCategory c{real, {}};
    for (const auto& e : r.brief.exposed) {
      if (KeysRelated(real, e.category())) c.here.push_back(e.category());
    }
    r.really_exposed.push_back(std::move(c));
  }
  for (const auto& e : r.brief.exposed) {
    bool related = std::any_of(r.incident.exposed.begin(), r.incident.exposed.end(),
                               [&](const std::string& real) { return KeysRelated(real, e.category()); });
    if (!related) r.beyond.push_back(e.category());
    bool contradicts = std::any_of(r.incident.not_exposed.begin(), r.incident.not_exposed.end(),
                                   [&](const std::string& no) { return KeysRelated(no, e.category()); });
    if (contradicts) r.said_not_exposed.push_back(e.category());
  }
}

}  // namespace blastmap::query
