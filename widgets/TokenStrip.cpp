#include "widgets/TokenStrip.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "widgets/FigurePainting.h"
#include "widgets/TokenFateStyle.h"
#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

constexpr double kMargin = 12;
constexpr double kChipGap = 6;          // between chips of a row
constexpr int kMaxChipChars = 16;       // longer tokens are elided (the tooltip has the whole text)
constexpr double kGridLabelWidth = 64;  // room under the grid for a column's token text, written upwards
constexpr double kMinGridLabel = 40;    // ... when the view is short: about six letters
constexpr double kBandGap = 14;         // between two bands of the grid
constexpr double kSwatchWidth = 24;     // a legend entry's sample chip
constexpr double kLegendGap = 14;       // between two legend entries
constexpr double kMinRowHeight = 5;     // a grid row is never thinner on screen: still a stripe one can click

}  // namespace

TokenStrip::TokenStrip(QWidget* parent)
    : QWidget(parent), allArrows_(new QCheckBox(this)) {
    // Made here, not in the initialiser list: the canvas asks for its height at once, which reads members
    // declared after scroll_.
    scroll_ = new FigureScrollArea(this, QSize(200, 80), this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(scroll_, 1);
    // The check box sits over the figure's title line, at its right end (placed in resizeEvent), not in a row of
    // its own: on a 1000-pixel screen that row's height is what the chips and the grid need to be seen together.
    allArrows_->setParent(scroll_->viewport());
    allArrows_->setAutoFillBackground(true);
    allArrows_->setBackgroundRole(QPalette::Base);
    allArrows_->raise();
    allArrows_->setText(tr("Show every merge arrow"));
    allArrows_->setToolTip(tr("Off: only the arrows of the selected token (click a token). Long prompts start "
                              "with this off, as all their arrows together are a tangle."));
    connect(allArrows_, &QCheckBox::toggled, this, [this] {
        arrowsChosen_ = true;
        scroll_->canvas()->update();
    });
}

void TokenStrip::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        allArrows_->setText(tr("Show every merge arrow"));
        allArrows_->setToolTip(tr("Off: only the arrows of the selected token (click a token). Long prompts start "
                                  "with this off, as all their arrows together are a tangle."));
        placeArrowsBox();
        contentChanged();  // the figure's texts are made when painted
    }
    QWidget::changeEvent(event);
}

void TokenStrip::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeArrowsBox();
    contentChanged();  // the grid's rows follow the height in view
}

void TokenStrip::placeArrowsBox() {
    if (!scroll_) return;
    allArrows_->adjustSize();
    const QWidget* view = scroll_->viewport();
    allArrows_->move(std::max(0, view->width() - allArrows_->width() - int(kMargin)), 4);
}

double TokenStrip::titleReserve() const { return allArrows_->sizeHint().width() + 2 * kMargin; }

void TokenStrip::setAllArrows(bool all) {
    allArrows_->setChecked(all);
    arrowsChosen_ = true;
    scroll_->canvas()->update();
}

bool TokenStrip::allArrows() const { return allArrows_->isChecked(); }

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
            if (leaveLayer_[p] < 0 && (trace_.layers[l].fate[p] == FateMerged || trace_.layers[l].fate[p] == FatePruned))
                leaveLayer_[p] = l;
    if (layer_ < 0 || layer_ >= layers) {
        layer_ = layers > 0 ? 0 : -1;
        for (int l = 0; l < layers; ++l)
            if (trace_.layers[l].anchor) {
                layer_ = l;
                break;
            }
    }
    if (selected_ >= trace_.length) selected_ = -1;
    if (!arrowsChosen_) {
        const QSignalBlocker block(allArrows_);
        allArrows_->setChecked(trace_.length < kAllArrowsUpTo);
    }
    contentChanged();
}

void TokenStrip::setLayer(int layer) {
    if (layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || layer == layer_) return;
    layer_ = layer;
    contentChanged();
}

