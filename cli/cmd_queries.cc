// blastmap rank, who-holds and paths: the questions beyond one incident.
#include <iostream>

#include "cli/common.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterRank(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string by = "severity", kind = "vendor";
    size_t limit = 0;
    query::BlastOptions blast;
    bool fourth_parties = false;
    int min_vendors = 2;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("rank", "Rank vendors (or any nodes) by how bad their compromise would be");
  cmd->add_flag("--fourth-parties", args->fourth_parties,
                "Rank sub-processors instead: by how many of our vendors send them data, weighted by the "
                "severity of that data, with the vendors behind each");
  cmd->add_option("--min-vendors", args->min_vendors,
                  "With --fourth-parties: only sub-processors that at least this many vendors rely on")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--by", args->by,
                  "Metric: severity, records, restricted (categories), reach (controlled nodes)")
      ->check(CLI::IsMember({"severity", "records", "restricted", "reach"}))
      ->capture_default_str();
  cmd->add_option("--kind", args->kind, "Which nodes to rank: vendor, system or all")
      ->check(CLI::IsMember({"vendor", "system", "all"}))
      ->capture_default_str();
  cmd->add_option("--limit", args->limit, "Show only the first N");
  cmd->add_option("--min-likelihood", args->blast.min_likelihood, "As for blast")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->blast.max_depth, "As for blast")->check(CLI::NonNegativeNumber);
  AddCommon(cmd, common, {"table", "json"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common, query::Engine::Residency::kLean);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    if (args->fourth_parties) {
      auto rows = engine.value()->Concentration(args->min_vendors);
      if (args->limit > 0 && rows.size() > args->limit) rows.resize(args->limit);
      std::cout << (common.format == "json" ? query::ConcentrationToJson(rows)
                                            : query::ConcentrationToTable(rows, UseColor(common)));
      return void(code = kOk);
    }
    query::RankOptions options;
    options.by = *query::ParseRankMetric(args->by);
    options.kind = args->kind == "all" ? std::nullopt : core::ParseNodeKind(args->kind);
    options.limit = args->limit;
    options.blast = args->blast;
    auto result = engine.value()->Rank(options);
    std::cout << (common.format == "json" ? query::RankToJson(result)
                                          : query::RankToTable(result, UseColor(common)));
    code = kOk;
  });
}

void RegisterWhoHolds(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string category;
    query::WhoHoldsOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "who-holds",
      "Every node holding a category (or a parent or child of it), and the vendors that would expose it");
  cmd->add_option("category", args->category, "Category key, e.g. user.contact.email")->required();
  cmd->add_option("--max-via", args->options.max_via,
                  "List at most this many of the holders each vendor exposes (0: all); all are counted")
      ->capture_default_str();
  cmd->add_option("--min-likelihood", args->options.blast.min_likelihood, "As for blast")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-depth", args->options.blast.max_depth, "As for blast")
      ->check(CLI::NonNegativeNumber);
  AddCommon(cmd, common, {"table", "json"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto result = engine.value()->WhoHolds(args->category, args->options);
    if (!result.ok()) return void(code = Fail(result.status()));
    std::cout << (common.format == "json" ? query::WhoHoldsToJson(result.value())
                                          : query::WhoHoldsToTable(result.value(), UseColor(common)));
    code = kOk;
  });
}

void RegisterPaths(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string from, to, edges = "both";
    query::PathOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("paths", "Flow and access paths from one node to another, shortest first");
  cmd->add_option("from", args->from, "Start node id")->required();
  cmd->add_option("to", args->to, "End node id")->required();
  cmd->add_option("--edges", args->edges, "Follow flows, access edges or both")
      ->check(CLI::IsMember({"flows", "access", "both"}))
      ->capture_default_str();
  cmd->add_option("--limit", args->options.limit, "At most this many paths")->capture_default_str();
  cmd->add_option("--max-length", args->options.max_length, "Longest path, in edges")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  AddCommon(cmd, common, {"table", "json"});
  AddBriefOptions(cmd, common);
  cmd->callback([args, &common, &code] {
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    args->options.edges = args->edges == "flows"    ? query::PathEdges::kFlows
                          : args->edges == "access" ? query::PathEdges::kAccess
                                                    : query::PathEdges::kBoth;
    auto result = engine.value()->Paths(args->from, args->to, args->options);
    if (!result.ok()) return void(code = Fail(result.status()));
    std::cout << (common.format == "json" ? query::PathsToJson(result.value())
                                          : query::PathsToTable(result.value(), UseColor(common)));
    code = kOk;
  });
}

}  // namespace blastmap::cli
