#include "widgets/SimilarityGraph.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLinearGradient>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "widgets/FigurePainting.h"
#include "widgets/TokenFateStyle.h"
#include "widgets/TokenStrip.h"
#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

constexpr double kMargin = 12;
constexpr int kMaxLabelChars = 18;
// Weak edges light grey, strong ones near black: a shade scale any reader can order, which leaves the hues
// to the token fates (blue merged, red pruned) and to the selected token's edges (orange).
QColor shade(double t) { const int v = int(std::lround(205 - 175 * std::clamp(t, 0.0, 1.0))); return QColor(v, v, v); }
QColor mergeColour() { return TokenFateStyle::mergeLinkColor(); }
QColor selectedColour() { return QColor(230, 159, 0); }  // Okabe-Ito orange


}  // namespace

SimilarityGraph::SimilarityGraph(QWidget* parent)
    : QWidget(parent),
      slider_(new QSlider(Qt::Horizontal, this)),
      spin_(new QDoubleSpinBox(this)),
      shown_(new QLabel(this)),
      caption_(new QLabel(this)) {
    // Made here, not in the initialiser list: the canvas asks for its height at once, which reads members
    // declared after scroll_.
    scroll_ = new FigureScrollArea(this, QSize(300, 120), this);
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(8, 4, 8, 4);
    caption_->setBuddy(spin_);
    // The slider covers the usual range 0..1 in steps of 0.01; the box also takes negative cosines.
    slider_->setRange(0, 100);
    spin_->setRange(-1.0, 1.0);
    spin_->setDecimals(2);
    spin_->setSingleStep(0.01);
    controls->addWidget(caption_);
    controls->addWidget(slider_, 1);
    controls->addWidget(spin_);
    controls->addWidget(shown_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(scroll_, 1);
    connect(slider_, &QSlider::valueChanged, this, [this](int v) { thresholdEdited(v / 100.0); });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) { thresholdEdited(v); });
    retranslate();
}

void SimilarityGraph::retranslate() {
    caption_->setText(tr("Minimum cosine:"));
    slider_->setToolTip(tr("Hide edges whose cosine similarity is below this value (merges always stay)"));
    spin_->setToolTip(slider_->toolTip());
    contentChanged();  // the figure's texts are made when painted
}

void SimilarityGraph::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void SimilarityGraph::clear() {
    trace_ = TokenTrace();
    labels_.clear();
    layer_ = -1;
    selected_ = -1;
    rebuildEdges();
}

void SimilarityGraph::setTrace(const TokenTrace& trace, const QStringList& tokenLabels) {
    trace_ = trace;
    labels_ = tokenLabels;
    const size_t L = static_cast<size_t>(trace.length);
    // Arrays that do not match the length would be read out of bounds: show nothing instead.
    for (const LayerTrace& lt : trace.layers)
        if (lt.fate.size() != L || lt.inB.size() != L || lt.match.size() != L || lt.matchCosine.size() != L ||
            lt.destination.size() != L || lt.importance.size() != L) {
            trace_ = TokenTrace();
            break;
        }
    const int layers = static_cast<int>(trace_.layers.size());
    if (layer_ < 0 || layer_ >= layers) {
        layer_ = layers > 0 ? 0 : -1;
        for (int l = 0; l < layers; ++l)
            if (trace_.layers[l].anchor) {
                layer_ = l;
                break;
            }
    }
    if (selected_ >= trace_.length) selected_ = -1;
    rebuildEdges();
}

void SimilarityGraph::setLayer(int layer) {
    if (layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || layer == layer_) return;
    layer_ = layer;
    rebuildEdges();
}

void SimilarityGraph::setThreshold(double minimumCosine) {
    threshold_ = std::clamp(minimumCosine, -1.0, 1.0);
    const QSignalBlocker b1(slider_), b2(spin_);
    slider_->setValue(int(std::lround(std::clamp(threshold_, 0.0, 1.0) * 100)));
    spin_->setValue(threshold_);
    contentChanged();
}

