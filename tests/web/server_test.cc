// The HTTP API and the embedded UI: the real server on a free loopback port, a real HTTP client
// (cpp-httplib's), over a store imported from datasets/acme-ai by the real binary.
#include "web/server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "query/render.h"
#include "tests/web/test_server.h"
#include "web/api.h"

using namespace blastmap::testing;

TEST_CASE("GET /api/blast returns exactly the CLI's JSON brief, for one seed and for several") {
  auto c = Shared().Client();
  auto r = c.Get("/api/blast?seed=mixpanel");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  auto direct = AcmeEngine()->Blast({"mixpanel"});
  REQUIRE(direct.ok());
  CHECK(r->body == blastmap::query::BlastToJson(direct.value()));
  json brief = json::parse(r->body);
  std::set<std::string> exposed;
  for (const auto& e : brief["exposed"]) exposed.insert(e["category"]);
  CHECK(exposed.count("user.contact.email"));
  CHECK_FALSE(exposed.count("user.authorization.credentials.api_key"));

  json joint = Body(c.Get("/api/blast?seed=mixpanel&seed=segment&min_likelihood=0.5"));
  CHECK(joint["seeds"] == json::array({"mixpanel", "segment"}));
  CHECK(joint["options"]["min_likelihood"] == 0.5);
}

TEST_CASE("the API answers bad parameters with 400 and unknown ids with 404, as JSON") {
  auto c = Shared().Client();
  auto unknown = c.Get("/api/blast?seed=mixpnel");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(json::parse(unknown->body)["error"].get<std::string>().find("did you mean 'mixpanel'") !=
        std::string::npos);
  for (const char* bad :
       {"/api/blast", "/api/blast?seed=mixpanel&min_likelihood=2", "/api/blast?seed=mixpanel&max_depth=x",
        "/api/rank?by=bogus", "/api/rank?limit=-1", "/api/paths?from=okta", "/api/graph?depth=99",
        "/api/graph?layout=magic", "/api/who-holds"}) {
    auto r = c.Get(bad);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, bad);
    CHECK_MESSAGE(json::parse(r->body).contains("error"), bad);
  }
  for (const char* missing :
       {"/api/node/nope", "/api/who-holds?category=user.nope", "/api/paths?from=okta&to=nope",
        "/api/graph?focus=nope", "/api/nothing-here", "/no-such-file.js"}) {
    auto r = c.Get(missing);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 404, missing);
    CHECK_MESSAGE(json::parse(r->body).contains("error"), missing);
  }
  auto put = c.Put("/api/blast", "{}", "application/json");
  REQUIRE(put);
  CHECK(put->status == 405);
}

TEST_CASE("POST /api/blast with a what-if overlay returns before, after and the delta") {
  auto c = Shared().Client();
  json request = {
      {"seeds", {"mixpanel"}},
      {"overlay",
       {{"what_if",
         {{{"drop_category",
            {{"from", "platform-web"}, {"to", "mixpanel"}, {"category", "user.contact.email"}}}}}}}}};
  auto r = c.Post("/api/blast", request.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json out = json::parse(r->body);
  CHECK(out["delta"]["categories_removed"] == json::array({"user.contact.email"}));
  CHECK(out["before"]["exposed"].size() == 7);
  CHECK(out["after"]["exposed"].size() == 6);

  // Without an overlay, POST is the same brief as GET.
  auto plain = c.Post("/api/blast", R"({"seeds": ["mixpanel"]})", "application/json");
  REQUIRE(plain);
  CHECK(plain->body == c.Get("/api/blast?seed=mixpanel")->body);

  // A bad edit names where it is; a bad body is a 400.
  json bad = request;
  bad["overlay"]["what_if"][0]["drop_category"]["category"] = "user.nope";
  auto e = c.Post("/api/blast", bad.dump(), "application/json");
  REQUIRE(e);
  CHECK(e->status == 400);
  CHECK(json::parse(e->body)["error"].get<std::string>().find("overlay:") == 0);
  for (auto [body, type] : {std::pair{"{not json", "application/json"}, std::pair{"[1]", "application/json"},
                            std::pair{R"({"seeds": ["mixpanel"]})", "text/plain"},
                            std::pair{R"({"seeds": [], "x": 1})", "application/json"},
                            std::pair{R"({"seeds": "mixpanel"})", "application/json"}}) {
    auto r2 = c.Post("/api/blast", body, type);
    REQUIRE(r2);
    INFO(body);
    CHECK(r2->status == 400);
  }
}

TEST_CASE("POST /api/query runs the query language as the CLI does, and positions its errors") {
  auto c = Shared().Client();
  json request = {{"query", "vendors where role = analytics order by id show id; count vendors"}};
  auto r = c.Post("/api/query", request.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json j = json::parse(r->body);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["rows"] == json::array({{{"id", "mixpanel"}}, {{"id", "segment"}}}));
  CHECK(j[1]["count"] == 42);
  auto bad = c.Post("/api/query", json{{"query", "rank vendors limit 3"}}.dump(), "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"] == "query:1:14: expected 'by' after 'rank vendors', found 'limit'");
  auto shape = c.Post("/api/query", "{\"q\": 1}", "application/json");
  REQUIRE(shape);
  CHECK(shape->status == 400);
  auto get = c.Get("/api/query");
  REQUIRE(get);
  CHECK(get->status == 405);
}

