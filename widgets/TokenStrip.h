#pragma once
// TokenStrip: the tokens of the ORIGINAL prompt as chips, coloured by what happens to them at one layer
// (kept, merged, pruned, or gone at an earlier layer), with an arrow from each merged token to the token it
// joined. Chips wrap into rows and scroll, so prompts of a few hundred tokens stay readable. Below it, a
// compact "when each token leaves" grid: a row per layer, a column per token, in the same colours; clicking
// a row shows that layer. Clicks select a token; the whole figure exports to PNG, PDF or SVG.
#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/reduction/TokenTrace.h"

class QScrollArea;

namespace ssmlens {

class TokenStripCanvas;

class TokenStrip : public QWidget {
    Q_OBJECT
public:
    explicit TokenStrip(QWidget* parent = nullptr);

    // tokenLabels: text of each original token (may be empty: positions are shown); tokenIds: optional
    // token ids for the tooltips. Keeps the layer shown when it still exists, else shows the first anchor.
    void setTrace(const TokenTrace& trace, const QStringList& tokenLabels, const std::vector<int64_t>& tokenIds = {});
    void clear();
    // Programmatic selection emits nothing; only clicks emit tokenSelected / layerSelected.
    void setLayer(int layer);
    int layer() const { return layer_; }
    void selectToken(int position);  // -1: none
    int selectedToken() const { return selected_; }

    // The fate colours and names every token view shares (the hues of ImportanceHeatmap's markers).
    // fate: -1 gone, 0 kept, 1 merged, 2 pruned.
    static QColor fateColor(int fate);
    static QString fateName(int fate);
    // One sentence for every view: the anchor's choices were made from positions alone
    // (LayerTrace::contentIndependent).
    static QString contentIndependentNote();
    // A token's text made visible in one line: newlines and tabs as symbols, blank tokens as "␣".
    static QString visibleText(const QString& label);

    // Height of the whole figure at this width (no scrolling), e.g. to export it unscaled.
    int contentHeight(int width) const;
    QSize sizeHint() const override;

    // For tests and tooltips. Rectangles are in canvas() coordinates (the scrolled drawing surface).
    QWidget* canvas() const;
    QRect chipRect(int position) const;
    int fateShown(int position) const;  // fate drawn at the current layer; -2 when out of range
    QColor chipColor(int position) const;
    int linkCount() const;              // merge arrows drawn at the current layer
    QRect layerCellRect(int layer, int position) const;  // a cell of the "when each token leaves" grid
    QString describeToken(int position) const;

    // The whole figure (title, legend, chips, grid) fitted into size: laid out at that width, and scaled
    // down when it would be taller.
    void paintFigure(QPainter& painter, const QSize& size) const;
    // Format from the extension (.png, .pdf, .svg); returns an error message, empty on success.
    QString exportImage(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

Q_SIGNALS:
    void tokenSelected(int position);
    void layerSelected(int layer);

private:
    friend class TokenStripCanvas;
    struct Geometry {
        QFont font, titleFont, smallFont;
        double width = 0, height = 0;
        QRectF title, subtitle, gridHeading;
        std::vector<QRectF> legend;  // one rectangle per legend entry
        std::vector<QRectF> chips;   // per original position
        QRectF grid;                 // the cells of the all-layers grid
        double cellWidth = 0, rowHeight = 0;
    };
    Geometry layoutFor(double width, const QFont& font) const;
    void paintContent(QPainter& painter, const Geometry& g) const;
    void paintGrid(QPainter& painter, const Geometry& g) const;
    void paintLinks(QPainter& painter, const Geometry& g, bool selectedOnly) const;
    Geometry currentGeometry() const;
    QString chipText(int position) const;
    QString tokenName(int position) const;  // position and quoted text, for tooltips
    QString titleText() const;
    QString subtitleText() const;
    QStringList legendTexts() const;
    QString gridHeadingText() const;
    bool mergeLink(int position, int& destination) const;
    int chipAt(const QPointF& point, const Geometry& g) const;
    bool gridCellAt(const QPointF& point, const Geometry& g, int& layer, int& position) const;
    void canvasClicked(const QPointF& point);
    void contentChanged();

    QScrollArea* scroll_;
    TokenStripCanvas* canvas_;
    TokenTrace trace_;
    QStringList labels_;
    std::vector<int64_t> ids_;
    std::vector<int> leaveLayer_;  // per position: the layer it is merged or pruned at, -1 if it survives
    int layer_ = -1;
    int selected_ = -1;
};

}  // namespace ssmlens
