#pragma once
// ScheduleRatioControl: one keep ratio q in (0, 1] as a slider with a numeric field beside it, the input
// of every row of the ScheduleEditor (the global ratio and each anchor). It only reports what the user did;
// the editor owns the value and writes it back with setRatio, which emits nothing.
//
// The slider is finer where users work: 0.5 to 1.0 takes four fifths of its travel in steps of 0.001, 0.01
// to 0.5 the last fifth (the field takes any value from 0.001). Under the thumb a small label can say what
// the ratio does — the editor shows the tokens left (setThumbText).
#include <QWidget>
#include <functional>

class QDoubleSpinBox;
class QLabel;
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
    // text(q): what ratio q means, shown under the thumb (empty function: no label). underThumb false: in
    // a small label right of the field instead, which takes no extra height (the editor's anchor rows).
    void setThumbText(std::function<QString(double)> text, bool underThumb = true);
    void refreshThumbText();  // after what the text depends on changed
    QString thumbText() const;
    QLabel* thumbLabel() const { return thumb_; }

    QSlider* slider() const { return slider_; }
    QDoubleSpinBox* field() const { return field_; }
    // Slider positions and ratios. Positions [kFinePosition, kPositions] are 0.5 to 1.0 in steps of 0.001;
    // [0, kFinePosition) are 0.01 to 0.5. ratioAt rounds to 3 decimals, so 0.905 is exact.
    static constexpr int kFinePosition = 125, kPositions = 625;
    // The smallest keep ratio the number field holds (it shows three decimals); the window's command line takes
    // no less, so the window never runs a schedule its editor cannot show.
    static constexpr double kSmallestRatio = 0.001;
    static double ratioAt(int position);
    static int positionOf(double q);

Q_SIGNALS:
    // q the user chose; dragging: the slider is held down and more values will follow.
    void ratioEdited(double q, bool dragging);
    void dragStarted();
    // The slider was released or the field lost focus / got Enter: the gesture is over.
    void gestureFinished();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeThumbLabel();

    QSlider* slider_;
    QDoubleSpinBox* field_;
    QLabel* thumb_;
    std::function<QString(double)> thumbText_;
    bool underThumb_ = true;
};

}  // namespace ssmlens
