#include "widgets/TokenStrip.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

constexpr double kMargin = 12;
constexpr double kChipGap = 6;      // between chips of a row
constexpr int kMaxChipChars = 16;   // longer tokens are elided (the tooltip has the whole text)

QColor textColorOn(int fate) { return fate == 2 ? QColor(Qt::white) : fate < 0 ? QColor(140, 140, 140) : QColor(Qt::black); }
QColor linkColor() { return TokenStrip::fateColor(1).darker(150); }

void drawArrowHead(QPainter& p, const QPointF& tip, const QPointF& from, double size) {
    QPointF d = tip - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-6) d = QPointF(0, 1); else d /= len;
    const QPointF n(-d.y(), d.x());
    const QPointF base = tip - d * size;
    p.drawPolygon(QPolygonF({tip, base + n * size * 0.5, base - n * size * 0.5}));
}

}  // namespace

// The drawing surface inside the scroll area: its height follows its width (chips wrap), and it hands
// painting, clicks and tooltips back to the TokenStrip that owns the data.
class TokenStripCanvas : public QWidget {
public:
    explicit TokenStripCanvas(TokenStrip* owner) : QWidget(owner), owner_(owner) {
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
        setMouseTracking(true);
    }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return owner_->contentHeight(w); }
    QSize sizeHint() const override { return QSize(640, owner_->contentHeight(640)); }
    QSize minimumSizeHint() const override { return QSize(200, 80); }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.fillRect(rect(), Qt::white);
        owner_->paintContent(p, owner_->currentGeometry());
    }
    void mousePressEvent(QMouseEvent* e) override {
        if (e->button() == Qt::LeftButton) owner_->canvasClicked(e->position());
    }
    bool event(QEvent* e) override {
        if (e->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(e);
            const TokenStrip::Geometry g = owner_->currentGeometry();
            int layer = 0, position = owner_->chipAt(help->pos(), g);
            QString text;
            if (position >= 0) {
                text = owner_->describeToken(position);
            } else if (owner_->gridCellAt(help->pos(), g, layer, position)) {
                const int8_t fate = owner_->trace_.layers[layer].fate[position];
                text = TokenStrip::tr("layer %1, %2: %3").arg(layer).arg(owner_->tokenName(position), TokenStrip::fateName(fate));
            }
            if (text.isEmpty()) QToolTip::hideText(); else QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
        return QWidget::event(e);
    }

private:
    TokenStrip* owner_;
};

TokenStrip::TokenStrip(QWidget* parent)
    : QWidget(parent), scroll_(new QScrollArea(this)), canvas_(new TokenStripCanvas(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll_);
    scroll_->setWidgetResizable(true);  // width follows the view, height follows heightForWidth
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setWidget(canvas_);
    scroll_->setBackgroundRole(QPalette::Base);
}

QColor TokenStrip::fateColor(int fate) {
    // Sky blue and red as ImportanceHeatmap's merged and pruned markers: told apart with every common
    // colour-vision deficiency; kept is a neutral grey, gone is blank.
    switch (fate) {
        case 0: return QColor(226, 226, 226);
        case 1: return QColor(80, 170, 255);
        case 2: return QColor(230, 30, 30);
        default: return QColor(Qt::white);
    }
}

QString TokenStrip::fateName(int fate) {
    switch (fate) {
        case 0: return tr("kept");
        case 1: return tr("merged");
        case 2: return tr("pruned");
        default: return tr("gone (removed earlier)");
    }
}

QString TokenStrip::visibleText(const QString& label) {
    QString text = label;
    text.replace(QChar('\r'), QString());
    text.replace(QChar('\n'), QChar(0x21B5));  // ↵
    text.replace(QChar('\t'), QChar(0x21E5));  // ⇥
    if (text.trimmed().isEmpty()) return QString(std::max<qsizetype>(1, text.size()), QChar(0x2423));  // ␣
    return text.trimmed();
}

void TokenStrip::clear() {
    trace_ = TokenTrace();
    labels_.clear();
    ids_.clear();
    leaveLayer_.clear();
    layer_ = -1;
    selected_ = -1;
    contentChanged();
}

