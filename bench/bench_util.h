// Small helpers shared by the benchmark programs: a wall-clock timer, memory figures, a flat JSON writer.
#pragma once

#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace blastmap::bench {

// Reports `message` as the program's error; the exit status to return.
inline int Die(const std::string& message) {
  std::cerr << "blastmap_bench: " << message << "\n";
  return 2;
}

class Timer {
 public:
  Timer() { Reset(); }
  void Reset() { start_ = std::chrono::steady_clock::now(); }
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// CPU time: unlike wall clock, barely affected by other processes on a shared machine. Of the calling
// thread (CLOCK_THREAD_CPUTIME_ID), or of every thread of the process (CLOCK_PROCESS_CPUTIME_ID: a big
// brief is assembled on two threads).
template <clockid_t kClock>
class CpuTimer {
 public:
  CpuTimer() { Reset(); }
  void Reset() { start_ = Now(); }
  double Seconds() const { return Now() - start_; }

 private:
  static double Now() {
    timespec t{};
    clock_gettime(kClock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  }
  double start_ = 0;
};
using ThreadCpuTimer = CpuTimer<CLOCK_THREAD_CPUTIME_ID>;
using ProcessCpuTimer = CpuTimer<CLOCK_PROCESS_CPUTIME_ID>;

// Peak resident set of this process so far, in MiB.
inline double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// Heap bytes allocated and not freed, in MiB (glibc's mallinfo2).
inline double HeapInUseMb() {
  const struct mallinfo2 m = mallinfo2();  // the main arena, plus the blocks it mapped on their own
  return static_cast<double>(m.uordblks + m.hblkhd) / (1024.0 * 1024.0);
}

// Current resident set, in MiB (from /proc/self/statm).
inline double CurrentRssMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0 / (1024.0 * 1024.0);
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// A flat JSON object built in insertion order (numbers, strings, booleans, nested objects).
class Json {
 public:
  void Add(const std::string& key, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    Put(key, buf);
  }
  void Add(const std::string& key, int64_t v) { Put(key, std::to_string(v)); }
  void Add(const std::string& key, bool v) { Put(key, v ? "true" : "false"); }
  void Add(const std::string& key, const std::string& v) { Put(key, "\"" + v + "\""); }
  void Add(const std::string& key, const Json& v) { Put(key, v.Text()); }
  int64_t Int(const std::string& key) const {
    for (const auto& [k, v] : fields_) {
      if (k == key) return std::stoll(v);
    }
    return 0;
  }
  std::string Text() const {
    std::string out = "{";
    for (size_t i = 0; i < fields_.size(); ++i) {
      out += (i ? ", \"" : "\"") + fields_[i].first + "\": " + fields_[i].second;
    }
    return out + "}";
  }

 private:
  void Put(const std::string& key, std::string value) { fields_.emplace_back(key, std::move(value)); }
  std::vector<std::pair<std::string, std::string>> fields_;
};

// The median of `values` (the upper one of an even count); 0 when there are none.
inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// p50, p95, max and mean of `values` (milliseconds), as a JSON object.
inline Json Percentiles(std::vector<double> values) {
  Json out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    return values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
  };
  double sum = 0;
  for (double v : values) sum += v;
  out.Add("p50", at(0.50));
  out.Add("p95", at(0.95));
  out.Add("max", values.back());
  out.Add("mean", sum / values.size());
  out.Add("n", static_cast<int64_t>(values.size()));
  return out;
}

}  // namespace blastmap::bench