void SimilarityGraph::thresholdEdited(double value) {
    setThreshold(value);
    Q_EMIT thresholdChanged(threshold_);
}

void SimilarityGraph::selectToken(int position) {
    selected_ = nodeSet(position) >= 0 ? position : -1;
    scroll_->canvas()->update();
    if (selected_ >= 0) {
        const QPointF at = nodePosition(selected_);
        scroll_->ensureVisible(int(at.x()), int(at.y()), 0, 40);
    }
}

// Edges: the layer's most similar pairs, each A token's best match in B, and the merges. A pair of tokens is
// drawn once, as the most telling kind it belongs to (merge, then best match, then similar pair).
void SimilarityGraph::rebuildEdges() {
    edges_.clear();
    setA_.clear();
    setB_.clear();
    if (hasGraph()) {
        const LayerTrace& lt = trace_.layers[layer_];
        const int L = static_cast<int>(trace_.length);
        for (int p = 0; p < L; ++p) {
            if (lt.inB[p] == 0) setA_.push_back(p);
            if (lt.inB[p] == 1) setB_.push_back(p);
        }
        auto isNode = [&](int64_t p) { return p >= 0 && p < L && lt.inB[p] >= 0; };
        std::map<std::pair<int, int>, Edge> byPair;
        auto add = [&](int a, int b, float cosine, EdgeKind kind) {
            const std::pair<int, int> key(std::min(a, b), std::max(a, b));
            auto it = byPair.find(key);
            if (it == byPair.end()) {
                byPair[key] = Edge{a, b, cosine, kind};
            } else if (kind > it->second.kind) {
                if (!std::isfinite(cosine)) cosine = it->second.cosine;
                it->second = Edge{a, b, cosine, kind};
            }
        };
        for (const SimilarPair& pr : lt.similarPairs)
            if (isNode(pr.a) && isNode(pr.b) && pr.a != pr.b) add(int(pr.a), int(pr.b), pr.cosine, EdgeKind::SimilarPair);
        for (int p : setA_)
            if (isNode(lt.match[p]) && lt.match[p] != p) add(p, int(lt.match[p]), lt.matchCosine[p], EdgeKind::BestMatch);
        for (int p = 0; p < L; ++p) {
            const int64_t d = lt.destination[p];
            if (lt.fate[p] != FateMerged || !isNode(d) || d == p) continue;
            add(p, int(d), lt.match[p] == d ? lt.matchCosine[p] : std::nanf(""), EdgeKind::Merge);
        }
        for (const auto& kv : byPair) edges_.push_back(kv.second);
    }
    // The shade scale spans the layer's own cosines, so differences within a layer are visible.
    cosineLow_ = 1.0;
    cosineHigh_ = -1.0;
    for (const Edge& e : edges_)
        if (std::isfinite(e.cosine)) {
            cosineLow_ = std::min(cosineLow_, double(e.cosine));
            cosineHigh_ = std::max(cosineHigh_, double(e.cosine));
        }
    if (cosineHigh_ < cosineLow_) cosineLow_ = 0, cosineHigh_ = 1;
    if (cosineHigh_ - cosineLow_ < 0.05) cosineLow_ = cosineHigh_ - 0.05;
    if (nodeSet(selected_) < 0) selected_ = -1;
    contentChanged();
}

void SimilarityGraph::contentChanged() {
    shown_->setText(hasGraph() ? tr("%1 of %2 edges shown").arg(visibleEdgeCount()).arg(edges_.size()) : QString());
    scroll_->contentChanged();
}

// ---- queries ----------------------------------------------------------------------------------------

bool SimilarityGraph::hasGraph() const {
    if (layer_ < 0 || !trace_.layers[layer_].anchor) return false;
    for (int8_t s : trace_.layers[layer_].inB)
        if (s >= 0) return true;
    return false;
}

