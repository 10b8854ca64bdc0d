#include "importers/policy_reader.h"

#include <algorithm>
#include <set>

#include "importers/diagnostics.h"
#include "importers/fides_policy.h"
#include "importers/reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace {

core::PolicyFilter Filter(const Field& f, std::string_view what, Diagnostics& diag) {
  core::PolicyFilter out;
  out.where = f.where();
  if (auto s = f.String(what, diag)) out.text = *s;
  // A quoted scalar's mark is its opening quote; the filter text starts one column later.
  if (f.node().quoted && out.where.col > 0) ++out.where.col;
  return out;
}

void ReadRule(const Field& item, Diagnostics& diag, std::set<std::string>& ids, core::Policy& policy) {
  if (!item.ExpectMap("rule", {"id", "description", "level", "flows", "nodes", "blast"}, diag)) return;
  core::PolicyRule rule;
  rule.declared = item.where();
  if (auto f = item.Get("id")) {
    rule.id = f->String("id", diag).value_or("");
    if (!rule.id.empty() && !ids.insert(rule.id).second)
      diag.Error(f->where(), "rule id '" + rule.id + "' is used twice");
  } else {
    diag.Error(item.where(), "rule: 'id' is required");
  }
  if (auto f = item.Get("description")) rule.description = f->String("description", diag).value_or("");
  if (auto f = item.Get("level")) {
    rule.level = f->String("level", diag).value_or("error");
    if (rule.level != "error" && rule.level != "warning" && rule.level != "note") {
      diag.Error(f->where(), "level: expected error, warning or note, found '" + rule.level + "'");
    }
  }
  int kinds = 0;
  if (auto f = item.Get("flows")) {
    ++kinds;
    rule.kind = core::PolicyRule::Kind::kFlows;
    if (f->ExpectMap("flows", {"from", "to", "carrying"}, diag)) {
      if (auto g = f->Get("from")) rule.from = Filter(*g, "from", diag);
      if (auto g = f->Get("to")) rule.to = Filter(*g, "to", diag);
      if (auto g = f->Get("carrying")) rule.carrying = Filter(*g, "carrying", diag);
    }
  }
  if (auto f = item.Get("nodes")) {
    ++kinds;
    rule.kind = core::PolicyRule::Kind::kNodes;
    if (f->IsScalar()) {
      rule.where = Filter(*f, "nodes", diag);
    } else if (f->ExpectMap("nodes", {"where", "except"}, diag)) {
      if (auto g = f->Get("where")) rule.where = Filter(*g, "where", diag);
      if (auto g = f->Get("except"))
        rule.except = g->StringList("except", diag).value_or(std::vector<std::string>{});
    }
  }
  if (auto f = item.Get("blast")) {
    ++kinds;
    rule.kind = core::PolicyRule::Kind::kBlast;
    if (f->ExpectMap("blast", {"nodes", "at_least", "except"}, diag)) {
      if (auto g = f->Get("nodes")) rule.where = Filter(*g, "nodes", diag);
      if (auto g = f->Get("at_least")) {
        rule.at_least = g->String("at_least", diag).value_or("high");
        static const std::set<std::string> kLevels = {"low", "medium", "high", "critical"};
        if (!kLevels.count(rule.at_least)) {
          diag.Error(g->where(),
                     "at_least: expected low, medium, high or critical, found '" + rule.at_least + "'");
        }
      }
      if (auto g = f->Get("except"))
        rule.except = g->StringList("except", diag).value_or(std::vector<std::string>{});
    }
  }
  if (kinds != 1)
    diag.Error(item.where(), "rule '" + rule.id + "': give exactly one of flows, nodes or blast");
  policy.rules.push_back(std::move(rule));
}

}  // namespace

core::Result<core::Policy> ReadPolicy(const std::string& path) {
  Diagnostics diag;
  core::Policy policy;
  policy.file = path;
  auto docs = LoadDocuments(path, diag);
  if (!docs) return diag.ToStatus();
  if (docs->size() != 1) return core::Status::Error(path + ": a policy file holds exactly one document");
  Field root(&policy.file, docs->front());
  if (root.ExpectMap("policy", {"policy", "rules"}, diag)) {
    if (auto v = root.Get("policy")) {
      auto n = v->Integer("policy", diag);
      if (n && *n != 1)
        diag.Error(v->where(), "policy: this blastmap reads policy format 1, found " + std::to_string(*n));
    } else {
      diag.Error(root.where(), "'policy: 1' is required (the format version)");
    }
    std::set<std::string> ids;
    if (auto rules = root.Get("rules")) {
      for (const Field& item : rules->Items("rules", diag)) ReadRule(item, diag, ids, policy);
    } else {
      diag.Error(root.where(), "'rules' is required");
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return policy;
}

core::Result<PolicyFile> ReadPolicyFile(const std::string& path, const core::Taxonomy& taxonomy) {
  Diagnostics diag;
  auto docs = LoadDocuments(path, diag);
  if (!docs) return diag.ToStatus();
  // A Fides file lists its policies under `policy:` (a blastmap policy has `policy: 1`), or is some other
  // Fides resource file (then an error: it holds no policy).
  bool fides = std::any_of(docs->begin(), docs->end(), [](const YamlDocumentPtr& doc) {
    const YamlNode& d = doc->root();
    if (!d.IsMap()) return false;
    if (const YamlNode* policy = d.Find("policy")) return policy->IsSequence();
    return DetectFormat(d) == Format::kFides;
  });
  PolicyFile out;
  if (!fides) {
    auto review = ReadPolicy(path);
    if (!review.ok()) return review.status();
    out.review = review.take();
    return out;
  }
  out.fides = ReadFidesPolicyDocuments(path, *docs, taxonomy, diag);
  if (diag.has_errors()) return diag.ToStatus();
  out.warnings = diag.warnings();
  return out;
}

}  // namespace blastmap::importers
