#pragma once
// TokenStrip: the tokens of the ORIGINAL prompt as chips, coloured by what happens to them at one layer
// (kept, merged, pruned, or gone at an earlier layer; TokenFateStyle), with arrows from merged tokens to the
// tokens they joined. Chips wrap into rows and scroll, so prompts of a few hundred tokens stay readable.
// Arrows: all of them for short prompts; from kAllArrowsUpTo tokens on only those of the selected token
// (all of them would be a tangle), unless the user asks for all with the check box above the figure.
// Below the chips, the "when each token leaves" grid: a row per layer, a column per token, in the same
// colours, wrapped into bands with each column's token text under it; a click on a row shows that layer.
// Clicks select a token; the whole figure exports to PNG, PDF or SVG (WidgetExport.h).
#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/reduction/TokenTrace.h"
#include "widgets/FigureCanvas.h"

class QCheckBox;

namespace ssmlens {

struct FigureFonts;
struct FigureSize;

class TokenStrip : public QWidget, private FigureCanvas::Client {
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

    // Every merge arrow, or only the selected token's. Until the user picks, prompts shorter than
    // kAllArrowsUpTo tokens show all of them.
    static constexpr int kAllArrowsUpTo = 64;
    void setAllArrows(bool all);  // as the check box does; the choice then sticks for later prompts
    bool allArrows() const;
    QCheckBox* allArrowsBox() const { return allArrows_; }

    // A token's text made visible in one line: newlines and tabs as symbols, blank tokens as "␣".
    static QString visibleText(const QString& label);

    // Height of the whole figure at this width with its rows at full height (no scrolling), e.g. to export it
    // unscaled. On screen the rows may be thinner, to fit the view.
    int contentHeight(int width) const;
    QSize sizeHint() const override;

    // For tests and tooltips. Rectangles are in canvas() coordinates (the scrolled drawing surface).
    QWidget* canvas() const;
    QRect chipRect(int position) const;
    int fateShown(int position) const;  // TokenFate drawn at the current layer; kNoFate when out of range
    static constexpr int kNoFate = -2;
    int linkCount() const;       // merges at the current layer (each has an arrow when all are shown)
    int arrowsDrawn() const;     // arrows drawn at the current layer with the current choice
    QRect layerCellRect(int layer, int position) const;  // a cell of the "when each token leaves" grid
    QRect gridLabelRect(int position) const;             // where that column's token text is written
    QString gridLabel(int position) const;               // the (elided) text written there
    QString describeToken(int position) const;

    // The whole figure (title, legend, chips, grid) fitted into size: laid out at that width with the
    // given font, rows stretched when there is room to spare, scaled down when it would be taller.
    void paintFigure(QPainter& painter, const QSizeF& size, const FigureFonts& fonts) const;
    // Format from the extension (.png, .pdf, .svg); returns an error message, empty on success.
    QString exportImage(const QString& path, const FigureSize& size) const;
    QString exportImage(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

Q_SIGNALS:
    void tokenSelected(int position);
    void layerSelected(int layer);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Band {  // a stretch of the grid: columns [first, first + count)
        int first = 0, count = 0;
        QRectF cells;   // the cells: a row per layer
        QRectF labels;  // under them: the token text of each column, written upwards
    };
    struct Geometry {
        QFont font, titleFont, smallFont;
        double width = 0, height = 0;
        QRectF title, subtitle, gridHeading;
        std::vector<QRectF> legend;  // one rectangle per legend entry
        std::vector<QRectF> chips;   // per original position
        double lane = 14;            // height of the arrow lane above each row of chips
        std::vector<Band> bands;
        double cellWidth = 0, rowHeight = 0, gutter = 0;
        bool figure = false;  // an exported figure: no on-screen hints ("click ...") in its text
    };
    // extraHeight: room to spare that the grid's rows may take (figures for export). fitHeight (on screen: the
    // view's height): the grid's rows get thinner, down to a few pixels, so the figure fits it if it can.
    // titleReserve: room at the title line's right end (the check box sits there on screen).
    Geometry layoutFor(double width, const FigureFonts& fonts, double extraHeight = 0, double fitHeight = 0,
                       double titleReserve = 0) const;
    void placeArrowsBox();
    double titleReserve() const;
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
    QString gridFigureHeadingText() const;  // the same without the click hint, for exported figures
    QString gridHeadingToolTip() const;  // the heading said in full
    bool mergeLink(int position, int& destination) const;
    bool arrowShown(int position, int destination) const;
    int chipAt(const QPointF& point, const Geometry& g) const;
    bool gridCellAt(const QPointF& point, const Geometry& g, int& layer, int& position) const;
    QRectF cellRect(const Geometry& g, int layer, int position) const;
    void contentChanged();

    // FigureCanvas::Client
    int canvasHeight(int width) const override;  // as contentHeight, with the grid's rows fitted to the view
    void paintCanvas(QPainter& painter) const override;
    void canvasPressed(const QPointF& point) override;
    QString canvasToolTip(const QPointF& point) const override;

    QCheckBox* allArrows_;
    FigureScrollArea* scroll_ = nullptr;
    TokenTrace trace_;
    QStringList labels_;
    std::vector<int64_t> ids_;
    std::vector<int> leaveLayer_;  // per position: the layer it is merged or pruned at, -1 if it survives
    int layer_ = -1;
    int selected_ = -1;
    bool arrowsChosen_ = false;  // the user set the check box: no automatic choice by length any more
};

}  // namespace ssmlens
