#include "importers/import.h"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>

#include "core/text.h"
#include "importers/csv_reader.h"
#include "importers/embedded_files.h"
#include "importers/library_reader.h"
#include "importers/native_reader.h"
#include "importers/prefetcher.h"
#include "importers/reader.h"
#include "importers/reconcile.h"
#include "importers/taxonomy_reader.h"
#include "importers/yaml_source.h"

namespace blastmap::importers {
namespace fs = std::filesystem;
namespace {

bool IsCsvName(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".csv" || ext == ".tsv";
}

bool IsManifestName(const fs::path& p, bool yaml, bool csv) {
  auto ext = p.extension().string();
  return (yaml && (ext == ".yaml" || ext == ".yml" || ext == ".json")) || (csv && IsCsvName(p));
}

// The input files under `path` in sorted order; hidden entries are skipped and directory symlinks are
// not followed (so a symlink loop cannot trap the walk). `skip` is left out (the CSV mapping file).
std::vector<std::string> ListManifests(const std::string& path, Diagnostics& diag, bool yaml = true,
                                       bool csv = false, const std::string& skip = "") {
  std::vector<std::string> files;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    diag.Error({path, 0, 0}, "no such file or directory");
    return files;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return files;
  }
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().rfind('.', 0) == 0) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink(ec)) {
      std::error_code target_ec;
      auto target = fs::status(p, target_ec);
      if (fs::is_directory(target)) {
        diag.Warning({p.lexically_normal().string(), 0, 0}, "a link to a directory; not followed");
        continue;
      }
      if ((target_ec || !fs::exists(target)) && IsManifestName(p, yaml, csv)) {
        diag.Error({p.lexically_normal().string(), 0, 0},
                   "a symbolic link that loops or points nowhere (" +
                       (target_ec ? target_ec.message() : std::string("no such file")) + ")");
        continue;
      }
      ec.clear();
    }
    if (it->is_regular_file(ec) && IsManifestName(p, yaml, csv)) {
      std::string name = p.lexically_normal().string();
      if (skip.empty() || !fs::equivalent(name, skip, ec)) files.push_back(name);
    }
  }
  if (ec) diag.Error({path, 0, 0}, "cannot read the directory: " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty() && !diag.has_errors()) {
    diag.Error({path, 0, 0},
               std::string("no manifests (*.yaml, *.yml, *.json") + (csv ? ", *.csv" : "") + ") found");
  }
  return files;
}

core::Result<core::Taxonomy> FinishTaxonomy(core::Taxonomy taxonomy, Diagnostics& diag) {
  if (!diag.has_errors()) {
    if (auto status = taxonomy.Finalize(); !status.ok()) diag.Error({}, status.message());
  }
  if (diag.has_errors()) return diag.ToStatus();
  return taxonomy;
}

// One import: the files read so far, one reader and one set of declarations per format met.
class Session {
 public:
  Session(const core::Taxonomy& taxonomy, const ImportOptions& options, Diagnostics& diag,
          Prefetcher* prefetcher = nullptr)
      : taxonomy_(taxonomy),
        options_(options),
        diag_(diag),
        prefetcher_(prefetcher),
        writer_(options.writer) {}

