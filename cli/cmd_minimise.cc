// blastmap minimise VENDOR --goal 'no ...': the fewest (flow, category) cuts that reach the goal.
#include <iostream>

#include "cli/common.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterMinimise(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string vendor, goal, cost = "cuts";
    query::BlastOptions blast;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "minimise",
      "The smallest set of (flow, category) cuts after which a vendor's compromise meets a goal "
      "(exit 1 when the goal cannot be met)");
  cmd->alias("minimize");
  cmd->add_option("vendor", args->vendor, "The node whose compromise to contain")->required();
  cmd->add_option("--goal", args->goal,
                  "What must not be exposed: 'no user.contact', 'no sensitivity >= restricted', "
                  "'no flags contains special_category'")
      ->required();
  cmd->add_option("--cost", args->cost, "Cost of a cut: cuts (each 1) or records (what the flow carries)")
      ->check(CLI::IsMember({"cuts", "records"}))
      ->capture_default_str();
  cmd->add_option("--min-likelihood", args->blast.min_likelihood, "As for blast")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->blast.max_depth, "As for blast")->check(CLI::NonNegativeNumber);
  AddCommon(cmd, common, {"table", "json"});
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common, query::Engine::Residency::kWhole);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto result =
        engine.value()->Minimise(args->vendor, args->goal, args->blast,
                                 args->cost == "records" ? query::CutCost::kRecords : query::CutCost::kCuts);
    if (!result.ok()) return void(code = Fail(result.status()));
    std::cout << (common.format == "json" ? query::MinimiseToJson(result.value())
                                          : query::MinimiseToTable(result.value(), UseColor(common)));
    code = result.value().achievable ? kOk : kFindings;
  });
}

}  // namespace blastmap::cli
