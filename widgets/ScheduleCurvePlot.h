#pragma once
// ScheduleCurvePlot: the tokens entering each layer under a schedule, against the dense count, with the
// anchors marked — a compact version of TokensPerLayerPlot for the ScheduleEditor's side panel: no title
// (the editor prints the figures above it) and a one-line legend above the axes, so it fits ~400 px.
#include <QWidget>
#include <cstdint>
#include <vector>

class QCustomPlot;
class QCPGraph;

namespace ssmlens {

class ScheduleCurvePlot : public QWidget {
    Q_OBJECT
public:
    explicit ScheduleCurvePlot(QWidget* parent = nullptr);
    // tokensEntering[l]: tokens entering layer l with the schedule; anchors: the layers that reduce.
    void setData(int64_t promptLength, const std::vector<int64_t>& tokensEntering, const std::vector<int64_t>& anchors);
    QCustomPlot* plot() const { return plot_; }
    int reducedPointCount() const;
    int anchorPointCount() const;

private:
    QCustomPlot* plot_;
    QCPGraph* dense_;
    QCPGraph* reduced_;
    QCPGraph* anchors_;
};

}  // namespace ssmlens
