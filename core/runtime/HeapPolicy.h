#pragma once
// glibc returns freed memory to the system eagerly: blocks above a (growing) threshold of at most 32 MiB are
// mmap'ed and unmapped on free, and free memory at the top of the heap beyond twice that threshold is trimmed.
// A CPU forward pass allocates and frees tensors of several MiB per operator, so every one of them came back
// as fresh pages the kernel had to fault in and zero (9% of a 130m prefill's cycles in clear_page, measured
// with perf). keepTensorMemoryInHeap() serves blocks up to 32 MiB from the heap and keeps up to 1 GiB of free
// heap for reuse: 130m fp32, 256 tokens, 2 threads, 13% faster (docs/results/benchmarks-history.md, "CPU").
namespace ssmlens {

// Call first thing in main(). Does nothing outside glibc. Returns whether the settings were taken.
bool keepTensorMemoryInHeap();

}  // namespace ssmlens
