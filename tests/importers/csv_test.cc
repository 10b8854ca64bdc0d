// The CSV vendor-inventory importer: the RFC 4180 reader, column mapping, free-text names, every error.
#include <doctest/doctest.h>

#include "importers/csv_parser.h"
#include "tests/importers/import_helpers.h"

namespace blastmap::importers {
namespace {
using namespace testing;

const std::string kHeader = "Vendor,Data Categories,Data Subjects,DPA,Tier,Records\n";

}  // namespace

TEST_CASE("csv: the RFC 4180 reader keeps quoted cells, embedded newlines, CRLF and positions") {
  Diagnostics diag;
  auto rows = ParseCsv("f.csv",
                       "\xEF\xBB\xBF"
                       "a,\"b \"\"q\"\"\",c\r\n\r\n\"x\r\ny\",\xC3\xA9t\xC3\xA9,z\r\n",
                       0, diag);
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].cells[1].text == "b \"q\"");
  CHECK((*rows)[1].line == 3);
  CHECK((*rows)[1].cells[0].text == "x\ny");
  CHECK((*rows)[1].cells[1].text == "\xC3\xA9t\xC3\xA9");
  CHECK((*rows)[1].cells[2].line == 4);
  CHECK((*rows)[1].cells[2].col == 8);  // characters, not bytes: `y",été,` is 7 characters
  SUBCASE("semicolons and tabs are detected from the header") {
    auto semi = ParseCsv("f.csv", "a;b;c\n1;2,5;3\n", 0, diag);
    CHECK((*semi)[1].cells.size() == 3);
    auto tabs = ParseCsv("f.csv", "a\tb\n1\t2\n", 0, diag);
    CHECK((*tabs)[1].cells.size() == 2);
  }
  SUBCASE("syntax errors") {
    auto error = [](const std::string& text) {
      Diagnostics d;
      auto r = ParseCsv("f.csv", text, 0, d);
      CHECK_FALSE(r);
      return d.ToStatus().message();
    };
    CHECK(error("a,b\n1,\"open\n") == "f.csv:2:3: this quoted cell is never closed (a missing '\"')");
    CHECK(error("a,b\n1,x\"y\n") ==
          "f.csv:2:4: a '\"' inside an unquoted cell; quote the whole cell and double the '\"'");
    CHECK(error("a,b\n1,\"x\"y\n") ==
          "f.csv:2:6: unexpected text after the closing quote of a cell; quote the whole cell and double any "
          "'\"' "
          "inside it");
    CHECK(error("a,b\n1,\xFF\n") == "f.csv:2:3: invalid UTF-8 (save the file as UTF-8)");
  }
}

TEST_CASE("csv: a GRC vendor inventory maps onto vendors, flows and sub-processors") {
  auto r = ImportPath(Fixture("csv/vendors.csv"));
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  const core::Node* mixpanel = m.FindNode("mixpanel");
  REQUIRE(mixpanel);
  CHECK(mixpanel->kind == core::NodeKind::kVendor);
  CHECK(mixpanel->where.line == 2);
  CHECK(core::ToStrings(mixpanel->attrs.at("dpa")) == std::vector<std::string>{"2023-04-01"});
  CHECK(core::ToStrings(mixpanel->attrs.at("tier")) == std::vector<std::string>{"2"});
  CHECK(core::ToStrings(mixpanel->attrs.at("data_locations")) == std::vector<std::string>{"US", "EU"});
  CHECK(core::ToStrings(m.FindNode("zendesk")->attrs.at("dpa")) == std::vector<std::string>{"yes"});
  CHECK(core::ToStrings(m.FindNode("greenhouse")->attrs.at("tier")) == std::vector<std::string>{"4"});  // low
  SUBCASE("free-text categories map through the taxonomy; two rows of one vendor are two flows") {
    int flows = 0;
    for (const auto& f : m.flows) flows += f.from == "organization" && f.to == "mixpanel";
    CHECK(flows == 2);
    const core::Flow* first = FindFlow(m, "organization", "mixpanel");
    CHECK(core::ToStrings(first->categories) == std::vector<std::string>{"user.contact.email", "user.name",
                                                        "user.device.ip_address", "user.location.imprecise"});
    CHECK(first->records == 1200000);
    CHECK(first->purpose == "analytics.reporting");
    CHECK(core::ToStrings(first->subjects) == std::vector<std::string>{"customer"});
    const core::Flow* zendesk = FindFlow(m, "organization", "zendesk");
    CHECK(core::ToStrings(zendesk->categories) == std::vector<std::string>{"user.contact.email", "user.contact.phone_number",
                                                          "user.content.private"});
    CHECK(zendesk->records == 250000);
    CHECK(m.FindSubject("job_applicant"));
  }
  SUBCASE("sub-processors are vendors that receive everything their vendor holds, once per pair") {
    const core::Flow* aws = FindFlow(m, "mixpanel", "amazon-web-services");
    REQUIRE(aws);
    CHECK(aws->forwards_all);
    int n = 0;
    for (const auto& f : m.flows) n += f.from == "mixpanel" && f.to == "amazon-web-services";
    CHECK(n == 1);
    CHECK(m.FindNode("google-cloud")->name == "Google Cloud");
  }
}

