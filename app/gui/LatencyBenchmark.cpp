#include "app/gui/LatencyBenchmark.h"

#include <QApplication>
#include <algorithm>
#include <cstdio>

#include "app/gui/MainWindow.h"

namespace ssmlens {

LatencyBenchmark::LatencyBenchmark(MainWindow* window, int moves, QObject* parent)
    : QObject(parent), window_(window), moves_(moves) {}

void LatencyBenchmark::start() {
    connection_ = connect(window_, &MainWindow::resultShown, this, &LatencyBenchmark::measured);
    next();
}

void LatencyBenchmark::next() {
    // Alternate between two ratios so every move changes the result; the first move is a warm-up.
    const int i = static_cast<int>(ms_.size());
    clock_.start();
    window_->setKeepRatio(i % 2 == 0 ? 0.7 : 0.8);
}

void LatencyBenchmark::measured() {
    window_->repaint();  // the views draw now, synchronously: part of what the user waits for
    ms_.push_back(static_cast<double>(clock_.nsecsElapsed()) / 1e6);
    if (static_cast<int>(ms_.size()) > moves_) {
        disconnect(connection_);
        report();
        return;
    }
    next();
}

void LatencyBenchmark::report() {
    std::vector<double> v(ms_.begin() + 1, ms_.end());  // without the warm-up
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))]; };
    const auto& facts = window_->modelFacts();
    std::printf("{\"moves\": %zu, \"median_ms\": %.1f, \"p90_ms\": %.1f, \"max_ms\": %.1f, \"min_ms\": %.1f, "
                "\"prompt_tokens\": %d, \"model\": \"%s\", \"device\": \"%s\", \"dtype\": \"%s\"}\n",
                v.size(), at(0.5), at(0.9), v.back(), v.front(), window_->promptTokens(),
                qPrintable(facts.folder), qPrintable(facts.device), qPrintable(facts.dtype));
    std::fflush(stdout);
    QApplication::exit(0);
}

}  // namespace ssmlens
