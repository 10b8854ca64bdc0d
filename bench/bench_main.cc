// blastmap_bench: the measuring half of bench/ (bench/run.py drives it and writes bench/results/*.md).
// Each mode runs in its own process so that peak memory is per mode, and prints one JSON object.
//   blastmap_bench import PATH DB          import manifests as blastmap does, then SQLite's own bulk
//                                          insert of the same rows into a fresh store (the baseline)
//   blastmap_bench engine DB SEEDS [--reference] [--budget S] [--rank-budget S]
//                                                load, warm blasts (full brief), rank every vendor
//   blastmap_bench csr DB SEEDS            the plain-CSR baseline (bench/csr_baseline.cc)
//   blastmap_bench load DB [--repeat N] [--lean] [--arenas N]
//                                          the load's two phases, N times in one process: reading the
//                                          snapshot (Store::LoadSnapshot) and building the graph
//                                          (Graph::Build); with --lean one phase, Store::LoadGraph
//   blastmap_bench model DB                the heap the loaded core::Model takes, per table (MiB)
//   blastmap_bench rank DB [--repeat N] [--threads T] [--no-brief] [--sequential]
//                                          a cold rank N times in one process: the ranking's memos
//                                          (BuildRankMemos, after the brief memos as a warmed engine has
//                                          them, or without them as a one-shot `blastmap rank`), then every
//                                          vendor's row; a digest of the rows to compare builds
//                                          (bench/cold_rank.cc)
//   blastmap_bench memory DB SEEDS [--arenas N] [--whole]
//                                          heap, resident set and peak after each phase of the engine's
//                                          life, and the memos' sizes (bench/memory_phases.cc)
//   blastmap_bench cold DB SEEDS [--evict MB] [--max-nodes N] [--passes P]
//                                          small briefs with their memory cold, by part
//                                          (bench/cold_brief.cc)
//   blastmap_bench latency [--mb N] [--loads K] [--rounds R]
//                                          a cold load's cost, chained and independent
//                                          (bench/memory_latency.cc)
//   blastmap_bench elements DB [--threads T] [--connections C] [--reads N]
//                                          concurrent element reads of a lean graph's store source
//                                          (bench/element_reads.cc)
//   blastmap_bench touch DB SEEDS [--limit N] [--persist]
//                                          briefs bracketed for callgrind: the pages and lines each touches
//                                          (bench/touched_pages.cc; bench/touched_pages.py runs it)
//   blastmap_bench brief DB SEEDS [--only ID] [--repeat N]
//                                          one brief (ID's, else SEEDS's biggest) N times: wall, CPU,
//                                          parts and page faults (bench/one_brief.cc)
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/graph.h"
#include "core/huge_pages.h"
#include "core/store.h"
#include "core/store_schema.h"
#include "importers/import.h"
#include "query/access_path.h"
#include "query/brief_memo.h"
#include "query/cancel.h"
#include "query/engine.h"
#include "query/rank.h"

