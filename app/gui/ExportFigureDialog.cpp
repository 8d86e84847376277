#include "app/gui/ExportFigureDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace ssmlens {

ExportFigureDialog::ExportFigureDialog(const QStringList& viewNames, const FigureChoice& initial, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Export figure"));
    auto* form = new QFormLayout(this);
    view_ = new QComboBox;
    view_->addItems(viewNames);
    view_->setCurrentIndex(initial.view);
    form->addRow(tr("View:"), view_);
    width_ = new QSpinBox;
    width_->setRange(200, 10000);
    width_->setValue(initial.width);
    width_->setSuffix(tr(" px"));
    form->addRow(tr("Width:"), width_);
    height_ = new QSpinBox;
    height_->setRange(150, 10000);
    height_->setValue(initial.height);
    height_->setSuffix(tr(" px"));
    form->addRow(tr("Height:"), height_);
    dpi_ = new QDoubleSpinBox;
    dpi_->setRange(48, 1200);
    dpi_->setValue(initial.dpi);
    dpi_->setToolTip(tr("Resolution: a PNG at 192 dpi has twice the pixels of one at 96 dpi, with the same layout"));
    form->addRow(tr("DPI:"), dpi_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

FigureChoice ExportFigureDialog::choice() const {
    return {view_->currentIndex(), width_->value(), height_->value(), dpi_->value()};
}

}  // namespace ssmlens
