#include "core/model/SsdScan.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <string>

#include <ATen/ATen.h>

#include "core/runtime/KernelPaths.h"

#ifdef SSMLENS_FUSED_CUDA
#include "core/cuda/FusedKernels.h"
#endif

namespace ssmlens {

namespace {

// Upper-triangle masks of a T x T matrix on a device: (j >= i) and (j > i). Built once per size and device
// (a prefill asks for the same two sizes in every layer).
struct TriangleMasks {
    at::Tensor notStrictlyLower, notLower;
};

const TriangleMasks& triangleMasks(int64_t T, const at::Device& device) {
    static std::mutex mutex;
    static std::map<std::pair<int64_t, std::string>, TriangleMasks> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto key = std::make_pair(T, device.str());
    auto it = cache.find(key);
    if (it == cache.end()) {
        at::Tensor ones = at::ones({T, T}, at::TensorOptions().dtype(at::kBool).device(device));
        it = cache.emplace(key, TriangleMasks{at::triu(ones, 0), at::triu(ones, 1)}).first;
    }
    return it->second;
}

}  // namespace

at::Tensor segmentSum(const at::Tensor& x) {
    const int64_t T = x.size(-1);
    const TriangleMasks& m = triangleMasks(T, x.device());
    // rows i, columns j: entry x[i] where i > j, then a cumulative sum down the rows.
    std::vector<int64_t> shape = x.sizes().vec();
    shape.push_back(T);
    at::Tensor ss = at::cumsum(x.unsqueeze(-1).expand(shape).masked_fill(m.notStrictlyLower, 0.0), -2);
    return ss.masked_fill_(m.notLower, -std::numeric_limits<float>::infinity());
}

SsdOutputs ssdChunked(const SsdInputs& in, int64_t Q, StatePassing passing) {
    const int64_t b = in.x.size(0), L = in.x.size(1), H = in.x.size(2), P = in.x.size(3);
    const int64_t G = in.B.size(2), N = in.B.size(3), R = H / G;
    const int64_t c = (L + Q - 1) / Q, pad = c * Q - L;
    at::Tensor x = in.x, dt = in.dt, Bm = in.B, Cm = in.C;
    if (pad > 0) {  // zero dt on the padding: no decay, no input, so the final state is exact
        x = at::constant_pad_nd(x, {0, 0, 0, 0, 0, pad});
        dt = at::constant_pad_nd(dt, {0, 0, 0, pad});
        Bm = at::constant_pad_nd(Bm, {0, 0, 0, 0, 0, pad});
        Cm = at::constant_pad_nd(Cm, {0, 0, 0, 0, 0, pad});
    }
    // Layout [b, c, G, Q, R * P] for the products with B and C: the R heads of a group share B and C, so one
    // product per (chunk, group) covers them all, with no copies of B and C broadcast over heads.
    at::Tensor dt5 = dt.view({b, c, Q, G, R});
    Bm = Bm.view({b, c, Q, G, N}).permute({0, 1, 3, 2, 4}).contiguous();  // [b,c,G,Q,N]
    Cm = Cm.view({b, c, Q, G, N}).permute({0, 1, 3, 2, 4}).contiguous();
    at::Tensor xDt = (x.view({b, c, Q, G, R, P}) * dt5.unsqueeze(-1)).permute({0, 1, 3, 2, 4, 5}).contiguous();
    at::Tensor aDt = (dt5 * in.A.view({G, R})).permute({0, 1, 3, 4, 2}).contiguous();  // [b,c,G,R,Q]
    at::Tensor aCum = at::cumsum(aDt, -1);
    auto perPosition = [&](const at::Tensor& t) { return t.permute({0, 1, 2, 4, 3}).unsqueeze(-1); };  // [b,c,G,Q,R,1]

    // 1. Within each chunk: y_i = sum_{j<=i} (C_i . B_j) exp(sum_{j<k<=i} aDt_k) dt_j x_j
    at::Tensor cb = at::matmul(Cm, Bm.transpose(-1, -2));                   // [b,c,G,Q,Q]
    // Out of place: exp's result is saved for its gradient when the trainer runs this under autograd.
    at::Tensor scores = at::exp(segmentSum(aDt)) * cb.unsqueeze(3);          // [b,c,G,R,Q,Q]
    at::Tensor yDiag = at::matmul(scores, xDt.permute({0, 1, 2, 4, 3, 5}));  // [b,c,G,R,Q,P]

    // 2. Each chunk's own contribution to the state at its end; decay to the end = exp(sum_{k>j} aDt_k).
    at::Tensor toEnd = at::exp(aCum.select(-1, Q - 1).unsqueeze(-1) - aCum);  // [b,c,G,R,Q]
    at::Tensor xEnd = (xDt * perPosition(toEnd)).view({b, c, G, Q, R * P});
    at::Tensor chunkStates = at::matmul(xEnd.transpose(-1, -2), Bm).view({b, c, G, R, P, N});

    // 3. The state entering each chunk, from the initial state and the chunk totals.
    at::Tensor init = in.initialState.defined() ? in.initialState.view({b, G, R, P, N})
                                                : at::zeros({b, G, R, P, N}, x.options());
    at::Tensor totals = aCum.select(-1, Q - 1);  // [b,c,G,R]
    at::Tensor stateIn, finalState;
    if (passing == StatePassing::Auto) passing = x.is_cuda() ? StatePassing::DecayMatrix : StatePassing::Sequential;
    if (passing == StatePassing::Sequential) {
        // One chunk after the other: c small steps, linear in c.
        stateIn = at::empty({b, c, G, R, P, N}, x.options());
        at::Tensor carried = init, decayTotals = at::exp(totals).view({b, c, G, R, 1, 1});
        for (int64_t k = 0; k < c; ++k) {
            stateIn.select(1, k).copy_(carried);
            carried = chunkStates.select(1, k).addcmul(carried, decayTotals.select(1, k));
        }
        finalState = carried.reshape({b, H, P, N});
    } else {
        // All at once: a (c+1) x (c+1) decay matrix over the chunk totals, initial state first; one product,
        // quadratic in c (few launches, for devices where launches cost more than arithmetic).
        at::Tensor states = at::cat({init.unsqueeze(1), chunkStates}, 1);                       // [b,c+1,G,R,P,N]
        at::Tensor chunkDecay = at::exp(segmentSum(at::constant_pad_nd(totals.permute({0, 2, 3, 1}), {1, 0})));
        at::Tensor flat = states.permute({0, 2, 3, 1, 4, 5}).reshape({b, G, R, c + 1, P * N});
        at::Tensor passed = at::matmul(chunkDecay, flat).view({b, G, R, c + 1, P, N});
        stateIn = passed.narrow(3, 0, c).permute({0, 3, 1, 2, 4, 5});  // [b,c,G,R,P,N]
        finalState = passed.select(3, c).reshape({b, H, P, N});
    }

    // 4. The state entering each chunk, read out at every position with its decay since the chunk start.
    at::Tensor stateRows = stateIn.reshape({b, c, G, R * P, N});
    at::Tensor y = at::matmul(Cm, stateRows.transpose(-1, -2)).view({b, c, G, Q, R, P});  // [b,c,G,Q,R,P]
    y.mul_(perPosition(at::exp(aCum))).add_(yDiag.permute({0, 1, 2, 4, 3, 5}));
    y = y.permute({0, 1, 3, 2, 4, 5}).reshape({b, c * Q, H, P});  // a view for one group
    if (pad > 0) y = y.narrow(1, 0, L);
    return {y.contiguous(), finalState.contiguous()};
}

SsdOutputs ssdRecurrent(const SsdInputs& in) {
    const int64_t b = in.x.size(0), L = in.x.size(1), H = in.x.size(2), P = in.x.size(3);
    const int64_t G = in.B.size(2), N = in.B.size(3);
    at::Tensor Bh = in.B.repeat_interleave(H / G, 2);  // [b,L,H,N]
    at::Tensor Ch = in.C.repeat_interleave(H / G, 2);
    at::Tensor state = in.initialState.defined() ? in.initialState.clone() : at::zeros({b, H, P, N}, in.x.options());
    std::vector<at::Tensor> ys;
    ys.reserve(L);
    for (int64_t t = 0; t < L; ++t) {
        at::Tensor dtT = in.dt.select(1, t);                                            // [b,H]
        at::Tensor dA = at::exp(dtT * in.A).view({b, H, 1, 1});
        at::Tensor xT = in.x.select(1, t) * dtT.unsqueeze(-1);                          // [b,H,P]
        state = state * dA + xT.unsqueeze(-1) * Bh.select(1, t).unsqueeze(2);          // [b,H,P,N]
        ys.push_back(at::matmul(state, Ch.select(1, t).unsqueeze(-1)).squeeze(-1));   // [b,H,P]
    }
    return {at::stack(ys, 1), state};
}

bool ssdPrefillUsesTensorCores(const at::Tensor& onDevice, at::ScalarType modelType, int64_t P, int64_t N, int64_t H,
                               int64_t G) {
#ifdef SSMLENS_FUSED_CUDA
    return kernelPaths().tensorCoreScan && (modelType == at::kBFloat16 || modelType == at::kHalf) && fused::fusedAvailable(onDevice) &&
           fused::ssdTensorCoreShapeSupported(P, N) && G > 0 && H % G == 0;
#else
    (void)onDevice;
    (void)modelType;
    (void)P;
    (void)N;
    (void)H;
    (void)G;
    return false;
#endif
}

bool ssdSerialScanSupported(int64_t P, int64_t N) {
#ifdef SSMLENS_FUSED_CUDA
    return fused::ssdSerialScanSupported(P, N);
#else
    (void)P;
    (void)N;
    return false;
#endif
}

bool ssdPrefillUsesTensorCores(const SsdInputs& in, at::ScalarType modelType) {
    return ssdPrefillUsesTensorCores(in.x, modelType, in.x.size(3), in.B.size(3), in.x.size(2), in.B.size(2));
}

SsdOutputs ssdPrefillWithSkip(const SsdInputs& in, const at::Tensor& skip, at::ScalarType modelType) {
#ifdef SSMLENS_FUSED_CUDA
    TORCH_CHECK(ssdPrefillUsesTensorCores(in, modelType), "ssdPrefillWithSkip: the tensor-core scan does not apply");
    auto [y, finalState] =
        fused::ssdChunkedTensorCores(in.x, in.dt, in.A, in.B, in.C, in.initialState, modelType, 0, skip);
    return {y, finalState};
#else
    (void)in;
    (void)skip;
    (void)modelType;
    TORCH_CHECK(false, "ssdPrefillWithSkip: this build has no CUDA kernels");
#endif
}

SsdOutputs ssdPrefill(const SsdInputs& in, int64_t chunkSize, at::ScalarType modelType, int64_t kernelChunk) {
#ifdef SSMLENS_FUSED_CUDA
    if (ssdPrefillUsesTensorCores(in, modelType)) {
        auto [y, finalState] = fused::ssdChunkedTensorCores(in.x, in.dt, in.A, in.B, in.C, in.initialState, modelType,
                                                              kernelChunk);
        return {y, finalState};
    }
#else
    (void)kernelChunk;
#endif
    // On the CPU a chunk of at most kCpuChunk tokens: the decay kernels cost H x L x Q exponentials and
    // products, the state passing is linear in the number of chunks there (see StatePassing).
    if (!in.x.is_cuda()) chunkSize = std::min(chunkSize, kCpuChunk);
    return ssdChunked(in, chunkSize);
}

}  // namespace ssmlens
