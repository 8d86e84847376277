#pragma once
// AttentionLatencyBenchmark: how long a layer change takes to show in the Attention view, measured in the real
// window: from the moment the window selects another layer (a click in any view) to the moment the Attention
// view holds that layer's matrices (dense and reduced, mean over heads, the scatter) and has repainted. Run by
// `ssmlens --benchmark-attention N` (tools/benchmark_latency.sh attention): after the first result it brings the
// Attention tab to the front, waits for the first layer (which also computes the rollout), then steps through
// N layer changes (cycling through the layers), prints one JSON object (milliseconds: median, p90, max, min)
// and quits. docs/benchmarks.md records the figures.
#include <QElapsedTimer>
#include <QObject>
#include <vector>

namespace ssmlens {

class MainWindow;

class AttentionLatencyBenchmark : public QObject {
    Q_OBJECT
public:
    AttentionLatencyBenchmark(MainWindow* window, int changes, QObject* parent = nullptr);
    void start();  // call after the window's first result

private:
    void next();
    void shown();
    void report();

    MainWindow* window_;
    int changes_;
    bool warmedUp_ = false;
    std::vector<double> ms_;
    QElapsedTimer clock_;
    QMetaObject::Connection connection_;
};

}  // namespace ssmlens
