// The embedded web server (`blastmap serve`): the HTTP API of web/api.h and the embedded UI behind
// cpp-httplib, with security headers, a request body limit and a Host check against DNS rebinding.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "query/engine.h"

namespace blastmap::web {

struct ServerOptions {
  std::string bind = "127.0.0.1";   // loopback by default
  int port = 8080;                  // 0: any free port (see Server::port())
  std::string ui_dir;               // when set, files here are served before the embedded ones (UI work)
  std::string db_path;              // for /api/snapshots
  size_t max_body_bytes = 1 << 20;  // larger request bodies are answered 413
  std::chrono::milliseconds query_budget{10000};
  size_t max_nodes = 2000;  // compromised nodes a brief lists unless the request says (ApiOptions)
  bool quiet = false;       // no access log on stderr
  // When set, every request (API and UI) must carry it: "Authorization: Bearer TOKEN", or the cookie set
  // by visiting /?token=TOKEN once. Required (at least kMinTokenLength characters) for a non-loopback bind.
  std::string token;
  int threads = 64;                      // connections served at once; more wait in the accept queue
  std::chrono::seconds read_timeout{5};  // a client silent this long while sending a request is cut off
};

inline constexpr size_t kMinTokenLength = 16;

// Whether `address` is a loopback address or name (127.0.0.0/8, ::1, localhost).
bool IsLoopback(const std::string& address);

// The token of `blastmap serve`: the first line of `token_file` when not empty, else `env_token`
// (BLASTMAP_TOKEN), with surrounding whitespace removed; empty when neither is given. Errors: an
// unreadable file, or a token shorter than kMinTokenLength or holding characters other than printable ASCII.
core::Result<std::string> LoadToken(const std::string& token_file, const char* env_token);

class Server {
 public:
  // Binds the socket (so that port() is known and errors surface now). Errors: cannot bind, a bad
  // ui_dir.
  static core::Result<std::unique_ptr<Server>> Create(std::shared_ptr<const query::Engine> engine,
                                                      ServerOptions options);
  ~Server();

  int port() const;
  // Serves until Stop() (from another thread or a signal handler's thread). Returns an error when the
  // listening loop fails.
  core::Status Run();
  // Makes Run() return; safe from any thread.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace blastmap::web