TEST_CASE("request bodies over the limit are refused with 413") {
  blastmap::web::ServerOptions options;
  options.max_body_bytes = 1024;
  RunningServer small(options);
  auto c = small.Client();
  std::string big = R"({"seeds": ["mixpanel"], "pad": ")" + std::string(4096, 'x') + "\"}";
  auto r = c.Post("/api/blast", big, "application/json");
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(json::parse(r->body)["error"] == "request body too large");
}

TEST_CASE("graph, node, rank, paths, who-holds and snapshots answer in the CLI's shapes") {
  auto c = Shared().Client();
  json graph = Body(c.Get("/api/graph"));
  CHECK(graph["nodes"].size() == AcmeEngine()->graph().node_count());
  CHECK(graph["overview"] == false);
  CHECK(graph["flows"].size() + graph["access"].size() == graph["total_edges"]);
  std::map<std::string, json> nodes;
  for (const auto& n : graph["nodes"]) nodes[n["id"]] = n;
  CHECK(nodes["mixpanel"]["party"] == 3);
  CHECK(nodes["platform-web"]["party"].is_null());

  json around = Body(c.Get("/api/graph?focus=mixpanel&depth=1"));
  std::set<std::string> ids;
  for (const auto& n : around["nodes"]) ids.insert(n["id"]);
  // Its flow in, its sub-processor, and the SSO provider that holds access to it; nothing further away.
  CHECK(ids == std::set<std::string>{"mixpanel", "platform-web", "gcp", "okta"});

  json overview = Body(c.Get("/api/graph?max=60&layout=server"));
  CHECK(overview["overview"] == true);
  CHECK(overview["nodes"].size() + overview["flows"].size() + overview["access"].size() <= 60);
  CHECK(overview["nodes"][0].contains("position"));

  auto node = c.Get("/api/node/mixpanel");
  REQUIRE(node);
  CHECK(node->body == blastmap::query::NodeToJson(AcmeEngine()->Show("mixpanel").value()));

  json rank = Body(c.Get("/api/rank?limit=3&by=records"));
  CHECK(rank["rows"].size() == 3);
  CHECK(rank["by"] == "records");

  json paths = Body(c.Get("/api/paths?from=okta&to=users-db&edges=access"));
  REQUIRE(!paths["paths"].empty());
  CHECK(paths["paths"][0][0]["from"] == "okta");

  json holders = Body(c.Get("/api/who-holds?category=user.financial.credit_card"));
  CHECK(!holders["holders"].empty());
  // max_via lists fewer holders per vendor and still counts them all.
  json one = Body(c.Get("/api/who-holds?category=user.financial.credit_card&max_via=1"));
  REQUIRE(one["exposed_by"].size() == holders["exposed_by"].size());
  size_t cut = 0;
  for (size_t i = 0; i < one["exposed_by"].size(); ++i) {
    const json &a = one["exposed_by"][i], &whole = holders["exposed_by"][i];
    CHECK(a["via"].size() == 1);
    CHECK(a["via"][0] == whole["via"][0]);
    CHECK(a["via_total"] == whole["via"].size());
    cut += whole["via"].size() > 1;
  }
  CHECK(cut > 0);
  CHECK(c.Get("/api/who-holds?category=user.financial.credit_card&max_via=-1")->status == 400);
  // The UI's category filter asks for the holders only: the same holders, no vendor searched or listed.
  json only = Body(c.Get("/api/who-holds?category=user.financial.credit_card&holders_only=1"));
  CHECK(only["holders"] == holders["holders"]);
  CHECK_FALSE(only.contains("exposed_by"));

  json snapshots = Body(c.Get("/api/snapshots"));
  REQUIRE(snapshots["snapshots"].size() == 1);
  CHECK(snapshots["snapshots"][0]["nodes"] == AcmeEngine()->graph().node_count());
}

