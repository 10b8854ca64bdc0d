// Transparent huge pages for the process's heap: a snapshot's arrays and model take hundreds of MB, which a
// brief reads a few lines of at random, so with 4 KiB pages most of a small brief's time is mapping pages
// (docs/performance.md, "Huge pages"). glibc's malloc backs its heap with huge pages when the tunable
// glibc.malloc.hugetlb=1 is set, which it reads only when a program starts: PreferHugePages sets it and
// starts the program again, once. The tunable advises only the main arena's heap and the chunks malloc maps
// apart, not the heaps of the arenas glibc makes for other threads, where the arrays a loading or serving
// thread allocates would stay in 4 KiB pages: so by default glibc.malloc.arena_max=1 is set too, and every
// thread allocates from the main arena.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace blastmap::core {

// The environment variable that turns huge pages off ("0") for a run of blastmap, or asks for them in a
// sanitizer build ("1").
inline constexpr const char* kHugePagesVariable = "BLASTMAP_HUGE_PAGES";

// What PreferHugePages decides, from the environment, the kernel's setting and the build: the
// GLIBC_TUNABLES value to run with (the current one with glibc.malloc.hugetlb=1 added, and with `one_arena`
// glibc.malloc.arena_max=1 unless the current one sets an arena_max: the user's), or nullopt to run
// as is. Nullopt when `switch_value` ($BLASTMAP_HUGE_PAGES) is "0"; when `tunables` ($GLIBC_TUNABLES)
// already sets glibc.malloc.hugetlb (to any value: the user's choice); when `preload` ($LD_PRELOAD) loads
// valgrind's preloads (a new start would leave valgrind); when `sanitized` (a sanitizer's allocator stands
// in for glibc's, so the tunable would change nothing and a start costs a sanitizer's set-up) unless
// `switch_value` is "1"; or when `kernel_setting` (the contents of
// /sys/kernel/mm/transparent_hugepage/enabled, the selected mode in brackets) is not "madvise": with
// "always" every large mapping has huge pages already, with "never" or none at all there are none to have.
std::optional<std::string> HugePagesTunables(std::optional<std::string_view> tunables,
                                             std::optional<std::string_view> switch_value,
                                             std::optional<std::string_view> kernel_setting,
                                             std::optional<std::string_view> preload = std::nullopt,
                                             bool sanitized = false, bool one_arena = true);

// Starts the running program again (/proc/self/exe, the same arguments and descriptors) with the
// tunables HugePagesTunables asks for, if any; returns when there are none or when the new start fails
// (the program then runs with 4 KiB pages, as before). Call first in main, before any thread starts and
// before anything is written to stdout. `one_arena` false keeps glibc's arena per thread: for a program
// whose threads allocate at a high rate (an import's parsing threads, a server's request threads), where
// one arena's lock costs more than the pages save.
void PreferHugePages(char** argv, bool one_arena = true);

// Whether `tunables` ($GLIBC_TUNABLES) sets glibc.malloc.arena_max=1: every thread of a program started with
// them allocates from glibc's main arena. ThreadsShareOneArena asks it of this process's tunables.
bool OneArena(std::optional<std::string_view> tunables);
bool ThreadsShareOneArena();

// How this process's memory is paged, in a line for `blastmap --version`: huge pages requested, or why
// not.
std::string HugePagesStatus();

}  // namespace blastmap::core
