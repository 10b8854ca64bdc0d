// blastmap check --policy FILE [MANIFESTS]: evaluates a review policy; exit 1 on an error-level violation.
#include <iostream>

#include "cli/common.h"
#include "importers/policy_reader.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterCheck(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string policy, manifests;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "check", "Evaluate a review policy (docs/policy.md) on the map; exit 1 on a violation at level error");
  cmd->add_option("--policy", args->policy, "The policy file (YAML or JSON)")->required();
  cmd->add_option("manifests", args->manifests,
                  "Check these manifests (file or directory, imported in memory) instead of the store");
  AddCommon(cmd, common, {"text", "json", "sarif"});
  common.format = "text";
  cmd->callback([args, &common, &code] {
    auto policy = importers::ReadPolicy(args->policy);
    if (!policy.ok()) return void(code = Fail(policy.status()));
    auto engine = args->manifests.empty() ? OpenEngine(common) : OpenSide(args->manifests, common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto result = query::CheckPolicy(engine.value()->graph(), policy.value());
    if (!result.ok()) return void(code = Fail(result.status()));
    if (common.format == "json") {
      std::cout << query::CheckToJson(result.value());
    } else if (common.format == "sarif") {
      std::cout << query::CheckToSarif(result.value(), "0.1.0");
    } else {
      std::cout << query::CheckToTable(result.value(), UseColor(common));
    }
    code = result.value().errors() > 0 ? kFindings : kOk;
  });
}

}  // namespace blastmap::cli
