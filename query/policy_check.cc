#include "query/policy_check.h"

#include <algorithm>
#include <set>

#include "query/lang/evaluator.h"
#include "query/lang/parser.h"
#include "query/text_table.h"

namespace blastmap::query {
namespace {

// A parsed filter (null when the policy gave none), checked against the rows it will filter.
core::Result<lang::ExprPtr> Compile(const core::PolicyFilter& f, const lang::Table& rows,
                                    const core::Taxonomy& t, const std::string& file) {
  if (f.text.empty()) return lang::ExprPtr();
  // Pad the text to its place in the policy file, so that the parser's positions are the file's.
  std::string placed(f.where.line > 0 ? f.where.line - 1 : 0, '\n');
  placed += std::string(f.where.col > 0 ? f.where.col - 1 : 0, ' ') + f.text;
  auto expr = lang::ParseFilter(file, placed);
  if (!expr.ok()) return expr.status();
  auto ok = lang::CheckFilter(*expr.value(), rows, t, file);
  if (!ok.ok()) return ok;
  return expr.value();
}

bool Passes(const lang::ExprPtr& e, const lang::Table& rows, size_t row, const core::Taxonomy& t) {
  return e == nullptr || lang::Matches(*e, rows, row, t);
}

std::string Label(const core::PolicyRule& rule) {
  return rule.description.empty() ? "" : " (" + rule.description + ")";
}

}  // namespace

size_t CheckResult::errors() const {
  return static_cast<size_t>(std::count_if(violations.begin(), violations.end(),
                                           [](const Violation& v) { return v.level == "error"; }));
}

core::Result<CheckResult> CheckPolicy(const core::Graph& g, const core::Policy& policy) {
  const core::Taxonomy& t = g.taxonomy();
  const core::Model& m = g.model();
  CheckResult result;
  result.policy_file = policy.file;
  for (const auto& r : policy.rules) result.rules.push_back({r.id, r.description, r.level});
  bool any_blast = std::any_of(policy.rules.begin(), policy.rules.end(), [](const core::PolicyRule& r) {
    return r.kind == core::PolicyRule::Kind::kBlast || r.where.text.find("severity") != std::string::npos ||
           r.where.text.find("level") != std::string::npos;
  });
  // Node rows are indexed like the graph (every node, in index order).
  lang::Table nodes = lang::NodeTable(g, std::nullopt, any_blast);
  std::vector<int> all(t.size());
  for (int c = 0; c < static_cast<int>(t.size()); ++c) all[c] = c;
  lang::Table categories = lang::CategoryTable(t, all);

  for (const auto& rule : policy.rules) {
    auto add = [&](std::string message, const core::Provenance& where) {
      result.violations.push_back({rule.id, rule.level, std::move(message), where, std::nullopt});
    };
    switch (rule.kind) {
      case core::PolicyRule::Kind::kFlows: {
        auto from = Compile(rule.from, nodes, t, policy.file);
        if (!from.ok()) return from.status();
        auto to = Compile(rule.to, nodes, t, policy.file);
        if (!to.ok()) return to.status();
        auto carrying = Compile(rule.carrying, categories, t, policy.file);
        if (!carrying.ok()) return carrying.status();
        for (uint32_t f = 0; f < m.flows.size(); ++f) {
          uint32_t u = g.FlowSource(f), v = g.FlowTarget(f);
          if (!Passes(from.value(), nodes, u, t) || !Passes(to.value(), nodes, v, t)) continue;
          // A "*" flow carries whatever its source holds.
          const std::vector<int> carried =
              m.flows[f].forwards_all ? g.Held(u).Indices() : g.FlowCategories(f).Indices();
          std::vector<std::string> bad;
          for (int c : carried) {
            if (Passes(carrying.value(), categories, c, t)) bad.push_back(t.at(c).key);
          }
          if (bad.empty()) continue;
          add("flow " + m.flows[f].from + " -> " + m.flows[f].to + (m.flows[f].forwards_all ? " (*)" : "") +
                  " carries " + Join(bad, ", ", 5) + Label(rule),
              m.flows[f].where);
        }
        break;
      }
      case core::PolicyRule::Kind::kNodes: {
        auto where = Compile(rule.where, nodes, t, policy.file);
        if (!where.ok()) return where.status();
        for (uint32_t v = 0; v < g.node_count(); ++v) {
          const core::Node& n = g.node(v);
          if (std::find(rule.except.begin(), rule.except.end(), n.id) != rule.except.end()) continue;
          if (!Passes(where.value(), nodes, v, t)) continue;
          add(std::string(core::NodeKindName(n.kind)) + " " + n.id + " matches: " + rule.where.text +
                  Label(rule),
              n.where);
        }
        break;
      }
      case core::PolicyRule::Kind::kBlast: {
        core::PolicyFilter which = rule.where;
        if (which.text.empty()) which.text = "kind = vendor";
        auto where = Compile(which, nodes, t, policy.file);
        if (!where.ok()) return where.status();
        int level_col = nodes.Column("level"), score_col = nodes.Column("severity");
        int threshold = lang::ScaleRank(lang::Value::Scale::kLevel, rule.at_least);
        for (uint32_t v = 0; v < g.node_count(); ++v) {
          const core::Node& n = g.node(v);
          if (std::find(rule.except.begin(), rule.except.end(), n.id) != rule.except.end()) continue;
          if (!Passes(where.value(), nodes, v, t)) continue;
          const std::string& level = nodes.rows[v][level_col].text;
          if (lang::ScaleRank(lang::Value::Scale::kLevel, level) < threshold) continue;
          add(std::string(core::NodeKindName(n.kind)) + " " + n.id + " has blast severity " + level + " (" +
                  nodes.rows[v][score_col].ToString() + "), at least " + rule.at_least + Label(rule),
              n.where);
        }
        break;
      }
    }
  }
  return result;
}

}  // namespace blastmap::query
