#include "importers/reconcile.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace blastmap::importers {
namespace {

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return "'" + out + "'";
}

// Merges `b` (declared by format `fb`) into `a` (by `fa`); reports every disagreement at b's place.
void MergeNode(core::Node& a, Format fa, const core::Node& b, Format fb, Diagnostics& diag) {
  std::string both = " (" + std::string(FormatName(fa)) + " at " + a.where.ToString() + ", " +
                     std::string(FormatName(fb)) + " here)";
  if (a.kind != b.kind) {
    diag.Error(b.where, "'" + a.id + "' is declared as a " + std::string(core::NodeKindName(a.kind)) +
                            " and as a " + std::string(core::NodeKindName(b.kind)) + both);
    return;
  }
  if (b.name != b.id) {
    if (a.name == a.id) {
      a.name = b.name;
    } else if (a.name != b.name) {
      diag.Error(b.where,
                 "'" + a.id + "' is declared with two names, '" + a.name + "' and '" + b.name + "'" + both);
    }
  }
  for (const auto& [key, values] : b.attrs) {
    if (key == "sources") continue;
    auto it = a.attrs.find(key);
    if (it == a.attrs.end()) {
      a.attrs[key] = values;
    } else if (it->second != values) {
      diag.Error(b.where, "'" + a.id + "' is declared with two values of " + key + ", " + Joined(core::ToStrings(it->second)) +
                              " and " + Joined(core::ToStrings(values)) + both);
    }
  }
  if (a.attrs["sources"].empty())
    a.attrs.Append("sources", std::string(FormatName(fa)) + " " + a.where.ToString());
  a.attrs.Append("sources", std::string(FormatName(fb)) + " " + b.where.ToString());
}

}  // namespace

NativeDeclarations Reconcile(std::vector<SourceDeclarations> sources, Diagnostics& diag) {
  NativeDeclarations out;
  std::unordered_map<std::string, std::pair<size_t, Format>> nodes;  // id -> index in out.nodes, format
  std::unordered_map<std::string, std::pair<size_t, Format>> subjects;
  std::unordered_map<std::string, std::pair<size_t, Format>> categories;
  std::unordered_set<std::string> uses, kinds;

  for (auto& source : sources) {
    auto& d = source.decls;
    for (auto& n : d.nodes) {
      auto it = nodes.find(n.id);
      if (it != nodes.end() && it->second.second != source.format) {
        MergeNode(out.nodes[it->second.first], it->second.second, n, source.format, diag);
        continue;
      }
      if (it == nodes.end()) nodes.emplace(n.id, std::make_pair(out.nodes.size(), source.format));
      out.nodes.push_back(std::move(n));
    }
    for (size_t i = 0; i < d.subjects.size(); ++i) {
      auto& s = d.subjects[i];
      auto it = subjects.find(s.id);
      if (it != subjects.end() && it->second.second != source.format) {
        auto& first = out.subjects[it->second.first];
        if (first.kind != s.kind) {
          diag.Error(s.where, "subject '" + s.id + "' is of kind '" + s.kind + "' here but of kind '" +
                                  first.kind + "' at " + first.where.ToString());
        }
        std::vector<core::Symbol> jurisdictions = first.jurisdictions.vector();
        for (const auto& j : s.jurisdictions) {
          if (std::find(jurisdictions.begin(), jurisdictions.end(), j) == jurisdictions.end())
            jurisdictions.push_back(j);
        }
        first.jurisdictions = jurisdictions;
        first.records = std::max(first.records, s.records);
        continue;
      }
      if (it == subjects.end()) subjects.emplace(s.id, std::make_pair(out.subjects.size(), source.format));
      out.subjects.push_back(std::move(s));
      out.subject_refs.push_back(std::move(d.subject_refs[i]));
    }
    for (size_t i = 0; i < d.categories.size(); ++i) {
      auto& c = d.categories[i];
      auto it = categories.find(c.key);
      if (it != categories.end() && it->second.second != source.format) {
        const auto& first = out.categories[it->second.first];
        bool same_sensitivity = !first.declared_sensitivity || !c.declared_sensitivity ||
                                *first.declared_sensitivity == *c.declared_sensitivity;
        bool same_flags =
            !first.declared_flags || !c.declared_flags || *first.declared_flags == *c.declared_flags;
        if (!same_sensitivity || !same_flags) {
          diag.Error(d.category_at[i], "category '" + c.key + "' is declared with another " +
                                           (same_sensitivity ? "set of flags" : "sensitivity") + " at " +
                                           out.category_at[it->second.first].ToString());
        }
        continue;
      }
      if (it == categories.end())
        categories.emplace(c.key, std::make_pair(out.categories.size(), source.format));
      out.categories.push_back(std::move(c));
      out.category_at.push_back(d.category_at[i]);
    }
    for (auto& u : d.data_uses) {
      if (uses.insert(u.key).second) out.data_uses.push_back(std::move(u));
    }
    for (auto& k : d.subject_kinds) {
      if (kinds.insert(k.key).second) out.subject_kinds.push_back(std::move(k));
    }
    AppendMoved(d.holdings, out.holdings);
    AppendMoved(d.flows, out.flows);
    AppendMoved(d.accesses, out.accesses);
    AppendMoved(d.declarations, out.declarations);
    AppendMoved(d.fides_policies, out.fides_policies);
  }
  // Implied nodes last, so that any declaration of the id, in any format, wins.
  for (auto& source : sources) {
    for (auto& n : source.decls.implied_nodes) {
      if (nodes.count(n.id)) continue;
      nodes.emplace(n.id, std::make_pair(out.nodes.size(), source.format));
      out.nodes.push_back(std::move(n));
    }
  }
  return out;
}

}  // namespace blastmap::importers
