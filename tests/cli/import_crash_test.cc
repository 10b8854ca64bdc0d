// Atomic imports under crashes: the real `blastmap import` of a large generated map is killed with
// SIGKILL at random moments, many times, while this process reads the store as a concurrent reader.
// After every kill the store must open, pass PRAGMA integrity_check and hold exactly the snapshots it
// held before, row for row; the reader must only ever see complete snapshots.
//
// The seed is printed; BLASTMAP_CRASH_SEED=N replays a run, BLASTMAP_CRASH_KILLS=N changes the count.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/store.h"
#include "tests/cli/run_command.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Per snapshot: its row in `snapshots` and, per table, the row count and a digest of every value.
struct SnapshotContent {
  std::string info;                                            // id|source|nodes|flows|accesses|created_at
  std::map<std::string, std::pair<int64_t, uint64_t>> tables;  // table -> (rows, FNV-1a of the rows)
  bool operator==(const SnapshotContent&) const = default;
};

// A read-only connection of our own (not the Store API), so the check does not trust the code under test.
class Raw {
 public:
  explicit Raw(const std::string& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Raw() { sqlite3_close_v2(db_); }
  // Every row of `sql` as text columns joined by '|', rows by '\n', from column `first` on.
  std::vector<std::string> Rows(const std::string& sql, int64_t bind = -1, int first = 0) {
    sqlite3_stmt* stmt = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    if (bind >= 0) sqlite3_bind_int64(stmt, 1, bind);
    std::vector<std::string> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::string row;
      for (int c = first; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row += (c > first ? "|" : "") + (text ? std::string(reinterpret_cast<const char*>(text)) : "NULL");
      }
      rows.push_back(std::move(row));
    }
    INFO(sqlite3_errmsg(db_));
    REQUIRE(rc == SQLITE_DONE);
    sqlite3_finalize(stmt);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Everything the store holds, snapshot by snapshot, read in one transaction.
std::map<int64_t, SnapshotContent> ReadSnapshots(const std::string& path) {
  Raw raw(path);
  raw.Rows("BEGIN");
  std::vector<std::string> tables = raw.Rows(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('meta', 'snapshots') "
      "ORDER BY name");
  std::map<int64_t, SnapshotContent> out;
  for (const auto& row : raw.Rows("SELECT id, source, nodes, flows, accesses, created_at FROM snapshots")) {
    const int64_t id = std::stoll(row.substr(0, row.find('|')));
    SnapshotContent& content = out[id];
    content.info = row;
    for (const auto& table : tables) {
      uint64_t hash = 1469598103934665603ull;
      int64_t count = 0;
      // WITHOUT ROWID tables keyed by (snapshot, ...) scan in key order: the digest is order-sensitive.
      // Column 0, the snapshot id, is left out so that two snapshots of the same map compare equal.
      for (const auto& r : raw.Rows("SELECT * FROM " + table + " WHERE snapshot = ?", id, 1)) {
        for (unsigned char ch : r + "\n") hash = (hash ^ ch) * 1099511628211ull;
        ++count;
      }
      content.tables[table] = {count, hash};
    }
  }
  raw.Rows("COMMIT");
  return out;
}

std::string IntegrityCheck(const std::string& path) {
  Raw raw(path);
  auto rows = raw.Rows("PRAGMA integrity_check");
  return rows.empty() ? "" : rows.front();
}

// Starts `blastmap import DIR --db DB -q` with its output discarded; returns its pid.
pid_t StartImport(const std::string& dir, const std::string& db) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {BLASTMAP_BINARY, "import", dir, "--db", db, "-q"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, BLASTMAP_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

// Waits for `pid`; true when it was killed by SIGKILL, false when it exited (REQUIREs exit code 0).
bool Reap(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) {
    REQUIRE(WTERMSIG(status) == SIGKILL);
    return true;
  }
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return false;
}

// The modification time of the store's WAL file (0 when there is none): it moves when an import writes.
int64_t WalStamp(const std::string& db) {
  std::error_code ec;
  auto t = fs::last_write_time(db + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(t.time_since_epoch().count());
}

// The size of the store's WAL file (0 when there is none).
int64_t WalBytes(const std::string& db) {
  std::error_code ec;
  auto size = fs::file_size(db + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

uint64_t Seed() {
  if (const char* s = std::getenv("BLASTMAP_CRASH_SEED")) return std::strtoull(s, nullptr, 10);
  return static_cast<uint64_t>(Clock::now().time_since_epoch().count()) % 1000000007ull;
}

int Kills() {
  if (const char* s = std::getenv("BLASTMAP_CRASH_KILLS")) return std::atoi(s);
  return 26;
}

struct Totals {
  int64_t nodes, flows, accesses;
  bool operator==(const Totals&) const = default;
};

}  // namespace

TEST_CASE(
    "an import killed at random moments leaves exactly the previous snapshots, and readers see whole ones") {
  const std::string tag = std::to_string(getpid());
  const fs::path work = fs::temp_directory_path() / ("blastmap_crash_" + tag);
  fs::remove_all(work);
  fs::create_directories(work);
  const std::string db = (work / "store.db").string();
  const std::string map_dir = (work / "map").string();

  // A map large enough that an import takes a second or more (parse, validate, then the writes).
  auto gen =
      blastmap::testing::RunCommand("/usr/bin/python3 " + std::string(BLASTMAP_SOURCE_DIR) +
                                    "/bench/gen_map.py --nodes 3000 --seed 11 --out " + map_dir + " 2>&1");
  INFO(gen.out);
  REQUIRE(gen.code == 0);
  const std::string big = map_dir + "/bundle.yaml";

  // The store already holds two snapshots.
  const std::string acme = std::string(BLASTMAP_SOURCE_DIR) + "/datasets/acme-ai";
  REQUIRE(Reap(StartImport(acme, db)) == false);
  REQUIRE(Reap(StartImport(acme, db)) == false);

  // How long a whole import of the big map takes, and what its snapshot holds (into a scratch store that,
  // like `db`, already holds a snapshot). The store is opened as the import starts and its rows are written
  // as the files are read (for this bundle, one file, after its parse); the uncommitted pages spill into
  // the WAL as they are written. The scratch store's WAL was removed when its first import closed it, so
  // the WAL holding bytes again tells when the writes start.
  const std::string scratch = (work / "scratch.db").string();
  REQUIRE(Reap(StartImport(acme, scratch)) == false);
  const auto t0 = Clock::now();
  const pid_t scratch_pid = StartImport(big, scratch);
  std::optional<Clock::duration> write_start;
  for (int status = 0; waitpid(scratch_pid, &status, WNOHANG) == 0;) {
    if (!write_start && WalBytes(scratch) > 0) write_start = Clock::now() - t0;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  const auto full = Clock::now() - t0;
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(full).count();
  REQUIRE(write_start.has_value());
  const int64_t write_ms = std::max<int64_t>(
      1, full_ms - std::chrono::duration_cast<std::chrono::milliseconds>(*write_start).count());
  std::map<int64_t, SnapshotContent> scratch_content = ReadSnapshots(scratch);
  REQUIRE(scratch_content.size() == 2);
  scratch_content.erase(scratch_content.begin());  // acme's: what follows compares the big map's snapshot

  // Known totals per snapshot id; the reader checks every snapshot it loads against them.
  std::map<int64_t, Totals> totals;
  auto remember = [&totals](const std::string& path) {
    auto store = blastmap::core::Store::Open(path, true);
    REQUIRE(store.ok());
    auto list = store.value()->ListSnapshots();  // kept: a range-for over list.value() of a temporary dangles
    REQUIRE(list.ok());
    for (const auto& s : list.value()) totals[s.id] = {s.nodes, s.flows, s.accesses};
  };
  remember(db);
  Totals big_totals{};
  {
    auto store = blastmap::core::Store::Open(scratch, true);
    REQUIRE(store.ok());
    auto list = store.value()->ListSnapshots();
    REQUIRE(list.ok());
    const auto info = list.value().back();
    big_totals = {info.nodes, info.flows, info.accesses};
  }
  REQUIRE(big_totals.nodes >= 3000);

  // The concurrent reader: another process than the importer, through the Store API, as the server
  // and every read command do. It loads the latest snapshot and compares its size with the totals.
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, bad_reads{0}, new_reads{0};
  std::string first_bad;
  const int64_t next_id = totals.rbegin()->first + 1;
  // Stopped and joined however the test case ends (a failed REQUIRE must not leave it joinable).
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  };
  std::thread reader;
  Joiner joiner{stop, reader};
  reader = std::thread([&] {
    while (!stop) {
      auto store = blastmap::core::Store::Open(db, true);
      if (!store.ok()) {
        if (bad_reads++ == 0) first_bad = "open: " + store.status().message();
        continue;
      }
      auto latest = store.value()->LatestSnapshot();
      auto model = latest.ok() ? store.value()->LoadSnapshot(latest.value()) : latest.status();
      if (!model.ok()) {
        if (bad_reads++ == 0) first_bad = "load: " + model.status().message();
        continue;
      }
      const Totals seen{static_cast<int64_t>(model.value().nodes.size()),
                        static_cast<int64_t>(model.value().flows.size()),
                        static_cast<int64_t>(model.value().accesses.size())};
      auto it = totals.find(latest.value());
      const bool known =
          latest.value() < next_id ? it != totals.end() && it->second == seen : big_totals == seen;
      if (!known && bad_reads++ == 0) {
        first_bad = "snapshot " + std::to_string(latest.value()) +
                    " is unknown or partial: " + std::to_string(seen.nodes) + " nodes, " +
                    std::to_string(seen.flows) + " flows, " + std::to_string(seen.accesses) +
                    " access edges; expected " + std::to_string(big_totals.nodes) + ", " +
                    std::to_string(big_totals.flows) + ", " + std::to_string(big_totals.accesses);
      }
      if (latest.value() >= next_id) ++new_reads;
      ++reads;
    }
  });

  const uint64_t seed = Seed();
  const int kills = Kills();
  std::cout << "import crash test: seed " << seed << " (BLASTMAP_CRASH_SEED to replay), " << kills
            << " kills, a whole import takes " << full_ms << " ms, its writes the last " << write_ms
            << " ms\n";
  std::mt19937_64 random(seed);
  std::map<int64_t, SnapshotContent> before = ReadSnapshots(db);
  REQUIRE(before.size() == 2);
  int killed = 0, committed = 0, killed_writing = 0;
  for (int i = 0; i < kills; ++i) {
    // Even kills: anywhere from the start to near the end. Odd kills: once the import has begun writing
    // (its WAL changed), within the measured write phase.
    const int64_t wal_before = WalStamp(db);
    const pid_t pid = StartImport(big, db);
    int64_t delay = 0;
    if (i % 2 == 0) {
      delay = std::uniform_int_distribution<int64_t>(0, full_ms * 9 / 10)(random);
    } else {
      const auto start = Clock::now();
      while (WalStamp(db) == wal_before && Clock::now() - start < 4 * full) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      // The measured phase ends with the process tearing down after its commit: aim at its first quarter.
      delay = std::uniform_int_distribution<int64_t>(0, write_ms / 4)(random);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    kill(pid, SIGKILL);
    INFO("kill ", i, " at ", delay, " ms (seed ", seed, ")");
    const bool was_killed = Reap(pid);
    const bool wrote = was_killed && WalStamp(db) != wal_before;
    {
      // The store opens for writing (as the next import would) and lists what it held.
      auto store = blastmap::core::Store::Open(db, /*read_only=*/false);
      REQUIRE(store.ok());
      auto list = store.value()->ListSnapshots();
      REQUIRE(list.ok());
      CHECK(list.value().size() >= before.size());
    }
    CHECK(IntegrityCheck(db) == "ok");
    auto after = ReadSnapshots(db);
    killed += was_killed;
    if (after == before) {
      killed_writing += wrote;  // killed inside its write transaction: the case this test is about
      continue;
    }
    // Otherwise the import committed, before it exited or was killed after its commit: then the store
    // holds exactly one new snapshot more, whole (the same rows as the scratch import).
    ++committed;
    REQUIRE(after.size() == before.size() + 1);
    CHECK(after.rbegin()->second.tables == scratch_content.begin()->second.tables);
    after.erase(std::prev(after.end()));
    CHECK(after == before);
    before = ReadSnapshots(db);
  }
  CHECK(committed < kills);
  CHECK(killed_writing > 0);  // some kills landed inside the import's write transaction

  // Finally one import runs to the end: a new snapshot with the next id and the same rows as the scratch one.
  REQUIRE(Reap(StartImport(big, db)) == false);
  // Let the reader see the new snapshot a few times before stopping it.
  for (int i = 0; i < 500 && new_reads < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  reader.join();

  CHECK(IntegrityCheck(db) == "ok");
  auto final_content = ReadSnapshots(db);
  REQUIRE(final_content.size() == before.size() + 1);
  for (const auto& [id, content] : before) CHECK(final_content.at(id) == content);
  // The new snapshot takes the next id and holds the same rows as the scratch import (created_at differs).
  const int64_t new_id = before.rbegin()->first + 1;
  REQUIRE(final_content.count(new_id) == 1);
  CHECK(final_content.at(new_id).tables == scratch_content.begin()->second.tables);

  std::cout << "import crash test: " << killed << " imports killed (" << killed_writing
            << " inside their write transaction), " << committed << " committed first, " << reads
            << " concurrent reads (" << new_reads << " of the new snapshot), " << bad_reads << " bad\n";
  INFO(first_bad);
  CHECK(bad_reads == 0);
  CHECK(reads > 0);
  CHECK(new_reads > 0);
  fs::remove_all(work);
}
