#pragma once
// AccuracySweepPlot: accuracy against FLOPs reduction, one line per (task, metric) over a grid of keep
// ratios (ratio 1 = dense at 0%), with the schedule currently in the editor marked as a star on each line
// when its accuracy is known. Fed with plain numbers (core's SweepPoint flattened by the caller).
#include <QString>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPTextElement;

namespace ssmlens {

struct SweepSeries {
    QString label;                  // e.g. "lambada_openai acc"
    std::vector<double> flopsReductionPercent;  // x, ascending
    std::vector<double> accuracy;   // y, fractions in [0, 1]
    std::vector<double> keepRatio;  // for tooltips
};

struct SweepMarker {
    QString label;  // the series it belongs to
    double flopsReductionPercent = 0, accuracy = 0;
};

class AccuracySweepPlot : public QWidget {
    Q_OBJECT
public:
    explicit AccuracySweepPlot(QWidget* parent = nullptr);
    void setSeries(const std::vector<SweepSeries>& series);
    void setCurrent(const std::vector<SweepMarker>& markers);  // the current schedule's points
    // The sweep was run with another model than the one in use: the title says so.
    void setOutOfDate(bool outOfDate);
    bool isOutOfDate() const { return outOfDate_; }
    QCustomPlot* plot() const { return plot_; }
    int seriesCount() const { return static_cast<int>(series_.size()); }
    int markerCount() const { return static_cast<int>(markers_.size()); }

protected:
    void changeEvent(QEvent* event) override;

private:
    void redraw();
    void retranslate();

    QCustomPlot* plot_;
    QCPTextElement* title_;
    bool outOfDate_ = false;
    std::vector<SweepSeries> series_;
    std::vector<SweepMarker> markers_;
};

}  // namespace ssmlens