QString SimilarityGraph::placeholderText() const {
    if (hasGraph()) return {};
    if (layer_ < 0) return tr("No trace yet: run a prompt with a reduction schedule to see which tokens are alike.");
    QStringList anchors;
    for (const LayerTrace& lt : trace_.layers)
        if (lt.anchor) anchors << QString::number(lt.layer);
    if (trace_.layers[layer_].anchor) return tr("Layer %1 has no A/B split to draw.").arg(layer_);
    return tr("Layer %1 does not reduce tokens, so it has no A/B split and no matches to draw.").arg(layer_) + "\n" +
           (anchors.isEmpty() ? tr("This schedule has no anchor layers.")
                              : tr("Anchor layers: %1").arg(anchors.join(", ")));
}

int SimilarityGraph::nodeCount() const { return static_cast<int>(setA_.size() + setB_.size()); }

int SimilarityGraph::nodeSet(int position) const {
    if (!hasGraph() || position < 0 || position >= trace_.length) return -1;
    return trace_.layers[layer_].inB[position];
}

QPointF SimilarityGraph::nodePosition(int position) const {
    if (nodeSet(position) < 0) return {};
    return currentGeometry().nodes[position];
}

bool SimilarityGraph::edgeVisible(const Edge& e) const {
    return e.kind == EdgeKind::Merge || (std::isfinite(e.cosine) && double(e.cosine) >= threshold_ - 1e-6);  // cosines are floats: 0.65f is just below 0.65
}

int SimilarityGraph::visibleEdgeCount() const {
    return static_cast<int>(std::count_if(edges_.begin(), edges_.end(), [this](const Edge& e) { return edgeVisible(e); }));
}

int SimilarityGraph::visibleEdgeCount(EdgeKind kind) const {
    return static_cast<int>(std::count_if(edges_.begin(), edges_.end(),
                                          [&](const Edge& e) { return e.kind == kind && edgeVisible(e); }));
}

QString SimilarityGraph::tokenText(int p) const {
    if (p >= labels_.size()) return QString::number(p);
    QString text = TokenStrip::visibleText(labels_[p]);
    if (text.size() > kMaxLabelChars) text = text.left(kMaxLabelChars - 1) + QChar(0x2026);
    return text;
}

QString SimilarityGraph::describeToken(int p) const {
    const int set = nodeSet(p);
    if (set < 0) return {};
    const LayerTrace& lt = trace_.layers[layer_];
    QString text = p < labels_.size() ? tr("token %1 \"%2\"").arg(p).arg(TokenStrip::visibleText(labels_[p]))
                                      : tr("token %1").arg(p);
    text += "\n" + (set == 0 ? tr("set A (candidate)") : tr("set B (destination)")) + ", " + TokenFateStyle::name(lt.fate[p]);
    if (lt.fate[p] == FateMerged && lt.destination[p] >= 0) text += " " + tr("into token %1").arg(lt.destination[p]);
    if (std::isfinite(lt.importance[p])) text += "\n" + tr("importance %1").arg(QLocale().toString(lt.importance[p], 'g', 4));
    if (lt.match[p] >= 0 && std::isfinite(lt.matchCosine[p]))
        text += "\n" + tr("best match: token %1, cosine %2").arg(lt.match[p]).arg(QLocale().toString(lt.matchCosine[p], 'f', 3));
    return text;
}

QString SimilarityGraph::describeEdge(const Edge& e) const {
    auto name = [this](int p) {
        return p < labels_.size() ? tr("token %1 \"%2\"").arg(p).arg(TokenStrip::visibleText(labels_[p])) : tr("token %1").arg(p);
    };
    const QString kind = e.kind == EdgeKind::Merge       ? tr("merged")
                         : e.kind == EdgeKind::BestMatch ? tr("best match")
                                                         : tr("similar pair");
    QString text = tr("%1 and %2: %3").arg(name(e.a), name(e.b), kind);
    if (std::isfinite(e.cosine)) text += ", " + tr("cosine %1").arg(QLocale().toString(e.cosine, 'f', 3));
    return text;
}

double SimilarityGraph::cosineFraction(float cosine) const {
    if (!std::isfinite(cosine)) return 0.5;
    return std::clamp((cosine - cosineLow_) / (cosineHigh_ - cosineLow_), 0.0, 1.0);
}

