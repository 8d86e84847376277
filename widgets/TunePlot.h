#pragma once
// TunePlot: the candidates of a schedule search, FLOPs reduction (x) against the tuning objective (y, the
// mean KL to the dense model, log scale), drawn as they arrive. The Pareto front is a line through its
// points, the paper's presets are diamonds, the budget a dashed vertical line, the schedule in the editor a
// star (or a dotted vertical line at its FLOPs reduction while it has not been scored), the selected
// candidate a ring. Candidates the search stopped early (clearly worse) are small grey dots. A click selects
// the nearest candidate. Plain data in; it knows nothing of the tuner.
#include <QString>
#include <QWidget>
#include <cmath>
#include <vector>

class QCustomPlot;

namespace ssmlens {

struct TunePlotPoint {
    int index = 0;                     // the candidate's number in the search
    double flopsReductionPercent = 0;  // x
    double objective = 0;              // y (> 0)
    bool preset = false;               // the paper's schedule
    bool onFront = false;
    bool complete = true;              // false: stopped early, its y is a partial estimate
};

class TunePlot : public QWidget {
    Q_OBJECT
public:
    explicit TunePlot(QWidget* parent = nullptr);
    void setPoints(const std::vector<TunePlotPoint>& points);
    void setTarget(double flopsReductionPercent);  // NaN: none
    // The editor's schedule: objective NaN while it is not scored.
    void setCurrent(double flopsReductionPercent, double objective);
    void clearCurrent();
    void setSelected(int index);  // -1: none
    int selected() const { return selected_; }
    int pointCount() const { return static_cast<int>(points_.size()); }
    int frontCount() const;
    double currentObjective() const { return currentY_; }  // NaN: not scored (or none)
    double currentFlopsReduction() const { return currentX_; }
    QCustomPlot* plot() const { return plot_; }
    // The candidate drawn nearest to a widget position (within 12 px), or -1; for clicks and tests.
    int candidateAt(const QPointF& widgetPosition) const;
    QPointF widgetPositionOf(int index) const;

Q_SIGNALS:
    void candidateClicked(int index);

private:
    void redraw();

    QCustomPlot* plot_;
    std::vector<TunePlotPoint> points_;
    double target_ = NAN;
    double currentX_ = NAN, currentY_ = NAN;
    int selected_ = -1;
};

}  // namespace ssmlens
