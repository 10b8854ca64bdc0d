// The one way a big brief shares its work with a second thread (query/blast_radius.cc, query/brief_memo.cc,
// query/compromise.cc): each step that walks hundreds of thousands of nodes hands part of them to a worker
// when there are that many and the machine runs two threads at once, and does the rest itself.
#pragma once

#include <atomic>
#include <cstddef>
#include <future>
#include <system_error>
#include <thread>
#include <utility>

namespace blastmap::query {

// A step over at least this many nodes takes a second thread (when the machine has two cores or more).
// Tests lower it to run those paths on small maps; the output is the same either way.
inline constexpr size_t kParallelBriefNodes = 4096;
extern std::atomic<size_t> parallel_brief_nodes;

// Starts `task` on a second thread when `items` is at least parallel_brief_nodes and the machine runs two
// threads at once. Returns its future, or an invalid one when it did not start (too few items, one core, or
// no thread to be had): the caller then does all the work itself. A started task must be waited for
// (get()) before anything it uses goes away.
template <typename Task>
std::future<void> StartIfBig(size_t items, Task&& task) {
  if (items < parallel_brief_nodes.load(std::memory_order_relaxed) || std::thread::hardware_concurrency() < 2)
    return {};
  try {
    return std::async(std::launch::async, std::forward<Task>(task));
  } catch (const std::system_error&) {
    return {};
  }
}

// Calls work(begin, end, part) over [0, items): with a second thread, the first half as part 0 on this
// thread and the rest as part 1 on the other; else work(0, items, 0). Returns when both are done; rethrows
// what the worker threw.
template <typename Work>
void SplitIfBig(size_t items, Work&& work) {
  const size_t split = items / 2;
  std::future<void> second;
  if (split > 0) second = StartIfBig(items, [&] { work(split, items, 1); });
  work(0, second.valid() ? split : items, 0);
  if (second.valid()) second.get();
}

}  // namespace blastmap::query
