// blastmap_bench brief DB SEEDS [--only ID] [--repeat N]: one brief, taken N times (default 10) on an engine
// loaded and warmed as `blastmap_bench engine` does, by part and with its page faults. The brief is seed
// ID's, or else the biggest of SEEDS's (every seed briefed once first, in order, as the engine run takes
// them). Each run gives its wall and CPU time (the process's: a big brief takes a second thread; and the
// calling thread's), the process's minor and major page faults, and the calling thread's CPU in the brief's
// parts: ComputeBlastRadius, EvaluateObligations (no rules, as the engine run's) and freeing the result. The
// first run is reported apart from the medians of the others.
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

// The process's minor and major page faults so far (every thread's, those ended included).
std::pair<int64_t, int64_t> ProcessFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {usage.ru_minflt, usage.ru_majflt};
}

struct Run {
  double wall = 0, cpu = 0, thread_cpu = 0, compute = 0, obligations = 0, free = 0;
  double minor = 0, major = 0;
};

}  // namespace

int RunOneBrief(const std::string& db_path, const std::vector<std::string>& seeds, const std::string& only,
                int repeat) {
  const std::unique_ptr<query::Engine> engine = OpenWarmEngine(db_path);
  if (!engine) return 1;
  const query::Engine& e = *engine;
  std::string seed = only;
  size_t biggest = 0;
  if (seed.empty()) {
    for (const auto& id : seeds) {
      auto r = e.Blast({id});
      if (r.ok() && r.value().compromised.size() > biggest) {
        biggest = r.value().compromised.size();
        seed = id;
      }
    }
  }
  auto v = e.Resolve(seed);
  if (!v.ok()) {
    std::cerr << v.status().message() << "\n";
    return 1;
  }
  std::vector<Run> runs;
  size_t nodes = 0;
  for (int k = 0; k < repeat; ++k) {
    Run run;
    const auto [minor_before, major_before] = ProcessFaults();
    ProcessCpuTimer cpu;
    ThreadCpuTimer thread_cpu, part;
    Timer wall;
    auto lap = [&] {
      const double ms = part.Seconds() * 1e3;
      part.Reset();
      return ms;
    };
    // As Engine::Blast takes it (the seed resolved above).
    auto result = query::ComputeBlastRadius(e.shared_graph(), {v.value()}, {}, e.brief_memos().get());
    run.compute = lap();
    query::EvaluateObligations(e.graph(), {}, result);
    run.obligations = lap();
    nodes = result.compromised.size();
    { auto gone = std::move(result); }
    run.free = lap();
    run.wall = wall.Seconds() * 1e3;
    run.thread_cpu = thread_cpu.Seconds() * 1e3;
    run.cpu = cpu.Seconds() * 1e3;
    const auto [minor_after, major_after] = ProcessFaults();
    run.minor = static_cast<double>(minor_after - minor_before);
    run.major = static_cast<double>(major_after - major_before);
    runs.push_back(run);
  }
  Json out;
  out.Add("mode", std::string("brief"));
  out.Add("seed", seed);
  out.Add("compromised", static_cast<int64_t>(nodes));
  out.Add("repeat", static_cast<int64_t>(repeat));
  // Per field: the first run's value, the median of the later ones, and every value.
  auto field = [&](const std::string& name, double Run::*member) {
    std::vector<double> later;
    std::string all;
    for (size_t k = 0; k < runs.size(); ++k) {
      if (k) later.push_back(runs[k].*member);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.4g", k ? " " : "", runs[k].*member);
      all += buf;
    }
    Json f;
    f.Add("first", runs.front().*member);
    f.Add("later_median", Median(later));
    f.Add("all", all);
    out.Add(name, f);
  };
  field("wall_ms", &Run::wall);
  field("cpu_ms", &Run::cpu);  // the process's
  field("thread_cpu_ms", &Run::thread_cpu);
  field("compute_ms", &Run::compute);  // the calling thread's CPU in each part
  field("obligations_ms", &Run::obligations);
  field("free_ms", &Run::free);
  field("minor_faults", &Run::minor);
  field("major_faults", &Run::major);
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
