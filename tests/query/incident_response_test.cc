// Notification obligations, fourth-party concentration, the map at a date, incident replay and the
// reports' escaping, on small hand-made maps (the end-to-end replays on datasets/acme-ai are in tests/cli).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "query/render.h"
#include "query/time_window.h"
#include "tests/query/map_builder.h"

namespace blastmap::query {

using core::NodeKind;
using core::Privilege;
using testing::MapBuilder;

namespace {

const std::vector<core::NotificationRule>& Rules() {
  static const auto rules = [] {
    auto loaded = importers::LoadDefaultRegulations();
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
    return loaded.take();
  }();
  return rules;
}

BlastResult BlastWithRules(const MapBuilder& m, const std::vector<std::string>& seeds) {
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  engine.value()->set_rules(Rules());
  auto result = engine.value()->Blast(seeds);
  REQUIRE(result.ok());
  return result.take();
}

// One exposure: vendor v receives `categories` about subject s (living in `jurisdictions`), `records` of
// them.
struct Exposure {
  std::vector<std::string> jurisdictions;
  std::vector<std::string> categories;
  int64_t records = 1000;
};

// The rules fired by an exposure: id -> possible.
std::map<std::string, bool> Fired(const Exposure& x) {
  MapBuilder m;
  m.Node("app").Node("v", NodeKind::kVendor).Subject("s", x.jurisdictions);
  m.Flow("app", "v", x.categories, x.records, {"s"});
  std::map<std::string, bool> fired;
  for (const auto& o : BlastWithRules(m, {"v"}).obligations) fired[o.rule] = o.possible;
  return fired;
}

std::set<std::string> covered;  // rules seen firing (certainly) in some test

void ExpectFires(const std::string& rule, const Exposure& x) {
  auto fired = Fired(x);
  INFO("rule " << rule);
  REQUIRE(fired.count(rule));
  CHECK_FALSE(fired[rule]);
  covered.insert(rule);
}
void ExpectPossible(const std::string& rule, const Exposure& x) {
  auto fired = Fired(x);
  INFO("rule " << rule);
  REQUIRE(fired.count(rule));
  CHECK(fired[rule]);
}
void ExpectSilent(const std::string& rule, const Exposure& x) {
  INFO("rule " << rule);
  CHECK_FALSE(Fired(x).count(rule));
}

}  // namespace

TEST_CASE(
    "GDPR and UK GDPR: Art. 33 on any personal data of their subjects, Art. 34 only on high-risk data") {
  ExpectFires("gdpr-art33", {{"EU"}, {"user.contact.email"}});
  ExpectSilent("gdpr-art33", {{"US", "UK"}, {"user.contact.email"}});
  ExpectSilent("gdpr-art33", {{"EU"}, {"system.operations"}});  // not personal data
  ExpectFires("gdpr-art34", {{"EU"}, {"user.financial.credit_card"}});
  ExpectFires("gdpr-art34", {{"EU"}, {"user.demographic.race_ethnicity"}});  // special category
  ExpectSilent("gdpr-art34", {{"EU"}, {"user.contact.email", "user.name"}});
  ExpectFires("uk-gdpr-art33", {{"UK"}, {"user.name"}});
  ExpectSilent("uk-gdpr-art33", {{"EU"}, {"user.name"}});
  ExpectFires("uk-gdpr-art34", {{"UK"}, {"user.authorization.password"}});
  ExpectSilent("uk-gdpr-art34", {{"UK"}, {"user.name"}});
}

TEST_CASE("US state laws fire on a name together with an identifier, or a login with its password") {
  ExpectFires("us-ca-1798.82-residents",
              {{"US-CA"}, {"user.name", "user.government_id.national_identification_number"}});
  ExpectFires("us-ca-1798.82-residents", {{"US-CA"}, {"user.contact.email", "user.authorization.password"}});
  ExpectSilent("us-ca-1798.82-residents", {{"US-CA"}, {"user.name", "user.contact.email"}});
  ExpectSilent("us-ca-1798.82-residents", {{"US-CA"}, {"user.government_id.national_identification_number"}});
  ExpectSilent("us-ca-1798.82-residents", {{"EU"}, {"user.name", "user.financial.credit_card"}});
  // Subjects known only as "US" may include Californians: the duty possibly applies.
  ExpectPossible("us-ca-1798.82-residents", {{"US"}, {"user.name", "user.financial.bank_account"}});
  ExpectFires("us-ca-1798.82-attorney-general", {{"US-CA"}, {"user.name", "user.health_and_medical"}, 501});
  ExpectSilent("us-ca-1798.82-attorney-general", {{"US-CA"}, {"user.name", "user.health_and_medical"}, 500});
  for (const char* state : {"NY", "TX", "FL", "WA"}) {
    std::string j = std::string("US-") + state;
    Exposure exposed{{j}, {"user.name", "user.financial.credit_card"}, 1000};
    Exposure elsewhere{{"US-OR"}, {"user.name", "user.financial.credit_card"}, 1000};
    for (const auto& rule : Rules()) {
      if (std::find(rule.jurisdictions.begin(), rule.jurisdictions.end(), j) == rule.jurisdictions.end())
        continue;
      ExpectFires(rule.id, exposed);
      ExpectSilent(rule.id, elsewhere);
      ExpectSilent(rule.id, {{j}, {"user.name"}, 1000});
    }
  }
  ExpectSilent("us-tx-521.053-attorney-general",
               {{"US-TX"}, {"user.name", "user.financial.credit_card"}, 249});
}

TEST_CASE(
    "the combination must concern one subject: a name about one group and an SSN about another do not "
    "combine") {
  MapBuilder m;
  m.Node("app").Node("v", NodeKind::kVendor).Subject("a", {"US-CA"}).Subject("b", {"US-CA"});
  m.Flow("app", "v", {"user.name"}, 100, {"a"});
  m.Flow("app", "v", {"user.government_id.national_identification_number"}, 100, {"b"});
  for (const auto& o : BlastWithRules(m, {"v"}).obligations) CHECK(o.rule != "us-ca-1798.82-residents");
  m.Flow("app", "v", {"user.name"}, 100, {"b"});
  auto r = BlastWithRules(m, {"v"});
  auto it = std::find_if(r.obligations.begin(), r.obligations.end(),
                         [](const Obligation& o) { return o.rule == "us-ca-1798.82-residents"; });
  REQUIRE(it != r.obligations.end());
  CHECK(it->subjects == std::vector<std::string>{"b"});
  CHECK(it->deadline_hours == 720);
}

TEST_CASE(
    "HIPAA on health data of US subjects, with its 500-record thresholds; PCI DSS on card data anywhere") {
  ExpectFires("hipaa-individuals", {{"US"}, {"user.health_and_medical.record_id"}});
  ExpectSilent("hipaa-individuals", {{"EU"}, {"user.health_and_medical.record_id"}});
  ExpectSilent("hipaa-individuals", {{"US"}, {"user.name"}});
  ExpectFires("hipaa-hhs", {{"US-CA"}, {"user.biometric.health"}, 500});
  ExpectSilent("hipaa-hhs", {{"US"}, {"user.biometric.health"}, 499});
  ExpectFires("hipaa-media", {{"US"}, {"user.health_and_medical"}, 501});
  ExpectSilent("hipaa-media", {{"US"}, {"user.health_and_medical"}, 500});
  ExpectFires("pci-dss-brands", {{}, {"user.financial.credit_card"}});
  ExpectFires("pci-dss-brands", {{"JP"}, {"user.financial"}});  // a parent may carry card numbers
  ExpectSilent("pci-dss-brands", {{"US"}, {"user.financial.bank_account"}});
}

TEST_CASE("PIPEDA and the other jurisdictions") {
  ExpectFires("pipeda-record", {{"CA"}, {"user.contact.email"}});
  ExpectSilent("pipeda-commissioner", {{"CA"}, {"user.contact.email"}});
  ExpectFires("pipeda-commissioner", {{"CA"}, {"user.authorization.credentials"}});
  ExpectFires("pipeda-individuals", {{"CA"}, {"user.government_id.passport_number"}});
  ExpectSilent("pipeda-record", {{"US"}, {"user.contact.email"}});
  ExpectFires("br-lgpd-anpd", {{"BR"}, {"user.authorization.credentials"}});
  ExpectSilent("br-lgpd-anpd", {{"BR"}, {"user.contact.email"}});
  ExpectFires("sg-pdpa-commission", {{"SG"}, {"user.financial.bank_account"}});
  ExpectSilent("sg-pdpa-commission", {{"SG"}, {"user.name"}});
  ExpectFires("au-ndb-oaic", {{"AU"}, {"user.government_id.drivers_license_number"}});
  ExpectSilent("au-ndb-oaic", {{"AU"}, {"user.name"}});
  ExpectFires("jp-appi-ppc", {{"JP"}, {"user.contact.email"}});
  ExpectSilent("jp-appi-ppc", {{"KR"}, {"system.authentication"}});
  ExpectFires("kr-pipa", {{"KR"}, {"user.contact.email"}});
  ExpectFires("in-cert-in", {{"IN"}, {"user.name"}});
  ExpectSilent("in-cert-in", {{"EU"}, {"user.name"}});
}

TEST_CASE("every shipped rule is exercised by a case above") {
  // doctest runs test cases in file order by default; this one comes last among the rule cases.
  for (const auto& rule : Rules()) {
    INFO("rule " << rule.id << " at " << rule.where.ToString());
    CHECK(covered.count(rule.id));
    CHECK_FALSE(rule.citation.empty());
    CHECK_FALSE(rule.sources.empty());
  }
}

TEST_CASE(
    "a seeded vendor's contractual notice window is an obligation; a vendor reached by pivoting is not") {
  MapBuilder m;
  m.Node("v", NodeKind::kVendor).Node("w", NodeKind::kVendor);
  m.model.nodes[0].attrs["notice_hours"] = {"48"};
  m.model.nodes[0].attrs["contacts"] = {"sec@v.example"};
  m.model.nodes[1].attrs["notice_hours"] = {"24"};
  m.Access("v", "w", Privilege::kAdmin);
  auto r = BlastWithRules(m, {"v"});
  REQUIRE(r.obligations.size() == 1);
  CHECK(r.obligations[0].rule == "contract:v");
  CHECK(r.obligations[0].deadline_hours == 48);
  CHECK(r.obligations[0].note.find("sec@v.example") != std::string::npos);
  CHECK(r.obligations[0].where.file == "test.yaml");
}

TEST_CASE("obligations are ordered by deadline, and uncovered jurisdictions are named") {
  auto r = [] {
    MapBuilder m;
    m.Node("app").Node("v", NodeKind::kVendor).Subject("s", {"EU", "IN", "NZ"});
    m.Flow("app", "v", {"user.contact.email"}, 10, {"s"});
    return BlastWithRules(m, {"v"});
  }();
  REQUIRE(r.obligations.size() >= 2);
  CHECK(r.obligations[0].rule == "in-cert-in");  // 6 hours
  CHECK(r.obligations[1].rule == "gdpr-art33");  // 72 hours
  CHECK(r.jurisdictions_without_rules == std::vector<std::string>{"NZ"});
}

TEST_CASE("fourth-party concentration counts the vendors behind each sub-processor, weighted by their data") {
  MapBuilder m;
  m.Node("app").Node("a", NodeKind::kVendor).Node("b", NodeKind::kVendor).Node("c", NodeKind::kVendor);
  m.Node("cloud", NodeKind::kVendor).Node("mail", NodeKind::kVendor);
  m.Flow("app", "a", {"user.financial.credit_card"}, 1000).Flow("app", "b", {"user.contact.email"}, 100);
  m.Flow("app", "c", {"user.name"}, 10);
  m.Flow("a", "cloud", {"*"}).Flow("b", "cloud", {"*"}).Flow("c", "mail", {"user.name"});
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  auto rows = engine.value()->Concentration(1);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "cloud");
  REQUIRE(rows[0].vendors.size() == 2);
  CHECK(rows[0].vendors[0].id == "a");  // card data outweighs email
  CHECK(rows[0].vendors[0].records == 1000);
  CHECK(rows[0].score == doctest::Approx(rows[0].vendors[0].score + rows[0].vendors[1].score).epsilon(0.01));
  CHECK(rows[0].restricted == 1);
  CHECK(rows[1].id == "mail");
  CHECK(engine.value()->Concentration(2).size() == 1);
}