TEST_CASE("csv: columns are mapped by a mapping file or --csv-column") {
  TempTree tree;
  tree.Write("systems.yaml", "systems:\n  - id: storefront\n");
  std::string csv = Fixture("csv/mapped/inventory.csv");
  ImportOptions options;
  options.csv_map = Fixture("csv/mapping.yaml");
  auto r = ImportPaths({csv, tree.root()}, options);
  REQUIRE_MESSAGE(r.ok(), r.status().message());
  const auto& m = r.value().model;
  const core::Flow* f = FindFlow(m, "storefront", "sendgrid");
  REQUIRE(f);
  CHECK(core::ToStrings(f->categories) == std::vector<std::string>{"user.contact.email", "user.behavior.purchase_history"});
  CHECK(FindFlow(m, "sendgrid", "twilio"));
  CHECK(core::ToStrings(m.FindNode("sendgrid")->attrs.at("country")) == std::vector<std::string>{"US"});

  ImportOptions columns;
  columns.csv_columns = {"vendor=Supplier", "categories=Personal data shared", "source=Sending system"};
  CHECK(ErrorOfTree({{"i.csv", "Supplier;Personal data shared;Sending system\nAcme;Email;web\n"},
                     {"s.yaml", "systems:\n  - id: web\n"}},
                    columns) == "");
}

TEST_CASE("csv: every error names file:line:col") {
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Customers,yes,1,10\n") == "");
  CHECK(ErrorOf("v.csv", "") == "v.csv:1:1: the CSV file is empty (a header row is required)");
  CHECK(ErrorOf("v.csv", "Name,Email\nAcme,x\n") ==
        "v.csv:1:1: no vendor column (a header such as 'Vendor'; name another with --csv-column "
        "vendor=HEADER)");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email\n") == "v.csv:2:1: this row has 2 cells but the header has 6");
  CHECK(ErrorOf("v.csv", kHeader + ",Email,Customers,yes,1,10\n") == "v.csv:2:1: the vendor cell is empty");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,\"Email;\nPhone nmber\",Customers,yes,1,10\n") ==
        "v.csv:3:1: 'Phone nmber' names no data category (did you mean 'Phone Number'?); map an inventory's "
        "own "
        "names under 'categories:' in the --csv-map file");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Custmers,yes,1,10\n") ==
        "v.csv:2:12: 'Custmers' names no data subject kind (did you mean 'customer'?); map it under "
        "'subjects:' in "
        "the --csv-map file");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Customers,pending,1,10\n") ==
        "v.csv:2:22: DPA 'pending': expected yes, no or a date YYYY-MM-DD");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Customers,yes,5,10\n") ==
        "v.csv:2:26: tier '5': expected 1 to 4 (or critical, high, medium, low)");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Customers,yes,1,lots\n") ==
        "v.csv:2:28: records 'lots': expected a number such as 1200000, 1,200,000 or 1.2M");
  CHECK(ErrorOf("v.csv", kHeader + "Acme,Email,Customers,yes,1,10\nAcme,Name,Customers,yes,2,10\n") ==
        "v.csv:3:1: vendor 'acme' has another tier on this row than at v.csv:2:1");
  SUBCASE("column mapping problems") {
    ImportOptions o;
    o.csv_columns = {"vendr=Supplier"};
    CHECK(ErrorOf("v.csv", kHeader, o) ==
          "--csv-column vendr=Supplier: 'vendr' is not a CSV field (did you mean 'vendor'?)");
    o.csv_columns = {"vendor"};
    CHECK(ErrorOf("v.csv", kHeader, o) == "--csv-column: expected FIELD=HEADER, found 'vendor'");
    o.csv_columns = {"vendor=Vendr"};
    CHECK(ErrorOf("v.csv", kHeader, o) ==
          "v.csv:1:1: column 'Vendr' (for vendor, named at --csv-column vendor=Vendr) is not in the header "
          "(did you "
          "mean 'Vendor'?)");
    TempTree tree;
    ImportOptions m;
    m.csv_map =
        tree.Write("map.yaml",
                   "columns:\n  vendor: Vendor\ndelimiter: '|'\ncategories:\n  Emails: user.contact.emial\n"
                   "subject:\n  x: customer\n");
    auto r = ImportPath(tree.Write("v.csv", kHeader), m);
    REQUIRE_FALSE(r.ok());
    CHECK(tree.Relative(r.status().message()) ==
          "map.yaml:6:1: CSV mapping: unknown key 'subject' (did you mean 'subjects'?)\n"
          "map.yaml:3:12: delimiter: expected ',', ';' or tab, found '|'\n"
          "map.yaml:5:11: unknown category 'user.contact.emial' (did you mean 'user.contact.email'?)");
  }
}

}  // namespace blastmap::importers
