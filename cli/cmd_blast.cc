// blastmap blast SEEDS...: the incident brief for a joint compromise, as a table, JSON, or a report to
// send (Markdown, self-contained HTML).
#include <iostream>

#include "cli/common.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterBlast(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::vector<std::string> seeds;
    query::BlastOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "blast", "The incident brief: what compromising these nodes (jointly) exposes, how, and how badly");
  cmd->add_option("seeds", args->seeds, "Node ids compromised together")->required();
  cmd->add_option("--min-likelihood", args->options.min_likelihood,
                  "Ignore access paths less likely than this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->options.max_depth, "Longest access path to follow, in edges")
      ->check(CLI::NonNegativeNumber);
  AddCommon(cmd, common, {"table", "json", "markdown", "html"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    args->options.discovered = common.discovered;
    auto result = engine.value()->Blast(args->seeds, args->options);
    if (!result.ok()) return void(code = Fail(result.status()));
    const auto& graph = engine.value()->graph();
    std::cout << (common.format == "json"       ? query::BlastToJson(result.value())
                  : common.format == "markdown" ? query::BlastToMarkdown(result.value(), graph)
                  : common.format == "html"     ? query::BlastToHtml(result.value(), graph)
                                                : query::BlastToTable(result.value(), UseColor(common)));
    code = kOk;
  });
}

}  // namespace blastmap::cli
