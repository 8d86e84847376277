#include "app/gui/AttentionLatencyBenchmark.h"

#include <QApplication>
#include <algorithm>
#include <cstdio>

#include "app/gui/AttentionPanel.h"
#include "app/gui/MainWindow.h"

namespace ssmlens {

AttentionLatencyBenchmark::AttentionLatencyBenchmark(MainWindow* window, int changes, QObject* parent)
    : QObject(parent), window_(window), changes_(std::max(1, changes)) {}

void AttentionLatencyBenchmark::start() {
    connection_ = connect(window_->attentionPanel(), &AttentionPanel::layerShown, this, &AttentionLatencyBenchmark::shown);
    window_->showAttentionTab();  // the first layer (and the rollout of this run) comes with it
}

void AttentionLatencyBenchmark::next() {
    const int layers = window_->modelFacts().layers;
    const int layer = static_cast<int>(ms_.size() + 1) % std::max(1, layers);
    clock_.start();
    window_->selectLayerAndToken(layer, -1);
}

void AttentionLatencyBenchmark::shown() {
    if (!window_->attentionPanel()->upToDate()) return;  // a response for a layer no longer asked for
    if (!warmedUp_) {
        warmedUp_ = true;
        next();
        return;
    }
    window_->repaint();  // the view draws now, synchronously: part of what the user waits for
    ms_.push_back(static_cast<double>(clock_.nsecsElapsed()) / 1e6);
    if (static_cast<int>(ms_.size()) < changes_) {
        next();
        return;
    }
    disconnect(connection_);
    report();
}

void AttentionLatencyBenchmark::report() {
    std::vector<double> v = ms_;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))]; };
    const auto& facts = window_->modelFacts();
    std::printf("{\"prompt_tokens\": %d, \"model\": \"%s\", \"device\": \"%s\", \"dtype\": \"%s\",\n"
                " \"attention_layer_change\": {\"changes\": %zu, \"median_ms\": %.1f, \"p90_ms\": %.1f, "
                "\"max_ms\": %.1f, \"min_ms\": %.1f}}\n",
                window_->promptTokens(), qPrintable(facts.folder), qPrintable(facts.device), qPrintable(facts.dtype),
                v.size(), at(0.5), at(0.9), v.back(), v.front());
    std::fflush(stdout);
    QApplication::exit(0);
}

}  // namespace ssmlens
