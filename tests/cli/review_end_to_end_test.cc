// End to end: the review commands (query, what-if, minimise, diff, check, export) of the built binary
// against datasets/acme-ai, their exit codes, and what-if leaving the store untouched.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/cli/run_command.h"

namespace {

namespace fs = std::filesystem;

using blastmap::testing::Run;
using blastmap::testing::RunCommand;

// Runs the blastmap binary in the source tree (the tests name its datasets by relative paths).
Run BlastmapInSource(const std::string& args, bool merge = true) {
  return RunCommand("cd " + std::string(BLASTMAP_SOURCE_DIR) + " && " + BLASTMAP_BINARY + " " + args +
                    (merge ? " 2>&1" : " 2>/dev/null"));
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("blastmap_review_" + std::to_string(getpid()) + "_" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string File(const std::string& name) const { return (path / name).string(); }
};

using blastmap::testing::ReadFile;

}  // namespace

TEST_CASE("what-if prints before, after and delta, and never writes the store") {
  TempDir tmp;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  std::ofstream(tmp.File("overlay.yaml"))
      << "what_if:\n  - drop_category: {from: platform-web, to: mixpanel, category: user.contact.email}\n"
         "  - remove_vendor: segment\n";
  std::string before = ReadFile(db), wal_before = ReadFile(db + "-wal");
  auto mtime = fs::last_write_time(db);
  Run r = BlastmapInSource(
      "what-if " + tmp.File("overlay.yaml") + " --blast mixpanel --format json --db " + db, false);
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["delta"]["categories_removed"] == nlohmann::json::array({"user.contact.email"}));
  // The same edit through the language, then the store is byte-for-byte what the import wrote.
  Run q = BlastmapInSource("query --format csv --db " + db +
                           " -e 'what if remove vendor segment then count vendors; count vendors'");
  REQUIRE(q.code == 0);
  CHECK(q.out == "count\n41\n\ncount\n42\n");
  CHECK(ReadFile(db) == before);
  CHECK(fs::last_write_time(db) == mtime);
  CHECK(ReadFile(db + "-wal") == wal_before);
  Run snapshots = BlastmapInSource("snapshots --db " + db);
  CHECK(snapshots.out.find("2 ") == std::string::npos);
}

TEST_CASE("query: -e and -f, every format, and errors with their position exit 2") {
  TempDir tmp;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  Run csv = BlastmapInSource("query --format csv --db " + db +
                             " -e 'vendors where role = analytics order by id show id'");
  CHECK(csv.code == 0);
  CHECK(csv.out == "id\nmixpanel\nsegment\n");
  Run json = BlastmapInSource("query --format json --db " + db + " -e 'count vendors'", false);
  CHECK(nlohmann::json::parse(json.out)[0]["count"] == 42);
  Run md = BlastmapInSource("query --format markdown --db " + db +
                            " -e 'rank vendors by severity limit 1 show id'");
  CHECK(md.out.find("| id |\n| --- |\n| okta |") != std::string::npos);
  Run bad = BlastmapInSource("query --db " + db + " -e 'vendors where tier >'");
  CHECK(bad.code == 2);
  CHECK(bad.out.find("query:1:21: expected a value") != std::string::npos);
  std::ofstream(tmp.File("review.bmq")) << "# a review\ncount vendors\n\nvendors where rol = x\n";
  Run file = BlastmapInSource("query --db " + db + " -f " + tmp.File("review.bmq"));
  CHECK(file.code == 2);
  CHECK(file.out.find(tmp.File("review.bmq") + ":4:15: unknown column 'rol'") != std::string::npos);
}

TEST_CASE("the example scripts in docs/examples run on acme-ai") {
  TempDir tmp;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  size_t scripts = 0;
  for (const auto& entry : fs::directory_iterator(std::string(BLASTMAP_SOURCE_DIR) + "/docs/examples")) {
    if (entry.path().extension() != ".bmq") continue;
    ++scripts;
    for (const char* format : {"table", "json", "csv", "markdown"}) {
      Run r = BlastmapInSource("query --db " + db + " --format " + format + " -f " + entry.path().string());
      CHECK_MESSAGE(r.code == 0, entry.path().string() << " (" << format << "): " << r.out);
    }
  }
  CHECK(scripts >= 3);
}