void TokenStrip::setTrace(const TokenTrace& trace, const QStringList& tokenLabels, const std::vector<int64_t>& tokenIds) {
    trace_ = trace;
    labels_ = tokenLabels;
    ids_ = tokenIds;
    const int L = static_cast<int>(trace.length), layers = static_cast<int>(trace.layers.size());
    // A trace whose arrays do not match its length would be read out of bounds: show nothing instead.
    for (const LayerTrace& lt : trace.layers)
        if (static_cast<int>(lt.fate.size()) != L || static_cast<int>(lt.destination.size()) != L ||
            static_cast<int>(lt.importance.size()) != L) {
            trace_ = TokenTrace();
            break;
        }
    leaveLayer_.assign(static_cast<size_t>(trace_.length), -1);
    for (int l = 0; l < static_cast<int>(trace_.layers.size()); ++l)
        for (int p = 0; p < trace_.length; ++p)
            if (leaveLayer_[p] < 0 && (trace_.layers[l].fate[p] == 1 || trace_.layers[l].fate[p] == 2)) leaveLayer_[p] = l;
    if (layer_ < 0 || layer_ >= layers) {
        layer_ = layers > 0 ? 0 : -1;
        for (int l = 0; l < layers; ++l)
            if (trace_.layers[l].anchor) {
                layer_ = l;
                break;
            }
    }
    if (selected_ >= trace_.length) selected_ = -1;
    contentChanged();
}

void TokenStrip::setLayer(int layer) {
    if (layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || layer == layer_) return;
    layer_ = layer;
    contentChanged();
}

void TokenStrip::selectToken(int position) {
    selected_ = position >= 0 && position < trace_.length ? position : -1;
    canvas_->update();
    if (selected_ >= 0) {
        const QRect r = chipRect(selected_);
        scroll_->ensureVisible(r.center().x(), r.center().y(), 0, r.height());
    }
}

void TokenStrip::contentChanged() {
    canvas_->updateGeometry();
    // The scroll area sizes its widget on resize only: ask it again for the new height at this width.
    const int w = scroll_->viewport()->width();
    if (w > 0) canvas_->resize(w, std::max(contentHeight(w), scroll_->viewport()->height()));
    canvas_->update();
}

QSize TokenStrip::sizeHint() const { return QSize(640, std::min(contentHeight(640), 520)); }

QWidget* TokenStrip::canvas() const { return canvas_; }

int TokenStrip::contentHeight(int width) const {
    return static_cast<int>(std::ceil(layoutFor(std::max(width, 120), pixelSizedFont(font())).height));
}

TokenStrip::Geometry TokenStrip::currentGeometry() const {
    return layoutFor(std::max(canvas_->width(), 120), pixelSizedFont(font()));
}

// ---- text -------------------------------------------------------------------------------------------

QString TokenStrip::chipText(int p) const {
    if (p >= labels_.size()) return QString::number(p);
    QString text = visibleText(labels_[p]);
    if (text.size() > kMaxChipChars) text = text.left(kMaxChipChars - 1) + QChar(0x2026);
    return text;
}

QString TokenStrip::tokenName(int p) const {
    if (p < labels_.size()) return tr("token %1 \"%2\"").arg(p).arg(visibleText(labels_[p]));
    return tr("token %1").arg(p);
}

QString TokenStrip::titleText() const {
    if (layer_ < 0) return tr("Token fates");
    return tr("Token fates at layer %1").arg(layer_);
}

QString TokenStrip::subtitleText() const {
    if (layer_ < 0) return tr("No trace yet: run a prompt with a reduction schedule to see what happens to each token.");
    const LayerTrace& lt = trace_.layers[layer_];
    int present = 0, merged = 0, pruned = 0;
    for (int8_t f : lt.fate) {
        present += f >= 0;
        merged += f == 1;
        pruned += f == 2;
    }
    const int gone = static_cast<int>(trace_.length) - present;
    if (!lt.anchor)
        return tr("Layer %1 does not reduce tokens: %2 tokens pass through; %3 of the prompt's %4 tokens left at earlier layers.")
            .arg(layer_).arg(present).arg(gone).arg(trace_.length);
    const QString text = tr("Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned. Arrows point "
                            "from each merged token to the token it joined.")
                             .arg(lt.keepRatio, 0, 'f', 3).arg(lt.tokensIn).arg(lt.tokensOut).arg(merged).arg(pruned);
    return lt.contentIndependent ? contentIndependentNote() + " " + text : text;
}

QString TokenStrip::contentIndependentNote() {
    return tr("◆ Content-independent anchor: the method chose which tokens go, and where, by position alone.");
}

