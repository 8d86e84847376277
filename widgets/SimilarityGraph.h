#pragma once
// SimilarityGraph: at one anchor layer, the tokens present as nodes in two columns, the A/B split of the
// reduction step (A: candidates that may be removed, B: destinations), each in prompt order. Edges join
// each A token to its best match in B, and the most similar pairs of the layer; merges are drawn as blue
// arrows into their destination. Edge shade and width follow the cosine; a minimum-cosine filter hides weak
// edges (merges always stay). Non-anchor layers show a placeholder. Exports to PNG, PDF or SVG.
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/reduction/TokenTrace.h"
#include "widgets/FigureCanvas.h"

class QDoubleSpinBox;
class QLabel;
class QPainterPath;
class QSlider;

namespace ssmlens {

struct FigureFonts;
struct FigureSize;

class SimilarityGraph : public QWidget, private FigureCanvas::Client {
    Q_OBJECT
public:
    enum class EdgeKind { SimilarPair, BestMatch, Merge };
    struct Edge {
        int a = 0, b = 0;  // original positions; for BestMatch and Merge a is the A token, b its partner in B
        float cosine = 0;  // NaN when the trace has no cosine for a merge
        EdgeKind kind = EdgeKind::SimilarPair;
    };

    explicit SimilarityGraph(QWidget* parent = nullptr);

    // tokenLabels: text of each original token (may be empty: positions are shown). Keeps the layer shown
    // when it still exists, else shows the first anchor.
    void setTrace(const TokenTrace& trace, const QStringList& tokenLabels);
    void clear();
    // Programmatic changes emit nothing; clicks emit tokenSelected, edits of the controls thresholdChanged.
    void setLayer(int layer);
    int layer() const { return layer_; }
    void setThreshold(double minimumCosine);  // clamped to [-1, 1]
    double threshold() const { return threshold_; }
    void selectToken(int position);  // -1: none
    int selectedToken() const { return selected_; }

    int contentHeight(int width) const;  // the whole figure at this width, without scrolling
    QSize sizeHint() const override;

    // For tests and tooltips. Positions are in canvas() coordinates (the scrolled drawing surface).
    QWidget* canvas() const;
    QDoubleSpinBox* thresholdBox() const { return spin_; }
    QSlider* thresholdSlider() const { return slider_; }
    bool hasGraph() const;             // the layer is an anchor with an A/B split
    QString placeholderText() const;   // what is shown instead of a graph; empty when there is one
    int nodeCount() const;
    QPointF nodePosition(int position) const;  // null QPointF when the token is not a node here
    int nodeSet(int position) const;           // 0 A, 1 B, -1 not a node at this layer
    const std::vector<Edge>& edges() const { return edges_; }  // every edge of the layer, shown or not
    bool edgeVisible(const Edge& edge) const;
    int visibleEdgeCount() const;
    int visibleEdgeCount(EdgeKind kind) const;
    QString describeToken(int position) const;
    QString describeEdge(const Edge& edge) const;

    // The whole figure (title, legend, colour scale, graph) fitted into size (canvas units, WidgetExport.h).
    void paintFigure(QPainter& painter, const QSizeF& size, const FigureFonts& fonts) const;
    // Format from the extension (.png, .pdf, .svg); returns an error message, empty on success.
    QString exportImage(const QString& path, const FigureSize& size) const;
    QString exportImage(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

Q_SIGNALS:
    void tokenSelected(int position);
    void thresholdChanged(double minimumCosine);

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Geometry {
        QFont font, titleFont, smallFont;
        double width = 0, height = 0;
        QRectF title, subtitle, placeholder, colourBar, headerA, headerB;
        std::vector<QRectF> legend;
        std::vector<QPointF> nodes;  // per original position; null when not a node
        double columnA = 0, columnB = 0, labelWidth = 0, rowHeight = 0, radius = 5;
    };
    // extraHeight: room to spare that the rows may take (figures for export).
    Geometry layoutFor(double width, const FigureFonts& fonts, double extraHeight = 0) const;
    Geometry currentGeometry() const;
    void paintContent(QPainter& painter, const Geometry& g) const;
    void paintEdges(QPainter& painter, const Geometry& g) const;
    void paintNodes(QPainter& painter, const Geometry& g) const;
    void paintLegend(QPainter& painter, const Geometry& g) const;
    QPainterPath edgePath(const Edge& edge, const Geometry& g) const;
    QString titleText() const;
    QString subtitleText() const;
    QStringList legendTexts() const;
    QString tokenText(int position) const;
    double cosineFraction(float cosine) const;  // 0 weakest .. 1 strongest edge of the layer
    int nodeAt(const QPointF& point, const Geometry& g) const;
    int edgeAt(const QPointF& point, const Geometry& g) const;
    void rebuildEdges();
    void contentChanged();
    void thresholdEdited(double value);
    void retranslate();

    // FigureCanvas::Client
    int canvasHeight(int width) const override { return contentHeight(width); }
    void paintCanvas(QPainter& painter) const override;
    void canvasPressed(const QPointF& point) override;
    QString canvasToolTip(const QPointF& point) const override;

    FigureScrollArea* scroll_ = nullptr;
    QSlider* slider_;
    QDoubleSpinBox* spin_;
    QLabel* shown_;
    QLabel* caption_;
    TokenTrace trace_;
    QStringList labels_;
    std::vector<Edge> edges_;
    std::vector<int> setA_, setB_;  // original positions of the two columns, in prompt order
    double cosineLow_ = 0, cosineHigh_ = 1;
    double threshold_ = 0;
    int layer_ = -1;
    int selected_ = -1;
};

}  // namespace ssmlens
