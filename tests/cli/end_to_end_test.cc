// End to end: the built binary against the shipped datasets.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli/run_command.h"

namespace {

namespace fs = std::filesystem;

using blastmap::testing::Run;
using blastmap::testing::RunCommand;

using blastmap::testing::Blastmap;
using blastmap::testing::ReadFile;

// Runs and returns stdout only, parsed as JSON.
nlohmann::json BlastmapJson(const std::string& args) {
  Run run = RunCommand(std::string(BLASTMAP_BINARY) + " " + args);
  REQUIRE(run.code == 0);
  return nlohmann::json::parse(run.out);
}

// A store with datasets/acme-ai imported once by the binary, shared by the tests of this file.
const std::string& CliAcmeDb() {
  static const std::string db = [] {
    std::string path =
        (fs::temp_directory_path() / ("blastmap_e2e_" + std::to_string(getpid()) + ".db")).string();
    fs::remove(path);
    Run r = Blastmap("import " + std::string(BLASTMAP_SOURCE_DIR) + "/datasets/acme-ai --db " + path);
    REQUIRE_MESSAGE(r.code == 0, r.out);
    static const std::string to_remove = path;
    std::atexit([] {
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(to_remove + suffix);
    });
    return path;
  }();
  return db;
}

std::set<std::string> ExposedCategories(const nlohmann::json& brief) {
  std::set<std::string> out;
  for (const auto& e : brief["exposed"]) out.insert(e["category"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the Mixpanel brief holds exactly what the 2025 incident exposed, and nothing else") {
  auto brief = BlastmapJson("blast mixpanel --format json --db " + CliAcmeDb());
  CHECK(brief["seeds"] == nlohmann::json::array({"mixpanel"}));
  CHECK(ExposedCategories(brief) == std::set<std::string>{"user.name", "user.contact.email",
                                                          "user.location.imprecise", "user.device.browser_os",
                                                          "user.behavior.referrer", "user.unique_id",
                                                          "user.account.organization_id"});
  for (const auto& e : brief["exposed"]) {
    std::string key = e["category"];
    for (const char* excluded : {"user.content", "user.authorization", "user.financial", "user.payment"}) {
      CHECK_MESSAGE(key.rfind(excluded, 0) != 0, key);
    }
    CHECK(e["subjects"] == nlohmann::json::array({"api_user"}));
    REQUIRE(e["provenance"].size() == 1);
    CHECK(e["provenance"][0]["from"] == "platform-web");
    CHECK(e["provenance"][0]["file"].get<std::string>().find("datasets/acme-ai/systems/platform.yaml") !=
          std::string::npos);
    CHECK(e["provenance"][0]["line"].get<int>() > 0);
  }
  REQUIRE(brief["compromised"].size() == 1);
  CHECK(brief["compromised"][0]["via"] == "seed");
  // Reassurance: chat content, API keys and cards are listed as not exposed.
  std::set<std::string> safe;
  for (const auto& n : brief["not_exposed_sensitive"]) safe.insert(n["category"].get<std::string>());
  CHECK(safe.count("user.content.private.chat"));
  CHECK(safe.count("user.authorization.credentials.api_key"));
  CHECK(safe.count("user.financial.credit_card"));
  CHECK(brief["severity"]["level"].is_string());
}

TEST_CASE("a joint compromise exposes the union; a fourth party exposes what several vendors forwarded") {
  auto mixpanel = ExposedCategories(BlastmapJson("blast mixpanel --format json --db " + CliAcmeDb()));
  auto segment = ExposedCategories(BlastmapJson("blast segment --format json --db " + CliAcmeDb()));
  auto joint = ExposedCategories(BlastmapJson("blast mixpanel segment --format json --db " + CliAcmeDb()));
  std::set<std::string> both = mixpanel;
  both.insert(segment.begin(), segment.end());
  CHECK(joint == both);
  CHECK(joint.size() > mixpanel.size());

  auto gcp = BlastmapJson("blast gcp --format json --db " + CliAcmeDb());
  auto gcp_categories = ExposedCategories(gcp);
  for (const auto& c : mixpanel) CHECK_MESSAGE(gcp_categories.count(c), c);  // mixpanel forwards "*" to gcp
  std::set<std::string> forwarders;
  for (const auto& e : gcp["exposed"]) {
    const auto& path = e["provenance"];
    REQUIRE(path.size() >= 1);
    CHECK(path.back()["to"] == "gcp");
    for (const auto& hop : path) {
      if (hop["kind"] == "forward" && hop["to"] == "gcp") forwarders.insert(hop["from"].get<std::string>());
    }
  }
  CHECK(forwarders.size() >= 2);
  CHECK(forwarders.count("mixpanel"));
}

TEST_CASE("the identity provider pivots through admin access into our systems") {
  auto okta = BlastmapJson("blast okta --format json --db " + CliAcmeDb());
  int controlled_systems = 0;
  for (const auto& c : okta["compromised"])
    controlled_systems += c["kind"] == "system" && c["controlled"] == true;
  CHECK(controlled_systems >= 10);
  CHECK(okta["severity"]["level"] == "critical");
}

TEST_CASE("blastmap runs with huge pages for its heap where the kernel gives them on request") {
  std::ifstream setting("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string kernel;
  std::getline(setting, kernel);
  const bool on_request = kernel.find("[madvise]") != std::string::npos;
  // A sanitizer build (make test) starts again only when asked (its allocator is not glibc's).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const bool sanitized = true;
#else
  const bool sanitized = false;
#endif
  const std::string ask = sanitized ? "BLASTMAP_HUGE_PAGES=1 " : "";
  auto run = [](const std::string& env, const std::string& args) {
    std::string command = "env -u GLIBC_TUNABLES -u BLASTMAP_HUGE_PAGES ";
    command += env;
    command += " ";
    command += BLASTMAP_BINARY;
    command += " ";
    command += args;
    command += " 2>&1";
    Run r = RunCommand(command);
    CHECK(r.code == 0);
    return r.out;
  };
  auto version = [&](const std::string& env) {
    const std::string out = run(env, "--version");
    CHECK(out.rfind("blastmap 0.1.0\n", 0) == 0);
    return out;
  };
  if (on_request) {
    // The program started again with the tunables (huge pages, one malloc arena): what it reports is the
    // new start's environment. An arena_max of the user's is kept.
    CHECK(version(ask).find("memory: transparent huge pages for the heap "
                            "(GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1)") !=
          std::string::npos);
    CHECK(version(ask + "GLIBC_TUNABLES=glibc.malloc.arena_max=4")
              .find("(GLIBC_TUNABLES=glibc.malloc.arena_max=4:glibc.malloc.hugetlb=1)") != std::string::npos);
    // The arguments and descriptors survive the new start: a brief as usual.
    CHECK(run(ask, "blast mixpanel --db " + CliAcmeDb() + " --format json").find("\"exposed\"") !=
          std::string::npos);
    if (sanitized) {
      CHECK(
          version("").find("memory: 4 KiB pages (a sanitizer's allocator; BLASTMAP_HUGE_PAGES=1 starts again "
                           "anyway)") != std::string::npos);
    }
  } else if (kernel.find("[always]") != std::string::npos) {
    CHECK(version(ask).find("memory: the kernel's transparent huge pages, on every large mapping (always)") !=
          std::string::npos);
  } else {
    CHECK(version(ask).find("memory: 4 KiB pages (the kernel's transparent huge pages: ") !=
          std::string::npos);
  }
  CHECK(version("BLASTMAP_HUGE_PAGES=0").find("memory: 4 KiB pages (BLASTMAP_HUGE_PAGES=0)") !=
        std::string::npos);
  CHECK(version(ask + "GLIBC_TUNABLES=glibc.malloc.hugetlb=0")
            .find("memory: 4 KiB pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=0)") != std::string::npos);
}

TEST_CASE("show prints one node with its flows, access edges, holdings and provenance") {
  auto node = BlastmapJson("show mixpanel --format json --db " + CliAcmeDb());
  CHECK(node["id"] == "mixpanel");
  CHECK(node["kind"] == "vendor");
  REQUIRE(node["flows_in"].size() == 1);
  CHECK(node["flows_in"][0]["from"] == "platform-web");
  CHECK(node["flows_out"][0]["categories"] == "*");
  CHECK(node["held"].size() == 7);
  CHECK(node["attributes"]["tier"].is_number_integer());
  CHECK(node["file"].get<std::string>().find("vendors/mixpanel.yaml") != std::string::npos);
  Run table = Blastmap("show mixpanel --db " + CliAcmeDb());
  CHECK(table.code == 0);
  CHECK(table.out.find("Flows in (1)") != std::string::npos);
}

TEST_CASE("every kind of import error names file:line:col, exits 2 and leaves the store unchanged") {
  struct Case {
    const char* kind;
    const char* file;
    const char* text;
    const char* expected;  // the message, after the file's path
  };
  const Case cases[] = {
      {"syntax", "bad.yaml", "systems:\n  - id: web\n    name: [unclosed\n", ":4:1: invalid YAML"},
      {"json syntax", "bad.json", "{\"systems\": [\n  {\"id\": \"web\",}\n]}", ":2:16: invalid JSON"},
      {"unknown key", "bad.yaml", "systems:\n  - id: web\n    onwer: x\n",
       ":3:5: system: unknown key 'onwer' (did you mean 'owner'?)"},
      {"dangling reference", "bad.yaml",
       "systems:\n  - id: web\n    flows:\n      - {to: mixpnl, categories: [user.name]}\n",
       ":4:14: flow to 'mixpnl' names no known node"},
      {"duplicate id", "bad.yaml", "vendors:\n  - id: v\n  - id: v\n",
       ":3:9: duplicate id 'v' (first declared at "},
      {"unknown category", "bad.yaml", "systems:\n  - id: web\n    stores: [user.contact.emial]\n",
       ":3:14: unknown category 'user.contact.emial' (did you mean 'user.contact.email'?)"},
      {"type error", "bad.yaml", "vendors:\n  - id: v\n    tier: high\n",
       ":3:11: tier: expected an integer, found 'high'"},
  };
  fs::path dir = fs::temp_directory_path() / ("blastmap_e2e_bad_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string db = (dir / "store.db").string();
  REQUIRE(Blastmap("import " + std::string(BLASTMAP_SOURCE_DIR) + "/datasets/acme-ai --db " + db).code == 0);
  const std::string before = ReadFile(db);
  for (const Case& c : cases) {
    CAPTURE(c.kind);
    std::string path = (dir / c.file).string();
    std::ofstream(path) << c.text;
    Run bad = Blastmap("import " + path + " --db " + db);
    CHECK(bad.code == 2);
    CHECK_MESSAGE(bad.out.find(path + c.expected) != std::string::npos, bad.out);
    CHECK(bad.out.find("the store was not changed") != std::string::npos);
    CHECK(ReadFile(db) == before);
    fs::remove(path);
  }
  Run list = Blastmap("snapshots --db " + db);
  CHECK(list.out.find("\n1 ") != std::string::npos);
  CHECK(list.out.find("\n2 ") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a failed import into a store that did not exist leaves no file; an empty file is left alone") {
  // The store is opened before the files are read (its rows are written while they parse): a failure must
  // not leave the store it created behind, nor make an existing empty file a store.
  fs::path dir = fs::temp_directory_path() / ("blastmap_e2e_new_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string db = (dir / "new.db").string(), empty = (dir / "empty.db").string();
  std::ofstream(dir / "good.yaml")
      << "systems:\n  - id: web\n    flows: [{to: v, categories: [user.name]}]\n";
  std::ofstream(dir / "zz-bad.yaml") << "vendors:\n  - id: v\n    tier: high\n";
  Run bad = Blastmap("import " + dir.string() + " --db " + db);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("zz-bad.yaml:3:11: tier: expected an integer") != std::string::npos);
  for (const char* suffix : {"", "-wal", "-shm"}) CHECK_FALSE(fs::exists(db + suffix));
  std::ofstream(empty).flush();
  CHECK(Blastmap("import " + dir.string() + " --db " + empty).code == 2);
  CHECK(fs::exists(empty));
  CHECK(fs::file_size(empty) == 0);
  fs::remove(dir / "zz-bad.yaml");
  CHECK(Blastmap("import " + dir.string() + " --db " + db).code == 2);  // v is still unknown: no file either
  CHECK_FALSE(fs::exists(db));
  std::ofstream(dir / "zz-good.yaml") << "vendors:\n  - id: v\n";
  Run good = Blastmap("import " + dir.string() + " --db " + db);
  CHECK_MESSAGE(good.code == 0, good.out);
  CHECK(good.out.find("as snapshot 1: 2 nodes, 1 flows") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("every import is a new snapshot, and --snapshot reads an older one") {
  fs::path dir = fs::temp_directory_path() / ("blastmap_e2e_snap_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string db = (dir / "s.db").string();
  std::ofstream(dir / "v1.yaml") << "vendors:\n  - id: old-vendor\n";
  std::ofstream(dir / "v2.yaml") << "vendors:\n  - id: new-vendor\n";
  REQUIRE(Blastmap("import " + (dir / "v1.yaml").string() + " --db " + db).code == 0);
  REQUIRE(Blastmap("import " + (dir / "v2.yaml").string() + " --db " + db).code == 0);
  CHECK(Blastmap("show new-vendor --db " + db).code == 0);
  CHECK(Blastmap("show old-vendor --db " + db).code == 2);
  CHECK(Blastmap("show old-vendor --snapshot 1 --db " + db).code == 0);
  CHECK(Blastmap("show old-vendor --snapshot 9 --db " + db).code == 2);
  fs::remove_all(dir);
}

TEST_CASE("usage: --help works everywhere, bad usage and unknown nodes exit 2") {
  for (const char* cmd :
       {"", "import ", "blast ", "show ", "snapshots ", "rank ", "who-holds ", "paths ", "replay "}) {
    Run help = Blastmap(std::string(cmd) + "--help");
    CHECK_MESSAGE(help.code == 0, cmd);
    CHECK(help.out.find("Usage") != std::string::npos);
  }
  CHECK(Blastmap("").code == 2);
  CHECK(Blastmap("blast").code == 2);
  CHECK(Blastmap("frobnicate").code == 2);
  CHECK(Blastmap("blast mixpanel --format yaml --db " + CliAcmeDb()).code == 2);
  Run unknown = Blastmap("blast mixpanl --db " + CliAcmeDb());
  CHECK(unknown.code == 2);
  CHECK(unknown.out.find("did you mean 'mixpanel'") != std::string::npos);
  Run missing = Blastmap("blast mixpanel --db /nonexistent/dir/x.db");
  CHECK(missing.code == 2);
  CHECK(missing.out.find("run 'blastmap import' first") != std::string::npos);
}

TEST_CASE("rank, who-holds and paths answer on the sample company") {
  auto rank = BlastmapJson("rank --format json --db " + CliAcmeDb());
  CHECK(rank["candidates"].get<int>() >= 30);
  CHECK(rank["rows"][0]["severity"]["level"] == "critical");
  auto holders = BlastmapJson("who-holds user.financial.credit_card --format json --db " + CliAcmeDb());
  std::set<std::string> exposing;
  for (const auto& e : holders["exposed_by"]) exposing.insert(e["id"].get<std::string>());
  CHECK(exposing.count("stripe"));
  CHECK_FALSE(exposing.count("mixpanel"));
  auto one =
      BlastmapJson("who-holds user.financial.credit_card --max-via 1 --format json --db " + CliAcmeDb());
  REQUIRE(one["exposed_by"].size() == holders["exposed_by"].size());
  for (size_t i = 0; i < one["exposed_by"].size(); ++i) {
    CHECK(one["exposed_by"][i]["via"].size() == 1);
    CHECK(one["exposed_by"][i]["via_total"] == holders["exposed_by"][i]["via"].size());
  }
  // --min-likelihood keeps the vendors as likely as it or more, as the API's min_likelihood does.
  auto likely = BlastmapJson(
      "who-holds user.financial.credit_card --min-likelihood 0.95 --format json --db " + CliAcmeDb());
  size_t kept = 0;
  for (const auto& e : holders["exposed_by"]) kept += e["likelihood"].get<double>() >= 0.95;
  CHECK(likely["exposed_by"].size() == kept);
  CHECK(kept < holders["exposed_by"].size());
  auto paths = BlastmapJson("paths platform-web gcp --edges flows --format json --db " + CliAcmeDb());
  REQUIRE(paths["paths"].size() >= 1);
  CHECK(paths["paths"][0].back()["to"] == "gcp");
}

namespace {

std::set<std::string> SeedIds(const nlohmann::json& replay) {
  std::set<std::string> out;
  for (const auto& s : replay["seeds"]) out.insert(s["id"].get<std::string>());
  return out;
}

std::set<std::string> Rules(const nlohmann::json& brief) {
  std::set<std::string> out;
  for (const auto& o : brief["obligations"]) out.insert(o["rule"].get<std::string>());
  return out;
}

// How many of the categories that really leaked are exposed here too.
int RealMatched(const nlohmann::json& replay) {
  int n = 0;
  for (const auto& c : replay["comparison"]["really_exposed"]) n += !c["here"].empty();
  return n;
}

}  // namespace

TEST_CASE(
    "the Mixpanel brief's obligations: GDPR and UK GDPR 72 h, the contract, nothing for high-risk data") {
  auto brief = BlastmapJson("blast mixpanel --format json --db " + CliAcmeDb());
  auto rules = Rules(brief);
  CHECK(rules == std::set<std::string>{"gdpr-art33", "uk-gdpr-art33", "contract:mixpanel", "jp-appi-ppc",
                                       "in-cert-in", "pipeda-record"});
  for (const auto& o : brief["obligations"]) {
    if (o["rule"] == "gdpr-art33") {
      CHECK(o["deadline_hours"] == 72);
      CHECK(o["why"]["jurisdictions"] == nlohmann::json::array({"EU"}));
      CHECK(o["why"]["records"] == 2400000);
      CHECK(o["file"] == "datasets/regulations/gdpr.yaml");
    }
  }
  CHECK(brief["obligations"][0]["rule"] == "in-cert-in");  // 6 hours: the first deadline
  CHECK(brief["jurisdictions_without_rules"].empty());
  CHECK(brief["obligations"][0]["due"].is_null());
  auto dated =
      BlastmapJson("blast mixpanel --discovered 2025-11-09T14:00Z --format json --db " + CliAcmeDb());
  CHECK(dated["options"]["discovered"] == "2025-11-09T14:00Z");
  CHECK(dated["obligations"][0]["due"] == "2025-11-09T20:00Z");  // CERT-In: 6 hours
  for (const auto& o : dated["obligations"]) {
    if (o["rule"] == "gdpr-art33") CHECK(o["due"] == "2025-11-12T14:00Z");
    if (o["rule"] == "pipeda-record") CHECK(o["due"].is_null());  // no fixed window
  }
  Run bad = Blastmap("blast mixpanel --discovered yesterday --db " + CliAcmeDb());
  CHECK(bad.code == 2);
  CHECK(bad.out.find("--discovered") != std::string::npos);
}

TEST_CASE("every incident of the library replays on the sample company with its known answer") {
  struct Known {
    const char* incident;
    const char* match;
    std::set<std::string> seeds;
    const char* level;
    int real_matched, real_total;
    std::set<std::string> must_trigger;
  };
  const std::vector<Known> known = {
      {"mixpanel-2025", "identity", {"mixpanel"}, "high", 7, 7, {"gdpr-art33", "contract:mixpanel"}},
      {"salesloft-drift-2025",
       "identity",
       {"salesloft"},
       "critical",
       6,
       7,
       {"gdpr-art34", "contract:salesloft"}},
      {"snowflake-2024", "identity", {"snowflake"}, "critical", 4, 6, {"gdpr-art34", "contract:snowflake"}},
      {"polyfill-2024", "role", {"cloudflare"}, "critical", 1, 2, {"gdpr-art34", "us-ca-1798.82-residents"}},
      {"moveit-2023", "none", {}, nullptr, 0, 6, {}},
      {"circleci-2023", "identity", {"circleci"}, "critical", 2, 2, {"pci-dss-brands", "gdpr-art34"}},
      {"okta-support-2023", "identity", {"okta"}, "critical", 3, 3, {"hipaa-individuals", "contract:okta"}},
      {"solarwinds-2020", "role", {"datadog"}, "high", 4, 4, {"gdpr-art34", "contract:datadog"}},
  };
  Run list = Blastmap("replay --list");
  REQUIRE(list.code == 0);
  for (const auto& k : known) {
    INFO(k.incident);
    CHECK(list.out.find(k.incident) != std::string::npos);
    auto r = BlastmapJson(std::string("replay ") + k.incident + " --format json --db " + CliAcmeDb());
    CHECK(r["incident"]["id"] == k.incident);
    CHECK(r["match"] == k.match);
    CHECK(SeedIds(r) == k.seeds);
    CHECK(static_cast<int>(r["comparison"]["really_exposed"].size()) == k.real_total);
    CHECK(RealMatched(r) == k.real_matched);
    CHECK_FALSE(r["incident"]["sources"].empty());
    if (!k.level) {
      CHECK(r["brief"].is_null());
      continue;
    }
    CHECK(r["brief"]["severity"]["level"] == k.level);
    auto rules = Rules(r["brief"]);
    for (const auto& rule : k.must_trigger) CHECK_MESSAGE(rules.count(rule), rule);
  }
  // Mixpanel on this map leaks exactly what the real incident leaked: nothing more, nothing it denied.
  auto mixpanel = BlastmapJson("replay mixpanel-2025 --format json --db " + CliAcmeDb());
  CHECK(mixpanel["comparison"]["beyond"].empty());
  CHECK(mixpanel["comparison"]["said_not_exposed"].empty());
  Run table = Blastmap("replay moveit-2023 --db " + CliAcmeDb());
  CHECK(table.code == 0);
  CHECK(table.out.find("would not have reached this map") != std::string::npos);
  Run unknown = Blastmap("replay mixpanel --db " + CliAcmeDb());
  CHECK(unknown.code == 2);
  CHECK(unknown.out.find("did you mean 'mixpanel-2025'") != std::string::npos);
}

TEST_CASE("--at evaluates the map on a date; --at-incident uses the incident's") {
  auto intercom = BlastmapJson("blast intercom --at 2025-06-01 --format json --db " + CliAcmeDb());
  CHECK(intercom["at"] == "2025-06-01");
  CHECK(ExposedCategories(intercom).count("user.content.private.support_message"));  // still stored
  Run before = Blastmap("blast mixpanel --at 2022-01-01 --db " + CliAcmeDb());
  CHECK(before.code == 2);
  CHECK(before.out.find("as of 2022-01-01") != std::string::npos);
  CHECK(Blastmap("blast mixpanel --at 2022-31-01 --db " + CliAcmeDb()).code == 2);
  // Zendesk's AI agents (the flow to openai) were switched on in May 2024.
  CHECK(BlastmapJson("blast openai --at 2024-01-01 --format json --db " + CliAcmeDb())["exposed"].empty());
  CHECK(ExposedCategories(BlastmapJson("blast openai --at 2024-06-01 --format json --db " + CliAcmeDb()))
            .count("user.content.private.support_message"));
  CHECK(BlastmapJson("rank --at 2022-01-01 --format json --db " + CliAcmeDb())["candidates"].get<int>() <
        BlastmapJson("rank --format json --db " + CliAcmeDb())["candidates"].get<int>());
  // Acme's vendors came after SolarWinds: on the incident's date no vendor like it was in the map.
  auto solarwinds = BlastmapJson("replay solarwinds-2020 --at-incident --format json --db " + CliAcmeDb());
  CHECK(solarwinds["match"] == "none");
}

TEST_CASE("blast --format markdown and html give a report to send, from any directory") {
  Run md = Blastmap("blast salesloft --format markdown --db " + CliAcmeDb());
  REQUIRE(md.code == 0);
  for (const char* section :
       {"# Incident brief", "## Summary", "## Notification obligations", "## Exposed data",
        "## Affected subjects and records", "## How each category got there", "## Not exposed",
        "## Manifest lines involved", "not legal advice"}) {
    CHECK_MESSAGE(md.out.find(section) != std::string::npos, section);
  }
  CHECK(md.out.find("datasets/acme-ai/vendors/salesloft.yaml") != std::string::npos);
  std::string cmd = "cd / && " + std::string(BLASTMAP_BINARY) + " replay mixpanel-2025 --format html --db " +
                    CliAcmeDb() + " 2>&1";
  Run replay = RunCommand(cmd);
  CHECK(replay.code == 0);
  const std::string& html = replay.out;
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("The incident replayed") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);  // self-contained: nothing loaded from outside
}

TEST_CASE("blast and replay --max-nodes N list N nodes and say how many more; json is whole by default") {
  const std::string db = " --db " + CliAcmeDb();
  const nlohmann::json whole = BlastmapJson("blast okta --format json" + db);
  const size_t total = whole["compromised"].size();
  REQUIRE(total > 3);
  CHECK_FALSE(whole.contains("truncated"));
  CHECK(BlastmapJson("blast okta --format json --max-nodes 0" + db) == whole);
  const nlohmann::json cut = BlastmapJson("blast okta --format json --max-nodes 3" + db);
  CHECK(cut["compromised"].size() == 3);
  CHECK(cut["truncated"]["nodes_total"] == total);
  const std::string more = std::to_string(total - 3) + " more nodes not listed (the first 3 of " +
                           std::to_string(total) + ", most likely first); --max-nodes 0 lists them all";
  for (const char* format : {"table", "markdown", "html"}) {
    Run r = Blastmap(std::string("blast okta --max-nodes 3 --format ") + format + db);
    CHECK(r.code == 0);
    CHECK_MESSAGE(r.out.find(more) != std::string::npos, format);
    // Under the default cap of 500 nothing is cut.
    CHECK(Blastmap(std::string("blast okta --format ") + format + db).out.find("not listed") ==
          std::string::npos);
  }
  Run replay = Blastmap("replay circleci-2023 --max-nodes 2" + db);
  CHECK(replay.code == 0);
  CHECK(replay.out.find("more nodes not listed (the first 2 of") != std::string::npos);
  CHECK(Blastmap("blast okta --max-nodes -1" + db).code == 2);
  // Without --format the brief is the table (streamed to stdout), with the same cut.
  Run plain = Blastmap("blast okta --max-nodes 3 --color never" + db);
  CHECK(plain.code == 0);
  CHECK(plain.out.rfind("Blast radius: okta compromised", 0) == 0);
  CHECK(plain.out == Blastmap("blast okta --max-nodes 3 --color never --format table" + db).out);
  CHECK(plain.out.find(more) != std::string::npos);
}

TEST_CASE("each command's output without --format is its own default format, whatever was registered last") {
  const std::string db = " --db " + CliAcmeDb();
  // The commands share one set of options; each default must hold for its own command only.
  const std::pair<const char*, const char*> defaults[] = {
      {"export", "dot"}, {"check", "text"}, {"blast", "table"}, {"rank", "table"}, {"diff", "table"}};
  for (const auto& [cmd, format] : defaults) {
    Run help = Blastmap(std::string(cmd) + " --help");
    CHECK_MESSAGE(help.out.find("=" + std::string(format) + "\n") != std::string::npos, cmd);
  }
  Run dot = Blastmap("export" + db);
  CHECK(dot.code == 0);
  CHECK(dot.out.rfind("digraph blastmap {", 0) == 0);
  CHECK(dot.out == Blastmap("export --format dot" + db).out);
  CHECK(Blastmap("rank --color never" + db).out == Blastmap("rank --color never --format table" + db).out);
}

TEST_CASE("rank --fourth-parties shows the concentration on aws and gcp") {
  auto rows = BlastmapJson("rank --fourth-parties --format json --db " + CliAcmeDb());
  REQUIRE(rows.size() >= 2);
  CHECK(rows[0]["id"] == "aws");
  CHECK(rows[0]["vendor_count"] == 24);
  CHECK(rows[1]["id"] == "gcp");
  CHECK(rows[1]["vendor_count"] == 7);
  std::set<std::string> behind_gcp;
  for (const auto& v : rows[1]["vendors"]) behind_gcp.insert(v["id"].get<std::string>());
  CHECK(behind_gcp.count("mixpanel"));
  CHECK(behind_gcp.count("persona"));
}

TEST_CASE("import draws a progress bar only on a terminal") {
  fs::path dir = fs::temp_directory_path() / ("blastmap_e2e_bar_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string import =
      std::string(BLASTMAP_BINARY) + " import " + BLASTMAP_SOURCE_DIR + "/datasets/acme-ai --db ";
  // Not a terminal (a pipe, a log): stderr stays empty.
  Run piped = RunCommand(import + (dir / "a.db").string() + " 2>&1 >/dev/null");
  CHECK(piped.code == 0);
  CHECK(piped.out == "");
  // A terminal (util-linux `script` gives the command a pseudo-terminal): the bar, then its line cleared.
  if (RunCommand("command -v script >/dev/null && echo yes").out == "yes\n") {
    Run tty = RunCommand("script -qec '" + import + (dir / "b.db").string() + " >/dev/null' /dev/null");
    CHECK(tty.code == 0);
    CHECK(tty.out.find("reading manifests [") != std::string::npos);
    CHECK(tty.out.find(" files ") != std::string::npos);
    CHECK(tty.out.find(" MB") != std::string::npos);
    CHECK(tty.out.find("\r\033[K") != std::string::npos);
    Run quiet = RunCommand("script -qec '" + import + (dir / "c.db").string() + " --quiet' /dev/null");
    CHECK(quiet.code == 0);
    CHECK(quiet.out.find("reading manifests") == std::string::npos);
  } else {
    MESSAGE("no `script` here: the terminal half is not run");
  }
  fs::remove_all(dir);
}
