#include "web/server.h"

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

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

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

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

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<Api> api;
  httplib::Server http;
  int port = 0;
  fs::path ui_root;  // canonical, or empty

  void JsonError(httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(ErrorJson(message), "application/json");
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
  s->api = std::make_unique<Api>(std::move(engine), ApiOptions{options.db_path, options.query_budget, 8});
  if (!options.ui_dir.empty()) {
    std::error_code ec;
    s->ui_root = fs::canonical(options.ui_dir, ec);
    if (ec || !fs::is_directory(s->ui_root)) {
      return core::Status::Error("--ui-dir " + options.ui_dir + ": not a directory");
    }
  }

  auto& http = s->http;
  http.set_default_headers({{"Content-Security-Policy", kCsp},
                            {"X-Content-Type-Options", "nosniff"},
                            {"X-Frame-Options", "DENY"},
                            {"Referrer-Policy", "no-referrer"},
                            {"Cross-Origin-Opener-Policy", "same-origin"},
                            {"Cross-Origin-Resource-Policy", "same-origin"},
                            {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"}});
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(5, 0);
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
  // listen_after_bind returns when stop() is called, and also fails that way: nothing to tell apart.
  impl_->http.listen_after_bind();
  return core::Status::Ok();
}

void Server::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace blastmap::web
