// The bad-input corpus (tests/bad_inputs/README.md): every malformed or hostile file of the corpus, and the
// ones generated here (deep nesting, a 200 MB file, symlink loops, very long strings), run through the real
// binary against a store that already holds a snapshot. Each must fail with its expected message at its
// file:line:col, within a time and a memory bound, and leave the store exactly as it was.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/run_command.h"

namespace {

namespace fs = std::filesystem;
using blastmap::testing::ReadFile;

const fs::path kCorpus = fs::path(BLASTMAP_SOURCE_DIR) / "tests" / "bad_inputs";

// Sanitizers slow the binary down and add their own memory (shadow, quarantine): the bounds allow for them.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSeconds = 30;
constexpr long kMaxRssKb = 768 * 1024;
#else
constexpr double kSeconds = 10;
constexpr long kMaxRssKb = 256 * 1024;
#endif

struct Outcome {
  int code = -1;        // the exit code; -1 when killed (by a signal, or by the time bound)
  std::string err;      // stderr and stdout
  long max_rss_kb = 0;  // the child's peak resident memory
  double seconds = 0;
  bool timed_out = false;
};

// Runs the binary with `args` in `dir`, its output to a file; kills it past kSeconds.
Outcome RunBlastmap(const std::vector<std::string>& args, const fs::path& dir, const fs::path& out_file) {
  Outcome outcome;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || chdir(dir.c_str()) != 0) _exit(127);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    static std::string binary = BLASTMAP_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  while (true) {
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    REQUIRE(done >= 0);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done == pid) break;
    if (outcome.seconds > kSeconds && !outcome.timed_out) {
      outcome.timed_out = true;
      kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.max_rss_kb = usage.ru_maxrss;
  outcome.err = ReadFile(out_file.string());
  return outcome;
}

// What the store holds: the database file's bytes and its write-ahead log's (absent and empty are the same:
// a reader in WAL mode leaves an empty log and a shared-memory index, neither of which holds data).
std::pair<std::string, std::string> StoreBytes(const fs::path& db) {
  return {ReadFile(db.string()), ReadFile(db.string() + "-wal")};
}

// A store holding one snapshot (datasets/acme-ai) in its own directory, and its bytes, to compare after
// each bad input.
class StoreUnderTest {
 public:
  StoreUnderTest() {
    static int counter = 0;
    root_ = fs::temp_directory_path() /
            ("blastmap_bad_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(root_);
    fs::create_directories(root_ / "store");
    fs::create_directories(root_ / "work");
    auto base = RunBlastmap({"import", (fs::path(BLASTMAP_SOURCE_DIR) / "datasets" / "acme-ai").string(),
                             "--db", db().string(), "--quiet"},
                            root_, root_ / "out.txt");
    REQUIRE_MESSAGE(base.code == 0, base.err);
    before_ = StoreBytes(db());
    REQUIRE(!before_.first.empty());
  }
  ~StoreUnderTest() { fs::remove_all(root_); }
  fs::path db() const { return root_ / "store" / "blastmap.db"; }
  fs::path work() const { return root_ / "work"; }
  fs::path out() const { return root_ / "out.txt"; }
  bool Unchanged() const { return StoreBytes(db()) == before_; }

 private:
  fs::path root_;
  std::pair<std::string, std::string> before_;
};

struct Expectation {
  std::string file;                  // relative to the directory the command runs in
  std::vector<std::string> command;  // import | import --format F | what-if --blast ID | check
  int code = 2;
  // "LINE:COL"; "LINE:" for any column of that line; "-" for a message about the whole file ("FILE: ...");
  // "" for the message on any line.
  std::string location;
  std::string message;  // a substring of the message at that location
};

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::vector<Expectation> ReadExpectations() {
  std::ifstream in(kCorpus / "expected.tsv");
  REQUIRE(in);
  std::vector<Expectation> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::istringstream fields(line);
    for (std::string col; std::getline(fields, col, '\t');) cols.push_back(col);
    INFO("expected.tsv:" << number << ": " << line);
    REQUIRE(cols.size() == 5);
    rows.push_back({cols[0], Words(cols[1]), std::stoi(cols[2]), cols[3], cols[4]});
  }
  return rows;
}

// The arguments that run `e.command` on `file` against `db`.
std::vector<std::string> Arguments(const Expectation& e, const std::string& file, const fs::path& db) {
  std::vector<std::string> args{e.command.front()};
  std::vector<std::string> extra(e.command.begin() + 1, e.command.end());
  if (e.command.front() == "check") {
    args.insert(args.end(),
                {"--policy", file, (fs::path(BLASTMAP_SOURCE_DIR) / "datasets" / "acme-ai").string()});
  } else {
    args.insert(args.end(), {file, "--db", db.string()});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Runs one expectation in `dir` and checks everything the corpus promises.
void Check(const Expectation& e, const fs::path& dir, const StoreUnderTest& store) {
  Outcome o = RunBlastmap(Arguments(e, e.file, store.db()), dir, store.out());
  INFO(e.file << " (" << o.seconds << " s, " << o.max_rss_kb / 1024 << " MB peak):\n"
              << o.err.substr(0, 4000));
  CHECK_FALSE(o.timed_out);
  CHECK(o.code == e.code);
  CHECK(o.max_rss_kb < kMaxRssKb);
  CHECK(store.Unchanged());
  // The message is on the line that starts with the location.
  std::string prefix;
  if (e.location == "-") {
    prefix = e.file + ": ";
  } else if (!e.location.empty()) {
    prefix = e.file + ":" + e.location + (e.location.back() == ':' ? "" : ": ");
  }
  bool found = false;
  size_t longest = 0;
  std::istringstream lines(o.err);
  for (std::string line; std::getline(lines, line);) {
    longest = std::max(longest, line.size());
    // The commands that are not imports print "blastmap: " before the message.
    if (line.rfind("blastmap: ", 0) == 0) line.erase(0, 10);
    if (line.rfind(prefix, 0) == 0 && line.find(e.message) != std::string::npos) found = true;
  }
  CHECK_MESSAGE(found, "no line '" << prefix << "...'" << e.message << "'...'");
  // A message that quotes a huge value is cut: no line floods the terminal.
  CHECK(longest < 1100);
}

}  // namespace

TEST_CASE(
    "every file of the bad-input corpus fails with its error at its location, bounded, and the store "
    "unchanged") {
  auto rows = ReadExpectations();
  // The table and the folder agree: no file without an expectation, no expectation without its file.
  std::set<std::string> listed, present;
  for (const auto& e : rows) listed.insert(e.file);
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus)) {
    if (!entry.is_regular_file()) continue;
    auto rel = fs::relative(entry.path(), kCorpus).string();
    if (rel.find('/') != std::string::npos) present.insert(rel);
  }
  CHECK(listed == present);
  CHECK(rows.size() >= 60);
  StoreUnderTest store;
  for (const auto& e : rows) {
    Check(e, kCorpus, store);
  }
}

