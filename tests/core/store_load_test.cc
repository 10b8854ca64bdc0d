// Loading a snapshot reads the flows and accesses on a second connection while the other tables are read on
// the first (core/store_load.cc); these tests check that what comes back, and the errors of a damaged
// store, are those of a serial read.
#include <doctest/doctest.h>

#include <string>

#include "core/store.h"
#include "tests/core/store_fixtures.h"

namespace blastmap::core {

using namespace store_testing;

namespace {

std::string LoadError(const std::string& path) {
  auto model = OpenStore(path, /*read_only=*/true)->LoadSnapshot(1);
  REQUIRE_FALSE(model.ok());
  return model.status().message();
}

}  // namespace

TEST_CASE("a damaged store reports the first damaged table in table order, whichever connection reads it") {
  TempPath path;
  SaveOk(*OpenStore(path.str()), SampleModel(), "datasets/acme");
  RawDb raw(path.str());
  // Damage three tables: nodes (read first, on the first connection), accesses (on the second) and the
  // severity weights (read last, on the first).
  raw.Exec("UPDATE nodes SET kind = 'robot' WHERE pos = 0");
  raw.Exec("UPDATE accesses SET privilege = 'root' WHERE pos = 0");
  raw.Exec("INSERT INTO severity_weights(snapshot, section, key, value) VALUES (1, 'scalar', 'bogus', 1)");

  std::string error = LoadError(path.str());
  CHECK(error.find("has unknown kind 'robot'") != std::string::npos);
  CHECK(error.find("snapshot 1: ") != std::string::npos);
  CHECK(error.find("(the store is damaged)") != std::string::npos);

  raw.Exec("UPDATE nodes SET kind = 'system' WHERE pos = 0");
  error = LoadError(path.str());
  CHECK(error.find("an access has unknown privilege 'root'") != std::string::npos);
  CHECK(error.find("(the store is damaged)") != std::string::npos);

  raw.Exec("UPDATE accesses SET privilege = 'read' WHERE pos = 0");
  error = LoadError(path.str());
  CHECK(error.find("unknown severity weight 'scalar.bogus'") != std::string::npos);

  raw.Exec("DELETE FROM severity_weights WHERE key = 'bogus'");
  auto store = OpenStore(path.str(), /*read_only=*/true);
  auto model = store->LoadSnapshot(1);
  INFO(model.status().message());
  REQUIRE(model.ok());
  CHECK(model.value().nodes.size() == SampleModel().nodes.size());
}

TEST_CASE("a position far beyond the rows a store can hold is read in order, not reserved for") {
  TempPath path;
  const Model sample = SampleModel();
  REQUIRE(sample.flows.size() >= 2);
  SaveOk(*OpenStore(path.str()), sample, "datasets/acme");
  RawDb raw(path.str());
  // The last flow's position is moved to 10^15: the load reserves by max(pos) + 1 only when the file could
  // hold that many rows, so it must neither ask for petabytes nor lose or reorder a row.
  raw.Exec(("UPDATE flows SET pos = 1000000000000000 WHERE pos = " + std::to_string(sample.flows.size() - 1))
               .c_str());
  CheckSameModel(LoadOk(*OpenStore(path.str(), /*read_only=*/true), 1), sample);
}

TEST_CASE("every snapshot loads whole while another connection keeps adding snapshots") {
  TempPath path;
  SaveOk(*OpenStore(path.str()), SampleModel(), "datasets/acme");
  auto writer = OpenStore(path.str());
  auto reader = OpenStore(path.str(), /*read_only=*/true);
  for (int i = 0; i < 5; ++i) {
    const int64_t id = SaveOk(*writer, i % 2 ? SampleModel() : OtherModel(), "datasets/acme");
    CheckSameModel(LoadOk(*reader, id), i % 2 ? SampleModel() : OtherModel());
    CheckSameModel(LoadOk(*reader, 1), SampleModel());
  }
}

}  // namespace blastmap::core
