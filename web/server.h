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
  bool quiet = false;  // no access log on stderr
};

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
