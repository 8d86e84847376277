#include "app/gui/LatencyBenchmark.h"

#include <QApplication>
#include <algorithm>
#include <cstdio>

#include "app/gui/MainWindow.h"
#include "core/runtime/ComputeDevices.h"

namespace ssmlens {

LatencyBenchmark::LatencyBenchmark(MainWindow* window, int moves, QObject* parent)
    : QObject(parent), window_(window), moves_(moves) {}

void LatencyBenchmark::start() {
    connection_ = connect(window_, &MainWindow::resultShown, this, &LatencyBenchmark::measured);
    window_->setReuseDensePass(false);  // first phase: both passes on every move
    next();
}

void LatencyBenchmark::next() {
    // Alternate between two ratios so every move changes the result; each phase starts with a warm-up.
    const int i = static_cast<int>(ms_.size());
    clock_.start();
    window_->setKeepRatio(i % 2 == 0 ? 0.7 : 0.8);
}

void LatencyBenchmark::measured() {
    window_->repaint();  // the views draw now, synchronously: part of what the user waits for
    ms_.push_back(static_cast<double>(clock_.nsecsElapsed()) / 1e6);
    if (static_cast<int>(ms_.size()) <= moves_) {
        next();
        return;
    }
    phases_.push_back(std::move(ms_));
    ms_.clear();
    if (phases_.size() == 2) {
        disconnect(connection_);
        report();
        return;
    }
    window_->setReuseDensePass(true);  // second phase: what the app does
    next();
}

QString LatencyBenchmark::summary(std::vector<double> ms) {
    std::vector<double> v(ms.begin() + 1, ms.end());  // without the warm-up
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))]; };
    return QString::asprintf("{\"moves\": %zu, \"median_ms\": %.1f, \"p90_ms\": %.1f, \"max_ms\": %.1f, "
                             "\"min_ms\": %.1f}",
                             v.size(), at(0.5), at(0.9), v.back(), v.front());
}

void LatencyBenchmark::report() {
    const auto& facts = window_->modelFacts();
    std::printf("{\"prompt_tokens\": %d, \"model\": \"%s\", \"device\": \"%s\", \"dtype\": \"%s\", \"cpu_threads\": %d,\n"
                " \"dense_pass_every_move\": %s,\n \"dense_pass_reused\": %s}\n",
                window_->promptTokens(), qPrintable(facts.folder), qPrintable(facts.device),
                qPrintable(facts.dtype), cpuThreads(), qPrintable(summary(phases_[0])), qPrintable(summary(phases_[1])));
    std::fflush(stdout);
    QApplication::exit(0);
}

}  // namespace ssmlens
