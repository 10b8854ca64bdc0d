// What every blastmap subcommand shares: the common options, colour detection, error reporting and
// opening the engine. Each subcommand lives in its own cli/cmd_*.cc and registers itself in main.cc.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "query/engine.h"

namespace blastmap::cli {

// Exit codes (SPEC §6).
inline constexpr int kOk = 0;
inline constexpr int kFindings = 1;
inline constexpr int kInputError = 2;

struct Common {
  std::string db = "blastmap.db";
  int64_t snapshot = 0;          // 0: the latest
  std::string format = "table";  // set to the chosen subcommand's default by AddCommon
  std::string color = "auto";
  std::string at;           // --at DATE: the map as it was on that date
  std::string regulations;  // --regulations DIR: rules replacing the built-in ones
  std::string discovered;   // --discovered TIME: obligations get absolute due times
};

// Adds --db and --snapshot to `cmd`, and --format (one of `formats`; the first is the default) and --color
// when `formats` is not empty.
void AddCommon(CLI::App* cmd, Common& common, const std::vector<std::string>& formats = {});
// Adds --at DATE, --regulations DIR and --discovered TIME (for the queries that produce a brief).
void AddBriefOptions(CLI::App* cmd, Common& common);
// Adds --max-nodes N to a command that renders a brief (-1, the format's default, when not given).
void AddMaxNodes(CLI::App* cmd, int64_t& max_nodes);
// The compromised nodes a brief lists: as --max-nodes says, else all for json and 500 for the formats a
// person reads (table, markdown, html).
size_t MaxNodes(int64_t requested, const std::string& format);
// Colour on a terminal (unless NO_COLOR), or as --color says.
bool UseColor(const Common& common);
// Prints "blastmap: message" on stderr and returns kInputError.
int Fail(const core::Status& status);
// The engine over the store and snapshot that `common` names (as of --at), with the notification rules
// (built in, or --regulations) loaded.
// Lean unless `residency` says whole (query::Engine::Residency): a command that walks the whole model asks
// for it, rather than reading the graph's parts and then the model.
core::Result<std::unique_ptr<query::Engine>> OpenEngine(
    const Common& common, query::Engine::Residency residency = query::Engine::Residency::kLean);

// An engine over one side of a comparison: a manifest file or tree (imported in memory, never stored)
// when `side` is an existing path, else a snapshot id of the store `common` names.
core::Result<std::unique_ptr<query::Engine>> OpenSide(const std::string& side, const Common& common);

// Whether the command line's subcommand (its first argument that is not an option: the program takes no
// option before its subcommand but --version) allocates from many threads at a high rate, so that it keeps
// glibc's arena per thread rather than one for all (core::PreferHugePages): `import` (its parsing threads)
// and `serve` (its request threads; one arena halved its throughput under wrk's 64 connections).
bool ManyAllocatingThreads(int argc, char** argv);

// Registration of each subcommand: adds it to `app`; its callback stores the exit code in `code`.
void RegisterImport(CLI::App& app, Common& common, int& code);
void RegisterBlast(CLI::App& app, Common& common, int& code);
void RegisterShow(CLI::App& app, Common& common, int& code);
void RegisterSnapshots(CLI::App& app, Common& common, int& code);
void RegisterReplay(CLI::App& app, Common& common, int& code);
void RegisterRank(CLI::App& app, Common& common, int& code);
void RegisterWhoHolds(CLI::App& app, Common& common, int& code);
void RegisterPaths(CLI::App& app, Common& common, int& code);
void RegisterServe(CLI::App& app, Common& common, int& code);
void RegisterMinimise(CLI::App& app, Common& common, int& code);
void RegisterDiff(CLI::App& app, Common& common, int& code);
void RegisterCheck(CLI::App& app, Common& common, int& code);
void RegisterWhatIf(CLI::App& app, Common& common, int& code);
void RegisterExport(CLI::App& app, Common& common, int& code);
void RegisterQuery(CLI::App& app, Common& common, int& code);

}  // namespace blastmap::cli
