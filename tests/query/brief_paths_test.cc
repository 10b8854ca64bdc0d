// The compact brief renders exactly the paths of the full one: for every node of the sample company
// (datasets/acme-ai) as the seed, every format (JSON, table, Markdown, HTML, query-language table) shows
// each compromised node's access path and holders as the reference implementation computes them in full.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "importers/import.h"
#include "query/access_path.h"
#include "query/engine.h"
#include "query/render.h"
#include "tests/query/reference_blast.h"

namespace blastmap::query {
namespace {

std::string JoinIds(const std::vector<std::string>& ids, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? sep : "") + ids[i];
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("every format shows the reference's full access paths and holders for every seed of the sample company") {
  auto imported = importers::ImportPath(std::string(BLASTMAP_SOURCE_DIR) + "/datasets/acme-ai");
  REQUIRE_MESSAGE(imported.ok(), imported.status().message());
  auto engine = Engine::FromModel(imported.take().model, 1);
  REQUIRE(engine.ok());
  const Engine& e = *engine.value();
  const core::Graph& g = e.graph();
  size_t briefs = 0, hops_checked = 0;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    const std::string& id = g.node(v).id;
    CAPTURE(id);
    for (int depth : {-1, 1}) {
      BlastOptions options;
      options.max_depth = depth;
      auto brief = e.Blast({id}, options);
      REQUIRE(brief.ok());
      const BlastResult& r = brief.value();
      std::vector<reference::FullPath> paths;
      const BlastResult slow = reference::ReferenceBlastRadius(g, {v}, options, &paths);
      REQUIRE(r.compromised.size() == paths.size());
      REQUIRE(r.exposed.size() == slow.exposed.size());
      ++briefs;

      const nlohmann::json json = nlohmann::json::parse(BlastToJson(r));
      const std::string table = BlastToTable(r, false);
      const std::string markdown = BlastToMarkdown(r, g);
      const std::string html = BlastToHtml(r, g);
      for (size_t i = 0; i < paths.size(); ++i) {
        const nlohmann::json& node = json["compromised"][i];
        CHECK(node["id"] == r.compromised[i].id());
        CHECK(node["path"].get<std::vector<std::string>>() == paths[i].path);
        REQUIRE(node["access"].size() == paths[i].hops.size());
        for (size_t h = 0; h < paths[i].hops.size(); ++h, ++hops_checked) {
          const AccessHop& want = paths[i].hops[h];
          const nlohmann::json& hop = node["access"][h];
          CHECK(hop["from"] == want.from.str());
          CHECK(hop["to"] == want.to.str());
          CHECK(hop["privilege"] == std::string(core::PrivilegeName(want.privilege)));
          CHECK(hop["mechanism"] == want.mechanism.str());
          CHECK(hop["file"] == want.where.file.str());
          CHECK(hop["line"] == want.where.line);
          CHECK(Contains(table, "]-> " + want.to + "  " + want.where.ToString()));
          CHECK(Contains(markdown, "→ " + want.to + " at " + want.where.ToString()));
        }
        CHECK(Contains(table, JoinIds(paths[i].path, " -> ")));
        CHECK(Contains(markdown, JoinIds(paths[i].path, " → ")));
        CHECK(Contains(html, JoinIds(paths[i].path, " → ")));
      }
      for (size_t k = 0; k < slow.exposed.size(); ++k) {
        std::vector<std::string> holders;
        for (int32_t i : slow.exposed[k].holders) holders.push_back(slow.compromised[i].id());
        CHECK(json["exposed"][k]["nodes"].get<std::vector<std::string>>() == holders);
        CHECK(HolderIds(r, r.exposed[k]) == holders);
      }
    }
    // The query language's node table shows the same paths.
    auto tables = e.Query("blast '" + id + "' nodes");
    REQUIRE(tables.ok());
    const lang::Table& t = tables.value().front();
    const int path = t.Column("path");
    REQUIRE(path >= 0);
    std::vector<reference::FullPath> paths;
    reference::ReferenceBlastRadius(g, {v}, {}, &paths);
    REQUIRE(t.rows.size() == paths.size());
    for (size_t i = 0; i < paths.size(); ++i) CHECK(t.rows[i][path].text == JoinIds(paths[i].path, " -> "));
  }
  CHECK(briefs == 2 * g.node_count());
  CHECK(hops_checked > 100);  // the sample company has real access paths, not only seeds
}

}  // namespace blastmap::query