  // Reads `path` as `format` (kAuto: by extension and content). A file is read once.
  void ReadFile(const std::string& path, Format format) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(path, ec).string();
    if (ec) key = path;
    if (done_.count(key)) return;
    if (!Readable(path, options_.max_file_bytes, diag_)) {
      done_.insert(key);
      return;
    }
    const std::string& name = names_.emplace_back(path);
    if (format == Format::kCsv || (format == Format::kAuto && IsCsvName(path))) {
      done_.insert(key);
      StopWriting();
      ReadCsv(name);
      return;
    }
    std::optional<std::vector<YamlDocumentPtr>> docs;
    std::optional<Prefetcher::Parsed> parsed = prefetcher_ ? prefetcher_->Take(path, format) : std::nullopt;
    if (parsed) {
      diag_.Append(parsed->diag);
      docs = std::move(parsed->docs);
    } else {
      docs = LoadDocuments(name, diag_);
    }
    if (!docs) {
      done_.insert(key);
      return;
    }
    std::vector<Format> formats;
    for (const auto& doc : *docs) {
      Format f = format;
      if (f == Format::kAuto && !doc->root().IsNull()) {
        f = DetectFormat(doc->root());
        if (f == Format::kAuto) {
          // Maybe a fragment that another file includes (a Threagile include, a Backstage Location
          // target); an error at the end if nothing claims it.
          deferred_.emplace_back(key, path);
          return;
        }
      }
      formats.push_back(f);
    }
    done_.insert(key);
    Format file_format = Format::kNative;
    if (parsed && parsed->native) {  // read by the prefetcher, as the loop below would read it
      Reader(Format::kNative);
      diag_.Append(parsed->native_diag);
      Write(*parsed->native);
      ReserveAhead(decls_[Format::kNative], *parsed->native, share_read_);
      AppendDeclarations(std::move(*parsed->native), decls_[Format::kNative]);
      docs->clear();
    }
    for (size_t i = 0; i < docs->size(); ++i) {
      if ((*docs)[i]->root().IsNull()) continue;
      StopWriting();
      file_format = formats[i];
      Reader(formats[i]);
      ReadContext ctx = Context(formats[i]);
      readers_[formats[i]]->ReadDocument(Field(&name, (*docs)[i]), ctx);
    }
    files_.push_back(path);
    formats_.push_back(std::string(FormatName(file_format)));
  }

  // Reports the files no format claimed, lets every reader finish, and reconciles the formats.
  NativeDeclarations Finish() {
    // A document no format recognises and no other file claimed is read as native, whose reader names
    // the keys it does not know (with a did-you-mean).
    for (const auto& [key, path] : deferred_) {
      if (!done_.count(key)) ReadFile(path, Format::kNative);
    }
    for (Format f : order_) {
      ReadContext ctx = Context(f);
      if (f == Format::kCsv) {
        csv_->Finish(ctx);
      } else {
        readers_[f]->Finish(ctx);
      }
    }
    std::vector<SourceDeclarations> sources;
    for (Format f : order_) sources.push_back({f, std::move(decls_[f])});
    return Reconcile(std::move(sources), diag_);
  }

  std::vector<std::string> files_, formats_;
  // The share of the input's bytes read once the file being read is (for ReserveAhead).
  double share_read_ = 0;

 private:
  void Use(Format f) {
    if (std::find(order_.begin(), order_.end(), f) == order_.end()) order_.push_back(f);
  }

  // Adds the rows of one native file to the snapshot being written: they are the next rows of the model
  // as long as every file is native (one source, so Reconcile and ResolveNative keep each table in file
  // order and change no row). Past an error the import fails and the rows do not matter.
  void Write(const NativeDeclarations& d) {
    if (!writer_ || diag_.has_errors()) return;
    if (!d.implied_nodes.empty() || !d.data_uses.empty() || !d.subject_kinds.empty() ||
        !d.declarations.empty() || !d.fides_policies.empty()) {
      StopWriting();
      return;
    }
    auto add = [this](const auto& row) {
      if (!writer_) return;
      // A row the store refuses: the whole model is written at the commit, which reports the first such
      // row in the order a whole save meets it.
      if (!writer_->Add(row).ok()) StopWriting();
    };
    for (const auto& n : d.nodes) add(n);
    for (const auto& s : d.subjects) add(s);
    for (const auto& [h, at] : d.holdings) add(h);
    for (const auto& [f, at] : d.flows) add(f);
    for (const auto& [a, at] : d.accesses) add(a);
  }

  // Another format is read: its rows may change or reorder the model's, so nothing is added before the
  // commit (an error of the restart is kept by the writer and reported by its commit).
  void StopWriting() {
    if (!writer_) return;
    (void)writer_->Restart();
    writer_ = nullptr;
  }

  DocumentReader& Reader(Format f) {
    Use(f);
    auto& r = readers_[f];
    if (!r) {
      switch (f) {
        case Format::kFides: r = NewFidesReader(); break;
        case Format::kThreagile: r = NewThreagileReader(); break;
        case Format::kCycloneDx: r = NewCycloneDxReader(); break;
        case Format::kBackstage: r = NewBackstageReader(); break;
        default: r = NewNativeReader(); break;
      }
    }
    return *r;
  }

  ReadContext Context(Format f) {
    return ReadContext{diag_, taxonomy_, decls_[f],
                       [this](const std::string& path, Format format, const core::Provenance& at) {
                         std::error_code ec;
                         if (!fs::is_regular_file(path, ec)) {
                           diag_.Error(at, "'" + path + "' is not a readable file");
                           return;
                         }
                         ReadFile(path, format);
                       }};
  }

  void ReadCsv(const std::string& name) {
    std::ifstream in(name, std::ios::binary);
    if (!in) {
      diag_.Error({name, 0, 0}, "cannot read the file");
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (!CheckManifestText(name, text.str(), diag_)) return;
    Use(Format::kCsv);
    if (!csv_) csv_ = std::make_unique<CsvReader>(options_.csv_map, options_.csv_columns, taxonomy_, diag_);
    ReadContext ctx = Context(Format::kCsv);
    csv_->ReadFile(name, text.str(), ctx);
    files_.push_back(name);
    formats_.push_back("csv");
  }

  const core::Taxonomy& taxonomy_;
  const ImportOptions& options_;
  Diagnostics& diag_;
  Prefetcher* prefetcher_;
  core::SnapshotWriter* writer_;   // null once another format is met
  std::deque<std::string> names_;  // stable: Fields and provenance point into it
  std::set<std::string> done_;
  std::vector<std::pair<std::string, std::string>> deferred_;  // (canonical, as named) of unrecognised files
  std::vector<Format> order_;                                  // formats in the order first met
  std::map<Format, std::unique_ptr<DocumentReader>> readers_;
  std::unique_ptr<CsvReader> csv_;
  std::map<Format, NativeDeclarations> decls_;
};

}  // namespace

