// The server under attack: malformed HTTP, oversized bodies, slow clients, path traversal, expensive
// queries stopped at their budget, and the token that a non-loopback bind requires. After each attack the
// same server must go on answering.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "query/cancel.h"
#include "tests/cli/run_command.h"
#include "tests/query/map_builder.h"
#include "tests/web/test_server.h"
#include "web/api.h"

using namespace blastmap::testing;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kToken = "0123456789abcdef-test-token";

// The status code of a raw HTTP answer ("HTTP/1.1 404 ..." -> 404), or 0 when there is none.
int StatusOf(const std::string& answer) {
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
  return std::atoi(answer.substr(9, 3).c_str());
}

// Waits up to `limit` for the server to close `fd` (EOF or reset); returns how long it took, or nullopt.
std::optional<std::chrono::milliseconds> WaitClosed(int fd, std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  char buf[4096];
  while (Clock::now() - start < limit) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    }
  }
  return std::nullopt;
}

void CheckStillServing(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10, 0);
  auto r = c.Get("/api/info");
  REQUIRE(r);
  CHECK(r->status == 200);
}

}  // namespace

TEST_CASE("malformed HTTP is answered 4xx or dropped, and the server goes on") {
  int port = Shared().server->port();
  struct Case {
    const char* what;
    std::string bytes;
    bool lenient = false;  // cpp-httplib skips a header line without a colon and answers the request
  };
  const std::vector<Case> cases = {
      {"garbage request line", "\x01\x02\x03 \xff\xfe HTTP/9.9\r\n\r\n"},
      {"no version", "GET /api/info\r\n\r\n"},
      {"header without colon", "GET /api/info HTTP/1.1\r\nHost 127.0.0.1\r\nthis is not a header\r\n\r\n", true},
      {"bad chunk size", "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"chunk longer than said", "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"query\": 1}\r\n0\r\n\r\n"},
      {"huge chunk size", "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nx\r\n"},
      {"invalid percent-encoding in the path", "GET /api/node/%zz% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
      {"invalid percent-encoding in the query", "GET /api/blast?seed=%&seed=%g1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
      {"huge header", "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(100000, 'a') +
                          "\r\n\r\n"},
      {"many headers", [] {
         std::string s = "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n";
         for (int i = 0; i < 5000; ++i) s += "X-" + std::to_string(i) + ": v\r\n";
         return s + "\r\n";
       }()},
      {"huge URI", "GET /api/blast?seed=" + std::string(200000, 'x') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
      {"negative length", "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n"},
      {"length overflow", "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Length: 99999999999999999999999\r\n\r\n"},
  };
  for (const auto& c : cases) {
    const std::string what = c.what;
    INFO(what);
    const auto start = Clock::now();
    std::string answer = RawRequest(port, c.bytes, /*half_close=*/true);
    CHECK(Clock::now() - start < std::chrono::seconds(4));  // answered or dropped, not hung
    const int status = StatusOf(answer);
    INFO(answer.substr(0, 60));
    // Either no answer (the connection dropped) or a client error; never a 5xx.
    CHECK((status == 0 || (status >= 400 && status < 500) || (c.lenient && status == 200)));
    CheckStillServing(port);
  }
}

TEST_CASE("a body over the 1 MiB limit is refused with 413 and the connection closed, nothing hangs") {
  blastmap::web::ServerOptions options;  // the default 1 MiB limit
  options.read_timeout = std::chrono::seconds(1);
  RunningServer server(options);
  const int port = server.server->port();
  // Announced too large and never sent: cpp-httplib waits for the body up to the read timeout, then
  // answers 413 and closes the connection within the keep-alive timeout. Meanwhile the others are served.
  const auto start = Clock::now();
  const int fd = Connect(port);
  const std::string head = "POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Content-Length: 2000000\r\n\r\n{\"query\": \"";
  REQUIRE(write(fd, head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  CheckStillServing(port);
  std::string answer;
  std::optional<Clock::duration> answered, closed;
  char buf[4096];
  while (!closed && Clock::now() - start < std::chrono::seconds(10)) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      closed = Clock::now() - start;
    } else {
      answer.append(buf, static_cast<size_t>(n));
      if (!answered) answered = Clock::now() - start;
    }
  }
  close(fd);
  CHECK(StatusOf(answer) == 413);
  CHECK(answer.find("Connection: close") != std::string::npos);
  REQUIRE(answered.has_value());
  CHECK(*answered < std::chrono::seconds(3));
  REQUIRE(closed.has_value());
  CHECK(*closed < std::chrono::seconds(8));  // read timeout, then the keep-alive timeout (5 s)
  // Really sent, chunked, past the limit.
  auto c = server.Client();
  std::string big = R"({"query": ")" + std::string((1 << 20) + 100, 'x') + "\"}";
  auto r = c.Post("/api/query", big, "application/json");
  REQUIRE(r);
  CHECK(r->status == 413);
  CheckStillServing(port);
}

TEST_CASE("a slow client is cut off by the read timeout and never blocks the others") {
  blastmap::web::ServerOptions options;
  options.threads = 3;
  options.read_timeout = std::chrono::seconds(1);
  RunningServer server(options);
  const int port = server.server->port();

  // Three stalled clients take every thread of the pool: half a request line, then nothing.
  std::vector<int> stalled;
  for (int i = 0; i < 3; ++i) {
    stalled.push_back(Connect(port));
    (void)!write(stalled.back(), "GET /api/in", 11);
  }
  // Each is cut off after the read timeout, not kept forever.
  for (int fd : stalled) {
    auto closed = WaitClosed(fd, std::chrono::seconds(5));
    CHECK(closed.has_value());
    close(fd);
  }
  // A slowloris sends its headers byte by byte, faster than the timeout; meanwhile the others are served.
  std::atomic<bool> done{false};
  std::thread loris([&] {
    int fd = Connect(port);
    const std::string request = "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 's');
    for (char ch : request) {
      if (done || write(fd, &ch, 1) != 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    close(fd);
  });
  for (int i = 0; i < 10; ++i) {
    const auto start = Clock::now();
    CheckStillServing(port);
    CHECK(Clock::now() - start < std::chrono::seconds(2));
  }
  done = true;
  loris.join();
}

TEST_CASE("no path leads out of the embedded assets, however it is spelled") {
  int port = Shared().server->port();
  for (const char* path :
       {"/..", "/../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd", "/..\\..\\etc\\passwd", "/vendor\\..\\index.html", "/index.html%00.png",
        "/index.html%00", "/%252e%252e/etc/passwd", "/./index.html", "/vendor//cytoscape.min.js",
        "/%c0%ae%c0%ae/etc/passwd", "/etc/passwd", "/proc/self/environ", "/web/server.cc"}) {
    std::string answer = RawRequest(
        port, std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const std::string shown = std::string(path) + " -> " + answer.substr(0, 40);
    INFO(shown);
    const int status = StatusOf(answer);
    CHECK((status == 404 || status == 400));
    CHECK(answer.find("root:") == std::string::npos);
    CHECK(answer.find("cmake_minimum_required") == std::string::npos);
    CHECK(answer.find("PATH=") == std::string::npos);
  }
  CheckStillServing(port);
}

TEST_CASE("an expensive query is stopped at its budget and frees its slot") {
  // A chain of systems each forwarding everything to the next: the blast of every node walks the chain
  // back, so `nodes order by severity` is quadratic: far longer than the waits below without cancellation.
  blastmap::query::testing::MapBuilder map;
  const int n = 30000;
  for (int i = 0; i < n; ++i) map.Node("s" + std::to_string(i));
  map.Stores("s0", {"user.contact.email"});
  for (int i = 0; i + 1 < n; ++i) map.Flow("s" + std::to_string(i), "s" + std::to_string(i + 1), {"*"});
  auto engine = blastmap::query::Engine::FromModel(map.model);
  REQUIRE(engine.ok());
  std::shared_ptr<const blastmap::query::Engine> shared(engine.take());

  SUBCASE("the engine stops at the cancel's deadline") {
    blastmap::query::Cancel cancel(Clock::now() + std::chrono::milliseconds(200));
    blastmap::query::CancelScope scope(&cancel);
    const auto start = Clock::now();
    CHECK_THROWS_AS((void)shared->Query("nodes order by severity desc limit 1"), blastmap::query::Cancelled);
    CHECK(Clock::now() - start < std::chrono::seconds(3));
  }
  SUBCASE("the API answers 503 at the budget and the query's thread ends soon after") {
    blastmap::web::ApiOptions options;
    options.query_budget = std::chrono::milliseconds(300);
    options.max_running_queries = 1;
    blastmap::web::Api api(shared, options);
    blastmap::web::ApiRequest slow{"POST", "/api/query", {}, "application/json",
                                   R"({"query": "nodes order by severity desc limit 1"})"};
    const auto start = Clock::now();
    auto r = api.Handle(slow);
    CHECK(r.status == 503);
    CHECK(nlohmann::json::parse(r.body)["error"].get<std::string>().find("budget of 300 ms") != std::string::npos);
    CHECK(Clock::now() - start < std::chrono::seconds(2));
    // The slot comes back: the query really stopped (it would run for minutes otherwise).
    for (int i = 0; i < 1000 && api.running() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(api.running() == 0);
    // And the next query gets the slot.
    blastmap::web::ApiRequest cheap{"GET", "/api/node/s5", {}, "", ""};
    CHECK(api.Handle(cheap).status == 200);
    // Rank runs its candidates on worker threads: they stop as well.
    blastmap::web::ApiRequest rank{"GET", "/api/rank", {{"kind", "all"}, {"max_depth", "1000"}}, "", ""};
    auto ranked = api.Handle(rank);
    if (ranked.status == 503) {
      for (int i = 0; i < 1000 && api.running() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      CHECK(api.running() == 0);
    }
  }
}

TEST_CASE("a non-loopback bind needs a token, and the token is enforced on every route") {
  blastmap::web::ServerOptions open;
  open.bind = "0.0.0.0";
  open.port = 0;
  open.db_path = AcmeDb();
  auto refused = blastmap::web::Server::Create(AcmeEngine(), open);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("without a token") != std::string::npos);
  CHECK(refused.status().message().find("--token-file") != std::string::npos);

  blastmap::web::ServerOptions options;
  options.token = kToken;
  RunningServer server(options);
  auto c = server.Client();
  const std::vector<std::string> routes = {"/", "/index.html", "/app.js", "/vendor/cytoscape.min.js",
                                           "/api/info", "/api/blast?seed=mixpanel", "/api/graph",
                                           "/api/rank", "/api/snapshots", "/nope"};
  for (const auto& route : routes) {
    INFO(route);
    auto none = c.Get(route.c_str());
    REQUIRE(none);
    CHECK(none->status == 401);
    CHECK(none->get_header_value("WWW-Authenticate").find("Bearer") != std::string::npos);
    CHECK(none->body.find("token") != std::string::npos);
    auto wrong = c.Get(route.c_str(), {{"Authorization", "Bearer 0123456789abcdef-test-tokeN"}});
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    auto shorter = c.Get(route.c_str(), {{"Authorization", "Bearer 0123"}});
    REQUIRE(shorter);
    CHECK(shorter->status == 401);
    auto right = c.Get(route.c_str(), {{"Authorization", std::string("Bearer ") + kToken}});
    REQUIRE(right);
    CHECK(right->status == (route == "/nope" ? 404 : 200));
  }
  auto post = c.Post("/api/query", R"({"query": "vendors"})", "application/json");
  REQUIRE(post);
  CHECK(post->status == 401);

  // The browser: /?token= once sets an HttpOnly, SameSite=Strict cookie and drops the token from the URL.
  auto visit = c.Get((std::string("/?token=") + kToken).c_str());
  REQUIRE(visit);
  CHECK(visit->status == 303);
  CHECK(visit->get_header_value("Location") == "/");
  const std::string cookie = visit->get_header_value("Set-Cookie");
  CHECK(cookie.find(std::string("blastmap_token=") + kToken) == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  const std::string sent = "theme=dark; blastmap_token=" + std::string(kToken);
  CHECK(c.Get("/", {{"Cookie", sent}})->status == 200);
  CHECK(c.Get("/api/info", {{"Cookie", sent}})->status == 200);
  CHECK(c.Get("/api/info", {{"Cookie", "blastmap_token=nope"}})->status == 401);
  auto bad_visit = c.Get("/?token=guess");
  REQUIRE(bad_visit);
  CHECK(bad_visit->status == 401);
  CHECK(bad_visit->get_header_value("Set-Cookie").empty());
}

TEST_CASE("only numeric 127.x addresses, ::1 and localhost count as loopback, for the bind and the Host check") {
  CHECK(blastmap::web::IsLoopback("127.0.0.1"));
  CHECK(blastmap::web::IsLoopback("127.1.2.3"));
  CHECK(blastmap::web::IsLoopback("::1"));
  CHECK(blastmap::web::IsLoopback("localhost"));
  CHECK_FALSE(blastmap::web::IsLoopback("127.0.0.1.attacker.example"));
  CHECK_FALSE(blastmap::web::IsLoopback("0.0.0.0"));
  CHECK_FALSE(blastmap::web::IsLoopback("10.0.0.1"));
  auto c = Shared().Client();
  auto r = c.Get("/api/info", httplib::Headers{{"Host", "127.0.0.1.attacker.example:8080"}});
  REQUIRE(r);
  CHECK(r->status == 403);
}

TEST_CASE("the serve token comes from --token-file or BLASTMAP_TOKEN and must be strong enough") {
  fs::path file = fs::temp_directory_path() / ("blastmap_token_" + std::to_string(getpid()));
  std::ofstream(file) << "  " << kToken << "  \nsecond line ignored\n";
  auto from_file = blastmap::web::LoadToken(file.string(), "ignored-when-a-file-is-given");
  REQUIRE(from_file.ok());
  CHECK(from_file.value() == kToken);
  auto from_env = blastmap::web::LoadToken("", kToken);
  REQUIRE(from_env.ok());
  CHECK(from_env.value() == kToken);
  auto none = blastmap::web::LoadToken("", nullptr);
  REQUIRE(none.ok());
  CHECK(none.value().empty());
  CHECK(blastmap::web::LoadToken("", "short").status().message().find("at least 16") != std::string::npos);
  CHECK_FALSE(blastmap::web::LoadToken("", "0123456789abcdef; evil=1").ok());
  CHECK(blastmap::web::LoadToken("/no/such/file", nullptr).status().message().find("cannot read") !=
        std::string::npos);
  fs::remove(file);
  // The binary refuses a non-loopback bind without a token, with the same message, before serving.
  auto run = RunCommand(std::string("env -u BLASTMAP_TOKEN ") + BLASTMAP_BINARY + " serve --bind 0.0.0.0 --port 0 --db " +
                        AcmeDb() + " 2>&1");
  CHECK(run.code != 0);
  CHECK(run.out.find("without a token") != std::string::npos);
}
