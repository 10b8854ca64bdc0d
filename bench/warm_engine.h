// The engine the brief tools of bench/ measure (`blastmap_bench cold`, `blastmap_bench brief`): a stored
// snapshot's, with its per-snapshot memos built as the server builds them before it listens.
#pragma once

#include <iostream>
#include <memory>
#include <string>

#include "query/engine.h"

namespace blastmap::bench {

// The engine of the latest snapshot in db_path, warmed (query::Engine::Warm); null after printing the
// error to stderr.
inline std::unique_ptr<query::Engine> OpenWarmEngine(const std::string& db_path) {
  auto opened = query::Engine::Open(db_path, std::nullopt);
  if (!opened.ok()) {
    std::cerr << opened.status().message() << "\n";
    return nullptr;
  }
  std::unique_ptr<query::Engine> engine = opened.take();
  engine->Warm();
  return engine;
}

}  // namespace blastmap::bench
