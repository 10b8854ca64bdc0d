// The brief's JSON is written while the brief is walked (query/json_writer.h), never as a DOM: these tests
// hold it to the DOM it replaced (kept here as the reference), byte for byte, on generated maps with names
// that need escaping and unknown record counts; and they check the cap on listed nodes in every format.
#include <doctest/doctest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "query/access_path.h"
#include "query/engine.h"
#include "query/json_writer.h"
#include "query/render.h"
#include "tests/query/differential.h"

namespace blastmap::query {
namespace {

using json = nlohmann::ordered_json;

json Records(int64_t records) { return records < 0 ? json(nullptr) : json(records); }
double Round(double x) { return std::round(x * 1e6) / 1e6; }
json Where(const core::Provenance& p) { return {{"file", p.file}, {"line", p.line}}; }

// The brief's JSON as it was built before it was streamed (session 13's BlastJsonValue), as a DOM.
json ReferenceBrief(const BlastResult& r) {
  json out;
  out["snapshot"] = r.snapshot;
  out["at"] = r.at.empty() ? json(nullptr) : json(r.at);
  out["seeds"] = r.seeds;
  out["options"] = {
      {"min_likelihood", r.options.min_likelihood},
      {"max_depth", r.options.max_depth < 0 ? json(nullptr) : json(r.options.max_depth)},
      {"discovered", r.options.discovered.empty() ? json(nullptr) : json(r.options.discovered)}};
  json compromised = json::array();
  for (size_t i = 0; i < r.compromised.size(); ++i) {
    const CompromisedNode& c = r.compromised[i];
    json hops = json::array();
    for (const AccessHop& h : HopsOf(r, i)) {
      json hop = {{"from", h.from},
                  {"to", h.to},
                  {"privilege", core::PrivilegeName(h.privilege)},
                  {"mechanism", h.mechanism},
                  {"likelihood", Round(h.likelihood)}};
      hop.update(Where(h.where));
      hops.push_back(hop);
    }
    compromised.push_back({{"id", c.id()},
                           {"name", c.name()},
                           {"kind", core::NodeKindName(c.kind())},
                           {"likelihood", Round(c.likelihood)},
                           {"via", ViaName(c.via)},
                           {"controlled", c.controlled},
                           {"integrity", c.integrity},
                           {"path", PathOf(r, i)},
                           {"access", hops}});
  }
  out["compromised"] = compromised;
  json exposed = json::array();
  for (const auto& e : r.exposed) {
    json provenance = json::array();
    for (const auto& step : e.provenance) {
      const HopText h = ReadHop(*r.source, step);
      json hop = {
          {"kind", FlowHopKindName(h.kind)}, {"from", h.from}, {"to", h.to}, {"categories", h.categories}};
      hop.update(Where(h.where));
      provenance.push_back(hop);
    }
    exposed.push_back({{"category", e.category()},
                       {"name", e.name()},
                       {"sensitivity", core::SensitivityName(e.sensitivity)},
                       {"flags", core::ToStrings(e.flags)},
                       {"nodes", HolderIds(r, e)},
                       {"likelihood", Round(e.likelihood)},
                       {"records_max", Records(e.records_max)},
                       {"records_sum", Records(e.records_sum)},
                       {"subjects", e.subjects.strings()},
                       {"jurisdictions", e.jurisdictions().strings()},
                       {"provenance", provenance}});
  }
  out["exposed"] = exposed;
  json not_exposed = json::array();
  for (const auto& n : r.not_exposed_sensitive) {
    not_exposed.push_back({{"category", n.category()},
                           {"name", n.name()},
                           {"sensitivity", core::SensitivityName(n.sensitivity())},
                           {"flags", n.flags()},
                           {"held_at", n.held_at()}});
  }
  out["not_exposed_sensitive"] = not_exposed;
  out["severity"] = {{"score", r.severity.score},
                     {"level", r.severity.level},
                     {"factors",
                      {{"data", Round(r.severity.data)},
                       {"volume", Round(r.severity.volume)},
                       {"jurisdiction", Round(r.severity.jurisdiction)}}}};
  json obligations = json::array();
  for (const auto& o : r.obligations) {
    obligations.push_back({{"rule", o.rule},
                           {"regulation", o.regulation},
                           {"duty", o.duty},
                           {"notify", o.notify},
                           {"owed_by", o.owed_by},
                           {"deadline_hours", o.deadline_hours ? json(*o.deadline_hours) : json(nullptr)},
                           {"deadline", o.deadline},
                           {"due", o.due.empty() ? json(nullptr) : json(o.due)},
                           {"possible", o.possible},
                           {"why",
                            {{"triggers", o.triggers},
                             {"categories", o.categories},
                             {"subjects", o.subjects},
                             {"jurisdictions", o.jurisdictions},
                             {"records", Records(o.records)},
                             {"likelihood", Round(o.likelihood)}}},
                           {"applies_if", o.applies_if},
                           {"note", o.note},
                           {"citation", o.citation},
                           {"sources", o.sources},
                           {"file", o.where.file},
                           {"line", o.where.line}});
  }
  out["obligations"] = obligations;
  out["jurisdictions_without_rules"] = r.jurisdictions_without_rules;
  return out;
}

// Names, mechanisms and files that JSON must escape: quotes, backslashes, control characters, UTF-8.
const std::vector<std::string> kHostile = {"say \"hi\"",  "back\\slash", "line\nbreak\ttab", "bell\x01\x1f",
                                           "café ☕ 漢字", "</script>",   "del\x7f",          ""};

core::Model HostileMap(uint32_t nodes, uint32_t seed) {
  core::Model m = differential::RandomMap(nodes, seed);
  std::mt19937 rng(seed);
  for (size_t i = 0; i < m.nodes.size(); i += 3)
    m.nodes[i].name = kHostile[rng() % kHostile.size()] + m.nodes[i].id;
  for (size_t i = 0; i < m.accesses.size(); i += 2) {
    m.accesses[i].mechanism = kHostile[rng() % kHostile.size()];
    m.accesses[i].where.file = "dir \"" + std::to_string(i % 3) + "\"\\access.yaml";
    m.accesses[i].likelihood = 1.0 / (1 + rng() % 7);  // 1/3, 1/7: long decimals
  }
  for (size_t i = 0; i < m.flows.size(); i += 4) m.flows[i].where.file = kHostile[rng() % kHostile.size()];
  return m;
}

}  // namespace

TEST_CASE("the streamed JSON writer writes what dump() writes, indented and compact, for any value") {
  std::mt19937 rng(5);
  std::function<json(int)> random_value = [&](int depth) -> json {
    switch (depth > 3 ? rng() % 5 : rng() % 7) {
      case 0: return nullptr;
      case 1: return rng() % 2 == 0;
      case 2: return static_cast<int64_t>(rng()) - (int64_t{1} << 31);
      case 3: {
        static const double kDoubles[] = {0.0,  -0.0, 1.0,        0.1,       1.0 / 3,
                                          1e-7, 1e21, 123456.789, -2.5e-300, 0.3};
        return kDoubles[rng() % 10];
      }
      case 4: return kHostile[rng() % kHostile.size()];
      case 5: {
        json a = json::array();
        for (uint32_t k = rng() % 4; k > 0; --k) a.push_back(random_value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (uint32_t k = rng() % 4; k > 0; --k)
          o[kHostile[rng() % kHostile.size()] + std::to_string(k)] = random_value(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 300; ++i) {
    const json v = random_value(0);
    CAPTURE(v.dump());
    for (int indent : {-1, 2, 4}) {
      JsonWriter w(indent);
      w.Value(v);
      CHECK(w.Take() == v.dump(indent));
    }
    std::string chunks;  // through a sink, in chunks
    JsonWriter w(2, [&](std::string_view s) { chunks += s; });
    w.Value(v);
    w.Flush();
    CHECK(chunks == v.dump(2));
  }
  JsonWriter w(2);  // invalid UTF-8 fails as dump() fails
  CHECK_THROWS_AS(w.String("\xff\xfe"), nlohmann::json::type_error);
}

TEST_CASE("the streamed brief equals the DOM brief byte for byte, on generated maps with hostile strings") {
  size_t briefs = 0, biggest = 0, escaped = 0;
  for (uint32_t seed : {3u, 17u}) {
    auto engine = Engine::FromModel(HostileMap(600, seed));
    REQUIRE(engine.ok());
    const core::Graph& g = engine.value()->graph();
    for (uint32_t v = 0; v < g.node_count(); v += 7) {
      CAPTURE(g.node(v).id);
      BlastOptions options;
      if (v % 2) options.discovered = "2026-03-01";
      if (v % 3 == 0) options.max_depth = 3;
      auto r = engine.value()->Blast({g.node(v).id}, options);
      REQUIRE(r.ok());
      const std::string reference = ReferenceBrief(r.value()).dump(2) + "\n";
      CHECK(BlastToJson(r.value()) == reference);
      std::string streamed;
      size_t chunks = 0;
      WriteBlastJson(r.value(), 0, [&](std::string_view s) {
        streamed += s;
        ++chunks;
      });
      CHECK(streamed == reference);
      CHECK(chunks >= reference.size() / JsonWriter::kChunk);
      biggest = std::max(biggest, r.value().compromised.size());
      escaped +=
          reference.find("\\\"") != std::string::npos && reference.find("\\u0001") != std::string::npos;
      ++briefs;
    }
  }
  CHECK(briefs > 150);
  CHECK(biggest > 100);
  CHECK(escaped > 10);
}

TEST_CASE("--max-nodes N lists exactly N nodes in every format, says how many more, and keeps the totals") {
  auto engine = Engine::FromModel(HostileMap(600, 3));
  REQUIRE(engine.ok());
  const core::Graph& g = engine.value()->graph();
  // The biggest brief of the map.
  BlastResult r;
  for (uint32_t v = 0; v < g.node_count(); ++v) {
    auto b = engine.value()->Blast({g.node(v).id});
    REQUIRE(b.ok());
    if (b.value().compromised.size() > r.compromised.size()) r = b.take();
  }
  const size_t total = r.compromised.size();
  REQUIRE(total > 60);
  const json full = json::parse(BlastToJson(r));
  CHECK_FALSE(full.contains("truncated"));
  for (size_t n : {size_t{1}, size_t{7}, size_t{50}}) {
    CAPTURE(n);
    const json cut = json::parse(BlastToJson(r, n));
    REQUIRE(cut["compromised"].size() == n);
    for (size_t i = 0; i < n; ++i) CHECK(cut["compromised"][i] == full["compromised"][i]);
    CHECK(cut["truncated"] == json{{"max_nodes", n}, {"nodes_listed", n}, {"nodes_total", total}});
    REQUIRE(cut["exposed"].size() == full["exposed"].size());
    bool some_cut = false;
    for (size_t k = 0; k < full["exposed"].size(); ++k) {
      const json &a = full["exposed"][k], &b = cut["exposed"][k];
      const size_t holders = a["nodes"].size();
      CHECK(b["nodes"].size() == std::min(n, holders));
      if (holders > n) {
        some_cut = true;
        CHECK(b["nodes_total"] == holders);
      } else {
        CHECK_FALSE(b.contains("nodes_total"));
      }
      json rest = b;  // everything else of the category is complete
      rest.erase("nodes");
      rest.erase("nodes_total");
      json whole = a;
      whole.erase("nodes");
      CHECK(rest == whole);
    }
    CHECK(some_cut);
    for (const char* key :
         {"severity", "obligations", "not_exposed_sensitive", "jurisdictions_without_rules"})
      CHECK(cut[key] == full[key]);

    const std::string more = std::to_string(total - n) + " more nodes not listed (the first " +
                             std::to_string(n) + " of " + std::to_string(total) +
                             ", most likely first); --max-nodes 0 lists them all";
    const std::string table = BlastToTable(r, false, n);
    CHECK(table.find("  " + more + "\n") != std::string::npos);
    auto heading = [](const std::string& text) {  // counts every node, listed or not
      const size_t at = text.find("Compromised and exposed nodes (");
      return text.substr(at, text.find('\n', at) - at);
    };
    CHECK(heading(table) == heading(BlastToTable(r, false)));
    const std::string markdown = BlastToMarkdown(r, g, nullptr, n);
    CHECK(markdown.find("*" + more + ".*") != std::string::npos);
    const std::string html = BlastToHtml(r, g, nullptr, n);
    CHECK(html.find(more + ".</p>") != std::string::npos);
    // Exactly n rows in the nodes table of the Markdown brief.
    const size_t start = markdown.find("## Compromised and exposed nodes");
    const size_t end = markdown.find("## How each category got there");
    REQUIRE(start != std::string::npos);
    size_t rows = 0;
    for (size_t at = markdown.find("\n| ", start); at < end; at = markdown.find("\n| ", at + 1)) ++rows;
    CHECK(rows == n + 1);  // and its header
  }
  // Under the cap, every format is what it is without one.
  CHECK(BlastToJson(r, total) == BlastToJson(r));
  CHECK(BlastToTable(r, false, total) == BlastToTable(r, false));
  CHECK(BlastToMarkdown(r, g, nullptr, total) == BlastToMarkdown(r, g));
  CHECK(BlastToHtml(r, g, nullptr, total) == BlastToHtml(r, g));

  // The table and Markdown briefs are handed to a sink between nodes' rows (and the Markdown's manifest
  // lines), in chunks of about 64 KiB (a node's rows beyond), never whole; the chunks add up to the brief.
  using Sink = std::function<void(std::string_view)>;
  const std::vector<std::pair<std::string, std::function<void(const Sink&)>>> streams = {
      {BlastToTable(r, false), [&](const Sink& sink) { WriteBlastTable(r, false, 0, sink); }},
      {BlastToMarkdown(r, g), [&](const Sink& sink) { WriteBlastMarkdown(r, g, nullptr, 0, sink); }}};
  for (const auto& [whole, write] : streams) {
    REQUIRE(whole.size() > 80 * 1024);
    std::string streamed;
    size_t chunks = 0, largest = 0;
    write([&](std::string_view s) {
      streamed += s;
      ++chunks;
      largest = std::max(largest, s.size());
    });
    CHECK(streamed == whole);
    CHECK(chunks >= 2);
    CHECK(largest < 96 * 1024);
  }
}

}  // namespace blastmap::query
