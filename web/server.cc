#include "web/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "web/api.h"
#include "web/assets.h"

namespace blastmap::web {
namespace {

namespace fs = std::filesystem;

// Scripts only from this origin (no inline script, no eval); styles may be inline because Cytoscape
// sets element styles; images may be data:/blob: URLs (PNG and SVG export).
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// A browser on the user's machine may be pointed at a hostile name that resolves to 127.0.0.1 (DNS
// rebinding); a loopback-bound server answers only requests addressed to a loopback name.
bool HostAllowed(const std::string& bind, const httplib::Request& req) {
  if (!IsLoopback(bind) || !req.has_header("Host")) return true;
  std::string host = req.get_header_value("Host");
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    host = close == std::string::npos ? host : host.substr(1, close - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return IsLoopback(host);
}

// A relative path of plain segments, or nothing (no "..", ".", empty segments, backslashes or NULs).
std::optional<std::string> SafeRelative(const std::string& url_path) {
  std::string rel = url_path == "/" ? "index.html" : url_path.substr(1);
  if (rel.empty() || rel.size() > 512) return std::nullopt;
  std::stringstream segments(rel);
  std::string seg;
  while (std::getline(segments, seg, '/')) {
    if (seg.empty() || seg == "." || seg == "..") return std::nullopt;
  }
  if (rel.back() == '/' || rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  return rel;
}

constexpr const char* kTokenCookie = "blastmap_token";

// Equal strings, in time that depends only on their lengths (not on where they first differ).
bool SameToken(const std::string& given, const std::string& token) {
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(token[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string CookieValue(const std::string& header, const std::string& name) {
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string_view pair(header.data() + at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    at = end + 1;
  }
  return "";
}

// The token a request carries: the bearer token, else the cookie.
std::string GivenToken(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
  return CookieValue(req.get_header_value("Cookie"), kTokenCookie);
}

}  // namespace

bool IsLoopback(const std::string& address) {
  // 127.x.y.z only as a numeric address: a name such as 127.0.0.1.attacker.example is not loopback.
  return address == "localhost" || address == "::1" ||
         (address.rfind("127.", 0) == 0 && address.find_first_not_of("0123456789.") == std::string::npos);
}

core::Result<std::string> LoadToken(const std::string& token_file, const char* env_token) {
  std::string token;
  std::string from = "BLASTMAP_TOKEN";
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return core::Status::Error("--token-file " + token_file + ": cannot read it");
    std::getline(in, token);
    from = "--token-file " + token_file;
  } else if (env_token) {
    token = env_token;
  } else {
    return std::string();
  }
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!token.empty() && space(token.back())) token.pop_back();
  while (!token.empty() && space(token.front())) token.erase(token.begin());
  if (token.size() < kMinTokenLength) {
    return core::Status::Error(from + ": the token must be at least " + std::to_string(kMinTokenLength) +
                               " characters (e.g. the output of 'openssl rand -hex 32')");
  }
  for (char c : token) {
    if (c <= ' ' || c > '~' || c == ';' || c == ',') {
      return core::Status::Error(from +
                                 ": the token may hold only printable ASCII without spaces, ';' or ','");
    }
  }
  return token;
}

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<Api> api;
  httplib::Server http;
  int port = 0;
  fs::path ui_root;  // canonical, or empty
  // httplib's stop() only stops a server that is already listening: a Stop() that comes before Run() gets
  // there (a SIGTERM right after the URL is printed) would be lost and Run() would serve on. Each side
  // writes its flag, then reads the other's (sequentially consistent), so at least one sees the other.
  std::atomic<bool> run_started{false}, stop_requested{false}, run_finished{false};

  void JsonError(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(ErrorJson(message), "application/json");
  }

  // With a token set: the request carries it, or is the one-time /?token= visit that turns it into a
  // cookie. Answers the request (401, or the redirect) and returns true when it must go no further.
  bool RefusedByToken(const httplib::Request& req, httplib::Response& res) {
    const std::string& token = options.token;
    if (token.empty()) return false;
    if (req.method == "GET" && req.has_param("token")) {
      if (!SameToken(req.get_param_value("token"), token)) {
        JsonError(res, 401, "wrong token");
        return true;
      }
      // The token leaves the URL at once (history, logs, Referer); the browser keeps it as a cookie
      // that scripts cannot read and other sites cannot send.
      res.status = 303;
      res.set_header("Location", "/");
      res.set_header("Set-Cookie",
                     std::string(kTokenCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      res.set_header("Cache-Control", "no-store");
      return true;
    }
    if (SameToken(GivenToken(req), token)) return false;
    res.set_header("WWW-Authenticate", "Bearer realm=\"blastmap\"");
    JsonError(res, 401,
              "this server requires a token: send 'Authorization: Bearer TOKEN', or open /?token=TOKEN once "
              "in the browser");
    return true;
  }

  void ServeApi(const httplib::Request& req, httplib::Response& res) {
    ApiRequest r;
    r.method = req.method;
    r.path = req.path;
    r.params = std::multimap<std::string, std::string>(req.params.begin(), req.params.end());
    r.content_type = req.get_header_value("Content-Type");
    r.body = req.body;
    ApiResponse out = api->Handle(r);
    res.status = out.status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(out.body, "application/json");
  }

  void ServeStatic(const httplib::Request& req, httplib::Response& res) {
    auto rel = SafeRelative(req.path);
    if (!rel) return JsonError(res, 404, "not found");
    res.set_header("Cache-Control", "no-cache");
    if (!ui_root.empty()) {
      std::error_code ec;
      fs::path file = fs::weakly_canonical(ui_root / *rel, ec);
      auto root = ui_root.string() + "/";
      if (!ec && file.string().rfind(root, 0) == 0 && fs::is_regular_file(file, ec) &&
          fs::file_size(file, ec) < (64u << 20)) {
        std::ifstream in(file, std::ios::binary);
        std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        res.set_content(body, std::string(ContentTypeFor(*rel)).c_str());
        return;
      }
    }
    if (const Asset* asset = FindEmbeddedAsset(*rel)) {
      res.set_content(asset->body.data(), asset->body.size(), std::string(ContentTypeFor(*rel)).c_str());
      return;
    }
    JsonError(res, 404, "not found: " + req.path);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

core::Result<std::unique_ptr<Server>> Server::Create(std::shared_ptr<const query::Engine> engine,
                                                     ServerOptions options) {
  auto impl = std::make_unique<Impl>();
  Impl* s = impl.get();
  s->options = options;
  if (!IsLoopback(options.bind) && options.token.empty()) {
    return core::Status::Error(
        "refusing to listen on " + options.bind +
        ", which is not a loopback address, without a token: give one with "
        "--token-file FILE or the environment variable BLASTMAP_TOKEN (see docs/security.md)");
  }
  if (!options.token.empty() && options.token.size() < kMinTokenLength) {
    return core::Status::Error("the token must be at least " + std::to_string(kMinTokenLength) +
                               " characters");
  }
  if (!options.ui_dir.empty()) {
    std::error_code ec;
    s->ui_root = fs::canonical(options.ui_dir, ec);
    if (ec || !fs::is_directory(s->ui_root)) {
      return core::Status::Error("--ui-dir " + options.ui_dir + ": not a directory");
    }
  }

  // Last, as it warms the engine up (the per-snapshot memos: about 1.5 s at 10^6 nodes): a bad option fails
  // at once.
  s->api = std::make_unique<Api>(std::move(engine),
                                 ApiOptions{options.db_path, options.query_budget, 8, options.max_nodes});

  auto& http = s->http;
  http.set_default_headers({{"Content-Security-Policy", kCsp},
                            {"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cross-Origin-Opener-Policy", "same-origin"},
                            {"Cross-Origin-Resource-Policy", "same-origin"},
                            {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"}});
  http.set_payload_max_length(options.max_body_bytes);
  // One thread per connection being served, up to options.threads; a slow or idle client holds only
  // its own thread, and only until the read timeout (per read) or the keep-alive timeout.
  const size_t threads = static_cast<size_t>(std::max(1, options.threads));
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_read_timeout(static_cast<time_t>(options.read_timeout.count()), 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_timeout(5);
  std::string bind = options.bind;
  http.set_pre_routing_handler([s, bind](const httplib::Request& req, httplib::Response& res) {
    // Debian's cpp-httplib answers "Accept-Encoding: br" with Brotli at its slowest setting (seconds for
    // the Cytoscape bundle or a large graph); gzip is fast and nearly as small. The request object is
    // the server's own (not const), so narrowing what the browser accepts is safe here.
    if (req.get_header_value("Accept-Encoding").find("br") != std::string::npos) {
      auto& headers = const_cast<httplib::Request&>(req).headers;
      bool gzip = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
      headers.erase("Accept-Encoding");
      if (gzip) headers.emplace("Accept-Encoding", "gzip");
    }
    if (!HostAllowed(bind, req)) {
      s->JsonError(res, 403, "this server answers only requests addressed to a loopback name");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (s->RefusedByToken(req, res)) return httplib::Server::HandlerResponse::Handled;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto api = [s](const httplib::Request& req, httplib::Response& res) { s->ServeApi(req, res); };
  for (const char* pattern : {"/api", "/api/.*"}) {
    http.Get(pattern, api).Post(pattern, api).Put(pattern, api).Delete(pattern, api).Patch(pattern, api);
  }
  http.Get(".*", [s](const httplib::Request& req, httplib::Response& res) { s->ServeStatic(req, res); });
  // Errors that httplib produces itself (413, 400 for a malformed request, 404 for other methods) get a
  // JSON body like ours.
  http.set_error_handler([s](const httplib::Request&, httplib::Response& res) {
    // After a refused or unparsable request the rest of the stream cannot be trusted (an unread body
    // would be read as the next request): close the connection instead of waiting for more.
    if (res.status == 413 || res.status == 400 || res.status == 414) res.set_header("Connection", "close");
    if (!res.body.empty()) return;
    std::string message = res.status == 413   ? "request body too large"
                          : res.status == 404 ? "not found"
                          : res.status == 400 ? "bad request"
                                              : "error " + std::to_string(res.status);
    s->JsonError(res, res.status, message);
  });
  http.set_exception_handler([s](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string message = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      message += std::string(": ") + e.what();
    } catch (...) {
    }
    s->JsonError(res, 500, message);
  });
  if (!options.quiet) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::cerr << req.method << " " << req.path << " " << res.status << "\n";
    });
  }

  if (options.port == 0) {
    s->port = http.bind_to_any_port(options.bind);
    if (s->port <= 0) return core::Status::Error("cannot listen on " + options.bind);
  } else {
    if (!http.bind_to_port(options.bind, options.port)) {
      return core::Status::Error("cannot listen on " + options.bind + ":" + std::to_string(options.port) +
                                 " (in use, or not an address of this machine)");
    }
    s->port = options.port;
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

core::Status Server::Run() {
  impl_->run_started = true;
  if (!impl_->stop_requested) {
    // listen_after_bind returns when stop() is called, and also fails that way: nothing to tell apart.
    impl_->http.listen_after_bind();
  }
  impl_->run_finished = true;
  return core::Status::Ok();
}

void Server::Stop() {
  if (!impl_) return;
  impl_->stop_requested = true;
  if (!impl_->run_started) return;  // Run() has not begun: it will see the request and not listen
  // Run() has begun: wait until it listens (or has returned), so that stop() is not lost.
  while (!impl_->http.is_running() && !impl_->run_finished)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

}  // namespace blastmap::web
