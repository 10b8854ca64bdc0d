// The HTTP API of blastmap (docs/http-api.md) as a plain function of a decoded request: routing,
// parameter decoding, one engine call under a time budget, JSON out. No HTTP library types here, so the
// API is testable without a socket; web/server.h puts it behind cpp-httplib.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "query/engine.h"

namespace blastmap::web {

struct ApiRequest {
  std::string method;                              // GET, POST, ...
  std::string path;                                // decoded, e.g. /api/node/mixpanel
  std::multimap<std::string, std::string> params;  // decoded query string
  std::string content_type;
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON: the result, or {"error": "..."} for status >= 400
};

struct ApiOptions {
  std::string db_path;                            // for /api/snapshots (opened read-only per request)
  std::chrono::milliseconds query_budget{10000};  // a query running longer is stopped and answered 503
  int max_running_queries =
      8;  // beyond this, a query waits for a slot; 503 when none frees within the budget
  // A brief lists at most this many compromised nodes unless the request asks otherwise (max_nodes, 0: all).
  size_t default_max_nodes = 2000;
  // A brief (or a what-if's pair) whose JSON grows past this is abandoned and answered 413, so that no
  // request (max_nodes=0 on a hub of a huge map) can exhaust the server's memory.
  size_t max_response_bytes = size_t{256} << 20;
};

class Api {
 public:
  // `engine` is shared with queries still running after their budget ran out.
  Api(std::shared_ptr<const query::Engine> engine, ApiOptions options);

  // Answers one request under /api/. Never throws: every failure is a JSON error with 400 (bad
  // parameters or body), 404 (unknown route, node or category), 405, 500 or 503 (time budget, or no
  // query slot freed within it).
  ApiResponse Handle(const ApiRequest& request) const;
  // Queries running now, including those past their budget that have not reached a cancellation check yet.
  int running() const;

 private:
  ApiResponse Route(const ApiRequest& request) const;
  ApiResponse WithBudget(std::function<ApiResponse()> query) const;

  std::shared_ptr<const query::Engine> engine_;
  ApiOptions options_;
  struct Slots;  // the running queries, shared with their threads
  std::shared_ptr<Slots> slots_;
};

// {"error": message}, for any status.
std::string ErrorJson(const std::string& message);

}  // namespace blastmap::web