// ---- geometry ---------------------------------------------------------------------------------------

int SimilarityGraph::contentHeight(int width) const {
    return static_cast<int>(std::ceil(layoutFor(std::max(width, 300), FigureFonts::forWidget(font())).height));
}

QSize SimilarityGraph::sizeHint() const { return QSize(700, std::min(contentHeight(700), 560) + 40); }

QWidget* SimilarityGraph::canvas() const { return scroll_->canvas(); }

SimilarityGraph::Geometry SimilarityGraph::currentGeometry() const {
    return layoutFor(std::max(scroll_->canvas()->width(), 300), FigureFonts::forWidget(font()));
}

QString SimilarityGraph::titleText() const {
    return layer_ < 0 ? tr("Token similarity") : tr("Token similarity at layer %1").arg(layer_);
}

QString SimilarityGraph::subtitleText() const {
    if (!hasGraph()) return {};
    const LayerTrace& lt = trace_.layers[layer_];
    const int merged = int(std::count(lt.fate.begin(), lt.fate.end(), int8_t(FateMerged)));
    const int pruned = int(std::count(lt.fate.begin(), lt.fate.end(), int8_t(FatePruned)));
    const QString text =
        tr("The reduction step splits the %1 tokens into candidates (A) and destinations (B); each A token is matched "
           "to its most similar B token. %2 merged, %3 pruned. Shown: edges with cosine at least %4 (%5 of %6); "
           "merges always.")
            .arg(nodeCount()).arg(merged).arg(pruned).arg(QLocale().toString(threshold_, 'f', 2)).arg(visibleEdgeCount()).arg(edges_.size());
    // The similarities drawn played no part in such a step: say so before anything else.
    return lt.contentIndependent ? TokenFateStyle::contentIndependentNote() + " " + text : text;
}

QStringList SimilarityGraph::legendTexts() const {
    return {TokenFateStyle::name(FateKept), TokenFateStyle::name(FateMerged), TokenFateStyle::name(FatePruned), tr("merged into (arrow)"),
            tr("best match of an A token"), tr("similar pair"), tr("edges of the selected token")};
}