QStringList TokenStrip::legendTexts() const {
    return {fateName(0), tr("kept, receives merged tokens"), tr("merged (arrow: into which token)"), fateName(2),
            fateName(-1)};
}

QString TokenStrip::gridHeadingText() const {
    return tr("When each token leaves: a row per layer (top to bottom), a column per prompt token. "
              "Anchor layers in bold; click a row to show that layer.");
}

QString TokenStrip::describeToken(int p) const {
    if (p < 0 || p >= trace_.length || layer_ < 0) return {};
    const LayerTrace& lt = trace_.layers[layer_];
    QString text = tokenName(p);
    if (p < static_cast<int>(ids_.size())) text += " " + tr("(id %1)").arg(ids_[p]);
    text += "\n" + tr("layer %1: %2").arg(layer_).arg(fateName(lt.fate[p]));
    int destination = -1;
    if (mergeLink(p, destination)) {
        text += " " + tr("into %1").arg(tokenName(destination));
        if (p < static_cast<int>(lt.mergedFraction.size()) && std::isfinite(lt.mergedFraction[p]))
            text += " " + tr("(%1% of channels)").arg(100.0 * lt.mergedFraction[p], 0, 'f', 0);
    }
    QStringList sources;
    for (int q = 0; q < trace_.length; ++q)
        if (mergeLink(q, destination) && destination == p) sources << QString::number(q);
    if (!sources.isEmpty()) text += "\n" + tr("receives tokens %1").arg(sources.join(", "));
    if (std::isfinite(lt.importance[p])) text += "\n" + tr("importance %1").arg(lt.importance[p], 0, 'g', 4);
    if (leaveLayer_[p] >= 0)
        text += "\n" + tr("%1 at layer %2").arg(fateName(trace_.layers[leaveLayer_[p]].fate[p])).arg(leaveLayer_[p]);
    else
        text += "\n" + tr("reaches the output");
    return text;
}

// ---- geometry ---------------------------------------------------------------------------------------

bool TokenStrip::mergeLink(int p, int& destination) const {
    if (layer_ < 0 || p < 0 || p >= trace_.length) return false;
    const LayerTrace& lt = trace_.layers[layer_];
    destination = static_cast<int>(lt.destination[p]);
    return lt.fate[p] == 1 && destination >= 0 && destination < trace_.length && destination != p;
}

TokenStrip::Geometry TokenStrip::layoutFor(double width, const QFont& font) const {
    Geometry g;
    g.width = width;
    g.font = font;
    g.titleFont = font;
    g.titleFont.setBold(true);
    g.titleFont.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * 1.25))));
    g.smallFont = font;
    g.smallFont.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * 0.85))));
    const QFontMetricsF fm(g.font), ft(g.titleFont), fs(g.smallFont);
    const double inner = std::max(40.0, width - 2 * kMargin);

    double y = kMargin;
    g.title = QRectF(kMargin, y, inner, ft.height());
    y += ft.height() + 2;
    const QRectF sub = fm.boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, subtitleText());
    g.subtitle = QRectF(kMargin, y, inner, sub.height());
    y += sub.height() + 8;
    if (layer_ < 0) {
        g.height = y + kMargin;
        return g;
    }

    // Legend: a swatch and its text per entry, flowing into as many rows as the width needs.
    const double swatchW = 26, rowH = fm.height() + 6;
    double x = kMargin;
    for (const QString& text : legendTexts()) {
        const double w = swatchW + 6 + fm.horizontalAdvance(text);
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            y += rowH;
        }
        g.legend.push_back(QRectF(x, y, w, rowH));
        x += w + 18;
    }
    y += rowH + 6;

    // Chips wrap into rows; above every row a lane where the merge arrows run, so they never cross text.
    const double chipH = fm.height() + 8, lane = std::max(14.0, fm.height());
    const int L = static_cast<int>(trace_.length);
    g.chips.resize(L);
    x = kMargin;
    double rowTop = y + lane;
    for (int p = 0; p < L; ++p) {
        const double w = std::min(inner, std::max(26.0, fm.horizontalAdvance(chipText(p)) + 14));
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            rowTop += chipH + lane;
        }
        g.chips[p] = QRectF(x, rowTop, w, chipH);
        x += w + kChipGap;
    }
    y = rowTop + chipH + 20;

    // The all-layers grid: a row per layer, a column per token.
    const QString heading = gridHeadingText();
    QFont headingFont = g.font;
    headingFont.setBold(true);
    const QRectF head = QFontMetricsF(headingFont).boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, heading);
    g.gridHeading = QRectF(kMargin, y, inner, head.height());
    y += head.height() + 6;
    const int layers = static_cast<int>(trace_.layers.size());
    const double gutter = fs.horizontalAdvance(QString::number(std::max(layers - 1, 10))) + 16;
    g.rowHeight = std::clamp(std::floor(240.0 / std::max(layers, 1)), 5.0, 16.0);
    g.grid = QRectF(kMargin + gutter, y, std::max(20.0, inner - gutter), g.rowHeight * layers);
    g.cellWidth = g.grid.width() / std::max(L, 1);
    y = g.grid.bottom() + 4 + fs.height() + kMargin;
    g.height = y;
    return g;
}

