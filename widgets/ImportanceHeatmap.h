#pragma once
// ImportanceHeatmap: layers (rows) x tokens of the original prompt (columns), coloured by token importance
// normalised per layer (viridis: dark violet to yellow, ends that never look like paper or a missing cell),
// with the tokens removed at each anchor marked (merged: blue dots; pruned: red crosses with a white halo,
// readable on any cell). Cells of tokens that left at an earlier layer are grey and hatched ("gone"). The
// selected layer and token are outlined. Cells are drawn as rectangles, so PDF and SVG exports are vector.
// An anchor whose method chose by position alone (LayerTrace::contentIndependent) gets an orange diamond
// on its row's left edge, with a legend entry while there is one.
//
// Long prompts: the token axis keeps its labels — each token's text when there is room, else every k-th
// with its position; the mouse wheel zooms the token axis, dragging pans it, a double click shows all.
// Hover shows the numbers; a click selects a (layer, token).
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/reduction/TokenTrace.h"

class QCustomPlot;
class QLabel;
class QCPColorScale;
class QCPGraph;

namespace ssmlens {

struct FigureSize;
class ContentIndependentMarks;
class HeatmapCells;
class TokenAxisTicker;

class ImportanceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ImportanceHeatmap(QWidget* parent = nullptr);
    // tokenLabels: one short label per original position (may be empty: positions are shown). Keeps the
    // token axis's zoom when the prompt is the same length (a slider move), else shows every token.
    void setTrace(const TokenTrace& trace, const QStringList& tokenLabels);
    void clear();
    // Outlines this layer's row and this token's column (-1: none). Emits nothing.
    void setSelection(int layer, int position);
    QCustomPlot* plot() const { return plot_; }
    // The figure (PlotExport.h), its legend wrapped into rows when the figure is too narrow for one.
    QString exportImage(const QString& path, const FigureSize& size);
    int legendRows() const;

    // The token axis: the positions in view (after zoom or pan); showAllTokens() resets the zoom.
    double firstTokenInView() const;
    double lastTokenInView() const;
    void showTokens(double first, double last);
    void showAllTokens();
    // The tick labels the token axis shows now (for tests: labels stay on long prompts).
    QStringList tokenTickLabels() const;

    // For tests and tooltips: the normalised value drawn at (layer, position); NaN when gone (hatched).
    double cellValue(int layer, int position) const;
    int markerCount(int fate) const;  // markers drawn for FateMerged or FatePruned tokens
    int contentIndependentMarkCount() const;  // diamonds drawn for anchors that chose by position alone
    QString describeCell(int layer, int position) const;
    // The colour a normalised value gets (the colour scale), and whether a cell is drawn as "gone".
    QColor colorForValue(double value) const;

Q_SIGNALS:
    void cellSelected(int layer, int position);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    bool cellAt(const QPoint& pixel, int& layer, int& position) const;
    void retranslate();
    void clampTokenRange();
    void fitLegend(double width, const QFont& font);  // one row when it fits, else as many as needed
    void setContentIndependentMarks(const std::vector<int>& layers);

    QCustomPlot* plot_;
    HeatmapCells* cells_;
    QCPColorScale* scale_;
    QLabel* hint_;
    QCPGraph* merged_;  // legend entries
    QCPGraph* pruned_;
    QCPGraph* contentIndependent_;  // legend entry of the diamonds, shown while there are some
    ContentIndependentMarks* contentIndependentMarks_;
    int tickLabelPadding_ = 0;  // the layer axis's own, without room for the diamonds
    QSharedPointer<TokenAxisTicker> ticker_;
    TokenTrace trace_;
    QStringList labels_;
};

}  // namespace ssmlens