TEST_CASE("--at leaves out what was not active yet, and a former vendor keeps only what it still stores") {
  MapBuilder m;
  m.Node("app").Node("old", NodeKind::kVendor).Node("new", NodeKind::kVendor).Node("host", NodeKind::kVendor);
  m.model.nodes[1].attrs = {{"active_from", {"2020-01-01"}}, {"active_until", {"2022-12-31"}}};
  m.model.nodes[2].attrs = {{"active_from", {"2024-01-01"}}};
  m.Stores("old", {"user.name"});
  m.Flow("app", "old", {"user.contact.email"}).Flow("old", "host", {"*"}).Flow("app", "new", {"user.name"});
  m.Flow("app", "host", {"user.contact.phone_number"});
  m.model.flows.back().active_from = "2021-06-01";
  m.Access("old", "app", Privilege::kRead);
  auto at = [&](const std::string& date) {
    auto dated = ModelAt(m.model, date);
    REQUIRE(dated.ok());
    return dated.take();
  };
  core::Model y2021 = at("2021-01-01");
  CHECK(y2021.FindNode("new") == nullptr);
  CHECK(y2021.flows.size() == 2);  // app->old, old->host; app->host starts in June
  core::Model y2025 = at("2025-01-01");
  CHECK(y2025.FindNode("old") != nullptr);
  CHECK(y2025.accesses.empty());
  std::vector<std::string> flows;
  for (const auto& f : y2025.flows) flows.push_back(f.from + ">" + f.to);
  CHECK(flows == std::vector<std::string>{"old>host", "app>new", "app>host"});
  auto engine = Engine::FromModel(m.model, 0, "2025-01-01");
  REQUIRE(engine.ok());
  auto old = engine.value()->Blast({"old"});
  REQUIRE(old.ok());
  REQUIRE(old.value().exposed.size() == 1);
  CHECK(old.value().exposed[0].category() == "user.name");  // still stored; email no longer sent
  CHECK(old.value().at == "2025-01-01");
  CHECK_FALSE(ModelAt(m.model, "2025-13-01").ok());
  CHECK_FALSE(Engine::FromModel(m.model, 0, "2019-01-01").value()->Blast({"new"}).ok());
}