namespace {

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("generated hostile inputs (never committed) fail clearly, bounded, and the store unchanged") {
  StoreUnderTest store;
  const fs::path dir = store.work();
  constexpr size_t kDepth = 100'000;
  const std::string v = "blastmap: 1\n";
  struct Generated {
    std::string file, command, location, message;
  };
  std::vector<Generated> cases;

  // Nesting 10^5 levels deep, in every syntax that nests.
  Write(dir / "deep_flow.yaml", v + "vendors: " + Repeat("[", kDepth) + Repeat("]", kDepth) + "\n");
  cases.push_back({"deep_flow.yaml", "import", "2:", "invalid YAML: nesting deeper than"});
  Write(dir / "deep_flow_map.yaml",
        v + "vendors: " + Repeat("{a: ", kDepth) + "x" + Repeat("}", kDepth) + "\n");
  cases.push_back({"deep_flow_map.yaml", "import", "2:", "invalid YAML: nesting deeper than"});
  Write(dir / "deep_block.yaml", v + "vendors:\n" + Repeat("- ", kDepth) + "x\n");
  cases.push_back({"deep_block.yaml", "import", "3:", "invalid YAML: nesting deeper than"});
  Write(dir / "deep.json",
        "{\"blastmap\": 1, \"vendors\": " + Repeat("[", kDepth) + Repeat("]", kDepth) + "}\n");
  cases.push_back({"deep.json", "import", "1:283", "invalid JSON: nesting deeper than 256 levels"});

  // Very long strings: an id of 1 MB, an unknown key of 1 MB, a CSV cell of 1 MB.
  const std::string mb = Repeat("a", 1 << 20);
  Write(dir / "long_id.yaml", v + "vendors:\n  - id: " + mb + "\n    name: Acme\n");
  cases.push_back({"long_id.yaml", "import", "3:9", "vendor id 'aaaa"});
  Write(dir / "long_key.yaml", v + "vendors:\n  - id: acme\n    " + mb + ": Acme\n");
  // YAML caps a key at 1024 characters: a syntax error.
  cases.push_back({"long_key.yaml", "import", "4:", "invalid YAML"});
  Write(dir / "long_cell.csv", "vendor,categories\n" + mb + ",user.contact.email\n");
  cases.push_back({"long_cell.csv", "import", "2:1", "characters long; at most 200"});

  // A 200 MB file (sparse: no disk, and never read): refused by its size before anything is read.
  {
    std::ofstream(dir / "huge.yaml") << v;
    fs::resize_file(dir / "huge.yaml", uint64_t{200} << 20);
  }
  cases.push_back({"huge.yaml", "import", "-", "over the limit of 67108864 bytes"});
  // The limit is an option: lowered below a 2 MB file, the same error.
  Write(dir / "two_mb.yaml", v + "# " + Repeat("x", 2 << 20) + "\n");
  cases.push_back({"two_mb.yaml", "import --max-file-size 1", "-", "over the limit of 1048576 bytes"});

  // Symbolic-link loops in a manifest tree: a file loop and a directory that links to its parent.
  Write(dir / "tree" / "ok.yaml", v + "vendors:\n  - id: acme\n    name: Acme\n");
  fs::create_directory_symlink("..", dir / "tree" / "up");
  fs::create_symlink("b.yaml", dir / "tree" / "a.yaml");
  fs::create_symlink("a.yaml", dir / "tree" / "b.yaml");
  cases.push_back({"tree", "import", "", "tree/a.yaml: "});

  for (const auto& c : cases) Check({c.file, Words(c.command), 2, c.location, c.message}, dir, store);
}