void TokenStrip::selectToken(int position) {
    selected_ = position >= 0 && position < trace_.length ? position : -1;
    scroll_->canvas()->update();
    if (selected_ >= 0) scroll_->reveal(chipRect(selected_));
}

void TokenStrip::contentChanged() { scroll_->contentChanged(); }

QSize TokenStrip::sizeHint() const { return QSize(640, std::min(contentHeight(640), 520)); }

QWidget* TokenStrip::canvas() const { return scroll_->canvas(); }

int TokenStrip::contentHeight(int width) const {
    return static_cast<int>(std::ceil(layoutFor(std::max(width, 120), FigureFonts::forWidget(font())).height));
}

int TokenStrip::canvasHeight(int width) const {
    if (!scroll_) return contentHeight(width);  // the scroll area asks while it is being made
    return static_cast<int>(std::ceil(layoutFor(std::max(width, 120), FigureFonts::forWidget(font()), 0,
                                                scroll_->viewport()->height(), titleReserve()).height));
}

TokenStrip::Geometry TokenStrip::currentGeometry() const {
    return layoutFor(std::max(scroll_->canvas()->width(), 120), FigureFonts::forWidget(font()), 0,
                     scroll_->viewport()->height(), titleReserve());
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
        present += f != FateGone;
        merged += f == FateMerged;
        pruned += f == FatePruned;
    }
    const int gone = static_cast<int>(trace_.length) - present;
    if (!lt.anchor)
        return tr("Layer %1 does not reduce tokens: %2 tokens pass through; %3 of the prompt's %4 tokens left at earlier layers.")
            .arg(layer_).arg(present).arg(gone).arg(trace_.length);
    QString text = tr("Anchor layer (keep ratio %1): %2 tokens in, %3 out; %4 merged, %5 pruned.")
                       .arg(QLocale().toString(lt.keepRatio, 'f', 3)).arg(lt.tokensIn).arg(lt.tokensOut).arg(merged).arg(pruned);
    // (What an arrow means is in the legend; said here again it took a line the grid needs at 1600x1000.)
    if (merged > 0 && !allArrows()) text += " " + tr("Click a token to see its merge arrows.");
    // Chosen by position alone: said before anything else.
    return lt.contentIndependent ? TokenFateStyle::contentIndependentNote() + " " + text : text;
}

QStringList TokenStrip::legendTexts() const {
    return {TokenFateStyle::name(FateKept), tr("kept, receives merged tokens"), tr("merged (arrow: into which token)"),
            TokenFateStyle::name(FatePruned), TokenFateStyle::name(FateGone)};
}

QString TokenStrip::gridHeadingText() const {
    return tr("When each token leaves: a row per layer (click to show it), a column per token");
}

QString TokenStrip::gridFigureHeadingText() const {
    return tr("When each token leaves: a row per layer, a column per token");
}

QString TokenStrip::gridHeadingToolTip() const {
    return tr("When each token leaves: a row per layer (top to bottom), a column per prompt token with its text "
              "below. Anchor layers in bold; click a row to show that layer.");
}

QString TokenStrip::gridLabel(int p) const {
    if (p < 0 || p >= trace_.length) return {};
    const QString text = p < labels_.size() ? visibleText(labels_[p]) : QString::number(p);
    return text.size() > 10 ? text.left(9) + QChar(0x2026) : text;
}