int TokenStrip::chipAt(const QPointF& point, const Geometry& g) const {
    for (int p = 0; p < static_cast<int>(g.chips.size()); ++p)
        if (g.chips[p].contains(point)) return p;
    return -1;
}

bool TokenStrip::gridCellAt(const QPointF& point, const Geometry& g, int& layer, int& position) const {
    if (layer_ < 0 || !g.grid.contains(point)) return false;
    layer = std::clamp(int((point.y() - g.grid.top()) / g.rowHeight), 0, int(trace_.layers.size()) - 1);
    position = std::clamp(int((point.x() - g.grid.left()) / g.cellWidth), 0, int(trace_.length) - 1);
    return true;
}

QRect TokenStrip::chipRect(int position) const {
    const Geometry g = currentGeometry();
    if (position < 0 || position >= static_cast<int>(g.chips.size())) return {};
    return g.chips[position].toAlignedRect();
}

QRect TokenStrip::layerCellRect(int layer, int position) const {
    const Geometry g = currentGeometry();
    if (layer_ < 0 || layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || position < 0 || position >= trace_.length)
        return {};
    return QRectF(g.grid.left() + position * g.cellWidth, g.grid.top() + layer * g.rowHeight, g.cellWidth, g.rowHeight)
        .toAlignedRect();
}

int TokenStrip::fateShown(int position) const {
    if (layer_ < 0 || position < 0 || position >= trace_.length) return -2;
    return trace_.layers[layer_].fate[position];
}

QColor TokenStrip::chipColor(int position) const {
    const int fate = fateShown(position);
    return fate == -2 ? QColor() : fateColor(fate);
}

int TokenStrip::linkCount() const {
    int n = 0, destination = 0;
    for (int p = 0; p < trace_.length; ++p) n += mergeLink(p, destination);
    return n;
}

// ---- interaction ------------------------------------------------------------------------------------

void TokenStrip::canvasClicked(const QPointF& point) {
    const Geometry g = currentGeometry();
    const int position = chipAt(point, g);
    if (position >= 0) {
        selectToken(position);
        Q_EMIT tokenSelected(position);
        return;
    }
    int layer = 0, column = 0;
    if (gridCellAt(point, g, layer, column)) {
        setLayer(layer);
        Q_EMIT layerSelected(layer);
        selectToken(column);
        Q_EMIT tokenSelected(column);
        return;
    }
    // The gutter beside the grid picks a layer alone.
    if (layer_ >= 0 && point.y() >= g.grid.top() && point.y() < g.grid.bottom() && point.x() < g.grid.left()) {
        layer = std::clamp(int((point.y() - g.grid.top()) / g.rowHeight), 0, int(trace_.layers.size()) - 1);
        setLayer(layer);
        Q_EMIT layerSelected(layer);
    }
}

// ---- painting ---------------------------------------------------------------------------------------

void TokenStrip::paintFigure(QPainter& painter, const QSize& size) const {
    const QFont font = pixelSizedFont(this->font());
    // Lay out at a wider (virtual) width and scale down until the figure fits the height.
    double scale = 1.0;
    Geometry g = layoutFor(size.width(), font);
    while (g.height * scale > size.height() && scale > 0.25) {
        scale *= 0.92;
        g = layoutFor(size.width() / scale, font);
    }
    painter.save();
    painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
    painter.scale(scale, scale);
    paintContent(painter, g);
    painter.restore();
}

