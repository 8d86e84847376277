#include "widgets/ScheduleRatioControl.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>
#include <cmath>

namespace ssmlens {

ScheduleRatioControl::ScheduleRatioControl(QWidget* parent)
    : QWidget(parent), slider_(new QSlider(Qt::Horizontal)), field_(new QDoubleSpinBox) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    slider_->setRange(1, kSteps);
    slider_->setSingleStep(5);
    slider_->setPageStep(50);
    slider_->setMinimumWidth(80);
    field_->setRange(1.0 / kSteps, 1.0);
    field_->setDecimals(3);
    field_->setSingleStep(0.005);
    // Typing "0.8" must not commit 0.0 and 0.8 on the way: the value counts on Enter or focus loss.
    field_->setKeyboardTracking(false);
    field_->setAccelerated(true);
    layout->addWidget(slider_, 1);
    layout->addWidget(field_);
    setFocusProxy(slider_);

    // Division by kSteps gives the double nearest to the decimal (905 / 1000.0 == 0.905), so a ratio set
    // with the slider compares equal to the same ratio typed into a schedule file.
    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        const double q = v / double(kSteps);
        {
            const QSignalBlocker block(field_);
            field_->setValue(q);
        }
        Q_EMIT ratioEdited(q, slider_->isSliderDown());
    });
    connect(slider_, &QSlider::sliderPressed, this, &ScheduleRatioControl::dragStarted);
    connect(slider_, &QSlider::sliderReleased, this, &ScheduleRatioControl::gestureFinished);
    connect(field_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const double q = std::round(v * kSteps) / kSteps;
        {
            const QSignalBlocker block(slider_);
            slider_->setValue(static_cast<int>(std::lround(q * kSteps)));
        }
        Q_EMIT ratioEdited(q, false);
    });
    connect(field_, &QDoubleSpinBox::editingFinished, this, &ScheduleRatioControl::gestureFinished);
}

void ScheduleRatioControl::setRatio(double q) {
    const QSignalBlocker blockSlider(slider_);
    const QSignalBlocker blockField(field_);
    // Leave a slider the user is dragging alone: its position is the newest value already.
    if (!slider_->isSliderDown()) slider_->setValue(static_cast<int>(std::lround(q * kSteps)));
    field_->setValue(q);
}

void ScheduleRatioControl::setToolTips(const QString& text) {
    slider_->setToolTip(text);
    field_->setToolTip(text);
}

void ScheduleRatioControl::setAccessibleNames(const QString& name) {
    slider_->setAccessibleName(name);
    field_->setAccessibleName(name);
}

}  // namespace ssmlens
