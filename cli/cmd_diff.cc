// blastmap diff OLD NEW: what changed between two snapshots or manifest trees, and each vendor's
// blast-radius delta; --fail-on turns it into a CI gate (exit 1).
#include <iostream>

#include "cli/common.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterDiff(CLI::App& app, Common& common, int& code) {
  struct Args {
    std::string before, after, fail_on;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "diff",
      "What changed between two maps (each a snapshot id of --db or a manifest path) and each vendor's "
      "blast-radius delta");
  cmd->add_option("old", args->before, "Snapshot id or manifest file/directory")->required();
  cmd->add_option("new", args->after, "Snapshot id or manifest file/directory")->required();
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when: severity-increase (a vendor's level rises), new-restricted (a vendor newly "
                  "exposes restricted data) or any (anything changed)")
      ->check(CLI::IsMember({"severity-increase", "new-restricted", "any"}));
  AddCommon(cmd, common, {"table", "json"});
  cmd->callback([args, &common, &code] {
    auto before = OpenSide(args->before, common);
    if (!before.ok()) return void(code = Fail(before.status()));
    auto after = OpenSide(args->after, common);
    if (!after.ok()) return void(code = Fail(after.status()));
    auto label = [](const std::string& side) {
      return side.find_first_not_of("0123456789") == std::string::npos ? "snapshot " + side : side;
    };
    query::DiffResult result = query::DiffMaps(before.value()->graph(), after.value()->graph(),
                                               label(args->before), label(args->after));
    std::vector<std::string> failures;
    if (!args->fail_on.empty()) failures = query::GateFailures(result, *query::ParseFailOn(args->fail_on));
    std::cout << (common.format == "json" ? query::DiffToJson(result, failures)
                                          : query::DiffToTable(result, failures, UseColor(common)));
    code = failures.empty() ? kOk : kFindings;
  });
}

}  // namespace blastmap::cli
