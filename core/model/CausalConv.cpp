#include "core/model/CausalConv.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>

#include "core/runtime/KernelPaths.h"

namespace ssmlens {
namespace {

bool handWrittenApplies(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
    // KernelPaths::cpuCausalConv off (SSMLENS_CPU_CONV=aten): ATen's conv1d, so benchmarks can compare both.
    if (!kernelPaths().cpuCausalConv) return false;
    auto fp32Cpu = [](const at::Tensor& t) { return t.device().is_cpu() && t.scalar_type() == at::kFloat; };
    const bool grads = at::GradMode::is_enabled() &&
                       (x.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()));
    return !grads && fp32Cpu(x) && fp32Cpu(weight) && (!bias.defined() || fp32Cpu(bias)) && x.dim() == 3 &&
           x.stride(2) == 1;
}

}  // namespace

at::Tensor causalConvSiluAten(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias) {
    const int64_t L = xBC.size(1), K = weight.size(2);
    // A 16-bit model on the CPU: the conv in fp32, its sum rounded once to the model dtype, as the GPU kernels and
    // the decode step (causalConvSiluStep) do. ATen's own bf16 conv1d on the CPU depends on the processor: on an
    // AVX2-only AMD EPYC (2026-12-07) it rounds to 16 bits on the way (4095 of 8192 outputs off the fp32 sum
    // rounded once, twice its error against fp64; a bf16 model's decoded logits 1.7 % from its prefill's), while
    // the machines with AVX-512 before gave the fp32 sum, so the prefill would depend on the machine.
    const at::ScalarType type = xBC.scalar_type();
    const bool sixteenBitOnCpu = xBC.device().is_cpu() && (type == at::kBFloat16 || type == at::kHalf);
    const at::Tensor x = sixteenBitOnCpu ? xBC.to(at::kFloat) : xBC;
    const at::Tensor w = sixteenBitOnCpu ? weight.to(at::kFloat) : weight;
    const at::Tensor b = sixteenBitOnCpu && bias.defined() ? bias.to(at::kFloat) : bias;
    at::Tensor conv = at::conv1d(x.transpose(1, 2), w, b, at::IntArrayRef{1}, at::IntArrayRef{K - 1},
                                 at::IntArrayRef{1}, xBC.size(2))
                          .narrow(2, 0, L);
    if (sixteenBitOnCpu) conv = conv.to(type);  // rounded once; the SiLU below then as in the model dtype
    // One conversion to fp32 for x, B and C together (none at all for an fp32 model).
    return at::silu(conv).transpose(1, 2).to(at::kFloat);
}

at::Tensor causalConvSiluStep(const at::Tensor& window, const at::Tensor& weight, const at::Tensor& bias) {
    // In fp32: multiplying in the model dtype would round every product to it (bf16's 8 bits), and the sum again.
    at::Tensor conv = (window.to(at::kFloat) * weight.squeeze(1).to(at::kFloat)).sum(-1);  // [B, C]
    if (bias.defined()) conv = conv + bias.to(at::kFloat);
    return at::silu(conv.to(window.scalar_type()));
}

at::Tensor causalConvSilu(const at::Tensor& xBC, const at::Tensor& weight, const at::Tensor& bias) {
    if (!handWrittenApplies(xBC, weight, bias)) return causalConvSiluAten(xBC, weight, bias);
    const int64_t B = xBC.size(0), L = xBC.size(1), C = xBC.size(2), K = weight.size(2);
    TORCH_CHECK(weight.size(0) == C && weight.size(1) == 1, "causalConvSilu: weight must be [C, 1, K]");
    // Taps as [K, C]: the inner loop runs over channels, contiguous in input, taps and output (vectorised).
    const at::Tensor taps = weight.view({C, K}).t().contiguous();
    const at::Tensor biasC = bias.defined() ? bias.contiguous() : at::zeros({C}, weight.options());
    at::Tensor out = at::empty({B, L, C}, xBC.options().memory_format(at::MemoryFormat::Contiguous));
    const float* x = xBC.data_ptr<float>();
    const float* w = taps.data_ptr<float>();
    const float* b0 = biasC.data_ptr<float>();
    float* o = out.data_ptr<float>();
    const int64_t batchStride = xBC.stride(0), rowStride = xBC.stride(1);
    // One output row (b, t) per iteration; rows are independent, so threads split them freely.
    at::parallel_for(0, B * L, /*grain_size=*/16, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const int64_t b = r / L, t = r % L;
            float* row = o + r * C;
            for (int64_t ch = 0; ch < C; ++ch) row[ch] = b0[ch];
            for (int64_t k = std::max<int64_t>(0, K - 1 - t); k < K; ++k) {
                const float* in = x + b * batchStride + (t - (K - 1) + k) * rowStride;
                const float* tap = w + k * C;
                for (int64_t ch = 0; ch < C; ++ch) row[ch] += tap[ch] * in[ch];
            }
        }
    });
    return at::silu_(out);  // ATen's vectorised SiLU, in place
}

}  // namespace ssmlens
