#include "query/what_if.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace blastmap::query {
namespace {

std::vector<std::string> NodeIds(const core::Model& m) {
  std::vector<std::string> ids;
  for (const auto& n : m.nodes) ids.push_back(n.id);
  return ids;
}

core::Status EditError(const OverlayEdit& e, const std::string& message) {
  std::string where = e.where.ToString();
  return core::Status::Error((where.empty() ? "" : where + ": ") + std::string(OverlayEditName(e.kind)) +
                             ": " + message);
}

core::Status CheckNode(const core::Model& m, const OverlayEdit& e, const std::string& id) {
  if (m.FindNode(id)) return core::Status::Ok();
  return EditError(e, "no node '" + id + "'" + core::DidYouMean(id, NodeIds(m)));
}

// The flows an edit selects: every flow from -> to, or the index-th of them.
core::Result<std::vector<core::Flow*>> SelectFlows(core::Model& m, const OverlayEdit& e) {
  for (const auto& id : {e.from, e.to}) {
    if (auto s = CheckNode(m, e, id); !s.ok()) return s;
  }
  std::vector<core::Flow*> flows;
  for (auto& f : m.flows) {
    if (f.from == e.from && f.to == e.to) flows.push_back(&f);
  }
  if (flows.empty()) return EditError(e, "no flow from '" + e.from + "' to '" + e.to + "'");
  if (e.index > 0) {
    if (e.index > static_cast<int>(flows.size())) {
      return EditError(e, "there are only " + std::to_string(flows.size()) + " flows from '" + e.from +
                              "' to '" + e.to + "'");
    }
    flows = {flows[e.index - 1]};
  }
  return flows;
}

core::Status ChangeCategory(core::Model& m, const OverlayEdit& e, const std::string& replacement) {
  auto flows = SelectFlows(m, e);
  if (!flows.ok()) return flows.status();
  if (!replacement.empty() && m.taxonomy.Index(replacement) < 0) {
    return EditError(e, "unknown category '" + replacement + "'");
  }
  bool found = false;
  for (core::Flow* f : flows.value()) {
    std::vector<core::Symbol> categories = f->categories.vector();
    auto it = std::find(categories.begin(), categories.end(), e.category);
    if (it == categories.end()) continue;
    found = true;
    categories.erase(it);
    if (!replacement.empty() &&
        std::find(categories.begin(), categories.end(), replacement) == categories.end()) {
      categories.push_back(replacement);
    }
    f->categories = categories;
  }
  if (!found) {
    return EditError(e, "the flow from '" + e.from + "' to '" + e.to + "' does not carry '" + e.category +
                            "'" + (flows.value().front()->forwards_all ? " (it forwards \"*\")" : ""));
  }
  return core::Status::Ok();
}

core::Status Add(core::Model& m, const OverlayEdit& e) {
  for (const auto& n : e.added.nodes) {
    if (const core::Node* existing = m.FindNode(n.id)) {
      return EditError(e,
                       "node '" + n.id + "' already exists (declared at " + existing->where.ToString() + ")");
    }
    m.nodes.push_back(n);
  }
  auto endpoint = [&](const std::string& id) { return CheckNode(m, e, id); };
  auto categories = [&](const core::SymbolList& keys) -> core::Status {
    for (const auto& k : keys) {
      if (m.taxonomy.Index(k) < 0) return EditError(e, "unknown category '" + k + "'");
    }
    return core::Status::Ok();
  };
  for (const auto& h : e.added.holdings) {
    if (auto s = endpoint(h.node); !s.ok()) return s;
    if (auto s = categories(h.categories); !s.ok()) return s;
    m.holdings.push_back(h);
  }
  for (const auto& f : e.added.flows) {
    if (auto s = endpoint(f.from); !s.ok()) return s;
    if (auto s = endpoint(f.to); !s.ok()) return s;
    if (auto s = categories(f.categories); !s.ok()) return s;
    m.flows.push_back(f);
  }
  for (const auto& a : e.added.accesses) {
    if (auto s = endpoint(a.from); !s.ok()) return s;
    if (auto s = endpoint(a.to); !s.ok()) return s;
    m.accesses.push_back(a);
  }
  return core::Status::Ok();
}

core::Status ApplyOne(core::Model& m, const OverlayEdit& e) {
  using Kind = OverlayEdit::Kind;
  switch (e.kind) {
    case Kind::kRemoveNode: {
      if (auto s = CheckNode(m, e, e.node); !s.ok()) return s;
      std::erase_if(m.nodes, [&](const core::Node& n) { return n.id == e.node; });
      std::erase_if(m.holdings, [&](const core::Holding& h) { return h.node == e.node; });
      std::erase_if(m.flows, [&](const core::Flow& f) { return f.from == e.node || f.to == e.node; });
      std::erase_if(m.accesses, [&](const core::Access& a) { return a.from == e.node || a.to == e.node; });
      return core::Status::Ok();
    }
    case Kind::kRemoveFlow: {
      auto flows = SelectFlows(m, e);
      if (!flows.ok()) return flows.status();
      std::set<const core::Flow*> doomed(flows.value().begin(), flows.value().end());
      std::erase_if(m.flows, [&](const core::Flow& f) { return doomed.count(&f) > 0; });
      return core::Status::Ok();
    }
    case Kind::kDropCategory: return ChangeCategory(m, e, "");
    case Kind::kReplaceCategory: return ChangeCategory(m, e, e.replacement);
    case Kind::kPseudonymise: {
      std::string form = PseudonymousForm(m.taxonomy, e.category);
      if (form.empty()) return EditError(e, "the taxonomy has no pseudonymous form of '" + e.category + "'");
      return ChangeCategory(m, e, form);
    }
    case Kind::kRemoveAccess:
    case Kind::kSetLikelihood: {
      for (const auto& id : {e.from, e.to}) {
        if (auto s = CheckNode(m, e, id); !s.ok()) return s;
      }
      auto matches = [&](const core::Access& a) { return a.from == e.from && a.to == e.to; };
      if (std::none_of(m.accesses.begin(), m.accesses.end(), matches)) {
        return EditError(e, "no access edge from '" + e.from + "' to '" + e.to + "'");
      }
      if (e.kind == Kind::kRemoveAccess) {
        std::erase_if(m.accesses, matches);
      } else {
        if (e.likelihood <= 0 || e.likelihood > 1) return EditError(e, "likelihood must be in (0, 1]");
        for (auto& a : m.accesses) {
          if (matches(a)) a.likelihood = e.likelihood;
        }
      }
      return core::Status::Ok();
    }
    case Kind::kAdd: return Add(m, e);
  }
  return core::Status::Ok();
}

}  // namespace

