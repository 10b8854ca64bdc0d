// Parsing manifests on several threads gives the same model and the same messages, in the same order, as
// parsing them one by one; the progress callback sees every file and byte.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
using testing::TempTree;

namespace {

// 40 native files; every fifth has a problem (a syntax error, a type error, an unknown key, a dangling
// flow), some have warnings (a fides key unknown to blastmap would be one: here a link to nowhere is not).
void WriteTree(TempTree& tree, bool with_errors) {
  for (int i = 0; i < 40; ++i) {
    std::string id = "s" + std::to_string(i);
    std::string next = "s" + std::to_string((i + 1) % 40);
    std::string text = "systems:\n  - id: " + id + "\n    name: System " + std::to_string(i) +
                       "\n    flows:\n      - {to: " + next + ", categories: [user.contact.email]}\n";
    if (with_errors && i % 5 == 1) {
      switch (i / 5 % 4) {
        case 0: text += "vendors: [\n"; break;
        case 1: text += "vendors:\n  - id: v" + std::to_string(i) + "\n    tier: high\n"; break;
        case 2: text += "vendors:\n  - id: v" + std::to_string(i) + "\n    nmae: x\n"; break;
        default: text += "vendors:\n  - id: v" + std::to_string(i) + "\n    flows: [{to: nowhere, categories: [user.name]}]\n";
      }
    }
    char name[32];
    std::snprintf(name, sizeof name, "d%d/f%02d.yaml", i % 3, i);
    tree.Write(name, text);
  }
}

}  // namespace

TEST_CASE("parallel parsing: the same messages in the same order as a serial import") {
  TempTree tree;
  WriteTree(tree, true);
  ImportOptions serial, parallel;
  serial.threads = 1;
  parallel.threads = 4;
  auto a = ImportPath(tree.root(), serial);
  auto b = ImportPath(tree.root(), parallel);
  REQUIRE_FALSE(a.ok());
  REQUIRE_FALSE(b.ok());
  CHECK(a.status().message() == b.status().message());
  CHECK(tree.Relative(a.status().message()).find("d0/f06.yaml:") != std::string::npos);
  CHECK(tree.Relative(a.status().message()).find("d1/f01.yaml:7:1: invalid YAML") != std::string::npos);
}

TEST_CASE("parallel parsing: the same model, and progress over every file and byte") {
  TempTree tree;
  WriteTree(tree, false);
  ImportOptions serial, parallel;
  serial.threads = 1;
  parallel.threads = 3;
  std::vector<ImportProgress> seen;
  parallel.progress = [&](const ImportProgress& p) { seen.push_back(p); };
  auto a = ImportPath(tree.root(), serial);
  auto b = ImportPath(tree.root(), parallel);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value().files == b.value().files);
  REQUIRE(a.value().model.nodes.size() == b.value().model.nodes.size());
  for (size_t i = 0; i < a.value().model.nodes.size(); ++i) {
    CHECK(a.value().model.nodes[i].id == b.value().model.nodes[i].id);
    CHECK(a.value().model.nodes[i].where.ToString() == b.value().model.nodes[i].where.ToString());
  }
  REQUIRE(a.value().model.flows.size() == b.value().model.flows.size());
  for (size_t i = 0; i < a.value().model.flows.size(); ++i) {
    CHECK(a.value().model.flows[i].where.ToString() == b.value().model.flows[i].where.ToString());
  }
  REQUIRE(seen.size() == 40);
  CHECK(seen.back().files_done == 40);
  CHECK(seen.back().files_total == 40);
  CHECK(seen.back().bytes_done == seen.back().bytes_total);
  CHECK(seen.back().bytes_total > 40 * 80);
  for (size_t i = 1; i < seen.size(); ++i) CHECK(seen[i].bytes_done > seen[i - 1].bytes_done);
}

}  // namespace blastmap::importers
