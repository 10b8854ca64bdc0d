// blastmap_bench latency [--mb N] [--loads K] [--rounds R]: what a load from cold memory costs on this
// machine, the figure that bounds a small brief (docs/performance.md, "Left undone"). A buffer of N MiB
// (default 512) is written; then, R times (default 300), a 64 MiB buffer is written through (which evicts the
// caches and the TLBs) and K loads (default 30) at random places of the first buffer are timed: once as a
// chain, each load's address depending on the one before (as a brief's rows do: an offset, then its row, then
// what the row names), once independent of each other (which the processor overlaps). Medians, in
// microseconds per load.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace blastmap::bench {

int RunMemoryLatency(size_t mb, size_t loads, size_t rounds) {
  std::vector<uint64_t> memory((mb << 20) / sizeof(uint64_t), 1);
  std::vector<uint64_t> evict((size_t{64} << 20) / sizeof(uint64_t), 1);
  std::mt19937_64 random(42);
  std::vector<size_t> at(loads);
  std::vector<double> chained, independent;
  uint64_t sink = 0;
  auto evict_all = [&] {
    for (size_t i = 0; i < evict.size(); i += 8) sink += evict[i]++;  // one write per cache line
  };
  for (size_t round = 0; round < rounds; ++round) {
    for (size_t& a : at) a = random() % memory.size();
    evict_all();
    Timer timer;
    uint64_t last = 0;
    for (size_t a : at) last = memory[(a + (last & 1)) % memory.size()];  // each address needs the last load
    chained.push_back(timer.Seconds() * 1e6 / static_cast<double>(loads));
    sink += last;
    for (size_t& a : at) a = random() % memory.size();
    evict_all();
    timer.Reset();
    for (size_t a : at) sink += memory[a];
    independent.push_back(timer.Seconds() * 1e6 / static_cast<double>(loads));
  }
  Json out;
  out.Add("mode", std::string("latency"));
  out.Add("mb", static_cast<int64_t>(mb));
  out.Add("loads", static_cast<int64_t>(loads));
  out.Add("rounds", static_cast<int64_t>(rounds));
  out.Add("chained_us_per_load", Median(chained));
  out.Add("independent_us_per_load", Median(independent));
  out.Add("sink", static_cast<int64_t>(sink & 1));
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
