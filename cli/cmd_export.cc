// blastmap export: the map, a neighbourhood or a highlighted blast radius as dot, graphml, mermaid, json or
// csv.
#include <iostream>

#include "cli/common.h"
#include "query/export.h"

namespace blastmap::cli {

void RegisterExport(CLI::App& app, Common& common, int& code) {
  struct Args {
    query::ExportOptions options;
    std::string edges = "both";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export",
                                 "Export the map (or a neighbourhood, or a highlighted blast radius) "
                                 "for Graphviz, graph tools, Mermaid, JSON or CSV");
  cmd->add_option("--around", args->options.around, "Only this node and its neighbours");
  cmd->add_option("--depth", args->options.depth, "Neighbourhood radius, in edges")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd->add_option("--blast", args->options.blast,
                  "Highlight the blast radius of these nodes (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--edges", args->edges, "Which edges: flows, access or both")
      ->check(CLI::IsMember({"flows", "access", "both"}))
      ->capture_default_str();
  AddCommon(cmd, common, {"dot", "graphml", "mermaid", "json", "csv"});
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common, query::Engine::Residency::kWhole);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    args->options.flows = args->edges != "access";
    args->options.access = args->edges != "flows";
    auto out =
        query::ExportGraph(engine.value()->graph(), *query::ParseExportFormat(common.format), args->options);
    if (!out.ok()) return void(code = Fail(out.status()));
    std::cout << out.value();
    code = kOk;
  });
}

}  // namespace blastmap::cli
