# The checks on a GPU, as CTest tests labelled `gpu` (run them with `ctest -L gpu`; tools/device/gpu_tests.sh
# does so on the GPU machine): ssmlens-cli runs them, so they are registered in every build, the GPU machine's
# engine-only build without Qt included. Without a CUDA device (or without the CUDA kernels) each exits 77 and
# CTest reports it as skipped.
#   gpu_check_device   every hand-written kernel against the ATen path on the GPU (fp32, bf16, fp16), the forward
#                      pass and token reduction (every method) on the GPU against the CPU (core/bench/DeviceCheck.h)
#   gpu_check_reduce   the reduction step's kernels against the ATen step: every method, option and dtype, batches
#                      of unequal lengths, inputs made of ties (core/bench/ReductionKernelCheck.h), untimed cases
#   gpu_check_scan_*   the tensor-core prefill scan against the ATen scan (core/bench/SsdKernelCheck.h), bf16 and
#                      fp16 operands, untimed
#   gpu_check_decode   the fused and graph decode paths against the ATen path: logits, states and greedy tokens
#                      on 13 shapes and dtypes (core/bench/DecodeCheck.h)
#   gpu_check_prefill_graph  dense and reduced prefill replayed as CUDA graphs against the eager pass: lengths
#                      and logits bit for bit, several methods, dtypes, batches and products paths; tome refused
#                      (core/bench/PrefillGraphCheck.h)
add_test(NAME gpu_check_device COMMAND ssmlens-cli check-device --device cuda --skip-without-gpu)
add_test(NAME gpu_check_reduce COMMAND ssmlens-cli check-reduce --device cuda --checks-only --skip-without-gpu)
add_test(NAME gpu_check_scan_bf16 COMMAND ssmlens-cli bench-ssd --device cuda --dtype bf16 --checks-only --skip-without-gpu)
add_test(NAME gpu_check_scan_fp16 COMMAND ssmlens-cli bench-ssd --device cuda --dtype fp16 --checks-only --skip-without-gpu)
add_test(NAME gpu_check_decode COMMAND ssmlens-cli check-decode --device cuda --skip-without-gpu)
add_test(NAME gpu_check_prefill_graph COMMAND ssmlens-cli check-prefill-graph --device cuda --skip-without-gpu)
set_tests_properties(gpu_check_device gpu_check_reduce gpu_check_scan_bf16 gpu_check_scan_fp16 gpu_check_decode
  gpu_check_prefill_graph PROPERTIES
  LABELS gpu SKIP_RETURN_CODE 77 TIMEOUT 600 ENVIRONMENT "OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
