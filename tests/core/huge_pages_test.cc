#include "core/huge_pages.h"

#include <doctest/doctest.h>

namespace blastmap::core {

TEST_CASE("huge pages are asked of glibc's malloc only when the kernel gives them on request") {
  const std::string_view madvise = "always [madvise] never\n";
  const std::string ours = "glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1";
  SUBCASE("no tunables yet: huge pages, and one arena so that every thread's heap has them") {
    CHECK(HugePagesTunables(std::nullopt, std::nullopt, madvise) == ours);
    CHECK(HugePagesTunables("", std::nullopt, madvise) == ours);
  }
  SUBCASE("a program that keeps an arena per thread (an import) asks for huge pages alone") {
    CHECK(HugePagesTunables(std::nullopt, std::nullopt, madvise, std::nullopt, false, /*one_arena=*/false) ==
          "glibc.malloc.hugetlb=1");
    CHECK(HugePagesTunables("glibc.malloc.trim_threshold=0", std::nullopt, madvise, std::nullopt, false,
                            /*one_arena=*/false) == "glibc.malloc.trim_threshold=0:glibc.malloc.hugetlb=1");
  }
  SUBCASE("the user's tunables are kept, ours added after them; an arena_max of theirs is theirs") {
    CHECK(HugePagesTunables("glibc.malloc.arena_max=2", std::nullopt, madvise) ==
          "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    CHECK(HugePagesTunables("glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=0", "1", madvise) ==
          "glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=0:glibc.malloc.hugetlb=1");
    CHECK(HugePagesTunables("glibc.malloc.trim_threshold=0", std::nullopt, madvise) ==
          "glibc.malloc.trim_threshold=0:" + ours);
    // A name that only ends like it is another tunable.
    CHECK(HugePagesTunables("glibc.malloc.arena_max_x=2", std::nullopt, madvise) ==
          "glibc.malloc.arena_max_x=2:" + ours);
  }
  SUBCASE("a hugetlb the user set, to any value, is theirs (and ends the restart: it is set after one)") {
    CHECK(!HugePagesTunables("glibc.malloc.hugetlb=0", std::nullopt, madvise));
    CHECK(!HugePagesTunables("glibc.malloc.hugetlb=1", std::nullopt, madvise));
    CHECK(!HugePagesTunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", std::nullopt, madvise));
    // A name that only starts like it is another tunable.
    CHECK(HugePagesTunables("glibc.malloc.hugetlbx=1", std::nullopt, madvise) ==
          "glibc.malloc.hugetlbx=1:" + ours);
  }
  SUBCASE("BLASTMAP_HUGE_PAGES=0 turns them off") {
    CHECK(!HugePagesTunables(std::nullopt, "0", madvise));
    CHECK(HugePagesTunables(std::nullopt, "1", madvise) == ours);
  }
  SUBCASE("under valgrind (its preloads) a new start would leave it: run as is") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, madvise,
                             "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"));
    CHECK(HugePagesTunables(std::nullopt, std::nullopt, madvise, "/usr/lib/libfaketime.so.1") == ours);
  }
  SUBCASE("a sanitizer build starts again only when asked: its allocator is not glibc's") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, madvise, std::nullopt, /*sanitized=*/true));
    CHECK(HugePagesTunables(std::nullopt, "1", madvise, std::nullopt, /*sanitized=*/true) == ours);
    CHECK(!HugePagesTunables(std::nullopt, "1", "[always] madvise never", std::nullopt, /*sanitized=*/true));
  }
  SUBCASE("the kernel gives them always, never, or has no such setting: run as is") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "[always] madvise never\n"));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "always madvise [never]\n"));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, std::nullopt));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "madvise"));  // no mode selected
  }
}

TEST_CASE("threads share one arena when the tunables set arena_max to 1, the last setting counting") {
  CHECK(OneArena("glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1"));
  CHECK(OneArena("glibc.malloc.arena_max=1"));
  CHECK(OneArena("glibc.malloc.arena_max=4:glibc.malloc.arena_max=1"));
  CHECK(!OneArena("glibc.malloc.arena_max=1:glibc.malloc.arena_max=4"));
  CHECK(!OneArena("glibc.malloc.hugetlb=1"));
  CHECK(!OneArena("glibc.malloc.arena_max=16"));
  CHECK(!OneArena("glibc.malloc.arena_maxx=1"));
  CHECK(!OneArena("glibc.malloc.arena_max"));
  CHECK(!OneArena(""));
  CHECK(!OneArena(std::nullopt));
}

}  // namespace blastmap::core
