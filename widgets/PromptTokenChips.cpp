#include "widgets/PromptTokenChips.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "widgets/WidgetExport.h"

namespace ssmlens {
namespace {

constexpr double kMargin = 6;
constexpr double kChipGap = 4;     // between chips of a row
constexpr double kRowGap = 4;      // between rows
constexpr int kMaxChipChars = 16;  // longer tokens are elided (the tooltip has the whole text)

// Two neighbouring tokens never share a shade, so where one ends and the next begins is plain to see.
// The grey is TokenStrip's "kept" grey; the control-token look stays apart from its dashed "gone" chips.
QColor shade(int i) { return i % 2 == 0 ? QColor(226, 226, 226) : QColor(244, 244, 244); }
QColor controlText() { return QColor(90, 90, 90); }

}  // namespace

PromptTokenChips::PromptTokenChips(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

void PromptTokenChips::setTokens(const std::vector<int64_t>& ids, const QStringList& labels,
                                 const std::vector<std::pair<int, int>>& offsets) {
    ids_ = ids;
    labels_ = labels.mid(0, tokenCount());
    offsets_.assign(offsets.begin(), offsets.begin() + std::min(offsets.size(), ids.size()));
    if (highlighted_ >= tokenCount()) highlighted_ = -1;
    contentChanged();
}

void PromptTokenChips::clear() {
    ids_.clear();
    labels_.clear();
    offsets_.clear();
    highlighted_ = -1;
    contentChanged();
}

void PromptTokenChips::setHighlightedToken(int i) {
    const int h = i >= 0 && i < tokenCount() ? i : -1;
    if (h == highlighted_) return;
    highlighted_ = h;
    update();
}

void PromptTokenChips::contentChanged() {
    updateGeometry();  // the height at this width changes with the tokens
    update();
}

// ---- text -------------------------------------------------------------------------------------------

QString PromptTokenChips::visiblePiece(const QString& piece) {
    if (isControlPiece(piece)) return piece;
    QString text = piece;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(QChar('\r'), QChar('\n'));
    text.replace(QChar('\n'), QChar(0x21B5));  // ↵
    text.replace(QChar('\t'), QChar(0x21E5));  // ⇥
    text.replace(QChar(' '), QChar(0x2423));   // ␣
    text.replace(QChar(0xA0), QChar(0x2423));  // no-break space
    return text;
}

bool PromptTokenChips::isControlPiece(const QString& piece) {
    static const QRegularExpression named(QStringLiteral("^<[^<>\\s][^<>]*>$"));
    return piece.isEmpty() || named.match(piece).hasMatch();
}

bool PromptTokenChips::isControl(int i) const { return i < labels_.size() && isControlPiece(labels_[i]); }

QString PromptTokenChips::chipText(int i) const {
    QString text;
    if (i >= labels_.size()) text = QString::number(ids_[i]);           // no label: the id stands in
    else if (labels_[i].isEmpty()) text = tr("<id %1>").arg(ids_[i]);  // a control token without a name
    else text = visiblePiece(labels_[i]);
    if (text.size() > kMaxChipChars) text = text.left(kMaxChipChars - 1) + QChar(0x2026);
    return text;
}

QString PromptTokenChips::toolTipFor(int i) const {
    if (i < 0 || i >= tokenCount()) return {};
    QString piece;
    if (i >= labels_.size()) piece = QString::number(ids_[i]);
    else if (labels_[i].isEmpty()) piece = tr("<id %1>").arg(ids_[i]);
    else piece = visiblePiece(labels_[i]);
    if (i < static_cast<int>(offsets_.size()))
        return tr("token %1: id %2, “%3”, characters %4–%5")
            .arg(i).arg(ids_[i]).arg(piece).arg(offsets_[i].first).arg(offsets_[i].second);
    return tr("token %1: id %2, “%3”").arg(i).arg(ids_[i]).arg(piece);
}

QString PromptTokenChips::captionText() const {
    const int n = tokenCount();
    if (n == 0) return tr("No tokens");
    return n == 1 ? tr("1 token") : tr("%1 tokens").arg(n);
}

// ---- geometry ---------------------------------------------------------------------------------------

PromptTokenChips::Geometry PromptTokenChips::layoutFor(double width) const {
    Geometry g;
    g.font = pixelSizedFont(font());
    g.captionFont = g.font;
    g.captionFont.setPixelSize(std::max(1, int(std::lround(g.font.pixelSize() * 0.85))));
    g.controlFont = g.font;
    g.controlFont.setItalic(true);
    const QFontMetricsF fm(g.font), fc(g.controlFont), fs(g.captionFont);
    const double inner = std::max(20.0, width - 2 * kMargin);

    g.caption = QRectF(kMargin, kMargin, inner, fs.height());
    double y = g.caption.bottom() + 4;
    const double chipH = fm.height() + 6;
    const int n = tokenCount();
    g.chips.resize(n);
    double x = kMargin;
    for (int i = 0; i < n; ++i) {
        const double advance = (isControl(i) ? fc : fm).horizontalAdvance(chipText(i));
        const double w = std::min(inner, std::max(18.0, advance + 12));
        if (x > kMargin && x + w > kMargin + inner) {
            x = kMargin;
            y += chipH + kRowGap;
        }
        g.chips[i] = QRectF(x, y, w, chipH);
        x += w + kChipGap;
    }
    g.height = (n > 0 ? y + chipH : g.caption.bottom()) + kMargin;
    return g;
}

int PromptTokenChips::heightForWidth(int width) const {
    return static_cast<int>(std::ceil(layoutFor(std::max(width, 40)).height));
}

QSize PromptTokenChips::sizeHint() const { return QSize(480, heightForWidth(480)); }

QSize PromptTokenChips::minimumSizeHint() const {
    // The caption and one row of chips; the layout asks heightForWidth for the real height.
    const Geometry g = layoutFor(60);
    return QSize(60, int(std::ceil(g.caption.bottom() + 4 + QFontMetricsF(g.font).height() + 6 + kMargin)));
}

QRect PromptTokenChips::chipRect(int i) const {
    if (i < 0 || i >= tokenCount()) return {};
    return layoutFor(width()).chips[i].toAlignedRect();
}

int PromptTokenChips::chipAt(const QPointF& point) const {
    const Geometry g = layoutFor(width());
    for (int i = 0; i < static_cast<int>(g.chips.size()); ++i)
        if (g.chips[i].contains(point)) return i;
    return -1;
}

// ---- painting and interaction -----------------------------------------------------------------------

void PromptTokenChips::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    const Geometry g = layoutFor(width());

    p.setFont(g.captionFont);
    p.setPen(QColor(90, 90, 90));
    p.drawText(g.caption, Qt::AlignLeft | Qt::AlignVCenter, captionText());

    for (int i = 0; i < static_cast<int>(g.chips.size()); ++i) {
        const QRectF r = g.chips[i];
        const bool control = isControl(i);
        if (control) {
            p.setPen(QPen(QColor(120, 120, 120), 1.0, Qt::DashLine));
            p.setBrush(Qt::white);
        } else {
            p.setPen(QPen(shade(i).darker(135), 1.0));
            p.setBrush(shade(i));
        }
        p.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setFont(control ? g.controlFont : g.font);
        p.setPen(control ? controlText() : QColor(Qt::black));
        const QFontMetricsF fm(p.font());
        p.drawText(r, Qt::AlignCenter, fm.elidedText(chipText(i), Qt::ElideRight, r.width() - 8));
    }
    if (highlighted_ >= 0 && highlighted_ < static_cast<int>(g.chips.size())) {
        p.setPen(QPen(Qt::black, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(g.chips[highlighted_].adjusted(-1, -1, 1, 1), 5, 5);
    }
}

void PromptTokenChips::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
    const int i = chipAt(e->position());
    if (i < 0) return;
    setHighlightedToken(i);
    Q_EMIT tokenClicked(i);
}

void PromptTokenChips::mouseMoveEvent(QMouseEvent* e) {
    if (chipAt(e->position()) >= 0) setCursor(Qt::PointingHandCursor);
    else unsetCursor();
    QWidget::mouseMoveEvent(e);
}

bool PromptTokenChips::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QString text = toolTipFor(chipAt(help->pos()));
        if (text.isEmpty()) QToolTip::hideText(); else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    if (e->type() == QEvent::FontChange) updateGeometry();
    return QWidget::event(e);
}

}  // namespace ssmlens
