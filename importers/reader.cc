#include "importers/reader.h"

#include <algorithm>
#include <deque>

#include "core/text.h"
#include "importers/embedded_files.h"

namespace blastmap::importers {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kAuto: return "auto";
    case Format::kNative: return "native";
    case Format::kFides: return "fides";
    case Format::kThreagile: return "threagile";
    case Format::kCycloneDx: return "cyclonedx";
    case Format::kBackstage: return "backstage";
    case Format::kCsv: return "csv";
  }
  return "auto";
}

const std::vector<std::string>& FormatNames() {
  static const std::vector<std::string> kNames = {"auto",      "native",    "fides", "threagile",
                                                  "cyclonedx", "backstage", "csv"};
  return kNames;
}

std::optional<Format> ParseFormat(std::string_view name) {
  for (Format f : {Format::kAuto, Format::kNative, Format::kFides, Format::kThreagile, Format::kCycloneDx,
                   Format::kBackstage, Format::kCsv}) {
    if (FormatName(f) == name) return f;
  }
  return std::nullopt;
}

void CheckForeignKeys(const Field& map, std::string_view what, const std::vector<std::string>& mapped,
                      const std::vector<std::string>& ignored, Diagnostics& diag) {
  std::vector<std::string> known = mapped;
  known.insert(known.end(), ignored.begin(), ignored.end());
  for (const auto& [key, at] : MapKeys(map)) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string near = core::DidYouMean(key, mapped);
    if (!near.empty()) {
      diag.Error(at, std::string(what) + ": unknown key '" + key + "'" + near);
    } else {
      diag.Warning(at, std::string(what) + ": key '" + key + "' is not used by blastmap; ignored");
    }
  }
}

std::string Slug(std::string_view text) {
  std::string out;
  bool dash = false;
  for (unsigned char c : text) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<unsigned char>(c - 'A' + 'a');
      keep = true;
    }
    if (keep) {
      if (dash && !out.empty()) out += '-';
      out += static_cast<char>(c);
      dash = false;
    } else {
      dash = true;
    }
  }
  return out;
}

std::optional<Field> ImporterData(std::string_view name, Diagnostics& diag) {
  // The paths Fields point to: one per embedded file, made once (thread-safe) and never moved.
  static const std::deque<std::string> kPaths = [] {
    std::deque<std::string> paths;
    for (const auto& file : ImporterDataFiles()) paths.push_back("importers/data/" + std::string(file.name));
    return paths;
  }();
  const auto& files = ImporterDataFiles();
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].name != name) continue;
    const std::string& path = kPaths[i];
    auto docs = ParseDocuments(path, files[i].content, false, diag);
    if (docs && docs->size() == 1) return Field(&path, docs->front());
    diag.Error({path, 0, 0}, "the embedded data file is invalid");
    return std::nullopt;
  }
  diag.Error({std::string(name), 0, 0}, "no such embedded data file");
  return std::nullopt;
}

}  // namespace blastmap::importers

namespace blastmap::importers {
namespace {

class NativeReader : public DocumentReader {
 public:
  void ReadDocument(const Field& doc, ReadContext& ctx) override {
    ReadNativeDocument(doc, ctx.diag, ctx.out);
  }
};

bool HasKey(const YamlNode& doc, std::initializer_list<std::string_view> keys) {
  for (uint32_t i = 0; i < doc.size; ++i) {
    if (!doc.Key(i).IsScalar()) continue;
    for (std::string_view k : keys) {
      if (doc.Key(i).text == k) return true;
    }
  }
  return false;
}

}  // namespace

std::unique_ptr<DocumentReader> NewNativeReader() { return std::make_unique<NativeReader>(); }

Format DetectFormat(const YamlNode& doc) {
  if (!doc.IsMap()) return Format::kAuto;
  if (const YamlNode* f = doc.Find("bomFormat"); f && f->IsScalar() && f->text == "CycloneDX") {
    return Format::kCycloneDx;
  }
  if (const YamlNode* v = doc.Find("apiVersion");
      v && v->IsScalar() && v->text.find("backstage.io/") != std::string_view::npos) {
    return Format::kBackstage;
  }
  if (HasKey(doc, {"threagile_version", "technical_assets", "data_assets", "trust_boundaries",
                   "shared_runtimes"})) {
    return Format::kThreagile;
  }
  if (HasKey(doc, {"system", "dataset", "data_category", "data_use", "data_subject", "organization", "policy",
                   "registry", "fides_key"})) {
    return Format::kFides;
  }
  if (LooksNative(doc)) return Format::kNative;
  return Format::kAuto;
}

}  // namespace blastmap::importers
