#pragma once
// AttentionMatrixPlot: one T x T implicit attention matrix (core/attention/LayerAttention.h) in the coordinates
// of the original prompt: row t the token reading, column s the token read. A diverging colour scale for signed
// values (a single head or the mean), a sequential one for magnitudes, or log10 |value|. Above and to the left of
// the matrix, a strip marks the tokens merged or pruned at this layer and those already gone (the reduced pass
// leaves their rows and columns blank). Hover shows both tokens and the value; a click emits the cell; the
// selected token's row and column are outlined.
#include <QString>
#include <QStringList>
#include <QWidget>

#include "core/attention/LayerAttention.h"
#include "core/reduction/TokenTrace.h"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPGraph;
class QCPItemRect;
class QCPItemText;

namespace ssmlens {

class AttentionMatrixPlot : public QWidget {
    Q_OBJECT
public:
    enum class ColourScale { Linear, Log };
    explicit AttentionMatrixPlot(QWidget* parent = nullptr);

    // fates: the layer's trace (which tokens are merged, pruned or gone there), or null for no marks.
    // labels: one per original position (may be empty). The upper triangle (s > t, never read) stays blank.
    // selected: the token whose row and column are outlined (-1: none). One replot.
    void setMatrix(const AttentionMatrix& matrix, const LayerTrace* fates, const QStringList& labels,
                   const QString& title, ColourScale scale, int selected = -1);
    void clear(const QString& message = QString());
    void selectToken(int position);  // outlines its row and column; -1: none. Emits nothing.
    QCustomPlot* plot() const { return plot_; }

    // For tests and tooltips: the value of the matrix at (row, column) (NaN where blank), the value the colour
    // map holds there (log10 |value| on the log scale), the marks drawn for a fate (1 merged, 2 pruned, -1 gone).
    double value(int row, int column) const { return matrix_.at(row, column); }
    double drawnValue(int row, int column) const;
    int markerCount(int fate) const;
    QString describeCell(int row, int column) const;
    bool diverging() const { return diverging_; }

Q_SIGNALS:
    void cellClicked(int row, int column);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    bool cellAt(const QPoint& pixel, int& row, int& column) const;
    void placeSelection(int position);  // the outlines, without a replot
    void placeTicks();                  // words or positions, spaced for the plot's size
    QString tokenName(int position) const;

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QCPGraph* merged_[2];  // top strip, left strip
    QCPGraph* pruned_[2];
    QCPGraph* gone_[2];
    QCPItemRect* rowBox_;
    QCPItemRect* columnBox_;
    QCPItemText* message_;
    AttentionMatrix matrix_;
    QStringList labels_;
    ColourScale colourScale_ = ColourScale::Linear;
    bool diverging_ = false;
    double strip_ = 1.5;  // cells of margin above and left of the matrix for the marks
};

}  // namespace ssmlens