SimilarityGraph::Geometry SimilarityGraph::layoutFor(double width, const FigureFonts& fonts, double extraHeight) const {
    Geometry g;
    g.width = width;
    g.font = fonts.text;
    g.titleFont = fonts.title;
    g.smallFont = fonts.small;
    const QFontMetricsF fm(g.font), ft(g.titleFont), fs(g.smallFont);
    const double inner = std::max(60.0, width - 2 * kMargin);
    g.nodes.assign(static_cast<size_t>(std::max<int64_t>(trace_.length, 0)), QPointF());

    double y = kMargin;
    g.title = QRectF(kMargin, y, inner, ft.height());
    y += ft.height() + 4;
    if (!hasGraph()) {
        const QRectF r = fm.boundingRect(QRectF(0, 0, inner - 40, 1e6), Qt::TextWordWrap | Qt::AlignCenter, placeholderText());
        g.placeholder = QRectF(kMargin, y + 8, inner, r.height() + 60);
        g.height = g.placeholder.bottom() + kMargin;
        return g;
    }
    const QRectF sub = fm.boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, subtitleText());
    g.subtitle = QRectF(kMargin, y, inner, sub.height());
    y += sub.height() + 8;

    // Legend entries flow into rows; the cosine scale takes the last place.
    const double swatchW = 30, rowH = fm.height() + 6;
    double x = kMargin;
    auto place = [&](double w) {
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            y += rowH;
        }
        const QRectF r(x, y, w, rowH);
        x += w + 18;
        return r;
    };
    for (const QString& text : legendTexts()) g.legend.push_back(place(swatchW + 6 + fm.horizontalAdvance(text)));
    const QString low = QLocale().toString(cosineLow_, 'f', 2), high = QLocale().toString(cosineHigh_, 'f', 2);
    g.colourBar = place(fm.horizontalAdvance(tr("cosine")) + fm.horizontalAdvance(low) + fm.horizontalAdvance(high) + 140);
    y += rowH + 12;

    // Two columns: A on the left with labels to its left, B on the right with labels to its right.
    QFont headerFont = g.font;
    headerFont.setBold(true);
    const QFontMetricsF fh(headerFont);
    const QString headA = tr("A: candidates (%1)").arg(setA_.size()), headB = tr("B: destinations (%1)").arg(setB_.size());
    double labelW = 0;
    for (int p : setA_) labelW = std::max(labelW, fm.horizontalAdvance(tokenText(p)) + fs.horizontalAdvance(QString::number(p)) + 8);
    for (int p : setB_) labelW = std::max(labelW, fm.horizontalAdvance(tokenText(p)) + fs.horizontalAdvance(QString::number(p)) + 8);
    labelW = std::max(labelW, std::max(fh.horizontalAdvance(headA), fh.horizontalAdvance(headB)) - 2 * g.radius - 8);
    labelW = std::min(labelW, inner * 0.3);  // the middle keeps at least 40% of the width for the edges
    g.labelWidth = labelW;
    // Beyond about 520 px between the columns the edges only get flatter: centre a narrower block instead.
    const double side = labelW + 8 + g.radius, gap = std::min(inner - 2 * side, 520.0);
    const double left = kMargin + (inner - 2 * side - gap) / 2;
    g.columnA = left + side;
    g.columnB = g.columnA + gap;
    g.headerA = QRectF(left, y, g.columnA + g.radius - left, fh.height());
    g.headerB = QRectF(g.columnB - g.radius, y, side + g.radius, fh.height());
    y += fh.height() + 8;

    g.rowHeight = std::max(fm.height() + 6, 2 * g.radius + 8);
    const size_t rows = std::max(setA_.size(), setB_.size());
    // Room to spare (an export taller than the graph): the rows take it, up to twice their height.
    if (extraHeight > 0 && rows > 0) g.rowHeight += std::min(g.rowHeight, extraHeight / rows);
    // The shorter column is centred against the longer one, so the edges between them fan out evenly.
    const double offA = (rows - setA_.size()) * g.rowHeight / 2, offB = (rows - setB_.size()) * g.rowHeight / 2;
    for (size_t i = 0; i < setA_.size(); ++i) g.nodes[setA_[i]] = QPointF(g.columnA, y + offA + (i + 0.5) * g.rowHeight);
    for (size_t i = 0; i < setB_.size(); ++i) g.nodes[setB_[i]] = QPointF(g.columnB, y + offB + (i + 0.5) * g.rowHeight);
    g.height = y + rows * g.rowHeight + kMargin;
    return g;
}

QPainterPath SimilarityGraph::edgePath(const Edge& e, const Geometry& g) const {
    const QPointF a = g.nodes[e.a], b = g.nodes[e.b];
    QPainterPath path(a);
    if (std::abs(a.x() - b.x()) > 1) {
        // Across the split: a straight line from rim to rim.
        QPointF d = b - a;
        d /= std::hypot(d.x(), d.y());
        path = QPainterPath(a + d * g.radius);
        path.lineTo(b - d * (g.radius + 1));
        return path;
    }
    // Within one column: an arc bulging into the space between the columns.
    const double gap = g.columnB - g.columnA;
    const double bulge = std::min(gap * 0.3, 12 + std::abs(b.y() - a.y()) * 0.3) * (nodeSet(e.a) == 0 ? 1 : -1);
    path = QPainterPath(a + QPointF(bulge > 0 ? g.radius : -g.radius, 0));
    path.cubicTo(a + QPointF(bulge, 0), b + QPointF(bulge, 0), b + QPointF(bulge > 0 ? g.radius + 1 : -g.radius - 1, 0));
    return path;
}

