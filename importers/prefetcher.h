// Parsing the YAML/JSON files of an import ahead of its readers, on worker threads: each file's documents
// and problems, and (for files of native documents only) what the native reader makes of them. Internal to
// the importers layer (used by import.cc).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "importers/diagnostics.h"
#include "importers/import.h"
#include "importers/native_reader.h"
#include "importers/reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {

// A regular file within the size limit; reports anything else (a device or a pipe would be read without
// end; a huge file would be held whole in memory).
bool Readable(const std::string& path, uint64_t max_bytes, Diagnostics& diag);

// Parses the YAML/JSON files of an import ahead of the reader, on worker threads, a bounded window of files
// ahead of the last one taken (memory stays that of a few files). The import takes each file's documents
// and parse problems in its own order, so the result and the messages do not depend on the threads; a file
// not parsed yet when it is asked for is parsed by the asking thread. Native documents are read as they are
// parsed, one at a time (a bundle's trees never live together).
class Prefetcher {
 public:
  struct Parsed {
    std::optional<std::vector<YamlDocumentPtr>> docs;
    Diagnostics diag;
    // A file whose every document is native (or empty) is read too, as the native reader reads it: its
    // declarations and problems, for the import to merge where it reads the file (`docs` is then empty).
    std::optional<NativeDeclarations> native;
    Diagnostics native_diag;
  };

  // `files` in the order the import reads them, as `format` (the import's); threads: ImportOptions::threads.
  Prefetcher(std::vector<std::string> files, Format format, const ImportOptions& options);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The parse of `path` if it is a file of the list read as the import's format (parsing it here when no
  // worker started it yet); nothing for any other file or format, or a file taken before (the caller parses it).
  std::optional<Parsed> Take(const std::string& path, Format format);

 private:
  enum class State { kWaiting, kParsing, kDone, kTaken };
  struct Slot {
    State state = State::kWaiting;
    std::optional<Parsed> parsed;
  };

  Parsed Parse(size_t i) const;
  void Work();

  const std::vector<std::string> files_;
  std::map<std::string, size_t> index_;
  std::vector<Slot> slots_;
  const Format format_;
  const ImportOptions& options_;
  size_t window_ = 0, next_ = 0, cursor_ = 0;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> workers_;
};

}  // namespace blastmap::importers
