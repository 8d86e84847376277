#include "widgets/ScheduleLayerStrip.h"

#include <QLocale>

#include <QFontMetrics>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace ssmlens {
namespace {

constexpr int kSide = 10;        // margin left and right of the ruler, room for the end labels
constexpr int kRulerY = 20;      // the ruler line; anchor triangles sit above it, numbers below
const QColor kAnchorColor(220, 90, 0);  // the anchor colour of TokensPerLayerPlot

}  // namespace

ScheduleLayerStrip::ScheduleLayerStrip(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Layers"));
    setAccessibleDescription(tr("One tick per layer; anchors are marked. Left and Right move the cursor, "
                                "Space or Enter adds or removes an anchor."));
}

void ScheduleLayerStrip::setLayerCount(int64_t n) {
    layers_ = std::max<int64_t>(0, n);
    cursor_ = std::clamp(cursor_, 0, std::max(0, int(layers_) - 1));
    hover_ = -1;
    update();
}

void ScheduleLayerStrip::setAnchors(const std::vector<int64_t>& layers, const std::vector<double>& ratios) {
    anchors_ = layers;
    ratios_ = ratios;
    ratios_.resize(anchors_.size(), 1.0);
    update();
}

QSize ScheduleLayerStrip::sizeHint() const { return QSize(360, minimumSizeHint().height()); }
QSize ScheduleLayerStrip::minimumSizeHint() const { return QSize(120, kRulerY + 10 + fontMetrics().height() + 4); }

double ScheduleLayerStrip::rulerLeft() const { return kSide; }
double ScheduleLayerStrip::rulerRight() const { return width() - kSide; }

double ScheduleLayerStrip::tickX(int layer) const {
    if (layers_ <= 1) return (rulerLeft() + rulerRight()) / 2;
    return rulerLeft() + (rulerRight() - rulerLeft()) * layer / double(layers_ - 1);
}

QPoint ScheduleLayerStrip::layerPosition(int layer) const {
    if (layer < 0 || layer >= layers_) return QPoint(-1, -1);
    return QPoint(static_cast<int>(std::lround(tickX(layer))), kRulerY);
}

int ScheduleLayerStrip::layerAt(const QPoint& p) const {
    if (layers_ <= 0 || p.x() < rulerLeft() - kSide || p.x() > rulerRight() + kSide) return -1;
    if (layers_ == 1) return 0;
    const double step = (rulerRight() - rulerLeft()) / double(layers_ - 1);
    const int layer = static_cast<int>(std::lround((p.x() - rulerLeft()) / step));
    return std::clamp(layer, 0, int(layers_) - 1);
}

int ScheduleLayerStrip::anchorIndex(int layer) const {
    const auto it = std::lower_bound(anchors_.begin(), anchors_.end(), int64_t(layer));
    return it != anchors_.end() && *it == layer ? int(it - anchors_.begin()) : -1;
}

QString ScheduleLayerStrip::describeLayer(int layer) const {
    const int i = anchorIndex(layer);
    if (i < 0) return tr("Layer %1: click to add an anchor (tokens are reduced after this layer)").arg(layer);
    return tr("Layer %1: anchor, keeps %2 of its tokens; click to remove it")
        .arg(layer)
        .arg(QLocale().toString(ratios_[i], 'f', 3));
}

void ScheduleLayerStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    if (layers_ <= 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No model"));
        return;
    }
    const double step = layers_ > 1 ? (rulerRight() - rulerLeft()) / double(layers_ - 1) : 0;

    if (hover_ >= 0) {  // the column under the mouse: what a click would hit
        const double w = std::max(4.0, step);
        p.fillRect(QRectF(tickX(hover_) - w / 2, 2, w, height() - 4), pal.color(QPalette::Highlight).lighter(170));
    }

    p.setPen(QPen(pal.color(QPalette::Text), 1));
    p.drawLine(QPointF(rulerLeft(), kRulerY), QPointF(rulerRight(), kRulerY));
    // Numbers every labelStep layers, chosen so that they never touch: 1, 2, 4, 5, 8, 10, 16, 20, ...
    const QFontMetrics fm = fontMetrics();
    const double labelWidth = fm.horizontalAdvance(QString::number(layers_ - 1)) + 6;
    int labelStep = 1;
    for (int s : {1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 250, 500, 1000}) {
        labelStep = s;
        if (s * step >= labelWidth) break;
    }
    for (int l = 0; l < layers_; ++l) {
        const bool labelled = l % labelStep == 0;
        const double x = tickX(l);
        p.drawLine(QPointF(x, kRulerY), QPointF(x, kRulerY + (labelled ? 6 : 3)));
        if (labelled) {
            const QString text = QString::number(l);
            const QRectF box(x - labelWidth / 2, kRulerY + 7, labelWidth, fm.height());
            p.drawText(box, Qt::AlignHCenter | Qt::AlignTop, text);
        }
    }

    p.setPen(QPen(kAnchorColor.darker(130), 1));
    p.setBrush(kAnchorColor);
    const double half = std::clamp(step / 2 - 0.5, 3.0, 6.0);
    for (int64_t a : anchors_) {
        if (a < 0 || a >= layers_) continue;
        const double x = tickX(int(a));
        QPainterPath tri;  // pointing down at the tick, as in TokensPerLayerPlot
        tri.moveTo(x, kRulerY - 1);
        tri.lineTo(x - half, kRulerY - 1 - 2 * half);
        tri.lineTo(x + half, kRulerY - 1 - 2 * half);
        tri.closeSubpath();
        p.drawPath(tri);
    }

    if (hasFocus()) {
        QPen pen(pal.color(QPalette::Highlight), 1.5, Qt::DotLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        const double w = std::max(8.0, step);
        p.drawRect(QRectF(tickX(cursor_) - w / 2, 1.5, w, height() - 3));
    }
}

void ScheduleLayerStrip::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
    const int layer = layerAt(e->position().toPoint());
    if (layer < 0) return;
    moveCursor(layer);
    Q_EMIT layerActivated(layer);
}

void ScheduleLayerStrip::mouseMoveEvent(QMouseEvent* e) {
    const int layer = layerAt(e->position().toPoint());
    if (layer != hover_) {
        hover_ = layer;
        update();
    }
}

void ScheduleLayerStrip::leaveEvent(QEvent*) {
    hover_ = -1;
    update();
}

void ScheduleLayerStrip::moveCursor(int layer) {
    if (layers_ <= 0) return;
    cursor_ = std::clamp(layer, 0, int(layers_) - 1);
    update();
}

void ScheduleLayerStrip::keyPressEvent(QKeyEvent* e) {
    switch (e->key()) {
        case Qt::Key_Left: moveCursor(cursor_ - 1); break;
        case Qt::Key_Right: moveCursor(cursor_ + 1); break;
        case Qt::Key_PageUp: moveCursor(cursor_ - 8); break;
        case Qt::Key_PageDown: moveCursor(cursor_ + 8); break;
        case Qt::Key_Home: moveCursor(0); break;
        case Qt::Key_End: moveCursor(int(layers_) - 1); break;
        case Qt::Key_Space:
        case Qt::Key_Return:
        case Qt::Key_Enter:
            if (layers_ > 0) Q_EMIT layerActivated(cursor_);
            break;
        default: return QWidget::keyPressEvent(e);
    }
}

bool ScheduleLayerStrip::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int layer = layerAt(help->pos());
        if (layer >= 0)
            QToolTip::showText(help->globalPos(), describeLayer(layer), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

}  // namespace ssmlens
