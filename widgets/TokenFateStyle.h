#pragma once
// TokenFateStyle: how every view draws and names a token's fate (core/reduction/TokenTrace.h's TokenFate) —
// the importance heatmap's markers, the token strip's chips and grid, the similarity graph's nodes. One
// definition, so a merged token is the same blue everywhere and a legend in one view explains the others.
//
// Colours: merged sky blue and pruned vermillion red are told apart with every common colour-vision
// deficiency (Okabe-Ito's pair) and from the heatmap's importance scale (ImportanceHeatmap), kept is a
// neutral grey, and gone (left at an earlier layer) is a light grey with diagonal hatching, so it never
// reads as a colour of the importance scale or as white paper. The mark of a content-independent anchor is
// orange, apart from all of these.
#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QString>

#include "core/reduction/TokenTrace.h"

class QPainter;
class QPointF;
class QRectF;

namespace ssmlens {

class TokenFateStyle {
    Q_DECLARE_TR_FUNCTIONS(ssmlens::TokenFateStyle)
public:
    static QColor fillColor(int fate);     // the plain fill (gone: the hatch's background grey)
    static QBrush fillBrush(int fate);     // fillColor, hatched for FateGone
    static QColor outlineColor(int fate);  // chip and node borders
    static QColor textColor(int fate);     // text on a chip of that fill
    static QColor mergeLinkColor();        // arrows from a merged token to its destination
    static QString name(int fate);         // "kept", "merged", "pruned", "gone (removed earlier)"
    // Gone: the grey fill and its hatching, drawn as vector lines (PDF and SVG keep them sharp).
    static void paintGone(QPainter& painter, const QRectF& rect);

    // An anchor whose method chose which tokens go, and where, by position alone
    // (LayerTrace::contentIndependent): the heatmap marks its row with a diamond of this colour, and the
    // strip and the similarity graph say so first in their subtitle, in this one sentence.
    static QColor contentIndependentColor();
    static QString contentIndependentNote();
    // The diamond, centred on `centre`, `size` pixels across (a dark outline: it reads on every cell colour).
    static void paintContentIndependentMark(QPainter& painter, const QPointF& centre, double size);
};

}  // namespace ssmlens