TEST_CASE(
    "replay finds the vendor by identity first, else by role and access, and compares with what leaked") {
  MapBuilder m;
  m.Node("app").Node("crm").Node("amplitude", NodeKind::kVendor).Node("drift-like", NodeKind::kVendor);
  m.Node("other-analytics", NodeKind::kVendor);
  m.model.nodes[2].attrs["role"] = {"analytics"};
  m.model.nodes[3].attrs["role"] = {"sales-engagement"};
  m.model.nodes[4].attrs["role"] = {"analytics"};
  m.Flow("app", "amplitude", {"user.contact.email", "user.financial.credit_card"});
  m.Stores("crm", {"user.name"});
  m.Access("drift-like", "crm", Privilege::kWrite);
  m.model.accesses.back().mechanism = "OAuth token";
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  core::Incident in;
  in.id = "test";
  in.match = {"mixpanel"};
  in.roles = {"analytics"};
  in.exposed = {"user.contact", "user.name"};
  in.not_exposed = {"user.financial"};
  auto r = engine.value()->Replay(in);
  REQUIRE(r.ok());
  CHECK(r.value().match == "role");
  REQUIRE(r.value().seeds.size() == 2);  // both analytics vendors, jointly
  REQUIRE(r.value().really_exposed.size() == 2);
  CHECK(r.value().really_exposed[0].here == std::vector<std::string>{"user.contact.email"});
  CHECK(r.value().really_exposed[1].here.empty());
  CHECK(r.value().said_not_exposed == std::vector<std::string>{"user.financial.credit_card"});
  in.match = {"Other-Analytics"};
  CHECK(engine.value()->Replay(in).value().seeds.size() == 1);
  CHECK(engine.value()->Replay(in).value().match == "identity");
  in.match = {};
  in.roles = {"sales-engagement"};
  in.access = {Privilege::kWrite};
  in.mechanisms = {"oauth"};
  auto drift = engine.value()->Replay(in);
  REQUIRE(drift.value().seeds.size() == 1);
  CHECK(drift.value().seeds[0].how.find("write on crm") != std::string::npos);
  in.access = {Privilege::kAdmin};
  CHECK(engine.value()->Replay(in).value().match == "none");
}

