#include "query/diff.h"

#include <algorithm>
#include <map>
#include <set>

#include "query/blast_radius.h"
#include "query/lang/table.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

using Set = std::set<std::string>;

std::string Delta(const Set& before, const Set& after) {
  std::vector<std::string> parts;
  for (const auto& x : after) {
    if (!before.count(x)) parts.push_back("+" + x);
  }
  for (const auto& x : before) {
    if (!after.count(x)) parts.push_back("-" + x);
  }
  return Join(parts, " ");
}

// Everything comparable about one element, keyed; `where` for messages.
struct Facts {
  Set items;
  core::Provenance where;
};
using Index = std::map<std::string, Facts>;

Index Nodes(const core::Model& m) {
  Index out;
  for (const auto& n : m.nodes) {
    Facts& f = out[n.id];
    f.where = n.where;
    f.items.insert("kind=" + std::string(core::NodeKindName(n.kind)));
    f.items.insert("name=" + n.name);
    for (const auto& [k, v] : n.attrs) f.items.insert(k + "=" + Join(v, ","));
  }
  return out;
}

Index Stores(const core::Model& m) {
  Index out;
  for (const auto& h : m.holdings) {
    Facts& f = out[h.node];
    if (f.where.file.empty()) f.where = h.where;
    f.items.insert(h.categories.begin(), h.categories.end());
  }
  return out;
}

Index Flows(const core::Model& m) {
  Index out;
  for (const auto& fl : m.flows) {
    Facts& f = out[fl.from + " -> " + fl.to];
    if (f.where.file.empty()) f.where = fl.where;
    if (fl.forwards_all) f.items.insert("*");
    f.items.insert(fl.categories.begin(), fl.categories.end());
    if (fl.required) f.items.insert("(required)");
  }
  return out;
}

Index Accesses(const core::Model& m) {
  Index out;
  for (const auto& a : m.accesses) {
    Facts& f = out[a.from + " -> " + a.to + " (" + std::string(core::PrivilegeName(a.privilege)) + ")"];
    f.where = a.where;
    f.items.insert("likelihood=" + FormatLikelihood(a.likelihood));
    if (!a.mechanism.empty()) f.items.insert("mechanism=" + a.mechanism);
  }
  return out;
}

void Compare(const std::string& element, const Index& before, const Index& after, std::vector<Change>& out) {
  for (const auto& [key, f] : after) {
    auto it = before.find(key);
    if (it == before.end()) {
      out.push_back(
          {Change::Kind::kAdded, element, key,
           element == "node" ? "" : Join(std::vector<std::string>{f.items.begin(), f.items.end()}, " "),
           f.where});
    } else if (it->second.items != f.items) {
      out.push_back({Change::Kind::kChanged, element, key, Delta(it->second.items, f.items), f.where});
    }
  }
  for (const auto& [key, f] : before) {
    if (!after.count(key)) out.push_back({Change::Kind::kRemoved, element, key, "", f.where});
  }
}

int LevelRank(const std::string& level) {
  return level.empty() ? 0 : lang::ScaleRank(lang::Value::Scale::kLevel, level);
}

}  // namespace

std::string_view ChangeKindName(Change::Kind kind) {
  switch (kind) {
    case Change::Kind::kAdded: return "added";
    case Change::Kind::kRemoved: return "removed";
    case Change::Kind::kChanged: return "changed";
  }
  return "changed";
}

DiffResult DiffMaps(const core::Graph& before, const core::Graph& after, std::string before_label,
                    std::string after_label) {
  DiffResult result;
  result.before = std::move(before_label);
  result.after = std::move(after_label);
  const core::Model &a = before.model(), &b = after.model();
  Compare("node", Nodes(a), Nodes(b), result.changes);
  Compare("store", Stores(a), Stores(b), result.changes);
  Compare("flow", Flows(a), Flows(b), result.changes);
  Compare("access", Accesses(a), Accesses(b), result.changes);

  std::set<std::string> vendors;
  for (const auto* m : {&a, &b}) {
    for (const auto& n : m->nodes) {
      if (n.kind == core::NodeKind::kVendor) vendors.insert(n.id);
    }
  }
  for (const auto& id : vendors) {
    VendorDelta d;
    d.id = id;
    Set exposed_before, exposed_after, restricted_after;
    auto side = [&](const core::Graph& g, double& score, std::string& level, Set& exposed, Set* restricted) {
      auto v = g.Find(id);
      if (v < 0) return false;
      BlastResult r = ComputeBlastRadius(g, {static_cast<uint32_t>(v)}, {});
      score = r.severity.score;
      level = r.severity.level;
      for (const auto& e : r.exposed) {
        exposed.insert(e.category());
        if (restricted && e.sensitivity == core::Sensitivity::kRestricted) restricted->insert(e.category());
      }
      return true;
    };
    bool in_before = side(before, d.score_before, d.level_before, exposed_before, nullptr);
    bool in_after = side(after, d.score_after, d.level_after, exposed_after, &restricted_after);
    d.added = !in_before;
    d.removed = !in_after;
    for (const auto& c : exposed_after) {
      if (exposed_before.count(c)) continue;
      d.newly_exposed.push_back(c);
      if (restricted_after.count(c)) d.new_restricted.push_back(c);
    }
    for (const auto& c : exposed_before) {
      if (!exposed_after.count(c)) d.no_longer_exposed.push_back(c);
    }
    bool changed = d.added || d.removed || !d.newly_exposed.empty() || !d.no_longer_exposed.empty() ||
                   std::abs(d.score_after - d.score_before) > 1e-9;
    if (changed) result.vendors.push_back(std::move(d));
  }
  std::stable_sort(result.vendors.begin(), result.vendors.end(),
                   [](const VendorDelta& x, const VendorDelta& y) {
                     return x.score_after - x.score_before > y.score_after - y.score_before;
                   });
  return result;
}

std::optional<FailOn> ParseFailOn(std::string_view name) {
  if (name == "severity-increase") return FailOn::kSeverityIncrease;
  if (name == "new-restricted") return FailOn::kNewRestricted;
  if (name == "any") return FailOn::kAny;
  return std::nullopt;
}

std::vector<std::string> GateFailures(const DiffResult& r, FailOn gate) {
  std::vector<std::string> out;
  switch (gate) {
    case FailOn::kAny:
      if (!r.changes.empty()) out.push_back(std::to_string(r.changes.size()) + " change(s) to the map");
      break;
    case FailOn::kSeverityIncrease:
      for (const auto& v : r.vendors) {
        if (!v.removed && LevelRank(v.level_after) > LevelRank(v.level_before)) {
          out.push_back(v.id + ": severity " +
                        (v.level_before.empty() ? "low (new vendor)" : v.level_before) + " -> " +
                        v.level_after);
        }
      }
      break;
    case FailOn::kNewRestricted:
      for (const auto& v : r.vendors) {
        if (!v.new_restricted.empty())
          out.push_back(v.id + ": newly exposes restricted " + Join(v.new_restricted, ", "));
      }
      break;
  }
  return out;
}

}  // namespace blastmap::query
