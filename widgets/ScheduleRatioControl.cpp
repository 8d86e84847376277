#include "widgets/ScheduleRatioControl.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <algorithm>
#include <cmath>

namespace ssmlens {
namespace {

constexpr double kFineFrom = 0.5, kCoarseFrom = 0.01;

double round3(double q) { return std::round(q * 1000.0) / 1000.0; }

}  // namespace

double ScheduleRatioControl::ratioAt(int position) {
    position = std::clamp(position, 0, kPositions);
    if (position >= kFinePosition) return (500 + (position - kFinePosition)) / 1000.0;  // exact decimals: 905 / 1000.0
    return round3(kCoarseFrom + (kFineFrom - kCoarseFrom) * position / kFinePosition);
}

int ScheduleRatioControl::positionOf(double q) {
    if (q >= kFineFrom) return std::clamp(kFinePosition + int(std::lround((q - kFineFrom) * 1000.0)), kFinePosition, kPositions);
    return std::clamp(int(std::lround((q - kCoarseFrom) / (kFineFrom - kCoarseFrom) * kFinePosition)), 0, kFinePosition - 1);
}

ScheduleRatioControl::ScheduleRatioControl(QWidget* parent)
    : QWidget(parent), slider_(new QSlider(Qt::Horizontal)), field_(new QDoubleSpinBox), thumb_(new QLabel(this)) {
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setVerticalSpacing(0);
    slider_->setRange(0, kPositions);
    slider_->setSingleStep(5);
    slider_->setPageStep(50);
    slider_->setMinimumWidth(100);
    field_->setRange(kSmallestRatio, 1.0);
    field_->setDecimals(3);  // kSmallestRatio is 0.001
    field_->setSingleStep(0.005);
    // Typing "0.8" must not commit 0.0 and 0.8 on the way: the value counts on Enter or focus loss.
    field_->setKeyboardTracking(false);
    field_->setAccelerated(true);
    layout->addWidget(slider_, 0, 0);
    layout->addWidget(field_, 0, 1);
    // The row under the slider is always there, so the rows below never move when the label changes.
    QFont small = thumb_->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    thumb_->setFont(small);
    thumb_->setForegroundRole(QPalette::PlaceholderText);
    thumb_->hide();
    layout->setColumnStretch(0, 1);
    setFocusProxy(slider_);

    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        const double q = ratioAt(v);
        {
            const QSignalBlocker block(field_);
            field_->setValue(q);
        }
        refreshThumbText();
        Q_EMIT ratioEdited(q, slider_->isSliderDown());
    });
    connect(slider_, &QSlider::sliderPressed, this, &ScheduleRatioControl::dragStarted);
    connect(slider_, &QSlider::sliderReleased, this, &ScheduleRatioControl::gestureFinished);
    connect(field_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const double q = round3(v);
        {
            const QSignalBlocker block(slider_);
            slider_->setValue(positionOf(q));
        }
        refreshThumbText();
        Q_EMIT ratioEdited(q, false);
    });
    connect(field_, &QDoubleSpinBox::editingFinished, this, &ScheduleRatioControl::gestureFinished);
}

void ScheduleRatioControl::setRatio(double q) {
    const QSignalBlocker blockSlider(slider_);
    const QSignalBlocker blockField(field_);
    // Leave a slider the user is dragging alone: its position is the newest value already.
    if (!slider_->isSliderDown()) slider_->setValue(positionOf(q));
    field_->setValue(q);
    refreshThumbText();
}

void ScheduleRatioControl::setToolTips(const QString& text) {
    slider_->setToolTip(text);
    field_->setToolTip(text);
}

void ScheduleRatioControl::setAccessibleNames(const QString& name) {
    slider_->setAccessibleName(name);
    field_->setAccessibleName(name);
}

void ScheduleRatioControl::setThumbText(std::function<QString(double)> text, bool underThumb) {
    thumbText_ = std::move(text);
    underThumb_ = underThumb;
    auto* grid = static_cast<QGridLayout*>(layout());
    if (underThumb_) {
        // A row for the label, as tall as the label, present from now on whatever it says.
        grid->setRowMinimumHeight(1, thumbText_ ? thumb_->fontMetrics().height() + 2 : 0);
    } else {
        // Beside the field, wide enough for "→ 9999 tokens" so the rows' sliders line up.
        grid->addWidget(thumb_, 0, 2);
        thumb_->setMinimumWidth(thumb_->fontMetrics().horizontalAdvance(QStringLiteral("→ 9999")) + 4);
    }
    thumb_->setVisible(bool(thumbText_));
    refreshThumbText();
}

QString ScheduleRatioControl::thumbText() const { return thumb_->text(); }

void ScheduleRatioControl::refreshThumbText() {
    if (!thumbText_) return;
    thumb_->setText(thumbText_(field_->value()));
    if (!underThumb_) return;
    thumb_->adjustSize();
    placeThumbLabel();
}

void ScheduleRatioControl::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeThumbLabel();
}

void ScheduleRatioControl::placeThumbLabel() {
    if (!thumbText_ || !underThumb_) return;
    QStyleOptionSlider option;
    option.initFrom(slider_);
    option.orientation = Qt::Horizontal;
    option.minimum = slider_->minimum();
    option.maximum = slider_->maximum();
    option.sliderPosition = slider_->sliderPosition();
    option.sliderValue = slider_->value();
    const QRect handle = slider_->style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderHandle, slider_);
    const int centre = slider_->geometry().left() + handle.center().x();
    // Centred under the thumb, kept inside the slider's span.
    const int x = std::clamp(centre - thumb_->width() / 2, slider_->geometry().left(),
                             std::max(slider_->geometry().left(), slider_->geometry().right() - thumb_->width()));
    thumb_->move(x, slider_->geometry().bottom() + 1);
    thumb_->raise();
}

}  // namespace ssmlens
