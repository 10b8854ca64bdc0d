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
    int64_t max_nodes = -1;  // -1: the format's default
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
  AddMaxNodes(cmd, args->max_nodes);
  AddCommon(cmd, common, {"table", "json", "markdown", "html"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    args->options.discovered = common.discovered;
    auto result = engine.value()->Blast(args->seeds, args->options);
    if (!result.ok()) return void(code = Fail(result.status()));
    const auto& graph = engine.value()->graph();
    const bool json = common.format == "json";
    const size_t max_nodes = MaxNodes(args->max_nodes, common.format);
    // Streamed: a brief of 10^5 nodes with their paths is hundreds of megabytes of JSON or text.
    const auto to_stdout = [](std::string_view s) {
      std::cout.write(s.data(), static_cast<std::streamsize>(s.size()));
    };
    if (json) {
      query::WriteBlastJson(result.value(), max_nodes, to_stdout);
    } else if (common.format == "markdown") {
      query::WriteBlastMarkdown(result.value(), graph, nullptr, max_nodes, to_stdout);
    } else if (common.format == "html") {
      std::cout << query::BlastToHtml(result.value(), graph, nullptr, max_nodes);
    } else {  // table
      query::WriteBlastTable(result.value(), UseColor(common), max_nodes, to_stdout);
    }
    code = kOk;
  });
}

}  // namespace blastmap::cli
