// The data-driven query tests: every tests/queries/*.test file names a dataset and lists queries with
// their expected answers (as CSV) or expected errors. Format: tests/queries/README.md.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "importers/import.h"
#include "query/engine.h"
#include "query/render.h"

namespace blastmap::query {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string file;
  int line = 0;
  bool error = false;
  std::string query, expected;
};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Parses one .test file: "dataset NAME", then blocks "query" | "error", query lines, "----", expected
// lines, ended by a blank line or the end of the file. '#' lines outside blocks are comments.
std::vector<Case> ReadCases(const fs::path& path, std::string& dataset) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::string line;
  int n = 0;
  enum { kOutside, kQuery, kExpected } state = kOutside;
  Case current;
  auto finish = [&] {
    if (state != kOutside) {
      current.query = Trim(current.query);
      current.expected = Trim(current.expected);
      cases.push_back(current);
    }
    state = kOutside;
  };
  while (std::getline(in, line)) {
    ++n;
    if (state == kOutside) {
      std::string t = Trim(line);
      if (t.empty() || t[0] == '#') continue;
      if (t.rfind("dataset ", 0) == 0) {
        dataset = Trim(t.substr(8));
      } else if (t == "query" || t == "error") {
        current = Case{path.filename().string(), n, t == "error", "", ""};
        state = kQuery;
      } else {
        FAIL(path.string() << ":" << n << ": expected 'dataset', 'query' or 'error', found '" << t << "'");
      }
    } else if (state == kQuery) {
      if (Trim(line) == "----") {
        state = kExpected;
      } else {
        current.query += line + "\n";
      }
    } else if (Trim(line).empty()) {
      finish();
    } else {
      current.expected += line + "\n";
    }
  }
  finish();
  return cases;
}

const Engine& DatasetEngine(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Engine>> engines;
  auto& engine = engines[name];
  if (!engine) {
    auto imported = importers::ImportPath(std::string(BLASTMAP_SOURCE_DIR) + "/datasets/" + name);
    REQUIRE_MESSAGE(imported.ok(), imported.status().message());
    auto e = Engine::FromModel(imported.take().model, 1);
    REQUIRE(e.ok());
    engine = e.take();
  }
  return *engine;
}

}  // namespace

TEST_CASE("every query in tests/queries/*.test gives its expected answer") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(std::string(BLASTMAP_SOURCE_DIR) + "/tests/queries")) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 3);
  size_t count = 0;
  for (const auto& path : files) {
    std::string dataset;
    auto cases = ReadCases(path, dataset);
    REQUIRE_MESSAGE(!dataset.empty(), path.string() << ": no 'dataset' line");
    CHECK_MESSAGE(!cases.empty(), path.string() << ": no cases");
    const Engine& engine = DatasetEngine(dataset);
    for (const auto& c : cases) {
      ++count;
      INFO(c.file << ":" << c.line << ": " << c.query);
      auto r = engine.Query(c.query);
      if (c.error) {
        REQUIRE_MESSAGE(!r.ok(), "expected an error");
        CHECK(r.status().message() == c.expected);
      } else {
        REQUIRE_MESSAGE(r.ok(), r.status().message());
        CHECK(Trim(QueryToCsv(r.value())) == c.expected);
      }
    }
  }
  CHECK(count >= 20);
}

}  // namespace blastmap::query
