#include "web/api.h"

#include <charconv>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "core/store.h"
#include "importers/overlay_reader.h"
#include "query/cancel.h"
#include "query/render.h"

namespace blastmap::web {
namespace {

using json = nlohmann::json;

// A request that cannot be answered: carries its status up to Handle.
struct ApiError {
  int status;
  std::string message;
};

ApiResponse Json(std::string body) { return {200, std::move(body)}; }

// Unknown ids and categories are 404; every other engine error is a bad request.
[[noreturn]] void FailWith(const core::Status& status) {
  const std::string& m = status.message();
  bool not_found = m.rfind("no node ", 0) == 0 || m.rfind("unknown category", 0) == 0;
  throw ApiError{not_found ? 404 : 400, m};
}

template <typename T>
T Take(core::Result<T> result) {
  if (!result.ok()) FailWith(result.status());
  return result.take();
}

std::optional<std::string> Param(const ApiRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  if (it == r.params.end()) return std::nullopt;
  return it->second;
}

std::string RequiredParam(const ApiRequest& r, const std::string& name) {
  auto v = Param(r, name);
  if (!v || v->empty()) throw ApiError{400, "missing parameter '" + name + "'"};
  return *v;
}

int64_t IntParam(const ApiRequest& r, const std::string& name, int64_t fallback, int64_t lo, int64_t hi) {
  auto v = Param(r, name);
  if (!v) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi) {
    throw ApiError{400, "parameter '" + name + "' must be an integer from " + std::to_string(lo) + " to " +
                            std::to_string(hi)};
  }
  return n;
}

double LikelihoodParam(const std::optional<std::string>& v, const std::string& name) {
  if (!v) return 0.0;
  try {
    size_t used = 0;
    double x = std::stod(*v, &used);
    if (used == v->size() && std::isfinite(x) && x >= 0 && x <= 1) return x;
  } catch (const std::exception&) {
  }
  throw ApiError{400, "parameter '" + name + "' must be a number from 0 to 1"};
}

bool BoolParam(const ApiRequest& r, const std::string& name) {
  auto v = Param(r, name);
  if (!v) return false;
  if (*v == "1" || *v == "true" || v->empty()) return true;
  if (*v == "0" || *v == "false") return false;
  throw ApiError{400, "parameter '" + name + "' must be true or false"};
}

query::BlastOptions BlastOptionsFrom(const ApiRequest& r) {
  query::BlastOptions o;
  o.min_likelihood = LikelihoodParam(Param(r, "min_likelihood"), "min_likelihood");
  o.max_depth = static_cast<int>(IntParam(r, "max_depth", -1, -1, 1000));
  return o;
}

std::vector<std::string> Seeds(const ApiRequest& r) {
  std::vector<std::string> seeds;
  auto [begin, end] = r.params.equal_range("seed");
  for (auto it = begin; it != end; ++it) {
    if (!it->second.empty()) seeds.push_back(it->second);
  }
  if (seeds.empty()) throw ApiError{400, "name at least one node to compromise: ?seed=ID (repeatable)"};
  if (seeds.size() > 100) throw ApiError{400, "at most 100 seeds"};
  return seeds;
}

// The body of POST /api/blast: {"seeds": [...], "min_likelihood": x, "max_depth": n, "max_nodes": n,
// "overlay": {...}}.
struct BlastBody {
  std::vector<std::string> seeds;
  query::BlastOptions options;
  std::optional<size_t> max_nodes;  // unset: the server's default
  json overlay;                     // null when absent
};

// A POST body as JSON: the Content-Type must say so and the text must parse (each route checks the shape).
json ParseJsonBody(const ApiRequest& r) {
  if (r.content_type.rfind("application/json", 0) != 0) {
    throw ApiError{400, "POST bodies must be JSON (Content-Type: application/json)"};
  }
  try {
    return json::parse(r.body);
  } catch (const json::exception& e) {
    throw ApiError{400, std::string("the body is not valid JSON: ") + e.what()};
  }
}

BlastBody ParseBlastBody(const ApiRequest& r) {
  json body = ParseJsonBody(r);
  if (!body.is_object()) throw ApiError{400, "the body must be a JSON object"};
  BlastBody out;
  try {
    for (const auto& [key, value] : body.items()) {
      if (key == "seeds") {
        if (!value.is_array()) throw ApiError{400, "seeds must be an array of node ids"};
        for (const auto& s : value) out.seeds.push_back(s.get<std::string>());
      } else if (key == "min_likelihood") {
        out.options.min_likelihood = value.get<double>();
        if (!(out.options.min_likelihood >= 0 && out.options.min_likelihood <= 1)) {
          throw ApiError{400, "min_likelihood must be a number from 0 to 1"};
        }
      } else if (key == "max_depth") {
        out.options.max_depth = value.is_null() ? -1 : value.get<int>();
        if (out.options.max_depth < -1) throw ApiError{400, "max_depth must not be negative"};
      } else if (key == "max_nodes") {
        if (!value.is_number_integer() || value.get<int64_t>() < 0) {
          throw ApiError{400, "max_nodes must be a non-negative integer (0: every node)"};
        }
        out.max_nodes = value.get<size_t>();
      } else if (key == "overlay") {
        out.overlay = value;
      } else {
        throw ApiError{400, "unknown key '" + key + "' in the body"};
      }
    }
  } catch (const json::exception& e) {
    throw ApiError{400, std::string("bad body: ") + e.what()};
  }
  if (out.seeds.empty()) throw ApiError{400, "name at least one node to compromise: {\"seeds\": [...]}"};
  if (out.seeds.size() > 100) throw ApiError{400, "at most 100 seeds"};
  return out;
}

// JSON that `write` hands to a sink in chunks, gathered into the response body; past `limit` bytes the write
// is abandoned (413), naming `what` is being answered.
template <typename Write>
ApiResponse LimitedJson(const std::string& what, size_t limit, Write&& write) {
  std::string body;
  write([&](std::string_view chunk) {
    if (body.size() + chunk.size() > limit) {
      throw ApiError{413, what + " is more JSON than this server answers with (" + std::to_string(limit) +
                              " bytes): ask for fewer nodes with max_nodes"};
    }
    body += chunk;
  });
  return Json(std::move(body));
}

// The brief as JSON, streamed into the response body under `limit` bytes.
ApiResponse BriefResponse(const query::BlastResult& brief, size_t max_nodes, size_t limit) {
  return LimitedJson("the brief of " + std::to_string(brief.compromised.size()) + " nodes", limit,
                     [&](const auto& sink) { query::WriteBlastJson(brief, max_nodes, sink); });
}

}  // namespace

