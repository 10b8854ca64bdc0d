#include "core/huge_pages.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace blastmap::core {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
constexpr std::string_view kArenas = "glibc.malloc.arena_max";
constexpr const char* kKernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

std::optional<std::string_view> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

std::optional<std::string> ReadKernelSetting() {
  std::ifstream in(kKernelSetting);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The mode selected in the kernel's setting ("always [madvise] never" selects madvise), empty if none is.
std::string_view SelectedMode(std::string_view setting) {
  const size_t open = setting.find('[');
  const size_t close = setting.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return setting.substr(open + 1, close - open - 1);
}

// The value `tunables` (colon-separated name=value pairs) gives tunable `name` last, if it sets it.
std::optional<std::string_view> ValueOf(std::string_view tunables, std::string_view name) {
  std::optional<std::string_view> value;
  while (!tunables.empty()) {
    const size_t end = tunables.find(':');
    const std::string_view pair = tunables.substr(0, end);
    const size_t equals = std::min(pair.find('='), pair.size());
    if (pair.substr(0, equals) == name) value = pair.substr(std::min(equals + 1, pair.size()));
    tunables.remove_prefix(end == std::string_view::npos ? tunables.size() : end + 1);
  }
  return value;
}
bool Sets(std::string_view tunables, std::string_view name) { return ValueOf(tunables, name).has_value(); }
bool SetsHugeTlb(std::string_view tunables) { return Sets(tunables, kTunable); }

// Whether this program was built with a sanitizer whose allocator replaces glibc's.
constexpr bool kSanitized =
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

// Why a program with these inputs runs with 4 KiB pages, in a few words; empty when it should start again
// with huge pages (HugePagesTunables).
std::string WhyNot(std::optional<std::string_view> tunables, std::optional<std::string_view> switch_value,
                   std::optional<std::string_view> kernel_setting, std::optional<std::string_view> preload,
                   bool sanitized) {
  if (switch_value && *switch_value == "0") return std::string(kHugePagesVariable) + "=0";
  if (tunables && SetsHugeTlb(*tunables)) return "GLIBC_TUNABLES=" + std::string(*tunables);
  if (preload && preload->find("vgpreload") != std::string_view::npos) return "under valgrind";
  if (sanitized && !(switch_value && *switch_value == "1"))
    return "a sanitizer's allocator; " + std::string(kHugePagesVariable) + "=1 starts again anyway";
  const std::string_view mode = kernel_setting ? SelectedMode(*kernel_setting) : std::string_view();
  if (mode != "madvise")
    return "the kernel's transparent huge pages: " + (mode.empty() ? std::string("none") : std::string(mode));
  return {};
}

}  // namespace

std::optional<std::string> HugePagesTunables(std::optional<std::string_view> tunables,
                                             std::optional<std::string_view> switch_value,
                                             std::optional<std::string_view> kernel_setting,
                                             std::optional<std::string_view> preload, bool sanitized,
                                             bool one_arena) {
  if (!WhyNot(tunables, switch_value, kernel_setting, preload, sanitized).empty()) return std::nullopt;
  std::string out = tunables && !tunables->empty() ? std::string(*tunables) + ":" : std::string();
  out += std::string(kTunable) + "=1";
  if (one_arena && !(tunables && Sets(*tunables, kArenas))) out += ":" + std::string(kArenas) + "=1";
  return out;
}

void PreferHugePages(char** argv, bool one_arena) {
  const std::optional<std::string> tunables =
      HugePagesTunables(Env("GLIBC_TUNABLES"), Env(kHugePagesVariable), ReadKernelSetting(),
                        Env("LD_PRELOAD"), kSanitized, one_arena);
  if (!tunables) return;
  const std::optional<std::string_view> before = Env("GLIBC_TUNABLES");
  const std::string kept = before ? std::string(*before) : std::string();
  if (setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);  // returns only when it failed: run on as we are
  if (before) {
    setenv("GLIBC_TUNABLES", kept.c_str(), 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

bool OneArena(std::optional<std::string_view> tunables) {
  return tunables && ValueOf(*tunables, kArenas) == "1";
}

bool ThreadsShareOneArena() { return OneArena(Env("GLIBC_TUNABLES")); }

std::string HugePagesStatus() {
  const std::optional<std::string_view> tunables = Env("GLIBC_TUNABLES");
  if (tunables && SetsHugeTlb(*tunables) &&
      std::string_view(*tunables).find(std::string(kTunable) + "=0") == std::string_view::npos)
    return "memory: transparent huge pages for the heap (GLIBC_TUNABLES=" + std::string(*tunables) + ")";
  const std::optional<std::string> setting = ReadKernelSetting();
  const std::string why = WhyNot(tunables, Env(kHugePagesVariable), setting, Env("LD_PRELOAD"), kSanitized);
  if (setting && SelectedMode(*setting) == "always" &&
      why.find("transparent huge pages: always") != std::string::npos)
    return "memory: the kernel's transparent huge pages, on every large mapping (always)";
  return "memory: 4 KiB pages (" + why + ")";
}

}  // namespace blastmap::core
