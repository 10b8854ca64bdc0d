// Helpers of the importer tests: temporary trees of files, imports whose messages name files relative
// to the tree, and the fixtures under tests/importers/fixtures.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "importers/import.h"

namespace blastmap::importers::testing {

namespace fs = std::filesystem;

// A temporary directory of files, removed at the end of the test.
class TempTree {
 public:
  TempTree() {
    static int counter = 0;
    root_ = fs::temp_directory_path() /
            ("blastmap_imp_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = root_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string root() const { return root_.string(); }
  // `message` with the tree's path removed, so that it names files as "name:line:col".
  std::string Relative(std::string message) const {
    std::string prefix = root_.string() + "/";
    for (size_t pos; (pos = message.find(prefix)) != std::string::npos;) message.erase(pos, prefix.size());
    return message;
  }

 private:
  fs::path root_;
};

inline std::string Fixture(const std::string& rel) {
  return std::string(BLASTMAP_SOURCE_DIR) + "/tests/importers/fixtures/" + rel;
}

// Imports one file `name` holding `text` and returns the errors (empty when it imported).
inline std::string ErrorOf(const std::string& name, const std::string& text, ImportOptions options = {}) {
  TempTree tree;
  auto r = ImportPath(tree.Write(name, text), options);
  return r.ok() ? "" : tree.Relative(r.status().message());
}

// Imports the files of `files` (name, text) as one tree; the errors, or "".
inline std::string ErrorOfTree(const std::vector<std::pair<std::string, std::string>>& files,
                               ImportOptions options = {}) {
  TempTree tree;
  for (const auto& [name, text] : files) tree.Write(name, text);
  auto r = ImportPath(tree.root(), options);
  return r.ok() ? "" : tree.Relative(r.status().message());
}

// Whether any warning contains `text`.
inline bool HasWarning(const ImportResult& r, const std::string& text) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

inline const core::Flow* FindFlow(const core::Model& m, const std::string& from, const std::string& to) {
  for (const auto& f : m.flows) {
    if (f.from == from && f.to == to) return &f;
  }
  return nullptr;
}

inline const core::Access* FindAccess(const core::Model& m, const std::string& from, const std::string& to) {
  for (const auto& a : m.accesses) {
    if (a.from == from && a.to == to) return &a;
  }
  return nullptr;
}

// Every category a node holds at rest, over all its holdings.
inline std::vector<std::string> Held(const core::Model& m, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& h : m.holdings) {
    if (h.node != node) continue;
    for (const auto& c : h.categories) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace blastmap::importers::testing