QString TokenStrip::describeToken(int p) const {
    if (p < 0 || p >= trace_.length || layer_ < 0) return {};
    const LayerTrace& lt = trace_.layers[layer_];
    QString text = tokenName(p);
    if (p < static_cast<int>(ids_.size())) text += " " + tr("(id %1)").arg(ids_[p]);
    text += "\n" + tr("layer %1: %2").arg(layer_).arg(TokenFateStyle::name(lt.fate[p]));
    int destination = -1;
    if (mergeLink(p, destination)) {
        text += " " + tr("into %1").arg(tokenName(destination));
        if (p < static_cast<int>(lt.mergedFraction.size()) && std::isfinite(lt.mergedFraction[p]))
            text += " " + tr("(%1% of channels)").arg(QLocale().toString(100.0 * lt.mergedFraction[p], 'f', 0));
    }
    QStringList sources;
    for (int q = 0; q < trace_.length; ++q)
        if (mergeLink(q, destination) && destination == p) sources << QString::number(q);
    if (!sources.isEmpty()) text += "\n" + tr("receives tokens %1").arg(sources.join(", "));
    if (leaveLayer_[p] >= 0)
        text += "\n" + tr("%1 at layer %2").arg(TokenFateStyle::name(trace_.layers[leaveLayer_[p]].fate[p])).arg(leaveLayer_[p]);
    else
        text += "\n" + tr("reaches the output");
    return text;
}

// ---- geometry ---------------------------------------------------------------------------------------

bool TokenStrip::mergeLink(int p, int& destination) const {
    if (layer_ < 0 || p < 0 || p >= trace_.length) return false;
    const LayerTrace& lt = trace_.layers[layer_];
    destination = static_cast<int>(lt.destination[p]);
    return lt.fate[p] == FateMerged && destination >= 0 && destination < trace_.length && destination != p;
}

bool TokenStrip::arrowShown(int p, int destination) const {
    return allArrows() || (selected_ >= 0 && (p == selected_ || destination == selected_));
}

