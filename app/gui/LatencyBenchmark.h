#pragma once
// LatencyBenchmark: how long a slider move takes to show, measured in the real window — from the moment the
// keep ratio changes (a slider release) to the moment every view holds the new result and has repainted.
// Run by `ssmlens --benchmark-latency N`: two phases side by side, each N moves alternating between two
// ratios after one warm-up move — first with the dense pass rerun on every move, then with the dense pass of
// the prompt reused (what the app does); prints one JSON object (milliseconds: median, p90, max, min per
// phase; the prompt's token count) and quits.
// docs/benchmarks.md records the figures.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
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
    static QString summary(std::vector<double> ms);  // JSON: median, p90, max, min without the warm-up

    MainWindow* window_;
    int moves_;
    std::vector<double> ms_;                   // the phase in progress
    std::vector<std::vector<double>> phases_;  // dense pass on every move, then reused
    QElapsedTimer clock_;
    QMetaObject::Connection connection_;
};

}  // namespace ssmlens
