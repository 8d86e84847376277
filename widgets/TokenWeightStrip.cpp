#include "widgets/TokenWeightStrip.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "widgets/TokenStrip.h"  // visibleText
#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

constexpr double kMargin = 6;
constexpr double kChipGap = 3;
constexpr double kRowGap = 3;
constexpr int kMaxChipChars = 14;

// The ends of AttentionMatrixPlot's diverging scale (PRGn): negative purple, positive green.
const QColor kNegative(118, 42, 131), kPositive(27, 120, 55);
QColor mix(const QColor& to, double t) {
    t = std::clamp(t, 0.0, 1.0);
    auto ch = [&](int from, int end) { return int(std::lround(from + (end - from) * t)); };
    return QColor(ch(250, to.red()), ch(250, to.green()), ch(250, to.blue()));
}

}  // namespace

TokenWeightStrip::TokenWeightStrip(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

void TokenWeightStrip::setTokens(const QStringList& labels) {
    labels_ = labels;
    weights_.clear();
    focus_ = -1;
    updateGeometry();
    update();
}

void TokenWeightStrip::setWeights(const std::vector<float>& weights, int focus, const QString& caption) {
    weights_ = weights;
    focus_ = focus;
    caption_ = caption;
    scale_ = 0;
    signed_ = false;
    for (float w : weights_)
        if (std::isfinite(w)) {
            scale_ = std::max(scale_, std::abs(double(w)));
            signed_ = signed_ || w < 0;
        }
    updateGeometry();
    update();
}

void TokenWeightStrip::clearWeights(const QString& caption) { setWeights({}, -1, caption); }

float TokenWeightStrip::weight(int p) const {
    return p >= 0 && p < static_cast<int>(weights_.size()) ? weights_[p] : std::numeric_limits<float>::quiet_NaN();
}

QColor TokenWeightStrip::chipColor(int p) const {
    const float w = weight(p);
    if (!std::isfinite(w)) return QColor(Qt::white);
    const double t = scale_ > 0 ? std::abs(double(w)) / scale_ : 0.0;
    return mix(w < 0 ? kNegative : kPositive, t);
}

QString TokenWeightStrip::chipText(int p) const {
    QString text = p < labels_.size() ? TokenStrip::visibleText(labels_[p]) : QString::number(p);
    if (text.size() > kMaxChipChars) text = text.left(kMaxChipChars - 1) + QChar(0x2026);
    return text;
}

TokenWeightStrip::Geometry TokenWeightStrip::layoutFor(double width) const {
    Geometry g;
    g.font = pixelSizedFont(font());
    g.captionFont = g.font;
    g.captionFont.setBold(true);
    const QFontMetricsF fm(g.font), fc(g.captionFont);
    const double inner = std::max(40.0, width - 2 * kMargin);
    const QRectF text = fc.boundingRect(QRectF(0, 0, inner, 1e6), Qt::TextWordWrap, caption_);
    g.caption = QRectF(kMargin, kMargin, inner, text.height());
    double y = g.caption.bottom() + 4, x = kMargin;
    const double chipH = fm.height() + 6;
    g.chips.resize(labels_.size());
    for (int p = 0; p < labels_.size(); ++p) {
        const double w = std::min(inner, std::max(16.0, fm.horizontalAdvance(chipText(p)) + 10));
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            y += chipH + kRowGap;
        }
        g.chips[p] = QRectF(x, y, w, chipH);
        x += w + kChipGap;
    }
    g.height = (labels_.isEmpty() ? y : y + chipH) + kMargin;
    return g;
}

int TokenWeightStrip::contentHeight(int width) const { return int(std::ceil(layoutFor(width).height)); }

QRect TokenWeightStrip::chipRect(int p) const {
    const Geometry g = layoutFor(width());
    return p >= 0 && p < static_cast<int>(g.chips.size()) ? g.chips[p].toAlignedRect() : QRect();
}

void TokenWeightStrip::paintContent(QPainter& painter, const Geometry& g) const {
    painter.setFont(g.captionFont);
    painter.setPen(QColor(50, 50, 50));
    painter.drawText(g.caption, Qt::TextWordWrap, caption_);
    painter.setFont(g.font);
    for (int p = 0; p < static_cast<int>(g.chips.size()); ++p) {
        const QColor fill = chipColor(p);
        const bool blank = !std::isfinite(weight(p)) && !weights_.empty();
        painter.setPen(p == focus_ ? QPen(QColor(230, 159, 0), 2.5)
                                   : blank ? QPen(QColor(200, 200, 200), 1, Qt::DashLine) : QPen(QColor(170, 170, 170), 1));
        painter.setBrush(fill);
        painter.drawRoundedRect(g.chips[p], 3, 3);
        painter.setPen(blank ? QColor(160, 160, 160) : fill.lightness() < 120 ? QColor(Qt::white) : QColor(Qt::black));
        painter.drawText(g.chips[p], Qt::AlignCenter, chipText(p));
    }
}

void TokenWeightStrip::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    paintContent(painter, layoutFor(width()));
}

void TokenWeightStrip::paintFigure(QPainter& painter, const QSize& size) const {
    // Too tall for the space: laid out wider (fewer rows) and scaled down until it fits, so it keeps the
    // figure's width instead of shrinking into a narrow column at its left.
    double width = size.width();
    Geometry g = layoutFor(int(width));
    for (int i = 0; i < 40 && g.height * size.width() / width > size.height(); ++i) {
        width *= 1.15;
        g = layoutFor(int(std::lround(width)));
    }
    const double scale = std::min({1.0, size.width() / width, g.height > 0 ? size.height() / g.height : 1.0});
    painter.save();
    if (scale < 1.0) painter.scale(scale, scale);
    paintContent(painter, g);
    painter.restore();
}

int TokenWeightStrip::chipAt(const QPointF& point) const {
    const Geometry g = layoutFor(width());
    for (int p = 0; p < static_cast<int>(g.chips.size()); ++p)
        if (g.chips[p].contains(point)) return p;
    return -1;
}

void TokenWeightStrip::mousePressEvent(QMouseEvent* event) {
    const int p = chipAt(event->position());
    if (event->button() == Qt::LeftButton && p >= 0) Q_EMIT tokenClicked(p);
}

bool TokenWeightStrip::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int p = chipAt(help->pos());
        if (p < 0) {
            QToolTip::hideText();
        } else {
            const float w = weight(p);
            const QString text = p < labels_.size() ? TokenStrip::visibleText(labels_[p]) : QString::number(p);
            QToolTip::showText(help->globalPos(),
                               std::isfinite(w) ? tr("token %1 “%2”: %3").arg(p).arg(text).arg(double(w), 0, 'g', 4)
                                                : tr("token %1 “%2”: none").arg(p).arg(text),
                               this);
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace ssmlens