int SimilarityGraph::nodeAt(const QPointF& point, const Geometry& g) const {
    // A node answers to its circle, its row's height, and its label.
    for (int p = 0; p < static_cast<int>(g.nodes.size()); ++p) {
        if (g.nodes[p].isNull()) continue;
        const QPointF c = g.nodes[p];
        if (std::abs(point.y() - c.y()) > g.rowHeight / 2) continue;
        const bool left = nodeSet(p) == 0;
        const double from = left ? c.x() - g.radius - 8 - g.labelWidth : c.x() - g.radius - 3;
        const double to = left ? c.x() + g.radius + 3 : c.x() + g.radius + 8 + g.labelWidth;
        if (point.x() >= from && point.x() <= to) return p;
    }
    return -1;
}

int SimilarityGraph::edgeAt(const QPointF& point, const Geometry& g) const {
    int best = -1;
    double bestDistance = 5.0;
    for (int i = 0; i < static_cast<int>(edges_.size()); ++i) {
        if (!edgeVisible(edges_[i])) continue;
        const QPainterPath path = edgePath(edges_[i], g);
        if (!path.controlPointRect().adjusted(-5, -5, 5, 5).contains(point)) continue;
        for (int k = 0; k <= 40; ++k) {
            const QPointF q = path.pointAtPercent(k / 40.0);
            const double d = std::hypot(q.x() - point.x(), q.y() - point.y());
            if (d < bestDistance) bestDistance = d, best = i;
        }
    }
    return best;
}

// ---- painting ---------------------------------------------------------------------------------------

void SimilarityGraph::paintFigure(QPainter& painter, const QSizeF& size, const FigureFonts& font) const {
    // As TokenStrip::paintFigure: spare height to the rows, a figure too tall scaled down until it fits.
    double scale = 1.0;
    Geometry g = layoutFor(size.width(), font);
    if (g.height < size.height()) g = layoutFor(size.width(), font, size.height() - g.height);
    while (g.height * scale > size.height() && scale > 0.25) {
        scale *= 0.92;
        g = layoutFor(size.width() / scale, font);
    }
    painter.save();
    painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    painter.scale(scale, scale);
    paintContent(painter, g);
    painter.restore();
}

QString SimilarityGraph::exportImage(const QString& path, const FigureSize& size) const {
    const FigureFonts font = FigureFonts::forPoints(this->font(), size.fontPt);
    return exportPainting([&](QPainter& p, const QSizeF& canvas) { paintFigure(p, canvas, font); }, path, size);
}

QString SimilarityGraph::exportImage(const QString& path, int widthPx, int heightPx, double dpi) const {
    FigureSize size;
    size.widthPx = widthPx;
    size.heightPx = heightPx;
    size.dpi = dpi;
    return exportImage(path, size);
}

void SimilarityGraph::paintCanvas(QPainter& painter) const { paintContent(painter, currentGeometry()); }

void SimilarityGraph::canvasPressed(const QPointF& point) {
    const int position = nodeAt(point, currentGeometry());
    selectToken(position);
    if (position >= 0) Q_EMIT tokenSelected(position);
}

QString SimilarityGraph::canvasToolTip(const QPointF& point) const {
    const Geometry g = currentGeometry();
    const int node = nodeAt(point, g);
    if (node >= 0) return describeToken(node);
    const int edge = edgeAt(point, g);
    return edge >= 0 ? describeEdge(edges_[edge]) : QString();
}

void SimilarityGraph::paintContent(QPainter& p, const Geometry& g) const {
    p.save();
    p.setPen(Qt::black);
    p.setFont(g.titleFont);
    p.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter, titleText());
    p.setFont(g.font);
    if (!hasGraph()) {
        p.setPen(QPen(QColor(170, 170, 170), 1, Qt::DashLine));
        p.setBrush(QColor(248, 248, 248));
        p.drawRoundedRect(g.placeholder, 6, 6);
        p.setPen(QColor(70, 70, 70));
        p.drawText(g.placeholder.adjusted(20, 0, -20, 0), Qt::AlignCenter | Qt::TextWordWrap, placeholderText());
        p.restore();
        return;
    }
    p.setPen(QColor(60, 60, 60));
    p.drawText(g.subtitle, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, subtitleText());
    paintLegend(p, g);

    QFont headerFont = g.font;
    headerFont.setBold(true);
    p.setFont(headerFont);
    p.setPen(Qt::black);
    p.drawText(g.headerA, Qt::AlignRight | Qt::AlignVCenter, tr("A: candidates (%1)").arg(setA_.size()));
    p.drawText(g.headerB, Qt::AlignLeft | Qt::AlignVCenter, tr("B: destinations (%1)").arg(setB_.size()));
    paintEdges(p, g);
    paintNodes(p, g);
    p.restore();
}

