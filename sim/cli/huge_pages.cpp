// The executable's heap on transparent huge pages (with tcmalloc, on Linux).
//
// A long run's memory is mostly its logs and its loss checker, touched once as they grow: tens
// of megabytes, a page fault every 4 KiB. On this project's machine (a virtual machine, where a
// fault costs about 5 µs) the faults of the cluster benchmark took 0.08 s of its 0.9 s. Memory
// advised MADV_HUGEPAGE faults once per 2 MiB instead, when the kernel's
// /sys/kernel/mm/transparent_hugepage/enabled is "madvise" (Debian's default) or "always"; with
// "never" the advice is ignored and nothing changes. The price is memory: the heap grows in
// 2 MiB steps, so the peak RSS is up to a few MiB higher (docs/benchmarks.md measures both).
//
// gperftools lets a program supply the allocator tcmalloc takes its memory from
// (MallocExtension::SetSystemAllocator, gperftools/malloc_extension.h); this one hands out 2 MiB
// aligned mappings with the advice. It is installed before main(); what tcmalloc took earlier
// stays where it is. Nothing here changes what a run computes, only how its memory is mapped.
#if defined(KAFKASIM_TCMALLOC) && defined(__linux__)

#include <gperftools/malloc_extension.h>
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace kafkasim::cli {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

class HugePageAllocator final : public SysAllocator {
 public:
  void* Alloc(std::size_t size, std::size_t* actual_size, std::size_t alignment) override {
    if (alignment > kHugePage || size > SIZE_MAX - 2 * kHugePage) return nullptr;
    size = (size + kHugePage - 1) & ~(kHugePage - 1);
    // Map one huge page more than asked, then unmap the ends around the aligned middle.
    void* raw =
        mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;  // tcmalloc then reports out of memory
    const auto raw_start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t start = (raw_start + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t end = start + size;
    const std::uintptr_t raw_end = raw_start + size + kHugePage;
    if (start > raw_start) munmap(raw, start - raw_start);
    if (raw_end > end) munmap(reinterpret_cast<void*>(end), raw_end - end);
    // Advice only: where the kernel cannot or will not, the memory is ordinary pages.
    madvise(reinterpret_cast<void*>(start), size, MADV_HUGEPAGE);
    if (actual_size != nullptr) *actual_size = size;
    return reinterpret_cast<void*>(start);
  }
};

// Installed at static initialisation, once; tcmalloc keeps the pointer for the process's life.
[[maybe_unused]] const bool kInstalled = [] {
  MallocExtension::instance()->SetSystemAllocator(new HugePageAllocator);
  return true;
}();

}  // namespace
}  // namespace kafkasim::cli

#endif
