// blastmap_bench elements DB [--threads T] [--connections C] [--reads N]: what concurrent renders of a lean
// server pay for the elements they read from the store (core::StoreElements). T threads (default 2) each
// read N flows, accesses and holdings in turn (default 20000) at pseudo-random positions of the latest
// snapshot, through one source of C connections (default 0: StoreElements' own choice). Gives the wall
// time, the reads a second, and each thread's median read in microseconds.
#include <algorithm>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "core/element_source.h"
#include "core/graph.h"
#include "core/store.h"

namespace blastmap::bench {

int RunElementReads(const std::string& db_path, size_t threads, size_t connections, size_t reads) {
  int64_t snapshot = 0;
  uint32_t counts[3] = {0, 0, 0};  // flows, accesses, holdings
  {
    auto store = core::Store::Open(db_path, /*read_only=*/true);
    if (!store.ok()) return (std::cerr << store.status().message() << "\n", 1);
    auto latest = store.value()->LatestSnapshot();
    if (!latest.ok()) return (std::cerr << latest.status().message() << "\n", 1);
    snapshot = latest.value();
    auto graph = store.value()->LoadGraph(snapshot);
    if (!graph.ok()) return (std::cerr << graph.status().message() << "\n", 1);
    counts[0] = static_cast<uint32_t>(graph.value().flow_count());
    counts[1] = static_cast<uint32_t>(graph.value().access_count());
    counts[2] = static_cast<uint32_t>(graph.value().holding_count());
  }
  auto source = core::StoreElements(db_path, snapshot, connections);
  if (!source.ok()) return (std::cerr << source.status().message() << "\n", 1);
  const core::ElementSource& s = *source.value();
  std::vector<double> medians(threads);
  std::vector<size_t> failed(threads, 0);
  Timer wall;
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<double> each;
      each.reserve(reads);
      uint64_t x = 0x9e3779b97f4a7c15ULL * (t + 1);
      Timer one;
      for (size_t i = 0; i < reads; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift: a position at random
        const size_t kind = i % 3;
        if (counts[kind] == 0) continue;
        const auto pos = static_cast<uint32_t>(x % counts[kind]);
        one.Reset();
        const bool ok = kind == 0   ? s.ReadFlow(pos).ok()
                        : kind == 1 ? s.ReadAccess(pos).ok()
                                    : s.ReadHolding(pos).ok();
        each.push_back(one.Seconds() * 1e6);
        failed[t] += ok ? 0 : 1;
      }
      medians[t] = Median(each);
    });
  }
  for (auto& w : workers) w.join();
  const double seconds = wall.Seconds();
  size_t failures = 0;
  for (size_t f : failed) failures += f;
  Json out;
  out.Add("mode", std::string("elements"));
  out.Add("threads", static_cast<int64_t>(threads));
  out.Add("connections", static_cast<int64_t>(connections));
  out.Add("reads", static_cast<int64_t>(threads * reads));
  out.Add("failed", static_cast<int64_t>(failures));
  out.Add("wall_s", seconds);
  out.Add("reads_per_s", static_cast<double>(threads * reads) / seconds);
  out.Add("median_read_us", Median(medians));
  std::cout << out.Text() << "\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace blastmap::bench