static core::Result<core::Taxonomy> ParseDefaultTaxonomy() {
  Diagnostics diag;
  core::Taxonomy taxonomy;
  for (const auto& file : DefaultTaxonomyFiles()) {
    std::string name = "datasets/taxonomy/" + std::string(file.name);
    auto docs = ParseDocuments(name, file.content, false, diag);
    for (const auto& doc : docs.value_or(std::vector<YamlDocumentPtr>{})) {
      ReadTaxonomyDocument(Field(&name, doc), diag, taxonomy);
    }
  }
  return FinishTaxonomy(std::move(taxonomy), diag);
}

core::Result<core::Taxonomy> LoadDefaultTaxonomy() {
  // Embedded, so the same on every call: parsed once per process (every import, check and server
  // request that imports starts here), then copied.
  static const core::Result<core::Taxonomy> kDefault = ParseDefaultTaxonomy();
  return kDefault;
}

core::Result<core::Taxonomy> LoadTaxonomyDir(const std::string& dir) {
  Diagnostics diag;
  core::Taxonomy taxonomy;
  for (const auto& path : ListManifests(dir, diag)) {
    auto docs = LoadDocuments(path, diag);
    for (const auto& doc : docs.value_or(std::vector<YamlDocumentPtr>{})) {
      ReadTaxonomyDocument(Field(&path, doc), diag, taxonomy);
    }
  }
  return FinishTaxonomy(std::move(taxonomy), diag);
}

core::Result<ImportResult> ImportPaths(const std::vector<std::string>& paths, const ImportOptions& options) {
  auto format = ParseFormat(options.format);
  if (!format) {
    return core::Status::Error("unknown format '" + options.format + "'" +
                               core::DidYouMean(options.format, FormatNames()));
  }
  auto base = options.taxonomy_dir.empty() ? LoadDefaultTaxonomy() : LoadTaxonomyDir(options.taxonomy_dir);
  if (!base.ok()) return core::Status::Error("the taxonomy is invalid:\n" + base.status().message());

  Diagnostics diag;
  ImportResult result;
  bool csv = *format == Format::kAuto || *format == Format::kCsv;
  bool yaml = *format != Format::kCsv;
  // The files are listed once ahead for the prefetcher and the progress (problems of the listing are
  // reported by the listing in the loop below, in the order a serial import reports them).
  std::vector<std::string> to_parse;
  ImportProgress progress;
  for (const auto& path : paths) {
    Diagnostics unused;
    for (auto& file : ListManifests(path, unused, yaml, csv, options.csv_map)) {
      std::error_code ec;
      const uint64_t bytes = fs::file_size(file, ec);
      progress.bytes_total += ec ? 0 : bytes;
      ++progress.files_total;
      if (!(*format == Format::kCsv || (*format == Format::kAuto && IsCsvName(file)))) {
        to_parse.push_back(std::move(file));
      }
    }
  }
  Prefetcher prefetcher(std::move(to_parse), *format, options);
  Session session(base.value(), options, diag, &prefetcher);
  for (const auto& path : paths) {
    for (const auto& file : ListManifests(path, diag, yaml, csv, options.csv_map)) {
      std::error_code ec;
      const uint64_t bytes = fs::file_size(file, ec);
      progress.bytes_done = std::min(progress.bytes_done + (ec ? 0 : bytes), progress.bytes_total);
      progress.files_done = std::min(progress.files_done + 1, progress.files_total);
      session.share_read_ =
          progress.bytes_total ? static_cast<double>(progress.bytes_done) / progress.bytes_total : 1.0;
      session.ReadFile(file, *format);
      if (options.progress) options.progress(progress);
    }
  }
  NativeDeclarations decls = session.Finish();
  if (!diag.has_errors()) ResolveNative(std::move(decls), base.take(), diag, result.model);
  if (diag.has_errors()) return diag.ToStatus();
  result.files = std::move(session.files_);
  result.formats = std::move(session.formats_);
  result.warnings = diag.warnings();
  return result;
}

