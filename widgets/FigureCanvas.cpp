#include "widgets/FigureCanvas.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>

namespace ssmlens {

FigureCanvas::FigureCanvas(Client* client, const QSize& minimum, QWidget* parent)
    : QWidget(parent), client_(client), minimum_(minimum) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

void FigureCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    client_->paintCanvas(p);
}

void FigureCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) client_->canvasPressed(e->position());
}

bool FigureCanvas::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QString text = client_->canvasToolTip(help->pos());
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

FigureScrollArea::FigureScrollArea(FigureCanvas::Client* client, const QSize& minimum, QWidget* parent)
    : QScrollArea(parent), canvas_(new FigureCanvas(client, minimum)) {
    setWidgetResizable(true);  // width follows the view, height follows heightForWidth
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setWidget(canvas_);
    setBackgroundRole(QPalette::Base);
}

void FigureScrollArea::contentChanged() {
    canvas_->updateGeometry();
    // A scroll area sizes its widget on resize only: ask again for the height at this width.
    const int w = viewport()->width();
    if (w > 0) canvas_->resize(w, std::max(canvas_->heightForWidth(w), viewport()->height()));
    canvas_->update();
}

void FigureScrollArea::reveal(const QRect& rect) {
    if (rect.isEmpty()) return;
    ensureVisible(rect.center().x(), rect.center().y(), 0, std::max(rect.height(), 40));
}

}  // namespace ssmlens