QString TokenStrip::exportImage(const QString& path, int widthPx, int heightPx, double dpi) const {
    return exportPainting([this](QPainter& p, const QSize& s) { paintFigure(p, s); }, path, widthPx, heightPx, dpi);
}

void TokenStrip::paintContent(QPainter& p, const Geometry& g) const {
    p.save();
    p.setPen(Qt::black);
    p.setFont(g.titleFont);
    p.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter, titleText());
    p.setFont(g.font);
    p.setPen(QColor(60, 60, 60));
    p.drawText(g.subtitle, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, subtitleText());
    if (layer_ < 0) {
        p.restore();
        return;
    }
    const QFontMetricsF fm(g.font);

    auto chipPen = [](int fate, bool receives) {
        if (receives) return QPen(linkColor(), 2.0);
        if (fate < 0) return QPen(QColor(185, 185, 185), 1.0, Qt::DashLine);
        return QPen(TokenStrip::fateColor(fate).darker(fate == 0 ? 140 : 130), 1.0);
    };
    auto drawChip = [&](const QRectF& r, int fate, bool receives, const QString& text) {
        p.setPen(chipPen(fate, receives));
        p.setBrush(fateColor(fate));
        p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        if (text.isEmpty()) return;
        p.setPen(textColorOn(fate));
        p.drawText(r, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, r.width() - 8));
    };

    // Legend.
    const QStringList legend = legendTexts();
    const int legendFates[] = {0, 0, 1, 2, -1};
    for (size_t i = 0; i < g.legend.size(); ++i) {
        const QRectF r = g.legend[i];
        const QRectF swatch(r.left(), r.top() + 3, 26, r.height() - 6);
        drawChip(swatch, legendFates[i], i == 1, QString());
        if (i == 2) {
            p.setPen(QPen(linkColor(), 1.5));
            p.setBrush(linkColor());
            p.drawLine(QPointF(swatch.left() + 5, swatch.center().y()), QPointF(swatch.right() - 8, swatch.center().y()));
            drawArrowHead(p, QPointF(swatch.right() - 3, swatch.center().y()), swatch.center(), 6);
        }
        p.setPen(Qt::black);
        p.drawText(QRectF(swatch.right() + 6, r.top(), r.width() - 32, r.height()), Qt::AlignLeft | Qt::AlignVCenter, legend[i]);
    }

    // Arrows under the chips (a link to a chip on another row shows in the gaps), then the chips, then the
    // selected token's arrows on top so they can be followed.
    paintLinks(p, g, false);
    const LayerTrace& lt = trace_.layers[layer_];
    std::vector<char> receives(trace_.length, 0);
    int destination = 0;
    for (int q = 0; q < trace_.length; ++q)
        if (mergeLink(q, destination)) receives[destination] = 1;
    for (int q = 0; q < static_cast<int>(g.chips.size()); ++q) drawChip(g.chips[q], lt.fate[q], receives[q], chipText(q));
    if (selected_ >= 0 && selected_ < static_cast<int>(g.chips.size())) {
        p.setPen(QPen(Qt::black, 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(g.chips[selected_].adjusted(-2, -2, 2, 2), 5, 5);
        paintLinks(p, g, true);
    }

    paintGrid(p, g);
    p.restore();
}

void TokenStrip::paintLinks(QPainter& p, const Geometry& g, bool selectedOnly) const {
    const double lane = g.chips.empty() ? 14 : std::max(14.0, QFontMetricsF(g.font).height());
    int destination = 0;
    for (int q = 0; q < trace_.length; ++q) {
        if (!mergeLink(q, destination)) continue;
        const bool selected = q == selected_ || destination == selected_;
        if (selectedOnly && !selected) continue;
        const QRectF& s = g.chips[q];
        const QRectF& d = g.chips[destination];
        const QPointF from(s.center().x(), s.top()), to(d.center().x(), d.top() - 1);
        QPainterPath path(from);
        QPointF lastControl;
        if (std::abs(s.top() - d.top()) < 1) {
            // Same row: an arch in the lane above it, higher for longer jumps but never out of the lane.
            const double lift = std::min(lane - 3, 5 + std::abs(to.x() - from.x()) * 0.08) / 0.75;
            lastControl = QPointF(to.x(), to.y() - lift);
            path.cubicTo(QPointF(from.x(), from.y() - lift), lastControl, to);
        } else {
            lastControl = QPointF(to.x(), d.top() - lane);
            path.cubicTo(QPointF(from.x(), s.top() - lane), lastControl, to);
        }
        const QColor c = selectedOnly ? QColor(Qt::black) : linkColor();
        p.setPen(QPen(c, selectedOnly ? 2.2 : 1.4));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        drawArrowHead(p, to, lastControl, 7);
    }
}

void TokenStrip::paintGrid(QPainter& p, const Geometry& g) const {
    QFont headingFont = g.font;
    headingFont.setBold(true);
    p.setFont(headingFont);
    p.setPen(Qt::black);
    p.drawText(g.gridHeading, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               gridHeadingText());

    const int layers = static_cast<int>(trace_.layers.size()), L = static_cast<int>(trace_.length);
    // Cells: fate colours; a thin white seam between columns when they are wide enough to afford one.
    const bool seams = g.cellWidth >= 6;
    p.setPen(Qt::NoPen);
    for (int l = 0; l < layers; ++l)
        for (int q = 0; q < L; ++q) {
            const int8_t fate = trace_.layers[l].fate[q];
            if (fate < 0) continue;
            QRectF cell(g.grid.left() + q * g.cellWidth, g.grid.top() + l * g.rowHeight, g.cellWidth, g.rowHeight);
            if (seams) cell.adjust(0.5, 0, -0.5, 0);
            p.fillRect(cell, fateColor(fate));
        }
    p.setPen(QPen(QColor(150, 150, 150), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(g.grid);

    // Layer labels in the gutter: the selected layer and the anchors first, then every k-th layer, skipping
    // any that would overlap a label already placed.
    p.setFont(g.smallFont);
    const QFontMetricsF fs(g.smallFont);
    std::vector<int> candidates{layer_};
    for (int l = 0; l < layers; ++l)
        if (trace_.layers[l].anchor) candidates.push_back(l);
    const int step = std::max(1, int(std::ceil(fs.height() / g.rowHeight)));
    for (int l = 0; l < layers; l += step) candidates.push_back(l);
    std::vector<std::pair<double, double>> placed;
    for (int l : candidates) {
        const double cy = g.grid.top() + (l + 0.5) * g.rowHeight;
        const double top = cy - fs.height() / 2, bottom = cy + fs.height() / 2;
        bool clash = false;
        for (const auto& [a, b] : placed) clash = clash || (top < b && bottom > a);
        if (clash) continue;
        placed.push_back({top, bottom});
        QFont f = g.smallFont;
        f.setBold(trace_.layers[l].anchor);
        p.setFont(f);
        p.setPen(l == layer_ ? QColor(Qt::black) : QColor(90, 90, 90));
        p.drawText(QRectF(kMargin, top, g.grid.left() - kMargin - 10, fs.height()), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(l));
    }
    // The layer shown above: a marker in the gutter and an outline around its row.
    const QRectF row(g.grid.left(), g.grid.top() + layer_ * g.rowHeight, g.grid.width(), g.rowHeight);
    p.setPen(QPen(Qt::black, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(row);
    p.setBrush(Qt::black);
    p.setPen(Qt::NoPen);
    const double my = row.center().y(), mh = std::min(4.0, g.rowHeight / 2);
    p.drawPolygon(QPolygonF({QPointF(g.grid.left() - 2, my), QPointF(g.grid.left() - 8, my - mh), QPointF(g.grid.left() - 8, my + mh)}));
    if (selected_ >= 0) {
        p.setPen(QPen(Qt::black, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(g.grid.left() + selected_ * g.cellWidth, g.grid.top(), g.cellWidth, g.grid.height()));
    }

    // Token positions under the grid, every k-th so the numbers never touch.
    p.setFont(g.smallFont);
    p.setPen(QColor(90, 90, 90));
    const double labelW = fs.horizontalAdvance(QString::number(std::max(L - 1, 0))) + 8;
    int every = 1;
    for (int s : {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}) {
        every = s;
        if (s * g.cellWidth >= labelW) break;
    }
    for (int q = 0; q < L; q += every) {
        const double cx = g.grid.left() + (q + 0.5) * g.cellWidth;
        p.drawText(QRectF(cx - labelW / 2, g.grid.bottom() + 3, labelW, fs.height()), Qt::AlignCenter, QString::number(q));
    }
}

}  // namespace ssmlens