// Messages may quote what the client sent, which need not be UTF-8: invalid bytes become U+FFFD.
std::string ErrorJson(const std::string& message) {
  return json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

struct Api::Slots {
  std::mutex mu;
  std::condition_variable freed;
  int running = 0;
  void Release() {
    std::lock_guard lock(mu);
    --running;
    freed.notify_one();
  }
};

Api::Api(std::shared_ptr<const query::Engine> engine, ApiOptions options)
    : engine_(std::move(engine)), options_(std::move(options)), slots_(std::make_shared<Slots>()) {
  engine_->Warm();  // a server answers many briefs: build the snapshot's brief memos before the first
}

int Api::running() const {
  std::lock_guard lock(slots_->mu);
  return slots_->running;
}

ApiResponse Api::Handle(const ApiRequest& request) const {
  try {
    return Route(request);
  } catch (const ApiError& e) {
    return {e.status, ErrorJson(e.message)};
  } catch (const std::bad_alloc&) {
    return {500, ErrorJson("out of memory")};
  } catch (const std::exception& e) {
    return {500, ErrorJson(std::string("internal error: ") + e.what())};
  } catch (...) {
    return {500, ErrorJson("internal error")};
  }
}

// Runs `query` on its own thread under a query::Cancel whose deadline is the budget, and waits for it.
// Past the deadline the query's own loops throw query::Cancelled (query/cancel.h), so its thread ends and
// frees its slot soon after; the waiting side answers 503 at the deadline either way, and also stops the
// query explicitly so that it ends even if its clock check lags.
ApiResponse Api::WithBudget(std::function<ApiResponse()> query) const {
  // Under load a query queues for a slot instead of failing at once; the wait counts against its budget.
  const auto deadline = query::Cancel::Clock::now() + options_.query_budget;
  {
    std::unique_lock lock(slots_->mu);
    if (!slots_->freed.wait_until(lock, deadline,
                                  [&] { return slots_->running < options_.max_running_queries; })) {
      throw ApiError{503, "too many queries running; try again shortly"};
    }
    ++slots_->running;
  }
  struct State {
    std::mutex mu;
    std::condition_variable done;
    std::optional<ApiResponse> response;
  };
  auto state = std::make_shared<State>();
  auto slots = slots_;
  auto engine = engine_;  // kept alive for the thread
  auto cancel = std::make_shared<query::Cancel>(deadline);
  const std::string late = "the query took longer than its budget of " +
                           std::to_string(options_.query_budget.count()) + " ms and was stopped";
  try {
    std::thread([state, slots, engine, cancel, late, query = std::move(query)] {
      ApiResponse r;
      try {
        query::CancelScope scope(cancel.get());
        r = query();
      } catch (const query::Cancelled&) {
        r = {503, ErrorJson(late)};
      } catch (const ApiError& e) {
        r = {e.status, ErrorJson(e.message)};
      } catch (const std::exception& e) {
        r = {500, ErrorJson(std::string("internal error: ") + e.what())};
      } catch (...) {
        r = {500, ErrorJson("internal error")};
      }
      slots->Release();
      std::lock_guard lock(state->mu);
      state->response = std::move(r);
      state->done.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    slots_->Release();
    throw ApiError{503, "cannot start the query; try again shortly"};
  }
  std::unique_lock lock(state->mu);
  if (!state->done.wait_until(lock, deadline, [&] { return state->response.has_value(); })) {
    cancel->Stop();
    throw ApiError{503, late};
  }
  return std::move(*state->response);
}

ApiResponse Api::Route(const ApiRequest& r) const {
  const query::Engine& engine = *engine_;
  const std::string& p = r.path;
  auto only = [&](const char* method) {
    if (r.method != method) throw ApiError{405, "use " + std::string(method) + " for " + p};
  };

  if (p == "/api/info") {
    only("GET");
    const core::Graph& g = engine.graph();
    json out = {{"snapshot", engine.snapshot()},     {"nodes", g.node_count()},
                {"flows", g.flow_count()},           {"access", g.access_count()},
                {"categories", g.taxonomy().size()}, {"version", "0.1.0"}};
    return Json(out.dump() + "\n");
  }
  if (p == "/api/snapshots") {
    only("GET");
    return WithBudget([db = options_.db_path] {
      auto store = Take(core::Store::Open(db, /*read_only=*/true));
      return Json(query::SnapshotsToJson(Take(store->ListSnapshots())));
    });
  }
  if (p == "/api/graph") {
    only("GET");
    query::GraphViewOptions o;
    std::string focus = Param(r, "focus").value_or("");
    o.depth = static_cast<int>(IntParam(r, "depth", 1, 0, 10));
    o.max_elements = static_cast<size_t>(IntParam(r, "max", 2500, 0, 10000000));
    if (BoolParam(r, "all")) o.max_elements = 0;
    o.layout = Param(r, "layout").value_or("") == "server";
    if (auto l = Param(r, "layout"); l && *l != "server" && *l != "client") {
      throw ApiError{400, "parameter 'layout' must be server or client"};
    }
    return WithBudget([&engine, focus, o] {
      return Json(query::GraphViewToJson(engine.graph(), Take(engine.View(focus, o))));
    });
  }
  if (p.rfind("/api/node/", 0) == 0) {
    only("GET");
    std::string id = p.substr(10);
    if (id.empty()) throw ApiError{400, "name a node: /api/node/ID"};
    return WithBudget([&engine, id] { return Json(query::NodeToJson(Take(engine.Show(id)))); });
  }
  if (p == "/api/blast") {
    if (r.method == "GET") {
      auto seeds = Seeds(r);
      auto o = BlastOptionsFrom(r);
      auto max_nodes =
          static_cast<size_t>(IntParam(r, "max_nodes", static_cast<int64_t>(options_.default_max_nodes), 0,
                                       std::numeric_limits<int32_t>::max()));
      return WithBudget([&engine, seeds, o, max_nodes, limit = options_.max_response_bytes] {
        return BriefResponse(Take(engine.Blast(seeds, o)), max_nodes, limit);
      });
    }
    only("POST");
    BlastBody body = ParseBlastBody(r);
    const size_t max_nodes = body.max_nodes.value_or(options_.default_max_nodes);
    if (body.overlay.is_null()) {
      return WithBudget([&engine, body, max_nodes, limit = options_.max_response_bytes] {
        return BriefResponse(Take(engine.Blast(body.seeds, body.options)), max_nodes, limit);
      });
    }
    // The overlay goes through the same reader as the CLI's overlay files (docs/what-if.md).
    auto overlay = importers::ReadOverlay("overlay", body.overlay.dump(2), /*json=*/true);
    if (!overlay.ok()) throw ApiError{400, overlay.status().message()};
    return WithBudget(
        [&engine, body, max_nodes, limit = options_.max_response_bytes, overlay = overlay.take()] {
          auto result = engine.WhatIf(overlay, body.seeds, body.options);
          if (!result.ok()) throw ApiError{400, result.status().message()};  // a bad edit is a bad request
          const query::WhatIfResult& r = result.value();
          return LimitedJson("the what-if of " + std::to_string(r.before.compromised.size()) + " and " +
                                 std::to_string(r.after.compromised.size()) + " nodes",
                             limit, [&](const auto& sink) { query::WriteWhatIfJson(r, max_nodes, sink); });
        });
  }
  if (p == "/api/rank") {
    only("GET");
    query::RankOptions o;
    if (auto by = Param(r, "by")) {
      auto metric = query::ParseRankMetric(*by);
      if (!metric) throw ApiError{400, "parameter 'by' must be severity, records, restricted or reach"};
      o.by = *metric;
    }
    if (auto kind = Param(r, "kind")) {
      if (*kind == "all") {
        o.kind = std::nullopt;
      } else if (auto k = core::ParseNodeKind(*kind)) {
        o.kind = k;
      } else {
        throw ApiError{400, "parameter 'kind' must be vendor, system or all"};
      }
    }
    o.limit = static_cast<size_t>(IntParam(r, "limit", 0, 0, 1000000));
    o.blast = BlastOptionsFrom(r);
    return WithBudget([&engine, o] { return Json(query::RankToJson(engine.Rank(o))); });
  }
  if (p == "/api/who-holds") {
    only("GET");
    std::string category = RequiredParam(r, "category");
    query::WhoHoldsOptions o;
    o.blast = BlastOptionsFrom(r);
    o.max_via =
        static_cast<size_t>(IntParam(r, "max_via", static_cast<int64_t>(query::kDefaultMaxVia), 0, 1000000));
    o.exposers = !BoolParam(r, "holders_only");
    return WithBudget(
        [&engine, category, o] { return Json(query::WhoHoldsToJson(Take(engine.WhoHolds(category, o)))); });
  }
  if (p == "/api/paths") {
    only("GET");
    std::string from = RequiredParam(r, "from"), to = RequiredParam(r, "to");
    query::PathOptions o;
    if (auto edges = Param(r, "edges")) {
      if (*edges == "flows") {
        o.edges = query::PathEdges::kFlows;
      } else if (*edges == "access") {
        o.edges = query::PathEdges::kAccess;
      } else if (*edges != "both") {
        throw ApiError{400, "parameter 'edges' must be flows, access or both"};
      }
    }
    o.limit = static_cast<size_t>(IntParam(r, "limit", 10, 1, 1000));
    o.max_length = static_cast<int>(IntParam(r, "max_length", 8, 1, 64));
    return WithBudget(
        [&engine, from, to, o] { return Json(query::PathsToJson(Take(engine.Paths(from, to, o)))); });
  }
  if (p == "/api/query") {
    // {"query": "statements"}: the query language (docs/query-language.md), answered like
    // `blastmap query --format json`. A statement that does not parse or names an unknown column is a bad
    // request.
    only("POST");
    json body = ParseJsonBody(r);
    if (!body.is_object() || !body.contains("query") || !body["query"].is_string()) {
      throw ApiError{400, "the body must be {\"query\": \"...\"}"};
    }
    std::string text = body["query"].get<std::string>();
    return WithBudget([&engine, text] {
      auto tables = engine.Query(text, "query");
      if (!tables.ok()) throw ApiError{400, tables.status().message()};
      return Json(query::QueryToJson(tables.value()));
    });
  }
  throw ApiError{404, "no such endpoint: " + r.method + " " + p + " (see docs/http-api.md)"};
}

}  // namespace blastmap::web
