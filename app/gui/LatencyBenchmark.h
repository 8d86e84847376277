#pragma once
// LatencyBenchmark: how long a slider move takes to show, measured in the real window — from the moment the
// keep ratio changes (a slider release) to the moment every view holds the new result and has repainted.
// Run by `ssmlens --benchmark-latency N`: N moves alternating between two ratios, after one warm-up run;
// prints one JSON object (milliseconds: median, p90, max; the prompt's token count) and quits.
// docs/benchmarks.md records the figures.
#include <QElapsedTimer>
#include <QObject>
#include <vector>

namespace ssmlens {

class MainWindow;

class LatencyBenchmark : public QObject {
    Q_OBJECT
public:
    LatencyBenchmark(MainWindow* window, int moves, QObject* parent = nullptr);
    void start();  // call after the window's first result

private:
    void next();
    void measured();
    void report();

    MainWindow* window_;
    int moves_;
    std::vector<double> ms_;
    QElapsedTimer clock_;
    QMetaObject::Connection connection_;
};

}  // namespace ssmlens
