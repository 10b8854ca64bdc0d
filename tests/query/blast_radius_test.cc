// Semantics of SPEC §4 on small hand-built graphs.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "query/access_path.h"
#include "query/engine.h"
#include "query/provenance.h"
#include "query/severity.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {
namespace {

using core::NodeKind;
using core::Privilege;
using testing::MapBuilder;

std::vector<std::string> Categories(const BlastResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.exposed) out.push_back(e.category());
  std::sort(out.begin(), out.end());
  return out;
}

const CompromisedNode* FindNode(const BlastResult& r, const std::string& id) {
  for (const auto& c : r.compromised) {
    if (c.id() == id) return &c;
  }
  return nullptr;
}

const ExposedCategory* FindCategory(const BlastResult& r, const std::string& key) {
  for (const auto& e : r.exposed) {
    if (e.category() == key) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a '*' flow forwards what its source holds, through cycles") {
  // app -> a (email); a <-> b forward everything to each other; b -> host forwards everything.
  MapBuilder m;
  m.Node("app").Node("a", NodeKind::kVendor).Node("b", NodeKind::kVendor).Node("host", NodeKind::kVendor);
  m.Stores("b", {"user.name"});
  m.Flow("app", "a", {"user.contact.email"})
      .Flow("a", "b", {"*"})
      .Flow("b", "a", {"*"})
      .Flow("b", "host", {"*"});
  CHECK(Categories(m.Blast({"a"})) == std::vector<std::string>{"user.contact.email", "user.name"});
  CHECK(Categories(m.Blast({"host"})) == std::vector<std::string>{"user.contact.email", "user.name"});
  CHECK(Categories(m.Blast({"app"})).empty());
  // The provenance of email at the host walks the forwards back to the flow that named it.
  auto host = m.Blast({"host"});
  const auto* email = FindCategory(host, "user.contact.email");
  REQUIRE(email);
  REQUIRE(email->provenance.size() == 3);
  REQUIRE(host.source);
  CHECK(email->provenance[0].kind == FlowHop::Kind::kFlow);
  CHECK(ReadHop(*host.source, email->provenance[0]).from == "app");
  CHECK(ReadHop(*host.source, email->provenance[0]).where.file == "flows.yaml");
  CHECK(ReadHop(*host.source, email->provenance[0]).where.line == 10);
  CHECK(email->provenance[1].kind == FlowHop::Kind::kForward);
  CHECK(ReadHop(*host.source, email->provenance[2]).to == "host");
}

TEST_CASE("a provenance hop reads the text of the very flow or holding it names") {
  // Decoys first, so that an index off by one, or read from the wrong table, names another element.
  MapBuilder m;
  m.Node("x").Node("y").Node("src").Node("mid").Node("host", NodeKind::kVendor);
  m.Stores("x", {"user.name"}).Stores("src", {"user.contact.phone_number"});
  m.Flow("x", "y", {"user.name"})                  // flows.yaml:10
      .Flow("src", "mid", {"user.contact.email"})  // :11
      .Flow("mid", "host", {"*"})                  // :12
      .Flow("src", "mid", {"*"});                  // :13
  const BlastResult r = m.Blast({"host"});
  REQUIRE(r.source);
  auto hops = [&](const std::string& category) {
    std::vector<std::string> out;
    const ExposedCategory* e = FindCategory(r, category);
    REQUIRE(e);
    for (const FlowHop& hop : e->provenance) {
      const HopText h = ReadHop(*r.source, hop);
      std::string cats;
      for (const auto& c : h.categories) cats += (cats.empty() ? "" : ",") + c;
      out.push_back(std::string(FlowHopKindName(h.kind)) + " " + h.from + ">" + h.to + " [" + cats + "] " +
                    h.where.ToString());
    }
    return out;
  };
  CHECK(hops("user.contact.email") ==
        std::vector<std::string>{"flow src>mid [user.contact.email] flows.yaml:11:3",
                                 "forward mid>host [*] flows.yaml:12:3"});
  CHECK(hops("user.contact.phone_number") ==
        std::vector<std::string>{"stores src>src [user.contact.phone_number] stores.yaml:1:1",
                                 "forward src>mid [*] flows.yaml:13:3",
                                 "forward mid>host [*] flows.yaml:12:3"});
}

TEST_CASE("a read edge exposes its target's data but does not pivot further") {
  MapBuilder m;
  m.Node("v", NodeKind::kVendor).Node("crm").Node("db");
  m.Stores("crm", {"user.contact.phone_number"}).Stores("db", {"user.financial.bank_account"});
  m.Access("v", "crm", Privilege::kRead).Access("crm", "db", Privilege::kAdmin);
  auto r = m.Blast({"v"});
  const auto* crm = FindNode(r, "crm");
  REQUIRE(crm);
  CHECK_FALSE(crm->controlled);
  CHECK(crm->via == Via::kRead);
  CHECK(FindNode(r, "db") == nullptr);
  CHECK(Categories(r) == std::vector<std::string>{"user.contact.phone_number"});
}

TEST_CASE("a write edge exposes and marks integrity impact without pivoting") {
  MapBuilder m;
  m.Node("v", NodeKind::kVendor).Node("crm").Node("db");
  m.Stores("crm", {"user.name"}).Stores("db", {"user.name"});
  m.Access("v", "crm", Privilege::kWrite).Access("crm", "db", Privilege::kCode);
  auto r = m.Blast({"v"});
  REQUIRE(FindNode(r, "crm"));
  CHECK(FindNode(r, "crm")->integrity);
  CHECK(FindNode(r, "crm")->via == Via::kWrite);
  CHECK(FindNode(r, "db") == nullptr);
}

TEST_CASE("admin access pivots two hops, and code access pivots too") {
  MapBuilder m;
  m.Node("idp", NodeKind::kVendor).Node("ci").Node("prod").Node("db");
  m.Stores("db", {"user.authorization.credentials"});
  m.Access("idp", "ci", Privilege::kAdmin)
      .Access("ci", "prod", Privilege::kCode)
      .Access("prod", "db", Privilege::kAdmin);
  auto r = m.Blast({"idp"});
  const auto* db = FindNode(r, "db");
  REQUIRE(db);
  CHECK(db->controlled);
  CHECK(db->via == Via::kAdmin);
  CHECK(PathOf(r, db - r.compromised.data()) == std::vector<std::string>{"idp", "ci", "prod", "db"});
  CHECK(FindNode(r, "prod")->via == Via::kCode);
  CHECK(Categories(r) == std::vector<std::string>{"user.authorization.credentials"});
  CHECK(r.severity.level == "medium");  // restricted credentials, no volume known: 10+6 = 16
  SUBCASE("max_depth cuts the path") {
    BlastOptions opt;
    opt.max_depth = 2;
    auto cut = m.Blast({"idp"}, opt);
    CHECK(FindNode(cut, "prod"));
    CHECK(FindNode(cut, "db") == nullptr);
  }
}

TEST_CASE("likelihood is the maximum product over access paths, and that path explains it") {
  MapBuilder m;
  m.Node("s", NodeKind::kVendor).Node("a").Node("b").Node("t");
  // direct s->t 0.2; via a: 0.9*0.5=0.45; via b: 0.6*0.6=0.36
  m.Access("s", "t", Privilege::kAdmin, 0.2)
      .Access("s", "a", Privilege::kAdmin, 0.9)
      .Access("a", "t", Privilege::kAdmin, 0.5)
      .Access("s", "b", Privilege::kAdmin, 0.6)
      .Access("b", "t", Privilege::kAdmin, 0.6);
  auto r = m.Blast({"s"});
  const auto* t = FindNode(r, "t");
  REQUIRE(t);
  CHECK(t->likelihood == doctest::Approx(0.45));
  const size_t ti = t - r.compromised.data();
  CHECK(PathOf(r, ti) == std::vector<std::string>{"s", "a", "t"});
  REQUIRE(HopsOf(r, ti).size() == 2);
  CHECK(HopsOf(r, ti)[1].where.line == 3);
  SUBCASE("min_likelihood drops what is less likely") {
    BlastOptions opt;
    opt.min_likelihood = 0.5;
    auto cut = m.Blast({"s"}, opt);
    CHECK(FindNode(cut, "t") == nullptr);
    CHECK(FindNode(cut, "a"));
  }
  SUBCASE("with a depth limit the best path within the limit wins") {
    BlastOptions opt;
    opt.max_depth = 1;
    auto cut = m.Blast({"s"}, opt);
    REQUIRE(FindNode(cut, "t"));
    CHECK(FindNode(cut, "t")->likelihood == doctest::Approx(0.2));
  }
}

TEST_CASE(
    "a node more likely read than controlled shows its read path; paths through it take its admin edge") {
  MapBuilder m;
  m.Node("s", NodeKind::kVendor).Node("p").Node("q");
  m.Access("s", "p", Privilege::kRead, 0.9)      // access.yaml:1
      .Access("s", "p", Privilege::kAdmin, 0.5)  // access.yaml:2
      .Access("p", "q", Privilege::kAdmin);      // access.yaml:3
  auto r = m.Blast({"s"});
  const auto* p = FindNode(r, "p");
  const auto* q = FindNode(r, "q");
  REQUIRE(p);
  REQUIRE(q);
  CHECK(p->via == Via::kRead);
  CHECK(p->likelihood == doctest::Approx(0.9));
  REQUIRE(p->pivot >= 0);
  CHECK(AccessAt(r, p->pivot).privilege == Privilege::kAdmin);
  CHECK(AccessAt(r, p->pivot).where.line == 2);
  REQUIRE(p->hop >= 0);
  CHECK(AccessAt(r, p->hop).privilege == Privilege::kRead);
  CHECK(q->pivot < 0);  // its own (admin) edge is the one paths on from it take
  const size_t pi = p - r.compromised.data(), qi = q - r.compromised.data();
  CHECK(PathOf(r, pi) == std::vector<std::string>{"s", "p"});
  REQUIRE(HopsOf(r, pi).size() == 1);
  CHECK(HopsOf(r, pi)[0].where.line == 1);
  CHECK(PathOf(r, qi) == std::vector<std::string>{"s", "p", "q"});
  auto hops = HopsOf(r, qi);
  REQUIRE(hops.size() == 2);
  CHECK(hops[0].where.line == 2);
  CHECK(hops[1].where.line == 3);
  CHECK(HopCount(r, qi) == 2);
  CHECK(PathOf(r, 0) == std::vector<std::string>{"s"});  // the seed
  CHECK(HopsOf(r, 0).empty());
}

TEST_CASE("a category's likelihood is the highest among the exposed nodes holding it") {
  MapBuilder m;
  m.Node("v", NodeKind::kVendor).Node("x").Node("y");
  m.Stores("x", {"user.name"}, 100).Stores("y", {"user.name"}, 300);
  m.Access("v", "x", Privilege::kRead, 0.3).Access("v", "y", Privilege::kRead, 0.7);
  auto r = m.Blast({"v"});
  const auto* name = FindCategory(r, "user.name");
  REQUIRE(name);
  CHECK(name->likelihood == doctest::Approx(0.7));
  CHECK(HolderIds(r, *name) == std::vector<std::string>{"y", "x"});
  CHECK(name->records_max == 300);
  CHECK(name->records_sum == 400);
}

TEST_CASE("parent and child categories: a child exposed hides the parent from 'not exposed', siblings stay") {
  MapBuilder m;
  m.Node("app").Node("v", NodeKind::kVendor);
  m.Stores("app", {"user.contact", "user.contact.phone_number", "user.financial"});
  m.Flow("app", "v", {"user.contact.email"});
  auto r = m.Blast({"v"});
  CHECK(Categories(r) == std::vector<std::string>{"user.contact.email"});
  std::vector<std::string> safe;
  for (const auto& n : r.not_exposed_sensitive) safe.push_back(n.category());
  // user.contact is an ancestor of the exposed email: not reported as safe. Its sibling phone is.
  CHECK(std::find(safe.begin(), safe.end(), "user.contact") == safe.end());
  CHECK(std::find(safe.begin(), safe.end(), "user.contact.phone_number") != safe.end());
  CHECK(std::find(safe.begin(), safe.end(), "user.financial") != safe.end());
  SUBCASE("a flow of the parent covers a question about the child") {
    MapBuilder p;
    p.Node("app").Node("v", NodeKind::kVendor);
    p.Stores("app", {"user.contact.email"});
    p.Flow("app", "v", {"user.contact"});
    auto rp = p.Blast({"v"});
    CHECK(Categories(rp) == std::vector<std::string>{"user.contact"});
    for (const auto& n : rp.not_exposed_sensitive) CHECK(n.category() != "user.contact.email");
  }
}

TEST_CASE("a brief's fixed parts come from the graph's tables, as the taxonomy's weights give them") {
  MapBuilder m;
  m.Node("app").Node("crm").Node("v", NodeKind::kVendor);
  m.Subject("eu-customers", {"EU"}).Subject("ca-customers", {"US-CA"}).Subject("others", {"BR"});
  m.Stores("app", {"user.contact.email", "user.financial", "user.health_and_medical"}, 10, {"eu-customers"});
  m.Stores("crm", {"user.contact.phone_number", "user.name"}, 20, {"ca-customers", "others"});
  m.Flow("crm", "v", {"user.name"}, 20, {"ca-customers", "others"});
  auto graph = core::Graph::Build(m.model);
  REQUIRE(graph.ok());
  const core::Graph& g = graph.value();
  const core::Taxonomy& t = g.taxonomy();
  const core::SeverityWeights& w = t.severity();
  std::vector<int> sensitive[2];  // restricted, confidential: those held somewhere, in index order
  for (int c = 0; c < static_cast<int>(t.size()); ++c) {
    CHECK(g.CategoryWeight(c) == core::CategoryWeight(w, t.at(c).sensitivity, core::FlagList(t.at(c).flags)));
    if (g.SampleHolders(c).empty()) continue;
    if (t.at(c).sensitivity == core::Sensitivity::kRestricted) sensitive[0].push_back(c);
    if (t.at(c).sensitivity == core::Sensitivity::kConfidential) sensitive[1].push_back(c);
  }
  std::vector<int> expected = sensitive[0];
  expected.insert(expected.end(), sensitive[1].begin(), sensitive[1].end());
  CHECK(std::vector<int>(g.SensitiveHeld().begin(), g.SensitiveHeld().end()) == expected);
  CHECK(!sensitive[0].empty());
  CHECK(!sensitive[1].empty());
  CHECK(g.DefaultJurisdictionWeight() == 1.0);
  std::map<std::string, double> by_name;
  for (uint32_t b = 0; b < g.jurisdiction_count(); ++b)
    by_name[g.JurisdictionName(b).str()] = g.JurisdictionWeight(b);
  CHECK(by_name == std::map<std::string, double>{{"BR", 1.0}, {"EU", 1.25}, {"US-CA", 1.2}});
  // The jurisdiction factor is the most weighted exposed place's, and the score is the taxonomy's.
  auto r = m.Blast({"v"});
  CHECK(r.severity.jurisdiction == 1.2);
  const SeverityScore by_taxonomy = ScoreSeverity(r.exposed, t);
  CHECK(r.severity.score == by_taxonomy.score);
  CHECK(r.severity.data == by_taxonomy.data);
  CHECK(r.severity.jurisdiction == by_taxonomy.jurisdiction);
  CHECK(m.Blast({"app"}).severity.jurisdiction == 1.25);
}

TEST_CASE("briefs of two snapshots on one thread spell each one's subjects, not the other's") {
  // The same subject bits (bit 0: each map's only subject) in two graphs: a brief's subjects are read from
  // its own graph, although the thread made the same bits for the other one just before.
  auto map = [](const std::string& subject, const std::string& where) {
    MapBuilder m;
    m.Node("app").Node("v", NodeKind::kVendor);
    m.Subject(subject, {where});
    m.Stores("app", {"user.contact.email"}, 10, {subject});
    m.Flow("app", "v", {"user.contact.email"}, 10, {subject});
    return m;
  };
  MapBuilder eu = map("eu-customers", "EU"), ca = map("ca-customers", "US-CA");
  for (int round = 0; round < 2; ++round) {
    for (MapBuilder* m : {&eu, &ca}) {
      const bool is_eu = m == &eu;
      auto r = m->Blast({"v"});
      const auto* email = FindCategory(r, "user.contact.email");
      REQUIRE(email);
      CHECK(email->subjects.strings() ==
            std::vector<std::string>{is_eu ? "eu-customers" : "ca-customers"});
      CHECK(email->jurisdictions().strings() == std::vector<std::string>{is_eu ? "EU" : "US-CA"});
      CHECK(r.severity.jurisdiction == (is_eu ? 1.25 : 1.2));
    }
  }
}

TEST_CASE("the not-exposed list reads the graph's candidates but those it skips, in order") {
  MapBuilder m;
  m.Node("app").Node("crm").Node("v", NodeKind::kVendor);
  m.Stores("app", {"user.contact.email", "user.financial", "user.health_and_medical"});
  m.Stores("crm", {"user.contact.phone_number", "user.name", "user.financial.bank_account"});
  m.Flow("crm", "v", {"user.financial.bank_account", "user.contact.phone_number"});
  auto graph = core::Graph::Build(m.model);
  REQUIRE(graph.ok());
  const core::Graph& g = graph.value();
  auto r = m.Blast({"v"});
  // Every candidate the brief does not skip, in the graph's order; the list read by index and by iteration
  // gives the same entries.
  std::vector<std::string> listed, indexed;
  for (const auto& n : r.not_exposed_sensitive) listed.push_back(n.category());
  for (size_t i = 0; i < r.not_exposed_sensitive.size(); ++i)
    indexed.push_back(r.not_exposed_sensitive[i].category());
  CHECK(listed == indexed);
  std::vector<std::string> expected;
  for (int c : g.SensitiveHeld()) {
    const std::string& key = g.taxonomy().at(c).key;
    const bool related = std::any_of(r.exposed.begin(), r.exposed.end(), [&](const ExposedCategory& e) {
      return g.taxonomy().Related(e.index, c);
    });
    if (!related) expected.push_back(key);
  }
  CHECK(listed == expected);
  // Skipped: the exposed categories and their relatives (user.financial, the bank account's parent).
  CHECK(std::find(listed.begin(), listed.end(), "user.financial") == listed.end());
  CHECK(std::find(listed.begin(), listed.end(), "user.financial.bank_account") == listed.end());
  CHECK(std::find(listed.begin(), listed.end(), "user.health_and_medical") != listed.end());
  CHECK(listed.size() + 2 <= g.SensitiveHeld().size());
  // A list built by hand holds its own entries.
  const NotExposedList own({r.not_exposed_sensitive[0]});
  REQUIRE(own.size() == 1);
  CHECK(own[0].category() == listed.front());
  CHECK(NotExposedList().empty());
}

TEST_CASE("joint seeds expose the union of what each exposes") {
  MapBuilder m;
  m.Node("app").Node("mixpanel", NodeKind::kVendor).Node("segment", NodeKind::kVendor);
  m.Flow("app", "mixpanel", {"user.contact.email"}).Flow("app", "segment", {"user.device.cookie_id"});
  CHECK(Categories(m.Blast({"mixpanel"})) == std::vector<std::string>{"user.contact.email"});
  CHECK(Categories(m.Blast({"segment"})) == std::vector<std::string>{"user.device.cookie_id"});
  auto joint = m.Blast({"mixpanel", "segment"});
  CHECK(Categories(joint) == std::vector<std::string>{"user.contact.email", "user.device.cookie_id"});
  CHECK(joint.seeds == std::vector<std::string>{"mixpanel", "segment"});
}

TEST_CASE("a fourth-party seed exposes what each of our vendors forwarded to it") {
  MapBuilder m;
  m.Subject("eu_user", {"EU"}).Subject("us_user", {"US"});
  m.Node("app").Node("v1", NodeKind::kVendor).Node("v2", NodeKind::kVendor).Node("cloud", NodeKind::kVendor);
  m.Flow("app", "v1", {"user.contact.email"}, 1000, {"eu_user"})
      .Flow("app", "v2", {"user.name"}, 50, {"us_user"});
  m.Flow("v1", "cloud", {"*"}).Flow("v2", "cloud", {"*"});
  auto r = m.Blast({"cloud"});
  CHECK(Categories(r) == std::vector<std::string>{"user.contact.email", "user.name"});
  const auto* email = FindCategory(r, "user.contact.email");
  REQUIRE(email);
  CHECK(email->records_max == 1000);
  CHECK(email->subjects.strings() == std::vector<std::string>{"eu_user"});
  CHECK(email->jurisdictions().strings() == std::vector<std::string>{"EU"});
  REQUIRE(email->provenance.size() == 2);
  CHECK(ReadHop(*r.source, email->provenance[0]).from == "app");
  CHECK(ReadHop(*r.source, email->provenance[1]).from == "v1");
  CHECK(r.severity.jurisdiction == doctest::Approx(1.25));
}

TEST_CASE("severity grows with sensitivity, flags and records") {
  MapBuilder m;
  m.Node("app").Node("low", NodeKind::kVendor).Node("high", NodeKind::kVendor);
  m.Flow("app", "low", {"user.device.cookie_id"}, 10);
  m.Flow("app", "high", {"user.financial.credit_card"}, 10000000);
  auto low = m.Blast({"low"});
  auto high = m.Blast({"high"});
  CHECK(low.severity.level == "low");
  CHECK(high.severity.level == "critical");
  CHECK(high.severity.score > low.severity.score);
}

TEST_CASE("an unknown seed is an error with a did-you-mean") {
  MapBuilder m;
  m.Node("mixpanel", NodeKind::kVendor);
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  auto r = engine.value()->Blast({"mixpanl"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("did you mean 'mixpanel'") != std::string::npos);
}

}  // namespace blastmap::query
