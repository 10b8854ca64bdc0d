// blastmap what-if OVERLAY --blast SEEDS: the brief before and after an overlay of edits applied in
// memory (docs/what-if.md), and the delta. The store is opened read-only and never written.
#include <iostream>

#include "cli/common.h"
#include "importers/overlay_reader.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterWhatIf(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string overlay;
    std::vector<std::string> seeds;
    query::BlastOptions blast;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "what-if",
      "Apply an overlay of edits in memory (never to the store) and compare a blast radius before and after");
  cmd->add_option("overlay", args->overlay, "The overlay file (YAML or JSON, docs/what-if.md)")->required();
  cmd->add_option("--blast", args->seeds, "Node ids compromised together (repeat, or separate with commas)")
      ->required()
      ->delimiter(',');
  cmd->add_option("--min-likelihood", args->blast.min_likelihood, "As for blast")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->blast.max_depth, "As for blast")->check(CLI::NonNegativeNumber);
  AddCommon(cmd, common, {"table", "json"});
  cmd->callback([args, &common, &code] {
    auto overlay = importers::ReadOverlayFile(args->overlay);
    if (!overlay.ok()) return void(code = Fail(overlay.status()));
    auto engine = OpenEngine(common, query::Engine::Residency::kWhole);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto result = engine.value()->WhatIf(overlay.value(), args->seeds, args->blast);
    if (!result.ok()) return void(code = Fail(result.status()));
    std::cout << (common.format == "json" ? query::WhatIfToJson(result.value())
                                          : query::WhatIfToTable(result.value(), UseColor(common)));
    code = kOk;
  });
}

}  // namespace blastmap::cli