TEST_CASE("minimise on acme-ai: mixpanel needs one cut for no user.contact; exit 1 when impossible") {
  TempDir tmp;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  Run r = BlastmapInSource("minimise mixpanel --goal 'no user.contact' --format json --db " + db, false);
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["cuts"].size() == 1);
  CHECK(j["cuts"][0]["from"] == "platform-web");
  CHECK(j["cuts"][0]["category"] == "user.contact.email");
  CHECK(j["cuts"][0]["where"] == "datasets/acme-ai/systems/platform.yaml:14:9");
  CHECK(j["verified"] == true);
  Run impossible = BlastmapInSource("minimise okta --goal 'no sensitivity >= restricted' --db " + db);
  CHECK(impossible.code == 1);
  CHECK(impossible.out.find("The goal cannot be met") != std::string::npos);
  CHECK(BlastmapInSource("minimise mixpanel --goal 'no user.contct' --db " + db).code == 2);
}

TEST_CASE("diff between two manifest trees and a snapshot, with --fail-on for CI") {
  TempDir tmp;
  fs::copy(std::string(BLASTMAP_SOURCE_DIR) + "/datasets/acme-ai", tmp.path / "acme",
           fs::copy_options::recursive);
  std::string platform = (tmp.path / "acme/systems/platform.yaml").string();
  std::string text = ReadFile(platform);
  auto at = text.find("categories: [user.name, user.contact.email, user.location.imprecise");
  REQUIRE(at != std::string::npos);
  text.insert(at + std::string("categories: [").size(), "user.financial.credit_card, ");
  std::ofstream(platform) << text;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  Run same = BlastmapInSource("diff 1 datasets/acme-ai --fail-on any --db " + db);
  CHECK(same.code == 0);
  CHECK(same.out.find("0 change(s)") != std::string::npos);
  Run changed =
      BlastmapInSource("diff 1 " + (tmp.path / "acme").string() + " --fail-on new-restricted --db " + db);
  CHECK(changed.code == 1);
  CHECK(changed.out.find("mixpanel: newly exposes restricted user.financial.credit_card") !=
        std::string::npos);
  Run json =
      BlastmapInSource("diff datasets/acme-ai " + (tmp.path / "acme").string() + " --format json", false);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["changes"].size() == 1);
  CHECK(j["changes"][0]["key"] == "platform-web -> mixpanel");
  CHECK(j["vendors"][0]["id"] == "mixpanel");
  CHECK(j["vendors"][0]["severity_after"]["level"] == "critical");
  CHECK(BlastmapInSource("diff datasets/acme-ai " + (tmp.path / "acme").string() +
                         " --fail-on severity-increase")
            .code == 1);
  CHECK(BlastmapInSource("diff nowhere datasets/acme-ai").code == 2);
}

TEST_CASE("check: the example policy fails on acme-ai with located violations; a clean policy passes") {
  Run text = BlastmapInSource("check --policy docs/examples/policy.yaml datasets/acme-ai");
  CHECK(text.code == 1);
  CHECK(text.out.find("datasets/acme-ai/systems/chat.yaml:480:9: error: flow push-service -> apple carries "
                      "user.content.private.chat") != std::string::npos);
  TempDir tmp;
  std::ofstream(tmp.File("clean.yaml"))
      << "policy: 1\nrules:\n  - id: no-special-categories-to-analytics\n"
         "    flows: {to: role = analytics, carrying: flags contains special_category}\n";
  Run clean =
      BlastmapInSource("check --policy " + tmp.File("clean.yaml") + " datasets/acme-ai --format json");
  CHECK(clean.code == 0);
  CHECK(clean.out.find("\"violations\": []") != std::string::npos);
  CHECK(BlastmapInSource("check --policy " + tmp.File("missing.yaml") + " datasets/acme-ai").code == 2);
}

