#include "tests/fuzz/fuzz_target.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "importers/import.h"

namespace blastmap::fuzz {
namespace fs = std::filesystem;

std::map<std::string, FuzzFunction>& Targets() {
  static std::map<std::string, FuzzFunction> targets;
  return targets;
}

std::string WriteInput(const uint8_t* data, size_t size, std::string_view extension) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("blastmap-fuzz-" + std::to_string(getpid()));
    fs::create_directories(d);
    // Removed when the process ends normally; a crash leaves it for the post-mortem.
    static const fs::path removed = d;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(removed, ec);
    });
    return d;
  }();
  std::string path = (dir / ("input" + std::string(extension))).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

void FuzzImport(const uint8_t* data, size_t size, const char* format, std::string_view extension) {
  std::string path = WriteInput(data, size, extension);
  importers::ImportOptions options;
  options.format = format;
  options.threads = 1;
  ExpectMessage(importers::ImportPath(path, options));
}

}  // namespace blastmap::fuzz
