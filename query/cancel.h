// Cooperative cancellation of a running query. The caller that owns a query's time budget (the web API)
// makes one Cancel with a deadline and installs it on the thread that runs the query with a CancelScope;
// the long loops of query evaluation (blast radius, rank, paths, minimise, the query language, graph
// views) call CheckCancel(), which throws Cancelled once the deadline has passed or Stop() was called.
// Without a scope (the CLI, the tests) CheckCancel() does nothing. Every algorithm unwinds through RAII,
// so a cancelled query leaves nothing behind; threads a query starts itself take the scope along
// (CurrentCancel()) and hand a Cancelled back to the caller's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace blastmap::query {

class Cancel {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Cancel(Clock::time_point deadline = Clock::time_point::max()) : deadline_(deadline) {}
  Cancel(const Cancel&) = delete;
  Cancel& operator=(const Cancel&) = delete;

  // Asks the query to stop at its next check; safe from any thread.
  void Stop() { stopped_.store(true, std::memory_order_relaxed); }
  // Stop() was called or the deadline has passed.
  bool stopped() const {
    if (stopped_.load(std::memory_order_relaxed)) return true;
    return deadline_ != Clock::time_point::max() && Clock::now() >= deadline_;
  }

 private:
  std::atomic<bool> stopped_{false};
  const Clock::time_point deadline_;
};

// What CheckCancel() throws; the message is what the caller reports.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("the query was cancelled: it ran past its time budget") {}
};

// Makes `cancel` (may be null) the current thread's for the lifetime of the scope; scopes nest.
class CancelScope {
 public:
  explicit CancelScope(const Cancel* cancel);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const Cancel* previous_;
};

// The current thread's Cancel, or null.
const Cancel* CurrentCancel();

namespace detail {
extern thread_local const Cancel* current_cancel;
extern thread_local uint32_t cancel_calls;
}  // namespace detail

// Throws Cancelled when the current thread's query is cancelled. Cheap enough for inner loops: without
// a scope it is one thread-local load, and with one it reads the clock once every 64 calls.
inline void CheckCancel() {
  const Cancel* cancel = detail::current_cancel;
  if (cancel && (++detail::cancel_calls & 63u) == 0 && cancel->stopped()) throw Cancelled();
}

}  // namespace blastmap::query
