// blastmap_bench rank DB [--repeat N] [--threads T] [--no-brief] [--sequential]: a cold rank, N times in one
// process (bench/bench_main.cc dispatches the modes).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_util.h"
#include "query/brief_memo.h"
#include "query/engine.h"
#include "query/rank.h"
#include "query/rank_shared.h"

namespace blastmap::bench {

// A cold rank (the ranking's memos, then the rows) `repeat` times on one loaded graph, with the brief memos
// built once before (as a warmed engine has them) or, with `no_brief`, without them (as a one-shot
// `blastmap rank` builds its memos: Engine::Rank does not build the brief memos); medians and
// bests of wall and CPU (every thread), what was memoised, and a digest of every field of every row (FNV-1a
// over their text, scores to the last bit) so that two builds can be shown to rank alike.
// With `sequential`, the memos are built (BuildRankMemos), then the rows ranked (rank_memo_s, rank_s); else
// as Engine::Rank ranks without memos, the rows ranked while the memos are built (SharedRankRows of a graph;
// cold_s only, how many rows were ranked while the memos were built and how many memos the ranking thread
// built once its pass was done).
int RunColdRank(const std::string& db_path, int repeat, unsigned threads, bool no_brief, bool sequential) {
  auto engine = query::Engine::Open(db_path, std::nullopt);
  if (!engine.ok()) return Die(engine.status().message());
  const core::Graph& g = engine.value()->graph();
  const query::BriefMemos brief = no_brief ? query::BriefMemos() : query::BriefMemos::Build(g);
  std::vector<double> memo_s, memo_cpu, rows_s, rows_cpu, cold_s, cold_cpu;
  query::SharedRankStats stats;
  uint64_t digest = 1469598103934665603ull;
  size_t ranked = 0;
  for (int i = 0; i < repeat; ++i) {
    stats = {};
    Timer timer;
    ProcessCpuTimer cpu;
    query::RankOptions options;
    query::RankResult rank;
    if (sequential) {
      auto memos = query::BuildRankMemos(g, threads, &stats, no_brief ? nullptr : &brief);
      memo_s.push_back(timer.Seconds());
      memo_cpu.push_back(cpu.Seconds());
      Timer rows_timer;
      ProcessCpuTimer rows_cpu_timer;
      rank = query::RankNodes(g, options, memos.get());
      rows_s.push_back(rows_timer.Seconds());
      rows_cpu.push_back(rows_cpu_timer.Seconds());
    } else {
      std::shared_ptr<const query::RankMemos> built;
      rank = query::RankNodes(g, options, &built, no_brief ? nullptr : &brief, threads, &stats);
      memo_s.push_back(0);
      memo_cpu.push_back(0);
      rows_s.push_back(0);
      rows_cpu.push_back(0);
    }
    cold_s.push_back(timer.Seconds());
    cold_cpu.push_back(cpu.Seconds());
    uint64_t h = 1469598103934665603ull;
    for (const query::RankRow& r : rank.rows) {
      char numbers[256];
      std::snprintf(numbers, sizeof numbers, "|%a|%a|%a|%a|%u|%u|%u|%u|%lld|", r.severity.score,
                    r.severity.data, r.severity.volume, r.severity.jurisdiction, r.controlled,
                    r.exposed_nodes, r.categories, r.restricted, static_cast<long long>(r.records));
      for (std::string_view part :
           {std::string_view(r.id), r.name.view(), r.severity.level, std::string_view(numbers)}) {
        for (unsigned char c : part) h = (h ^ c) * 1099511628211ull;
      }
    }
    if (i > 0 && h != digest) return Die("the rows differ between repetitions");
    digest = h;
    ranked = rank.candidates;
  }
  auto best = [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); };
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest));
  Json out;
  out.Add("mode", std::string("rank"));
  out.Add("nodes", static_cast<int64_t>(g.node_count()));
  out.Add("repeat", static_cast<int64_t>(repeat));
  out.Add("brief_memos", !no_brief);
  out.Add("sequential", sequential);
  out.Add("ranked_while_building", static_cast<int64_t>(stats.ranked_while_building));
  out.Add("memos_helped", static_cast<int64_t>(stats.helped));
  out.Add("ranked", static_cast<int64_t>(ranked));
  out.Add("rank_memo_s", Median(memo_s));
  out.Add("rank_memo_cpu_s", Median(memo_cpu));
  out.Add("rank_s", Median(rows_s));
  out.Add("rank_cpu_s", Median(rows_cpu));
  out.Add("cold_s", Median(cold_s));
  out.Add("cold_cpu_s", Median(cold_cpu));
  out.Add("best_rank_memo_s", best(memo_s));
  out.Add("best_rank_s", best(rows_s));
  out.Add("best_cold_s", best(cold_s));
  out.Add("groups", static_cast<int64_t>(stats.groups));
  out.Add("hubs", static_cast<int64_t>(stats.hubs));
  out.Add("set_memos", static_cast<int64_t>(stats.set_memos));
  out.Add("from_brief", static_cast<int64_t>(stats.from_brief));
  out.Add("rows_digest", std::string(hex));
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace blastmap::bench