namespace blastmap::bench {
namespace {

int64_t FileBytes(const std::string& path) {
  std::error_code ec;
  int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    auto size = std::filesystem::file_size(path + suffix, ec);
    if (!ec) total += static_cast<int64_t>(size);
  }
  return total;
}

const char* kTables[] = {"nodes",    "node_attrs", "holdings",      "flows",     "accesses",
                         "subjects", "categories", "subject_kinds", "data_uses", "severity_weights"};

// SQLite's own bulk-insert rate for the rows of `db_path`: every row read into memory first, then inserted
// into a fresh store with the same schema, in one transaction, with prepared statements.
Json SqliteBulkBaseline(const std::string& db_path) {
  sqlite3* src = nullptr;
  sqlite3_open_v2(db_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
  struct Table {
    std::string name;
    int columns = 0;
    std::vector<sqlite3_value*> values;  // row-major
  };
  std::vector<Table> tables;
  size_t rows = 0;
  for (const char* name : kTables) {
    Table t;
    t.name = name;
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(src, ("SELECT * FROM " + t.name).c_str(), -1, &stmt, nullptr);
    t.columns = sqlite3_column_count(stmt);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < t.columns; ++c)
        t.values.push_back(sqlite3_value_dup(sqlite3_column_value(stmt, c)));
      ++rows;
    }
    sqlite3_finalize(stmt);
    tables.push_back(std::move(t));
  }
  sqlite3_close(src);
  const std::string raw = db_path + ".sqlite-baseline";
  std::filesystem::remove(raw);
  std::filesystem::remove(raw + "-wal");
  sqlite3* db = nullptr;
  sqlite3_open(raw.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  sqlite3_exec(db, core::kStoreSchemaSql, nullptr, nullptr, nullptr);
  sqlite3_exec(db, "INSERT INTO snapshots VALUES (1, 'now', 'x', 0, 0, 0)", nullptr, nullptr, nullptr);
  Timer timer;
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (const Table& t : tables) {
    std::string sql = "INSERT INTO " + t.name + " VALUES (";
    for (int c = 0; c < t.columns; ++c) sql += c ? ",?" : "?";
    sql += ")";
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    for (size_t i = 0; i < t.values.size(); i += t.columns) {
      for (int c = 0; c < t.columns; ++c) sqlite3_bind_value(stmt, c + 1, t.values[i + c]);
      sqlite3_step(stmt);
      sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  const double seconds = timer.Seconds();
  sqlite3_close(db);
  for (Table& t : tables) {
    for (auto* v : t.values) sqlite3_value_free(v);
  }
  Json out;
  out.Add("rows", static_cast<int64_t>(rows));
  out.Add("seconds", seconds);
  out.Add("rows_per_s", rows / seconds);
  std::filesystem::remove(raw);
  std::filesystem::remove(raw + "-wal");
  std::filesystem::remove(raw + "-shm");
  return out;
}

int RunImport(const std::string& path, const std::string& db_path) {
  std::filesystem::remove(db_path);
  std::filesystem::remove(db_path + "-wal");
  std::filesystem::remove(db_path + "-shm");
  double load[1] = {0};
  getloadavg(load, 1);
  Timer total;
  Timer timer;
  ProcessCpuTimer cpu;
  // As `blastmap import` does: the store is opened first and written while the files parse (native
  // manifests), so parse_s includes the rows written meanwhile and save_s is the rest and the commit.
  auto store = core::Store::Open(db_path, false);
  if (!store.ok()) return Die(store.status().message());
  auto writer = store.value()->BeginSnapshot(path);
  if (!writer.ok()) return Die(writer.status().message());
  importers::ImportOptions options;
  options.writer = writer.value().get();
  auto imported = importers::ImportPath(path, options);
  if (!imported.ok()) return Die(imported.status().message().substr(0, 2000));
  const double parse = timer.Seconds();
  timer.Reset();
  auto id = writer.value()->Commit(imported.value().model);
  if (!id.ok()) return Die(id.status().message());
  writer.value().reset();
  store.value().reset();
  const double save = timer.Seconds();
  const double seconds = total.Seconds();
  const double cpu_s = cpu.Seconds();
  const auto& m = imported.value().model;
  const size_t files = imported.value().files.size();
  const int64_t bytes_in = [&] {
    int64_t b = 0;
    std::error_code ec;
    for (const auto& f : imported.value().files) b += static_cast<int64_t>(std::filesystem::file_size(f, ec));
    return b;
  }();
  const double import_peak_mb = PeakRssMb();   // the import's own: the baseline below holds every row
  imported = core::Status::Error("released");  // free the model before the baseline
  Json baseline = SqliteBulkBaseline(db_path);
  const int64_t rows = baseline.Int("rows");
  Json out;
  out.Add("mode", std::string("import"));
  out.Add("files", static_cast<int64_t>(files));
  out.Add("input_bytes", bytes_in);
  out.Add("nodes", static_cast<int64_t>(m.nodes.size()));
  out.Add("parse_s", parse);
  out.Add("save_s", save);
  out.Add("import_s", seconds);
  out.Add("import_cpu_s",
          cpu_s);  // every thread's CPU time: on a shared machine, the wall time waits for others
  out.Add("load_average", load[0]);
  out.Add("rows", rows);
  out.Add("rows_per_s", rows / seconds);
  out.Add("save_rows_per_s", rows / save);
  out.Add("store_bytes", FileBytes(db_path));
  out.Add("sqlite_bulk", baseline);
  out.Add("peak_rss_mb", import_peak_mb);
  // The process's peak, the baseline's included (it keeps a copy of every row as sqlite3_values).
  out.Add("peak_rss_with_baseline_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

int RunEngine(const std::string& db_path, const std::string& seeds_path, bool reference, double budget_s,
              double rank_budget_s) {
  std::vector<std::string> seeds = ReadLines(seeds_path);
  Timer timer;
  auto engine = query::Engine::Open(db_path, std::nullopt);
  if (!engine.ok()) return Die(engine.status().message());
  // The per-snapshot precomputation a server does before serving (brief memos, then rank memos) counts in
  // the load (issue #8); its parts are reported too, so that a cold rank (memos, then rows) can be told.
  Timer warm;
  ProcessCpuTimer warm_cpu;
  engine.value()->Warm();
  const double warm_s = warm.Seconds(), warm_cpu_s = warm_cpu.Seconds();
  const double load = timer.Seconds();
  const double rss_loaded = CurrentRssMb();
  const double heap_loaded = HeapInUseMb();
  const double peak_loaded = PeakRssMb();  // the load's own peak (reading, graph build, memos)
  const query::Engine& e = *engine.value();
  for (size_t i = 0; i < std::min<size_t>(5, seeds.size()); ++i) (void)e.Blast({seeds[i]});  // warm up
  std::vector<double> latencies, cpu, thread_cpu;
  ProcessCpuTimer cpu_timer;  // every thread's: a big brief is assembled on two
  ThreadCpuTimer thread_cpu_timer;
  size_t max_compromised = 0, max_hops = 0, max_holder_entries = 0;
  Timer budget;
  for (const auto& seed : seeds) {
    if (budget_s > 0 && budget.Seconds() > budget_s) break;  // the rest of the seeds are not timed
    // The CPU clocks (system calls) first, so that the wall time is the brief's alone, as the baseline's.
    cpu_timer.Reset();
    thread_cpu_timer.Reset();
    timer.Reset();
    auto r = e.Blast({seed});
    latencies.push_back(timer.Seconds() * 1e3);
    cpu.push_back(cpu_timer.Seconds() * 1e3);
    thread_cpu.push_back(thread_cpu_timer.Seconds() * 1e3);
    if (!r.ok()) return Die(r.status().message());
    if (r.value().compromised.size() > max_compromised) {  // the size of the biggest brief
      max_compromised = r.value().compromised.size();
      max_hops = max_holder_entries = 0;
      for (size_t i = 0; i < r.value().compromised.size(); ++i) max_hops += query::HopCount(r.value(), i);
      for (const auto& x : r.value().exposed) max_holder_entries += x.holders.size();
    }
  }
  const double peak_blasts = PeakRssMb();  // the load's, or the biggest brief's
  const double rss_blasts = CurrentRssMb();
  timer.Reset();
  ProcessCpuTimer rank_cpu;
  query::RankResult rank;
  bool rank_done = true;
  {
    // Within --rank-budget seconds when given: a rank past it is cancelled and reported as unfinished.
    query::Cancel cancel(rank_budget_s > 0
                             ? query::Cancel::Clock::now() +
                                   std::chrono::milliseconds(static_cast<int64_t>(rank_budget_s * 1e3))
                             : query::Cancel::Clock::time_point::max());
    query::CancelScope scope(&cancel);
    try {
      rank = e.Rank();
    } catch (const query::Cancelled&) {
      rank_done = false;
    }
  }
  const double rank_s = timer.Seconds(), rank_cpu_s = rank_cpu.Seconds();
  Json out;
  out.Add("mode", std::string("engine"));
  out.Add("nodes", static_cast<int64_t>(e.graph().node_count()));
  out.Add("load_s", load);
  out.Add("brief_memo_groups", static_cast<int64_t>(e.brief_memos()->groups()));  // built by Warm
  out.Add("brief_memo_entries", static_cast<int64_t>(e.brief_memos()->entries()));
  // Parts of load_s. The brief memos are built on one thread (wall ≈ CPU); the rank memos are the rest of
  // Warm.
  const double brief_memo_s = e.brief_memos()->build_seconds();
  out.Add("brief_memo_s", brief_memo_s);
  out.Add("rank_memo_s", warm_s - brief_memo_s);
  out.Add("rank_memo_cpu_s", warm_cpu_s - brief_memo_s);
  out.Add("rss_after_load_mb", rss_loaded);
  out.Add("heap_after_load_mb", heap_loaded);  // malloc'd and in use (the rest of the RSS: free or code)
  // The process's peak so far, after the load and after the briefs (the rank's is peak_rss_mb), and the
  // resident set after the briefs (what they keep: workspaces, freed heap not given back).
  out.Add("peak_rss_after_load_mb", peak_loaded);
  out.Add("peak_rss_after_blasts_mb", peak_blasts);
  out.Add("rss_after_blasts_mb", rss_blasts);
  out.Add("blast_ms", Percentiles(latencies));
  out.Add("blast_cpu_ms", Percentiles(cpu));                // the process's (all threads)
  out.Add("blast_thread_cpu_ms", Percentiles(thread_cpu));  // the querying thread's alone
  out.Add("max_compromised", static_cast<int64_t>(max_compromised));
  out.Add("max_brief_access_hops", static_cast<int64_t>(max_hops));  // summed over its nodes' paths
  out.Add("max_brief_holder_entries", static_cast<int64_t>(max_holder_entries));  // summed over categories
  out.Add("seeds_done", static_cast<int64_t>(latencies.size()));
  out.Add("seeds", static_cast<int64_t>(seeds.size()));
  out.Add("rank_s", rank_s);
  out.Add("rank_finished", rank_done);
  out.Add("rank_cpu_s", rank_cpu_s);  // all threads: little affected by other load on the machine
  out.Add("ranked", static_cast<int64_t>(rank.candidates));
  if (!rank.rows.empty()) out.Add("top_vendor", rank.rows.front().id);
  if (reference && rank_done) {
    timer.Reset();
    query::RankResult slow = query::RankNodesReference(e.graph(), {});
    out.Add("reference_rank_s", timer.Seconds());
    bool same = slow.rows.size() == rank.rows.size();
    for (size_t i = 0; same && i < rank.rows.size(); ++i) {
      const auto &a = rank.rows[i], &b = slow.rows[i];
      same = a.id == b.id && a.severity.score == b.severity.score && a.controlled == b.controlled &&
             a.exposed_nodes == b.exposed_nodes && a.categories == b.categories && a.records == b.records;
    }
    out.Add("reference_rank_equal", same);
  }
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

// The load split into its phases, each the median of `repeat` runs in this process (the first run pays for
// a cold page cache and a fresh heap; later ones reuse both).
// With `lean`, the graph is read straight from the store (Store::LoadGraph, one phase: read_s is the load).
int RunLoadPhases(const std::string& db_path, int repeat, bool lean, int arenas) {
  if (arenas > 0) mallopt(M_ARENA_MAX, arenas);  // 1: HeapInUseMb counts what the reading threads hold
  std::vector<double> read, build, total, read_cpu, build_cpu;
  double rss_model = 0, rss_graph = 0, heap_graph = 0;
  Json graph_parts;  // MiB per array of the graph (the model excluded)
  size_t nodes = 0;
  for (int i = 0; i < repeat; ++i) {
    Timer timer;
    ProcessCpuTimer cpu;  // both reading threads
    auto store = core::Store::Open(db_path, /*read_only=*/true);
    if (!store.ok()) return Die(store.status().message());
    auto latest = store.value()->LatestSnapshot();
    if (!latest.ok()) return Die(latest.status().message());
    core::Result<core::Model> model = core::Model();
    core::Result<core::Graph> graph = core::Status::Error("not loaded");
    if (lean) {
      graph = store.value()->LoadGraph(latest.value());
    } else {
      model = store.value()->LoadSnapshot(latest.value());
    }
    if (!model.ok()) return Die(model.status().message());
    store.value().reset();
    read.push_back(timer.Seconds());
    read_cpu.push_back(cpu.Seconds());
    if (i == 0) rss_model = CurrentRssMb();
    Timer build_timer;
    cpu.Reset();
    if (!lean) graph = core::Graph::Build(model.take());
    if (!graph.ok()) return Die(graph.status().message());
    build.push_back(build_timer.Seconds());
    build_cpu.push_back(cpu.Seconds());
    total.push_back(timer.Seconds());
    if (i == 0) {
      rss_graph = CurrentRssMb();
      heap_graph = HeapInUseMb();
      for (const auto& [part, bytes] : graph.value().HeapParts())
        graph_parts.Add(std::string(part), bytes / 1048576.0);
    }
    nodes = graph.value().node_count();
  }
  Json out;
  out.Add("mode", std::string(lean ? "load --lean" : "load"));
  out.Add("nodes", static_cast<int64_t>(nodes));
  out.Add("repeat", static_cast<int64_t>(repeat));
  out.Add("read_s", Median(read));
  out.Add("build_s", Median(build));
  out.Add("read_cpu_s", Median(read_cpu));  // CPU time: little affected by other load on the machine
  out.Add("build_cpu_s", Median(build_cpu));
  out.Add("load_s", Median(total));
  out.Add("first_load_s", total.front());
  out.Add("best_load_s", *std::min_element(total.begin(), total.end()));
  out.Add("best_build_s", *std::min_element(build.begin(), build.end()));
  out.Add("rss_model_mb", rss_model);  // the first run's model alone, then with its graph
  out.Add("rss_graph_mb", rss_graph);
  out.Add("heap_graph_mb", heap_graph);  // the first run's, in use after the load (all of it with --arenas 1)
  out.Add("graph_mib", graph_parts);
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

// The heap a loaded snapshot's Model takes, in all and per table: each table's share is what freeing it
// gives back. One malloc arena, so that what the store's loading threads allocate is counted by mallinfo2
// (which reads the main arena only). The rest ("other") is what no table owns: the taxonomy, and any
// string pool the tables point into.
int RunModelMemory(const std::string& db_path) {
  mallopt(M_ARENA_MAX, 1);
  auto store = core::Store::Open(db_path, /*read_only=*/true);
  if (!store.ok()) return Die(store.status().message());
  auto latest = store.value()->LatestSnapshot();
  if (!latest.ok()) return Die(latest.status().message());
  const double before = HeapInUseMb();
  Timer timer;
  auto loaded = store.value()->LoadSnapshot(latest.value());
  if (!loaded.ok()) return Die(loaded.status().message());
  const double read_s = timer.Seconds();
  const double model_mb = HeapInUseMb() - before;
  core::Model model = loaded.take();
  Json out;
  out.Add("mode", std::string("model"));
  out.Add("nodes", static_cast<int64_t>(model.nodes.size()));
  out.Add("read_s", read_s);
  out.Add("model_mb", model_mb);
  double tables = 0;
  auto drop = [&](const char* name, auto& table) {
    const double held = HeapInUseMb();
    std::remove_reference_t<decltype(table)>().swap(table);
    const double freed = held - HeapInUseMb();
    tables += freed;
    out.Add(std::string(name) + "_mb", freed);
  };
  drop("nodes", model.nodes);
  drop("holdings", model.holdings);
  drop("flows", model.flows);
  drop("accesses", model.accesses);
  drop("subjects", model.subjects);
  drop("declarations", model.declarations);
  drop("fides_policies", model.fides_policies);
  out.Add("other_mb", model_mb - tables);
  out.Add("peak_rss_mb", PeakRssMb());
  std::cout << out.Text() << "\n";
  return 0;
}

}  // namespace

int CsrBaseline(const std::string& db_path, const std::vector<std::string>& seeds);
int RunMemoryPhases(const std::string& db_path, const std::vector<std::string>& seeds, int arenas,
                    bool whole);
int RunColdBriefs(const std::string& db_path, const std::vector<std::string>& seeds, size_t evict_mb,
                  size_t max_nodes, int passes);
int RunOneBrief(const std::string& db_path, const std::vector<std::string>& seeds, const std::string& only,
                int repeat);
int RunMemoryLatency(size_t mb, size_t loads, size_t rounds);
int RunTouchedPages(const std::string& db_path, const std::vector<std::string>& seeds, size_t limit,
                    bool persist);
int RunElementReads(const std::string& db_path, size_t threads, size_t connections, size_t reads);
int RunColdRank(const std::string& db_path, int repeat, unsigned threads, bool no_brief, bool sequential);

}  // namespace blastmap::bench

int main(int argc, char** argv) {
  using namespace blastmap::bench;
  std::vector<std::string> args(argv + 1, argv + argc);
  // blastmap's modes run as blastmap does, with huge pages for the heap (core/huge_pages.h; not under
  // valgrind, as `touch` runs) and one malloc arena but for the import, the plain-CSR baseline as a plain
  // program (bench/run.py also runs it with huge pages, for reference).
  if (args.empty() || args[0] != "csr")
    blastmap::core::PreferHugePages(argv, /*one_arena=*/args.empty() || args[0] != "import");
  if (args.size() >= 3 && args[0] == "import") return RunImport(args[1], args[2]);
  if (args.size() >= 3 && args[0] == "engine") {
    bool reference = std::find(args.begin(), args.end(), "--reference") != args.end();
    double budget = 0, rank_budget = 0;
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (args[i] == "--budget") budget = std::stod(args[i + 1]);
      if (args[i] == "--rank-budget") rank_budget = std::stod(args[i + 1]);
    }
    return RunEngine(args[1], args[2], reference, budget, rank_budget);
  }
  if (args.size() >= 2 && args[0] == "load") {
    int repeat = 1, arenas = 0;
    bool lean = false;
    for (size_t i = 2; i < args.size(); ++i) {
      if (args[i] == "--lean") lean = true;
      if (i + 1 == args.size()) continue;
      if (args[i] == "--repeat") repeat = std::max(1, std::stoi(args[i + 1]));
      if (args[i] == "--arenas") arenas = std::stoi(args[i + 1]);
    }
    return RunLoadPhases(args[1], repeat, lean, arenas);
  }
  if (args.size() >= 2 && args[0] == "model") return RunModelMemory(args[1]);
  if (args.size() >= 2 && args[0] == "rank") {
    int repeat = 1;
    unsigned threads = 0;
    for (size_t i = 2; i + 1 < args.size(); ++i) {
      if (args[i] == "--repeat") repeat = std::max(1, std::stoi(args[i + 1]));
      if (args[i] == "--threads") threads = static_cast<unsigned>(std::stoi(args[i + 1]));
    }
    const bool no_brief = std::find(args.begin(), args.end(), "--no-brief") != args.end();
    const bool sequential = std::find(args.begin(), args.end(), "--sequential") != args.end();
    return RunColdRank(args[1], repeat, threads, no_brief, sequential);
  }
  if (args.size() >= 3 && args[0] == "csr") return CsrBaseline(args[1], ReadLines(args[2]));
  if (args.size() >= 3 && args[0] == "memory") {
    int arenas = 0;
    bool whole = false;
    for (size_t i = 3; i < args.size(); ++i) {
      if (args[i] == "--arenas" && i + 1 < args.size()) arenas = std::stoi(args[i + 1]);
      if (args[i] == "--whole") whole = true;
    }
    return RunMemoryPhases(args[1], ReadLines(args[2]), arenas, whole);
  }
  if (args.size() >= 3 && args[0] == "cold") {
    size_t evict_mb = 512, max_nodes = 10;
    int passes = 1;
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (args[i] == "--evict") evict_mb = std::stoul(args[i + 1]);
      if (args[i] == "--max-nodes") max_nodes = std::stoul(args[i + 1]);
      if (args[i] == "--passes") passes = std::max(1, std::stoi(args[i + 1]));
    }
    return RunColdBriefs(args[1], ReadLines(args[2]), evict_mb, max_nodes, passes);
  }
  if (args.size() >= 3 && args[0] == "brief") {
    std::string only;
    int repeat = 10;
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (args[i] == "--only") only = args[i + 1];
      if (args[i] == "--repeat") repeat = std::max(1, std::stoi(args[i + 1]));
    }
    return RunOneBrief(args[1], ReadLines(args[2]), only, repeat);
  }
  if (args.size() >= 3 && args[0] == "touch") {
    size_t limit = 30;
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (args[i] == "--limit") limit = std::max<size_t>(1, std::stoul(args[i + 1]));
    }
    const bool persist = std::find(args.begin(), args.end(), "--persist") != args.end();
    return RunTouchedPages(args[1], ReadLines(args[2]), limit, persist);
  }
  if (args.size() >= 2 && args[0] == "elements") {
    size_t threads = 2, connections = 0, reads = 20000;
    for (size_t i = 2; i + 1 < args.size(); ++i) {
      if (args[i] == "--threads") threads = std::max<size_t>(1, std::stoul(args[i + 1]));
      if (args[i] == "--connections") connections = std::stoul(args[i + 1]);
      if (args[i] == "--reads") reads = std::max<size_t>(1, std::stoul(args[i + 1]));
    }
    return RunElementReads(args[1], threads, connections, reads);
  }
  if (!args.empty() && args[0] == "latency") {
    size_t mb = 512, loads = 30, rounds = 300;
    for (size_t i = 1; i + 1 < args.size(); ++i) {
      if (args[i] == "--mb") mb = std::max<size_t>(1, std::stoul(args[i + 1]));
      if (args[i] == "--loads") loads = std::max<size_t>(1, std::stoul(args[i + 1]));
      if (args[i] == "--rounds") rounds = std::max<size_t>(1, std::stoul(args[i + 1]));
    }
    return RunMemoryLatency(mb, loads, rounds);
  }
  std::cerr
      << "usage: blastmap_bench import PATH DB | engine DB SEEDS [--reference] [--budget S] "
         "[--rank-budget S] | csr DB SEEDS | load DB [--repeat N] [--lean] [--arenas N] | model DB | "
         "rank DB [--repeat N] [--threads T] [--no-brief] [--sequential] | memory DB SEEDS [--arenas N] "
         "[--whole] | cold DB SEEDS "
         "[--evict MB] [--max-nodes N] [--passes P] | touch DB SEEDS [--limit N] [--persist] | brief DB SEEDS [--only "
         "ID] [--repeat N] | latency "
         "[--mb N] [--loads K] [--rounds R] | elements DB [--threads T] [--connections C] [--reads N]\n";
  return 2;
}
