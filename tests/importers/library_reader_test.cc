// Notification rules and incident files: read as data, every problem reported as file:line:col.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "importers/import.h"

namespace blastmap::importers {
namespace {

namespace fs = std::filesystem;

std::string WriteTemp(const std::string& dir_name, const std::string& file, const std::string& text) {
  fs::path dir = fs::temp_directory_path() / (dir_name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / file, std::ios::binary) << text;
  return dir.string();
}

}  // namespace

TEST_CASE("the shipped rules load, each with an id, a citation and its file:line") {
  auto rules = LoadDefaultRegulations();
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  CHECK(rules.value().size() >= 20);
  for (const auto& r : rules.value()) {
    INFO(r.id);
    CHECK(r.where.file.rfind("datasets/regulations/", 0) == 0);
    CHECK(r.where.line > 0);
    CHECK_FALSE(r.triggers.empty());
  }
}

TEST_CASE("a rules directory replaces the built-in rules, and its mistakes are located") {
  std::string good = WriteTemp("blastmap_rules_good", "contracts.yaml",
                               "rules:\n"
                               "  - id: dpa-customer-notice\n"
                               "    regulation: Customer DPA\n"
                               "    duty: Tell enterprise customers\n"
                               "    notify: enterprise customers' security contacts\n"
                               "    deadline_hours: 48\n"
                               "    deadline: within 48 hours\n"
                               "    when:\n"
                               "      triggers:\n"
                               "        - all: [[user.content]]\n"
                               "    citation: Enterprise DPA, s. 7.2\n"
                               "    sources: [https://example.com/dpa]\n");
  auto rules = LoadRegulationDir(good);
  REQUIRE_MESSAGE(rules.ok(), rules.status().message());
  REQUIRE(rules.value().size() == 1);
  CHECK(rules.value()[0].deadline_hours == 48);
  REQUIRE(rules.value()[0].triggers[0].all.size() == 1);
  CHECK(rules.value()[0].triggers[0].all[0].categories == std::vector<std::string>{"user.content"});
  fs::remove_all(good);

  std::string bad = WriteTemp("blastmap_rules_bad", "bad.yaml",
                              "rules:\n"
                              "  - id: x\n"
                              "    regulation: X\n"
                              "    duty: d\n"
                              "    notify: n\n"
                              "    deadline: soon\n"
                              "    when:\n"
                              "      triggers:\n"
                              "        - all:\n"
                              "            - [user.contact.emial]\n"
                              "            - {flags: [helth]}\n"
                              "    citation: c\n"
                              "    sources: [https://example.com]\n"
                              "    colour: red\n");
  auto failed = LoadRegulationDir(bad);
  REQUIRE_FALSE(failed.ok());
  const std::string message = failed.status().message();
  INFO(message);
  CHECK(message.find(
            "bad.yaml:10:16: unknown category 'user.contact.emial' (did you mean 'user.contact.email'?)") !=
        std::string::npos);
  CHECK(message.find("bad.yaml:11:24: unknown flag 'helth'") != std::string::npos);
  CHECK(message.find("colour") != std::string::npos);
  fs::remove_all(bad);
}

TEST_CASE("an incident file of one's own replays by path; a broken one is refused with its line") {
  std::string dir = WriteTemp("blastmap_incident", "ours-2026.yaml",
                              "incident:\n"
                              "  name: Our vendor\n"
                              "  vendor: Acme Analytics\n"
                              "  date: 2026-01-02\n"
                              "  summary: s\n"
                              "  match: [mixpanel]\n"
                              "  exposed: [user.contact.email]\n"
                              "  sources: [{title: t, url: https://example.com}]\n");
  auto incident = LoadIncident(dir + "/ours-2026.yaml");
  REQUIRE_MESSAGE(incident.ok(), incident.status().message());
  CHECK(incident.value().id == "ours-2026");
  fs::remove_all(dir);
  dir = WriteTemp("blastmap_incident_bad", "bad.yaml",
                  "incident:\n  name: n\n  vendor: v\n  date: 2026-13-02\n  summary: s\n"
                  "  exposed: [user.contact.email]\n  sources: [{title: t, url: https://example.com}]\n");
  auto bad = LoadIncident(dir + "/bad.yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("bad.yaml:4:9: date: expected a date") != std::string::npos);
  CHECK(bad.status().message().find("give 'match'") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace blastmap::importers
