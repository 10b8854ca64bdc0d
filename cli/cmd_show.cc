// blastmap show ID and blastmap snapshots: looking at what is in the store.
#include <cstdio>
#include <iostream>

#include "cli/common.h"
#include "core/store.h"
#include "query/render.h"

namespace blastmap::cli {

void RegisterShow(CLI::App& app, Common& common, int& code) {
  auto id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("show", "One node: attributes, flows, access edges, held data, provenance");
  cmd->add_option("id", *id, "Node id")->required();
  AddCommon(cmd, common, {"table", "json"});
  cmd->callback([id, &common, &code] {
    auto engine = OpenEngine(common);
    if (!engine.ok()) return void(code = Fail(engine.status()));
    auto details = engine.value()->Show(*id);
    if (!details.ok()) return void(code = Fail(details.status()));
    std::cout << (common.format == "json" ? query::NodeToJson(details.value())
                                          : query::NodeToTable(details.value(), UseColor(common)));
    code = kOk;
  });
}

void RegisterSnapshots(CLI::App& app, Common& common, int& code) {
  auto* cmd = app.add_subcommand("snapshots", "List the snapshots in the store");
  AddCommon(cmd, common, {"table", "json"});
  cmd->callback([&common, &code] {
    auto store = core::Store::Open(common.db, /*read_only=*/true);
    if (!store.ok()) return void(code = Fail(store.status()));
    auto list = store.value()->ListSnapshots();
    if (!list.ok()) return void(code = Fail(list.status()));
    code = kOk;
    if (common.format == "json") return void(std::cout << query::SnapshotsToJson(list.value()));
    std::printf("%-4s  %-20s  %7s  %7s  %7s  %s\n", "ID", "CREATED (UTC)", "NODES", "FLOWS", "ACCESS",
                "SOURCE");
    for (const auto& s : list.value()) {
      std::printf("%-4lld  %-20s  %7lld  %7lld  %7lld  %s\n", static_cast<long long>(s.id),
                  s.created_at.c_str(), static_cast<long long>(s.nodes), static_cast<long long>(s.flows),
                  static_cast<long long>(s.accesses), s.source.c_str());
    }
    code = kOk;
  });
}

}  // namespace blastmap::cli