TokenStrip::Geometry TokenStrip::layoutFor(double width, const FigureFonts& fonts, double extraHeight, double fitHeight,
                                            double titleReserve) const {
    Geometry g;
    g.width = width;
    g.font = fonts.text;
    g.titleFont = fonts.title;
    g.smallFont = fonts.small;
    const QFontMetricsF fm(g.font), ft(g.titleFont), fs(g.smallFont);
    const double inner = std::max(40.0, width - 2 * kMargin);

    double y = kMargin;
    g.title = QRectF(kMargin, y, std::max(40.0, inner - titleReserve), ft.height());
    y += ft.height() + 2;
    const QRectF sub = fm.boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, subtitleText());
    g.subtitle = QRectF(kMargin, y, inner, sub.height());
    y += sub.height() + 8;
    if (layer_ < 0) {
        g.height = y + kMargin;
        return g;
    }

    // Legend: a swatch and its text per entry, flowing into as many rows as the width needs.
    const double rowH = fm.height() + 6;
    double x = kMargin;
    for (const QString& text : legendTexts()) {
        const double w = kSwatchWidth + 6 + fm.horizontalAdvance(text);
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            y += rowH;
        }
        g.legend.push_back(QRectF(x, y, w, rowH));
        x += w + kLegendGap;
    }
    y += rowH + 6;

    // Chips wrap into rows; above every row a lane where the merge arrows run, so they never cross text.
    const double chipH = fm.height() + 6;
    g.lane = std::max(12.0, std::round(0.75 * fm.height()));  // room for an arch and its head, not a whole line
    const int L = static_cast<int>(trace_.length);
    g.chips.resize(L);
    x = kMargin;
    double rowTop = y + g.lane;
    for (int p = 0; p < L; ++p) {
        const double w = std::min(inner, std::max(26.0, fm.horizontalAdvance(chipText(p)) + 14));
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            rowTop += chipH + g.lane;
        }
        g.chips[p] = QRectF(x, rowTop, w, chipH);
        x += w + kChipGap;
    }
    y = rowTop + chipH + 12;

    // The all-layers grid: a row per layer, a column per token, in bands as wide as the figure; each
    // column at least a line of small text wide, so its token's text fits under it, written upwards.
    QFont headingFont = g.font;
    headingFont.setBold(true);
    const QRectF head = QFontMetricsF(headingFont).boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, gridHeadingText());
    g.gridHeading = QRectF(kMargin, y, inner, head.height());
    y += head.height() + 6;
    const int layers = static_cast<int>(trace_.layers.size());
    g.gutter = fs.horizontalAdvance(QString::number(std::max(layers - 1, 10))) + 16;
    const double gridWidth = std::max(20.0, inner - g.gutter);
    const double minCell = fs.height() + 2;
    const int perBand = std::max(1, std::min(std::max(L, 1), int(gridWidth / minCell)));
    g.cellWidth = gridWidth / perBand;
    const int bands = L > 0 ? (L + perBand - 1) / perBand : 0;
    double labelH = 0;
    for (int p = 0; p < L; ++p) labelH = std::max(labelH, fs.horizontalAdvance(gridLabel(p)));
    labelH = std::min(labelH, kGridLabelWidth) + 6;
    g.rowHeight = std::clamp(std::floor(240.0 / std::max(layers, 1)), kMinRowHeight, 16.0);
    // Room to spare (an export taller than the figure): the rows take it, up to about two lines each.
    if (extraHeight > 0 && bands > 0 && layers > 0)
        g.rowHeight = std::min(std::max(g.rowHeight, 3.0 * fm.height()), g.rowHeight + extraHeight / (bands * layers));
    // On screen, a figure taller than the view: the rows give up height (down to kMinRowHeight) so the chips
    // and the whole grid are seen together without scrolling.
    // If thin rows are not enough, the column texts under the grid are cut shorter (never below kMinGridLabel;
    // the chips above and the tooltips have them in full) and the bottom margin narrows.
    const double bottomMargin = fitHeight > 0 ? kMargin / 2 : kMargin;
    if (fitHeight > 0 && bands > 0 && layers > 0) {
        const double rest = y + bands * (2 + labelH + kBandGap) - kBandGap + bottomMargin;  // all but the rows
        const double fitted = std::floor((fitHeight - rest) / (bands * layers));
        g.rowHeight = std::clamp(fitted, kMinRowHeight, g.rowHeight);
        const double over = rest + bands * layers * g.rowHeight - fitHeight;
        if (over > 0) labelH = std::max(std::min(labelH, kMinGridLabel), labelH - std::ceil(over / bands));
    }
    for (int b = 0; b < bands; ++b) {
        Band band;
        band.first = b * perBand;
        band.count = std::min(perBand, L - band.first);
        band.cells = QRectF(kMargin + g.gutter, y, g.cellWidth * band.count, g.rowHeight * layers);
        band.labels = QRectF(band.cells.left(), band.cells.bottom() + 2, band.cells.width(), labelH);
        g.bands.push_back(band);
        y = band.labels.bottom() + kBandGap;
    }
    g.height = y - kBandGap + bottomMargin;
    return g;
}

QRectF TokenStrip::cellRect(const Geometry& g, int layer, int position) const {
    for (const Band& b : g.bands)
        if (position >= b.first && position < b.first + b.count)
            return QRectF(b.cells.left() + (position - b.first) * g.cellWidth, b.cells.top() + layer * g.rowHeight,
                          g.cellWidth, g.rowHeight);
    return {};
}

int TokenStrip::chipAt(const QPointF& point, const Geometry& g) const {
    for (int p = 0; p < static_cast<int>(g.chips.size()); ++p)
        if (g.chips[p].contains(point)) return p;
    return -1;
}

bool TokenStrip::gridCellAt(const QPointF& point, const Geometry& g, int& layer, int& position) const {
    if (layer_ < 0) return false;
    for (const Band& b : g.bands) {
        if (!b.cells.contains(point)) continue;
        layer = std::clamp(int((point.y() - b.cells.top()) / g.rowHeight), 0, int(trace_.layers.size()) - 1);
        position = std::clamp(b.first + int((point.x() - b.cells.left()) / g.cellWidth), b.first, b.first + b.count - 1);
        return true;
    }
    return false;
}