void SimilarityGraph::paintLegend(QPainter& p, const Geometry& g) const {
    const QStringList texts = legendTexts();
    p.setFont(g.font);
    for (int i = 0; i < static_cast<int>(g.legend.size()); ++i) {
        const QRectF r = g.legend[i];
        const QPointF c(r.left() + 15, r.center().y());
        if (i < 3) {
            p.setPen(QPen(TokenFateStyle::outlineColor(i), 1));
            p.setBrush(TokenFateStyle::fillColor(i));
            p.drawEllipse(c, g.radius, g.radius);
        } else {
            const QPointF from(r.left() + 2, c.y()), to(r.left() + 28, c.y());
            QPen pen(i == 3 ? mergeColour() : i == 6 ? selectedColour() : shade(0.7), i == 3 ? 2.5 : 2.0);
            if (i == 5) pen.setStyle(Qt::DashLine);
            p.setPen(pen);
            p.drawLine(from, i == 3 ? to - QPointF(5, 0) : to);
            if (i == 3) {
                p.setPen(Qt::NoPen);
                p.setBrush(mergeColour());
                drawArrowHead(p, to, from, 8);
            }
        }
        p.setPen(Qt::black);
        p.drawText(QRectF(r.left() + 36, r.top(), r.width() - 36, r.height()), Qt::AlignLeft | Qt::AlignVCenter, texts[i]);
    }
    // The cosine scale: the caption, the weakest value, a shade bar that also widens, the strongest value.
    const QFontMetricsF fm(g.font);
    const QRectF r = g.colourBar;
    const QString caption = tr("cosine"), low = QLocale().toString(cosineLow_, 'f', 2), high = QLocale().toString(cosineHigh_, 'f', 2);
    double x = r.left();
    p.drawText(QRectF(x, r.top(), fm.horizontalAdvance(caption), r.height()), Qt::AlignVCenter, caption);
    x += fm.horizontalAdvance(caption) + 8;
    p.drawText(QRectF(x, r.top(), fm.horizontalAdvance(low), r.height()), Qt::AlignVCenter, low);
    x += fm.horizontalAdvance(low) + 6;
    const double barW = 110, cy = r.center().y();
    QPolygonF wedge({QPointF(x, cy - 1), QPointF(x + barW, cy - 4), QPointF(x + barW, cy + 4), QPointF(x, cy + 1)});
    QLinearGradient gradient(x, 0, x + barW, 0);
    gradient.setColorAt(0, shade(0));
    gradient.setColorAt(1, shade(1));
    p.setPen(Qt::NoPen);
    p.setBrush(gradient);
    p.drawPolygon(wedge);
    x += barW + 6;
    p.setPen(Qt::black);
    p.drawText(QRectF(x, r.top(), fm.horizontalAdvance(high) + 2, r.height()), Qt::AlignVCenter, high);
}

