// The shared fixture of the web tests: a store imported from a dataset by the real binary, and the real
// server on a free loopback port, plus a raw-socket client for requests no HTTP library would send.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "query/engine.h"
#include "web/server.h"

namespace blastmap::testing {

using blastmap::query::Engine;
using nlohmann::json;
namespace fs = std::filesystem;

inline std::string ImportDb(const std::string& dataset, const std::string& tag) {
  std::string path =
      (fs::temp_directory_path() / ("blastmap_web_" + tag + "_" + std::to_string(getpid()) + ".db")).string();
  fs::remove(path);
  std::string cmd = std::string(BLASTMAP_BINARY) + " import " + std::string(BLASTMAP_SOURCE_DIR) + "/" +
                    dataset + " --db " + path + " > /dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  // Removed when the test binary exits.
  static std::vector<std::string> to_remove;
  if (to_remove.empty()) {
    std::atexit([] {
      for (const auto& db : to_remove) {
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
      }
    });
  }
  to_remove.push_back(path);
  return path;
}

inline const std::string& AcmeDb() {
  static const std::string db = ImportDb("datasets/acme-ai", "acme");
  return db;
}

inline std::shared_ptr<const Engine> AcmeEngine() {
  static std::shared_ptr<const Engine> engine = [] {
    auto e = Engine::Open(AcmeDb(), std::nullopt);
    REQUIRE(e.ok());
    return std::shared_ptr<const Engine>(e.take());
  }();
  return engine;
}

// A server running on its own thread for the lifetime of the object.
struct RunningServer {
  std::unique_ptr<blastmap::web::Server> server;
  std::thread thread;
  explicit RunningServer(blastmap::web::ServerOptions options = {}) {
    options.port = 0;
    options.quiet = true;
    options.db_path = AcmeDb();
    auto s = blastmap::web::Server::Create(AcmeEngine(), options);
    REQUIRE_MESSAGE(s.ok(), s.status().message());
    server = s.take();
    thread = std::thread([this] { (void)server->Run(); });
    // Wait until it answers.
    httplib::Client probe("127.0.0.1", server->port());
    for (int i = 0; i < 200; ++i) {
      if (probe.Get("/api/info")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~RunningServer() {
    server->Stop();
    thread.join();
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_read_timeout(20, 0);
    return c;
  }
};

inline RunningServer& Shared() {
  static RunningServer server;
  return server;
}

inline json Body(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body);
}

// A TCP connection to 127.0.0.1:port; the caller closes it.
inline int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

// Sends raw bytes and returns whatever the server answers (up to its closing the connection).
inline std::string RawRequest(int port, const std::string& bytes, bool half_close = false) {
  const int fd = Connect(port);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)!write(fd, bytes.data(), bytes.size());
  if (half_close) shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

}  // namespace blastmap::testing
