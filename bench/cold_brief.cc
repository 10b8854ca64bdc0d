// blastmap_bench cold DB SEEDS [--evict MB] [--max-nodes N] [--passes P]: what a small brief costs when its
// memory is cold, by part. Before each brief a buffer of MB MiB (default 512) is written through, which
// evicts the caches and the TLBs; then the brief is taken as Engine::Blast takes it, part by part, each
// timed by the thread's CPU clock: resolving the seed's id, ComputeBlastRadius, EvaluateObligations (the
// bench's engine has no rules, as `blastmap_bench engine`'s), freeing the result. Then the same brief three
// times more with its memory hot (the best). Medians over the briefs of at most N compromised nodes
// (default 10), every seed taken P times (default 1).
#include <sys/resource.h>

#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/warm_engine.h"
#include "query/blast_radius.h"
#include "query/engine.h"
#include "query/obligations.h"

namespace blastmap::bench {
namespace {

// Minor page faults of the calling thread so far.
int64_t ThreadFaults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

}  // namespace

int RunColdBriefs(const std::string& db_path, const std::vector<std::string>& seeds, size_t evict_mb,
                  size_t max_nodes, int passes) {
  const std::unique_ptr<query::Engine> engine = OpenWarmEngine(db_path);
  if (!engine) return 1;
  const query::Engine& e = *engine;
  std::vector<uint64_t> evict(evict_mb * (1 << 20) / sizeof(uint64_t), 1);
  uint64_t sink = 0;
  std::vector<double> faults;
  std::vector<double> resolve, compute, obligations, free, total, hot;
  size_t small = 0, taken = 0;
  ThreadCpuTimer clock;
  auto lap = [&] {
    const double s = clock.Seconds() * 1e3;
    clock.Reset();
    return s;
  };
  for (int pass = 0; pass < passes; ++pass) {
    for (const auto& id : seeds) {
      for (size_t i = 0; i < evict.size(); i += 8) sink += evict[i]++;  // one write per cache line
      ++taken;
      const int64_t faults_before = ThreadFaults();
      clock.Reset();
      auto v = e.Resolve(id);
      const double t_resolve = lap();
      if (!v.ok()) continue;
      auto result = query::ComputeBlastRadius(e.shared_graph(), {v.value()}, {}, e.brief_memos().get());
      const double t_compute = lap();
      query::EvaluateObligations(e.graph(), {}, result);
      const double t_obligations = lap();
      const size_t nodes = result.compromised.size();
      { auto gone = std::move(result); }
      const double t_free = lap();
      const int64_t brief_faults = ThreadFaults() - faults_before;
      if (nodes > max_nodes) continue;
      ++small;
      resolve.push_back(t_resolve);
      compute.push_back(t_compute);
      obligations.push_back(t_obligations);
      free.push_back(t_free);
      faults.push_back(static_cast<double>(brief_faults));
      total.push_back(t_resolve + t_compute + t_obligations + t_free);
      double best = 1e9;
      for (int k = 0; k < 3; ++k) {
        clock.Reset();
        (void)e.Blast({id});
        best = std::min(best, lap());
      }
      hot.push_back(best);
    }
  }
  Json out;
  out.Add("mode", std::string("cold"));
  out.Add("briefs", static_cast<int64_t>(taken));
  out.Add("small_briefs", static_cast<int64_t>(small));
  out.Add("max_nodes", static_cast<int64_t>(max_nodes));
  out.Add("evict_mb", static_cast<int64_t>(evict_mb));
  // Medians of the small briefs' thread CPU, in ms: each part's, the cold brief's whole (the sum of its
  // parts), and the best of three hot ones.
  out.Add("resolve_ms", Median(resolve));
  out.Add("compute_ms", Median(compute));
  out.Add("obligations_ms", Median(obligations));
  out.Add("free_ms", Median(free));
  out.Add("cold_ms", Median(total));
  out.Add("hot_ms", Median(hot));
  out.Add("page_faults", Median(faults));  // the thread's minor faults during a cold brief
  double fault_sum = 0;
  for (double f : faults) fault_sum += f;
  out.Add("page_faults_mean", faults.empty() ? 0 : fault_sum / static_cast<double>(faults.size()));
  out.Add("sink", static_cast<int64_t>(sink & 1));
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