core::Result<ImportResult> ImportPath(const std::string& path, const ImportOptions& options) {
  return ImportPaths(std::vector<std::string>{path}, options);
}

namespace {

std::string Stem(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

core::Result<std::vector<core::NotificationRule>> LoadDefaultRegulations() {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::NotificationRule> rules;
  for (const auto& file : DefaultRegulationFiles()) {
    std::string name = "datasets/regulations/" + std::string(file.name);
    auto docs = ParseDocuments(name, file.content, false, diag);
    for (const auto& doc : docs.value_or(std::vector<YamlDocumentPtr>{})) {
      ReadRegulationDocument(Field(&name, doc), taxonomy.value(), diag, rules);
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return rules;
}

core::Result<std::vector<core::NotificationRule>> LoadRegulationDir(const std::string& dir) {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::NotificationRule> rules;
  for (const auto& path : ListManifests(dir, diag)) {
    auto docs = LoadDocuments(path, diag);
    for (const auto& doc : docs.value_or(std::vector<YamlDocumentPtr>{})) {
      ReadRegulationDocument(Field(&path, doc), taxonomy.value(), diag, rules);
    }
  }
  if (diag.has_errors()) return diag.ToStatus();
  return rules;
}

core::Result<std::vector<core::Incident>> LoadIncidentLibrary() {
  auto taxonomy = LoadDefaultTaxonomy();
  if (!taxonomy.ok()) return taxonomy.status();
  Diagnostics diag;
  std::vector<core::Incident> incidents;
  for (const auto& file : IncidentLibraryFiles()) {
    std::string name = "datasets/incidents/" + std::string(file.name);
    auto docs = ParseDocuments(name, file.content, false, diag);
    if (!docs) continue;
    if (docs->size() != 1) {
      diag.Error({name, 0, 0}, "an incident file holds exactly one document");
      continue;
    }
    auto incident = ReadIncidentDocument(Field(&name, docs->front()), Stem(std::string(file.name)),
                                         taxonomy.value(), diag);
    if (incident) incidents.push_back(std::move(*incident));
  }
  if (diag.has_errors()) return diag.ToStatus();
  return incidents;
}

core::Result<core::Incident> LoadIncident(const std::string& name_or_path) {
  fs::path p(name_or_path);
  auto ext = p.extension().string();
  if (ext == ".yaml" || ext == ".yml") {
    auto taxonomy = LoadDefaultTaxonomy();
    if (!taxonomy.ok()) return taxonomy.status();
    Diagnostics diag;
    auto docs = LoadDocuments(name_or_path, diag);
    std::optional<core::Incident> incident;
    if (docs && docs->size() == 1) {
      incident = ReadIncidentDocument(Field(&name_or_path, docs->front()), p.stem().string(),
                                      taxonomy.value(), diag);
    } else if (docs) {
      diag.Error({name_or_path, 0, 0}, "an incident file holds exactly one document");
    }
    if (diag.has_errors() || !incident) return diag.ToStatus();
    return std::move(*incident);
  }
  auto library = LoadIncidentLibrary();
  if (!library.ok()) return library.status();
  std::vector<std::string> names;
  for (auto& incident : library.value()) {
    if (incident.id == name_or_path) return std::move(incident);
    names.push_back(incident.id);
  }
  std::string list, prefixed;
  for (const auto& n : names) {
    list += (list.empty() ? "" : ", ") + n;
    if (prefixed.empty() && n.rfind(name_or_path + "-", 0) == 0) prefixed = n;  // "mixpanel" -> mixpanel-2025
  }
  std::string hint =
      prefixed.empty() ? core::DidYouMean(name_or_path, names) : " (did you mean '" + prefixed + "'?)";
  return core::Status::Error("no incident '" + name_or_path + "' in the library" + hint +
                             "; the library has: " + list);
}

}  // namespace blastmap::importers
