// The web UI's files, embedded into the binary at build time (web/embed_assets.cmake): the hand-written
// UI under web/ui/ and the pinned npm packages it uses under vendor/.
#pragma once

#include <span>
#include <string_view>

namespace blastmap::web {

struct Asset {
  std::string_view path;  // relative, e.g. "index.html", "vendor/cytoscape.min.js"
  std::string_view body;
};

// Every embedded asset, by path.
std::span<const Asset> EmbeddedAssets();
// The asset at `path`, or nullptr.
const Asset* FindEmbeddedAsset(std::string_view path);
// The Content-Type for a file name, by its extension (application/octet-stream when unknown).
std::string_view ContentTypeFor(std::string_view path);

}  // namespace blastmap::web
