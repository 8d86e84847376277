#pragma once
// Small drawing pieces the figure views share, so a merge arrow looks the same in every view.
#include <QPointF>

class QPainter;

namespace ssmlens {

// A filled triangular arrowhead of length `size` with its point at `tip`, pointing along from -> tip, in the
// painter's current brush (the pen is left as it is). When from and tip coincide there is no direction:
// it points down (+y), the way the token views' arrows come into a chip, so a merge is never left unmarked.
void drawArrowHead(QPainter& painter, const QPointF& tip, const QPointF& from, double size);

}  // namespace ssmlens
