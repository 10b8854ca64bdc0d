// blastmap_bench memory DB SEEDS [--arenas N] [--whole]: where the engine's peak memory comes from. The
// engine's life as `blastmap_bench engine` lives it (open the store's latest snapshot lean, Warm, every
// seed's brief, rank every vendor; with --whole: read the whole model, then build the graph), with the heap
// in use, the resident set and the process's peak (VmHWM) after each phase; then the memos' own sizes,
// measured by building a second copy of each at the end (so that the copies do not raise the peaks above).
// With `--arenas 1` (glibc's M_ARENA_MAX) every thread allocates from the main arena, which mallinfo2 reads:
// the heap figures then count every thread's allocations.
#include <malloc.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/graph.h"
#include "core/store.h"
#include "query/brief_memo.h"
#include "query/engine.h"
#include "query/rank.h"
#include "query/rank_shared.h"

namespace blastmap::bench {
namespace {

// The process's peak resident set so far (VmHWM), in MiB.
double HighWaterMb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

}  // namespace

int RunMemoryPhases(const std::string& db_path, const std::vector<std::string>& seeds, int arenas,
                    bool whole) {
  if (arenas > 0) mallopt(M_ARENA_MAX, arenas);
  Json out, phases;
  out.Add("mode", std::string("memory"));
  out.Add("arenas", static_cast<int64_t>(arenas));
  // heap (in use, MiB), rss (MiB) and the peak so far (MiB) after a phase.
  auto mark = [&](const std::string& phase) {
    Json p;
    p.Add("heap", HeapInUseMb());
    p.Add("rss", CurrentRssMb());
    p.Add("hwm", HighWaterMb());
    phases.Add(phase, p);
  };
  mark("start");
  core::Result<std::unique_ptr<query::Engine>> engine = core::Status::Error("not opened");
  if (whole) {
    auto store = core::Store::Open(db_path, /*read_only=*/true);
    if (!store.ok()) return std::cerr << store.status().message() << "\n", 2;
    auto latest = store.value()->LatestSnapshot();
    if (!latest.ok()) return std::cerr << latest.status().message() << "\n", 2;
    auto model = store.value()->LoadSnapshot(latest.value());
    if (!model.ok()) return std::cerr << model.status().message() << "\n", 2;
    store.value().reset();
    mark("model");
    engine = query::Engine::FromModel(model.take(), latest.value());
  } else {
    engine = query::Engine::Open(db_path, std::nullopt);
  }
  if (!engine.ok()) return std::cerr << engine.status().message() << "\n", 2;
  const query::Engine& e = *engine.value();
  mark("graph");
  e.Warm();
  mark("warm");
  size_t done = 0;
  for (const auto& seed : seeds) done += e.Blast({seed}).ok();
  mark("briefs");
  query::RankResult rank = e.Rank();
  mark("rank");
  out.Add("briefs", static_cast<int64_t>(done));
  out.Add("ranked", static_cast<int64_t>(rank.candidates));
  out.Add("rank_rows_mb", static_cast<double>(rank.rows.capacity() * sizeof(query::RankRow)) / 1048576.0);
  rank = {};
  mark("rank_freed");
  double graph_mib = 0;
  for (const auto& [part, bytes] : e.graph().HeapParts()) graph_mib += bytes / 1048576.0;
  out.Add("graph_arrays_mb", graph_mib);
  // The memos' sizes: second copies, built with the engine's idle search workspaces (as Warm built them).
  double before = HeapInUseMb();
  auto brief = std::make_shared<const query::BriefMemos>(query::BriefMemos::Build(e.graph()));
  out.Add("brief_memos_mb", HeapInUseMb() - before);
  before = HeapInUseMb();
  auto rank_memos = query::BuildRankMemos(e.graph(), 0, nullptr, brief.get());
  out.Add("rank_memos_mb", HeapInUseMb() - before);
  out.Add("phases", phases);
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
