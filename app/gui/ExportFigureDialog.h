#pragma once
// ExportFigureDialog: which view to export, in which format, at what size, resolution and text size
// (WidgetExport.h: the figure is width x height pixels at `dpi`, so width / dpi inches wide in every format;
// text is the chosen point size). Shows the physical size as it is edited. Remembers the last choice for
// the session.
#include <QDialog>
#include <QString>
#include <QStringList>

#include "widgets/WidgetExport.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace ssmlens {

struct FigureChoice {
    int view = 0;  // index into the names given
    QString format = "png";
    FigureSize size;
};

class ExportFigureDialog : public QDialog {
    Q_OBJECT
public:
    ExportFigureDialog(const QStringList& viewNames, const FigureChoice& initial, QWidget* parent = nullptr);
    FigureChoice choice() const;
    QString physicalSizeText() const;

private:
    void update();

    QComboBox* view_;
    QComboBox* format_;
    QSpinBox* width_;
    QSpinBox* height_;
    QDoubleSpinBox* dpi_;
    QDoubleSpinBox* font_;
    QLabel* physical_;
};

}  // namespace ssmlens