TEST_CASE("the UI is served from the embedded assets with content types and security headers") {
  auto c = Shared().Client();
  auto index = c.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(index->body.find("vendor/cytoscape.min.js") != std::string::npos);
  std::string csp = index->get_header_value("Content-Security-Policy");
  CHECK(csp.find("script-src 'self';") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(index->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(index->get_header_value("Referrer-Policy") == "no-referrer");
  for (auto [path, type] : {std::pair{"/app.js", "text/javascript; charset=utf-8"},
                            std::pair{"/style.css", "text/css; charset=utf-8"},
                            std::pair{"/vendor/cytoscape.min.js", "text/javascript; charset=utf-8"},
                            std::pair{"/vendor/cytoscape-fcose.js", "text/javascript; charset=utf-8"}}) {
    auto r = c.Get(path);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 200, path);
    CHECK_MESSAGE(r->get_header_value("Content-Type") == type, path);
  }
  auto api = c.Get("/api/info");
  REQUIRE(api);
  CHECK(api->get_header_value("Cache-Control") == "no-store");
  CHECK(!api->get_header_value("Content-Security-Policy").empty());
}

TEST_CASE("no path leads out of the assets, and a foreign Host is refused") {
  int port = Shared().server->port();
  for (const char* path :
       {"/../../../../etc/passwd", "/vendor/../../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/..%2f..%2fetc/passwd", "//etc/passwd", "/.%2e/CMakeLists.txt"}) {
    std::string answer = RawRequest(
        port, std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    INFO(path, " -> ", answer.substr(0, 40));
    CHECK(answer.rfind("HTTP/1.1 404", 0) == 0);
    CHECK(answer.find("root:") == std::string::npos);
  }
  auto c = Shared().Client();
  httplib::Headers evil = {{"Host", "attacker.example:8080"}};
  auto r = c.Get("/api/info", evil);
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(c.Get("/api/info", httplib::Headers{{"Host", "localhost:1"}})->status == 200);
}

TEST_CASE("--ui-dir serves files from a folder first, still without escaping it") {
  fs::path dir = fs::temp_directory_path() / ("blastmap_ui_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "index.html") << "<!doctype html><p>work in progress</p>";
  fs::remove(dir / "secret");
  fs::create_symlink("/etc/passwd", dir / "secret");
  blastmap::web::ServerOptions options;
  options.ui_dir = dir.string();
  {
    RunningServer dev(options);
    auto c = dev.Client();
    CHECK(c.Get("/")->body.find("work in progress") != std::string::npos);
    CHECK(c.Get("/vendor/cytoscape.min.js")->status == 200);  // not in the folder: the embedded one
    auto secret = c.Get("/secret");
    REQUIRE(secret);
    CHECK(secret->status == 404);
  }
  fs::remove_all(dir);
  options.ui_dir = "/no/such/folder";
  options.db_path = AcmeDb();
  CHECK_FALSE(blastmap::web::Server::Create(AcmeEngine(), options).ok());
}

TEST_CASE("a stop is not lost: before Run, Run returns at once; right after Run starts, it still stops") {
  blastmap::web::ServerOptions options;
  options.port = 0;
  options.quiet = true;
  options.db_path = AcmeDb();
  // Run on a thread; if it has not returned within 10 s, stop it again (a running server stops) and fail.
  auto returns_after = [](blastmap::web::Server& server, auto&& between) {
    std::promise<void> returned;
    auto done = returned.get_future();
    std::thread run([&] {
      (void)server.Run();
      returned.set_value();
    });
    between();
    const bool in_time = done.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    if (!in_time) server.Stop();
    run.join();
    return in_time;
  };
  {
    auto s = blastmap::web::Server::Create(AcmeEngine(), options);
    REQUIRE(s.ok());
    s.value()->Stop();  // a SIGTERM between the printed URL and Run()
    CHECK(returns_after(*s.value(), [] {}));
  }
  for (int i = 0; i < 20; ++i) {  // Stop racing Run's start, from another thread
    auto s = blastmap::web::Server::Create(AcmeEngine(), options);
    REQUIRE(s.ok());
    blastmap::web::Server& server = *s.value();
    CHECK(returns_after(server, [&] { server.Stop(); }));
  }
}

TEST_CASE("the server survives malformed requests and concurrent clients") {
  int port = Shared().server->port();
  for (const std::string& junk :
       {std::string("\x16\x03\x01\x02\x00garbage"), std::string("GET\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n"),
        std::string("POST /api/blast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{"),
        std::string(20000, 'A') + "\r\n\r\n"}) {
    (void)RawRequest(port, junk, /*half_close=*/true);
  }
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(30, 0);
      for (int i = 0; i < 8; ++i) {
        const char* path = (i + t) % 3 == 0   ? "/api/blast?seed=okta"
                           : (i + t) % 3 == 1 ? "/api/graph"
                                              : "/api/node/gcp";
        auto r = c.Get(path);
        (r && r->status == 200 ? ok : bad)++;
      }
    });
  }
  for (auto& th : clients) th.join();
  CHECK(ok == 48);
  CHECK(bad == 0);
}

