// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#endif

/// Has glibc's allocator keep freed memory for reuse rather than hand it back to the kernel at
/// once, for commands that simulate many small scenarios one after another (`sweep`).
///
/// Each point of a sweep allocates and frees the same large buffers (the request table, the
/// latency histograms). With glibc's defaults a block of 128 KiB or more is mapped on `malloc`
/// and unmapped on `free`, and a heap whose free top exceeds 128 KiB is trimmed, so every point
/// faulted its memory in and zeroed it again: `sweep1000.yaml` took 31,000 page faults for
/// 1,000 points (about 110 KiB each), 3,500 with these settings — and two threads no longer
/// meet in the kernel's page-fault path (docs/performance.md, "Sweep scaling"). Settings:
/// blocks up to 32 MiB (glibc's largest mapping threshold) come from the heap, and a heap is
/// trimmed only when 64 MiB at its top are free. Cost: up to that much freed memory per malloc
/// arena (one per thread in use, at most 8 per core) stays with the process; the peak resident
/// size does not change. Other C libraries: nothing is done.
enum AllocatorTuning {
    static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        // `mallopt` and its M_* constants are not imported into Swift: looked up by name, the
        // constants as glibc's <malloc.h> defines them.
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 64 << 20)
        #endif
    }
}
