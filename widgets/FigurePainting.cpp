#include "widgets/FigurePainting.h"

#include <QPainter>
#include <QPolygonF>
#include <cmath>

namespace ssmlens {

void drawArrowHead(QPainter& p, const QPointF& tip, const QPointF& from, double size) {
    QPointF d = tip - from;
    const double length = std::hypot(d.x(), d.y());
    d = length < 1e-6 ? QPointF(0, 1) : d / length;
    const QPointF normal(-d.y(), d.x()), base = tip - d * size;
    p.drawPolygon(QPolygonF({tip, base + normal * size * 0.5, base - normal * size * 0.5}));
}

}  // namespace ssmlens