TEST_CASE("the API builds the snapshot's brief memos before its first brief") {
  auto engine = blastmap::query::Engine::FromModel(AcmeEngine()->graph().model());
  REQUIRE(engine.ok());
  std::shared_ptr<const blastmap::query::Engine> shared(engine.take());
  CHECK(shared->brief_memos() == nullptr);
  blastmap::web::Api api(shared, blastmap::web::ApiOptions{});
  CHECK(shared->brief_memos() != nullptr);
}

TEST_CASE("a query past its time budget is answered 503 and the API goes on answering") {
  blastmap::web::ApiOptions options;
  options.query_budget = std::chrono::milliseconds(0);
  blastmap::web::Api api(AcmeEngine(), options);
  blastmap::web::ApiRequest slow{"GET", "/api/rank", {}, "", ""};
  auto r = api.Handle(slow);
  CHECK(r.status == 503);
  CHECK(json::parse(r.body)["error"].get<std::string>().find("budget") != std::string::npos);
  blastmap::web::ApiRequest info{"GET", "/api/info", {}, "", ""};
  CHECK(api.Handle(info).status == 200);
  // The late query finishes in the background.
  for (int i = 0; i < 3000 && api.running() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(api.running() == 0);
}

TEST_CASE(
    "POST /api/blast lists at most max_nodes nodes (2,000 by default), says so, and refuses a huge body") {
  blastmap::web::ApiOptions options;
  options.default_max_nodes = 2;
  blastmap::web::Api api(AcmeEngine(), options);
  auto post = [&](const std::string& body) {
    return api.Handle({"POST", "/api/blast", {}, "application/json", body});
  };
  auto direct = AcmeEngine()->Blast({"okta"});
  REQUIRE(direct.ok());
  const size_t total = direct.value().compromised.size();
  REQUIRE(total > 3);
  // The server's default cap, then the request's own, then none; GET takes max_nodes too.
  auto by_default = post(R"({"seeds": ["okta"]})");
  REQUIRE(by_default.status == 200);
  CHECK(by_default.body == blastmap::query::BlastToJson(direct.value(), 2));
  json cut = json::parse(by_default.body);
  CHECK(cut["compromised"].size() == 2);
  CHECK(cut["truncated"]["nodes_total"] == total);
  CHECK(cut["truncated"]["nodes_listed"] == 2);
  CHECK(json::parse(post(R"({"seeds": ["okta"], "max_nodes": 3})").body)["compromised"].size() == 3);
  CHECK(post(R"({"seeds": ["okta"], "max_nodes": 0})").body == blastmap::query::BlastToJson(direct.value()));
  auto get = api.Handle({"GET", "/api/blast", {{"seed", "okta"}, {"max_nodes", "1"}}, "", ""});
  CHECK(json::parse(get.body)["truncated"]["nodes_listed"] == 1);
  for (const char* bad :
       {R"({"seeds": ["okta"], "max_nodes": -1})", R"({"seeds": ["okta"], "max_nodes": "all"})",
        R"({"seeds": ["okta"], "max_nodes": 1.5})"}) {
    CHECK_MESSAGE(post(bad).status == 400, bad);
  }
  // A brief whose JSON outgrows the server's limit is abandoned with 413; the server goes on answering.
  const size_t one_node = blastmap::query::BlastToJson(direct.value(), 1).size();
  REQUIRE(blastmap::query::BlastToJson(direct.value()).size() > one_node + 64);
  options.max_response_bytes = one_node + 64;
  blastmap::web::Api small(AcmeEngine(), options);
  auto huge =
      small.Handle({"POST", "/api/blast", {}, "application/json", R"({"seeds": ["okta"], "max_nodes": 0})"});
  CHECK(huge.status == 413);
  CHECK(json::parse(huge.body)["error"].get<std::string>().find("max_nodes") != std::string::npos);
  CHECK(small.Handle({"POST", "/api/blast", {}, "application/json", R"({"seeds": ["okta"], "max_nodes": 1})"})
            .status == 200);
  // A what-if holds two briefs: the same limit, the same 413.
  const std::string what_if =
      R"({"seeds": ["okta"], "overlay": {"what_if": [{"remove_node": "mixpanel"}]}, "max_nodes": )";
  auto huge_what_if = small.Handle({"POST", "/api/blast", {}, "application/json", what_if + "0}"});
  CHECK(huge_what_if.status == 413);
  CHECK(json::parse(huge_what_if.body)["error"].get<std::string>().find("what-if") != std::string::npos);
  auto cut_what_if = api.Handle({"POST", "/api/blast", {}, "application/json", what_if + "1}"});
  REQUIRE(cut_what_if.status == 200);
  CHECK(json::parse(cut_what_if.body)["after"]["compromised"].size() == 1);
}
