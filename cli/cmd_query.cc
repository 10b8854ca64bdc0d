// blastmap query: runs query-language statements (docs/query-language.md) from -e or a script file.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"
#include "query/render.h"

namespace blastmap::cli {

std::string RenderQuery(const std::vector<query::lang::Table>& tables, const Common& common) {
  if (common.format == "json") return query::QueryToJson(tables);
  if (common.format == "csv") return query::QueryToCsv(tables);
  if (common.format == "markdown") return query::QueryToMarkdown(tables);
  return query::QueryToTable(tables, UseColor(common));
}

void RegisterQuery(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string expression, file;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("query",
                                 "Run query-language statements: blastmap query -e 'vendors where dpa = no' "
                                 "or -f review.bmq (grammar: docs/query-language.md)");
  auto* e = cmd->add_option("-e,--expression", args->expression, "Statements to run");
  auto* f = cmd->add_option("-f,--file", args->file, "A script of statements ('#' comments)");
  e->excludes(f);
  AddCommon(cmd, common, {"table", "json", "csv", "markdown"});
  cmd->callback([args, &common, &code] {
    std::string text = args->expression, name = "query";
    if (!args->file.empty()) {
      std::ifstream in(args->file, std::ios::binary);
      if (!in) return void(code = Fail(core::Status::Error("cannot read " + args->file)));
      std::stringstream buf;
      buf << in.rdbuf();
      text = buf.str();
      name = args->file;
    } else if (args->expression.empty()) {
      return void(code = Fail(core::Status::Error("give statements with -e '...' or a script with -f FILE")));
    }
    auto engine = OpenEngine(common, query::Engine::Residency::kWhole);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto tables = engine.value()->Query(text, name);
    if (!tables.ok()) return void(code = Fail(tables.status()));
    std::cout << RenderQuery(tables.value(), common);
    code = kOk;
  });
}

}  // namespace blastmap::cli
