// A multi-document bundle is read one document at a time, with every position still counted in the file.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "importers/import.h"

namespace blastmap::importers {

TEST_CASE("a bundle is read document by document and errors keep their line in the whole file") {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() / ("blastmap_bundle_" + std::to_string(::getpid()) + ".yaml");
  auto import = [&](const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    auto r = ImportPath(path.string());
    fs::remove(path);
    return r;
  };
  const std::string first =
      "# a bundle\n---\nsystems:\n  - id: app\n    flows:\n      - {to: v, categories: [user.name]}\n";
  const std::string second = "--- # vendors\nvendors:\n  - id: v\n    description: |\n      text\n";
  auto ok = import(first + second + "---\n...\n");
  REQUIRE(ok.ok());
  CHECK(ok.value().model.nodes.size() == 2);
  CHECK(ok.value().model.flows.size() == 1);
  CHECK(ok.value().model.nodes[1].where.line == 9);  // "- id: v" on line 9 of the file
  auto bad = import(first + second + "---\nvendors:\n  - id: w\n    colour: red\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find(":15:5: vendor: unknown key 'colour'") != std::string::npos);
  auto syntax = import(first + "---\nvendors: [\n");
  REQUIRE_FALSE(syntax.ok());
  // Lines 7-9 of the file (the document's own lines 1-3).
  const std::string message = syntax.status().message();
  CHECK(message.find("invalid YAML") != std::string::npos);
  CHECK((message.find(":7:") != std::string::npos || message.find(":8:") != std::string::npos ||
         message.find(":9:") != std::string::npos));
}

}  // namespace blastmap::importers
