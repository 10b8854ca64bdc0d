#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "importers/import.h"

namespace blastmap::cli {
namespace {

// A person reading a brief in a terminal or a report wants its totals and first nodes, not 60,000 rows.
constexpr int64_t kDefaultMaxNodes = 500;

}  // namespace

void AddCommon(CLI::App* cmd, Common& common, const std::vector<std::string>& formats) {
  cmd->add_option("--db", common.db, "The store file")->capture_default_str();
  cmd->add_option("--snapshot", common.snapshot, "Snapshot to query (default: the latest)")
      ->check(CLI::PositiveNumber);
  if (formats.empty()) return;
  // Every subcommand shares `common`, so each sets its own default format when it is the one chosen
  // (before its arguments are read), never at registration, where the last to register would win for all.
  const std::string default_format = formats.front();
  cmd->preparse_callback([&common, default_format](size_t) { common.format = default_format; });
  cmd->add_option("--format", common.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->default_str(default_format);
  cmd->add_option("--color", common.color, "Colour in tables: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

void AddBriefOptions(CLI::App* cmd, Common& common) {
  cmd->add_option("--at", common.at,
                  "Evaluate the map as it was on this date (YYYY-MM-DD): vendors' and flows' active windows");
  cmd->add_option("--regulations", common.regulations,
                  "Directory of notification rules replacing the built-in ones (docs/obligations.md)");
  cmd->add_option(
      "--discovered", common.discovered,
      "When the breach was discovered (UTC, YYYY-MM-DD[THH:MM]): obligations get absolute due times");
}

void AddMaxNodes(CLI::App* cmd, int64_t& max_nodes) {
  cmd->add_option(
         "--max-nodes", max_nodes,
         "List at most this many compromised nodes, most likely first (0: all). Default: all for json, " +
             std::to_string(kDefaultMaxNodes) + " for table, markdown and html")
      ->check(CLI::NonNegativeNumber);
}

size_t MaxNodes(int64_t requested, const std::string& format) {
  if (requested >= 0) return static_cast<size_t>(requested);
  return format == "json" ? 0 : static_cast<size_t>(kDefaultMaxNodes);
}

bool UseColor(const Common& common) {
  if (common.color == "always") return true;
  if (common.color == "never") return false;
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

int Fail(const core::Status& status) {
  std::cerr << "blastmap: " << status.message() << "\n";
  return kInputError;
}

bool ManyAllocatingThreads(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with('-')) return arg == "import" || arg == "serve";
  }
  return false;
}

core::Result<std::unique_ptr<query::Engine>> OpenEngine(const Common& common,
                                                        query::Engine::Residency residency) {
  std::optional<int64_t> snapshot;
  if (common.snapshot > 0) snapshot = common.snapshot;
  auto engine = query::Engine::Open(common.db, snapshot, common.at, residency);
  if (!engine.ok()) return engine;
  auto rules = common.regulations.empty() ? importers::LoadDefaultRegulations()
                                          : importers::LoadRegulationDir(common.regulations);
  if (!rules.ok())
    return core::Status::Error("the notification rules are invalid:\n" + rules.status().message());
  engine.value()->set_rules(rules.take());
  return engine;
}

core::Result<std::unique_ptr<query::Engine>> OpenSide(const std::string& side, const Common& common) {
  std::error_code ec;
  if (std::filesystem::exists(side, ec)) {
    auto imported = importers::ImportPath(side);
    if (!imported.ok()) return imported.status();
    return query::Engine::FromModel(imported.take().model);
  }
  if (!side.empty() && side.find_first_not_of("0123456789") == std::string::npos) {
    return query::Engine::Open(common.db, std::stoll(side), "", query::Engine::Residency::kWhole);
  }
  return core::Status::Error("'" + side + "' is neither a manifest path nor a snapshot id of " + common.db);
}

}  // namespace blastmap::cli
