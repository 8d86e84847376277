#include "core/model/HookPoint.h"

#include <cerrno>
#include <cstdlib>

#include "core/Error.h"

namespace ssmlens {
namespace {

struct HookPointInfo {
    HookPoint point;
    const char* suffix;
    const char* description;
};

// One row per hook point: its name and the line `ssmlens-cli activations --list` prints (shapes as in HookPoint.h).
const HookPointInfo kHookPoints[] = {
    {HookPoint::ResidPre, "hook_resid_pre", "[B, L, D] fp32: the residual stream entering the block's norm"},
    {HookPoint::NormalizedInput, "hook_normalized_input", "[B, L, D]: RMSNorm(resid_pre) * norm.weight, the mixer's input"},
    {HookPoint::Gate, "hook_gate", "[B, L, Di]: z, the gate branch of in_proj"},
    {HookPoint::SsmInput, "hook_ssm_input", "[B, L, H, P]: x after the causal conv and SiLU"},
    {HookPoint::B, "hook_B", "[B, L, G, N]: B after the causal conv and SiLU"},
    {HookPoint::C, "hook_C", "[B, L, G, N]: C after the causal conv and SiLU"},
    {HookPoint::Delta, "hook_delta", "[B, L, H] fp32: dt after softplus (and the time-step clamp)"},
    {HookPoint::A, "hook_A", "[H] fp32: A = -exp(A_log)"},
    {HookPoint::SsmOutput, "hook_ssm_output", "[B, L, H, P]: y + D x, the SSM's output before the gate"},
    {HookPoint::OutProj, "hook_out_proj", "[B, L, D]: the mixer's output h (the hidden stream)"},
    {HookPoint::Pattern, "hook_pattern",
     "[H, L, L] fp32: the implicit attention matrix M of the first sequence (derived from B, C, delta, A)"},
};

const HookPointInfo& info(HookPoint point) {
    for (const auto& i : kHookPoints)
        if (i.point == point) return i;
    return kHookPoints[0];  // unreachable: every enumerator has a row
}

}  // namespace

const std::vector<HookPoint>& allHookPoints() {
    static const std::vector<HookPoint> all = [] {
        std::vector<HookPoint> v;
        for (const auto& i : kHookPoints) v.push_back(i.point);
        return v;
    }();
    return all;
}

const char* hookPointSuffix(HookPoint point) { return info(point).suffix; }
const char* hookPointDescription(HookPoint point) { return info(point).description; }

std::string hookPointName(int64_t layer, HookPoint point) {
    return "blocks." + std::to_string(layer) + "." + hookPointSuffix(point);
}

NamedHookPoint parseHookPointName(const std::string& name, int64_t layers) {
    const std::string prefix = "blocks.";
    auto bad = [&](const std::string& why) {
        return Error("hook point \"" + name + "\": " + why + " (expected blocks.L.hook_NAME; `ssmlens-cli activations --list` "
                     "prints them)");
    };
    if (name.compare(0, prefix.size(), prefix) != 0) throw bad("does not start with \"blocks.\"");
    const size_t dot = name.find('.', prefix.size());
    if (dot == std::string::npos || dot == prefix.size()) throw bad("no layer number");
    const std::string layerText = name.substr(prefix.size(), dot - prefix.size());
    if (layerText.size() > 9 || layerText.find_first_not_of("0123456789") != std::string::npos)
        throw bad("\"" + layerText + "\" is not a layer number");
    const int64_t layer = std::strtoll(layerText.c_str(), nullptr, 10);
    if (layer >= layers)
        throw bad("layer " + layerText + " does not exist: the model has " + std::to_string(layers) + " layers (0.." +
                  std::to_string(layers - 1) + ")");
    const std::string suffix = name.substr(dot + 1);
    for (const auto& i : kHookPoints)
        if (suffix == i.suffix) return {layer, i.point};
    throw bad("unknown hook \"" + suffix + "\"");
}

}  // namespace ssmlens
