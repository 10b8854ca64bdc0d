// blastmap replay INCIDENT: a historical incident of the library mapped onto this map, with the brief
// and the comparison with what really leaked.
#include <iostream>

#include "cli/common.h"
#include "importers/import.h"
#include "query/render.h"
#include "query/text_table.h"

namespace blastmap::cli {

void RegisterReplay(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string incident;
    bool list = false;
    bool at_incident = false;
    query::BlastOptions options;
    int64_t max_nodes = -1;  // -1: the format's default
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "replay", "What would a historical incident (datasets/incidents) have exposed here? --list shows them");
  cmd->add_option("incident", args->incident,
                  "Incident name (e.g. mixpanel-2025, the file name without extension) or an incident file");
  cmd->add_flag("--list", args->list, "List the incident library and exit");
  cmd->add_flag("--at-incident", args->at_incident,
                "Evaluate the map as it was on the incident's date (like --at DATE)");
  cmd->add_option("--min-likelihood", args->options.min_likelihood,
                  "Ignore access paths less likely than this (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->options.max_depth, "Longest access path to follow, in edges")
      ->check(CLI::NonNegativeNumber);
  AddMaxNodes(cmd, args->max_nodes);
  AddCommon(cmd, common, {"table", "json", "markdown", "html"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    if (args->list) {
      auto library = importers::LoadIncidentLibrary();
      if (!library.ok()) return void(code = Fail(library.status()));
      for (const auto& in : library.value()) {
        std::cout << in.id << "  " << in.date << "  " << query::TerminalSafe(in.name) << "\n";
      }
      return void(code = kOk);
    }
    if (args->incident.empty()) {
      return void(code = Fail(core::Status::Error("name an incident (blastmap replay --list shows them)")));
    }
    auto incident = importers::LoadIncident(args->incident);
    if (!incident.ok()) return void(code = Fail(incident.status()));
    Common dated = common;
    if (args->at_incident) dated.at = incident.value().date;
    auto engine = OpenEngine(dated);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    args->options.discovered = common.discovered;
    auto replay = engine.value()->Replay(incident.value(), args->options);
    if (!replay.ok()) return void(code = Fail(replay.status()));
    const auto& r = replay.value();
    const auto& graph = engine.value()->graph();
    const size_t max_nodes = MaxNodes(args->max_nodes, common.format);
    std::cout << (common.format == "json"       ? query::ReplayToJson(r, max_nodes)
                  : common.format == "markdown" ? query::BlastToMarkdown(r.brief, graph, &r, max_nodes)
                  : common.format == "html"     ? query::BlastToHtml(r.brief, graph, &r, max_nodes)
                                                : query::ReplayToTable(r, UseColor(common), max_nodes));
    code = kOk;
  });
}

}  // namespace blastmap::cli
