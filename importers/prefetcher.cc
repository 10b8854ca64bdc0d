#include "importers/prefetcher.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace blastmap::importers {
namespace fs = std::filesystem;

bool Readable(const std::string& path, uint64_t max_bytes, Diagnostics& diag) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec) {
    diag.Error({path, 0, 0}, "cannot read the file: " + ec.message());
    return false;
  }
  if (!fs::is_regular_file(status)) {
    diag.Error({path, 0, 0}, "not a regular file (a device, a pipe or a socket); blastmap imports files and directories");
    return false;
  }
  uint64_t size = fs::file_size(path, ec);
  if (!ec && max_bytes > 0 && size > max_bytes) {
    diag.Error({path, 0, 0}, "the file is " + std::to_string(size) + " bytes, over the limit of " +
                                 std::to_string(max_bytes) +
                                 " bytes for one manifest file (raise it with --max-file-size MIB)");
    return false;
  }
  return true;
}

Prefetcher::Prefetcher(std::vector<std::string> files, Format format, const ImportOptions& options)
    : files_(std::move(files)), slots_(files_.size()), format_(format), options_(options) {
  for (size_t i = 0; i < files_.size(); ++i) index_.emplace(files_[i], i);
  unsigned threads = options.threads ? options.threads : std::max(2u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, files_.size()));
  window_ = 2 * static_cast<size_t>(threads) + 2;
  if (threads <= 1) return;  // one thread: every file is parsed when it is asked for
  for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { Work(); });
}

Prefetcher::~Prefetcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (auto& w : workers_) w.join();
}


std::optional<Prefetcher::Parsed> Prefetcher::Take(const std::string& path, Format format) {
  auto it = index_.find(path);
  if (it == index_.end() || format != format_) return std::nullopt;
  const size_t i = it->second;
  std::unique_lock<std::mutex> lock(mutex_);
  Slot& slot = slots_[i];
  if (slot.state == State::kTaken) return std::nullopt;
  cursor_ = std::max(cursor_, i + 1);
  if (slot.state == State::kWaiting) {
    slot.state = State::kTaken;
    lock.unlock();
    changed_.notify_all();
    return Parse(i);
  }
  changed_.wait(lock, [&] { return slot.state == State::kDone; });
  slot.state = State::kTaken;
  std::optional<Parsed> out = std::move(slot.parsed);
  slot.parsed.reset();
  lock.unlock();
  changed_.notify_all();
  return out;
}


Prefetcher::Parsed Prefetcher::Parse(size_t i) const {
  Parsed out;
  // Files that are not regular or too big are left to the reader, which reports them in order.
  Diagnostics unused;
  if (!Readable(files_[i], options_.max_file_bytes, unused)) return out;
  const std::string& file = files_[i];
  const bool json = fs::path(file).extension() == ".json";  // one document, checked whole: loaded whole
  if (json || (format_ != Format::kAuto && format_ != Format::kNative)) {
    out.docs = LoadDocuments(file, out.diag);
    return out;
  }
  // The problems of a file that does not parse are its syntax error alone, as when it is loaded whole; a
  // file with a document of another format is loaded whole for the import's readers.
  NativeDeclarations decls;
  Diagnostics parse_diag, read_diag;
  bool other = false, any = false;
  bool ok = ForEachDocument(file, parse_diag, [&](YamlDocumentPtr doc) {
    if (other || doc->root().IsNull()) return;
    if (format_ == Format::kAuto && DetectFormat(doc->root()) != Format::kNative) {
      other = true;
      return;
    }
    any = true;
    ReadNativeDocument(Field(&file, doc), read_diag, decls);
  });
  if (ok && other) {
    out.docs = LoadDocuments(file, out.diag);
    return out;
  }
  out.diag = std::move(parse_diag);
  if (!ok) return out;
  out.docs.emplace();  // the trees are gone: what they declare is in `native`
  if (any) {
    out.native = std::move(decls);
    out.native_diag = std::move(read_diag);
  }
  return out;
}


void Prefetcher::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] {
      while (next_ < slots_.size() && slots_[next_].state != State::kWaiting) ++next_;
      return stop_ || next_ >= slots_.size() || next_ < cursor_ + window_;
    });
    if (stop_ || next_ >= slots_.size()) return;
    const size_t i = next_++;
    slots_[i].state = State::kParsing;
    lock.unlock();
    Parsed parsed = Parse(i);
    lock.lock();
    slots_[i].parsed = std::move(parsed);
    slots_[i].state = State::kDone;
    changed_.notify_all();
  }
}


}  // namespace blastmap::importers
