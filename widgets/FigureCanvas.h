#pragma once
// FigureCanvas: the drawing surface of a view that paints its figure itself (TokenStrip, SimilarityGraph),
// inside a scroll area that scrolls vertically only. Its height follows its width — the figure's content
// wraps — and painting, clicks and tooltips go back to the view that owns the data, through Client. The
// same painting code then serves the screen and the exported files (WidgetExport.h).
#include <QPointF>
#include <QScrollArea>
#include <QSize>
#include <QString>
#include <QWidget>

class QPainter;

namespace ssmlens {

class FigureCanvas : public QWidget {
public:
    class Client {
    public:
        virtual ~Client() = default;
        virtual int canvasHeight(int width) const = 0;      // the whole figure at this width
        virtual void paintCanvas(QPainter& painter) const = 0;  // at the canvas's current size
        virtual void canvasPressed(const QPointF& point) = 0;   // a left click, in canvas coordinates
        virtual QString canvasToolTip(const QPointF& point) const = 0;  // empty: none there
    };

    // minimum: the least size worth showing (the scroll area shows the rest).
    FigureCanvas(Client* client, const QSize& minimum, QWidget* parent = nullptr);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return client_->canvasHeight(width); }
    QSize sizeHint() const override { return QSize(640, client_->canvasHeight(640)); }
    QSize minimumSizeHint() const override { return minimum_; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    Client* client_;
    QSize minimum_;
};

// The scroll area around a FigureCanvas: the canvas is as wide as the viewport and as tall as its figure.
class FigureScrollArea : public QScrollArea {
public:
    FigureScrollArea(FigureCanvas::Client* client, const QSize& minimum, QWidget* parent = nullptr);
    FigureCanvas* canvas() const { return canvas_; }
    // The figure changed (its height at this width may differ): resize the canvas and repaint.
    void contentChanged();
    // Scrolls so that rect (canvas coordinates) is in view.
    void reveal(const QRect& rect);

private:
    FigureCanvas* canvas_;
};

}  // namespace ssmlens
