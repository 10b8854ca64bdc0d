// blastmap_bench touch DB SEEDS [--limit N] [--persist]: each of the first N seeds' briefs (default 30)
// taken as Engine::Blast takes it, bracketed for callgrind, so that its cache simulator counts what each
// brief touches: the distinct pages of data and of code (and cache lines, and instructions) with a last
// level of 4 KiB lines that starts empty for each brief. With --persist the simulated caches are kept from
// brief to brief (32 MiB of pages): what a brief touches that the briefs before it did not, its own rows
// rather than the code and tables every brief shares. Unlike a clock on this kind of host (where a system
// call empties the TLB and every page a brief touches then costs a page walk), the count is the same from
// run to run. bench/touched_pages.py runs it under valgrind and sums the counts up per function; run
// outside valgrind, the mode only takes the briefs.
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/warm_engine.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BLASTMAP_CALLGRIND 1
#else  // valgrind's headers are not installed: the mode runs, but nothing is counted
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name) (void)(name)
#define BLASTMAP_CALLGRIND 0
#endif

namespace blastmap::bench {

int RunTouchedPages(const std::string& db_path, const std::vector<std::string>& seeds, size_t limit,
                    bool persist) {
  const std::unique_ptr<query::Engine> engine = OpenWarmEngine(db_path);
  if (!engine) return 1;
  const query::Engine& e = *engine;
  // The first briefs of a process build the per-thread buffers a brief reuses: not counted.
  constexpr size_t kWarm = 3;
  for (size_t i = 0; i < std::min(kWarm, seeds.size()); ++i) (void)e.Blast({seeds[i]});
  Json out;
  out.Add("mode", std::string("touch"));
  out.Add("callgrind", static_cast<int64_t>(BLASTMAP_CALLGRIND));
  out.Add("persist", persist);
  std::vector<std::string> ids;
  std::vector<int64_t> nodes;
  if (persist) CALLGRIND_START_INSTRUMENTATION;
  for (size_t i = kWarm; i < seeds.size() && i < kWarm + limit; ++i) {
    // Switching instrumentation on empties callgrind's simulated caches: each brief starts cold.
    if (!persist) CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
    auto r = e.Blast({seeds[i]});
    if (!r.ok()) return Die(r.status().message());
    const size_t compromised = r.value().compromised.size();  // a line the brief just wrote
    { auto gone = std::move(r); }  // freeing the brief is part of its cost, as in `cold`
    CALLGRIND_DUMP_STATS_AT(seeds[i].c_str());
    if (!persist) CALLGRIND_STOP_INSTRUMENTATION;
    ids.push_back(seeds[i]);
    nodes.push_back(static_cast<int64_t>(compromised));
  }
  // In dump order: the seed of each dump and its brief's compromised nodes.
  std::string list;
  for (size_t k = 0; k < ids.size(); ++k) list += (k ? " " : "") + ids[k] + ":" + std::to_string(nodes[k]);
  out.Add("briefs", list);
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
