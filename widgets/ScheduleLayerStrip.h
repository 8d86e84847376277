#pragma once
// ScheduleLayerStrip: the model's layers as a ruler, one tick per layer, the anchors (layers after which
// tokens are reduced) marked with a triangle. Clicking a layer, or Space/Enter on the keyboard cursor
// (Left/Right/Home/End/PageUp/PageDown move it), asks to add or remove an anchor there; the ScheduleEditor
// decides. Painted with QPainter: a few dozen ticks need no plotting library.
#include <QWidget>
#include <cstdint>
#include <vector>

namespace ssmlens {

class ScheduleLayerStrip : public QWidget {
    Q_OBJECT
public:
    explicit ScheduleLayerStrip(QWidget* parent = nullptr);

    void setLayerCount(int64_t n);
    // layers: sorted anchor layers; ratios: their keep ratios, for the tooltips (same length).
    void setAnchors(const std::vector<int64_t>& layers, const std::vector<double>& ratios);
    int64_t layerCount() const { return layers_; }
    int cursorLayer() const { return cursor_; }

    // Centre of a layer's tick in widget coordinates (for tests and tooltips); -1 when out of range.
    QPoint layerPosition(int layer) const;
    int layerAt(const QPoint& point) const;  // nearest layer, -1 outside the ruler
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void layerActivated(int layer);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    double tickX(int layer) const;
    double rulerLeft() const;
    double rulerRight() const;
    int anchorIndex(int layer) const;  // index in anchors_, -1 when not an anchor
    QString describeLayer(int layer) const;
    void moveCursor(int layer);

    int64_t layers_ = 0;
    std::vector<int64_t> anchors_;
    std::vector<double> ratios_;
    int cursor_ = 0;
    int hover_ = -1;
};

}  // namespace ssmlens