QRect TokenStrip::chipRect(int position) const {
    const Geometry g = currentGeometry();
    if (position < 0 || position >= static_cast<int>(g.chips.size())) return {};
    return g.chips[position].toAlignedRect();
}

QRect TokenStrip::layerCellRect(int layer, int position) const {
    if (layer_ < 0 || layer < 0 || layer >= static_cast<int>(trace_.layers.size()) || position < 0 || position >= trace_.length)
        return {};
    return cellRect(currentGeometry(), layer, position).toAlignedRect();
}

QRect TokenStrip::gridLabelRect(int position) const {
    if (layer_ < 0 || position < 0 || position >= trace_.length) return {};
    const Geometry g = currentGeometry();
    for (const Band& b : g.bands)
        if (position >= b.first && position < b.first + b.count)
            return QRectF(b.labels.left() + (position - b.first) * g.cellWidth, b.labels.top(), g.cellWidth,
                          b.labels.height())
                .toAlignedRect();
    return {};
}

int TokenStrip::fateShown(int position) const {
    if (layer_ < 0 || position < 0 || position >= trace_.length) return kNoFate;
    return trace_.layers[layer_].fate[position];
}

int TokenStrip::linkCount() const {
    int n = 0, destination = 0;
    for (int p = 0; p < trace_.length; ++p) n += mergeLink(p, destination);
    return n;
}

int TokenStrip::arrowsDrawn() const {
    int n = 0, destination = 0;
    for (int p = 0; p < trace_.length; ++p) n += mergeLink(p, destination) && arrowShown(p, destination);
    return n;
}

// ---- interaction ------------------------------------------------------------------------------------

void TokenStrip::canvasPressed(const QPointF& point) {
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
    // The gutter beside a band picks a layer alone.
    for (const Band& b : g.bands)
        if (layer_ >= 0 && point.y() >= b.cells.top() && point.y() < b.cells.bottom() && point.x() < b.cells.left()) {
            layer = std::clamp(int((point.y() - b.cells.top()) / g.rowHeight), 0, int(trace_.layers.size()) - 1);
            setLayer(layer);
            Q_EMIT layerSelected(layer);
            return;
        }
}

QString TokenStrip::canvasToolTip(const QPointF& point) const {
    const Geometry g = currentGeometry();
    int layer = 0, position = chipAt(point, g);
    if (position >= 0) return describeToken(position);
    if (gridCellAt(point, g, layer, position))
        return tr("layer %1, %2: %3").arg(layer).arg(tokenName(position), TokenFateStyle::name(trace_.layers[layer].fate[position]));
    if (g.gridHeading.contains(point)) return gridHeadingToolTip();
    for (const Band& b : g.bands)
        if (b.labels.contains(point)) {
            const int p = std::clamp(b.first + int((point.x() - b.labels.left()) / g.cellWidth), b.first, b.first + b.count - 1);
            return describeToken(p);
        }
    return {};
}

// ---- painting ---------------------------------------------------------------------------------------

void TokenStrip::paintCanvas(QPainter& painter) const { paintContent(painter, currentGeometry()); }

void TokenStrip::paintFigure(QPainter& painter, const QSizeF& size, const FigureFonts& font) const {
    // Laid out at the figure's width; spare height goes to the grid's rows; a figure too tall for the
    // page is laid out wider and scaled down until it fits.
    Geometry g = layoutFor(size.width(), font);
    if (g.height < size.height()) g = layoutFor(size.width(), font, size.height() - g.height);
    double scale = 1.0;
    while (g.height * scale > size.height() && scale > 0.25) {
        scale *= 0.92;
        g = layoutFor(size.width() / scale, font);
    }
    g.figure = true;  // laid out with the longer on-screen heading, so the figure's shorter one fits its rectangle
    painter.save();
    painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    painter.scale(scale, scale);
    paintContent(painter, g);
    painter.restore();
}