TEST_CASE("check: Fides policies of the tree, of a snapshot and of a policy file, located like other rules") {
  const std::string tree = "tests/importers/fixtures/fides";
  Run own = BlastmapInSource("check " + tree);  // the tree's shopco_policy passes
  CHECK(own.code == 0);
  CHECK(own.out.find("1 rule(s) from Fides shopco_policy: 0 violation(s), 0 error(s)") != std::string::npos);

  Run fail = BlastmapInSource("check --policy docs/examples/fides_policy.yml " + tree);
  CHECK(fail.code == 1);
  CHECK(fail.out.find(tree +
                      "/systems.yml:37:9: error: declaration 'Email campaigns' of system klaviyo "
                      "violates rule 'Reject direct marketing' of Fides policy shopco_marketing_policy: "
                      "data categories (user.contact.email) for data uses "
                      "(marketing.communications.email) and subjects (customer); rule at "
                      "docs/examples/fides_policy.yml:12:9 "
                      "[shopco_marketing_policy/Reject direct marketing]") != std::string::npos);
  CHECK(fail.out.find("3 rule(s) from docs/examples/fides_policy.yml + Fides shopco_policy, "
                      "shopco_marketing_policy: 1 violation(s), 1 error(s)") != std::string::npos);

  Run json =
      BlastmapInSource("check --policy docs/examples/fides_policy.yml " + tree + " --format json", false);
  CHECK(json.code == 1);
  auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["violations"].size() == 1);
  const auto& v = doc["violations"][0];
  CHECK(v["line"] == 37);
  CHECK(v["fides"]["policy"] == "shopco_marketing_policy");
  CHECK(v["fides"]["system"] == "klaviyo");
  CHECK(v["fides"]["declaration"] == "Email campaigns");
  CHECK(v["fides"]["data_categories"] == nlohmann::json::array({"user.contact.email"}));
  CHECK(v["fides"]["rule_line"] == 12);

  TempDir tmp;
  std::string db = tmp.File("shop.db");
  REQUIRE(BlastmapInSource("import " + tree + " --db " + db).code == 0);
  CHECK(BlastmapInSource("check --db " + db).code == 0);  // the policy came with the snapshot
  CHECK(BlastmapInSource("check --policy docs/examples/fides_policy.yml --db " + db).code == 1);
  Run one =
      BlastmapInSource("check --policy docs/examples/fides_policy.yml --fides-key shopco_policy --db " + db);
  CHECK(one.code == 0);
  Run typo = BlastmapInSource("check --fides-key shopco_polcy --db " + db);
  CHECK(typo.code == 2);
  CHECK(typo.out.find("no Fides policy 'shopco_polcy' (did you mean 'shopco_policy'?)") != std::string::npos);
  Run nothing = BlastmapInSource("check datasets/acme-ai");
  CHECK(nothing.code == 2);
  CHECK(nothing.out.find("nothing to check") != std::string::npos);
  std::ofstream(tmp.File("bad.yml"))
      << "policy:\n  - fides_key: p\n    rules:\n      - name: r\n"
         "        data_categories: {matches: ANY, values: [user.contact.emial]}\n"
         "        data_uses: {matches: ANY, values: [marketing]}\n"
         "        data_subjects: {matches: ANY, values: [customer]}\n";
  Run bad = BlastmapInSource("check --policy " + tmp.File("bad.yml") + " --db " + db);
  CHECK(bad.code == 2);
  CHECK(bad.out.find(tmp.File("bad.yml") + ":5:50: unknown data category 'user.contact.emial' (did you mean "
                                           "'user.contact.email'?)") != std::string::npos);
}

TEST_CASE("export formats: mermaid and csv of a neighbourhood, errors exit 2") {
  TempDir tmp;
  std::string db = tmp.File("acme.db");
  REQUIRE(BlastmapInSource("import datasets/acme-ai --db " + db).code == 0);
  Run mermaid = BlastmapInSource("export --format mermaid --blast mixpanel --db " + db, false);
  CHECK(mermaid.code == 0);
  CHECK(mermaid.out.rfind("flowchart LR\n", 0) == 0);
  CHECK(mermaid.out.find("classDef seed") != std::string::npos);
  Run csv = BlastmapInSource("export --format csv --around mixpanel --depth 1 --db " + db, false);
  CHECK(csv.out.find("flow,platform-web,system,,mixpanel,vendor,,") != std::string::npos);
  CHECK(csv.out.find("flow,mixpanel,vendor,,gcp,vendor,,*,") != std::string::npos);
  CHECK(BlastmapInSource("export --around mixpanl --db " + db).code == 2);
}
