#include "core/train/AdamW.h"

#include <cmath>

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include "core/Error.h"

namespace ssmlens {

AdamW::AdamW(std::vector<Parameter> params, AdamWOptions options) : params_(std::move(params)), options_(options) {
    for (const auto& p : params_) {
        expAvg_.push_back(at::zeros_like(p.value, p.value.options().dtype(at::kFloat)));
        expAvgSq_.push_back(at::zeros_like(p.value, p.value.options().dtype(at::kFloat)));
    }
}

void AdamW::step(double lr) {
    at::NoGradGuard noGrad;
    ++steps_;
    const double b1 = options_.beta1, b2 = options_.beta2;
    const double correction1 = 1.0 - std::pow(b1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(b2, static_cast<double>(steps_));
    for (size_t i = 0; i < params_.size(); ++i) {
        at::Tensor& w = params_[i].value;
        at::Tensor g = w.grad();
        if (!g.defined()) continue;  // unused in this step (nothing to learn from)
        g = g.to(at::kFloat);
        expAvg_[i].mul_(b1).add_(g, 1.0 - b1);
        expAvgSq_[i].mul_(b2).addcmul_(g, g, 1.0 - b2);
        if (params_[i].decay && options_.weightDecay > 0) w.mul_(1.0 - lr * options_.weightDecay);
        at::Tensor denom = (expAvgSq_[i] / correction2).sqrt_().add_(options_.eps);
        w.addcdiv_(expAvg_[i], denom, -lr / correction1);
        w.mutable_grad() = at::Tensor();
    }
}

std::map<std::string, at::Tensor> AdamW::state() const {
    std::map<std::string, at::Tensor> s;
    for (size_t i = 0; i < params_.size(); ++i) {
        s["exp_avg." + params_[i].name] = expAvg_[i];
        s["exp_avg_sq." + params_[i].name] = expAvgSq_[i];
    }
    return s;
}

void AdamW::loadState(const std::map<std::string, at::Tensor>& state, int64_t steps) {
    at::NoGradGuard noGrad;
    for (size_t i = 0; i < params_.size(); ++i) {
        for (auto* slot : {&expAvg_[i], &expAvgSq_[i]}) {
            const std::string key = (slot == &expAvg_[i] ? "exp_avg." : "exp_avg_sq.") + params_[i].name;
            auto it = state.find(key);
            if (it == state.end()) throw Error("optimizer state has no tensor " + key);
            if (!it->second.sizes().equals(slot->sizes()))
                throw Error("optimizer state tensor " + key + " has the wrong shape");
            slot->copy_(it->second);
        }
    }
    steps_ = steps;
}

double clipGradientNorm(const std::vector<Parameter>& params, double maxNorm) {
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> norms;
    for (const auto& p : params)
        if (p.value.grad().defined()) norms.push_back(p.value.grad().to(at::kFloat).norm().unsqueeze(0));
    if (norms.empty()) return 0.0;
    const double total = at::cat(norms).norm().item<double>();  // one sync per step
    if (std::isfinite(total) && total > maxNorm) {
        const double scale = maxNorm / (total + 1e-6);
        for (const auto& p : params)
            if (p.value.grad().defined()) p.value.mutable_grad().mul_(scale);
    }
    return total;
}

}  // namespace ssmlens
