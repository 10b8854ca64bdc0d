// Runs a shell command for the end-to-end tests and captures what it printed and its exit code.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace blastmap::testing {

struct Run {
  int code = -1;    // the exit code; -1 when the command did not exit normally
  std::string out;  // what it wrote on stdout (redirect stderr in `command` to capture it too)
};

inline Run RunCommand(const std::string& command) {
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) run.out.append(buf.data(), n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

#ifdef BLASTMAP_BINARY
// Runs the blastmap binary with `args` (already shell-quoted where needed), with stderr after stdout, or
// with stderr thrown away.
inline Run Blastmap(const std::string& args, bool with_stderr = true) {
  return RunCommand(std::string(BLASTMAP_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null"));
}
#endif

// The bytes of the file at `path` ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace blastmap::testing
