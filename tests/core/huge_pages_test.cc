#include "core/huge_pages.h"

#include <doctest/doctest.h>

namespace blastmap::core {

TEST_CASE("huge pages are asked of glibc's malloc only when the kernel gives them on request") {
  const std::string_view madvise = "always [madvise] never\n";
  SUBCASE("no tunables yet: the one") {
    CHECK(HugePagesTunables(std::nullopt, std::nullopt, madvise) == "glibc.malloc.hugetlb=1");
    CHECK(HugePagesTunables("", std::nullopt, madvise) == "glibc.malloc.hugetlb=1");
  }
  SUBCASE("the user's tunables are kept, ours added after them") {
    CHECK(HugePagesTunables("glibc.malloc.arena_max=2", std::nullopt, madvise) ==
          "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    CHECK(HugePagesTunables("glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=0", "1", madvise) ==
          "glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=0:glibc.malloc.hugetlb=1");
  }
  SUBCASE("a hugetlb the user set, to any value, is theirs (and ends the restart: it is set after one)") {
    CHECK(!HugePagesTunables("glibc.malloc.hugetlb=0", std::nullopt, madvise));
    CHECK(!HugePagesTunables("glibc.malloc.hugetlb=1", std::nullopt, madvise));
    CHECK(!HugePagesTunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", std::nullopt, madvise));
    // A name that only starts like it is another tunable.
    CHECK(HugePagesTunables("glibc.malloc.hugetlbx=1", std::nullopt, madvise) ==
          "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1");
  }
  SUBCASE("BLASTMAP_HUGE_PAGES=0 turns them off") {
    CHECK(!HugePagesTunables(std::nullopt, "0", madvise));
    CHECK(HugePagesTunables(std::nullopt, "1", madvise) == "glibc.malloc.hugetlb=1");
  }
  SUBCASE("under valgrind (its preloads) a new start would leave it: run as is") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, madvise,
                             "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"));
    CHECK(HugePagesTunables(std::nullopt, std::nullopt, madvise, "/usr/lib/libfaketime.so.1") ==
          "glibc.malloc.hugetlb=1");
  }
  SUBCASE("a sanitizer build starts again only when asked: its allocator is not glibc's") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, madvise, std::nullopt, /*sanitized=*/true));
    CHECK(HugePagesTunables(std::nullopt, "1", madvise, std::nullopt, /*sanitized=*/true) ==
          "glibc.malloc.hugetlb=1");
    CHECK(!HugePagesTunables(std::nullopt, "1", "[always] madvise never", std::nullopt, /*sanitized=*/true));
  }
  SUBCASE("the kernel gives them always, never, or has no such setting: run as is") {
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "[always] madvise never\n"));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "always madvise [never]\n"));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, std::nullopt));
    CHECK(!HugePagesTunables(std::nullopt, std::nullopt, "madvise"));  // no mode selected
  }
}

}  // namespace blastmap::core
