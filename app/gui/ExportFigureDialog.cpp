#include "app/gui/ExportFigureDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
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
    format_ = new QComboBox;
    format_->addItem(tr("PNG (image)"), "png");
    format_->addItem(tr("PDF (vector)"), "pdf");
    format_->addItem(tr("SVG (vector)"), "svg");
    format_->setCurrentIndex(std::max(0, format_->findData(initial.format)));
    form->addRow(tr("Format:"), format_);
    width_ = new QSpinBox;
    width_->setRange(100, 20000);
    width_->setValue(initial.size.widthPx);
    width_->setSuffix(tr(" px"));
    form->addRow(tr("Width:"), width_);
    height_ = new QSpinBox;
    height_->setRange(100, 20000);
    height_->setValue(initial.size.heightPx);
    height_->setSuffix(tr(" px"));
    form->addRow(tr("Height:"), height_);
    dpi_ = new QDoubleSpinBox;
    dpi_->setRange(48, 1200);
    dpi_->setDecimals(0);
    dpi_->setValue(initial.size.dpi);
    dpi_->setToolTip(tr("Dots per inch: with the size in pixels it gives the figure's size on paper. 1050 px at "
                        "300 dpi is 3.5 inches, a single column."));
    form->addRow(tr("DPI:"), dpi_);
    font_ = new QDoubleSpinBox;
    font_->setRange(4, 72);
    font_->setDecimals(1);
    font_->setSingleStep(0.5);
    font_->setSuffix(tr(" pt"));
    font_->setValue(initial.size.fontPt);
    font_->setToolTip(tr("Size of the figure's text in points, whatever the resolution; titles are a little larger, "
                         "tick labels a little smaller"));
    form->addRow(tr("Text size:"), font_);
    physical_ = new QLabel;
    form->addRow(tr("On paper:"), physical_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QSpinBox* s : {width_, height_}) connect(s, &QSpinBox::valueChanged, this, &ExportFigureDialog::update);
    connect(dpi_, &QDoubleSpinBox::valueChanged, this, &ExportFigureDialog::update);
    update();
}

QString ExportFigureDialog::physicalSizeText() const {
    const QSizeF inches = choice().size.inches();
    const QLocale locale;
    return tr("%1 × %2 cm (%3 × %4 in)")
        .arg(locale.toString(inches.width() * 2.54, 'f', 1), locale.toString(inches.height() * 2.54, 'f', 1),
             locale.toString(inches.width(), 'f', 2), locale.toString(inches.height(), 'f', 2));
}

void ExportFigureDialog::update() { physical_->setText(physicalSizeText()); }

FigureChoice ExportFigureDialog::choice() const {
    FigureChoice c;
    c.view = view_->currentIndex();
    c.format = format_->currentData().toString();
    c.size.widthPx = width_->value();
    c.size.heightPx = height_->value();
    c.size.dpi = dpi_->value();
    c.size.fontPt = font_->value();
    return c;
}

}  // namespace ssmlens
