#pragma once
// Hook points: names for the intermediates of a forward pass, in TransformerLens' style (`blocks.L.hook_NAME`,
// as MambaLens' HookedMamba names those of Mamba-1), so an analysis can ask for one by name: from code through
// an ActivationProbe (core/model/ActivationProbe.h), from the command line with `ssmlens-cli activations`.
// Torch-free: the names and shapes are plain data.
//
// Shapes, for a batch of B right-padded sequences with L tokens entering block l (fewer than the prompt once
// token reduction has removed some; D = d_model, Di = expand * D, H heads of P channels, G groups of state N):
//   blocks.l.hook_resid_pre        [B, L, D]     fp32  the residual stream entering block l's norm
//   blocks.l.hook_normalized_input [B, L, D]           RMSNorm(resid_pre) * norm.weight: the mixer's input u
//   blocks.l.hook_gate             [B, L, Di]          z, the gate branch of in_proj
//   blocks.l.hook_ssm_input        [B, L, H, P]        x after the causal conv and SiLU
//   blocks.l.hook_B                [B, L, G, N]        B after the conv and SiLU
//   blocks.l.hook_C                [B, L, G, N]        C after the conv and SiLU
//   blocks.l.hook_delta            [B, L, H]     fp32  dt after softplus (and the time-step clamp)
//   blocks.l.hook_A                [H]           fp32  A = -exp(A_log)
//   blocks.l.hook_ssm_output       [B, L, H, P]        y + D x: the SSM's output before the gate
//   blocks.l.hook_out_proj         [B, L, D]           the mixer's output h (the hidden stream)
//   blocks.l.hook_pattern          [H, L, L]     fp32  the implicit attention matrix M of one sequence, derived
//                                                      from B, C, delta and A (docs/implicit-attention.md)
// Values are in the model dtype unless marked fp32 (on the CPU path x, B, C and the SSM output are fp32 too).
#include <cstdint>
#include <string>
#include <vector>

namespace ssmlens {

enum class HookPoint {
    ResidPre,
    NormalizedInput,
    Gate,
    SsmInput,
    B,
    C,
    Delta,
    A,
    SsmOutput,
    OutProj,
    Pattern,  // derived on request, never recorded by the forward pass itself
};

// Every hook point, in the order above.
const std::vector<HookPoint>& allHookPoints();
// "hook_B" (the suffix after "blocks.L.").
const char* hookPointSuffix(HookPoint point);
// "blocks.3.hook_B"
std::string hookPointName(int64_t layer, HookPoint point);
// One line: the shape and meaning, as in the table above.
const char* hookPointDescription(HookPoint point);

struct NamedHookPoint {
    int64_t layer = 0;
    HookPoint point = HookPoint::ResidPre;
};
// Parses "blocks.L.hook_NAME" for 0 <= L < layers. Throws ssmlens::Error naming the text and what is wrong.
NamedHookPoint parseHookPointName(const std::string& name, int64_t layers);

}  // namespace ssmlens
