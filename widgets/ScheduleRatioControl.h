#pragma once
// ScheduleRatioControl: one keep ratio q in (0, 1] as a slider with a numeric field beside it, the input
// of every row of the ScheduleEditor (the global ratio and each anchor). It only reports what the user did;
// the editor owns the value and writes it back with setRatio, which emits nothing.
#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace ssmlens {

class ScheduleRatioControl : public QWidget {
    Q_OBJECT
public:
    explicit ScheduleRatioControl(QWidget* parent = nullptr);

    // Shows q (the field rounds to 3 decimals; the value the editor keeps is not rounded).
    void setRatio(double q);
    void setToolTips(const QString& text);
    void setAccessibleNames(const QString& name);

    QSlider* slider() const { return slider_; }
    QDoubleSpinBox* field() const { return field_; }
    static constexpr int kSteps = 1000;  // slider units per 1.0: 0.905 is reachable exactly

Q_SIGNALS:
    // q the user chose; dragging: the slider is held down and more values will follow.
    void ratioEdited(double q, bool dragging);
    void dragStarted();
    // The slider was released or the field lost focus / got Enter: the gesture is over.
    void gestureFinished();

private:
    QSlider* slider_;
    QDoubleSpinBox* field_;
};

}  // namespace ssmlens