void SimilarityGraph::paintEdges(QPainter& p, const Geometry& g) const {
    auto touchesSelected = [this](const Edge& e) { return selected_ >= 0 && (e.a == selected_ || e.b == selected_); };
    // Weak edges first so strong ones lie on top; the selected token's edges last of all.
    std::vector<const Edge*> order;
    for (const Edge& e : edges_)
        if (edgeVisible(e)) order.push_back(&e);
    std::stable_sort(order.begin(), order.end(), [&](const Edge* x, const Edge* y) {
        const auto rank = [&](const Edge* e) { return std::make_tuple(touchesSelected(*e), e->kind == EdgeKind::Merge, cosineFraction(e->cosine)); };
        return rank(x) < rank(y);
    });
    for (const Edge* e : order) {
        const double t = cosineFraction(e->cosine);
        const bool merge = e->kind == EdgeKind::Merge, highlighted = touchesSelected(*e);
        QColor colour = merge ? mergeColour() : shade(t);
        if (highlighted) colour = selectedColour();
        else if (selected_ >= 0) colour.setAlpha(90);  // the rest steps back while a token is selected
        QPen pen(colour, (merge ? 1.6 : 0.8) + 2.2 * t + (highlighted ? 1.0 : 0.0));
        if (e->kind == EdgeKind::SimilarPair) pen.setStyle(Qt::DashLine);
        QPainterPath path = edgePath(*e, g);
        const QPointF tip = path.currentPosition();
        QPointF along = tip - path.pointAtPercent(0.95);
        along /= std::max(1e-6, std::hypot(along.x(), along.y()));
        if (merge && path.elementCount() == 2) {
            // Stop the line short of the arrowhead, so a wide pen does not blunt its point.
            const QPointF start = path.elementAt(0);
            path = QPainterPath(start);
            path.lineTo(tip - along * 7);
        }
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (merge) {
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            drawArrowHead(p, tip, tip - along * 10, 10);
        }
    }
}

void SimilarityGraph::paintNodes(QPainter& p, const Geometry& g) const {
    const QFontMetricsF fm(g.font), fs(g.smallFont);
    const LayerTrace& lt = trace_.layers[layer_];
    for (int pos = 0; pos < static_cast<int>(g.nodes.size()); ++pos) {
        if (g.nodes[pos].isNull()) continue;
        const QPointF c = g.nodes[pos];
        const int fate = lt.fate[pos] == FateGone ? FateKept : lt.fate[pos];  // nodes are the tokens present
        p.setPen(QPen(TokenFateStyle::outlineColor(fate), 1));
        p.setBrush(TokenFateStyle::fillColor(fate));
        p.drawEllipse(c, g.radius, g.radius);
        if (pos == selected_) {
            p.setPen(QPen(Qt::black, 2));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(c, g.radius + 4, g.radius + 4);
        }
        // Label: the position in small grey type beside the node, the token's text further out.
        const bool left = lt.inB[pos] == 0;
        const QString number = QString::number(pos);
        const double numberW = fs.horizontalAdvance(number);
        const double textW = std::max(0.0, g.labelWidth - numberW - 8);
        const QString text = fm.elidedText(tokenText(pos), Qt::ElideRight, textW);
        const double rowTop = c.y() - g.rowHeight / 2;
        QFont f = g.font;
        f.setBold(pos == selected_);
        if (left) {
            const double numberRight = c.x() - g.radius - 6;
            p.setFont(g.smallFont);
            p.setPen(QColor(110, 110, 110));
            p.drawText(QRectF(numberRight - numberW, rowTop, numberW + 1, g.rowHeight), Qt::AlignRight | Qt::AlignVCenter, number);
            p.setFont(f);
            p.setPen(Qt::black);
            p.drawText(QRectF(numberRight - numberW - 6 - textW, rowTop, textW, g.rowHeight), Qt::AlignRight | Qt::AlignVCenter, text);
        } else {
            const double numberLeft = c.x() + g.radius + 6;
            p.setFont(g.smallFont);
            p.setPen(QColor(110, 110, 110));
            p.drawText(QRectF(numberLeft, rowTop, numberW + 1, g.rowHeight), Qt::AlignLeft | Qt::AlignVCenter, number);
            p.setFont(f);
            p.setPen(Qt::black);
            p.drawText(QRectF(numberLeft + numberW + 6, rowTop, textW, g.rowHeight), Qt::AlignLeft | Qt::AlignVCenter, text);
        }
    }
}

}  // namespace ssmlens
