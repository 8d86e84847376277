#pragma once
// ImportanceHeatmap: layers (rows) x tokens of the original prompt (columns), coloured by token importance
// normalised per layer, with the tokens removed at each anchor marked (merged / pruned), and a diamond at
// the left edge of an anchor whose choices ignored the content. Tokens that left at an earlier layer are
// left blank. Hover shows the numbers; a click selects a (layer, token).
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/reduction/TokenTrace.h"

class QCustomPlot;
class QCPColorMap;
class QCPGraph;
class QCPItemText;

namespace ssmlens {

class ImportanceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ImportanceHeatmap(QWidget* parent = nullptr);
    // tokenLabels: one short label per original position (may be empty: positions are shown).
    void setTrace(const TokenTrace& trace, const QStringList& tokenLabels);
    void clear();
    QCustomPlot* plot() const { return plot_; }

    // For tests and tooltips: the normalised value drawn at (layer, position); NaN when blank.
    double cellValue(int layer, int position) const;
    int markerCount(int8_t fate) const;  // points drawn for merged (1) or pruned (2) tokens
    int contentIndependentMarkCount() const;  // diamonds drawn for anchors that chose by position alone
    QString describeCell(int layer, int position) const;

Q_SIGNALS:
    void cellSelected(int layer, int position);

private:
    bool cellAt(const QPoint& pixel, int& layer, int& position) const;
    void setContentIndependentMarks(const std::vector<int>& layers);

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPGraph* merged_;
    QCPGraph* pruned_;
    QCPGraph* contentIndependent_;                     // legend entry of the marks below
    std::vector<QCPItemText*> contentIndependentMarks_;  // one diamond per anchor that chose by position
    TokenTrace trace_;
    QStringList labels_;
};

}  // namespace ssmlens