std::string PseudonymousForm(const core::Taxonomy& taxonomy, const std::string& category) {
  if (taxonomy.Index(category + ".pseudonymous") >= 0) return category + ".pseudonymous";
  if (taxonomy.Index("user.unique_id.pseudonymous") >= 0) return "user.unique_id.pseudonymous";
  return "";
}

core::Result<core::Model> ApplyOverlay(const core::Model& model, const Overlay& overlay) {
  core::Model out = model;
  for (const auto& edit : overlay.edits) {
    if (auto s = ApplyOne(out, edit); !s.ok()) return s;
  }
  return out;
}

BlastDelta CompareBlasts(const BlastResult& before, const BlastResult& after) {
  BlastDelta d;
  auto categories = [](const BlastResult& r) {
    std::set<std::string> s;
    for (const auto& e : r.exposed) s.insert(e.category());
    return s;
  };
  auto nodes = [](const BlastResult& r) {
    std::set<std::string> s;
    for (const auto& c : r.compromised) s.insert(c.id());
    return s;
  };
  auto difference = [](const std::set<std::string>& a, const std::set<std::string>& b) {
    std::vector<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
  };
  auto records = [](const BlastResult& r) {
    int64_t n = core::kUnknownRecords;
    for (const auto& e : r.exposed) n = std::max(n, e.records_max);
    return n;
  };
  auto cb = categories(before), ca = categories(after);
  auto nb = nodes(before), na = nodes(after);
  d.categories_added = difference(ca, cb);
  d.categories_removed = difference(cb, ca);
  d.nodes_added = difference(na, nb);
  d.nodes_removed = difference(nb, na);
  d.before = before.severity;
  d.after = after.severity;
  d.records_before = records(before);
  d.records_after = records(after);
  return d;
}

}  // namespace blastmap::query
