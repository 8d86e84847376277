#include "widgets/TokenFateStyle.h"

#include <QPainter>
#include <QPointF>
#include <QRectF>
#include <algorithm>
#include <cmath>

namespace ssmlens {
namespace {

const QColor kGoneBackground(236, 236, 236);
const QColor kGoneHatch(178, 178, 178);
const QColor kContentIndependent(230, 130, 0);
constexpr double kHatchSpacing = 5.0;  // between the diagonal lines of a gone cell, in figure pixels

}  // namespace

QColor TokenFateStyle::fillColor(int fate) {
    switch (fate) {
        case FateKept: return QColor(226, 226, 226);
        case FateMerged: return QColor(80, 170, 255);
        case FatePruned: return QColor(230, 30, 30);
        default: return kGoneBackground;
    }
}

QBrush TokenFateStyle::fillBrush(int fate) {
    if (fate == FateKept || fate == FateMerged || fate == FatePruned) return QBrush(fillColor(fate));
    return QBrush(kGoneHatch, Qt::BDiagPattern);  // over fillColor(FateGone); paintGone draws both
}

QColor TokenFateStyle::outlineColor(int fate) {
    if (fate == FateKept || fate == FateMerged || fate == FatePruned) return fillColor(fate).darker(fate == FateKept ? 140 : 130);
    return QColor(185, 185, 185);
}

QColor TokenFateStyle::textColor(int fate) {
    switch (fate) {
        case FatePruned: return QColor(Qt::white);
        case FateKept:
        case FateMerged: return QColor(Qt::black);
        default: return QColor(120, 120, 120);
    }
}

QColor TokenFateStyle::mergeLinkColor() { return fillColor(FateMerged).darker(150); }

QString TokenFateStyle::name(int fate) {
    switch (fate) {
        case FateKept: return tr("kept");
        case FateMerged: return tr("merged");
        case FatePruned: return tr("pruned");
        default: return tr("gone (removed earlier)");
    }
}

void TokenFateStyle::paintGone(QPainter& p, const QRectF& r) {
    if (r.isEmpty()) return;
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(kGoneBackground);
    p.drawRect(r);
    p.setClipRect(r, Qt::IntersectClip);
    QPen pen(kGoneHatch, 1.0);
    pen.setCapStyle(Qt::FlatCap);
    p.setPen(pen);
    // Lines x - y = const every kHatchSpacing, across the whole rectangle (clipped to it).
    const double start = std::floor((r.left() - r.bottom()) / kHatchSpacing) * kHatchSpacing;
    for (double c = start; c < r.right() - r.top(); c += kHatchSpacing)
        p.drawLine(QPointF(c + r.bottom(), r.bottom()), QPointF(c + r.top(), r.top()));
    p.restore();
}

QColor TokenFateStyle::contentIndependentColor() { return kContentIndependent; }

QString TokenFateStyle::contentIndependentNote() {
    return tr("◆ Content-independent anchor: the method chose which tokens go, and where, by position alone.");
}

void TokenFateStyle::paintContentIndependentMark(QPainter& p, const QPointF& c, double size) {
    const double r = size / 2;
    const QPointF diamond[] = {c + QPointF(0, -r), c + QPointF(r, 0), c + QPointF(0, r), c + QPointF(-r, 0)};
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(QColor(60, 30, 0), std::max(0.8, size / 12)));
    p.setBrush(kContentIndependent);
    p.drawPolygon(diamond, 4);
    p.restore();
}

}  // namespace ssmlens