QString TokenStrip::exportImage(const QString& path, const FigureSize& size) const {
    const FigureFonts font = FigureFonts::forPoints(this->font(), size.fontPt);
    return exportPainting([&](QPainter& p, const QSizeF& canvas) { paintFigure(p, canvas, font); }, path, size);
}

QString TokenStrip::exportImage(const QString& path, int widthPx, int heightPx, double dpi) const {
    FigureSize size;
    size.widthPx = widthPx;
    size.heightPx = heightPx;
    size.dpi = dpi;
    return exportImage(path, size);
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

    auto drawChip = [&](const QRectF& r, int fate, bool receives, const QString& text) {
        const QRectF box = r.adjusted(0.5, 0.5, -0.5, -0.5);
        if (fate == FateGone) {
            QPainterPath rounded;
            rounded.addRoundedRect(box, 4, 4);
            p.save();
            p.setClipPath(rounded, Qt::IntersectClip);
            TokenFateStyle::paintGone(p, box);
            p.restore();
            p.setPen(QPen(TokenFateStyle::outlineColor(fate), 1.0, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(receives ? QPen(TokenFateStyle::mergeLinkColor(), 2.0) : QPen(TokenFateStyle::outlineColor(fate), 1.0));
            p.setBrush(TokenFateStyle::fillColor(fate));
        }
        p.drawRoundedRect(box, 4, 4);
        if (text.isEmpty()) return;
        p.setPen(TokenFateStyle::textColor(fate));
        p.drawText(r, Qt::AlignCenter, fm.elidedText(text, Qt::ElideRight, r.width() - 8));
    };

    // Legend.
    const QStringList legend = legendTexts();
    const int legendFates[] = {FateKept, FateKept, FateMerged, FatePruned, FateGone};
    for (size_t i = 0; i < g.legend.size(); ++i) {
        const QRectF r = g.legend[i];
        const QRectF swatch(r.left(), r.top() + 3, kSwatchWidth, r.height() - 6);
        drawChip(swatch, legendFates[i], i == 1, QString());
        if (i == 2) {
            p.setPen(QPen(TokenFateStyle::mergeLinkColor(), 1.5));
            p.setBrush(TokenFateStyle::mergeLinkColor());
            p.drawLine(QPointF(swatch.left() + 5, swatch.center().y()), QPointF(swatch.right() - 8, swatch.center().y()));
            drawArrowHead(p, QPointF(swatch.right() - 3, swatch.center().y()), swatch.center(), 6);
        }
        p.setPen(Qt::black);
        p.drawText(QRectF(swatch.right() + 6, r.top(), r.width() - kSwatchWidth - 6, r.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, legend[i]);
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
    int destination = 0;
    for (int q = 0; q < trace_.length; ++q) {
        if (!mergeLink(q, destination) || !arrowShown(q, destination)) continue;
        const bool selected = q == selected_ || destination == selected_;
        if (selectedOnly && !selected) continue;
        const QRectF& s = g.chips[q];
        const QRectF& d = g.chips[destination];
        const QPointF from(s.center().x(), s.top()), to(d.center().x(), d.top() - 1);
        QPainterPath path(from);
        QPointF lastControl;
        if (std::abs(s.top() - d.top()) < 1) {
            // Same row: an arch in the lane above it, higher for longer jumps but never out of the lane.
            const double lift = std::min(g.lane - 3, 5 + std::abs(to.x() - from.x()) * 0.08) / 0.75;
            lastControl = QPointF(to.x(), to.y() - lift);
            path.cubicTo(QPointF(from.x(), from.y() - lift), lastControl, to);
        } else {
            lastControl = QPointF(to.x(), d.top() - g.lane);
            path.cubicTo(QPointF(from.x(), s.top() - g.lane), lastControl, to);
        }
        const QColor c = selectedOnly ? QColor(Qt::black) : TokenFateStyle::mergeLinkColor();
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
               g.figure ? gridFigureHeadingText() : gridHeadingText());

    const int layers = static_cast<int>(trace_.layers.size());
    const QFontMetricsF fs(g.smallFont);
    const bool seams = g.cellWidth >= 6;  // a thin white seam between columns wide enough to afford one
    for (const Band& band : g.bands) {
        // Gone is the band's hatched background; the cells of tokens still present are filled over it.
        TokenFateStyle::paintGone(p, band.cells);
        p.setPen(Qt::NoPen);
        for (int l = 0; l < layers; ++l)
            for (int q = band.first; q < band.first + band.count; ++q) {
                const int8_t fate = trace_.layers[l].fate[q];
                if (fate == FateGone) continue;
                QRectF cell = cellRect(g, l, q);
                if (seams) cell.adjust(0.5, 0, -0.5, 0);
                p.fillRect(cell, TokenFateStyle::fillColor(fate));
            }
        p.setPen(QPen(QColor(150, 150, 150), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(band.cells);

        // Layer labels in the gutter: the selected layer and the anchors first, then every k-th layer,
        // skipping any that would overlap a label already placed.
        std::vector<int> candidates{layer_};
        for (int l = 0; l < layers; ++l)
            if (trace_.layers[l].anchor) candidates.push_back(l);
        const int step = std::max(1, int(std::ceil(fs.height() / g.rowHeight)));
        for (int l = 0; l < layers; l += step) candidates.push_back(l);
        std::vector<std::pair<double, double>> placed;
        for (int l : candidates) {
            const double cy = band.cells.top() + (l + 0.5) * g.rowHeight;
            const double top = cy - fs.height() / 2, bottom = cy + fs.height() / 2;
            bool clash = false;
            for (const auto& [a, b] : placed) clash = clash || (top < b && bottom > a);
            if (clash) continue;
            placed.push_back({top, bottom});
            QFont f = g.smallFont;
            f.setBold(trace_.layers[l].anchor);
            p.setFont(f);
            p.setPen(l == layer_ ? QColor(Qt::black) : QColor(90, 90, 90));
            p.drawText(QRectF(kMargin, top, g.gutter - 10, fs.height()), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(l));
        }
        // The layer shown above: a marker in the gutter and an outline around its row.
        const QRectF row(band.cells.left(), band.cells.top() + layer_ * g.rowHeight, band.cells.width(), g.rowHeight);
        p.setPen(QPen(Qt::black, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(row);
        p.setBrush(Qt::black);
        p.setPen(Qt::NoPen);
        const double my = row.center().y(), mh = std::min(4.0, g.rowHeight / 2), left = band.cells.left();
        p.drawPolygon(QPolygonF({QPointF(left - 2, my), QPointF(left - 8, my - mh), QPointF(left - 8, my + mh)}));
        if (selected_ >= band.first && selected_ < band.first + band.count) {
            p.setPen(QPen(Qt::black, 1.5));
            p.setBrush(Qt::NoBrush);
            const QRectF column = cellRect(g, 0, selected_);
            p.drawRect(QRectF(column.left(), band.cells.top(), g.cellWidth, band.cells.height() + band.labels.height() + 2));
        }

        // Each column's token text under it, written upwards; the selected one in bold.
        for (int q = band.first; q < band.first + band.count; ++q) {
            const QRectF cell = cellRect(g, 0, q);
            QFont f = g.smallFont;
            f.setBold(q == selected_);
            p.setFont(f);
            p.setPen(q == selected_ ? QColor(Qt::black) : QColor(70, 70, 70));
            p.save();
            p.translate(cell.center().x(), band.labels.top());
            p.rotate(-90);
            // In the rotated frame x runs upwards from the top of the label area, so the text ends at the grid.
            const QRectF box(-band.labels.height() + 2, -g.cellWidth / 2, band.labels.height() - 4, g.cellWidth);
            p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, QFontMetricsF(f).elidedText(gridLabel(q), Qt::ElideRight, box.width()));
            p.restore();
        }
    }
}

}  // namespace ssmlens