TEST_CASE("every incident of the library loads, with sources, and names categories of the taxonomy") {
  auto library = importers::LoadIncidentLibrary();
  REQUIRE_MESSAGE(library.ok(), library.status().message());
  CHECK(library.value().size() >= 8);
  for (const auto& in : library.value()) {
    INFO(in.id);
    CHECK_FALSE(in.sources.empty());
    CHECK_FALSE(in.exposed.empty());
    CHECK(in.date.size() == 10);
  }
  CHECK_FALSE(importers::LoadIncident("mixpanl-2025").ok());
  CHECK(importers::LoadIncident("mixpanl-2025").status().message().find("did you mean 'mixpanel-2025'") !=
        std::string::npos);
}

TEST_CASE("the HTML and Markdown reports escape every manifest string") {
  const std::string hostile = "<img src=x onerror=alert(1)>";
  MapBuilder m;
  m.Node("app").Node("v", NodeKind::kVendor).Subject("s", {"EU"});
  m.model.nodes[1].name = hostile;
  m.model.subjects[0].name = hostile + "</td><script>alert(2)</script>";
  m.model.nodes[1].attrs["notice_hours"] = {"24"};
  m.model.nodes[1].attrs["owner"] = {hostile};
  m.Flow("app", "v", {"user.contact.email"}, 10, {"s"});
  m.model.flows[0].where.file = "evil\"<b>.yaml";
  auto engine = Engine::FromModel(m.model);
  REQUIRE(engine.ok());
  engine.value()->set_rules(Rules());
  auto r = engine.value()->Blast({"v"});
  REQUIRE(r.ok());
  std::string html = BlastToHtml(r.value(), engine.value()->graph());
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("Decision support, not legal advice") != std::string::npos);
  std::string md = BlastToMarkdown(r.value(), engine.value()->graph());
  // Every '<' is escaped text, except the line breaks the report itself puts in table cells.
  for (size_t pos = md.find('<'); pos != std::string::npos; pos = md.find('<', pos + 1)) {
    if (md.compare(pos, 4, "<br>") == 0) continue;
    CHECK(md[pos - 1] == '\\');
  }
  CHECK(md.find("\\<img src=x onerror=alert(1)\\>") != std::string::npos);
}

}  // namespace blastmap::query
