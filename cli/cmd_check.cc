// blastmap check [--policy FILE] [--fides-key KEY] [MANIFESTS]: evaluates a review policy and the Fides
// policies (of the map, or in a Fides policy file); exit 1 on an error-level violation.
#include <algorithm>
#include <iostream>

#include "cli/common.h"
#include "core/text.h"
#include "importers/policy_reader.h"
#include "query/render.h"

namespace blastmap::cli {
namespace {

struct CheckArgs {
  std::string policy, fides_key, manifests;
};

// The Fides policies to evaluate: the map's, those of a Fides policy file (replacing a map policy of the
// same fides_key, as `fides evaluate` prefers local policies), narrowed to --fides-key.
core::Result<std::vector<core::FidesPolicy>> FidesPolicies(const core::Model& model,
                                                           std::vector<core::FidesPolicy> from_file,
                                                           const std::string& only) {
  std::vector<core::FidesPolicy> out = model.fides_policies;
  for (auto& p : from_file) {
    auto same =
        std::find_if(out.begin(), out.end(), [&](const auto& q) { return q.fides_key == p.fides_key; });
    if (same != out.end()) {
      std::cerr << p.where.ToString() << ": warning: Fides policy '" << p.fides_key
                << "' replaces the map's (" << same->where.ToString() << ")\n";
      *same = std::move(p);
    } else {
      out.push_back(std::move(p));
    }
  }
  if (only.empty()) return out;
  std::vector<std::string> keys;
  for (const auto& p : out) keys.push_back(p.fides_key);
  auto it = std::find(keys.begin(), keys.end(), only);
  if (it == keys.end()) {
    return core::Status::Error(
        "--fides-key: no Fides policy '" + only + "'" +
        (keys.empty() ? " (the map has no Fides policy)" : core::DidYouMean(only, keys)));
  }
  return std::vector<core::FidesPolicy>{out[static_cast<size_t>(it - keys.begin())]};
}

int Check(const CheckArgs& args, const Common& common) {
  auto engine = args.manifests.empty() ? OpenEngine(common, query::Engine::Residency::kWhole) : OpenSide(args.manifests, common);
  if (!engine.ok()) return Fail(engine.status());
  const core::Graph& graph = engine.value()->graph();
  query::CheckResult result;
  std::vector<core::FidesPolicy> from_file;
  std::vector<std::string> sources;
  if (!args.policy.empty()) {
    auto file = importers::ReadPolicyFile(args.policy, graph.taxonomy());
    if (!file.ok()) return Fail(file.status());
    for (const auto& w : file.value().warnings) std::cerr << w << "\n";
    if (file.value().review) {
      auto checked = query::CheckPolicy(graph, *file.value().review);
      if (!checked.ok()) return Fail(checked.status());
      result = checked.take();
    } else {
      from_file = std::move(file.value().fides);
    }
    sources.push_back(args.policy);
  }
  auto fides = FidesPolicies(graph.model(), std::move(from_file), args.fides_key);
  if (!fides.ok()) return Fail(fides.status());
  if (args.policy.empty() && fides.value().empty()) {
    return Fail(core::Status::Error(
        "nothing to check: give --policy FILE (a blastmap policy or a Fides policy file), or check a map "
        "imported from a Fides tree with policy resources (a snapshot imported before blastmap stored them "
        "needs a re-import)"));
  }
  if (!fides.value().empty()) {
    if (graph.model().declarations.empty()) {
      std::cerr << "warning: the map has no Fides privacy declarations; Fides policies evaluate privacy "
                   "declarations, so none can fail\n";
    }
    query::CheckFidesPolicies(graph, fides.value(), result);
    std::string keys;
    for (const auto& p : fides.value()) keys += (keys.empty() ? "" : ", ") + p.fides_key;
    sources.push_back("Fides " + keys);
  }
  result.policy_file.clear();
  for (const auto& s : sources) result.policy_file += (result.policy_file.empty() ? "" : " + ") + s;
  if (common.format == "json") {
    std::cout << query::CheckToJson(result);
  } else if (common.format == "sarif") {
    std::cout << query::CheckToSarif(result, "0.1.0");
  } else {
    std::cout << query::CheckToTable(result, UseColor(common));
  }
  return result.errors() > 0 ? kFindings : kOk;
}

}  // namespace

void RegisterCheck(CLI::App& app, Common& common, int& code) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd =
      app.add_subcommand("check",
                         "Evaluate a review policy (docs/policy.md) and the Fides policies "
                         "(docs/importers/fides.md) on the map; exit 1 on a violation at level error");
  cmd->add_option("--policy", args->policy,
                  "A policy file: a blastmap policy (YAML or JSON) or a Fides resource file of policies");
  cmd->add_option(
      "--fides-key", args->fides_key,
      "Evaluate only this Fides policy (of the map or the --policy file), as fides evaluate does");
  cmd->add_option("manifests", args->manifests,
                  "Check these manifests (file or directory, imported in memory) instead of the store");
  AddCommon(cmd, common, {"text", "json", "sarif"});
  cmd->callback([args, &common, &code] { code = Check(*args, common); });
}

}  // namespace blastmap::cli
